"""## What it does
Settles persistence as "saved on the server" when the request says what happens when the server rejects
the change.

## Why
Only a change the server sees can be rejected by it: "revert the star if saving fails" is a saved star."""

from . import Override

OVERRIDE = Override("failure_implies_server", drops=("persistence",), scope="request")


def apply(view):
    return view.settle(OVERRIDE, "persistence", "server") if "failure_ux" in view.stated else view
