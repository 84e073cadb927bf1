"""elixir_tree and helpers readings that rules share: a call's arguments, async and spawned functions, references."""

from __future__ import annotations

from skill_server.parsing import parse
from skill_server.review.elixir_tree import (
    ASYNC_FUNCTIONS,
    call_arguments,
    call_parts,
    held_functions,
    in_async_function,
    text,
    walk,
)
from skill_server.review.helpers import references


def _nodes(code: str):
    return list(walk(parse("elixir", code.encode()).root_node))


def _call(nodes, name):
    return next(n for n in nodes if call_parts(n)[1] == name)


def test_arguments_are_read_without_comments_or_redundant_parentheses():
    nodes = _nodes("a = Blog.get_post!((id))\nb = Blog.delete!(# the post\n  post)\nc = f((x), y)\nd = g((x; y))\n")
    assert [text(a) for a in call_arguments(_call(nodes, "get_post!"))] == ["id"]
    assert [text(a) for a in call_arguments(_call(nodes, "delete!"))] == ["post"]
    assert [text(a) for a in call_arguments(_call(nodes, "f"))] == ["x", "y"]
    assert [text(a) for a in call_arguments(_call(nodes, "g"))] == ["(x; y)"]  # a block of two stays a block


def test_a_node_is_in_the_innermost_async_function_that_holds_it():
    nodes = _nodes("def f(socket) do\n  x = socket.assigns.x\n"
                   "  start_async(socket, :a, fn -> assign_async(socket, :b, fn -> socket end) end)\nend\n")
    held = held_functions(nodes, ASYNC_FUNCTIONS)
    refs = list(references(nodes[0], {"socket"}))
    holders = [in_async_function(ref, held) for ref in refs]
    names = [call_parts(h)[1] if h is not None else None for h in holders]
    # def f(socket), socket.assigns, start_async(socket: outside its own fn), assign_async(socket (in start_async's
    # fn), the innermost fn's socket
    assert names == [None, None, None, "start_async", "assign_async"]


def test_references_leave_out_a_call_of_the_same_name_but_keep_dotted_reads():
    nodes = _nodes("socket(1)\nsocket.assigns\nassign(socket, :a, 1)\n")
    refs = list(references(nodes[0], {"socket"}))
    assert [r.start_point[0] for r in refs] == [1, 2]


def _parent_walk_clause(module, node):
    """The reading enclosing_clause gives, by the definition: the first of node and its ancestors that is a clause."""
    while node is not None and node.id not in module.clause_by_node:
        node = node.parent
    return module.clause_by_node[node.id] if node is not None else None


def test_the_enclosing_clause_of_every_node_is_the_one_its_ancestors_name():
    from skill_server.review.elixir_tree import all_modules, enclosing_clause, read_module

    code = ("defmodule A do\n  use AppWeb, :live_view\n  @x 1\n  def f(a), do: [[g(a), [h(a)]]]\n"
            "  def g(b) do\n    case b do\n      _ -> fn -> b end\n    end\n  end\n"
            "  defp h(x) when x > 1, do: x\n  foo(1)\nend\n")
    root = all_modules(parse("elixir", code.encode()).root_node)[0]
    module = read_module(root)
    nodes = list(walk(root))
    found = [enclosing_clause(module, node) for node in nodes]
    assert found == [_parent_walk_clause(module, node) for node in nodes]
    assert {c.name for c in found if c is not None} == {"f", "g", "h"} and found[0] is None and None in found[-5:]


def test_spans_find_the_innermost_holder_of_nested_and_separate_spans():
    from skill_server.review.spans import innermost, spans

    nodes = _nodes("f([1, [2, 3]], 4)\ng(5)\n")
    lists = spans((n.start_byte, n.end_byte, text(n)) for n in nodes if n.type == "list")
    held = {text(n): innermost(lists, n) for n in nodes if n.type == "integer"}
    assert held == {"1": "[1, [2, 3]]", "2": "[2, 3]", "3": "[2, 3]", "4": None, "5": None}


def test_functions_given_to_attach_hook_are_read_as_the_stage_callback_clauses():
    # audit 12 G12: event handlers attached at run time were invisible to the rules that read handle_event/3
    from skill_server.review.elixir_tree import enclosing_clause, read_module

    code = ('  def mount(_p, _s, socket) do\n'
            '    socket = attach_hook(socket, :a, :handle_event, fn\n'
            '      "go", %{"id" => id}, socket when is_binary(id) -> {:halt, go(id, socket)}\n'
            '      _, _, socket -> {:cont, socket}\n    end)\n'
            '    socket = socket |> attach_hook(:b, :handle_info, &info/2) |> attach_hook(:c, :handle_event, &ev/3)\n'
            '    {:ok, attach_hook(socket, :d, :after_render, fn socket -> socket end) |> attach_hook(:e, :handle_event, &ev/3)}\n'
            '  end\n  defp info(msg, socket), do: {:cont, socket}\n'
            '  defp ev("x", p, socket), do: {:halt, socket}\n  defp ev(_, _, socket), do: {:cont, socket}\n')
    root = parse("elixir", code.encode()).root_node
    module = read_module(root)
    events = module.clauses_of("handle_event", 3)
    assert [(c.kind, c.line) for c in events] == [("fn", 3), ("fn", 4), ("hook", 10), ("hook", 11)]
    assert events[0].signature == '"go", %{"id" => id}, socket when is_binary(id)'
    assert [(c.kind, c.line) for c in module.clauses_of("handle_info", 2)] == [("hook", 9)]
    assert {c.name for c in module.clauses} == {"mount", "info", "ev"}  # the module's own clauses, each once
    go = next(n for n in walk(root) if call_parts(n)[1] == "go")
    assert enclosing_clause(module, go) is events[0]
    delete = next(n for n in walk(root) if n.type == "tuple" and n.start_point[0] == 9)
    assert enclosing_clause(module, delete).name == "handle_event"
