"""## What it does
In a request for pagination or infinite scroll, drops the new items and live updates it mentions and a hook
that would only watch the scroll position (an IntersectionObserver), and tells the learned model the request
asks nothing more.

## Why
"Older messages load as you scroll back": the messages are what is paged, not items the user creates or
that arrive live. Paging needs no question (stream limits and viewport bindings do not depend on one), and the
phx-viewport-top/bottom bindings are the observer such a hook would write."""

from . import Override

OVERRIDE = Override("paging_through_a_list", drops=("create", "realtime", "hook"), scope="request")


def apply(view):
    if "pagination" not in view.kinds:
        return view
    watching = view.cue("viewport")
    view = view.drop(OVERRIDE, ("hook",), where=lambda hit: any(w.start < hit.end and hit.start < w.end for w in watching))
    return view.drop(OVERRIDE, ("create", "realtime")).rule_out(OVERRIDE, "paging through a list")
