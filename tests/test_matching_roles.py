"""The role an action word plays in its sentence (skill_server/matching/roles.py): only a name (a quoted label,
part of a name, a verb on the page's markup or the code, an attempt, the condition of a side effect), or the
action the request asks for. The name cases come first: they are the traps the shapes exist for."""

from __future__ import annotations

import pytest

from skill_server import engine
from skill_server.matching import roles
from skill_server.matching.concepts import Hit


def _hit(text: str, word: str) -> Hit:
    start = text.index(word)
    return Hit("test", start, start + len(word), word)


NAMES = [
    ('Hide the "Reorder" menu item for guests.', "Reorder", "a quoted name"),
    ('Move the "Delete" button to the right.', "Delete", "a quoted control being restyled"),
    ("Pressing the Delete key should clear the cell.", "Delete", "part of the name"),
    ("Toggle the panels on small screens.", "Toggle", "acts on a part of the page or the code"),
    ("Create a search LiveView for the catalogue.", "Create", "acts on a part of the page or the code"),
    ("When someone tries to delete a project they don't own, show an error.", "delete", "an attempt"),
    ("Log a warning when a member removes a guest.", "removes", "the condition of 'Log'"),
    ("Order the recipes by their favourite count, highest first.", "favourite", "a measure of the action"),
    ("Put the archived boards under their own heading.", "archived", "a state naming items"),
    ("Let me browse deleted invoices from last year.", "deleted", "a state naming items"),
    ("Show the finished (archived) goals on the profile.", "archived", "a state naming items"),
    ("Re-sync every record that gets removed from the mirror.", "removed", "an event the items went through"),
]

ACTIONS = [
    ('Add a "Like" button under each post.', "Like"),  # a quoted control the sentence asks for
    ('Click "Cancel refill" to cancel the refill.', "Cancel refill"),  # a pressed label is the control
    ("Delete a comment from the thread.", "Delete"),
    ("Toggle the done flag on a task.", "Toggle"),  # a flag is a record's field, not the page's markup
    ("Tap the star icon to favourite a recipe.", "star"),  # pressing a part of the page uses it
    ("Remove a guest from the list when a member clicks remove.", "Remove"),  # the main verb is the action
    ("We archived a board by mistake, so add an undo.", "archived"),  # a subject before it, an article after
    ("Rows should slide out when they are deleted one by one.", "deleted"),  # a passive with no relative: asked
    ("Any card that should be archived gets a grey border.", "archived"),  # a modal asks for it
    ("Deleted rows should fade out at once.", "Deleted"),
    ("Like a post and count it at once.", "Like"),  # a measure word further on is the next verb
    ("Edit the stock count inline on each row.", "Edit"),  # a measure that is the edited value  # at the sentence start: what deleting does
]


@pytest.mark.parametrize(("text", "word", "why"), NAMES)
def test_a_word_its_sentence_shows_to_be_a_name_is_not_the_action(text, word, why):
    assert roles.role(text, _hit(text, word)).startswith(why)


@pytest.mark.parametrize(("text", "word"), ACTIONS)
def test_a_word_used_as_the_action_keeps_its_role(text, word):
    assert roles.role(text, _hit(text, word)) == ""


def test_verbs_on_the_page_count_only_for_concepts_that_act_on_items():
    text = "Toggle the panels on small screens."
    assert roles.role(text, _hit(text, "Toggle"), on_items=False) == ""


def test_named_only_marks_the_trap_and_leaves_the_others():
    text = 'Hide the "Reorder" menu item. Reorder the cards by dragging.'
    first, second = _hit(text, "Reorder"), Hit("test", text.rindex("Reorder"), text.rindex("Reorder") + 7, "Reorder")
    vetoed, kept = roles.named_only([first, second], text)
    assert vetoed.trap.startswith("role: a quoted name") and kept.trap == ""


@pytest.mark.parametrize(("request_text", "asked"), [
    ('Hide the "Reorder" menu item for guests.', []),
    ("Pressing the Delete key should clear the cell.", []),
    ("Log a warning when a member removes a guest.", []),
    ("Show the archived boards on a separate page.", []),
    ("Delete a comment from the thread.", ["failure_ux", "collection_kind"]),
    ("Toggle the done flag on a task.", ["persistence", "failure_ux"]),
])
def test_clarify_asks_only_about_actions_asked_for(request_text, asked):
    assert engine.clarify_request(request_text).missing == asked


def test_every_word_class_is_read():
    source = roles.__loader__.get_source(roles.__name__)
    assert all(f'"{name}"' in source for name in roles.classes()), "a class in roles.toml that roles.py never reads"
