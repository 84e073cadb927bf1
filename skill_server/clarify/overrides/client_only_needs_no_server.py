"""## What it does
When the request says the change is client-side only, drops the persistence question, and the failure
and concurrency questions too unless it also changes saved records.

## Why
A purely visual change has nothing to save, fail or conflict; a request that also deletes or edits
records still has those server changes to decide about."""

from . import Override

OVERRIDE = Override("client_only_needs_no_server", drops=("persistence", "failure_ux", "concurrency"),
                    scope="request")


def apply(view):
    if view.stated.get("persistence") != "client_only":
        return view
    return view.without(OVERRIDE, ("persistence",) if view.changes_records else OVERRIDE.drops)
