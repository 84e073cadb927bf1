"""## What it does
Flags a LiveView whose template shows a status or result message from an assign (`@status`, `@message`,
`@notice`, `@result`...) after events, with no live region (`aria-live`, `role="status"` or
`role="alert"`) anywhere in the template.

## Why is this bad?
Text that changes without a page load is silent for screen-reader users unless it sits in a live region.

## Example
```heex
<p>{@status}</p>
```

## Use instead
```heex
<p id="status" role="status" aria-live="polite">{@status}</p>
```

## False positives
Flash messages rendered by Phoenix's flash component already use `role="alert"`. Medium confidence: the
message may be announced by a region in a layout component.

## Severity and confidence
Info, medium: whether an update needs announcing is a design choice.

## References
knowledge: accessibility#announcing-results-with-a-live-region
"""

import re

from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_aria_live_region", code="LV706", family="accessibility", severity="info", confidence="medium",
    languages=("elixir",), summary="Status messages change without a live region to announce them.",
    fix='Render the message in an element with role="status" aria-live="polite" that is always present.',
    cites="accessibility#announcing-results-with-a-live-region",
)
STATUS = re.compile(r"@(status|status_message|message|notice|result|saved_message|feedback)\b")


def check(ctx):
    if ctx.module is None or ctx.module.kind != "live_view" or not ctx.handled_events:
        return
    for template in ctx.templates:
        if re.search(r"aria-live|role=\"(status|alert)\"", template.source):
            continue
        for node, expression in template.expressions():
            if STATUS.search(expression):
                line, column = template.position(node)
                yield Hit(line=line, column=column, message="This message changes after events but is not in a live region.")
                break
