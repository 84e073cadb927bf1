"""## What it does
Flags a stylesheet that animates movement (transforms in transitions or keyframes, `translate`, `scale`,
`rotate`) and has no `@media (prefers-reduced-motion: ...)` block.

## Why is this bad?
Motion can make people with vestibular disorders ill; operating systems let users ask for less of it,
and the page should honour that.

## Example
```css
.slide-out { transition: transform 300ms; transform: translateX(100%); }
```

## Use instead
```css
@media (prefers-reduced-motion: reduce) { .slide-out { transition: none; transform: none; } }
```

## False positives
Opacity-only fades are not motion and are not flagged, nor are stylesheets that never animate (no
`@keyframes`, `animation` or transition of `transform`/`all`): a static `transform` does not move.

## References
knowledge: accessibility#reduced-motion
"""

import re

from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_reduced_motion_guard", code="LV707", family="accessibility", severity="warning",
    confidence="high", languages=("css",), summary="Movement animations without a prefers-reduced-motion guard.",
    fix="Add @media (prefers-reduced-motion: reduce) that removes the movement.",
    cites="accessibility#reduced-motion",
)
MOTION = re.compile(r"((?<![-\w])transform\s*:|translate[XYZ3d]*\(|scale[XYZ3d]*\(|rotate[XYZ3d]*\(|animation\s*:)")


MOVING_TRANSITION = re.compile(r"transition(-property)?\s*:[^;]*\b(transform|all|translate|scale|rotate)\b")
ANIMATION = re.compile(r"@keyframes|\banimation(-name)?\s*:")


def check(ctx):
    if "prefers-reduced-motion" in ctx.source:
        return
    if not (ANIMATION.search(ctx.source) or MOVING_TRANSITION.search(ctx.source)):
        return  # static transforms (a mirrored icon, a positioned arrow) do not move
    for number, line in enumerate(ctx.lines, 1):
        stripped = line.strip()
        if stripped.startswith(("/*", "*")):
            continue
        if MOTION.search(line) and not re.search(r"transform\s*:\s*none", line):
            yield Hit(line=number, column=1, message="This animates movement with no reduced-motion alternative.")
            return
