"""## What it does
Drops a toggle whose words are a form control (a checkbox, a switch, a radio button) in a sentence that is about
a form or a search filter.

## Why
A checkbox on the form that creates a poll is one of the poll's fields, saved (or rejected) with the form; the
checkboxes of a status filter narrow a search. Neither is a state toggled on an item in a list, so there is no
persistence or failure question. Scope: the sentence, so "a form to add tasks. Each task has a checkbox to
mark it done" keeps its toggle."""

from . import Override

OVERRIDE = Override("field_is_not_a_toggle", drops=("toggle",), scope="sentence")


def apply(view):
    fields = view.cue("form_field")
    if not fields:
        return view
    sentences = view.sentences(view.hits("form") + view.hits("search"))
    return view.drop(OVERRIDE, OVERRIDE.drops, sentences,
                     where=lambda hit: any(f.start < hit.end and hit.start < f.end for f in fields))
