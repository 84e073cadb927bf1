"""The @moduledoc and @doc text of one Elixir source file, read from its tree-sitter syntax tree (the code
is never compiled or run).

A module's statements are read in order: `@moduledoc "..."` documents the module, `@doc "..."` the next
def/defmacro/defguard/defdelegate or @callback/@macrocallback (named `Module.name/arity`, the highest arity
when there are default arguments). `@doc false` and `@moduledoc false` hide the definition (a hidden module
hides its functions too); docs given by anything but a literal string are skipped, and so is code inside
other constructs (quote blocks, conditionals), which documents other modules or none."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from ..parsing import parse

DEFINERS = {"def": "function", "defmacro": "macro", "defguard": "guard", "defdelegate": "function"}
CALLBACKS = {"callback": "callback", "macrocallback": "callback"}
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "e": "\x1b", "0": "\0", "a": "\a", "b": "\b", "f": "\f",
           "v": "\v"}
HIDDEN = object()  # `@doc false`


@dataclass(frozen=True)
class DocEntry:
    module: str
    symbol: str  # "Phoenix.LiveView.stream/4", or the module name for its @moduledoc
    kind: str  # "module", "function", "macro", "guard" or "callback"
    text: str
    line: int


def file_docs(source: bytes) -> list[DocEntry]:
    entries: list[DocEntry] = []
    for node in parse("elixir", source).root_node.named_children:
        _module(node, source, None, entries)
    return entries


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", errors="replace")


def _call_name(node: Node, source: bytes) -> str | None:
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    return _text(target, source) if target is not None and target.type == "identifier" else None


def _module_name(node: Node, source: bytes, parent: str | None) -> str | None:
    arguments = next((c for c in node.named_children if c.type == "arguments"), None)
    name_node = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    if name_node is None:
        return None
    name = _text(name_node, source)
    if name.startswith("__MODULE__.") and parent:
        return parent + name.removeprefix("__MODULE__")
    if name_node.type != "alias":
        return None
    return f"{parent}.{name}" if parent else name


def _module(node: Node, source: bytes, parent: str | None, entries: list[DocEntry]) -> None:
    """Appends the docs of a `defmodule` node (and of the modules nested in it)."""
    if _call_name(node, source) != "defmodule":
        return
    name = _module_name(node, source, parent)
    body = next((c for c in node.named_children if c.type == "do_block"), None)
    if name is None or body is None:
        return
    found: list[DocEntry] = []
    hidden = False
    pending: str | object | None = None
    for statement in body.named_children:
        if _call_name(statement, source) == "defmodule":
            _module(statement, source, name, entries)
            continue
        attribute = _attribute(statement, source)
        if attribute is not None:
            key, value = attribute
            if key == "moduledoc" and value is HIDDEN:
                hidden = True
            elif key == "moduledoc" and isinstance(value, str):
                found.append(DocEntry(name, name, "module", value, statement.start_point[0] + 1))
            elif key == "doc" and value is not None:
                pending = value
            elif key in CALLBACKS:
                _document(found, pending, name, _callback_head(value, source), CALLBACKS[key], statement)
                pending = None
            continue
        kind = DEFINERS.get(_call_name(statement, source) or "")
        if kind is not None:
            _document(found, pending, name, _definition_head(statement, source), kind, statement)
            pending = None
        elif _call_name(statement, source) == "defp" or any(c.type == "do_block" for c in statement.named_children):
            pending = None  # a doc before a private function or a block (if, quote...) documents nothing here
    if not hidden:
        entries.extend(found)


def _document(found: list[DocEntry], pending: object, module: str, head: tuple[str, int] | None, kind: str,
              statement: Node) -> None:
    """Records the `pending` doc text for the definition `head` (name, arity), if both are there."""
    if isinstance(pending, str) and head is not None:
        name, arity = head
        found.append(DocEntry(module, f"{module}.{name}/{arity}", kind, pending, statement.start_point[0] + 1))


def _attribute(node: Node, source: bytes) -> tuple[str, object] | None:
    """(name, value) of a module attribute `@name value`: a doc string, HIDDEN for `false`, None for other
    values (metadata keywords such as `since:`, or computed docs)."""
    if node.type != "unary_operator" or not _text(node, source).startswith("@"):
        return None
    call = next((c for c in node.named_children if c.type == "call"), None)
    name = _call_name(call, source) if call is not None else None
    if name is None:
        return None
    if name in CALLBACKS:
        return name, call
    arguments = next((c for c in call.named_children if c.type == "arguments"), None)
    value = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    if value is None:
        return name, None
    if value.type == "boolean" and _text(value, source) == "false":
        return name, HIDDEN
    if value.type in ("string", "sigil"):
        return name, _string_value(value, source)
    return name, None


def _string_value(node: Node, source: bytes) -> str | None:
    """The text of a string or ~s/~S sigil literal: escapes decoded (not in ~S), interpolations kept as
    written, a heredoc's indentation removed as Elixir does (by the closing delimiter's column)."""
    raw_sigil = False
    if node.type == "sigil":
        sigil_name = next((c for c in node.named_children if c.type == "sigil_name"), None)
        letter = _text(sigil_name, source) if sigil_name is not None else ""
        if letter not in ("s", "S"):
            return None
        raw_sigil = letter == "S"
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "quoted_content":
            parts.append(_text(child, source))
        elif child.type == "escape_sequence":
            escaped = _text(child, source)
            parts.append(escaped if raw_sigil else ESCAPES.get(escaped[1:], escaped[1:]))
        elif child.type == "interpolation":
            parts.append(_text(child, source))
    text = "".join(parts)
    if _text(node, source).endswith(('"""', "'''")):
        text = _dedent_heredoc(text, node.end_point[1] - 3)
    return text.strip("\n")


def _dedent_heredoc(text: str, indent: int) -> str:
    lines = text.removeprefix("\n").split("\n")
    out = []
    for line in lines:
        spaces = len(line) - len(line.lstrip(" "))
        out.append(line[min(spaces, max(indent, 0)):])
    return "\n".join(out)


def _head_of(node: Node) -> Node | None:
    """The function head inside `name(args) when guard` (the left side of the `when`)."""
    if node.type == "binary_operator":
        left = node.child_by_field_name("left")
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type == "when" and left is not None:
            return left
    return node


def _name_arity(head: Node | None, source: bytes) -> tuple[str, int] | None:
    head = _head_of(head) if head is not None else None
    if head is None:
        return None
    if head.type == "identifier":
        return _text(head, source), 0
    if head.type == "call":
        target = head.child_by_field_name("target")
        arguments = next((c for c in head.named_children if c.type == "arguments"), None)
        if target is None or target.type != "identifier":
            return None
        return _text(target, source), len(arguments.named_children) if arguments is not None else 0
    return None


def _definition_head(statement: Node, source: bytes) -> tuple[str, int] | None:
    arguments = next((c for c in statement.named_children if c.type == "arguments"), None)
    if arguments is None or not arguments.named_children:
        return None
    return _name_arity(arguments.named_children[0], source)


def _callback_head(call: Node, source: bytes) -> tuple[str, int] | None:
    """`@callback mount(params, session, socket) :: result` (optionally `when ...`) → ("mount", 3)."""
    arguments = next((c for c in call.named_children if c.type == "arguments"), None)
    spec = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    spec = _head_of(spec) if spec is not None else None
    if spec is None or spec.type != "binary_operator":
        return None
    return _name_arity(spec.child_by_field_name("left"), source)
