"""## What it does
In project review, flags `phx-hook="Name"` on an element when the project's JavaScript shows every hook its
LiveSocket registers (`new LiveSocket("/live", Socket, {hooks: ...})` in `assets/`) and `Name` is not one of them.

## Why is this bad?
LiveView looks the name up in the `hooks` object given to the LiveSocket. A name it does not find only logs an
"unknown hook" error in the browser console: `mounted()` never runs, and the page waits for whatever the hook was
meant to do (draw a chart, push a "ready" event, start a scanner).

## Example
```javascript
let liveSocket = new LiveSocket("/live", Socket, {hooks: {...colocatedHooks}})
```
```heex
<div id="flow" phx-hook="FlowCanvas">Loading the canvas...</div>
```

## Use instead
```javascript
import FlowCanvas from "./hooks/flow_canvas"
let liveSocket = new LiveSocket("/live", Socket, {hooks: {...colocatedHooks, FlowCanvas}})
```

## False positives
Only judged when the files show the whole set: the `hooks` value is an object literal, a name declared in the same
file (with `Hooks.Name = ...` added later) or imported from a relative file and read there, or spreads of those.
A call (`getHooks(Components)`), a package's hooks, a parameter, a computed key, `Object.assign` or hooks added to
`liveSocket.hooks` later make the set unknown, and nothing is reported. Colocated hooks (`...colocatedHooks`)
register only dotted names, so a dotted `phx-hook=".Chart"` is never judged here (`colocated_hook_missing_dot`
checks those). Dynamic names (`phx-hook={@hook}`) and attributes given to a function component are not judged.
Outside project review (one file) the registered names are unknown.

## Severity and confidence
Error: the hook never runs. High confidence when every LiveSocket's hooks are read from the files. No harm class:
the browser console names the missing hook on the first visit.

## References
knowledge: js-hooks#unknown-hook-found-and-other-reasons-a-hook-never-runs
"""

from ....sanitize import code_span
from ...registered_hooks import registered_hook_names
from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_not_registered", code="LV409", family="hooks", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="phx-hook names a hook the LiveSocket does not register.",
    fix="Add the hook to the hooks object passed to new LiveSocket(...) in app.js, or fix the name.",
    cites="js-hooks#unknown-hook-found-and-other-reasons-a-hook-never-runs",
)


def check(ctx):
    if not ctx.project_root or "phx-hook" not in ctx.source:
        return
    registered = None
    for template in ctx.templates:
        for element in template.elements:
            hook = element.attr("phx-hook")
            if hook is None or hook.is_expr or element.is_component:
                continue
            name = (hook.value or "").strip()
            if not name or name.startswith(".") or not name.replace("_", "").replace("-", "").isalnum():
                continue
            if registered is None:
                registered = registered_hook_names(ctx.project_root)
                if registered is None:
                    return
            if name not in registered:
                known = ", ".join(sorted(registered)[:6]) + ("…" if len(registered) > 6 else "") or "none"
                yield Hit(line=hook.line, column=hook.column,
                          message=f"{code_span(f'phx-hook={chr(34)}{name}{chr(34)}')} names a hook the LiveSocket in "
                                  f"the project's JavaScript does not register (registered: {known}): it never runs.")
