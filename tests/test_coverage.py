"""The weak-hit signal: how a question is read (its terms and scope) and how much of it a hit must hold.

Terms are read against the real index's vocabulary (idf); the coverage rules are checked on token sets made here,
so each test names the rule it holds and would fail if the rule went."""

from __future__ import annotations

import pytest

from skill_server.knowledge.coverage import (
    LONG_QUESTION,
    NAME_WEIGHT,
    SHORT_QUESTION,
    WEAK_BELOW,
    WORD_CAP,
    coverage,
    missing,
    question_terms,
    quoted_runs,
    quotes,
    read_question,
)
from skill_server.knowledge.index import load_index


@pytest.fixture(scope="module")
def idf():
    return load_index().idf


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("How do I use stream_insert with update_only?", "liveview"),  # LiveView API
        ("pushEvent never resolves in my hook", "liveview"),  # a hook member, camelCase
        ("is my live view slow because of the database?", "liveview"),  # LiveView named in words
        ("How do I preload an association with Repo.preload?", "other"),  # another library's function
        ("GenServer handle_continue versus init", "other"),  # CamelCase module, not LiveView's
        ("How do I deploy to Fly.io with Docker?", "other"),  # products named mid-sentence
        ("Oban retries for a failing job", "other"),  # a capitalized first word the knowledge never uses
        ("keep the selected tab and filters in the URL", "plain"),  # URL is an acronym, not a product
        ("Ability to get the entries without consuming them", "plain"),  # an English word starts the sentence
        ("Hot Upgrade Breaks When There Are Two Releases", "plain"),  # Title Case: capitals mark no names
    ],
)
def test_the_scope_says_what_the_question_is_about(idf, question, scope):
    assert read_question(question, idf).scope == scope


def test_a_question_about_another_library_needs_nearly_all_of_it():
    assert WEAK_BELOW["other"] > WEAK_BELOW["plain"] > WEAK_BELOW["liveview"]


def test_a_short_plain_question_needs_the_share_of_a_question_about_another_library(idf):
    short = read_question("Explicit reconnect doesn't rejoin channels", idf)
    assert short.scope == "plain" and len(short.terms) <= SHORT_QUESTION
    assert short.weak_below == WEAK_BELOW["other"]
    # two of its four words are generic LiveView prose: half the question is not an answer to it
    half = {form for t in short.terms if t.text in ("reconnect", "rejoin") for form in t.forms}
    assert coverage(short.terms, half) < short.weak_below
    longer = read_question("keep the selected tab, filters and sort order in the URL after reload", idf)
    assert longer.scope == "plain" and len(longer.terms) > SHORT_QUESTION
    assert longer.weak_below == WEAK_BELOW["plain"]
    assert read_question("stream_insert at: 0", idf).weak_below == WEAK_BELOW["liveview"]  # not for LiveView's


def test_a_word_the_knowledge_never_uses_is_the_topic_of_a_short_question(idf):
    short = {t.text: t for t in question_terms("How to use distillery to run migrations on update", idf)}
    assert short["distillery"].kind == "unknown" and short["distillery"].weight == WORD_CAP
    long = {t.text: t for t in question_terms(
        "my form validation shows errors altough the changeset is valid after the user submits twice", idf)}
    assert long["altough"].kind == "unknown" and long["altough"].weight < 1.0  # a typo among many words
    beside_liveview = {t.text: t for t in question_terms("distillery breaks stream_insert", idf)}
    assert beside_liveview["distillery"].weight < 1.0


def test_ways_of_asking_are_not_terms(idf):
    texts = {t.text.lower() for t in question_terms(
        "Any idea where I can find resources on stream limits? I've searched everywhere and they don't seem to exist",
        idf)}
    assert {"stream", "limits"} <= texts
    assert not texts & {"idea", "everywhere", "seem", "ve", "don", "t"}  # filler and contraction tails


def test_how_an_action_went_is_not_a_topic(idf):
    # "after a successful submit": the outcome word says when, not what; as a term the knowledge never uses it
    # made a short question weak although its first hit answered it.
    texts = {t.text.lower() for t in question_terms("How do I reset a form after successful submit?", idf)}
    assert {"reset", "form", "submit"} <= texts and "successful" not in texts


def test_liveview_named_in_words_is_no_term(idf):
    assert {t.text.lower() for t in question_terms("liveview form recovery in HEEx", idf)} == {"form", "recovery"}


def test_another_librarys_name_counts_only_where_the_prose_uses_it(idf):
    terms = question_terms("GenServer handle_continue", idf)
    names = {form for t in terms for form in t.forms}
    assert coverage(terms, names, prose=set()) == 0.0  # only in a code example: not what the section is about
    assert coverage(terms, names, prose=names) == 1.0
    assert {t.text for t in missing(terms, names, prose=set())} == {"GenServer", "handle_continue"}


def test_liveview_names_count_in_code_examples_too(idf):
    terms = question_terms("stream_insert at: 0", idf)
    tokens = {form for t in terms for form in t.forms}
    assert coverage(terms, tokens, prose=set()) == 1.0


def test_names_the_knowledge_never_uses_weigh_by_scope(idf):
    ceiling = max(idf.values())
    beside_liveview = {t.text: t for t in question_terms("handle_event gets @details_changeset from save_details", idf)}
    assert beside_liveview["save_details"].weight == WORD_CAP  # the asker's own code
    beside_other = {t.text: t for t in question_terms("how to tune Oban.Queue with max_concurrency_xyz", idf)}
    assert beside_other["max_concurrency_xyz"].weight == NAME_WEIGHT * ceiling  # that library's option: the topic
    assert beside_other["Oban.Queue"].weight == NAME_WEIGHT * ceiling
    alone = read_question("how to tune max_concurrency_xyz", idf)
    assert alone.scope == "plain"  # a bare snake_case name marks no library: most often the asker's own function
    term = {t.text: t for t in alone.terms}["max_concurrency_xyz"]
    assert term.kind == "code" and term.weight == NAME_WEIGHT * ceiling  # but outside LiveView it is the topic


@pytest.mark.parametrize(
    ("question", "name", "kind", "scope"),
    [
        # Elixir's own exceptions and standard library, the browser's JavaScript: no other library
        ("I get an ArgumentError at GET /welcome from my mount", "ArgumentError", "platform", "plain"),
        ("IO.inspect prints nothing in my callback", "IO.inspect", "platform", "plain"),
        ("the banner should wait without a setTimeout call", "setTimeout", "platform", "plain"),
        # the asker's own code: a LiveView module named the Phoenix way, an ignored variable, a bare function
        ("FunctionClauseError in KeilaWeb.ContactImportLive.terminate/2", "KeilaWeb.ContactImportLive.terminate/2",
         "code", "liveview"),
        ("my def mount(_session, socket) never runs", "_session", "code", "plain"),
        ("return an error from my presign_url function", "presign_url", "code", "plain"),
        # LiveView's own assign written as an atom
        ("available assigns: [:flash, :live_action]", ":live_action", "liveview", "liveview"),
        # other libraries still mark the question
        ("DBConnection.ConnectionError when running Ecto.Query", "Ecto.Query", "other", "other"),
        ("DynamicSupervisor.start_child/2 says already started", "DynamicSupervisor.start_child/2", "other", "other"),
    ],
)
def test_names_of_the_platform_and_of_the_asker_mark_no_library(idf, question, name, kind, scope):
    read = read_question(question, idf)
    assert {t.text: t.kind for t in read.terms}[name] == kind
    assert read.scope == scope


def test_numbers_and_abbreviations_are_no_terms(idf):
    texts = {t.text for t in question_terms("raising the timeout to 10_000, e.g. for slow pages", idf)}
    assert not texts & {"_000", "10_000", "e.g", "E.g"} and "timeout" in texts


def test_a_long_question_needs_a_smaller_share(idf):
    """Past LONG_QUESTION terms a question is mostly story: the share needed falls with the square root of length."""
    story = ("In my calendar app the streams hold dates and I render two elements from the same date value, "
             "so the dom ids clash between the May and June calendars on one screen; how do I give each its own id "
             "without rebuilding the stream from scratch every time the month changes?")
    long = read_question(story, idf)
    assert len(long.terms) > LONG_QUESTION
    assert long.weak_below == pytest.approx(WEAK_BELOW[long.scope] * (LONG_QUESTION / len(long.terms)) ** 0.5)
    plain = read_question("stream items share a dom id in my table", idf)
    assert SHORT_QUESTION < len(plain.terms) <= LONG_QUESTION and plain.weak_below == WEAK_BELOW[plain.scope]


def test_variables_and_hyphenated_words_are_not_api_names(idf):
    terms = {t.text: t for t in question_terms("form.errors is empty on the back-end", idf)}
    assert terms["form.errors"].kind == "code" and "errors" in terms["form.errors"].forms
    assert "back-end" not in terms and {"back", "end"} <= {t.text for t in terms.values()}
    assert read_question("form.errors is empty on the back-end", idf).scope == "plain"


def test_a_qualified_camel_case_member_matches_its_bare_name(idf):
    term = next(t for t in question_terms("this.pushEventTo targets a component", idf) if t.is_name)
    assert term.kind == "liveview" and "pusheventto" in term.forms


def test_prose_tokens_leave_code_blocks_out(tmp_path, monkeypatch):
    from skill_server.knowledge import index as index_module

    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "poll.md").write_text(
        "---\ntitle: Polling\n---\n# Polling\n\n## One process that polls\n<!-- since: 0.20.0 -->\n\n"
        "A GenServer polls and broadcasts.\n\n```elixir\ndef handle_continue(:poll, state), do: {:noreply, state}\n```\n"
    )
    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(tmp_path / "cache"))
    index = index_module.build(index_module.document_paths((root,)), "test")
    assert {"handle_continue", "genserver"} <= set(index.term_freqs[0])
    assert "genserver" in index.prose_tokens(0) and "handle_continue" not in index.prose_tokens(0)


def test_the_knowledge_s_own_casing_tells_products_from_emphasis():
    index = load_index()
    assert {"ecto", "phoenix", "elixir", "tailwind"} <= index.names  # written capitalized mid-sentence
    assert not {"form", "event", "channels", "external"} & index.names  # written in lower case

    def scope(question):
        return read_question(question, index.idf, index.names).scope

    assert scope("When outputting form.errors the list is empty. Should the Form have errors?") == "plain"
    assert scope("I can already store the address in Channels that I control") == "plain"
    assert scope("a unique index with Ecto on a large table") == "other"  # the knowledge writes Ecto capitalized
    assert scope("retries with Oban for a failing job") == "other"  # a word the knowledge never uses
    # without the knowledge's casing every capitalized word mid-sentence is a product, as before
    assert read_question("I can already store the address in Channels that I control", index.idf).scope == "other"


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("handle_info/2 crashes when the message is unexpected", "liveview"),  # alone: LiveView's callback
        ("In a GenServer, handle_call returns {:noreply, state} but a :timeout arrives", "other"),  # GenServer's
        ("Task.async in my stage logs Undefined handle_info", "other"),
        ("integrate custom elements into phoenix_live_view", "liveview"),  # LiveView by its package name
        ("clearTimeout(progressTimeout) in the loading listener", "plain"),  # the asker's JavaScript variable
    ],
)
def test_callbacks_shared_with_otp_say_liveview_only_alone(idf, question, scope):
    assert read_question(question, idf).scope == scope


@pytest.fixture(scope="module")
def names():
    return load_index().names


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        # a phx- binding written as an Elixir keyword is the binding: LiveView's
        ("the phx_change event is not triggered once an option is clicked", "liveview"),
        # a name one letter from a LiveView function is a slip, not the asker's code
        ("when I have a link using a patch, assert_path shows the new path but the HTML is old", "liveview"),
        # Phoenix's parts taught with LiveView name no other library
        ("why PubSub.subscribe(MyApp.PubSub, \"credits\") and not a per-user topic", "plain"),
        ("MyAppWeb.Endpoint.broadcast_from sends from the current process", "plain"),
        # a quote marker starts a sentence: its capitalized first word is no product
        ("> Invoking the broadcast sends a message to every subscriber", "plain"),
        # a word the knowledge only writes capitalized is a product even first in a sentence
        ("Ecto query with a subquery to rank rows per group", "other"),
    ],
)
def test_classes_of_names_that_say_what_a_question_is_about(idf, names, question, scope):
    assert read_question(question, idf, names).scope == scope


def test_a_keyword_binding_counts_as_present_where_the_binding_is(idf):
    (term,) = [t for t in question_terms("phx_change is ignored", idf) if t.text == "phx_change"]
    assert term.kind == "liveview" and "phx-change" in term.forms


def test_the_askers_own_code_weighs_as_a_word_when_underscored_or_in_a_long_question(idf):
    underscored = read_question("live endpoints cannot set the _redirected_to cookie after login", idf)
    assert next(t for t in underscored.terms if t.text == "_redirected_to").weight == WORD_CAP
    short = read_question("how to upsert with on_conflict", idf)  # a short question's name is its topic
    assert next(t for t in short.terms if t.text == "on_conflict").weight > WORD_CAP
    story = ("our back navigation from the admin pages to the board triggers a full reload of the root layout and the "
             "logo or back button strategy stops working when admin_route decides")
    long = read_question(story, idf)
    assert len(long.terms) > LONG_QUESTION
    assert next(t for t in long.terms if t.text == "admin_route").weight == WORD_CAP


def test_names_of_liveview_written_another_way_say_liveview(idf, names):
    swapped = read_question("the warning about configure_stream/3 and the default DOM id", idf, names)
    assert swapped.scope == "liveview"
    window_event = read_question('window.addEventListener("phx:page-loading-start", show) for a topbar', idf, names)
    assert window_event.scope == "liveview"
    event = next(t for t in window_event.terms if t.text == "phx:page-loading-start")
    assert ":page-loading-start" in event.forms  # how the index reads it


def test_a_hit_that_does_not_quote_the_question_is_left_to_its_share():
    # common phrasing of how people ask shares words, not a message: no run of stop words counts
    assert not quotes(quoted_runs("How do I use the form in a LiveView?"), "How do I use the form in a LiveView")
    # the same words out of order, or broken by another word, are no quote
    runs = quoted_runs('getting `no DOM ID for hook "X"` in the console')
    assert not quotes(runs, "a hook with no id: DOM hook for ID")
    assert not quotes(runs, "no DOM ID given for hook")


def test_a_hit_that_quotes_the_questions_message_word_for_word_answers_it():
    runs = quoted_runs('getting a ton of `no DOM ID for hook "HandleIceCandidateOffer". Hooks require ...`')
    assert quotes(runs, 'the client logs `no DOM ID for hook` instead')
