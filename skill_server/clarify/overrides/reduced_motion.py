"""## What it does
Drops delete and archive from a request about reduced motion.

## Why
A reduced-motion request is about CSS and transitions for the whole page; the deletes it mentions are
the animations to tone down, not an interaction to build."""

from . import Override

OVERRIDE = Override("reduced_motion", drops=("delete", "archive"), scope="request")


def apply(view):
    return view.drop(OVERRIDE, OVERRIDE.drops) if view.cue("motion") else view
