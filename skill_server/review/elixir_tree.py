"""What rules need to know about an Elixir module, read from its tree-sitter tree: calls, function
clauses grouped by name and arity with their @impl, the callback a node is in, connected?/1 branches,
async functions, and the kind of module (LiveView, LiveComponent, function components)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

from tree_sitter import Node

from .spans import Spans, innermost, spans

LIVEVIEW_CALLBACKS = {
    ("mount", 3), ("handle_params", 3), ("handle_event", 3), ("handle_info", 2), ("handle_call", 3),
    ("handle_cast", 2), ("handle_async", 3), ("render", 1), ("terminate", 2),
}
COMPONENT_CALLBACKS = {("mount", 1), ("update", 2), ("update_many", 1), ("render", 1), ("handle_event", 3),
                       ("handle_async", 3)}
ASYNC_FUNCTIONS = {"assign_async", "start_async", "stream_async"}


def text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def is_defmodule(node: Node) -> bool:
    if node.type != "call":
        return False
    target = node.child_by_field_name("target")
    return target is not None and target.type == "identifier" and target.text == b"defmodule"


def walk(node: Node) -> Iterator[Node]:
    """`node` and its descendants in source order, not descending into nested modules: each module is
    reviewed as its own unit. (A tree cursor: several times faster than reading every node's children.)"""
    yield node
    cursor = node.walk()
    if not cursor.goto_first_child():
        return
    while True:
        current = cursor.node
        if not (current.type == "call" and is_defmodule(current)):
            yield current
            if cursor.goto_first_child():
                continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


NOT_NEWLINE = re.compile(rb"[^\n]")
BLANKED = {"comment", "quoted_content"}  # what code_text leaves out: comments, and the text of strings, charlists, sigils


def _every_node(node: Node) -> Iterator[Node]:
    """`node` and all its descendants, nested modules included (a whole file's comments are its modules')."""
    yield node
    cursor = node.walk()
    if not cursor.goto_first_child():
        return
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


def code_text(node: Node | None, strings: bool = True) -> str:
    """The node's source with its comments and (unless `strings` is False) the literal text of its strings, charlists
    and sigils blanked (every byte but a newline becomes a space, so lines stay), interpolated code kept: for a rule
    that reads calls from text, a comment or a string that names a call (`# Ash.update!(post, actor: user)`) is not
    one. Keep the strings when a string's value is what is read (a permission's name)."""
    if node is None:
        return ""
    data = bytearray(node.text)
    base = node.start_byte
    blanked = BLANKED if strings else {"comment"}
    for child in _every_node(node):
        if child.type in blanked:
            start, end = child.start_byte - base, child.end_byte - base
            data[start:end] = NOT_NEWLINE.sub(b" ", bytes(data[start:end]))
    return data.decode("utf-8", "replace")


def all_modules(root: Node) -> list[Node]:
    """Every defmodule call in the tree, nested ones included, in source order."""
    found = [root] if is_defmodule(root) else []
    cursor = root.walk()
    if not cursor.goto_first_child():
        return found
    while True:
        current = cursor.node
        if current.type == "call" and is_defmodule(current):
            found.append(current)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == root:
                return found


def call_parts(node: Node) -> tuple[str | None, str | None]:
    """(module text or None, function name) of a call node; (None, None) for anything else."""
    if node.type != "call":
        return None, None
    target = node.child_by_field_name("target")
    if target is None:
        return None, None
    if target.type == "identifier":
        return None, text(target)
    if target.type == "dot":
        left = target.child_by_field_name("left")
        right = target.child_by_field_name("right")
        return text(left), text(right)
    return None, None


def call_arguments(node: Node) -> list[Node]:
    """The arguments of a call as the code means them: comments between them left out, and an argument wrapped in
    extra parentheses (`get_post!((id))`) read as what they wrap, so neither hides a value from a rule."""
    args = next((c for c in node.children if c.type == "arguments"), None)
    return [unparenthesized(c) for c in args.named_children if c.type != "comment"] if args is not None else []


def unparenthesized(node: Node) -> Node:
    """What redundant parentheses wrap: `((id))` is `id`; a block of several expressions stays a block."""
    while node.type == "block" and node.child_count and node.children[0].type == "(":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def calls(root: Node, names: set[str] | None = None) -> Iterator[tuple[Node, str | None, str]]:
    for node in walk(root):
        module, name = call_parts(node)
        if name and (names is None or name in names):
            yield node, module, name


@dataclass
class Clause:
    name: str
    arity: int
    kind: str  # def | defp
    node: Node
    head: Node
    params: list[Node]
    body: Node | None
    impl: str | None  # text of the @impl value right before this clause, if any

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1

    @property
    def signature(self) -> str:
        """The head as written, guard included (`handle_event("s", %{"by" => by}, s) when by in @keys`); for an fn
        clause given to attach_hook, its parameters and guard."""
        if self.kind == "fn":
            left = self.node.child_by_field_name("left")
            return text(left) if left is not None else ""
        args = call_arguments(self.node)
        return text(args[0]) if args else ""

    @cached_property
    def connected_spans(self) -> tuple[tuple[int, int], ...]:
        return connected_spans(self.node)


@dataclass
class ElixirModule:
    root: Node
    kind: str | None  # live_view | live_component | component | None
    clauses: list[Clause] = field(default_factory=list)
    # Callbacks attached at run time with attach_hook/4 (`attach_hook(socket, :x, :handle_event, fn "delete", p,
    # socket -> ... end)` or `&handle_posts/3`): each fn clause (kind "fn"), or each clause of the named function
    # again under the callback's name (kind "hook"). Not in `clauses` (a named function would be there twice);
    # clauses_of and the enclosing-clause lookups read them as the callback's clauses.
    hooked: list[Clause] = field(default_factory=list)

    def functions(self) -> dict[tuple[str, int], list[Clause]]:
        grouped: dict[tuple[str, int], list[Clause]] = {}
        for clause in self.clauses:
            grouped.setdefault((clause.name, clause.arity), []).append(clause)
        return grouped

    def callbacks(self) -> set[tuple[str, int]]:
        if self.kind == "live_view":
            return LIVEVIEW_CALLBACKS
        if self.kind == "live_component":
            return COMPONENT_CALLBACKS
        return set()

    @cached_property
    def clauses_by_name(self) -> dict[tuple[str, int], list[Clause]]:
        """functions(), read once: rules that look a local call's clauses up for every call (audit 9 N2)."""
        return self.functions()

    @cached_property
    def clause_by_node(self) -> dict[int, Clause]:
        """Clause by its node's id (read once the module is read: clauses do not change after)."""
        return {c.node.id: c for c in (*self.clauses, *self.hooked)}

    @cached_property
    def clause_spans(self) -> Spans[Clause]:
        """The clauses by their byte spans (spans.innermost finds the one holding a node)."""
        return spans((c.node.start_byte, c.node.end_byte, c) for c in (*self.clauses, *self.hooked))

    def clauses_of(self, name: str, arity: int | None = None) -> list[Clause]:
        return [c for c in (*self.clauses, *self.hooked) if c.name == name and (arity is None or c.arity == arity)]


def _clause(node: Node, impl: str | None) -> Clause | None:
    module, keyword = call_parts(node)
    if module is not None or keyword not in ("def", "defp"):
        return None
    args = call_arguments(node)
    if not args:
        return None
    head = args[0]
    if head.type == "binary_operator" and text(head.child_by_field_name("operator")) == "when":
        head = head.child_by_field_name("left")
    if head is None:
        return None
    if head.type == "call":
        _, name = call_parts(head)
        params = call_arguments(head)
    elif head.type == "identifier":
        name, params = text(head), []
    else:
        return None
    body = next((c for c in node.children if c.type == "do_block"), None)
    if body is None:
        for arg in args[1:]:
            if arg.type == "keywords":
                for pair in arg.named_children:
                    if text(pair.child_by_field_name("key")).startswith("do"):
                        body = pair.child_by_field_name("value")
    return Clause(name or "", len(params), keyword, node, head, params, body, impl)


def _module_kind(root: Node, nodes: list[Node] | None = None) -> str | None:
    uses = ((n, name) for n in (nodes if nodes is not None else walk(root)) for _, name in [call_parts(n)] if name == "use")
    for node, _ in uses:
        args = QUOTED_ATOM.sub(r":\1", " ".join(text(a) for a in call_arguments(node)))  # :"live_view" is :live_view
        if ":live_view" in args or "Phoenix.LiveView" in args and "LiveViewTest" not in args:
            return "live_view"
        if ":live_component" in args or "Phoenix.LiveComponent" in args:
            return "live_component"
        if ":html" in args or "Phoenix.Component" in args:
            return "component"
        # An app's own LiveView flavour (`use SafiraWeb, :app_view`, `use AppWeb, :admin_live`): a LiveView when
        # the module has LiveView's callbacks (an old Phoenix.View flavour has none).
        if CUSTOM_LIVE_FLAVOUR.search(args) and LIVE_CALLBACK.search(text(root)):
            return "live_view"
    return None


QUOTED_ATOM = re.compile(r':"(\w{1,60})"')
CUSTOM_LIVE_FLAVOUR = re.compile(r"Web,?\s{0,4}:(?:\w{1,30}_view|live_\w{1,30}|\w{1,30}_live)\b")
LIVE_CALLBACK = re.compile(r"\bdef\s{1,4}(?:mount|handle_event)\(")


def read_module(root: Node, nodes: list[Node] | None = None) -> ElixirModule:
    """The module's clauses with their @impl; `nodes` is walk(root) when the caller already has it."""
    module = ElixirModule(root=root, kind=_module_kind(root, nodes))
    for node in nodes if nodes is not None else walk(root):
        if node.type != "do_block" and node.type != "source":
            continue
        impl = None
        for child in node.named_children:
            if child.type == "unary_operator" and text(child.child_by_field_name("operator")) == "@":
                operand = child.child_by_field_name("operand")
                _, attribute = call_parts(operand) if operand is not None else (None, None)
                if attribute == "impl":
                    impl = " ".join(text(a) for a in call_arguments(operand))
                continue
            if child.type == "comment":
                continue
            clause = _clause(child, impl) if child.type == "call" else None
            if clause is not None:
                module.clauses.append(clause)
            impl = None
    if b"attach_hook" in (root.text or b""):
        module.hooked = _hooked_clauses(module, nodes if nodes is not None else walk(root))
    return module


# attach_hook/4's stages whose function takes a callback's arguments, by the callback they stand for.
HOOK_STAGES = {":handle_event": ("handle_event", 3), ":handle_params": ("handle_params", 3),
               ":handle_info": ("handle_info", 2), ":handle_async": ("handle_async", 3)}


def _hooked_clauses(module: ElixirModule, nodes) -> list[Clause]:
    """The clauses of the functions given to `attach_hook(socket, name, stage, fun)` (piped too), read as clauses of
    the stage's callback: the fn's clauses, or the clauses of a captured local function (`&handle_posts/3`)."""
    hooked: list[Clause] = []
    named: list[tuple[str, str, int]] = []  # (captured function, callback name, arity)
    for node in nodes:
        if node.type != "call":
            continue
        target = node.child_by_field_name("target")
        if target is None or target.type != "identifier" or text(target) != "attach_hook":
            continue
        args = call_arguments(node)
        if len(args) not in (3, 4) or args[-2].type != "atom" or text(args[-2]) not in HOOK_STAGES:
            continue
        name, arity = HOOK_STAGES[text(args[-2])]
        handler = args[-1]
        if handler.type == "anonymous_function":
            for stab in handler.named_children:
                params_node = stab.child_by_field_name("left") if stab.type == "stab_clause" else None
                if params_node is not None and params_node.type == "binary_operator" \
                        and text(params_node.child_by_field_name("operator")) == "when":
                    params_node = params_node.child_by_field_name("left")
                params = [c for c in params_node.named_children if c.type != "comment"] \
                    if params_node is not None and params_node.type == "arguments" else []
                if len(params) == arity:
                    hooked.append(Clause(name, arity, "fn", stab, params_node, params,
                                         stab.child_by_field_name("right"), None))
        elif handler.type == "unary_operator" and text(handler.child_by_field_name("operator")) == "&":
            captured = re.fullmatch(r"&\s*(?:__MODULE__\s*\.\s*)?([a-z_]\w*[?!]?)\s*/\s*(\d+)", text(handler))
            if captured and int(captured.group(2)) == arity:
                named.append((captured.group(1), name, arity))
    by_name = module.functions() if named else {}
    for function, name, arity in dict.fromkeys(named):  # each function once, however often it is attached
        hooked += [Clause(name, arity, "hook", c.node, c.head, c.params, c.body, c.impl)
                   for c in by_name.get((function, arity), [])]
    return hooked


def enclosing_clause(module: ElixirModule, node: Node) -> Clause | None:
    """The clause whose node is `node` or holds it, found from the clauses' spans (module.clause_spans), not by
    asking every ancestor for its parent. Only a node the spans cannot place (one with the clause's own span, or
    an empty one on its edge, which may lie just outside) is placed by walking up."""
    clause = innermost(module.clause_spans, node)
    edges = (clause.node.start_byte, clause.node.end_byte) if clause is not None else ()
    if clause is None or node.id == clause.node.id or not (
            (node.start_byte, node.end_byte) == edges or (node.start_byte == node.end_byte and node.start_byte in edges)):
        return clause
    starts = module.clause_by_node
    current = node
    while current is not None:
        if current.id in starts:
            return starts[current.id]
        current = current.parent
    return None


CONNECTED_GUARD = re.compile(r"(?<![!\w])(?<!not )(?:is_)?connected\??\(|transport_pid\s{0,4}!=\s{0,4}nil|"
                             r"not\s{1,4}is_nil\([^()]{0,80}transport_pid")


def _connected_head(clause: Node) -> bool:
    """`def mount(params, session, socket) when connected?(socket)` (or a defguard such as
    `is_connected?(socket)`, `socket.transport_pid != nil`): the clause only runs once connected."""
    args = call_arguments(clause)
    head = args[0] if args else None
    if head is None or head.type != "binary_operator" or text(head.child_by_field_name("operator")) != "when":
        return False
    return CONNECTED_GUARD.search(text(head.child_by_field_name("right"))[:300]) is not None


def connected_spans(clause: Node) -> tuple[tuple[int, int], ...]:
    """Byte spans of a function clause where the socket is known to be connected: the whole clause when its
    guard requires it, else the bodies of each `if`/`case`/`cond` on `connected?(...)` (not the condition, and
    not `if !connected?` / `if not connected?`), and what follows a `with` clause that calls it. Found in one walk down the clause: walking up from every call
    costs the depth per step in tree-sitter, the cube of a deep pipe's length in all."""
    if _connected_head(clause):
        return ((clause.start_byte, clause.end_byte),)
    spans = []
    for node in walk(clause):
        _, name = call_parts(node)
        if name == "with":
            # `with true <- connected?(socket), {:ok, _} <- track(...) do`: what follows that clause runs connected
            guard = next((a for a in call_arguments(node) if _calls_connected(a)), None)
            if guard is not None:
                spans.append((guard.end_byte, node.end_byte))
            continue
        if name not in ("if", "case", "cond"):
            continue
        args = call_arguments(node)
        condition = args[0] if args else None
        if condition is None or not _calls_connected(condition):
            continue
        negated = condition.type == "unary_operator" and text(condition.child_by_field_name("operator")) in ("!", "not")
        if name != "if" or not negated:
            spans.append((condition.end_byte, node.end_byte))
    return tuple(spans)


def _calls_connected(condition: Node, most: int = 300) -> bool:
    """Whether the condition calls connected?/1 among its first nodes (a condition is a short expression)."""
    for n, node in enumerate(walk(condition)):
        if n >= most:
            return False
        if call_parts(node)[1] == "connected?":
            return True
    return False


def in_connected_branch(node: Node, clause: "Clause") -> bool:
    """True inside the body of `if connected?(...)` (or a case/cond on it) of `clause`, not inside `unless`,
    and anywhere in a clause whose guard requires a connected socket."""
    return any(start <= node.start_byte < end for start, end in clause.connected_spans)


def held_functions(nodes, names) -> Spans[Node]:
    """The span of every `fn -> ... end` given to a call named in `names` (ASYNC_FUNCTIONS, Task.start and
    friends), with that call, found in one pass down over `nodes` (a walk of the tree). Asking each node for its
    parents instead costs the square of the nesting depth: tree-sitter finds a parent by walking down from the
    root (audit 8 D6)."""
    found = []
    for node in nodes:
        if node.type != "call" or call_parts(node)[1] not in names:
            continue
        args = next((c for c in node.children if c.type == "arguments"), None)
        for fn in (c for c in args.named_children if c.type == "anonymous_function") if args is not None else ():
            found.append((fn.start_byte, fn.end_byte, node))
    return spans(found)


def holder_of(node: Node, held: Spans[Node]) -> Node | None:
    """The call whose function (from held_functions) contains `node`, the innermost when they nest; else None."""
    return innermost(held, node)


def in_async_function(node: Node, held: Spans[Node]) -> Node | None:
    """The assign_async/start_async/stream_async call whose function argument contains `node`, if any; `held` is
    held_functions(nodes, ASYNC_FUNCTIONS) of the tree."""
    return holder_of(node, held)


def heex_sigils(root: Node, nodes: list[Node] | None = None) -> list[tuple[str, int, int]]:
    """(content, 0-based line offset, 0-based column of the content start) of every ~H sigil; `nodes` is
    walk(root) when the caller already has it."""
    found = []
    for node in nodes if nodes is not None else walk(root):
        if node.type != "sigil":
            continue
        name = next((c for c in node.children if c.type == "sigil_name"), None)
        # The content as written: a `\"` or `\\` splits it into pieces around escape_sequence nodes (HEEx reads
        # them as written), so every piece between the delimiters is joined, not only the first.
        pieces = [c for c in node.children if c.type in ("quoted_content", "escape_sequence")]
        if name is not None and text(name) == "H" and pieces:
            found.append(("".join(text(c) for c in pieces), pieces[0].start_point[0], pieces[0].start_point[1]))
    return found
