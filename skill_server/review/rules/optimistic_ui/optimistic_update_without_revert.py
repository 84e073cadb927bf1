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
Chains without a `JS.push` are client-only and need no revert. When the handler is not in the reviewed
code, the finding is low confidence.

## References
knowledge: reverting-optimistic-changes#sticky-js-changes-versus-loading-classes
"""

import re

from ....sanitize import code_span
from ...elixir_tree import text
from ...helpers import STICKY_COMMANDS, element_hit, js_commands, pushes
from ...rule import Rule

RULE = Rule(
    slug="optimistic_update_without_revert", code="LV201", family="optimistic_ui", severity="warning",
    confidence="high", languages=("elixir", "heex"),
    summary="A sticky optimistic change has no way back when the server refuses.",
    fix="Use loading classes, or push a revert event / re-insert the item on {:error, _}.",
    cites="reverting-optimistic-changes#sticky-js-changes-versus-loading-classes",
)
REVERTS = re.compile(r"push_event|stream_insert|push_navigate|push_patch|redirect|assign\(")


def _handler_bodies(ctx, event):
    if ctx.module is None:
        return None
    bodies = [text(c.body) for c in ctx.module.clauses_of("handle_event", 3)
              if c.params and text(c.params[0]).strip('"') == event]
    return bodies or None


def check(ctx):
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
                bodies = _handler_bodies(ctx, events[0])
                if bodies is None:
                    yield element_hit(element, "Sticky change with " + code_span(f'JS.push("{events[0]}")') + ": make sure failures revert it.",
                                      confidence="low")
                    continue
                failing = [b for b in bodies if "{:error" in b]
                if failing and not any(REVERTS.search(b.split("{:error", 1)[1]) for b in failing):
                    yield element_hit(element, code_span(f'"{events[0]}"') + " can fail, but the failure path leaves this sticky change.")
