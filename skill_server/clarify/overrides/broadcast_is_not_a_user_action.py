"""## What it does
In a request about live updates, drops the adds, deletes, archives, edits and reorders it names, when
nothing in it is a user's action and nothing must show at once.

## Why
Items that arrive or leave through broadcasts are not the user's optimistic changes: there is nothing to
revert, only a live list (whose stream or assign question the live update keeps). Scope: the request, since
the broadcast and what it adds or removes are often told in separate sentences."""

from . import Override

OVERRIDE = Override("broadcast_is_not_a_user_action", drops=("delete", "create", "archive", "edit", "reorder"),
                    scope="request")


def apply(view):
    if view.cue("user_action") or view.cue("optimism"):
        return view
    return view.drop(OVERRIDE, OVERRIDE.drops) if "realtime" in view.kinds else view
