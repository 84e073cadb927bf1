"""## What it does
Flags `Map.put/3`, `Map.merge/2`, `Map.update/4` or the `%{map | key: value}` update syntax applied to
`socket.assigns` or `assigns`.

## Why is this bad?
Change tracking only knows about changes made through `assign/2,3`, `assign_new/3` and `update/3`.
Changing the assigns map directly either does nothing (the socket is not updated) or re-renders without
knowing what changed.

## Example
```elixir
assigns = Map.put(assigns, :label, "Save")
```

## Use instead
```elixir
assigns = assign(assigns, :label, "Save")
```

## False positives
Other maps are not flagged, even when they are later assigned. A change is flagged only when its result
becomes the assigns again: bound back to `assigns`, or put back into the socket (`%{socket | assigns:
...}`). In `LiveComponent.update/2` the `assigns` argument is just the incoming map, and a changed copy
passed to a function (`points(Map.put(socket.assigns, :last, 0))`) or sent in a message is just a value. Values that cannot go stale are not flagged: a
literal constant, or a key re-derived from itself (`Map.put(assigns, :text, trim(assigns.text))`).

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="assigns_map_put", code="LV112", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="Assigns changed with Map functions: change tracking does not see it.",
    fix="Use assign/3, assign_new/3 or update/3.", cites="lifecycle#change-tracking-pitfalls",
)
TARGET = re.compile(r"^(socket\.assigns|assigns)$")


def _rebinds_assigns(node) -> bool:
    parent = node.parent
    while parent is not None and parent.type == "binary_operator" and text(parent.child_by_field_name("operator")) == "|>":
        parent = parent.parent
    if parent is None or parent.type != "binary_operator" or text(parent.child_by_field_name("operator")) != "=":
        return False
    return text(parent.child_by_field_name("left")).strip() == "assigns"


CONSTANTS = {"list", "string", "atom", "integer", "float", "nil", "boolean", "charlist", "quoted_atom"}


def _same_key_rederived(ctx, node, args) -> bool:
    """`Map.put(assigns, :text, format(assigns.text))`, or a local computed from `assigns.text` earlier in
    the same function: the key's own change already marks it changed."""
    key = text(args[1]).strip()
    if not re.fullmatch(r":\w+", key):
        return False
    reads_key = re.compile(r"(assigns\.|assigns\[:|@)" + re.escape(key[1:]) + r"\b")
    value = text(args[2]).strip()
    if reads_key.search(value):
        return True
    if re.fullmatch(r"[a-z_]\w*", value) and ctx.module is not None:
        for clause in ctx.module.clauses:
            if clause.node.start_byte <= node.start_byte < clause.node.end_byte:
                before = ctx.text.data[clause.node.start_byte:node.start_byte].decode("utf-8", "replace")
                return reads_key.search(before) is not None and re.search(rf"\b{value}\s*=", before) is not None
    return False


def _into_socket(node) -> bool:
    """The changed map is put back into the socket: `%{socket | assigns: ...}` or `Map.put(socket, :assigns, ...)`."""
    parent = node.parent
    while parent is not None:
        body = text(parent)[:80]
        if (parent.type == "map" and re.match(r"%\{\s*socket\s*\|", body)) or re.match(
                r"Map\.(put|merge)\(\s*socket\s*,\s*:assigns", body):
            return True
        parent = parent.parent
    return False


def _becomes_assigns(node) -> bool:
    """Only a change that becomes the assigns again is stale: bound back to `assigns` (a function component) or
    put back into the socket. A changed copy passed to a function or sent in a message is just a value."""
    return _rebinds_assigns(node) or _into_socket(node)


def check(ctx):
    for node, module, name in ctx.calls({"put", "merge", "update", "put_new"}):
        args = call_arguments(node)
        if module != "Map" or not args or not TARGET.match(text(args[0]).strip()):
            continue
        target = text(args[0]).strip()
        # The result must become the assigns again (a function component's rebound `assigns`, or the socket's);
        # in LiveComponent.update/2 `assigns` is just the incoming map, and a copy passed on is just a value.
        if not _becomes_assigns(node):
            continue
        # A function component's assigns are rebuilt on every render: a constant or a key re-derived from
        # itself cannot go stale there. (socket.assigns persist, so there any unmarked change is stale.)
        if target == "assigns" and name in ("put", "update", "put_new") and len(args) >= 3 and (
                _same_key_rederived(ctx, node, args) or args[2].type in CONSTANTS):
            continue
        yield hit(node, f"{code_span(f'Map.{name}')} on {code_span(target)} bypasses change tracking.")
    for node in ctx.nodes:
        if node.type == "map" and "|" in text(node)[:60]:
            body = text(node)
            match = re.match(r"%\{\s*(socket\.assigns|assigns)\s*\|", body)
            if match and _becomes_assigns(node):
                yield hit(node, f"{code_span(f'%{{{match.group(1)} | ...}}')} bypasses change tracking.")
