"""## What it does
In a request about a form, drops the adds, removes, edits and reorders it names, and the failure question
with them, unless it wants the new row in a list at once (an optimistic create), edits a value in place
(an inline edit) or names another change that can fail (a toggle on each row).

## Why
Adding and removing nested rows or saving a form is the form's business: a rejected save shows its errors
on the form, so there is nothing to revert and no list to stream. Scope: the request, because form requests
spread over sentences ("a recipe has many ingredients. Users add and remove rows before saving")."""

from .. import cues
from . import Override

OVERRIDE = Override("form_owns_failure", drops=("delete", "create", "reorder", "edit", "failure_ux"),
                    scope="request")


def apply(view):
    if "form" not in view.kinds:
        return view
    keep = ({"create"} if view.cue("optimism") else set()) | ({"edit"} if view.cue("inline") else set())
    view = view.drop(OVERRIDE, tuple(k for k in OVERRIDE.drops if k not in keep))
    others = any("failure_ux" in cues.interaction(kind).data["matters"] for kind in view.kinds)
    return view if keep or others else view.without(OVERRIDE, ("failure_ux",))
