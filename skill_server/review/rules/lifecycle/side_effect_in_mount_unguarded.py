"""## What it does
Flags writes and broadcasts in `mount/3` that are not inside a `connected?(socket)` branch.

## Why is this bad?
`mount/3` runs for the dead HTTP render and again when the socket connects, so an unguarded insert,
update or broadcast happens twice per page view (and on every reconnect).

## Example
```elixir
def mount(_params, _session, socket) do
  Analytics.record_view!(socket.assigns.current_scope)
  {:ok, socket}
end
```

## Use instead
```elixir
if connected?(socket), do: Analytics.record_view!(socket.assigns.current_scope)
```

## False positives
`Repo` writes and broadcasts are high confidence. Context functions whose names start with `create_`,
`update_`, `delete_`, `insert_` or `record_` are medium: some are idempotent by design.

## Severity and confidence
Warning: a write that runs twice duplicates rows or messages but rarely loses anything. High for Repo writes
and broadcasts; medium for functions that only look like writes.

## References
knowledge: lifecycle#connected-1-for-side-effects
"""

import re

from ....sanitize import code_span
from ...helpers import callback_clauses, clause_calls, hit, unguarded
from ...rule import Rule

RULE = Rule(
    slug="side_effect_in_mount_unguarded", code="LV103", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="A write or broadcast in mount/3 also runs on the dead render.",
    fix="Move it under `if connected?(socket)` (or into an event handler).",
    cites="lifecycle#connected-1-for-side-effects",
)
REPO_WRITES = {"insert", "insert!", "update", "update!", "delete", "delete!", "insert_all", "update_all",
               "delete_all", "insert_or_update", "insert_or_update!"}
CONTEXT_WRITE = re.compile(r"^(create|update|delete|insert|record|increment|mark)_")


def check(ctx):
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause):
            if module is None or not unguarded(node, clause):
                continue
            if module.endswith("Repo") and name in REPO_WRITES:
                yield hit(node, f"{code_span(f'{module}.{name}')} runs on the dead render and again when connected.")
            elif name in ("broadcast", "broadcast!", "broadcast_from") and ("PubSub" in module or "Endpoint" in module):
                yield hit(node, "This broadcast runs on the dead render and again when connected.")
            elif CONTEXT_WRITE.match(name):
                yield hit(node, f"{code_span(f'{module}.{name}')} looks like a write and runs on both renders.", confidence="medium")
