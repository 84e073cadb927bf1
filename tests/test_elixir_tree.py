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
