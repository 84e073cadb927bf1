"""## What it does
In a sentence that asks for loading feedback (a spinner, a disabled button, no double submits), drops the
other interactions that sentence names.

## Why
The loading state is the same whatever the button does, so "show a spinner while the delete is pending"
asks nothing about failures or lists. Scope: the sentence, so "deleting should feel instant; also show a
spinner on the save button" still asks about the delete."""

from . import Override

OVERRIDE = Override("loading_feedback_only", drops=("delete", "archive", "toggle", "create", "edit", "reorder",
                                                    "realtime", "notify", "hook", "form", "client_toggle"),
                    scope="sentence")


def apply(view):
    return view.drop(OVERRIDE, OVERRIDE.drops, view.sentences(view.hits("loading_feedback")))
