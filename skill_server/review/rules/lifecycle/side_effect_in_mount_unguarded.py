"""## What it does
Flags writes and broadcasts in `mount/3` that are not inside a `connected?(socket)` branch. A local helper
`mount/3` calls outside `connected?` is read one level down (`|> setup_tracking()`), and a `with` clause
calling `connected?` guards what follows it. `Presence.track` (and `track_*` of a Presence module) in the
dead render tracks a process that is gone once the page connects.

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
`Repo` writes, broadcasts and Presence tracking are high confidence. Context functions whose names start with
`create_`, `update_`, `delete_`, `insert_`, `record_`, `increment_`, `mark_`, `log_`, `track_`, `register_` or
`enqueue_` are high when called for their effect alone (a statement whose result is thrown away) and medium when
the result is used: some are idempotent by design (a get-or-create).

## Severity and confidence
Warning: a write that runs twice duplicates rows or messages but rarely loses anything. High for Repo writes,
broadcasts, Presence tracking and write-named calls made for their effect alone; medium for functions that only
look like writes and whose result is used.

## References
knowledge: lifecycle#connected-1-for-side-effects
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments
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
CONTEXT_WRITE = re.compile(r"^(create|update|delete|insert|record|increment|mark|log|track|register|enqueue)_")


def check(ctx):
    functions = ctx.module.functions() if ctx.module is not None else {}
    followed = set()
    for clause in callback_clauses(ctx, "mount", 3):
        statements = _statements(clause)
        for node, module, name in clause_calls(clause):
            if module is None:
                helper = _helper(functions, name, node)
                if helper is None or helper in followed or name == "mount" or not unguarded(node, clause):
                    continue
                # A local helper mount calls unguarded (`|> track_viewer()`): its writes run on the dead render
                # too, unless it checks connected? itself (one level).
                followed.add(helper)
                for helper_clause in functions[helper]:
                    inner_statements = _statements(helper_clause)
                    for inner, inner_module, inner_name in clause_calls(helper_clause):
                        if inner_module is not None and unguarded(inner, helper_clause):
                            yield from _writes(inner, inner_module, inner_name, inner_statements, " (from mount/3)")
                continue
            if unguarded(node, clause):
                yield from _writes(node, module, name, statements, "")


def _helper(functions, name, node):
    """The (name, arity) of this module's function a local call reaches: one more argument when piped into."""
    count = len(call_arguments(node))
    for key in ((name, count), (name, count + 1)):
        if key in functions:
            return key
    return None


def _statements(clause) -> set[int]:
    """Start bytes of the calls standing alone in the clause body: their result is thrown away, so they are made for
    their effect."""
    body = clause.body
    if body is None:
        return set()
    return {child.start_byte for child in body.named_children if child.type == "call"} | (
        {body.start_byte} if body.type == "call" else set())


def _writes(node, module, name, statements, where):
    if module.endswith("Repo") and name in REPO_WRITES:
        yield hit(node, f"{code_span(f'{module}.{name}')}{where} runs on the dead render and again when connected.")
    elif name in ("broadcast", "broadcast!", "broadcast_from") and ("PubSub" in module or "Endpoint" in module):
        yield hit(node, f"This broadcast{where} runs on the dead render and again when connected.")
    elif module.endswith("Presence") and (name == "track" or name.startswith("track_")):
        yield hit(node, f"{code_span(f'{module}.{name}')}{where} tracks the dead render's process too: a viewer that "
                        "is gone once the page connects.")
    elif CONTEXT_WRITE.match(name):
        # Called for its effect alone (the result thrown away) it is a write; a result kept may be a get-or-create.
        discarded = node.start_byte in statements
        yield hit(node, f"{code_span(f'{module}.{name}')}{where} looks like a write and runs on both renders.",
                  confidence=None if discarded else "medium")
