"""## What it does
Flags `JS.transition`, `JS.hide`, `JS.show`, `JS.toggle`, `JS.add_class`, `JS.remove_class` and
`JS.toggle_class` whose transition classes include a Tailwind `duration-N` while `time:` is missing (it
defaults to 200 ms) or differs from N.

## Why is this bad?
`time:` is how long LiveView waits before removing the transition classes and, for `phx-remove` and
`JS.hide`, before removing or hiding the element. With `duration-300` and the default 200 ms the element
disappears two thirds of the way through the fade, with a third of it still to run; with a longer `time:` patches wait for nothing.

## Example
```elixir
JS.hide(transition: {"transition-opacity duration-300", "opacity-100", "opacity-0"})
```

## Use instead
```elixir
JS.hide(transition: {"transition-opacity duration-300", "opacity-100", "opacity-0"}, time: 300)
```

## False positives
`duration-200` without `time:` matches the default and is not flagged. A `time:` longer than the
animation only holds the end state: 100 ms more at most (`duration-100` with the 200 ms default), or with
`blocking: false`, that is medium
confidence. A `duration-N` among the plain classes of `JS.add_class`/`remove_class`/`toggle_class` (no
`transition:`) is not timed by `time:` and is not flagged. Durations set in CSS files are not visible here.

## Severity and confidence
Warning: a clipped or lingering animation, a visual defect. High for a clear mismatch; medium when it is only
a few milliseconds.

## References
knowledge: removal-animations#matching-time-to-the-css-duration
"""

import re

from ...helpers import balanced_args, module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="transition_time_mismatch", code="LV204", family="optimistic_ui", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="time: does not match the duration-N transition class.",
    fix="Set time: to the same number of milliseconds as the duration-N class.",
    cites="removal-animations#matching-time-to-the-css-duration",
)
COMMAND = re.compile(r"\bJS\.(transition|hide|show|toggle|add_class|remove_class|toggle_class)\(")
DURATION = re.compile(r"\bduration-([0-9]{1,6})\b")
TIME = re.compile(r"\btime:\s*([0-9][0-9_]{0,8})\b")
HELD_NOTICEABLE_MS = 100
CLASS_COMMANDS = {"add_class", "remove_class", "toggle_class"}


def check(ctx):
    for match, line in module_text_calls(ctx, COMMAND):
        args = balanced_args(ctx.source, match.end() - 1)
        if match.group(1) in CLASS_COMMANDS and "transition:" not in args:
            continue  # a duration-N among plain classes is not timed by time:, only a transition: is
        durations = {int(d) for d in DURATION.findall(args)}
        if len(durations) != 1:
            continue
        duration = durations.pop()
        time = TIME.search(args)
        value = int(time.group(1).replace("_", "")) if time else 200
        if value == duration:
            continue
        what = f"time: {value}" if time else "no time: (200 ms default)"
        if value < duration:
            yield Hit(line=line, column=1, message=f"duration-{duration} with {what}: the animation is cut off.")
        else:
            # Held past the animation: the end state lingers (and the UI waits, if blocking). A short hold or
            # a non-blocking one is barely visible.
            slight = value - duration <= HELD_NOTICEABLE_MS or re.search(r"\bblocking:\s*false", args)
            yield Hit(line=line, column=1, message=f"duration-{duration} with {what}: the end state is held "
                      f"{value - duration} ms after the animation.", confidence="medium" if slight else None)
