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

Phoenix's `<.link>` with `phx-click` and none of `href`, `navigate` or `patch` renders `<a href="#">`: the
same mistake written as a component.

## False positives
`<.link navigate>`/`patch` and links with a real href are navigation and are not flagged, nor is a `<.link>`
handed a dynamic attribute map (`<.link {@rest} phx-click=...>`), which may carry its destination. Phoenix's
generators write the row's Delete action as `<.link phx-click={JS.push("delete", ...)}>Delete</.link>`, so a
`<.link>` with no href that looks like a text link is medium (strict only); styled as a button (a `btn` or
`button` class) it is a button announced as a link, and high.

## Severity and confidence
Warning: the element announces itself wrongly and may navigate. High confidence for `href="#"` or no href with
an event on `<a>`, and on a `<.link>` given `href="#"` or a button's class; medium for a text-styled `<.link>`
with no href (the generators' Delete link).

## References
knowledge: accessibility#buttons-links-and-clickable-elements
"""

import re

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="link_used_as_button", code="LV703", family="accessibility", severity="warning", confidence="high",
    languages=("heex",), summary="A link used as a button.",
    fix='Use <button type="button"> for actions.', cites="accessibility#buttons-links-and-clickable-elements",
)


BUTTON_CLASS = re.compile(r"(?<![\w])(?:[\w-]{0,40}-)?(?:btn|button)(?![\w])")


def _dynamic_attributes(element) -> bool:
    """A `{@rest}`-style attribute map in the start tag: it may hold the link's destination."""
    start = next((c for c in element.node.children if c.type in ("start_component", "self_closing_component")), None)
    return start is not None and any(c.type == "expression" for c in start.children)


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if element.tag not in ("a", ".link") or not element.has("phx-click"):
                continue
            confidence = None
            if element.tag == ".link":
                if element.has("navigate") or element.has("patch") or _dynamic_attributes(element):
                    continue
                # The generators' own `<.link phx-click={JS.push("delete", ...)}>Delete</.link>` reads as a text link:
                # medium. Styled as a button (`class="btn ..."`), it is a button announced as a link: high.
                css = element.attr("class")
                if element.attr("href") is None and not (css is not None and BUTTON_CLASS.search(css.value or "")):
                    confidence = "medium"
            href = element.attr("href")
            if href is None or (not href.is_expr and (href.value or "").strip() in ("", "#") ) \
                    or (not href.is_expr and (href.value or "").startswith("javascript:")):
                yield element_hit(element, "This `<a>` triggers an event instead of navigating.", confidence)
