"""clarify_request: the blend of the rules with the learned model, questions and their wording, reply parsing
and the elicitation model. The cases that tune the concepts and overrides live beside them (their TOML) and
run in tests/test_clarify_fixtures.py."""

from __future__ import annotations

import pytest

from skill_server.clarify import clarify
from skill_server.clarify import decide as decide_module
from skill_server.clarify.decide import explain
from skill_server.clarify.elicit import answers_from, elicitation_model, parse_reply
from skill_server.errors import InputError

@pytest.mark.parametrize(("request_text", "missing"), [
    # the model catches wording the rules have no cue for
    ("The tally of signatures at the top of the petition should go up as people sign.", ["accessibility"]),
    ("Let admins ban a user from the member list.", ["failure_ux", "collection_kind"]),
    # its reason to ask is a decision the request settles, so nobody is asked
    ("Load the dashboard stats in the background, we are on 1.1.5", []),
    # both agree
    ("How do I make a delete button feel instant?", ["failure_ux", "collection_kind"]),
    ("what does cancel_async do?", []),
    ("make my app feel snappier", ["scope"]),
    # a trigger word the rules rule out (a trap, an override) is not the model's to overrule
    ("Remove the outline from the avatar once the pointer leaves it.", []),
    # the rules know the interaction (a search) and it leaves nothing open; the model, sure of failure_ux from
    # words it saw in bulk edits, is not asked
    ("Let me tick every row that matches the filter in one go instead of clicking each one.", []),
])
def test_blend_of_rules_and_model(request_text, missing):
    result = clarify(request_text)
    assert result.missing == missing
    assert result.underspecified == bool(missing)
    assert len(result.questions) == min(3, len(missing))


def test_when_the_model_overrules_the_rules_the_assumption_is_still_stated(monkeypatch):
    # The rules ask how a rejected archive looks; a model sure the request is complete overrules them. The
    # answer does not ask, but says what it assumes, so the assistant can tell the user.
    class SureItIsComplete:
        def probabilities(self, text):
            return dict.fromkeys(["underspecified", *decide_module.cues.decisions()], 0.05)

    monkeypatch.setattr(decide_module, "learned_model", SureItIsComplete)
    result = clarify("Archive old invoices from the invoice list; it is a stream.")
    assert not result.underspecified
    assert result.assumptions == ["a rejected archive is reverted with an error message"]


@pytest.mark.parametrize("request_text", [
    "Drag to reorder recipe steps with SortableJS; positions saved; steps are a stream; revert on failure.",
    "Fetch the revenue widgets with assign_async and show grey placeholder bars until they arrive.",
    "Show a progress bar for the export and a label naming the current step.",
])
def test_the_model_does_not_take_away_a_version_or_announcement_question_the_rules_raise(request_text):
    # Whether the code differs by version is a fact of the API (a hook, assign_async); whether a status changes
    # by itself is what the notification concepts recognise. The model, unsure from words, does not remove them.
    rules = explain(request_text).rules_missing
    assert rules in (["liveview_version"], ["accessibility"])
    assert clarify(request_text).missing == rules


def test_questions_are_concrete_multiple_choice_with_defaults():
    result = clarify("Make archiving an invoice feel instant")
    failure = next(q for q in result.questions if q.dimension == "failure_ux")
    assert "archive" in failure.question and "invoice" in failure.question
    assert sum(o.recommended for o in failure.options) == 1
    assert failure.options[-1].key == "default" and failure.uri.startswith("liveview://knowledge/")
    assert result.reply_hint and "defaults" in result.reply_hint
    assert len(result.assumptions) == len(result.missing)


def test_reply_forms():
    result = clarify("How do I make a delete button feel instant?")
    assert parse_reply("defaults", result) == {"failure_ux": "revert", "collection_kind": "stream"}
    assert parse_reply("1b 2b", result) == {"failure_ux": "undo", "collection_kind": "assign"}
    assert parse_reply("1e", result)["failure_ux"] == "revert"  # "not sure" means the default
    with pytest.raises(InputError):
        parse_reply("9a", result)
    with pytest.raises(InputError):
        parse_reply("whatever", result)


def test_elicitation_model_is_flat_enums_with_defaults():
    result = clarify("How do I make a delete button feel instant?")
    model = elicitation_model(result)
    schema = model.model_json_schema()
    for name, field in schema["properties"].items():
        assert field["type"] == "string" and field["enum"] and field["default"] in field["enum"]
    assert answers_from(result, model()) == {"failure_ux": "revert", "collection_kind": "stream"}
    assert answers_from(result, {"failure_ux": "undo", "collection_kind": "default"}) == {
        "failure_ux": "undo", "collection_kind": "stream"}


@pytest.mark.parametrize("bad", ["", "   ", "x" * 25_000, None, 42])
def test_bad_requests(bad):
    with pytest.raises(InputError):
        clarify(bad)


def test_a_cue_right_after_the_action_is_not_its_object():
    result = clarify("delete with an undo window please")
    assert all("undo" not in a for a in result.assumptions)


def test_explain_names_what_fired():
    trace = explain("Toggle a star on each card; it does not need to be saved.")
    assert trace.result.missing == [] and trace.settled["persistence"] == "client_only"
    assert any(f.startswith("interaction toggle:") for f in trace.fired)
    assert any("inside persistence.client_only" in f for f in trace.fired)  # "saved" inside "not ... saved"
    assert any(f.startswith("override client_only_needs_no_server") for f in trace.fired)


def test_questions_name_the_action_even_when_only_the_model_saw_it():
    from skill_server.clarify.decide import wording
    from skill_server.clarify.view import build

    assert wording(build("Members can mute a thread.", "Members can mute a thread."))["action"] == "mute"
    assert wording(build("Users can see the list.", "Users can see the list."))["action"] == "change"
    question = clarify("Let admins ban a user from the member list.").questions[0].question
    assert question == "When the server rejects the ban of the user, what should the user see?"
