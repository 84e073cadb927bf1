"""## What it does
Drops the background-loading interaction from a request for loading feedback, unless the request says the
data loads in the background or after the page renders.

## Why
"The handler takes a few seconds; show a spinner meanwhile": the slow call is why the button needs
feedback, not data to load after render (whose version question would follow). Scope: the request, since
the slowness and the spinner are usually told in different sentences."""

from . import Override

OVERRIDE = Override("slow_action_needs_feedback", drops=("async_load",), scope="request")


def apply(view):
    if "loading_feedback" not in view.kinds or view.cue("background_load"):
        return view
    return view.drop(OVERRIDE, OVERRIDE.drops)
