"""## What it does
Drops the persistence and failure questions of a toggle when the request toggles a disclosure (a
dropdown, tabs, a sidebar, an accordion) and changes no saved record.

## Why
Opening and closing UI is client-side by nature (JS commands), so nothing is saved or can fail;
"toggle done on a task" is a saved state, and keeps its questions."""

from . import Override

OVERRIDE = Override("disclosure_is_client_side", drops=("persistence", "failure_ux"), scope="request")


def apply(view):
    if "client_toggle" not in view.kinds or "persistence" in view.stated or view.changes_records:
        return view
    return view.without(OVERRIDE, OVERRIDE.drops)
