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
confidence; templates with dynamic ids are skipped. In project review every file of the project is searched
instead: an id that no template, component or script names (other than as a `#id` selector), and that no
interpolated id could build from its prefix (`id={"log-#{@kind}"}`), is rendered by nothing: high. An id some
file names is left alone there.

## Severity and confidence
Warning, medium: the command silently does nothing, but the id may be rendered by a component this template
calls. High in project review when nothing in the project names the id.

## References
knowledge: optimistic-ui#relative-targets-with-closest-and-inner
"""

import re

from ...helpers import element_hit, js_commands
from ...project_ids import ids_named_in_project
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
        dynamic = any(e.attrs["id"].is_expr for e in template.elements if "id" in e.attrs)
        if not ctx.project_root and (not template.complete or dynamic):
            continue
        ids = template.ids()
        targets = [(element, target) for element in template.elements for attr in element.attrs.values()
                   if attr.is_expr and "JS." in (attr.value or "")
                   for _, args in js_commands(attr.value) for target in TO_ID.findall(args) if target not in ids]
        if not targets:
            continue
        # In project review, an id no file of the project names (other than as a `#id` selector) is rendered by
        # nothing: high. Otherwise it may live in the layout or a component: medium, only for whole templates
        # with fixed ids.
        named = ids_named_in_project(ctx.project_root, tuple(t for _, t in targets)) if ctx.project_root else None
        for element, target in targets:
            if named is not None and target not in named:
                yield element_hit(element, f'to: "#{target}" matches no element in this project.', "high")
            elif template.complete and not dynamic and named is None:
                yield element_hit(element, f'to: "#{target}" matches no element in this template.')
