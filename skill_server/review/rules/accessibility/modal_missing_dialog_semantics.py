"""## What it does
Flags an element whose id names it a modal (`id="...modal"`) that is not a `<dialog>` and has no
`role="dialog"`/`"alertdialog"` and no `aria-modal`.

## Why is this bad?
Without dialog semantics, screen readers do not know a modal opened, keep reading the page behind it, and
do not announce its title.

## Example
```heex
<div id="confirm-modal" class="fixed inset-0">...</div>
```

## Use instead
```heex
<div id="confirm-modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">...</div>
```
or, in an app generated with Phoenix 1.7, its `<.modal>` core component (Phoenix 1.8 generates no modal).

## False positives
Medium confidence: the id may name a wrapper whose child carries the role (backdrops, containers); such
children are looked for.

## Severity and confidence
Warning, medium: the element may not be a modal at all.

## References
knowledge: accessibility#dialogs-and-focus
"""

import re

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="modal_missing_dialog_semantics", code="LV708", family="accessibility", severity="warning",
    confidence="medium", languages=("heex",), summary="A modal without dialog semantics.",
    fix='Use <dialog> or role="dialog" with aria-modal="true" and aria-labelledby.',
    cites="accessibility#dialogs-and-focus",
)
MODAL_ID = re.compile(r"(^|[-_])modal$")


def _dialog(element) -> bool:
    role = element.attr("role")
    return element.tag == "dialog" or element.has("aria-modal") or (
        role is not None and role.value in ("dialog", "alertdialog"))


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            element_id = element.attr("id")
            if element_id is None or element_id.is_expr or not MODAL_ID.search(element_id.value or ""):
                continue
            if element.is_component or _dialog(element) or any(_dialog(d) for d in element.descendants()):
                continue
            yield element_hit(element, f'#{element_id.value} looks like a modal but has no dialog semantics.')
