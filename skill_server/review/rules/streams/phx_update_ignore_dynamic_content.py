"""## What it does
Flags assign-dependent markup (`@...` in text or attributes) inside the children of an element with
`phx-update="ignore"`.

## Why is this bad?
LiveView never patches the children of an ignored element after the first render, so those values are
frozen at their initial state, a bug that hides until the assign changes.

## Example
```heex
<div id="editor" phx-update="ignore"><span>{@word_count} words</span></div>
```

## Use instead
Move the dynamic part outside the ignored element, or send it to the hook with `push_event/3`.

## False positives
Attributes of the ignored element itself are still merged for `data-*`, and hook-owned elements often
read initial values on purpose, so findings under a `phx-hook` are medium confidence.

## References
knowledge: hooks-and-js-interop#hook-basics-and-the-id-requirement
"""

import re

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="phx_update_ignore_dynamic_content", code="LV304", family="streams", severity="warning",
    confidence="high", languages=("heex",), summary="Dynamic markup inside phx-update=\"ignore\" never updates.",
    fix="Move it outside the ignored element, or update it from the hook.",
    cites="hooks-and-js-interop#hook-basics-and-the-id-requirement",
)
ASSIGN = re.compile(r"@\w")


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            update = element.attr("phx-update")
            if update is None or update.value != "ignore":
                continue
            source = element.text_content()
            start, end = source.find(">"), source.rfind("</")
            inner = source[start + 1 : end] if end > start else ""
            if ASSIGN.search(inner):
                confidence = "medium" if element.has("phx-hook") else None
                yield element_hit(element, "Assign-dependent content inside phx-update=\"ignore\" will not update.",
                                  confidence)
