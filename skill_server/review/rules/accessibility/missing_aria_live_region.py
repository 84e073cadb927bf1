"""## What it does
Flags a LiveView whose template shows a status or result message from an assign (`@status`, `@message`,
`@notice`, `@result`...) after events, with no live region (`aria-live`, `role="status"` or
`role="alert"`) anywhere in the template. Also flags a flash component (an element that shows
`Phoenix.Flash.get(@flash, ...)` or `live_flash(@flash, ...)`) in a template with no live region: the generators'
flash carries `role="alert"`, and without it no flash message is announced.

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
Info, medium: whether an update needs announcing is a design choice. High for a flash component: flash messages
are the app's status channel, and announcing them is what the generators' `role="alert"` is for.

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


LIVE_REGION = re.compile(r"aria-live|role=\"(status|alert)\"")
FLASH_READ = re.compile(r"\bPhoenix\.Flash\.get\(\s{0,4}@flash\b|\blive_flash\(\s{0,4}@flash\b")


def _flash_without_region(ctx):
    """The element that shows a flash message (`:if={msg = Phoenix.Flash.get(@flash, @kind)}`), in a template with no
    live region anywhere."""
    for template in ctx.templates:
        if ("Flash.get" not in template.source and "live_flash" not in template.source) or \
                LIVE_REGION.search(template.source):
            continue
        for element in template.elements:
            if any(attr.is_expr and FLASH_READ.search((attr.value or "")[:400]) for attr in element.attrs.values()):
                yield Hit(line=element.line, column=element.column, end_line=element.end_line, confidence="high",
                          message='This flash message is in no live region: add role="alert" (or aria-live) so '
                                  "screen readers announce it.")
                break


def check(ctx):
    yield from _flash_without_region(ctx)
    if ctx.module is None or ctx.module.kind != "live_view" or not ctx.handled_events:
        return
    for template in ctx.templates:
        if LIVE_REGION.search(template.source):
            continue
        for node, expression in template.expressions():
            if STATUS.search(expression):
                line, column = template.position(node)
                yield Hit(line=line, column=column, message="This message changes after events but is not in a live region.")
                break
