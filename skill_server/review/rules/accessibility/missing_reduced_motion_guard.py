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
does not include this file, does not count. Keyframes no animation uses move nothing: in project review, a
`@keyframes` whose name neither this stylesheet's `animation`/`animation-name` rules nor any other project file
(a template's class or inline style, another stylesheet, the Tailwind config, an `animate-[name_1s]` class)
mentions is not counted. Reviewing a lone stylesheet, other files cannot be seen, so its keyframes count.

## Severity and confidence
Warning: movement can make some users ill; opacity fades are not flagged. High confidence for transforms and
slides with no guard.

## References
knowledge: accessibility#reduced-motion
"""

import re
from bisect import bisect_right

from ....brackets import bracket_index
from ...project_sources import covered_by_bundle_guard, keyframes_used
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
KEYFRAMES = re.compile(r"@keyframes\s+([\w-]+)\s*\{")
ANIMATION_VALUE = re.compile(r"animation(?:-name)?\s{0,20}:([^;{}]{0,400})")
MAX_KEYFRAME_NAMES = 64  # names looked up in the project's other files; more are taken as used


def _keyframe_spans(source: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every @keyframes block, brackets balanced (from the bracket index: one pass)."""
    return [(match.start(), bracket_index(source).closer.get(match.end() - 1, len(source)) + 1, match.group(1))
            for match in KEYFRAMES.finditer(source)]


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Starts and ends of the blocks, overlapping ones merged, ascending."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _unused_keyframes(ctx, spans) -> set[str]:
    """Keyframe names no animation uses. Only project review can tell: a name this stylesheet's own
    `animation` rules do not use may still be used by a template, another stylesheet or the Tailwind config."""
    if not spans or not ctx.project_root or not ctx.filename:
        return set()
    used_here = {word for match in ANIMATION_VALUE.finditer(ctx.source)
                 for word in re.findall(r"[\w-]+", match.group(1))}
    elsewhere = sorted({name for _, _, name in spans if name not in used_here})[:MAX_KEYFRAME_NAMES]
    return set(elsewhere) - keyframes_used(ctx.project_root, tuple(elsewhere)) if elsewhere else set()


def _moving_lines(ctx):
    """(line, is `transition: all`) for lines that may move something: a transform inside a @keyframes block
    some animation uses, or a transition of transforms. A static transform (a rotated icon, a translateZ(0)
    layer hint) moves nothing, and neither do keyframes no animation names."""
    spans = _keyframe_spans(ctx.source)
    unused = _unused_keyframes(ctx, spans)
    starts, ends = _merged([(a, b) for a, b, name in spans if name not in unused])
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
