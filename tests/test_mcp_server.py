"""The MCP surface through the SDK's in-memory Client, on both protocol eras (2026-07-28 and the legacy handshake)."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference

from skill_server.models import (
    ApiLookupResult,
    ClarifyResult,
    RecommendResult,
    ReviewResult,
    SearchResult,
    SnippetResult,
)
from skill_server.server import build_server

pytestmark = pytest.mark.anyio
MODES = ["auto", "legacy"]
TOOL_ORDER = ["search_guidance", "recommend_patterns", "generate_snippet", "review_code", "clarify_request",
              "lookup_api"]
LOADING_QUESTION = "How do I show a loading state on another element while my click event is pending?"


@pytest.fixture(scope="module")
def server():
    return build_server()


def _text(result) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


@pytest.mark.parametrize("mode", MODES)
async def test_handshake_in_both_eras(server, mode):
    async with Client(server, mode=mode) as client:
        assert client.server_info.name == "liveview-skill"
        assert client.server_info.version
        assert "search_guidance" in (client.instructions or "")
        expected = "2025-11-25" if mode == "legacy" else "2026-07-28"
        assert client.protocol_version == expected


@pytest.mark.parametrize("mode", MODES)
async def test_tools_are_listed_in_a_fixed_order_with_annotations_and_schemas(server, mode):
    async with Client(server, mode=mode) as client:
        tools = (await client.list_tools()).tools
        assert [t.name for t in tools] == TOOL_ORDER
        for tool in tools:
            assert tool.annotations.read_only_hint is True
            assert tool.annotations.idempotent_hint is True
            assert tool.annotations.destructive_hint is False
            assert tool.annotations.open_world_hint is False
            assert tool.output_schema and tool.output_schema.get("type") == "object"
            assert "liveview_version" in tool.input_schema["properties"]
            assert tool.title and tool.description


async def test_output_schemas_are_compact_and_accept_exactly_what_pydantic_accepts(server):
    """Published output schemas carry no $ref and no nullable anyOf (cheaper for every client to validate),
    and still describe the same records: a real result validates, a mistyped one does not."""
    import jsonschema

    async with Client(server) as client:
        schemas = {t.name: t.output_schema for t in (await client.list_tools()).tools}
        result = await client.call_tool("search_guidance", {"query": LOADING_QUESTION})
    for name, schema in schemas.items():
        text = json.dumps(schema)
        assert "$ref" not in text and "$defs" not in text and '{"type": "null"}' not in text, name
    original = SearchResult.model_json_schema()
    compact = schemas["search_guidance"]
    good = result.structured_content
    bad = json.loads(json.dumps(good))
    bad["hits"][0]["since"] = 12
    for schema in (original, compact):
        jsonschema.validate(good, schema)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    bad["hits"][0]["since"] = None
    jsonschema.validate(bad, compact)


@pytest.mark.parametrize("tool", [
    ("search_guidance", {"query": LOADING_QUESTION}),
    ("recommend_patterns", {"scenario": "delete a comment with a fade out, revert with a flash, in a stream"}),
    ("clarify_request", {"request": "make deleting feel instant"}),
    ("lookup_api", {"names": ["stream_insert update_only", "@myself_cid"]}),
])
async def test_text_content_is_the_structured_content_as_compact_json(server, tool):
    name, arguments = tool
    async with Client(server) as client:
        result = await client.call_tool(name, arguments)
    assert not result.is_error and len(result.content) == 1
    assert json.loads(result.content[0].text) == result.structured_content
    assert "\n  " not in result.content[0].text  # compact, not the SDK's indented mirror


@pytest.mark.parametrize("mode", MODES)
async def test_search_guidance_answers_with_structured_hits(server, mode):
    async with Client(server, mode=mode) as client:
        result = await client.call_tool("search_guidance", {"query": LOADING_QUESTION, "limit": 3})
        assert not result.is_error, _text(result)
        parsed = SearchResult.model_validate(result.structured_content)
        assert json.loads(_text(result)) == result.structured_content  # JSON text mirrors structured content
        top = " ".join(h.text for h in parsed.hits)
        assert "JS.push" in top and "loading:" in top
        assert all(h.uri.startswith("liveview://knowledge/") for h in parsed.hits)


@pytest.mark.parametrize("mode", MODES)
async def test_other_tools_return_their_models(server, mode):
    async with Client(server, mode=mode) as client:
        rec = await client.call_tool(
            "recommend_patterns", {"scenario": "Deleting a comment should fade the row out right away"}
        )
        assert not rec.is_error, _text(rec)
        rec_model = RecommendResult.model_validate(rec.structured_content)
        assert "delete_with_transition" in [p.id for p in rec_model.patterns]

        snip = await client.call_tool(
            "generate_snippet", {"pattern": "delete_with_transition", "params": {"resource": "comment"}}
        )
        assert not snip.is_error, _text(snip)
        snippet = SnippetResult.model_validate(snip.structured_content)
        assert snippet.checks.parsed and any("comment" in f.path for f in snippet.files)

        code = (
            "defmodule MyAppWeb.PageLive do\n  use MyAppWeb, :live_view\n\n"
            "  def mount(_params, _session, socket) do\n    {:ok, socket}\n  end\nend\n"
        )
        default = await client.call_tool("review_code", {"code": code, "filename": "page_live.ex"})
        assert ReviewResult.model_validate(default.structured_content).findings == []
        review = await client.call_tool("review_code", {"code": code, "filename": "page_live.ex", "strict": True})
        assert not review.is_error, _text(review)
        reviewed = ReviewResult.model_validate(review.structured_content)
        assert reviewed.language == "elixir" and reviewed.parse_ok
        # A module with no @impl at all is a house style: reported in strict mode, at medium confidence.
        assert [(f.rule, f.confidence) for f in reviewed.findings] == [("missing_impl_true", "medium")]

        clar = await client.call_tool("clarify_request", {"request": "what does cancel_async do?"})
        assert not clar.is_error, _text(clar)
        assert ClarifyResult.model_validate(clar.structured_content).underspecified is False


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("tool", "arguments", "expect"),
    [
        ("search_guidance", {"query": ""}, "empty"),
        ("search_guidance", {"query": "x" * 5_000_000}, "limit"),
        ("search_guidance", {"query": 5}, "string"),
        ("search_guidance", {"query": "loading", "limit": "many"}, "limit"),
        ("search_guidance", {"query": "loading", "liveview_version": "banana"}, "version"),
        ("generate_snippet", {"pattern": "no_such_pattern"}, "delete_with_transition"),
        ("review_code", {"code": ""}, "empty"),
        ("clarify_request", {}, "request"),
        ("lookup_api", {"names": []}, "non-empty"),
        ("lookup_api", {"names": ["stream"] * 51}, "at most 50"),
        ("lookup_api", {"names": ["x" * 5000]}, "limit"),
        ("lookup_api", {"names": [5]}, "names"),
        ("lookup_api", {"names": ["stream"], "liveview_version": "0.1"}, "older"),
        ("no_such_tool", {}, "no_such_tool"),
    ],
)
async def test_bad_input_is_a_clear_tool_error_and_the_server_keeps_answering(server, mode, tool, arguments, expect):
    async with Client(server, mode=mode) as client:
        result = await client.call_tool(tool, arguments)
        assert result.is_error
        assert expect.lower() in _text(result).lower()
        after = await client.call_tool("search_guidance", {"query": "phx-disable-with"})
        assert not after.is_error


@pytest.mark.parametrize("mode", MODES)
async def test_lookup_api_answers_names_with_facts_and_suggestions(server, mode):
    async with Client(server, mode=mode) as client:
        result = await client.call_tool("lookup_api", {
            "names": ["stream_insert update_only", "phx-viewport-top", "@myself_cid", "this.pushEvent"],
            "liveview_version": "1.0",
        })
        assert not result.is_error, _text(result)
        parsed = ApiLookupResult.model_validate(result.structured_content)
        assert parsed.liveview_version == "1.0" and parsed.version_source == "argument"
        option, binding, unknown, hook = parsed.results
        assert (option.exists, option.available, option.since) == (True, False, "1.1.0")
        assert binding.exists and binding.available and binding.kind == "binding"
        assert not unknown.exists and unknown.did_you_mean == ["@myself"]
        assert hook.kind == "hook_member" and any("Promise" in n for n in hook.notes)
        single = await client.call_tool("lookup_api", {"names": "stream_async"})
        assert ApiLookupResult.model_validate(single.structured_content).results[0].since == "1.1.5"


@pytest.mark.parametrize("mode", MODES)
async def test_knowledge_rules_and_pattern_resources(server, mode):
    async with Client(server, mode=mode) as client:
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        assert {"liveview://knowledge/{doc}", "liveview://rules/{rule}", "liveview://patterns/{pattern}"} <= templates
        one = json.loads((await client.read_resource("liveview://patterns/undo_delete")).contents[0].text)
        assert one["id"] == "undo_delete" and one["when_not"] and one["params"]
        static = {str(r.uri) for r in (await client.list_resources()).resources}
        assert "liveview://patterns" in static

        doc = await client.read_resource("liveview://knowledge/loading-states")
        assert doc.contents[0].text.startswith("---") and "loading" in doc.contents[0].text

        rule = await client.read_resource("liveview://rules/handle_async_missing_exit")
        assert ":exit" in rule.contents[0].text

        catalogue = json.loads((await client.read_resource("liveview://patterns")).contents[0].text)
        ids = {p["id"] for p in catalogue}
        assert {"optimistic_stream_insert", "delete_with_transition", "reduced_motion_css"} <= ids
        assert all("params" in p for p in catalogue)

        cues = json.loads((await client.read_resource("liveview://clarify/cues")).contents[0].text)
        delete = next(c for c in cues["concepts"] if c["name"] == "delete")
        assert delete["family"] == "interaction" and "remove the border" in delete["traps"]
        assert all(p["why"] for c in cues["concepts"] for p in c["patterns"])
        assert {"presentational_change", "form_owns_failure"} <= {o["slug"] for o in cues["overrides"]}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "uri",
    [
        "liveview://knowledge/../pyproject",
        "liveview://knowledge/..%2F..%2Fpyproject.toml",
        "liveview://knowledge/%2Fetc%2Fpasswd",
        "liveview://knowledge/loading-states.md",
        "liveview://knowledge/no-such-doc",
        "liveview://rules/..%2Fserver",
        "liveview://rules/no_such_rule",
        "liveview://patterns/..%2Fserver",
        "liveview://patterns/no_such_pattern",
        "file:///etc/passwd",
    ],
)
async def test_unknown_and_path_like_resources_are_errors(server, mode, uri):
    async with Client(server, mode=mode) as client:
        with pytest.raises(MCPError):
            await client.read_resource(uri)
        ok = await client.read_resource("liveview://patterns")
        assert ok.contents


@pytest.mark.parametrize("mode", MODES)
async def test_prompts(server, mode):
    async with Client(server, mode=mode) as client:
        names = [p.name for p in (await client.list_prompts()).prompts]
        assert names == ["review-liveview", "plan-optimistic-interaction"]
        review = await client.get_prompt("review-liveview", {"code": "<div phx-click=\"x\">x</div>"})
        assert "review_code" in review.messages[0].content.text and "phx-click" in review.messages[0].content.text
        plan = await client.get_prompt(
            "plan-optimistic-interaction", {"scenario": "archive a card", "liveview_version": "1.0"}
        )
        text = plan.messages[0].content.text
        assert "archive a card" in text and "recommend_patterns" in text and "1.0" in text


@pytest.mark.parametrize("mode", MODES)
async def test_completions(server, mode):
    async with Client(server, mode=mode) as client:
        docs = await client.complete(ResourceTemplateReference(type="ref/resource", uri="liveview://knowledge/{doc}"),
                                     {"name": "doc", "value": "load"})
        assert "loading-states" in docs.completion.values
        rules = await client.complete(ResourceTemplateReference(type="ref/resource", uri="liveview://rules/{rule}"),
                                      {"name": "rule", "value": "handle_async"})
        assert rules.completion.values == ["handle_async_missing_exit"]
        patterns = await client.complete(
            ResourceTemplateReference(type="ref/resource", uri="liveview://patterns/{pattern}"),
            {"name": "pattern", "value": "undo"})
        assert patterns.completion.values == ["undo_delete"]
        versions = await client.complete(PromptReference(type="ref/prompt", name="review-liveview"),
                                         {"name": "liveview_version", "value": "1."})
        assert versions.completion.values == ["1.2", "1.1", "1.0"]
        patterns = await client.complete(
            PromptReference(type="ref/prompt", name="plan-optimistic-interaction"), {"name": "scenario", "value": "x"}
        )
        assert patterns.completion.values == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["get_prompt", "call_tool"])
async def test_over_long_prompt_and_tool_names_are_refused_without_being_echoed(server, mode, method):
    name = "p" * 200_000
    async with Client(server, mode=mode) as client:
        if method == "get_prompt":
            with pytest.raises(MCPError) as refused:
                await client.get_prompt(name, {})
            message = str(refused.value)
        else:
            try:
                result = await client.call_tool(name, {})
                message = _text(result)
            except MCPError as exc:
                message = str(exc)
        assert "200,000 characters" in message and len(message) < 500
        assert (await client.list_prompts()).prompts


def test_log_lines_are_plain_and_cut_whatever_the_client_sent():
    from skill_server.server import MAX_LOGGED, ShortLogLines, plain_logging

    logger = logging.Logger("audit5")
    plain_logging(logger)
    (handler,) = logger.handlers
    assert type(handler) is logging.StreamHandler and isinstance(handler.formatter, ShortLogLines)
    try:
        raise ValueError("Unknown prompt: " + "x" * 1_000_000)
    except ValueError:
        record = logger.makeRecord("audit5", logging.ERROR, __file__, 1, "Unknown prompt: %s", ("x" * 1_000_000,),
                                   sys.exc_info())
    line = handler.formatter.format(record)
    assert len(line) < MAX_LOGGED + 100 and "characters)" in line
    plain_logging(logger)
    assert len(logger.handlers) == 1  # a logger that has a handler keeps it
