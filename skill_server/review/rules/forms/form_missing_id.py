"""## What it does
Flags a form (`<form>` or `<.form>`) with `phx-change` and no `id`.

## Why is this bad?
After a reconnect (a deploy, a network drop) LiveView recovers each form's input by re-sending it with
the form's `phx-change` event, and it needs the form's id to do so: without it the user's typing is lost.
LiveView 1.2's test helpers warn about such forms.

## Example
```heex
<.form for={@form} phx-change="validate" phx-submit="save">
```

## Use instead
```heex
<.form for={@form} id="post-form" phx-change="validate" phx-submit="save">
```

## False positives
Forms without `phx-change` are not recovered anyway and are not flagged.

## References
knowledge: forms#form-recovery-after-reconnects
"""

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="form_missing_id", code="LV501", family="forms", severity="warning", confidence="high",
    languages=("heex",), summary="A phx-change form without an id cannot be recovered after a reconnect.",
    fix="Give the form a unique, stable id.", cites="forms#form-recovery-after-reconnects",
)


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if element.tag in ("form", ".form") and element.has("phx-change") and not element.has("id"):
                yield element_hit(element, "This phx-change form has no id, so its input is lost on reconnect.")
