"""## What it does
Flags LiveView APIs that are deprecated or removed in the target version: `phx-update="append"`/
`"prepend"` (deprecated 0.20.2), `phx-feedback-for`, `phx-feedback-group` and the `phx-no-feedback` class
(removed 1.0), the `phx-page-loading` attribute (removed 1.0), `phx-capture-click` (removed 0.20.15),
`live_redirect`/`live_patch`/`push_redirect`/`live_title_tag`/`live_flash` and `live_component/2,3`.

## Why is this bad?
Removed APIs silently do nothing (the client ignores unknown attributes), so error feedback or loading
indicators quietly stop working after an upgrade; deprecated ones warn and will be removed.

## Example
```heex
<div phx-feedback-for={@form[:email].name}>...</div>
```

## Use instead
Filter errors with `used_input?/1` (1.0+); use streams for append/prepend; `<.link navigate/patch>` and
`push_navigate/2`; `JS.push(event, page_loading: true)`; `phx-click-away`.

## False positives
The target version decides: on 0.20 `phx-feedback-for` is the right tool and is not flagged. Pass
`liveview_version` (or review a project with mix.lock) for accurate results.

## Severity and confidence
Warning: deprecated APIs still work; removed attributes silently do nothing. High confidence: the target
version decides, from the API manifest.

## References
knowledge: references/release-history#upgrade-checklist-by-topic
"""

import re

from ....versions import Version
from ...helpers import module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="deprecated_liveview_api", code="LV305", family="streams", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="An API that is deprecated or removed in this LiveView version.",
    fix="Replace it with its successor (see the message).", cites="release-history#upgrade-checklist-by-topic",
)
# (pattern, first version where it is deprecated or removed, message)
CHECKS = (
    (re.compile(r'phx-update=(?:"|\{")?(append|prepend)'), Version(0, 20, 2),
     'phx-update="{0}" is deprecated since 0.20.2; use a stream (at: 0 to prepend).'),
    (re.compile(r"\bphx-feedback-for\b"), Version(1, 0, 0),
     "phx-feedback-for was removed in LiveView 1.0; filter errors with used_input?/1."),
    (re.compile(r"\bphx-feedback-group\b"), Version(1, 0, 0),
     "phx-feedback-group was removed in LiveView 1.0; use used_input?/1."),
    (re.compile(r"\bphx-no-feedback\b"), Version(1, 0, 0),
     "The phx-no-feedback class is gone since LiveView 1.0; filter errors with used_input?/1."),
    (re.compile(r"\bphx-page-loading\b"), Version(1, 0, 0),
     "The phx-page-loading attribute was removed in 1.0; use JS.push(event, page_loading: true)."),
    (re.compile(r"\bphx-capture-click\b"), Version(0, 20, 15),
     "phx-capture-click was removed in 0.20.15; use phx-click-away."),
    (re.compile(r"(?<![.\w])(live_redirect|live_patch)\("), Version(0, 20, 0),
     "{0} is deprecated; use <.link navigate/patch> in templates and push_navigate/push_patch in code."),
    (re.compile(r"(?<![.\w])(push_redirect)\("), Version(0, 20, 0), "push_redirect is deprecated; use push_navigate/2."),
    (re.compile(r"(?<![.\w])(live_title_tag)\("), Version(0, 20, 0), "live_title_tag is deprecated; use <.live_title>."),
    (re.compile(r"(?<![.\w])(live_flash)\("), Version(0, 20, 15),
     "live_flash is deprecated; use Phoenix.Flash.get/2."),
    (re.compile(r"(?<![.\w<])(live_component)\(\s*@?\w"), Version(0, 20, 15),
     "live_component/2,3 was removed in 0.20.15; use <.live_component module={...} id=...>."),
)


def check(ctx):
    for pattern, since, message in CHECKS:
        if ctx.version < since:
            continue
        for match, line in module_text_calls(ctx, pattern):
            first = match.group(1) if match.groups() else ""
            yield Hit(line=line, column=1, message=message.format(first))
