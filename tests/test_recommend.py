"""recommend_patterns on scenarios in varied wording (the tuning set; the held-out set is evals/recommend.jsonl)."""

from __future__ import annotations

import pytest

from skill_server.matching import lexicon
from skill_server.errors import InputError
from skill_server.patterns import catalogue
from skill_server.patterns.recommend import recommend

SCENARIOS = [
    ("Deleting a comment should fade the row out right away", "delete_with_transition"),
    ("when I click trash the item should animate away", "delete_with_transition"),
    ("rows vanish instantly, I want a smooth slide out when removed", "delete_with_transition"),
    ("let users undo a delete for a few seconds", "undo_delete"),
    ("gmail style undo after deleting an email", "undo_delete"),
    ("search products as you type without stale results", "search_async"),
    ("autocomplete for city names hitting an external api", "search_async"),
    ("two people editing the same document overwrite each other", "optimistic_locking_update"),
    ("detect conflicts when someone else saved the record first", "optimistic_locking_update"),
    ("dropdown menu that opens instantly, purely client-side", "instant_toggle"),
    ("accordion sections with aria-expanded", "instant_toggle"),
    ("mark a task as done and save it", "optimistic_toggle"),
    ("star/favorite button on each post that persists", "optimistic_toggle"),
    ("upload an avatar with a progress bar", "live_upload"),
    ("drag and drop files into the page", "live_upload"),
    ("load dashboard stats in the background so the page paints fast", "async_loading"),
    ("my mount runs twice and the slow query doubles", "async_loading"),
    ("announce save results to screen readers", "aria_live_region"),
    ("aria-busy while saving", "aria_live_region"),
    ("users double click the submit button and create duplicates", "submit_loading_button"),
    ("show Sending... on the button while the form submits", "submit_loading_button"),
    ("archive a card but put it back if the server fails", "archive_with_revert"),
    ("chat: new messages should appear immediately as pending", "optimistic_stream_insert"),
    ("other users should see new posts without reloading", "scoped_pubsub_stream"),
    ("real-time updates per tenant with pubsub", "scoped_pubsub_stream"),
    ("prefers-reduced-motion for my slide animations", "reduced_motion_css"),
    ("form validation errors show before the user types", "validated_form"),
    ("changeset validation on a signup form in a live component", "validated_form"),
    ("nested form with add and remove rows for order lines", "nested_form"),
    # wording added after the second held-out measurement (evals/recommend-2.jsonl), in other words
    ("a shipping form where people click '+ add' for each extra parcel, saved together with the order", "nested_form"),
    ("colleagues should see the shared shopping list change without refreshing when someone edits it",
     "scoped_pubsub_stream"),
    ("orders for each store show up as they come in; one store must never see another's", "scoped_pubsub_stream"),
    # wording added after the third held-out measurement (evals/recommend-3.jsonl), in other words
    ("the sort options drawer waits on the server just to open; nothing about it needs saving", "instant_toggle"),
    ("an expense claim lists any number of receipts, each with an amount, removable before submitting",
     "nested_form"),
    ("my saved searches should change live when I edit them in another tab", "scoped_pubsub_stream"),
    ("cuando el cajero añade un producto al ticket debe aparecer en la lista como pendiente mientras guarda",
     "optimistic_stream_insert"),
    ("each clinic's staff should see appointments booked by colleagues show up live, scoped to their clinic",
     "scoped_pubsub_stream"),
    # issue 15's new patterns and toggles, in users' words
    ("a popup asking 'are you sure?' before removing a project, instead of the browser confirm", "modal_dialog"),
    ("keyboard focus escapes my overlay window and goes to the page behind it", "modal_dialog"),
    ("success messages should fade away on their own after a few seconds", "toast_flash"),
    ("show a snackbar notification when a live component saves something", "toast_flash"),
    ("a button next to the API key that puts it on the clipboard", "copy_to_clipboard"),
    ("let visitors copy the share link with one click", "copy_to_clipboard"),
    ("click a project's name to rename it right there, Esc to cancel", "inline_edit"),
    ("edit a price in place in the table without opening a form page", "inline_edit"),
    ("thumbs up on an answer that is counted and remembered", "optimistic_toggle"),
    ("upload big videos straight to our S3 bucket with a progress bar", "live_upload"),
    # classes real set A showed, in other words
    ("a new expense row shows at once, greyed, and is replaced by the stored one until the server confirms",
     "optimistic_stream_insert"),
    ("a button kicks off a long-running export; respond immediately and report progress until it is done",
     "async_loading"),
    ("paging through the audit log with a Load more button at the bottom", "infinite_scroll"),
    # classes real set B showed, in other words
    ("list the people currently watching a live auction lot", "presence_list"),
    ("a sidebar of everyone who is connected to the room, updated as they leave", "presence_list"),
    ("switching views should only patch the URL, not remount the page", "url_params_filters"),
    ("readers can follow authors and unfollow them from the profile", "optimistic_toggle"),
    ("the projects menu is loaded once; projects created elsewhere should show without navigating away",
     "scoped_pubsub_stream"),
]


@pytest.mark.parametrize(("scenario", "expected"), SCENARIOS)
def test_expected_pattern_in_top_three(scenario, expected):
    result = recommend(scenario)
    assert expected in [p.id for p in result.patterns], [p.id for p in result.patterns]
    top = result.patterns[0]
    assert top.why and top.tradeoffs and top.snippet == top.id and top.uri.startswith("liveview://knowledge/")


def test_version_fallback_is_named():
    old = recommend("load the list in the background with stream_async", liveview_version="1.0")
    pattern = next(p for p in old.patterns if p.id == "async_loading")
    assert pattern.fallback and "start_async" in pattern.fallback
    new = recommend("load the list in the background with stream_async", liveview_version="1.2")
    assert next(p for p in new.patterns if p.id == "async_loading").fallback is None


def test_client_only_rejects_the_persisted_toggle():
    result = recommend("toggle the details panel, purely client-side, nothing saved")
    assert result.patterns[0].id == "instant_toggle"
    assert "optimistic_toggle" in [r.id for r in result.rejected]


def test_answers_steer():
    plain = recommend("delete a comment")
    undo = recommend("delete a comment", answers={"failure_ux": "undo"})
    assert plain.patterns[0].id == "delete_with_transition"
    assert undo.patterns[0].id == "undo_delete"
    assert any("you chose" in w for w in undo.patterns[0].why)
    shared = recommend("edit a ticket title", answers={"concurrency": "shared"})
    assert shared.patterns[0].id == "optimistic_locking_update"


def test_underspecified_scenarios_carry_questions():
    result = recommend("How do I make a delete button feel instant?")
    assert result.needs_clarification and result.questions and result.assumptions
    complete = recommend("delete a comment from the stream with a fade; revert with a flash on failure")
    assert not complete.needs_clarification


def test_nothing_matching_says_so():
    result = recommend("configure my postgres connection pool")
    assert result.patterns == [] and result.notes


@pytest.mark.parametrize(("scenario", "limit", "message"),
                         [("", 3, "empty"), ("x" * 30_000, 3, "limit is"), ("ok", 0, "limit"), (3, 3, "string")])
def test_bad_input(scenario, limit, message):
    with pytest.raises(InputError, match=message):
        recommend(scenario, limit=limit)


def test_what_the_user_does_not_want_is_not_a_signal():
    """A pattern named only in a negation ("no toast", "without a modal") is not recommended for it."""
    ids = [p.id for p in recommend("pin a note to the top at once when clicked, without any toast").patterns]
    assert "optimistic_toggle" in ids and "toast_flash" not in ids
    ids = [p.id for p in recommend("rename the list inline; we don't want a modal for this").patterns]
    assert "inline_edit" in ids and "modal_dialog" not in ids
    assert "modal_dialog" in [p.id for p in recommend("a modal to rename the list").patterns]
    ids = [p.id for p in recommend("bookmark a recipe with the ribbon icon, saved per user; no toast needed").patterns]
    assert "optimistic_toggle" in ids and "toast_flash" not in ids


@pytest.mark.parametrize(("scenario", "not_expected"), [
    ("users should follow the link in the email to confirm their account", "optimistic_toggle"),
    ("follow the steps in the setup wizard to create a project", "optimistic_toggle"),
    ("check who is connected to the database pool before the migration runs", "presence_list"),
    ("I'm currently watching the logs and see a crash", "presence_list"),
    ("patch the URL helper so it builds the right path for nested routes", "url_params_filters"),
])
def test_signal_words_in_another_sense_are_no_signal(scenario, not_expected):
    assert not_expected not in [p.id for p in recommend(scenario).patterns]


def test_signals_are_distinct_phrases():
    """Two signals with the same word stems would count one mention twice."""
    for pattern in catalogue.load_patterns().values():
        stems = [lexicon._phrase(signal) for signal in pattern.signals]
        assert len(stems) == len(set(stems)), pattern.id
        assert all(stems), pattern.id


def test_policy_fields_are_declared_and_checked_on_load(tmp_path):
    fields = catalogue.fields()
    assert all(len(f["about"]) > 10 and f["type"] in catalogue.TYPES for f in fields.values())
    folder = tmp_path / "toy_pattern"
    folder.mkdir()
    base = 'id = "toy_pattern"\ntitle = "t"\nsummary = "s"\nsince = "0.20.0"\n'
    for extra, message in [('colour = "red"\n', "not declared"), ("client_only = 1\n", "not a boolean"),
                           ('[steering]\n"failure_ux.maybe" = 2.0\n', "not a clarify answer"),
                           ('[steering]\n"failure_ux.undo" = -1\n', "positive factor")]:
        (folder / "pattern.toml").write_text(base + extra)
        with pytest.raises(ValueError, match=message):
            catalogue._load(folder)


def test_policy_lives_in_the_patterns():
    patterns = catalogue.load_patterns()
    assert patterns["instant_toggle"].client_only and not patterns["optimistic_toggle"].client_only
    assert patterns["undo_delete"].steering[("failure_ux", "undo")] > 1
    assert ("persistence", "client_only") in patterns["optimistic_toggle"].rejected_when
