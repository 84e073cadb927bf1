"""## What it does
Flags ARIA state attributes (`aria-busy`, `aria-expanded`, `aria-pressed`, `aria-checked`,
`aria-selected`, `aria-hidden`, `aria-disabled`, `aria-invalid`) rendered from a boolean expression.

## Why is this bad?
HEEx renders `true` as a bare attribute (`aria-busy`, an empty value) and drops `false` entirely, but
ARIA needs the strings `"true"` and `"false"`: the state is never announced correctly.

## Example
```heex
<section aria-busy={@saving?}>
```

## Use instead
```heex
<section aria-busy={to_string(@saving?)}>
```

## False positives
Expressions that already produce strings (`to_string/1`, `if ..., do: "true", else: "false"`, string
literals) are fine. A plain assign without a `?` could hold a string, so it is medium confidence.

## References
knowledge: accessibility#aria-busy-and-boolean-aria-attributes
"""

import re

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="aria_boolean_bare_attribute", code="LV207", family="optimistic_ui", severity="warning",
    confidence="high", languages=("heex",), summary="A boolean renders as a bare ARIA attribute (or none).",
    fix='Render the string: aria-busy={to_string(@flag)}.',
    cites="accessibility#aria-busy-and-boolean-aria-attributes",
)
ARIA_STATES = ("aria-busy", "aria-expanded", "aria-pressed", "aria-checked", "aria-selected", "aria-hidden",
               "aria-disabled", "aria-invalid")
BOOLEAN_SHAPE = re.compile(r"\?\s*$|==|!=|>=|<=|\bnot\b|^!|\band\b|\bor\b|&&|\|\||\bin\b|\bis_\w+|\bhas_\w+|\.(done|active|open|loading|selected|checked|enabled|disabled|valid)\b")


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            for name in ARIA_STATES:
                attr = element.attr(name)
                if attr is None or not attr.is_expr:
                    continue
                expression = (attr.value or "").strip()
                if '"' in expression or "to_string" in expression or "Atom.to_string" in expression:
                    continue
                confidence = None if BOOLEAN_SHAPE.search(expression) or expression in ("true", "false") else "medium"
                yield element_hit(element, f"{code_span(f'{name}={{{expression}}}')} renders as a bare attribute or not at all.",
                                  confidence)
