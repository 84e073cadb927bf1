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
Only literal `for` values in complete templates with no dynamic ids are high confidence; elsewhere the
control may be rendered by a component, so the finding is low confidence.

## Severity and confidence
Warning: the label names nothing. High when every id is literal and in view; low when components or dynamic
ids may render it.

## References
knowledge: accessibility#labels-for-form-controls
"""

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="label_for_mismatch", code="LV705", family="accessibility", severity="warning", confidence="high",
    languages=("heex",), summary="A label points at an id that is not in the template.",
    fix="Use the control's id in the label's for attribute.", cites="accessibility#labels-for-form-controls",
)


def check(ctx):
    for template in ctx.templates:
        ids = template.ids()
        dynamic = any(e.attrs["id"].is_expr for e in template.elements if "id" in e.attrs)
        uses_components = any(e.is_component for e in template.elements)
        for element in template.elements:
            target = element.attr("for")
            if element.tag != "label" or target is None or target.is_expr or target.value in ids:
                continue
            sure = template.complete or ctx.language == "heex"
            confidence = None if sure and not dynamic and not uses_components else "low"
            yield element_hit(element, "No element has " + code_span(f'id="{target.value}"') + ".", confidence)
