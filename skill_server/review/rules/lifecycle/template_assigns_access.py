"""## What it does
Flags templates that read `assigns.x` or `assigns[:x]`, or pass `assigns` whole to a component
(`<.card {assigns} />`).

## Why is this bad?
Change tracking follows `@x` references. Reading the assigns map directly, or handing it all to a child,
makes LiveView unable to tell what changed, so those parts re-render (and re-send) on every change.

## Example
```heex
<p>{assigns.title}</p>
<.card {assigns} />
```

## Use instead
```heex
<p>{@title}</p>
<.card title={@title} />
```

## False positives
Function components may read `assigns` in Elixir code before the template (e.g. `assign(assigns, ...)`);
only template expressions are checked.

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re

from ...rule import Hit, Rule

RULE = Rule(
    slug="template_assigns_access", code="LV113", family="lifecycle", severity="warning", confidence="high",
    languages=("heex",), summary="The template reads the assigns map directly, which defeats change tracking.",
    fix="Use @name in templates and pass explicit attributes to components.",
    cites="lifecycle#change-tracking-pitfalls",
)
ACCESS = re.compile(r"(?<![@\w.])assigns(\.\w|\[)")


def check(ctx):
    for template in ctx.templates:
        for node, expression in template.expressions():
            if ACCESS.search(expression):
                line, column = template.position(node)
                yield Hit(line=line, column=column, message="assigns accessed directly in the template.")
        for element in template.elements:
            if "{assigns}" in element.text_content().split(">")[0]:
                yield Hit(line=element.line, column=element.column, message="assigns passed whole to a component.")
