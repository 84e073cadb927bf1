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
literals) are fine. A plain assign without a `?` could hold a string, so it is medium confidence, unless
the module (or the module beside a separate template) assigns it `true` or `false`.

## Severity and confidence
Warning: assistive technology gets the wrong state. High for values shaped like booleans; medium for other
expressions.

## References
knowledge: accessibility#aria-busy-and-boolean-aria-attributes
"""

import re
from functools import lru_cache

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="aria_boolean_bare_attribute", code="LV207", family="optimistic_ui", severity="warning",
    confidence="high", languages=("heex",), summary="A boolean renders as a bare ARIA attribute (or none).",
    fix='Render the string: aria-busy={to_string(@flag)}.',
    cites="accessibility#aria-busy-and-boolean-aria-attributes",
)
ARIA_STATES = ("aria-busy", "aria-expanded", "aria-pressed", "aria-checked", "aria-selected", "aria-hidden",
               "aria-disabled", "aria-invalid")
BOOLEAN_SHAPE = re.compile(r"\?\s*$|==|!=|>=|<=|\bnot\b|^!|\band\b|\bor\b|&&|\|\||\bin\b|\bis_\w+|\bhas_\w+|\.(done|active|open|loading|selected|checked|enabled|disabled|valid)\b")
# `saving: true` or `:saving, false`: a key the module assigns a boolean literal.
ASSIGNED_BOOLEAN = re.compile(r"\b([a-z_]\w*):\s*(?:true|false)\b|:([a-z_]\w*),\s*(?:true|false)\b")


def _assigned_boolean(ctx, expression: str) -> bool:
    """`@saving` where the module (or the module beside a separate template) assigns it true or false."""
    match = re.fullmatch(r"@([a-z_]\w*)", expression)
    if match is None:
        return False
    source = ctx.source if ctx.language == "elixir" else (ctx.companion_source or "")
    return match.group(1) in _boolean_keys(source)


@lru_cache(maxsize=4)
def _boolean_keys(source: str) -> frozenset[str]:
    """Keys assigned a boolean anywhere in the source: one scan per file, not one per attribute and unit."""
    return frozenset(m.group(1) or m.group(2) for m in ASSIGNED_BOOLEAN.finditer(source))


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
                boolean = BOOLEAN_SHAPE.search(expression) or expression in ("true", "false") or _assigned_boolean(
                    ctx, expression)
                confidence = None if boolean else "medium"
                yield Hit(line=attr.line, column=attr.column, confidence=confidence,
                          message=f"{code_span(f'{name}={{{expression}}}')} renders as a bare attribute or not at all.")
