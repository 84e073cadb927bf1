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
`div`/`span` wrapping a slot its callers fill (a dropdown trigger), or an empty overlay element. A table
component's row or cell whose click is its caller's function (`<td phx-click={@row_click && @row_click.(row)}>`,
the generator's `.table`) is medium too: it is clickable only where a caller passes one, and callers usually
give each row a Show link (judged debatable 17 times in 19 over three blind rounds).

## Severity and confidence
Warning: keyboard users cannot trigger the action. High without a role or key binding; medium when a keyboard
path is nearby.

## References
knowledge: accessibility#buttons-links-and-clickable-elements
"""

import re

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
                              "medium" if _keyboard_path_nearby(element) or _callers_row_click(element) else None)


# The click of a table component's row or cell is whatever its caller passes: `{@row_click &&
# @row_click.(row)}`, `{@row_click}`, `{@on_select.(item)}`.
CALLERS_CLICK = re.compile(r"\s{0,8}(?:@(\w{1,60})\s{0,8}&&\s{0,8}@\1\.\([^()]{0,120}\)|@\w{1,60}(?:\.\([^()]{0,120}\))?)\s{0,8}")


def _callers_row_click(element) -> bool:
    """A table component's row or cell clicked through its caller's function (the generator's `.table`): only
    callers that pass one make it clickable, and they usually give each row a Show link too."""
    click = element.attr("phx-click")
    return element.tag in ("td", "tr", "li") and click.is_expr and CALLERS_CLICK.fullmatch(click.value or "") is not None


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
