"""## What it does
Flags a template that spreads the whole assigns map into a component (`<.card {assigns} />`).

## Why is this bad?
A component call whose attributes come from a spread of `assigns` cannot be change-tracked: LiveView
re-renders it, and re-sends what it renders, on every change to any assign of the parent.

## Example
```heex
<div class="card">
  <.card_header {assigns} />
  <.card_body {assigns} />
</div>
```

## Use instead
```heex
<div class="card">
  <.card_header title={@title} />
  <.card_body>{render_slot(@inner_block)}</.card_body>
</div>
```
If a child really needs everything, call it as a function, `{card_header(assigns)}`: the parent's
change-tracking information then reaches the child.

## False positives
`assigns.x` and `assigns[:x]` are tracked exactly like `@x` and are not flagged, nor are `render("child.html",
assigns)` and `{child(assigns)}`. A thin wrapper whose whole template is the one spread call loses little
(medium confidence), unless it is a LiveView's or LiveComponent's template handing its whole state to a
`.live_component` (every change runs the component's update/2 with all of it). Controller views and the root
layout are rendered once with no change tracking and are skipped.

## Severity and confidence
Warning: change tracking is lost (more re-rendering), the output stays right (except on 1.1.2,
where a spread of the whole assigns could render stale content; fixed in 1.1.3). High for spreads of the whole
assigns; medium for thin wrappers.

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="template_assigns_access", code="LV113", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A component call spreads all assigns, which defeats change tracking.",
    fix="Pass the attributes the child needs (title={@title}), or call it as a function: {child(assigns)}.",
    cites="lifecycle#change-tracking-pitfalls",
)
SPREAD = re.compile(r"\{\s*assigns\s*\}")


def check(ctx):
    if ctx.dead_rendered:
        return
    for template in ctx.templates:
        for element in template.elements:
            if not element.is_component:
                continue
            start_tag = element.text_content().split(">", 1)[0]
            if SPREAD.search(start_tag):
                # A function component that only forwards its own attrs loses little. A LiveView's or
                # LiveComponent's assigns are its whole state: a live component given them all runs update/2 with
                # every one of them on each change.
                stateful = ctx.module is not None and ctx.module.kind in ("live_view", "live_component")
                thin_wrapper = len(template.elements) == 1 and not (element.tag == ".live_component" and stateful)
                yield Hit(line=element.line, column=element.column,
                          message=f"{code_span(f'<{element.tag} {{assigns}}>')} passes every assign, so it re-renders on every change.",
                          confidence="medium" if thin_wrapper else None)
