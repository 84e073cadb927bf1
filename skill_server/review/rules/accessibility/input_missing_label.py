"""## What it does
Flags an `input`, `select` or `textarea` that has no label: no `<label for>` naming its id, no wrapping
`<label>`, and no `aria-label`, `aria-labelledby` or `title`.

## Why is this bad?
Screen readers read an unlabeled field as just "edit text". Browsers fall back to a placeholder for the
name, but it is no label: it vanishes while typing and voice-control users cannot see a name to say.

## Example
```heex
<input type="text" name="q" placeholder="Search" />
```

## Use instead
```heex
<label for="q">Search</label>
<input type="text" id="q" name="q" />
```

## False positives
Hidden, submit, button and reset inputs need no label, nor do controls that are never displayed
(`hidden` attribute, `style="display: none"`, Tailwind's `hidden` class without a responsive
`md:block`-style override); one hidden only in some states (`hidden={not @editing}`, a class expression that adds
`hidden` conditionally) is displayed the rest of the time and is checked. A label rendered by a Phoenix.HTML
helper names the control whose id it derives:
`{label(f, :notes)}` labels `<textarea id="post_notes">` (any id ending in `_notes` for a form variable,
exactly `report_notes` for `label(:report, :notes)`). In fragments (not a whole template) the label may
be elsewhere, so those findings are medium confidence. The core components' `<.input>` is checked only when it
is given a `placeholder` and no `label` (nor `aria-label`, a `<label>` around it, or an attribute map that may hold
one): the generators' input renders a label only from `label`, and the placeholder stands in for it. That is
medium (strict only): Phoenix's own phx.gen.auth (1.7) wrote such an input on its password-reset pages.

## Severity and confidence
Warning: the control has no name for assistive technology. High in complete templates; medium in fragments
whose labels may be elsewhere, and for a core `<.input>` whose placeholder stands in for its label.

## References
knowledge: accessibility#labels-for-form-controls
"""

from ....sanitize import code_span
from ...form_fields import rendered_ids
from ...helpers import element_hit, never_displayed
from ...rule import Rule

RULE = Rule(
    slug="input_missing_label", code="LV704", family="accessibility", severity="warning", confidence="high",
    languages=("heex",), summary="A form control without a label.",
    fix="Add <label for={id}>, wrap it in <label>, or give it aria-label.",
    cites="accessibility#labels-for-form-controls",
)
UNLABELED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def _placeholder_for_label(element, label_targets) -> bool:
    """A core-components `<.input>` given a placeholder where its `label` goes: it renders no label (the generators'
    `label` defaults to nil). Not a hidden or button type, nor one named another way or inside a `<label>`."""
    if not element.has("placeholder") or element.has("label") or _dynamic_attributes(element):
        return False
    kind = element.attr("type")
    if kind is not None and not kind.is_expr and kind.value in UNLABELED_TYPES:
        return False
    if any(element.has(n) for n in ("aria-label", "aria-labelledby", "title")) or never_displayed(element):
        return False
    element_id = element.attr("id")
    if element_id is not None and element_id.value in label_targets:
        return False
    return not any(a.tag == "label" for a in element.ancestors())


def _dynamic_attributes(element) -> bool:
    """A `{@rest}`-style attribute map in the start tag: it may hold the label."""
    start = next((c for c in element.node.children if c.type in ("start_component", "self_closing_component")), None)
    return start is not None and any(c.type == "expression" for c in start.children)


def check(ctx):
    for template in ctx.templates:
        label_targets = {e.attr("for").value for e in template.elements if e.tag == "label" and e.has("for")}
        dynamic_labels = any(e.tag == "label" and e.has("for") and e.attr("for").is_expr for e in template.elements)
        helper_labels = None  # labels rendered by `label(f, :notes)`, read when a control needs them
        for element in template.elements:
            if element.tag == ".input":
                if _placeholder_for_label(element, label_targets):
                    # Medium: Phoenix's own phx.gen.auth (1.7) wrote `<.input field={@form[:email]} type="email"
                    # placeholder="Email" required />` on its reset pages, so the generators do not settle it.
                    yield element_hit(element, f"This {code_span('<.input>')} has a placeholder and no "
                                               f"{code_span('label')}: the placeholder is not a name.", "medium")
                continue
            if element.tag not in ("input", "select", "textarea"):
                continue
            kind = element.attr("type")
            if kind is not None and not kind.is_expr and kind.value in UNLABELED_TYPES:
                continue
            if any(element.has(n) for n in ("aria-label", "aria-labelledby", "title")) or never_displayed(element):
                continue
            if any(a.tag == "label" for a in element.ancestors()):
                continue
            element_id = element.attr("id")
            if element_id is not None and (element_id.value in label_targets or
                                           (element_id.is_expr and dynamic_labels)):
                continue
            if element_id is not None and not element_id.is_expr and element_id.value:
                if helper_labels is None:
                    helper_labels = rendered_ids(template)[1]
                if helper_labels.names(element_id.value) or helper_labels.bare(element_id.value):
                    continue
            confidence = None if template.complete or ctx.language == "heex" else "medium"
            if helper_labels is not None and helper_labels.unknown:
                confidence = "medium"
            if element_id is not None and element_id.is_expr and label_targets:
                confidence = "medium"
            yield element_hit(element, f"This {code_span(f'<{element.tag}>')} has no label.", confidence)
