"""## What it does
In a request for a JavaScript hook, drops the live updates and the new items it mentions, unless a new
item must show at once.

## Why
"Scroll to the newest message", "redraw the chart when data arrives": the list activity is the hook's
context. A new row that must appear immediately is still an optimistic create, hook or not."""

from . import Override

OVERRIDE = Override("hook_context", drops=("create", "realtime"), scope="request")


def apply(view):
    if "hook" not in view.kinds:
        return view
    return view.drop(OVERRIDE, ("realtime",) if view.cue("optimism") else OVERRIDE.drops)
