"""Clarifying questions through MCP: recommend_patterns asks by form elicitation when the client declared
it (accept, decline, cancel), and returns the questions for the assistant to relay when it did not."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.types import ElicitResult

from skill_server.models import RecommendResult
from skill_server.server import build_server

pytestmark = pytest.mark.anyio
VAGUE = "How do I make a delete button feel instant?"
COMPLETE = "Fade out a deleted comment from the stream; on failure revert it with an error flash. LiveView 1.2."


@pytest.fixture(scope="module")
def server():
    return build_server()


async def _recommend(server, mode, callback, scenario=VAGUE):
    async with Client(server, mode=mode, elicitation_callback=callback) as client:
        result = await client.call_tool("recommend_patterns", {"scenario": scenario})
        assert not result.is_error, result.content
        return RecommendResult.model_validate(result.structured_content)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_accepted_answers_steer_the_recommendation(server, mode):
    asked = []

    async def accept(ctx, params):
        asked.append(params)
        schema = params.requested_schema["properties"]
        assert set(schema) == {"failure_ux", "collection_kind"}
        assert schema["failure_ux"]["default"] == "revert" and "undo" in schema["failure_ux"]["enum"]
        return ElicitResult(action="accept", content={"failure_ux": "undo", "collection_kind": "assign"})

    result = await _recommend(server, mode, accept)
    assert len(asked) == 1
    assert result.patterns[0].id == "undo_delete"
    assert result.needs_clarification is False
    assert any("failure ux = undo" in n for n in result.notes)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize("action", ["decline", "cancel"])
async def test_declined_or_cancelled_falls_back_to_defaults_and_says_so(server, mode, action):
    async def refuse(ctx, params):
        return ElicitResult(action=action)

    result = await _recommend(server, mode, refuse)
    assert result.patterns[0].id == "delete_with_transition"
    assert result.needs_clarification is False and result.questions == []
    assert any("defaults were used" in n for n in result.notes)
    assert result.assumptions


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_without_elicitation_the_questions_come_back_in_the_result(server, mode):
    result = await _recommend(server, mode, None)
    assert result.needs_clarification is True
    assert [q.dimension for q in result.questions] == ["failure_ux", "collection_kind"]
    assert all(any(o.recommended for o in q.options) and q.options[-1].key == "default" for q in result.questions)
    assert result.patterns  # still answers with its best guess


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_complete_scenario_asks_nothing(server, mode):
    async def never(ctx, params):
        raise AssertionError("a complete scenario must not be asked about")

    result = await _recommend(server, mode, never, COMPLETE)
    assert result.needs_clarification is False and result.patterns[0].id == "delete_with_transition"


@pytest.mark.parametrize(("mode", "rounds"), [("legacy", 1), ("auto", 2)])
async def test_one_clarify_decision_serves_the_question_and_the_ranking(server, mode, rounds, monkeypatch):
    """The decision is made once per round of the call (the modern protocol re-runs resolvers when the answer
    comes back) and passed to the ranking, instead of clarifying again in the tool body and in recommend."""
    from skill_server.clarify import decide as clarify_decide

    calls = []
    real = clarify_decide.decide
    monkeypatch.setattr(clarify_decide, "decide", lambda *a, **k: calls.append(a) or real(*a, **k))

    async def accept(ctx, params):
        return ElicitResult(action="accept", content={"failure_ux": "undo", "collection_kind": "assign"})

    result = await _recommend(server, mode, accept)
    assert result.patterns[0].id == "undo_delete"
    assert len(calls) == rounds


async def test_a_client_that_never_answers_gets_the_defaults_after_the_wait_limit(server, monkeypatch):
    import anyio

    from skill_server import server as server_module

    monkeypatch.setattr(server_module, "ELICITATION_WAIT_S", 0.5)
    asked = []

    async def never(ctx, params):
        asked.append(params)
        await anyio.sleep_forever()

    with anyio.fail_after(60):  # the call used to stay open for as long as the client stayed silent
        result = await _recommend(server, "legacy", never)  # before 2026-07-28 a call waits on its question
    assert asked and result.patterns[0].id == "delete_with_transition"
    assert result.needs_clarification is False and any("defaults were used" in n for n in result.notes)
