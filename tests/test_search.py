"""Search: tokenizer, chunking, ranking, version handling, caching and bad input (on a fixture corpus)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skill_server.errors import InputError
from skill_server.knowledge import index as index_module
from skill_server.knowledge.corpus import chunk_document, document_text, load_document
from skill_server.knowledge.search import MAX_QUERY_CHARS, query_tokens, search
from skill_server.engine import search_guidance
from skill_server.knowledge.tokenizer import tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JS.push", {"js.push", "js", "push"}),
        ("phx-disable-with", {"phx-disable-with", "phx", "disable"}),
        ("handle_async/3", {"handle_async/3", "handle_async", "handle", "async"}),
        ("@impl true", {"@impl", "impl"}),
        ("to: {:closest, \".row\"}", {":closest", "closest", "row"}),
        ("used_input?(field)", {"used_input?", "input", "field"}),
        ("connected?(socket)", {"connected?", "connect", "socket"}),
        ("Phoenix.LiveView.JS.toggle_attribute/3", {"js.toggle_attribute", "toggle_attribute", "toggle", "attribute"}),
    ],
)
def test_api_names_stay_whole_and_split_into_parts(text, expected):
    assert expected <= set(tokenize(text))


def test_latin_abbreviations_add_no_one_letter_tokens():
    assert tokenize("a controller (e.g. for login), i.e. a POST") == ["controller", "login", "post"]


def test_plain_words_are_stemmed_and_stop_words_dropped():
    tokens = tokenize("Why are my streams cancelled when the items are loading?")
    assert "stream" in tokens and "cancel" in tokens and "item" in tokens and "load" in tokens
    assert "why" not in tokens and "the" not in tokens
    # A question mark ends a question; it is not part of a predicate name.
    assert "load?" not in tokens and "loading?" not in tokens


def test_synonyms_expand_what_people_type():
    assert "load" in query_tokens("the spinner never shows")  # "loading", stemmed like the documents
    assert "phx-disable-with" in query_tokens("user double click creates two rows")


def test_chunks_follow_level_two_headings_and_carry_section_meta(fixture_roots):
    doc = load_document(fixture_roots[0] / "feedback.md")
    chunks = {c.id: c for c in chunk_document(doc)}
    assert set(chunks) == {
        "feedback#intro",
        "feedback#marking-another-element-as-loading",
        "feedback#streaming-results-that-arrive-later",
        "feedback#filtering-form-errors-before-1-0",
    }
    loading = chunks["feedback#marking-another-element-as-loading"]
    assert loading.since == "0.20.0" and "busy results" in loading.aliases
    assert "```elixir" in loading.text and "<!--" not in loading.text  # code stays, meta comment goes
    assert chunks["feedback#streaming-results-that-arrive-later"].since == "1.1.5"
    removed = chunks["feedback#filtering-form-errors-before-1-0"]
    assert removed.until == "1.0.0" and "A subsection stays in its section" in removed.text


def test_hash_heading_inside_code_block_does_not_split(tmp_path):
    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "code.md").write_text(
        "---\ntitle: Code\n---\n# Code\n\n## Real section\n<!-- since: 0.20.0 -->\n\n```markdown\n## not a heading\n```\n"
    )
    chunks = chunk_document(load_document(root / "code.md"))
    assert [c.section for c in chunks] == ["Real section"]
    assert "## not a heading" in chunks[0].text


def test_search_ranks_the_section_that_answers(fixture_roots):
    result = search("spinner on another element while the click is pending", roots=fixture_roots)
    assert result.hits[0].id == "feedback#marking-another-element-as-loading"
    assert result.hits[0].uri == "liveview://knowledge/feedback"
    assert "loading:" in result.hits[0].text


def test_version_down_ranks_and_says_why(fixture_roots):
    newest = search("stream async results", roots=fixture_roots)
    assert newest.hits[0].id == "feedback#streaming-results-that-arrive-later"
    assert newest.hits[0].version_note is None
    old = search("stream async results", liveview_version="1.0", roots=fixture_roots)
    streamed = next(h for h in old.hits if h.id == "feedback#streaming-results-that-arrive-later")
    assert "1.1.5" in streamed.version_note
    assert streamed.score < newest.hits[0].score


def test_a_release_line_keeps_a_later_patch_of_that_line_in_rank_with_its_note(fixture_roots):
    # "1.1" names a release line: a section from 1.1.5 keeps its score (with the note), while "1.1.0" and
    # "1.0" (a named patch release, another line) push it down.
    newest = search("stream async results", roots=fixture_roots)
    top = newest.hits[0]
    assert top.id == "feedback#streaming-results-that-arrive-later"
    by_version = {}
    for asked in ("1.1", "1.1.0", "1.0"):
        result = search("stream async results", liveview_version=asked, roots=fixture_roots)
        by_version[asked] = next(h for h in result.hits if h.id == top.id)
        assert "1.1.5" in by_version[asked].version_note
    assert by_version["1.1"].score == top.score
    assert by_version["1.1.0"].score < top.score
    assert by_version["1.0"].score < top.score


def test_removed_api_section_is_noted_on_newer_versions(fixture_roots):
    result = search("phx-feedback-for errors", liveview_version="1.1", roots=fixture_roots)
    hit = next(h for h in result.hits if h.id == "feedback#filtering-form-errors-before-1-0")
    assert "1.0.0" in hit.version_note
    old = search("phx-feedback-for errors", liveview_version="0.20.17", roots=fixture_roots)
    assert next(h for h in old.hits if h.id == hit.id).version_note is None


def test_newer_than_known_version_answers_for_newest_with_a_note(fixture_roots):
    result = search("loading", liveview_version="1.3.0", roots=fixture_roots)
    assert any("newer than the knowledge" in n for n in result.notes)


@pytest.mark.parametrize(
    ("query", "limit", "message"),
    [
        ("", 5, "empty"),
        ("   \n", 5, "empty"),
        ("x" * (MAX_QUERY_CHARS + 1), 5, "limit is"),
        ("a\x00b", 5, "NUL"),
        ("loading", 0, "limit must be"),
        ("loading", 500, "limit must be"),
        (5, 5, "must be a string"),
    ],
)
def test_bad_queries_are_clear_errors(fixture_roots, query, limit, message):
    with pytest.raises(InputError, match=message):
        search(query, limit=limit, roots=fixture_roots)


def test_bad_versions_are_clear_errors(fixture_roots):
    with pytest.raises(InputError, match="not a version"):
        search("loading", liveview_version="latest-ish", roots=fixture_roots)
    with pytest.raises(InputError, match="older than"):
        search("loading", liveview_version="0.18", roots=fixture_roots)


def test_only_stop_words_gives_a_note_not_an_error(fixture_roots):
    result = search("how do I the", roots=fixture_roots)
    assert result.hits == [] and result.notes


def test_index_is_cached_by_content_and_rebuilt_on_change(tmp_path, monkeypatch):
    corpus = tmp_path / "knowledge"
    shutil.copytree(Path(__file__).parent / "data/corpus/knowledge", corpus)
    cache = tmp_path / "cache"
    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(cache))
    roots = (corpus,)
    first = index_module.load_index(roots)
    files = list(cache.glob("index-*.json"))
    assert len(files) == 1 and first.key in files[0].name
    assert len(json.loads(files[0].read_text())["chunks"]) == len(first.chunks)

    builds = []
    real_build = index_module.build
    monkeypatch.setattr(index_module, "build", lambda paths, key: builds.append(key) or real_build(paths, key))
    index_module.load_index.cache_clear()
    again = index_module.load_index(roots)
    assert builds == [] and [c.id for c in again.chunks] == [c.id for c in first.chunks]
    assert again.scores(["loading"]) == first.scores(["loading"])

    (corpus / "feedback.md").write_text((corpus / "feedback.md").read_text() + "\nMore.\n")
    index_module.load_index.cache_clear()
    index_module.load_index(roots)
    assert len(builds) == 1  # a changed document means a new key and a rebuild
    index_module.load_index.cache_clear()


def test_scores_from_cached_statistics_equal_rank_bm25(fixture_roots):
    from rank_bm25 import BM25Okapi

    from skill_server.knowledge.corpus import document_paths

    index = index_module.build(document_paths(fixture_roots), "test")
    reference = BM25Okapi([index_module.chunk_tokens(c) for c in index.chunks], k1=index_module.K1, b=index_module.B)
    for query in (["load", "js.push"], ["stream_async", "stream", "async"], ["nothing-matches"], ["submit"] * 3):
        assert index.scores(query) == pytest.approx(list(reference.get_scores(query)), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", ["../pyproject", "..%2Fpyproject", "/etc/passwd", "feedback.md", "Feedback", "", "a" * 200])
def test_document_names_cannot_reach_other_files(fixture_roots, name):
    with pytest.raises(InputError):
        document_text(name, roots=fixture_roots)


def test_document_text_returns_the_whole_markdown(fixture_roots):
    text = document_text("feedback", roots=fixture_roots)
    assert text.startswith("---") and "## Streaming results that arrive later" in text


def test_hits_outside_the_knowledge_are_marked_weak_with_a_note():
    from skill_server.knowledge.search import search

    off = search("Oban worker retries: how to set max_attempts and a custom backoff?", limit=3)
    assert off.weak and all(h.weak for h in off.hits)
    assert any(n.startswith("Weak match") for n in off.notes)
    assert any("max_attempts" in n and "not LiveView API" in n for n in off.notes)
    on = search("How do I show a loading state on another element while my click event is pending?", limit=3)
    assert not on.weak and not on.notes and on.hits[0].coverage >= 0.5


def test_a_liveview_name_the_knowledge_lacks_is_named_as_liveview_api():
    from skill_server.knowledge.search import weak_notes
    from skill_server.knowledge.coverage import question_terms
    from skill_server.knowledge.index import load_index

    from skill_server.api_lookup.catalogue import catalogue

    idf = dict(load_index().idf)
    functions = [r for r in catalogue() if r.kind == "function" and "_" in r.name and r.until is None]
    record = next((r for r in functions if r.name not in idf and f"{r.module}.{r.name}".lower() not in idf),
                  functions[0])
    untaught = f"{record.module}.{record.name}"
    # The knowledge may teach every function by now: then take one out of the vocabulary, as if it did not.
    name_term = next(t for t in question_terms(untaught, idf) if t.text == untaught)
    for form in name_term.forms:
        idf.pop(form, None)
    terms = question_terms(f"{untaught} for Ecto.Multi", idf)
    notes = weak_notes(terms, [(set(), set())])
    assert any(untaught in n and "LiveView API the guidance does not teach" in n for n in notes)
    assert any("Ecto.Multi" in n and "not LiveView API" in n for n in notes)


def test_question_terms_weigh_names_over_plain_words():
    from skill_server.knowledge.coverage import NAME_WEIGHT, UNKNOWN_WORD, WORD_CAP, coverage, question_terms
    from skill_server.knowledge.index import load_index

    idf = load_index().idf
    terms = {t.text: t for t in question_terms("Why does Oban retry stream_insert and Repo.insert with :error qwzx?", idf)}
    assert terms["Oban"].is_name and not terms["Oban"].known  # capitalized and unknown: a name
    assert terms["stream_insert"].is_name and terms["stream_insert"].weight > WORD_CAP
    assert "insert" not in terms["Repo.insert"].forms  # a qualified call is not its bare plain word
    assert not terms["error"].is_name and terms["error"].weight <= WORD_CAP  # a bare atom is a value
    assert terms["qwzx"].weight == UNKNOWN_WORD
    # Beside LiveView API, a name the knowledge never uses weighs like a rare word; alone, it is the topic.
    assert terms["Oban"].weight == WORD_CAP
    alone = {t.text: t for t in question_terms("Oban retries with Repo.insert", idf)}
    assert alone["Oban"].weight == NAME_WEIGHT * max(idf.values())
    assert coverage(list(terms.values()), set()) == 0.0 and coverage([], set()) == 1.0


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("How can I redirect from a LiveComponent?", "navigation#push-patch-push-navigate-and-redirect-from-the-server"),
        ("How do I focus an input after it is rendered?",
         "js-commands-in-depth#focus-for-dialogs-focus-focus-first-push-focus-pop-focus"),
    ],
)
def test_everyday_phrasings_reach_the_section_that_answers(query, section):
    # synonyms.toml: "redirect from a component", "focus an input", "slow external API ... without blocking"
    # are how people ask; the knowledge says push_navigate, JS.focus, start_async/assign_async.
    ids = [h.id for h in search_guidance(query, limit=3).hits]
    assert any(i.startswith(section) for i in ids), ids


def test_a_slow_call_without_blocking_is_about_async_work_not_upload_timeouts():
    hits = search_guidance("How do I handle a timeout of a slow external API call without blocking the LiveView?").hits
    assert hits[0].id.startswith("async-work#"), [h.id for h in hits]


def test_a_pasted_error_message_that_a_section_names_is_not_weak_amid_a_long_story():
    # the story around the message (dashboard, sidebar, poller) is the asker's; the message is the topic
    result = search('Our dashboard keeps logging `no DOM ID for hook "Sparkline". Hooks require a unique ID on each '
                    'element.` every time the sidebar widgets and the metrics table refresh from the poller, and '
                    'then charts randomly break', limit=3)
    top = result.hits[0]
    assert top.id == "js-hooks#unknown-hook-found-and-other-reasons-a-hook-never-runs"
    assert not top.weak and not result.weak


def test_a_question_naming_an_api_the_asked_version_lacks_gets_its_section_first_with_a_note():
    """Other newer sections give way to the asked version's, but the one named for the API asked about does not:
    `stream_async` asked at 1.0 is answered by its 1.1.5 section, which says so."""
    result = search("stream_async", limit=5, liveview_version="1.0")
    assert result.hits[0].id == "async-results#stream-async-options-and-errors-1-1-5"
    assert result.hits[0].version_note and "1.1.5" in result.hits[0].version_note
    plain = search("load a list in the background and stream it", limit=5, liveview_version="1.0")
    assert not (plain.hits[0].since or "").startswith("1.1")  # no API named: the asked version's sections lead
