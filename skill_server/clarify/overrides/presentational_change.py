"""## What it does
Drops the interactions named in a sentence that changes how an element looks, where it sits, what it is
called or how it is labelled (a border, a column, a heading's text, a tooltip, an accessible name).

## Why
"Remove the border", "move the Delete button", "give the delete icon an aria-label": the verb acts on the
markup or its style, not on a record, so there is no server change to fail and no list to stream."""

from . import Override

OVERRIDE = Override("presentational_change", drops=("delete", "archive", "toggle", "create", "edit", "reorder",
                                                    "notify", "realtime"), scope="sentence")


def apply(view):
    sentences = view.sentences(view.cue("presentational"))
    if not sentences:
        return view
    return view.drop(OVERRIDE, OVERRIDE.drops, sentences).rule_out(OVERRIDE, "a change to markup or style")
