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
Only movement counts: a transform inside `@keyframes`, or a `transition` of `transform`/`all`.
Opacity-only fades, keyframes that change colours or shadows, and static transforms (a rotated icon, a
`translateZ(0)` layer hint) are not flagged. In project review the guard may sit in another file of the same
bundle: a stylesheet is covered when every entry stylesheet that `@import`s it (directly or through other
imports) also imports a `@media (prefers-reduced-motion: reduce)` block that stops animations or transitions
on every element (`*, *::before, *::after { ... }`). A guard for some selectors only, or one in a bundle that
does not include this file, does not count.

## Severity and confidence
Warning: movement can make some users ill; opacity fades are not flagged. High confidence for transforms and
slides with no guard.

## References
knowledge: accessibility#reduced-motion
"""

import re
from bisect import bisect_right

from ....brackets import bracket_index
from ...project_sources import covered_by_bundle_guard
from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_reduced_motion_guard", code="LV707", family="accessibility", severity="warning",
    confidence="high", languages=("css",), summary="Movement animations without a prefers-reduced-motion guard.",
    fix="Add @media (prefers-reduced-motion: reduce) that removes the movement.",
    cites="accessibility#reduced-motion",
)
MOTION = re.compile(r"((?<![-\w])transform\s*:|translate[XYZ3d]*\(|scale[XYZ3d]*\(|rotate[XYZ3d]*\(|animation\s*:)")


TRANSITION = re.compile(r"transition(-property)?\s*:")
VALUE_END = re.compile(r"[;{}]|transition")  # a value ends at the next declaration (400 characters at most)
MOVES = re.compile(r"\b(transform|all|translate|scale|rotate)\b")
KEYFRAMES = re.compile(r"@keyframes\s+[\w-]+\s*\{")


def _keyframe_spans(source: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the @keyframes blocks (brackets balanced), overlapping ones merged, ascending."""
    starts: list[int] = []
    ends: list[int] = []
    for match in KEYFRAMES.finditer(source):
        end = bracket_index(source).closer.get(match.end() - 1, len(source)) + 1
        if ends and match.start() < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(match.start())
            ends.append(end)
    return starts, ends


def _moving_lines(ctx):
    """(line, is `transition: all`) for lines that may move something: a transform inside a @keyframes block,
    or a transition of transforms. A static transform (a rotated icon, a translateZ(0) layer hint) moves
    nothing."""
    starts, ends = _keyframe_spans(ctx.source)
    offset = 0
    for number, line in enumerate(ctx.lines, 1):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if stripped.startswith(("/*", "*")) or re.search(r"transform\s*:\s*none", line):
            continue
        block = bisect_right(starts, start) - 1
        in_keyframes = block >= 0 and start < ends[block]
        transition = _moving_transition(line)
        if in_keyframes and MOTION.search(line):
            yield number, False
        elif transition:
            yield number, transition.group(1) == "all"


def _moving_transition(line: str) -> re.Match | None:
    """The word that makes the line's first moving transition move (`transition: transform 200ms`)."""
    for match in TRANSITION.finditer(line):
        end = VALUE_END.search(line, match.end(), match.end() + 400)
        moves = MOVES.search(line, match.end(), end.start() if end else match.end() + 400)
        if moves:
            return moves
    return None


def check(ctx):
    if "prefers-reduced-motion" in ctx.source:
        return
    moving = list(_moving_lines(ctx))
    # `transition: all` moves something only if some rule changes a transform (a colour fade does not);
    # report the line that surely moves first.
    transforms = re.search(r"(?<![-\w])transform\s*:\s*(?!none)", ctx.source)
    sure = [n for n, only_all in moving if not only_all] or [n for n, only_all in moving if only_all and transforms]
    # In project review, a stylesheet that every bundle including it pairs with a guard for every element
    # (`@import "shared/reset.css"` holding `* { animation-duration: .01ms !important }`) is covered.
    if sure and ctx.project_root and ctx.path and covered_by_bundle_guard(ctx.project_root, ctx.path):
        return
    if sure:
        yield Hit(line=sure[0], column=1, message="This animates movement with no reduced-motion alternative.")
