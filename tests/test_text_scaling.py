"""Every text-taking tool on repeated cue words and pathological text, at half the limit and at the limit: the
answer is complete (the request echoed whole, every question with its options, patterns with their reasons),
and past the limit every face refuses alike. Times are measured in benchmarks/text_scaling.py, never asserted here (audit 2, E1:
"delete " x 2,714 took 94 s before clarify's matcher read each sentence once)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mcp import Client

from skill_server import engine
from skill_server.cli import main
from skill_server.clarify.decide import MAX_REQUEST_CHARS
from skill_server.errors import InputError
from skill_server.knowledge.search import MAX_QUERY_CHARS
from skill_server.patterns.recommend import MAX_SCENARIO_CHARS
from skill_server.server import build_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from text_scaling import SHAPES  # noqa: E402  (the shapes the benchmark times)

SIZES = (MAX_REQUEST_CHARS // 2, MAX_REQUEST_CHARS)


def _flood(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def test_the_limits_are_one_figure():
    assert MAX_REQUEST_CHARS == MAX_SCENARIO_CHARS == MAX_QUERY_CHARS == 4_000


@pytest.mark.parametrize("shape", SHAPES)
def test_clarify_answers_a_flood_completely_at_both_sizes(shape):
    for size in SIZES:
        result = engine.clarify_request(_flood(SHAPES[shape], size))
        assert result.request == _flood(SHAPES[shape], size).strip()
        assert [q.dimension for q in result.questions] == result.missing[:3]
        assert all(q.options for q in result.questions)
        assert result.underspecified == bool(result.missing)


@pytest.mark.parametrize("shape", SHAPES)
def test_recommend_answers_a_flood_completely_at_both_sizes(shape):
    for size in SIZES:
        result = engine.recommend_patterns(_flood(SHAPES[shape], size))
        assert result.scenario == _flood(SHAPES[shape], size).strip()
        assert len(result.patterns) <= 3 and all(p.why for p in result.patterns)
        assert result.needs_clarification == bool(result.questions)


@pytest.mark.parametrize("shape", SHAPES)
def test_search_answers_a_flood_at_both_sizes(shape):
    small, big = (engine.search_guidance(_flood(SHAPES[shape], size)) for size in (MAX_QUERY_CHARS // 2, MAX_QUERY_CHARS))
    assert len(big.hits) <= 5 and len(small.hits) <= 5


@pytest.mark.parametrize("shape", SHAPES)
def test_lookup_api_answers_fifty_long_names(shape):
    result = engine.lookup_api([_flood(SHAPES[shape], 200)] * 50)
    assert len(result.results) == 50


@pytest.mark.parametrize("shape", SHAPES)
def test_snippet_parameters_refuse_a_flood_clearly(shape):
    with pytest.raises(InputError):
        engine.generate_snippet("stream_list", {"resource": _flood(SHAPES[shape], SIZES[1])})


@pytest.mark.parametrize(("call", "name"), [(engine.clarify_request, "request"),
                                            (engine.recommend_patterns, "scenario"),
                                            (engine.search_guidance, "query")])
def test_past_the_limit_is_refused_with_the_limit_named(call, name):
    call(_flood("delete ", MAX_REQUEST_CHARS))  # at the limit: answered
    with pytest.raises(InputError, match=f"{name} is 4,001 characters; the limit is 4,000"):
        call(_flood("delete ", MAX_REQUEST_CHARS + 1))


def test_the_cli_refuses_past_the_limit_like_the_engine(capsys):
    assert main(["clarify", _flood("delete ", MAX_REQUEST_CHARS + 1)]) == 2
    assert "the limit is 4,000" in capsys.readouterr().err
    assert main(["recommend", _flood("delete ", MAX_REQUEST_CHARS + 1)]) == 2


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "argument"), [("clarify_request", "request"), ("recommend_patterns", "scenario")])
async def test_mcp_refuses_past_the_limit_like_the_engine(tool, argument):
    async with Client(build_server(), mode="auto") as client:
        result = await client.call_tool(tool, {argument: _flood("delete ", MAX_REQUEST_CHARS + 1)})
        assert result.is_error
        assert "the limit is 4,000" in "".join(getattr(b, "text", "") for b in result.content)
