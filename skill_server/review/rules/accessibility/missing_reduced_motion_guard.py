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

from ...project_sources import covered_by_bundle_guard, keyframes_used
from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_reduced_motion_guard", code="LV707", family="accessibility", severity="warning",
    confidence="high", languages=("css",), summary="Movement animations without a prefers-reduced-motion guard.",
    fix="Add @media (prefers-reduced-motion: reduce) that removes the movement.",
    cites="accessibility#reduced-motion",
)
MOTION = re.compile(r"((?<![-\w])transform\s*:|translate[XYZ3d]*\(|scale[XYZ3d]*\(|rotate[XYZ3d]*\(|animation\s*:)")


MOVING_TRANSITION = re.compile(r"transition(-property)?\s*:[^;]*\b(transform|all|translate|scale|rotate)\b")
KEYFRAMES = re.compile(r"@keyframes\s+([\w-]+)\s*\{")
ANIMATION_VALUE = re.compile(r"animation(?:-name)?\s{0,20}:([^;{}]{0,400})")


def _keyframe_spans(source: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every @keyframes block, braces balanced."""
    spans = []
    for match in KEYFRAMES.finditer(source):
        depth, index = 1, match.end()
        while index < len(source) and depth:
            depth += {"{": 1, "}": -1}.get(source[index], 0)
            index += 1
        spans.append((match.start(), index, match.group(1)))
    return spans


def _unused_keyframes(ctx, spans) -> set[str]:
    """Keyframe names no animation uses. Only project review can tell: a name this stylesheet's own
    `animation` rules do not use may still be used by a template, another stylesheet or the Tailwind config."""
    if not spans or not ctx.project_root or not ctx.filename:
        return set()
    used_here = {word for match in ANIMATION_VALUE.finditer(ctx.source)
                 for word in re.findall(r"[\w-]+", match.group(1))}
    elsewhere = [name for _, _, name in spans if name not in used_here]
    return set(elsewhere) - keyframes_used(ctx.project_root, tuple(elsewhere)) if elsewhere else set()


def _moving_lines(ctx):
    """(line, is `transition: all`) for lines that may move something: a transform inside a @keyframes block
    some animation uses, or a transition of transforms. A static transform (a rotated icon, a translateZ(0)
    layer hint) moves nothing, and neither do keyframes no animation names."""
    spans = _keyframe_spans(ctx.source)
    unused = _unused_keyframes(ctx, spans)
    spans = [(a, b) for a, b, name in spans if name not in unused]
    offset = 0
    for number, line in enumerate(ctx.lines, 1):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if stripped.startswith(("/*", "*")) or re.search(r"transform\s*:\s*none", line):
            continue
        in_keyframes = any(a <= start < b for a, b in spans)
        transition = MOVING_TRANSITION.search(line)
        if in_keyframes and MOTION.search(line):
            yield number, False
        elif transition:
            yield number, transition.group(2) == "all"


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
    if sure and ctx.project_root and ctx.filename and covered_by_bundle_guard(ctx.project_root, ctx.filename):
        return
    if sure:
        yield Hit(line=sure[0], column=1, message="This animates movement with no reduced-motion alternative.")
