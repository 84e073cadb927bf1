"""## What it does
Flags `Process.send_after/3` used to delay a removal (the delayed message's `handle_info/2` calls
`stream_delete`, `stream_delete_by_dom_id` or removes the item) in a module whose transitions declare a
different duration, and flags the delay pattern itself when the durations match.

## Why is this bad?
JS transitions are blocking: patches wait for them, so a fast reply cannot cut a fade short, and the
server does not need to wait. A server-side delay makes the row linger on slow connections, is lost if
the LiveView crashes or navigates, breaks tests that assert the row is gone, and drifts from the CSS
duration. `phx-remove` runs the animation when the element is removed.

## Example
```elixir
def handle_event("delete", %{"id" => id}, socket) do
  Process.send_after(self(), {:remove, id}, 500)
  {:noreply, socket}
end
```

## Use instead
```heex
<li id={dom_id} phx-remove={JS.hide(transition: {"duration-300", "opacity-100", "opacity-0"}, time: 300)}>
```
and call `stream_delete/3` right away.

## False positives
Undo windows also use `send_after` before deleting; they are medium confidence when no transition is in
the module and no comment beside the call says the delay waits for an animation (`# let it fade out`),
and not flagged when the delay is longer than 2 s.

## Severity and confidence
Warning: the removal is cut short or delayed, a visual defect. High when both the delay and the transition are
literal; medium for a server-side delay alone.

## References
knowledge: removal-animations#transitions-block-patches-until-they-end
"""

import re

from ...elixir_tree import call_arguments, text
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="send_after_transition_mismatch", code="LV203", family="optimistic_ui", severity="warning",
    confidence="high", languages=("elixir",),
    summary="A server-side delay waits for an animation that phx-remove (or time:) should handle.",
    fix="Delete right away and animate with phx-remove plus a matching time:.",
    cites="removal-animations#transitions-block-patches-until-they-end",
)
DURATION = re.compile(r"\bduration-([0-9]{1,6})\b")


ANIMATION_WORDS = re.compile(r"\b(fade|animat\w*|transition\w*|slide|collapse)", re.I)


def check(ctx):
    if ctx.module is None:
        return
    removing = {}
    for clause in ctx.module.clauses_of("handle_info", 2):
        body = text(clause.body)
        if re.search(r"stream_delete|Enum\.reject|List\.delete", body) and clause.params:
            removing[text(clause.params[0]).split(",")[0].strip("{ ")] = clause
    durations = {int(m.group(1)) for m, _ in ctx.text.every(DURATION)}
    for node, module, name in ctx.calls({"send_after"}):
        args = call_arguments(node)
        if module != "Process" or len(args) < 3:
            continue
        message, delay = text(args[1]), text(args[2]).replace("_", "")
        tag = message.split(",")[0].strip("{ ")
        if tag not in removing or not re.fullmatch(r"[0-9]{1,6}", delay) or int(delay) > 2000:
            continue
        if durations and int(delay) not in durations:
            yield hit(node, f"A {delay} ms delay before removing, but the transition lasts "
                            f"{'/'.join(str(d) for d in sorted(durations))} ms.")
        else:
            # Said to wait for an animation (`# let the card fade out`): proven; otherwise maybe an undo window.
            line = node.start_point[0] + 1
            nearby = " ".join(ctx.line(n) for n in range(max(1, line - 2), line + 1))
            said = "#" in nearby and ANIMATION_WORDS.search(nearby.split("#", 1)[1]) is not None
            yield hit(node, "A server-side delay before removing: use phx-remove instead.",
                      confidence=None if said else "medium")
