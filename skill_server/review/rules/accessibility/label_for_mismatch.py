"""## What it does
Flags `<label for="x">` when the template renders no element with `id="x"`.

## Why is this bad?
The label is not connected to any control: clicking it focuses nothing and screen readers do not read it
for the field. It usually means an id was renamed on one side only.

## Example
```heex
<label for="emial">Email</label>
<input type="email" id="email" name="email" />
```

## Use instead
Make `for` and the control's `id` equal.

## False positives
Ids rendered by Phoenix.HTML form helpers count as what they render: `{select(:report, :date_preset, ...)}`
renders `id="report_date_preset"`, `{text_input(f, :notes)}` and `<.input field={@form[:notes]} />` an id
ending in `_notes` (the form's id comes first), and `{label(f, :notes)}` a label for it. So
`<label for="report_date_preset">` beside that select is fine, while `<label for="date_preset">` or
`<label for="report_preset">` is reported. A bare field name (`for="notes"` beside `f`'s `:notes`) is the id
only when the form has no name (`to_form(params)` without `as:`): low. Only literal `for` values in complete templates are high
confidence, and only when every id is readable; where a component, a dynamic id or a helper call whose id
cannot be read may render the control, the finding is low confidence.

## Severity and confidence
Warning: the label names nothing. High when every id is literal or derived from a helper's form and field,
and in view; low when components, dynamic ids or unreadable helper calls may render it.

## References
knowledge: accessibility#labels-for-form-controls
"""

from ....sanitize import code_span
from ...form_fields import field_id_tail, rendered_ids
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="label_for_mismatch", code="LV705", family="accessibility", severity="warning", confidence="high",
    languages=("heex",), summary="A label points at an id that is not in the template.",
    fix="Use the control's id in the label's for attribute.", cites="accessibility#labels-for-form-controls",
)
# Components that render no labelled control of their own: a link, an icon, flash messages, the form itself (its
# hidden inputs need no label; the fields inside it are read one by one).
NO_CONTROLS = {".link", ".icon", ".live_title", ".flash", ".flash_group", ".header", ".error", ".focus_wrap", ".form",
               ".simple_form", ".inputs_for", ".button"}


def _label_targets(template):
    """(label element, for value) of each label with a literal for."""
    for element in template.elements:
        target = element.attr("for")
        if element.tag == "label" and target is not None and not target.is_expr and target.value:
            yield element, target.value


def check(ctx):
    for template in ctx.templates:
        ids = template.ids()
        unmatched = [(e, v) for e, v in _label_targets(template) if v not in ids]
        if not unmatched:
            continue
        controls, _ = rendered_ids(template)
        tails = {field_id_tail(e.attrs["id"].value or "") for e in template.elements
                 if "id" in e.attrs and e.attrs["id"].is_expr}
        controls.tails.update(t for t in tails if t)
        dynamic = None in tails or controls.unknown
        uses_components = any(e.is_component and not (e.has("field") or e.tag in NO_CONTROLS)
                              for e in template.elements)
        sure = template.complete or ctx.language == "heex"
        for element, value in unmatched:
            if controls.names(value):
                continue
            # `for="email"` beside `@form[:email].id`: right only if the form has no name (low).
            confidence = None if sure and not dynamic and not uses_components and not controls.bare(value) else "low"
            yield element_hit(element, "No element has " + code_span(f'id="{value}"') + ".", confidence)
