"""Property-based tests over every tool's inputs: random text, random bytes decoded leniently and random
Elixir/HEEx-like fragments. Nothing but InputError may escape, and every result validates against the
tool's published output schema."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill_server import engine
from skill_server.errors import InputError
from skill_server.models import ClarifyResult, RecommendResult, ReviewResult, SearchResult, SnippetResult

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = [
    "defmodule ", "MyAppWeb.PageLive", " do\n", "end\n", "def ", "defp ", "mount(_params, _session, socket)",
    "handle_event(\"save\", %{\"id\" => id}, socket)", "{:noreply, socket}", "|> ", "assign(socket, :x, 1)",
    "~H\"\"\"\n", "\"\"\"\n", "<div", " phx-click=", "{JS.push(\"x\", loading: \"#a\")}", ">", "</div>", "<%= ", " %>",
    "<%!-- c --%>", "{@x}", ":for={x <- @xs}", "@impl true\n", "# comment\n", "\"string ", "'", "(", ")", "[", "]",
    "%{", "}", "<<", ">>", "fn -> ", "start_async(socket, :a, fn -> 1 end)", "if connected?(socket) do\n", "\n",
    "  ", "\t", "mounted() {", "this.el", "}", "@media (prefers-reduced-motion: reduce) {", "phx-hook=\"X\"",
    "\x00", "\ufeff", "é", "😀", "\r\n",
]
fragments = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
lenient_bytes = st.binary(max_size=2000).map(lambda b: b.decode("utf-8", errors="replace"))
any_text = st.one_of(st.text(max_size=400), lenient_bytes, fragments)
versions = st.one_of(st.none(), st.sampled_from(["0.20", "1.0", "1.1.5", "1.2", "9.9", "0.1", "x", ""]), st.text(max_size=8))
filenames = st.one_of(st.none(), st.sampled_from(
    ["a.ex", "b.exs", "c.html.heex", "d.heex", "app.js", "hook.ts", "app.css", "x.py", "noext", "../../etc/passwd"]
))


def _schema(model) -> dict:
    return model.model_json_schema()


def _check(model_cls, call):
    try:
        result = call()
    except InputError as exc:
        assert str(exc)  # a clear message, never empty
        return
    assert isinstance(result, model_cls)
    jsonschema.validate(result.model_dump(mode="json"), _schema(model_cls))


@FUZZ
@given(query=any_text, limit=st.integers(-3, 30), version=versions)
def test_search_guidance_never_crashes(query, limit, version):
    _check(SearchResult, lambda: engine.search_guidance(query, limit=limit, liveview_version=version))


@FUZZ
@given(code=any_text, filename=filenames, version=versions, strict=st.booleans())
def test_review_code_never_crashes(code, filename, version, strict):
    _check(ReviewResult, lambda: engine.review_code(code, filename=filename, liveview_version=version, strict=strict))


@FUZZ
@given(request=any_text)
def test_clarify_request_never_crashes(request):
    _check(ClarifyResult, lambda: engine.clarify_request(request))


@FUZZ
@given(scenario=any_text, version=versions, limit=st.integers(-1, 20))
def test_recommend_patterns_never_crashes(scenario, version, limit):
    _check(RecommendResult, lambda: engine.recommend_patterns(scenario, liveview_version=version, limit=limit))


@pytest.fixture(scope="module")
def pattern_ids() -> list[str]:
    return [p.id for p in engine.list_patterns()]


param_values = st.one_of(
    st.text(max_size=60), st.integers(-10_000, 10_000), st.booleans(), st.none(),
    st.lists(st.text(max_size=12), max_size=5), st.sampled_from(["comment", "MyApp.Blog", "MyAppWeb", "stream", "assign"]),
)
param_names = st.sampled_from(
    ["resource", "context", "web_module", "fields", "field", "collection", "transition_ms", "undo_ms", "debounce_ms",
     "limit", "component", "topic", "hook", "max_entries", "accept", "unknown_param", "__class__", "{{x}}"]
)


@FUZZ
@given(data=st.data(), version=versions)
def test_generate_snippet_never_crashes(pattern_ids, data, version):
    pattern = data.draw(st.one_of(st.sampled_from(pattern_ids), st.text(max_size=20)))
    params = data.draw(st.dictionaries(param_names, param_values, max_size=4))
    _check(SnippetResult, lambda: engine.generate_snippet(pattern, params, liveview_version=version))


@FUZZ
@given(names=st.one_of(any_text, st.lists(any_text, max_size=8), st.integers(), st.none()), version=versions)
def test_lookup_api_never_crashes(names, version):
    from skill_server.models import ApiLookupResult

    _check(ApiLookupResult, lambda: engine.lookup_api(names, liveview_version=version))
