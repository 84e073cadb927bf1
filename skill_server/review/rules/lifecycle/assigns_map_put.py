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
Other maps are not flagged, even when they are later assigned.

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re

from ...elixir_tree import call_arguments, calls, text, walk
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="assigns_map_put", code="LV112", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="Assigns changed with Map functions: change tracking does not see it.",
    fix="Use assign/3, assign_new/3 or update/3.", cites="lifecycle#change-tracking-pitfalls",
)
TARGET = re.compile(r"^(socket\.assigns|assigns)$")


def check(ctx):
    for node, module, name in calls(ctx.root, {"put", "merge", "update", "put_new", "delete"}):
        args = call_arguments(node)
        if module == "Map" and args and TARGET.match(text(args[0]).strip()):
            yield hit(node, f"Map.{name} on {text(args[0]).strip()} bypasses change tracking.")
    for node in walk(ctx.root):
        if node.type == "map" and "|" in text(node)[:60]:
            body = text(node)
            match = re.match(r"%\{\s*(socket\.assigns|assigns)\s*\|", body)
            if match:
                yield hit(node, f"%{{{match.group(1)} | ...}} bypasses change tracking.")
