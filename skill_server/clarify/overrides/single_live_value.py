"""## What it does
Drops the live list from a request whose live change is one value (a count, a total, a status line or a
notification) with no list changing beside it.

## Why
A single value that changes live is a notice for screen readers (the accessibility question), not a
collection to stream."""

from . import Override

OVERRIDE = Override("single_live_value", drops=("realtime",), scope="request")


def apply(view):
    lists = bool(view.cue("list"))
    single = view.cue("single_value") and not lists
    only_notice = "notify" in view.kinds and not (lists or view.cue("collection"))
    return view.drop(OVERRIDE, OVERRIDE.drops) if single or only_notice else view
