"""## What it does
Flags a form containing `<.live_file_input>` that has no `phx-change` binding.

## Why is this bad?
Uploads are validated and their entries tracked through the form's change events. Without `phx-change`,
selected files never validate, progress never shows, and the submit finds no entries.

## Example
```heex
<.form for={@form} id="avatar" phx-submit="save"><.live_file_input upload={@uploads.avatar} /></.form>
```

## Use instead
```heex
<.form for={@form} id="avatar" phx-change="validate" phx-submit="save">
```

## False positives
A file input rendered by a child component counts when the component is handed the upload config
(`upload={@uploads.avatar}` or `uploads={@uploads}`). The `<.simple_form>` Phoenix 1.7 generates hands its
bindings to `<.form>`, so it is read like one; another form component of the app's (`<.settings_form for={@form}>`) is medium,
since its own markup might bind `phx-change`. None known otherwise: the uploads guide requires both bindings.

## Severity and confidence
Error: the upload never validates and the submit finds no entries. No harm class: the failure shows on the
first try in development. High confidence: the guides require both bindings; medium for an app's own form component.

## References
knowledge: forms#file-uploads-end-to-end
"""

import re

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="upload_form_missing_change", code="LV504", family="forms", severity="error", confidence="high",
    languages=("heex",), summary="An upload form without phx-change: entries never validate.",
    fix="Add phx-change (a handler that returns {:noreply, socket} is enough).",
    cites="forms#file-uploads-end-to-end",
)
UPLOAD_CONFIG = re.compile(r"^@uploads(\.\w+)?$")


def _uploads(element) -> bool:
    """A file input of LiveView's, or a component handed an upload config (`<.drop_zone upload={@uploads.x}>`,
    `uploads={@uploads}`) that renders one."""
    if element.tag in (".live_file_input", "live_file_input"):
        return True
    return element.is_component and any(
        attr.is_expr and UPLOAD_CONFIG.match((attr.value or "").strip()) for name, attr in element.attrs.items()
        if name in ("upload", "uploads", "upload_config", "file"))


# A form component wrapping `<.form>` and handing it the bindings: the generators' `<.simple_form>` (certain), or
# another `<.*_form for={...}>` of the app's (medium: its own markup, not visible here, might bind phx-change).
WRAPPED_FORM = re.compile(r"\.\w{1,40}_form")


def _form_confidence(element) -> tuple[bool, str | None]:
    if element.tag in ("form", ".form", ".simple_form"):
        return True, None
    if WRAPPED_FORM.fullmatch(element.tag) and element.has("for"):
        return True, "medium"
    return False, None


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            is_form, confidence = _form_confidence(element)
            if is_form and not element.has("phx-change") and any(_uploads(d) for d in element.descendants()):
                yield element_hit(element, "This form uploads files but has no phx-change.", confidence)
