"""## What it does
Drops the hook interaction when the request works on a hook the app already has ("our chart hook in
app.js should redraw on resize") and names no API that only newer versions have.

## Why
The version question of a hook is where its JavaScript lives (app.js, or colocated since 1.1); for a hook
that exists, the code already says. Moving it into a colocated hook still depends on the version."""

from . import Override

OVERRIDE = Override("existing_hook", drops=("hook",), scope="request")


def apply(view):
    if "hook" not in view.kinds or "versioned_api" in view.kinds or not view.cue("existing_hook"):
        return view
    return view.drop(OVERRIDE, OVERRIDE.drops).rule_out(OVERRIDE, "a hook the app already has")
