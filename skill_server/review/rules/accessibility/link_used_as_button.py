"""## What it does
Flags an `<a>` with `phx-click` and no real destination (`href="#"`, `href="javascript:..."` or no
`href`).

## Why is this bad?
Screen readers announce it as a link (which navigates) when it performs an action, it does not respond to
the Space key as a button does, and without an href it is not focusable at all. (LiveView prevents the
default navigation of a `phx-click` on `href="#"`, so the page does not jump; the semantics are the problem.)

## Example
```heex
<a href="#" phx-click="delete">Delete</a>
```

## Use instead
```heex
<button type="button" phx-click="delete">Delete</button>
```

## False positives
`<.link navigate>`/`patch` and links with a real href are navigation and are not flagged.

## Severity and confidence
Warning: the element announces itself wrongly and may navigate. High confidence for `href="#"` or no href with
an event.

## References
knowledge: accessibility#buttons-links-and-clickable-elements
"""

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="link_used_as_button", code="LV703", family="accessibility", severity="warning", confidence="high",
    languages=("heex",), summary="A link used as a button.",
    fix='Use <button type="button"> for actions.', cites="accessibility#buttons-links-and-clickable-elements",
)


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if element.tag != "a" or not element.has("phx-click"):
                continue
            href = element.attr("href")
            if href is None or (not href.is_expr and (href.value or "").strip() in ("", "#") ) \
                    or (not href.is_expr and (href.value or "").startswith("javascript:")):
                yield element_hit(element, "This `<a>` triggers an event instead of navigating.")
