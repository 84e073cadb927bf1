"""Reviews in worker processes under time and memory limits, and the review paths that used to cost the
square of the input (or more): each class of pathological input must now finish well inside a generous
limit, and a review a limit does cut short must say which rules did not run. Memory-hungry inputs only
ever run in a worker with an address-space cap."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import anyio
import pytest
from processes import alive, wait_for

from skill_server.brackets import balanced_args, bracket_index, top_level_args
from skill_server.errors import InputError, ServerBusy
from skill_server.limits import CallGate, Limits
from skill_server.review import context
from skill_server.review import engine
from skill_server.review.engine import MAX_HITS_PER_RULE, RuleRun, assemble, prepare, review_source
from skill_server.review.worker import Cancelled, WorkerPool, pool_for, review_isolated

SLOW = "(" * 2_000_000  # seconds of parsing and walking


pytestmark = pytest.mark.usefixtures("heavy_inputs_stay_heavy")


def _limits(**values) -> Limits:
    return Limits().with_values(**values)


def test_a_review_in_a_worker_matches_the_one_in_process():
    code = ('defmodule A do\n  use MyAppWeb, :live_view\n  def handle_event("go", %{"n" => n}, s) do\n'
            '    {:noreply, assign(s, String.to_atom(n), raw(@c.body))}\n  end\nend\n')
    isolated = review_isolated(code, filename="a.ex", strict=True)
    assert isolated.complete and isolated.findings
    assert isolated.findings == review_source(code, filename="a.ex", strict=True).findings


def test_the_time_limit_cuts_a_review_short_and_names_what_did_not_run():
    started = time.monotonic()
    result = review_isolated(SLOW, filename="a.ex", limits=_limits(review_timeout_s=0.5))
    assert time.monotonic() - started < 10
    assert not result.complete and result.rules_not_run
    assert any("time limit" in note for note in result.notes)
    assert any("did not run" in note for note in result.notes)


def test_the_memory_limit_stops_a_worker_not_the_caller():
    # A wall limit far above the default, so that on a loaded machine the memory limit, not time, stops the worker.
    result = review_isolated("<" * 2_000_000, filename="a.heex", limits=_limits(review_memory_mb=256, review_timeout_s=120))
    assert not result.complete and result.rules_not_run
    assert any("memory" in note for note in result.notes)


def test_a_cancelled_review_kills_its_worker_at_once():
    pool = WorkerPool(memory_mb=1024, size=1)
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    job = prepare(SLOW, "a.ex")
    started = time.monotonic()
    with pytest.raises(Cancelled):
        pool.review(job, _limits(review_timeout_s=120), cancel)
    assert time.monotonic() - started < 5
    assert not pool.idle and not pool.busy


def test_a_review_cancelled_just_before_it_ends_keeps_its_worker():
    pool = WorkerPool(memory_mb=1024, size=1)
    pool.review(prepare("defmodule A do\nend\n", "a.ex"), _limits())
    [worker] = pool.idle
    cancel = threading.Event()
    cancel.set()  # a client that cancels at once, as a cancel storm does
    with pytest.raises(Cancelled):
        pool.review(prepare("defmodule B do\nend\n", "b.ex"), _limits(), cancel)
    assert pool.idle == [worker] and worker.alive  # reused: no new process per cancelled request
    pool.shutdown()


def test_workers_are_reused_and_a_killed_one_is_replaced():
    pool = WorkerPool(memory_mb=1024, size=1)
    job = prepare("<div phx-hook=\"H\"></div>\n", "a.heex")
    pool.review(job, _limits())
    first = pool.idle[0].process.pid
    pool.review(job, _limits())
    assert pool.idle[0].process.pid == first
    pool.review(prepare(SLOW, "a.ex"), _limits(review_timeout_s=0.3))
    assert not pool.idle  # the killed worker is not reused
    assert pool.review(job, _limits()).finished
    pool.shutdown()


def test_too_many_waiting_reviews_are_refused_as_busy():
    pool = WorkerPool(memory_mb=1024, size=1)
    limits = _limits(review_timeout_s=3, waiting_reviews=1)
    slow = prepare(SLOW, "a.ex")
    threads = [threading.Thread(target=pool.review, args=(slow, limits)) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    with pytest.raises(ServerBusy, match="waiting"):
        pool.review(slow, limits)
    for thread in threads:
        thread.join()
    pool.shutdown()


def test_the_call_gate_bounds_concurrent_and_waiting_calls():
    gate = CallGate(_limits(concurrent_calls=1, waiting_calls=1))
    release = threading.Event()
    outcomes = []

    async def main() -> None:
        async def call() -> None:
            try:
                outcomes.append(await gate.run(release.wait, 10))
            except ServerBusy:
                outcomes.append("busy")

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(call)
                await anyio.sleep(0.2)
            release.set()

    anyio.run(main)
    assert sorted(map(str, outcomes)) == ["True", "True", "busy"]


def test_a_call_that_waits_past_the_wait_limit_is_refused_as_busy():
    # audit 13 A13-16: a flood of cheap calls queued every other client's calls for half a minute
    gate = CallGate(_limits(concurrent_calls=1, waiting_calls=10, call_wait_s=0.5))
    release = threading.Event()
    outcomes = []

    async def main() -> None:
        async def call() -> None:
            try:
                outcomes.append(await gate.run(release.wait, 10))
            except ServerBusy as exc:
                outcomes.append(str(exc))

        async with anyio.create_task_group() as group:
            group.start_soon(call)
            await anyio.sleep(0.1)
            group.start_soon(call)
            await anyio.sleep(1.0)
            release.set()

    anyio.run(main)
    assert outcomes[0].startswith("the server stayed busy for 0.5 s") and outcomes[1] is True


def test_workers_die_with_a_killed_caller():
    script = ("import time\nfrom skill_server.review.worker import WorkerPool\nfrom skill_server.review.engine "
              "import prepare\nfrom skill_server.limits import Limits\npool = WorkerPool(1024, 1)\npool.prestart(1)\n"
              "print(pool.idle[0].process.pid, flush=True)\npool.review(prepare('(' * 2_000_000, 'a.ex'), "
              "Limits().with_values(review_timeout_s=120))\n")
    caller = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(caller.stdout.readline())
    time.sleep(0.5)
    os.kill(caller.pid, signal.SIGKILL)
    caller.wait()

    assert wait_for(lambda: not alive(worker), timeout=10)


def test_a_process_that_reviewed_stops_its_workers_when_it_exits():
    script = ("from skill_server.review.worker import pool_for, review_isolated\nfrom skill_server.limits import Limits\n"
              "review_isolated('defmodule A do\\nend\\n', filename='a.ex')\n"
              "print(*[w.process.pid for w in pool_for(Limits.from_env()).idle], flush=True)\n")
    done = subprocess.run([sys.executable, "-X", "dev", "-c", script], capture_output=True, text=True, timeout=60)
    workers = [int(pid) for pid in done.stdout.split()]

    assert done.returncode == 0 and workers
    assert "ResourceWarning" not in done.stderr
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


def test_assemble_reports_rules_cut_short_whatever_they_are():
    job = prepare("<div phx-hook=\"H\"></div>\n", "a.heex")
    run = RuleRun(parse_ok=True, planned=["hook_missing_id", "form_missing_id", "missing_debounce"],
                  finished=["hook_missing_id"], hits=[("hook_missing_id", [1, 1, 1, None, None, None])],
                  failed={"form_missing_id": "it ran out of memory"}, stopped="The review stopped: limit.")
    result = assemble(job, run)
    assert result.rules_not_run == ["form_missing_id", "missing_debounce"] and not result.complete
    assert [f.rule for f in result.findings] == ["hook_missing_id"]
    assert any("form_missing_id did not finish" in note for note in result.notes)


# --- linear paths: each class finishes well inside a generous limit (the old code took minutes) ------------------
def _size(piece: str, size: int, head: str = "", tail: str = "") -> str:
    return head + piece * ((size - len(head) - len(tail)) // len(piece)) + tail


CLASSES = {
    "raw( flood (regex rescanning to the end)": ("a.ex", _size("raw(", 200_000)),
    "nested JS.push( (argument rescans)": ("a.heex", _size("JS.push(", 200_000, "<button phx-click={", "}>x</button>")),
    "when flood (.* with re.S)": ("a.ex", _size("when ", 200_000, "defmodule A do\n def handle_event(e, p, s) when ",
                                               "\n do String.to_atom(e) end\nend\n")),
    "unclosed CSS comments": ("a.css", _size("/* ", 200_000)),
    "< in a button (tag regex)": ("a.heex", _size("< ", 200_000, "<button>", "</button>")),
    "CR-only line endings": ("a.heex", _size('<div phx-click="x">\r', 200_000)),
    "many ~H clauses": ("a.ex", _size('  def r(assigns), do: ~H"<div phx-hook=\\"H\\"></div>"\n', 200_000,
                                      "defmodule A do\n  use MyAppWeb, :live_view\n", "end\n")),
    "unused suppressions": ("a.ex", _size("# lvr:disable-next-line x\n", 200_000)),
    "many modules (memory)": ("a.ex", _size("defmodule A do end\n", 200_000)),
    "content sniffing": ("notes.txt", _size("a{:", 200_000)),
    "nested transitions": ("a.ex", _size("JS.transition(", 200_000)),
    "keyframes without end": ("a.css", _size("@keyframes a {", 200_000)),
}


@pytest.fixture
def generous_parse_budget(monkeypatch):
    """These inputs test the rules' paths, not the parse budget (test_review_shape_limits.py has its own cases):
    on a loaded machine parsing 200 KB of error recovery passes the 3 s budget, so it is raised to the limit."""
    from skill_server.review.worker import shutdown_all

    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_PARSE_S", "30")
    shutdown_all()
    yield
    shutdown_all()


@pytest.mark.parametrize("name", list(CLASSES))
def test_pathological_inputs_finish_inside_the_limit(name, generous_parse_budget):
    filename, code = CLASSES[name]
    result = review_isolated(code, filename=filename, strict=True,
                             limits=_limits(review_timeout_s=30, review_memory_mb=1024))
    assert not result.rules_not_run and not any("stopped" in note for note in result.notes), (name, result.notes[:3])


# Flat text the grammar reads as one ever deeper chain (`a: b a: b` is a descendant selector of descendant
# selectors): over the nesting limit, so no rule runs and the review says why (bounds.py).
CHAINS = {
    "broken CSS (tree-sitter error recovery)": ("a.css", _size("a: b ", 200_000)),
    "CSS transitions on one line": ("a.css", _size("transition: a ", 200_000)),
}


@pytest.mark.parametrize("name", list(CHAINS))
def test_flat_text_parsed_as_a_deep_chain_is_refused_by_the_nesting_limit(name):
    filename, code = CHAINS[name]
    result = review_isolated(code, filename=filename, strict=True,
                             limits=_limits(review_timeout_s=30, review_memory_mb=1024))
    assert not result.complete and result.rules_not_run
    assert any(note.startswith("Not reviewed: the code nests more than") for note in result.notes), result.notes


def test_many_modules_are_capped_and_say_so(monkeypatch):
    monkeypatch.setattr(context, "MAX_UNITS", 3)
    result = review_source("defmodule A do\n  def f(x), do: String.to_atom(x)\nend\n" * 5, filename="a.ex",
                           strict=True)
    assert not result.complete and any("first 3 were reviewed" in note for note in result.notes)
    assert {f.line for f in result.findings} == {2, 5, 8}


def test_a_rule_firing_without_end_lists_the_first_hits():
    result = review_source('<div phx-hook="H"></div>\n' * (MAX_HITS_PER_RULE + 20), filename="a.heex")
    assert len(result.findings) == MAX_HITS_PER_RULE
    assert any(f"more than {MAX_HITS_PER_RULE} times" in note for note in result.notes)


def _padded_raw(padding: int) -> str:
    # low-confidence raw() of a page's HTML (not default-visible) many times, then one raw() of a user's comment
    pad = "\n".join("    <p>{raw(@page.body_html)}</p>" for _ in range(padding))
    return ('defmodule AppWeb.XLive do\n  use AppWeb, :live_view\n  def render(assigns) do\n    ~H"""\n' + pad
            + '\n    <div>{raw(@comment.body)}</div>\n    """\n  end\nend\n')


def test_padding_a_file_with_low_hits_does_not_push_the_real_one_out_of_the_list():
    result = review_source(_padded_raw(MAX_HITS_PER_RULE + 100), filename="x_live.ex")
    raws = [f for f in result.findings if f.rule == "raw_html_user_content"]
    assert [f.line for f in raws] == [MAX_HITS_PER_RULE + 105] and raws[0].confidence == "high"
    assert result.complete and any("most confident are listed" in note for note in result.notes)


def test_a_rule_cut_short_at_the_compute_cap_makes_the_review_incomplete(monkeypatch):
    monkeypatch.setattr(engine, "MAX_HITS_COMPUTED", 50)
    result = review_source(_padded_raw(60), filename="x_live.ex")
    assert not result.complete
    assert any("raw_html_user_content" in note and "was not checked" in note for note in result.notes)


def test_unused_suppressions_are_counted_not_all_listed():
    result = review_source("# lvr:disable-next-line x\n" * 100, filename="a.ex")
    listed = [n for n in result.notes if "suppress" in n and "nothing" in n]
    assert len(listed) == 21 and "80 more" in listed[-1] and result.stats["unused_suppressions"] == 100


def test_cr_only_line_endings_count_as_lines():
    result = review_source('<p>a</p>\r<div phx-hook="H"></div>\r', filename="a.heex")
    assert [f.line for f in result.findings] == [2]


def test_text_scans_of_a_file_with_many_modules_report_each_match_once_on_its_module():
    code = "".join(f"defmodule M{n} do\n  def render(assigns), do: ~H\"<p>{{raw(@c.body)}}</p>\"\nend\n"
                   for n in range(4))
    result = review_source(code, filename="a.ex")
    assert [f.line for f in result.findings if f.rule == "raw_html_user_content"] == [2, 5, 8, 11]


@pytest.mark.parametrize("text", [
    'JS.push("a", value: %{x: [1, 2]}) |> JS.hide(to: "#x")', 'f(")", g(1), "\\"(")', "((()", "JS.push(JS.push(",
    '"(" (a) "x(" [b]', "{[(])}",
])
def test_the_bracket_index_matches_a_scan_from_each_bracket(text):
    def scan(source: str, open_index: int) -> str:  # the definition: the old per-call scan
        depth, in_string = 0, False
        for i in range(open_index, len(source)):
            ch = source[i]
            if ch == '"' and source[i - 1] != "\\":
                in_string = not in_string
            if in_string:
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
                if depth == 0:
                    return source[open_index + 1 : i]
        return source[open_index + 1 :]

    for i, ch in enumerate(text):
        if ch in "([{":
            assert balanced_args(text, i) == scan(text, i), (text, i)
    assert bracket_index(text) is bracket_index(text)  # computed once per text
    assert top_level_args('JS.push("x", value: %{a: 1}, loading: "#b")', 7).count("%") == 1


def test_limits_come_from_the_environment_and_flags_win():
    limits = Limits.from_env({"LIVEVIEW_SKILL_REVIEW_TIMEOUT_S": "2.5", "LIVEVIEW_SKILL_REVIEW_WORKERS": "3"})
    assert limits.review_timeout_s == 2.5 and limits.review_workers == 3
    assert limits.with_values(review_timeout_s=7, review_memory_mb=None).review_timeout_s == 7
    for bad in ({"LIVEVIEW_SKILL_REVIEW_TIMEOUT_S": "soon"}, {"LIVEVIEW_SKILL_REVIEW_WORKERS": "0"},
                {"LIVEVIEW_SKILL_REVIEW_MEMORY_MB": "64"}, {"LIVEVIEW_SKILL_REVIEW_TIMEOUT_S": "nan"},
                {"LIVEVIEW_SKILL_REVIEW_TIMEOUT_S": "inf"}, {"LIVEVIEW_SKILL_REVIEW_TOTAL_S": "-inf"}):
        with pytest.raises(InputError):
            Limits.from_env(bad)
    assert pool_for(limits) is pool_for(limits)


def test_a_rule_that_recurses_too_deep_is_reported_and_the_others_run(monkeypatch):
    from skill_server.review import registry

    def too_deep(ctx):
        raise RecursionError("maximum recursion depth exceeded")
        yield  # a generator, as rules are

    import dataclasses

    rules = tuple(dataclasses.replace(loaded, check=too_deep) if loaded.rule.slug == "hook_missing_id" else loaded
                  for loaded in registry.all_rules())
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    result = review_source('<div phx-hook="H"></div>\n<p>{raw(@comment.body)}</p>\n', filename="a.heex", strict=True)
    assert not result.complete and result.rules_not_run == ["hook_missing_id"]
    assert any("hook_missing_id did not finish: the code nests deeper" in note for note in result.notes)
    assert [f.rule for f in result.findings] == ["raw_html_user_content"]


@pytest.mark.parametrize("header", ["# Copyright (c) Example. Permission is granted; let the notice stay.\n" * 80,
                                    "// generated; let it be\n" * 200, "\n" * 5000])
def test_a_long_header_does_not_change_the_sniffed_language(header):
    # audit 8 D8: a comment header over the sniffed window made an Elixir LiveView read as JavaScript
    code = header + ('defmodule AppWeb.TagLive do\n  use AppWeb, :live_view\n'
                     '  def handle_event("go", %{"name" => name}, socket) do\n'
                     '    {:noreply, assign(socket, String.to_atom(name), true)}\n  end\nend\n')
    result = review_source(code)
    assert result.language == "elixir" and any(f.rule == "unsafe_atom_creation" for f in result.findings)


@pytest.mark.parametrize("head", ['<pre phx-no-curly-interpolation>if (x) {</pre>', '<script>window.open = "{";</script>',
                                  '<style>.a:before { content: "{"; }</style>',
                                  '<script :type={Phoenix.LiveView.ColocatedHook} name=".Copy">export default '
                                  '{ mounted() { this.el.dataset.sep = "{" } }</script>'])
def test_a_brace_in_text_heex_does_not_interpolate_hides_no_element_after_it(head):
    # audit 8 D9: the HEEx grammar opened an expression at the `{` and lost every element after it
    code = head + '\n<div id="u" phx-hook="U" data-user={Jason.encode!(@current_user)}></div>\n'
    result = review_source(code, filename="x_live.html.heex")
    assert any(f.rule == "record_json_in_data_attribute" and f.line == 2 for f in result.findings)


def test_a_colocated_hook_keeps_its_braces_for_the_hook_rules():
    code = ('<div id="c" phx-hook=".Clock"></div>\n<script :type={Phoenix.LiveView.ColocatedHook} name=".Clock">\n'
            'export default { mounted() { this.t = setInterval(() => this.pushEvent("tick", {at: "{"}), 1000) } }\n'
            '</script>\n<p data-user={Jason.encode!(@current_user)}></p>\n')
    rules = {f.rule for f in review_source(code, filename="clock_live.html.heex", liveview_version="1.1").findings}
    assert {"hook_timer_leak", "record_json_in_data_attribute"} <= rules


def test_code_after_a_doc_string_on_the_same_line_is_code():
    # audit 8 D1 residual: the whole line of an @doc was skipped as documentation
    code = ('defmodule AppWeb.C do\n  use AppWeb, :live_view\n  @doc "Renders the comment."; def render(assigns), do: '
            '~H"<div>{raw(@comment.body)}</div>"\n  @doc """\n  Never call raw(@comment.body).\n  """\n  def x, do: 1\nend\n')
    lines = [f.line for f in review_source(code, filename="c_live.ex").findings if f.rule == "raw_html_user_content"]
    assert lines == [3]


def test_braces_balanced_across_two_uninterpolated_blocks_hide_nothing_between():
    # audit 8 D9 residual: `{` in one phx-no-curly-interpolation block and `}` in another made one expression
    code = ('<pre phx-no-curly-interpolation>if (x) {</pre>\n'
            '<div id="u" phx-hook="U" data-user={Jason.encode!(@current_user)}></div>\n'
            '<pre phx-no-curly-interpolation>}</pre>\n')
    assert any(f.rule == "record_json_in_data_attribute" and f.line == 2
               for f in review_source(code, filename="x_live.html.heex").findings)


def test_hits_a_comment_silences_do_not_push_a_real_one_out_of_the_list():
    # audit 8 D2 residual: silenced hits were counted against the rule's list before the real one
    pad = "\n".join("    <%!-- lvr:disable-next-line raw_html_user_content --%>\n    <p>{raw(@comment.body)}</p>"
                    for _ in range(MAX_HITS_PER_RULE + 50))
    code = ('defmodule AppWeb.XLive do\n  use AppWeb, :live_view\n  def render(assigns) do\n    ~H"""\n' + pad
            + '\n    <div>{raw(@comment.body)}</div>\n    """\n  end\nend\n')
    last = code.count("\n") - 3
    raws = [f.line for f in review_source(code, filename="x_live.ex").findings if f.rule == "raw_html_user_content"]
    assert last in raws  # (silenced lines past the cap on honoured suppressions are reported too, by design)


@pytest.mark.parametrize("expression", ["(@comment.body) |> raw()", "@comment.body # trusted\n  |> raw()"])
def test_a_value_piped_into_raw_is_read_through_parentheses_and_comments(expression):
    # audit 8 D4 residual
    code = "<div>{" + expression + "}</div>\n"
    assert any(f.rule == "raw_html_user_content" for f in review_source(code, filename="x.html.heex").findings)


@pytest.mark.parametrize("tail", ["", '\n<p>{"\\}"}</p>'])
def test_an_escaped_brace_in_an_expression_hides_no_element(tail):
    # audit 8 D9 residual: Phoenix's tokenizer skips \{ and \} inside an expression; the HEEx grammar counted them
    code = ('<div>{"\\{"}</div>\n<div id="u" phx-hook="U" data-user={Jason.encode!(@current_user)}></div>' + tail + "\n")
    assert any(f.rule == "record_json_in_data_attribute" and f.line == 2
               for f in review_source(code, filename="x_live.html.heex").findings)


def test_harmful_rules_run_first_so_a_cut_short_review_loses_the_cheapest():
    from skill_server.review.engine import planned_rules

    order = [loaded.rule.harm for loaded in planned_rules(prepare("defmodule A do\nend\n", "a.ex"))]
    assert order[: order.count("security")] == ["security"] * order.count("security")
    first_harmless = order.index(None)
    assert all(harm is None for harm in order[first_harmless:])
