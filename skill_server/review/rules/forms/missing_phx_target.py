"""## What it does
In a LiveComponent, flags elements that send an event the component itself handles (`handle_event/3`)
without `phx-target={@myself}` (or a `JS.push(..., target: @myself)`).

## Why is this bad?
Without a target, events go to the parent LiveView, which usually has no clause for them (a crash) or,
worse, handles a same-named event differently.

## Example
```heex
<form id="edit" phx-submit="save">...</form>
```

## Use instead
```heex
<form id="edit" phx-submit="save" phx-target={@myself}>...</form>
```

A separate template (`item_component.html.heex`) is checked against the LiveComponent module beside it when
project review can see it.

## False positives
Events the component does not handle (meant for the parent) are not flagged. A `phx-target` on an
enclosing form covers its inputs; a field's `phx-change` with no form around it in this template is
low confidence (strict only), since a helper's field is often rendered inside the component's form.

## Severity and confidence
Error, harm crash: the event goes to the parent, which usually has no clause for it. High when the element is
plainly in the component; a field whose form may be elsewhere is low.

## References
knowledge: forms#forms-inside-livecomponents
"""

from ...context import PUSH_RE
from ...helpers import element_hit, event_attrs
from ...rule import Rule

RULE = Rule(
    slug="missing_phx_target", code="LV503", family="forms", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="An event this LiveComponent handles is sent without phx-target={@myself}.",
    fix="Add phx-target={@myself} (or target: @myself in JS.push).", cites="forms#forms-inside-livecomponents",
    harm="crash",
)


FIELDS = {"input", "select", "textarea", ".input"}


def check(ctx):
    module = ctx.module or ctx.companion_module  # a separate template: the LiveComponent beside it (project review)
    if module is None or module.kind != "live_component":
        return
    handled = ctx.handled_events
    for template in ctx.templates:
        for element in template.elements:
            if element.has("phx-target") or any(a.has("phx-target") for a in element.ancestors()
                                                 if a.tag in ("form", ".form")):
                continue
            for binding, value, is_expr in event_attrs(element):
                names = PUSH_RE.findall(value) if is_expr else [value]
                if is_expr and "target:" in value:
                    continue
                if any(name in handled for name in names):
                    # A field's phx-change goes to its form's target; a field with no form around it here is
                    # often rendered inside one elsewhere (a helper called from the component's form).
                    loose_field = (binding == "phx-change" and element.tag in FIELDS
                                   and not any(a.tag in ("form", ".form") for a in element.ancestors()))
                    yield element_hit(element, f"{binding} sends an event this component handles, but to the parent.",
                                      "low" if loose_field else None)
                    break
