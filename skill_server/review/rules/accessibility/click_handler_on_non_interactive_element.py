"""## What it does
Flags `phx-click` on a non-interactive element (`div`, `span`, `li`, `td`, `tr`, `p`, `img`, `section`,
`article`) that has no `role` and no `tabindex`.

## Why is this bad?
Keyboard users cannot focus or activate it, and screen readers do not announce it as a control.

## Example
```heex
<div phx-click="select" phx-value-id={@id}>{@name}</div>
```

## Use instead
```heex
<button type="button" phx-click="select" phx-value-id={@id}>{@name}</button>
```

## False positives
Backdrops marked `aria-hidden="true"` (a click-outside-to-close layer) are not flagged; their keyboard
path is the Escape key on the dialog. Where a keyboard path is likely nearby the finding is medium: a
nested button or link whose click bubbles up (a table row with a Show link), a wrapping `<label>`, a
`div`/`span` wrapping a slot its callers fill (a dropdown trigger), or an empty overlay element.

## Severity and confidence
Warning: keyboard users cannot trigger the action. High without a role or key binding; medium when a keyboard
path is nearby.

## References
knowledge: accessibility#buttons-links-and-clickable-elements
"""

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="click_handler_on_non_interactive_element", code="LV702", family="accessibility", severity="warning",
    confidence="high", languages=("heex",), summary="phx-click on an element keyboards cannot reach.",
    fix="Use a <button type=\"button\"> (or add role and tabindex plus key handling).",
    cites="accessibility#buttons-links-and-clickable-elements",
)
INTERACTIVE = {"button", "a", "input", "select", "textarea", ".button", ".link", "summary"}
NON_INTERACTIVE = {"div", "span", "li", "td", "tr", "p", "img", "section", "article", "ul", "i"}


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if element.tag not in NON_INTERACTIVE or not element.has("phx-click"):
                continue
            if element.has("role") or element.has("tabindex") or element.has("phx-keydown"):
                continue
            hidden = element.attr("aria-hidden")
            if hidden is not None and hidden.value == "true":
                continue
            yield element_hit(element, f"{code_span(f'<{element.tag} phx-click>')} cannot be reached or activated by keyboard.",
                              "medium" if _keyboard_path_nearby(element) else None)


def _keyboard_path_nearby(element) -> bool:
    """A nested button or link whose click bubbles up, a wrapping <label>, a div/span around a slot, or an
    empty overlay (a click-outside backdrop, usually paired with a close button and Escape)."""
    for child in element.descendants():
        if child.tag in INTERACTIVE:
            return True
    if any(ancestor.tag == "label" for ancestor in element.ancestors()):
        return True
    # A trigger wrapper (dropdown, popover) around a slot its callers fill, usually with a button. Table
    # cells rendering a column slot are not: their content is data.
    if element.tag in ("div", "span") and "render_slot(" in element.inner_source():
        return True
    return not element.children and not element.inner_source().strip()
