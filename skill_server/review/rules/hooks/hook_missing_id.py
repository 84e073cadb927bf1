"""## What it does
Flags an element with `phx-hook` or `phx-update` and no `id`.

## Why is this bad?
LiveView finds hooked and specially patched elements by id across patches. Without one the hook's
callbacks do not run reliably and stream and ignore containers break. In a HEEx template it never gets that
far: every release from 0.20 to 1.2 refuses to compile a tag that has `phx-hook` or `phx-update` and no
`id` attribute.

## Example
```heex
<div phx-hook="Chart"></div>
```

## Use instead
```heex
<div id="revenue-chart" phx-hook="Chart" phx-update="ignore"></div>
```

## False positives
A dynamic id (`id={"chart-#{@id}"}`) counts as an id; an attribute spread (`{@rest}`, `{%{id: @id}}`)
may carry one, so those are low confidence (strict only).

## Severity and confidence
Error, harm crash: LiveView refuses to compile (or the hook never mounts) without an id. High when no id can
be there; an attribute spread that may carry one is low.

## References
knowledge: hooks-and-js-interop#hook-basics-and-the-id-requirement
"""

import re

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="hook_missing_id", code="LV401", family="hooks", severity="error", confidence="high",
    languages=("heex",), summary="phx-hook and phx-update need a unique DOM id.",
    fix="Give the element a unique, stable id.", cites="hooks-and-js-interop#hook-basics-and-the-id-requirement",
    harm="crash",
)


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            if (element.has("phx-hook") or element.has("phx-update")) and not element.has("id") \
                    and not element.is_component:
                which = "phx-hook" if element.has("phx-hook") else "phx-update"
                # `{@rest}` or `{%{id: @id}}` may carry the id: LiveView checks it at compile time anyway.
                # A spread stands alone (`<div {@rest}>`); `data-user={@user_id}` is an attribute's value.
                spread = re.search(r"(?<![=\w])\{\s*[@%]", element.text_content().split(">", 1)[0]) is not None
                yield element_hit(element, f"{code_span(f'<{element.tag}>')} has {which} but no id.", "low" if spread else None)
