"""## What it does
Flags the same data-loading call (same module and function) made in both `mount/3` and
`handle_params/3` without a `connected?` guard.

## Why is this bad?
Both callbacks run on the dead render and again when connected, so the load runs up to four times on the
first page view. Load it in `mount/3` if it does not depend on URL params, or in `handle_params/3` if it
does, not in both.

## Example
```elixir
def mount(_p, _s, socket), do: {:ok, assign(socket, :posts, Blog.list_posts())}
def handle_params(_p, _uri, socket), do: {:noreply, assign(socket, :posts, Blog.list_posts())}
```

## Use instead
Keep only the `handle_params/3` load when it depends on params that change with `push_patch`.

## False positives
Medium confidence: the second load may be deliberate (a filter that changes through patch).

## Severity and confidence
Info, medium: loading twice is wasteful, and both loads may be intended (the second refines the first).

## References
knowledge: lifecycle#where-data-loading-belongs
"""

from ....sanitize import code_span
from ...helpers import callback_clauses, clause_calls, hit, unguarded
from ...rule import Rule

RULE = Rule(
    slug="duplicate_load_mount_and_handle_params", code="LV105", family="lifecycle", severity="info",
    confidence="medium", languages=("elixir",),
    summary="The same data is loaded in mount/3 and handle_params/3, so it runs up to four times.",
    fix="Load it in one of the two: mount for static data, handle_params for data that depends on URL params.",
    cites="lifecycle#where-data-loading-belongs",
)
LOADERS = ("list_", "get_", "fetch_", "load_", "all", "search_")


def _loads(clauses):
    found = {}
    for clause in clauses:
        for node, module, name in clause_calls(clause):
            if module and module[:1].isupper() and name.startswith(LOADERS) and unguarded(node, clause):
                found.setdefault(f"{module}.{name}", node)
    return found


def check(ctx):
    in_mount = _loads(callback_clauses(ctx, "mount", 3))
    in_params = _loads(callback_clauses(ctx, "handle_params", 3))
    for key, node in in_params.items():
        if key in in_mount:
            yield hit(node, f"{code_span(key)} is also called in mount/3.")
