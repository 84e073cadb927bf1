"""## What it does
Drops a toggle that acts on a disclosure named in the same clause ("toggle the filters sidebar", "a toggle
button to show/hide the menu", "a 'show more' toggle"), unless the request says the state is saved.

## Why
Opening and closing UI is client-side by nature (JS commands), so nothing is saved or can fail; "toggle done
on a task" and "mark each note as done" are saved states and keep their questions."""

import re

from . import Override

OVERRIDE = Override("disclosure_is_client_side", drops=("toggle",), scope="sentence")
CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(and|but|then)\b")


def apply(view):
    if view.stated.get("persistence") == "server":
        return view
    disclosures = view.hits("client_toggle")

    def opens_a_disclosure(hit):
        return any(not CLAUSE_BREAK.search(view.text[min(hit.end, d.end):max(hit.start, d.start)]) for d in disclosures)

    return view.drop(OVERRIDE, OVERRIDE.drops, where=opens_a_disclosure)
