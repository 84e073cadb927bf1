"""## What it does
Flags a JS command `to: "#some-id"` in a complete template (a whole `.heex` file or the only `~H` of
`render/1`) that renders no element with that id and builds no ids dynamically.

## Why is this bad?
A selector that matches nothing makes the command silently do nothing: the panel never opens, the row
never fades.

## Example
```heex
<button phx-click={JS.show(to: "#detials")}>More</button>
<div id="details" class="hidden">...</div>
```

## Use instead
Fix the id, or use a relative target such as `{:closest, "li"}` (1.0+).

## False positives
The target may live in the layout or another component (modals, flash groups), so this is medium
confidence; templates with dynamic ids are skipped.

## Severity and confidence
Warning, medium: the command silently does nothing, but the id may be rendered by a component this template
calls.

## References
knowledge: optimistic-ui#relative-targets-with-closest-and-inner
"""

import re

from ...helpers import element_hit, js_commands
from ...rule import Rule

RULE = Rule(
    slug="js_selector_targets_missing_element", code="LV404", family="hooks", severity="warning",
    confidence="medium", languages=("heex",), summary="A JS command targets an id the template never renders.",
    fix="Point `to:` at an element that exists, or use a relative target.",
    cites="optimistic-ui#relative-targets-with-closest-and-inner",
)
TO_ID = re.compile(r'to:\s*"#([A-Za-z][\w-]*)"')


def check(ctx):
    for template in ctx.templates:
        if not template.complete or any(e.attrs["id"].is_expr for e in template.elements if "id" in e.attrs):
            continue
        ids = template.ids()
        for element in template.elements:
            for attr in element.attrs.values():
                if not attr.is_expr or "JS." not in (attr.value or ""):
                    continue
                for _, args in js_commands(attr.value):
                    for target in TO_ID.findall(args):
                        if target not in ids:
                            yield element_hit(element, f'to: "#{target}" matches no element in this template.')
