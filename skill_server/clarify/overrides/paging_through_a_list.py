"""## What it does
In a request for pagination or infinite scroll, drops the new items and live updates it mentions, and
tells the learned model the request asks nothing more.

## Why
"Older messages load as you scroll back": the messages are what is paged, not items the user creates or
that arrive live. Paging needs no question (stream limits and viewport bindings do not depend on one)."""

from . import Override

OVERRIDE = Override("paging_through_a_list", drops=("create", "realtime"), scope="request")


def apply(view):
    if "pagination" not in view.kinds:
        return view
    return view.drop(OVERRIDE, OVERRIDE.drops).rule_out(OVERRIDE, "paging through a list")
