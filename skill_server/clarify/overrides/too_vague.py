"""## What it does
Asks which interaction is meant (the scope question, and only it) when a request is too vague to tell
("make the app feel snappier") and names no interaction, or names some only as examples of "everything", or
is only a title naming an area ("Real-time functionality", "Improve the Like card.").

## Why
Until the interaction is known, its own decisions cannot be asked; "everything feels slow: the forms, the
tables, the modals" lists examples, not the one interaction to build."""

from . import Override

OVERRIDE = Override("too_vague", drops=("all",), scope="request")


def apply(view):
    if view.cue("area_title"):
        return view.note(OVERRIDE, "clears all: a title naming an area (cue area_title)", found=(), added=("scope",))
    if not view.cue("vague") or (view.found and not view.cue("everywhere")):
        return view
    return view.note(OVERRIDE, "clears all: too vague to know the interaction (cue vague)", found=(), added=("scope",))
