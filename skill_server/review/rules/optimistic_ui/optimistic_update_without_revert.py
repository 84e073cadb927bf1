"""## What it does
Flags a sticky optimistic JS change (`JS.add_class`, `JS.hide`, `JS.set_attribute` ...) chained with a
`JS.push` of an event whose `handle_event/3` has a failure path that neither pushes a revert event nor
re-renders the item.

## Why is this bad?
JS command changes stick across patches. When the server refuses the action, the row stays faded, hidden
or struck through, showing a state the server does not have. Stream items are not even re-rendered
unless re-inserted.

## Example
```heex
<button phx-click={JS.push("archive", value: %{id: card.id}) |> JS.add_class("opacity-50", to: "#card-#{card.id}")}>
```
```elixir
{:error, _} -> {:noreply, put_flash(socket, :error, "Could not archive")}
```

## Use instead
Use loading classes for the visual (`loading: "#card-1"` plus `phx-click-loading:opacity-50`), which
revert by themselves, or revert explicitly: `push_event(socket, "card:revert", %{id: ...})` handled by a
hook, or re-insert the item with `stream_insert/4`.

## False positives
A handler fails silently when it matches `{:error, _}` without reverting, or throws away the result of the
call doing its work (`Notifications.dismiss(user, id)` for `"dismiss"`, or a write such as
`Posts.update_post/2`; a bang function raises instead). Chains without a `JS.push` are client-only and need no
revert. When the handler is not in the reviewed
code, the finding is low confidence.

## Severity and confidence
Warning: the page can show a state the server refused until the next reload, but data is intact. High when the
chain pushes a mutation and sticks; low for chains whose failure path this file cannot see.

## References
knowledge: reverting-optimistic-changes#sticky-js-changes-versus-loading-classes
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_parts, text
from ...helpers import STICKY_COMMANDS, js_commands, pushes
from ...rule import Hit, Rule
from ...writes import stores

RULE = Rule(
    slug="optimistic_update_without_revert", code="LV201", family="optimistic_ui", severity="warning",
    confidence="high", languages=("elixir", "heex"),
    summary="A sticky optimistic change has no way back when the server refuses.",
    fix="Use loading classes, or push a revert event / re-insert the item on {:error, _}.",
    cites="reverting-optimistic-changes#sticky-js-changes-versus-loading-classes",
)
# Where a handler's failure path starts (`[ \t]*`, not `\s*`: a line start must not rescan blank lines).
FAILURE = re.compile(r"\{:error\b|^[ \t]*rescue\b|^[ \t]*catch\b", re.M)
REVERTS = re.compile(r"push_event|stream_insert|push_navigate|push_patch|redirect|assign\(")


def _handler_verdicts(ctx) -> dict[str, bool]:
    """Event name -> whether its handle_event has a failure path and none of its failure paths reverts (each
    clause read once, however many elements push the event)."""
    failing: dict[str, bool] = {}
    reverted: dict[str, bool] = {}
    for clause in ctx.module.clauses_of("handle_event", 3) if ctx.module is not None else []:
        if not clause.params:
            continue
        event, body = text(clause.params[0]).strip('"'), text(clause.body)
        failure = FAILURE.search(body)
        failing[event] = failing.get(event, False) or failure is not None or _drops_its_write(clause, event)
        reverted[event] = reverted.get(event, False) or (
            failure is not None and REVERTS.search(body, failure.end()) is not None)
    return {event: failing[event] and not reverted[event] for event in failing}


def _drops_its_write(clause, event: str) -> bool:
    """The handler throws away the result of the call that does its work (`Notifications.dismiss(user, id)` for
    "dismiss", or any write such as `Posts.update_post`): a failure is silent and nothing reverts the change."""
    if clause.body is None or clause.body.type not in ("do_block", "block"):
        return False
    action = event.replace("-", "_")
    statements = [c for c in clause.body.named_children if c.type != "comment"][:-1]
    for statement in statements:
        module, name = call_parts(statement)
        if module and name and module[:1].isupper() and (stores(module, name) or name.rstrip("!?") == action
                                                         or name.startswith(action + "_")):
            return not name.endswith("!")  # a bang raises instead
    return False


def check(ctx):
    verdicts = None
    for template in ctx.templates:
        for element in template.elements:
            for name, attr in element.attrs.items():
                if not attr.is_expr or "JS." not in (attr.value or ""):
                    continue
                commands = [c for c, _ in js_commands(attr.value)]
                events = [e for e, _ in pushes(attr.value) if e]
                if not events or not STICKY_COMMANDS.intersection(c for c in commands if c != "push"):
                    continue
                if set(commands) <= {"push", "transition"}:
                    continue  # a transition alone ends by itself
                if verdicts is None:
                    verdicts = _handler_verdicts(ctx)
                quoted = '"' + events[0] + '"'
                if events[0] not in verdicts:
                    yield Hit(line=attr.line, column=attr.column, confidence="low",
                              message=f"Sticky change with {code_span(f'JS.push({quoted})')}: make sure failures "
                                      "revert it.")
                elif verdicts[events[0]]:
                    yield Hit(line=attr.line, column=attr.column,
                              message=f"{code_span(quoted)} can fail, but the failure path leaves this sticky change.")
