"""## What it does
Flags `start_async` calls whose name is unique per request (it contains the query, a ref or a unique
integer, e.g. `{:search, query}`) for work that a newer request supersedes, when the module has no
`cancel_async` and no stale-result guard.

## Why is this bad?
A stable name (`:search`) makes LiveView ignore an older task's result when a newer one starts. Names
unique per request defeat that: every task's result arrives and is applied, so a slow old search can
overwrite the results of the newer one.

## Example
```elixir
start_async(socket, {:search, query}, fn -> Catalog.search(query) end)
```

## Use instead
```elixir
start_async(socket, :search, fn -> Catalog.search(query) end)
```

## False positives
Names per item (`{:create, temp_id}`, `{:load_row, id}`) are correct for independent work and are not
flagged; only query-like or ref-like names are.

## Severity and confidence
Warning: stale results can overwrite newer ones, visible but recoverable. High confidence when the name is
unique per request.

## References
knowledge: async-work#the-later-start-async-wins
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="start_async_superseded_not_cancelled", code="LV205", family="optimistic_ui", severity="warning",
    confidence="high", languages=("elixir",),
    summary="A start_async name unique per request lets stale results overwrite newer ones.",
    fix="Use one stable name (the later call wins), or cancel_async the previous one.",
    cites="async-work#the-later-start-async-wins",
)
PER_REQUEST = re.compile(r"\b(query|q|term|search|filter|text|input|value)\b|make_ref\(|unique_integer")


def check(ctx):
    if "cancel_async" in ctx.source:
        return
    for node, module, name in ctx.calls({"start_async"}):
        if module is not None:
            continue
        args = call_arguments(node)
        piped = node.parent is not None and node.parent.type == "binary_operator"
        name_arg = args[0] if piped else (args[1] if len(args) > 1 else None)
        if name_arg is not None and name_arg.type == "tuple" and PER_REQUEST.search(text(name_arg)):
            yield hit(node, f"The async name {code_span(text(name_arg))} differs per request, so stale results are not ignored.")
