"""## What it does
Flags a LiveComponent that handles no events and keeps no state of its own (no `handle_event/3`, no
`mount/1`, and an `update/2` that only copies the given assigns, or none).

## Why is this bad?
Each LiveComponent costs server memory and diffing work for its state. Without events or state of its
own, a function component renders the same markup for free.

## Example
```elixir
defmodule MyAppWeb.Badge do
  use MyAppWeb, :live_component
  def render(assigns), do: ~H"<span>{@label}</span>"
end
```

## Use instead
```elixir
attr :label, :string, required: true
def badge(assigns), do: ~H"<span>{@label}</span>"
```

## False positives
Components that receive `send_update/2` messages or use `handle_async/3` keep state; they are not flagged
when they define those callbacks. Medium confidence: the module may grow events later.

## Severity and confidence
Info, medium: a design suggestion; the component may gain state later.

## References
knowledge: lifecycle#livecomponents-cost-more-than-function-components
"""

from ...elixir_tree import text
from ...rule import Hit, Rule

RULE = Rule(
    slug="stateless_live_component", code="LV111", family="lifecycle", severity="info", confidence="medium",
    languages=("elixir",), summary="A LiveComponent with no events or state: a function component would do.",
    fix="Turn it into a function component (attr/slot plus a function).",
    cites="lifecycle#livecomponents-cost-more-than-function-components",
)


def check(ctx):
    module = ctx.module
    if module is None or module.kind != "live_component":
        return
    names = {c.name for c in module.clauses}
    if names & {"handle_event", "mount", "handle_async", "update_many"}:
        return
    updates = module.clauses_of("update", 2)
    if any("assign(" in text(c.body).replace("assign(assigns)", "") or "stream" in text(c.body) for c in updates):
        return
    yield Hit(line=module.root.start_point[0] + 1, column=1, message="This LiveComponent has no events or state.")
