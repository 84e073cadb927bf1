"""Regression tests for facts in review rules' messages and docs, and in snippet patterns, that factcheck-i
corrected against the LiveView source (`tag:path:line` in each test's docstring). Each test fails on the old
wording or the old template."""

import re

import pytest

from skill_server.engine import review_code
from skill_server.patterns.checks import elixir_available
from skill_server.patterns.snippets import generate
from skill_server.review.rules.streams import stream_enumerated

from snippet_behaviour import run_scenario
from test_new_patterns import CLIENT_MODEL

STREAM_TEMPLATE = '''<p :if={Enum.empty?(@streams.messages)}>No messages yet</p>
<span>{Enum.count(@streams.messages)} new</span>
<li :for={{id, m} <- Enum.filter(@streams.messages, fn {_, m} -> m.pinned end)} id={id}>{m.body}</li>
'''


def _messages(code: str, filename: str, version: str, rule: str) -> dict[int, str]:
    result = review_code(code, filename=filename, liveview_version=version)
    return {f.line: f.message for f in result.findings if f.rule == rule}


def test_stream_enumerated_says_enum_functions_raise_and_only_count_miscounts():
    """The LiveStream's Enumerable raises outside a template comprehension on every covered version:
    reduce raises ArgumentError unless the engine marked it consumable, slice and member? raise
    RuntimeError; count returns the pending inserts
    (v0.20.0:lib/phoenix_live_view/live_stream.ex:67-96, v1.2.10:lib/phoenix_live_view/live_stream.ex:94-110,
    v0.20.0:lib/phoenix_live_view/engine.ex:79-83). The old messages said Enum.empty? and Enum.filter
    "see only the items inserted since the last render"."""
    for version in ("0.20.0", "1.2.10"):
        messages = _messages(STREAM_TEMPLATE, "messages.html.heex", version, "stream_enumerated")
        assert "raises" in messages[1] and "Enum.empty?" in messages[1]
        assert "counts only" in messages[2] and "raises" not in messages[2]
        assert "raises" in messages[3] and "Enum.filter" in messages[3]
    doc = stream_enumerated.__doc__
    assert "`Enum.empty?`, `Enum.filter` or a `for` over it see those\npending inserts" not in doc
    assert "ArgumentError" in doc and "RuntimeError" in doc


def test_duplicate_dom_id_doc_dates_the_liveviewtest_check_per_release():
    """LiveViewTest has no duplicate-id check on 0.20.x or 1.0.0; 1.0.1 added one that raises
    (v1.0.0:lib/phoenix_live_view/test has no 'Duplicate id found'; v1.0.1:lib/phoenix_live_view/test/dom.ex:42-50).
    1.0.2 turned it into IO.warn (v1.0.2:lib/phoenix_live_view/test/dom.ex:47, #3603) and 1.0.3-1.0.19 route it
    through on_error, whose default is :warn (v1.0.19:lib/phoenix_live_view/test/live_view_test.ex:350); 1.1.0
    defaults to :raise (v1.1.0:lib/phoenix_live_view/test/client_proxy.ex:26) and 1.2 keeps raising
    (v1.2.10:lib/phoenix_live_view/test/client_proxy.ex:622-623). factcheck-i's doc said the test fails
    "from 1.0.1" by default, wrong for 1.0.2-1.0.19 (factcheck-m3 medium)."""
    from skill_server.review.rules.streams import duplicate_dom_id

    doc = " ".join(duplicate_dom_id.__doc__.split())
    assert "LiveViewTest raises on duplicate ids." not in doc
    assert "From 1.0.1, LiveViewTest fails the test on a duplicate id" not in doc
    assert "1.0.2 to 1.0.x print a warning" in doc and "from 1.1.0" in doc


def test_stream_position_mismatch_says_the_client_spared_new_items_before_0_20_4():
    """Up to 0.20.3 the client's limit pruning skipped every child inserted by the patch being applied
    (v0.20.0:assets/js/phoenix_live_view/dom_patch.js:147-159, from 997f15ca in 0.19.1); 0.20.4's
    maybeLimitStream prunes them too (v0.20.4:assets/js/phoenix_live_view/dom_patch.js:383-391, 859281cf,
    #3035; v1.2.10:assets/js/phoenix_live_view/dom_patch.ts:774-788). The old message said the new item
    is dropped on every version."""
    code = '''defmodule MyAppWeb.ChatLive do
  use MyAppWeb, :live_view

  def handle_info({:message, message}, socket) do
    {:noreply, stream_insert(socket, :messages, message, at: -1, limit: 100)}
  end
end
'''
    old = _messages(code, "chat_live.ex", "0.20.3", "stream_position_mismatch")[5]
    new = _messages(code, "chat_live.ex", "0.20.4", "stream_position_mismatch")[5]
    assert "grows past the limit" in old and "new item is dropped" not in old
    assert "new item is dropped" in new


@pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH: behaviour scenarios need it")
def test_a_limited_pubsub_stream_streams_only_the_rows_its_ids_track_on_0_20_3():
    """0.20.0-0.20.3 clients spare every item of the patch being applied from limit pruning
    (v0.20.3:assets/js/phoenix_live_view/dom_patch.js, 'if we are re-adding it'), so the first stream/4's
    limit: is not applied and the client holds every row mount streams; 0.20.4 prunes them
    (v0.20.4:assets/js/phoenix_live_view/dom_patch.js:383-391). The pattern's note says the client keeps
    the first N rows and its @ids (the ids the client holds, before 1.1) took only N: the first page must
    be cut to N on the server."""
    source = generate("scoped_pubsub_stream", {"limit": 3}, "0.20.3").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: %{user: %{id: 7}}})
{:ok, s} = Subject.mount(%{}, %{}, s)
[{:stream, :posts, rows, _opts}] = Enum.filter(calls(), &match?({:stream, :posts, _, _}, &1))
if Enum.map(rows, & &1.id) != s.assigns.ids, do: raise "streamed #{inspect(Enum.map(rows, & &1.id))} but @ids #{inspect(s.assigns.ids)}"
""", CLIENT_MODEL + """
defmodule MyApp.Blog do
  def list_posts(_scope), do: Enum.map(5..1//-1, &%{id: &1, title: "t"})
  def subscribe_posts(scope), do: Harness.Stubs.record({:subscribed, scope})
end
""")


def test_phx_update_ignore_freezes_the_elements_own_attributes_from_0_20_4():
    """From 0.20.4 the client's mergeAttrs sets only data-* attributes on a phx-update="ignore" element
    (v0.20.4:assets/js/phoenix_live_view/dom.js:407, v1.2.10:assets/js/phoenix_live_view/dom.ts:600-604);
    0.20.3 still set every attribute (v0.20.3:assets/js/phoenix_live_view/dom.js:353-371). The old doc said
    "the ignored element's own attributes are still patched" and a should-not-report fixture kept
    `<img src={@src} phx-update="ignore">`, frozen on 0.20.4-1.2.10 (factcheck-m3 medium)."""
    from skill_server.review.rules.streams import phx_update_ignore_dynamic_content as rule

    code = '<img id="avatar" src={@src} data-size={@size} phx-update="ignore" />\n'

    def findings(version):
        result = review_code(code, filename="avatar.html.heex", liveview_version=version, strict=True)
        return [f for f in result.findings if f.rule == "phx_update_ignore_dynamic_content"]

    for version in ("0.20.4", "1.0.0", "1.2.10"):
        [finding] = findings(version)
        assert "`src`" in finding.message and "data-size" not in finding.message
    assert findings("0.20.3") == []
    doc = " ".join(rule.__doc__.split())
    assert "own attributes are still patched" not in doc
    assert "except `data-*`" in doc and "0.20.4" in doc

# Fact-check m1 (fc-m1, /work/coord/factcheck-m1-report.md).

PHOENIX_17_ONLY = re.compile(r"<\.(modal|simple_form|back)\b|\b(show_modal|hide_modal)\b")


def _rule_docs_offering_17_only_components(docs: dict[str, str]) -> list[str]:
    """Rule docs that name a core component only Phoenix 1.7 generates (`<.modal>`, `<.simple_form>`, `<.back>`,
    show_modal/hide_modal) in a paragraph that does not say so: rules run on LiveView 1.1+, whose Phoenix 1.8
    apps have none of them, so a `Use instead` naming one is an undefined component there."""
    bad = []
    for slug, doc in docs.items():
        for paragraph in re.split(r"\n\s*\n", doc):
            if PHOENIX_17_ONLY.search(paragraph) and "Phoenix 1.7" not in " ".join(paragraph.split()):
                bad.append(slug)
    return bad


def test_rule_docs_label_phoenix_17_only_core_components():
    """fc-m1 m3: modal_missing_dialog_semantics (LV708, every covered version) offered "Phoenix's `<.modal>`
    core component" as the fix; Phoenix 1.8 (LiveView 1.1+) generates no modal
    (phoenix@v1.8.0:installer/templates/phx_web/components/core_components.ex has flash, button, input, header,
    table, list, icon; phoenix@v1.7.0:...:48 def modal)."""
    from skill_server.review.registry import all_rules
    docs = {loaded.rule.slug: loaded.explanation for loaded in all_rules()}
    assert _rule_docs_offering_17_only_components(docs) == []


def test_the_phoenix_17_rule_doc_check_catches_the_old_doc():
    old = ('## Use instead\n```heex\n<div id="confirm-modal" role="dialog" aria-modal="true">...</div>\n```\n'
           "or Phoenix's `<.modal>` core component.\n")
    assert _rule_docs_offering_17_only_components({"modal_missing_dialog_semantics": old}) == [
        "modal_missing_dialog_semantics"]
