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
Forms without `phx-change` are not recovered anyway and are not flagged, nor are forms whose only field
is a file input (a browser never refills one).

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


FIELD_TAGS = {"input", "select", "textarea", ".input", ".inputs_for", ".select", ".textarea", ".checkbox"}


def _upload_only(form) -> bool:
    """A form that only carries a file input: file inputs are never recovered, so an id changes nothing."""
    has_upload = False
    for element in form.descendants():
        kind = element.attr("type")
        if element.tag in (".live_file_input", "live_file_input") or (
                element.tag == "input" and kind is not None and kind.value == "file"):
            has_upload = True
        elif element.tag in FIELD_TAGS and not (kind is not None and kind.value in ("hidden", "submit")):
            return False
    return has_upload


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if element.tag in ("form", ".form") and element.has("phx-change") and not element.has("id"):
                if not _upload_only(element):
                    yield element_hit(element, "This phx-change form has no id, so its input is lost on reconnect.")
