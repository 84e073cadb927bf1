"""The review's shape limits (review/bounds.py) and its admission of reviews (review/worker.py): nesting of
every shape past the depth limit and trees past the node limit reach no rule and say so; the same shapes at
real depths are reviewed completely; a flood of reviews is refused at once and clearly, in process and through
the MCP surface in both protocol eras. (Stdio and HTTP: tests/test_transport_limits.py.) Times are measured in
benchmarks/worst_case.py and benchmarks/rule_scaling.py, not here."""

from __future__ import annotations

import threading
import time

import anyio
import pytest
from mcp import Client

from skill_server.errors import ServerBusy
from skill_server.limits import Limits
from skill_server.parsing import parse
from skill_server.review import bounds
from skill_server.review.engine import planned_rules, prepare, review_source
from skill_server.review.worker import ADMISSION, Admission, WorkerPool, shutdown_all
from skill_server.server import build_server

LIVE = "defmodule A do\n  use MyAppWeb, :live_view\n  def f(x) do\n    "
END = "\n  end\nend\n"

# name -> (filename, nesting of `depth` levels), one per way code nests: literals, calls, blocks, chains, tags.
SHAPES = {
    "maps": ("a.ex", lambda d: LIVE + "%{a: " * d + "1" + "}" * d + END),
    "lists": ("a.ex", lambda d: LIVE + "[" * d + "1" + "]" * d + END),
    "tuples": ("a.ex", lambda d: LIVE + "{" * d + "1" + "}" * d + END),
    "keyword lists": ("a.ex", lambda d: LIVE + "[a: " * d + "1" + "]" * d + END),
    "calls": ("a.ex", lambda d: LIVE + "f(" * d + "x" + ")" * d + END),
    "fns": ("a.ex", lambda d: LIVE + "fn -> " * d + "1" + " end" * d + END),
    "case": ("a.ex", lambda d: LIVE + "case x do _ -> " * d + "1" + " end" * d + END),
    "pipes": ("a.ex", lambda d: LIVE + "x" + " |> f()" * d + END),
    "operators": ("a.ex", lambda d: LIVE + "x" + " <> x" * d + END),
    "heex tags": ("a.heex", lambda d: '<div phx-click="e">' * d + "x" + "</div>" * d),
    "heex components": ("a.heex", lambda d: "<.c>" * d + "x" + "</.c>" * d),
    "~H tags": ("a.ex", lambda d: LIVE.replace("f(x)", "render(assigns)") + '~H"""\n' + "<div>" * d + "x"
                + "</div>" * d + '\n"""' + END),
    "css @media": ("a.css", lambda d: "@media (x) {" * d + "a { color: red; }" + "}" * d),
    "js functions": ("a.js", lambda d: "function f() {" * d + "x();" + "}" * d),
}


def _planned(code: str, filename: str) -> set[str]:
    return {loaded.rule.slug for loaded in planned_rules(prepare(code, filename, strict=True))}


@pytest.mark.parametrize("shape", SHAPES)
def test_nesting_past_the_limit_reaches_no_rule_and_says_so(shape):
    filename, make = SHAPES[shape]
    code = make(bounds.MAX_DEPTH)  # at least one tree level per nesting level
    result = review_source(code, filename=filename, strict=True)
    assert not result.complete and result.findings == []
    assert set(result.rules_not_run) == _planned(code, filename)
    assert any(note.startswith(f"Not reviewed: the code nests more than {bounds.MAX_DEPTH} levels deep")
               or note.startswith(f"Not reviewed: the ~H template at line 4 nests more than {bounds.MAX_DEPTH}")
               for note in result.notes), result.notes


@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_shapes_at_real_depths_are_reviewed_completely(shape):
    filename, make = SHAPES[shape]
    result = review_source(make(20), filename=filename, strict=True)
    assert not any(note.startswith("Not reviewed") for note in result.notes)
    assert result.rules_not_run == [] and result.complete


def test_a_finding_inside_nesting_is_found_under_the_limit_and_the_review_is_marked_cut_past_it():
    def handler(depth: int) -> str:
        return (LIVE.replace("def f(x)", 'def handle_event("e", params, socket)') + "x = " + "[" * depth
                + 'String.to_atom(params["k"])' + "]" * depth + "\n    {:noreply, socket}" + END)

    found = review_source(handler(30), filename="a.ex", strict=True)
    assert "LV604" in {f.code for f in found.findings} and found.complete
    cut = review_source(handler(bounds.MAX_DEPTH), filename="a.ex", strict=True)
    assert cut.findings == [] and not cut.complete


def test_the_depth_check_agrees_with_the_tree_at_its_boundary():
    def depth(node) -> int:
        return 1 + max((depth(child) for child in node.children), default=-1)

    for code in ("x", "[[1]]", "%{a: %{b: [1, {2, 3}]}}", "fn -> case x do _ -> y end end", "a |> b |> c |> d"):
        root = parse("elixir", code).root_node
        exact = depth(root)
        assert bounds.depth_over(root, exact - 1) and not bounds.depth_over(root, exact)


def test_more_syntax_nodes_than_the_limit_reach_no_rule(monkeypatch):
    code = LIVE + "\n    ".join(f"a{n} = {n}" for n in range(400)) + END
    assert review_source(code, filename="a.ex").complete
    monkeypatch.setattr(bounds, "MAX_NODES", 1_000)
    result = review_source(code, filename="a.ex", strict=True)
    assert not result.complete and set(result.rules_not_run) == _planned(code, "a.ex")
    assert any(note.startswith("Not reviewed: the code has") and "over the 1,000 a review reads" in note
               for note in result.notes), result.notes


@pytest.mark.parametrize(("filename", "unit"), [("notes.txt", "a{:"), ("a.ex", "("), ("a.heex", "<"), ("a.css", "a: b ")])
def test_a_large_input_whose_samples_are_far_over_the_node_limit_is_not_parsed_whole(filename, unit, monkeypatch):
    from skill_server.review import engine

    monkeypatch.setattr(engine, "PARSE_BUDGET_S", 600.0)  # the samples decide, however loaded the machine is
    code = unit * (1_000_000 // len(unit))
    result = review_source(code, filename=filename, strict=True)
    assert not result.complete and result.rules_not_run
    assert any("syntax nodes (estimated from 8 samples)" in note for note in result.notes), result.notes


def test_a_large_file_of_ordinary_code_is_sampled_and_reviewed(monkeypatch):
    # The review's time and parse budgets are the worker's guard, not what this test checks (that a large
    # ordinary file is sampled, fits the node limit and is reviewed whole); on a loaded machine they ran out.
    from skill_server.review import engine
    monkeypatch.setattr(engine, "TIME_BUDGET_S", 300.0)
    monkeypatch.setattr(engine, "PARSE_BUDGET_S", 300.0)
    clause = '  def handle_event("save_%d", %%{"id" => id}, socket) do\n    {:noreply, assign(socket, :id, id)}\n  end\n\n'
    code = LIVE.replace("  def f(x) do\n    ", "") + "".join(clause % n for n in range(3_000)) + "end\n"
    assert len(code) > bounds.SAMPLED_FROM
    result = review_source(code, filename="a.ex", strict=True)
    assert not any(note.startswith("Not reviewed") for note in result.notes) and result.complete


def test_templates_count_toward_the_node_limit(monkeypatch):
    code = (LIVE.replace("f(x)", "render(assigns)") + '~H"""\n' + '<div class="a"><span>{@x}</span></div>\n' * 200
            + '"""' + END)
    elixir_nodes = parse("elixir", code).root_node.descendant_count
    monkeypatch.setattr(bounds, "MAX_NODES", elixir_nodes + 50)  # the module alone fits, with its template not
    result = review_source(code, filename="a.ex", strict=True)
    assert not result.complete and result.rules_not_run
    assert any(note.startswith("Not reviewed: the ~H template at line 4 has") for note in result.notes), result.notes


def _colocated_hook(lines: int, filename: str = "a.ex") -> str:
    """A template with one colocated hook whose script holds `lines` statements (each an interval the hook rules flag as never cleared)."""
    template = ('<div id="c" phx-hook=".Clock"></div>\n<script :type={Phoenix.LiveView.ColocatedHook} name=".Clock">\n'
                "  export default {\n    mounted() {\n" + '      setInterval(() => this.pushEvent("a"), 10);\n' * lines
                + "    }\n  }\n</script>\n")
    if filename.endswith(".heex"):
        return template
    return LIVE.replace("f(x)", "render(assigns)") + '~H"""\n' + template + '"""' + END


@pytest.mark.parametrize("filename", ["a.ex", "a.html.heex"])
def test_colocated_hook_scripts_count_toward_the_node_limit(monkeypatch, filename):
    code = _colocated_hook(300, filename)  # about 8,000 JavaScript nodes, under 100 of Elixir and HEEx
    read = review_source(code, filename=filename, strict=True)
    assert read.complete and "hook_timer_leak" in {f.rule for f in read.findings}  # the script is read as JS
    monkeypatch.setattr(bounds, "MAX_NODES", 1_000)
    result = review_source(code, filename=filename, strict=True)
    assert not result.complete and result.findings == []
    assert set(result.rules_not_run) == _planned(code, filename)
    assert any(note.startswith("Not reviewed: the code with its colocated hook scripts has")
               for note in result.notes), result.notes


@pytest.fixture
def small_node_limit(monkeypatch):
    """Review workers started with a node limit of 1,000 (and none of them left to serve a later test)."""
    shutdown_all()
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_MAX_NODES", "1000")
    yield
    shutdown_all()


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_mcp_colocated_hook_scripts_count_toward_the_node_limit(small_node_limit, mode):
    async with Client(build_server(), mode=mode) as client:
        result = await client.call_tool("review_code", {"code": _colocated_hook(300), "filename": "a_live.ex"})
    review = result.structured_content
    assert not result.is_error and not review["complete"] and review["findings"] == []
    assert any(note.startswith("Not reviewed: the code with its colocated hook scripts has")
               for note in review["notes"]), review["notes"]


def test_the_rule_fixtures_are_all_far_inside_the_limits():
    import tomllib
    from pathlib import Path

    from skill_server.review.context import ReviewContext
    from skill_server.versions import resolve

    fixtures = sorted(Path(bounds.__file__).parent.glob("rules/*/fixtures/*.toml"))
    assert len(fixtures) > 30
    for path in fixtures:
        for kind, cases in tomllib.loads(path.read_text()).items():
            for case in cases if isinstance(cases, list) else ():
                job = prepare(case["code"], case.get("filename", "a.ex"))
                ctx = ReviewContext(job.code, job.filename, job.language, resolve(None).version)
                trees = [ctx.tree.root_node, *(t.root for unit in ctx.units() for t in unit.templates)]
                assert sum(tree.descendant_count for tree in trees) < bounds.MAX_NODES // 10, (path.name, kind)
                assert not any(bounds.depth_over(tree, bounds.MAX_DEPTH // 4) for tree in trees), (path.name, kind)


# --- admission: a flood of reviews is refused at once ----------------------------------------------------------
SLOW = "(" * 2_000_000  # seconds of parsing, and far past the node limit unless it is raised


def _admission_drained(timeout_s: float = 30.0) -> bool:
    """Whether every admitted review has let go of the pool within the time (bounded: a leak fails, never hangs)."""
    deadline = time.monotonic() + timeout_s
    while ADMISSION.count and time.monotonic() < deadline:
        time.sleep(0.05)
    return ADMISSION.count == 0


@pytest.fixture
def slow_reviews(monkeypatch):
    """Review workers that read SLOW to the end (started after the node limit is raised for them). Each test
    starts with no review admitted and leaves none behind; its workers are stopped, so none with the raised
    limit serves a later test."""
    assert _admission_drained(), f"{ADMISSION.count} reviews of an earlier test still hold a place"
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_MAX_NODES", "100000000")
    yield Limits().with_values(review_workers=1, waiting_reviews=1, review_timeout_s=30, review_memory_mb=1100)
    drained = _admission_drained()
    shutdown_all()
    assert drained, f"{ADMISSION.count} reviews still hold a place after their callers left"


def test_a_review_that_waits_too_long_for_a_worker_is_refused_as_busy(slow_reviews):
    pool = WorkerPool(memory_mb=slow_reviews.review_memory_mb, size=1)
    limits = slow_reviews.with_values(review_wait_s=0.5, review_timeout_s=3)
    running = threading.Thread(target=pool.review, args=(prepare(SLOW, "a.ex"), limits))
    running.start()
    time.sleep(0.3)
    with pytest.raises(ServerBusy, match="stayed busy for 0.5 s; try again"):
        pool.review(prepare("x = 1", "a.ex"), limits)
    running.join()
    pool.shutdown()


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_mcp_a_flood_of_reviews_is_refused_at_once_and_other_tools_answer(slow_reviews, mode):
    server = build_server(limits=slow_reviews)
    async with Client(server, mode=mode) as client:
        outcomes = []

        async def review():
            result = await client.call_tool("review_code", {"code": SLOW, "filename": "a.ex"})
            outcomes.append(result)

        async with anyio.create_task_group() as group:
            for _ in range(2):  # one runs, one waits: the places review_workers + waiting_reviews give
                group.start_soon(review)
            for _ in range(400):  # bounded: a review refused here would leave the count short
                if ADMISSION.count >= 2 and outcomes == []:
                    break
                await anyio.sleep(0.05)
            assert ADMISSION.count == 2 and outcomes == [], [r.content for r in outcomes]
            refused = await client.call_tool("review_code", {"code": "x = 1", "filename": "a.ex"})
            searched = await client.call_tool("search_guidance", {"query": "loading state", "limit": 1})
            assert outcomes == []  # both answered while the reviews still run (they last a review time limit)
            assert refused.is_error and "2 reviews are already running or waiting" in refused.content[0].text
            assert "try again" in refused.content[0].text
            assert not searched.is_error
            group.cancel_scope.cancel()  # the client gives up: the workers are killed
    with anyio.fail_after(30):  # each place is given back once its thread has let go of the pool
        while ADMISSION.count:
            await anyio.sleep(0.05)


@pytest.mark.anyio
async def test_a_cancelled_review_keeps_its_place_until_its_thread_lets_go_of_the_pool():
    """The caller leaves at once; the place stays taken while the thread still holds a worker or waits for
    one, so a review admitted meanwhile is never refused by the pool (workers + waiting places are real)."""
    admission = Admission()
    limits = Limits().with_values(review_workers=1, waiting_reviews=1)
    started, release, cancel = threading.Event(), threading.Event(), threading.Event()

    def review() -> str:
        started.set()
        release.wait(30)  # bounded: stands for a worker that takes a moment to notice the cancel
        return "reviewed"

    async with anyio.create_task_group() as group:
        group.start_soon(admission.run, review, limits, cancel)
        assert await anyio.to_thread.run_sync(started.wait, 30)
        group.cancel_scope.cancel()
    assert cancel.is_set() and admission.count == 1
    assert await admission.run(lambda: "second", limits, threading.Event()) == "second"  # one place left
    release.set()
    with anyio.fail_after(30):
        while admission.count:
            await anyio.sleep(0.01)


def test_a_parse_past_its_budget_stops_the_review_with_a_note(monkeypatch):
    from skill_server.review import engine

    monkeypatch.setattr(engine, "PARSE_BUDGET_S", 0.0)  # every parse is over budget at once
    result = review_source(LIVE + END, filename="a.ex", strict=True)
    assert not result.complete and result.rules_not_run
    assert any(note.startswith("Not reviewed: parsing it took over 0 s") for note in result.notes), result.notes


def test_a_parse_under_a_deadline_gives_the_same_tree_with_its_text():
    from skill_server.parsing import parse_deadline

    code = LIVE.replace("f(x)", "render(assigns)") + '~H"""\n<div id="a">{@x}</div>\n"""' + END
    plain = parse("elixir", code)
    with parse_deadline(30):
        timed = parse("elixir", code)
    assert str(timed.root_node) == str(plain.root_node) and timed.root_node.text == code.encode()


# --- the parse budget holds on any input, however slow its error recovery ----------------------------------------
# Inputs whose parse costs seconds for a few KB (error recovery grows faster than the input): the budget must stop
# them near its end, not after the whole input was handed to the parser. (Times: benchmarks/worst_case.py.)
SLOW_PARSES = {
    "javascript a{:": ("hook.js", ("a{:" * 2_731)[:8_192]),  # about 20 s unbudgeted
    "javascript a{:}": ("hook.js", "a{:}" * 2_048),
    "css =>": ("a.css", "=>" * 4_096),
    "colocated hook x{:}": ("p_live.ex", _colocated_hook(0).replace("mounted() {\n", "mounted() {\n" + "x{:}" * 1_536)),
}


@pytest.fixture
def short_parse_budget(monkeypatch):
    """A parse budget of 0.2 s, in this process and in the review workers started meanwhile."""
    from skill_server.review import engine

    shutdown_all()
    monkeypatch.setattr(engine, "PARSE_BUDGET_S", 0.2)
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_PARSE_S", "0.2")
    yield
    shutdown_all()


@pytest.mark.parametrize("shape", SLOW_PARSES)
def test_a_slow_parse_of_a_small_input_stops_at_the_budget(short_parse_budget, shape):
    filename, code = SLOW_PARSES[shape]
    result = review_source(code, filename=filename, strict=True)
    assert not result.complete and result.findings == [] and set(result.rules_not_run) == _planned(code, filename)
    assert any(note.startswith("Not reviewed: parsing it took over 0.2 s") for note in result.notes), result.notes


def test_the_module_beside_a_template_is_parsed_within_the_budget(short_parse_budget):
    """In project review a separate template is reviewed with the module beside it: that module's parse is under
    the same budget (it was parsed lazily inside the rules, bounded only by the review's time limit)."""
    slow_module = "defmodule AppWeb.PageLive do\n  use AppWeb, :live_view\n" + "x{:}(" * 30_000 + "\nend\n"
    result = review_source('<button phx-click="go">Go</button>\n', filename="page_live.html.heex", strict=True,
                           companion=slow_module)
    assert not result.complete and result.findings == []
    assert any(note.startswith("Not reviewed: parsing it took over 0.2 s") for note in result.notes), result.notes


def test_the_samples_of_a_large_input_are_parsed_within_the_budget(short_parse_budget, monkeypatch):
    monkeypatch.setattr(bounds, "SAMPLE_BYTES", 4_096)  # each sample a few seconds unbudgeted
    code = "a{:" * (bounds.SAMPLED_FROM // 3 + 1)
    result = review_source(code, filename="hook.js", strict=True)
    assert not result.complete and result.rules_not_run
    assert any(note.startswith("Not reviewed: parsing it took over 0.2 s") for note in result.notes), result.notes


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_mcp_a_slow_parse_stops_at_the_budget_not_at_the_review_time_limit(short_parse_budget, mode):
    code = "a{:" * 5_462  # 16 KB: over a minute unbudgeted, far past the review's time limit
    limits = Limits().with_values(review_timeout_s=5)
    async with Client(build_server(limits=limits), mode=mode) as client:
        result = await client.call_tool("review_code", {"code": code, "filename": "hook.js"})
    review = result.structured_content
    assert not result.is_error and not review["complete"] and review["rules_not_run"]
    assert any(note.startswith("Not reviewed: parsing it took over 0.2 s") for note in review["notes"]), review["notes"]


@pytest.mark.parametrize(("code", "budget", "refused"), [
    (b"a{:" * 400, 30, True),  # in error: read in 18 calls, in time, but parsing it again would pass the deadline
    (b"a{:" * 400, 1_000, False),  # in error, with the time to parse it again
    (b"x = 1;\n" * 170, 30, False),  # no error: parsed again by reusing every node
])
def test_a_parse_in_error_is_refused_when_parsing_it_again_would_pass_the_deadline(monkeypatch, code, budget, refused):
    from types import SimpleNamespace

    from skill_server import parsing

    clock = iter(range(1, 1_000_000))  # one second a reading of the clock, whatever the machine's load
    monkeypatch.setattr(parsing, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))
    with parsing.parse_deadline(budget):
        if refused:
            with pytest.raises(parsing.ParseTooSlow):
                parsing.parse("javascript", code)
        else:
            assert parsing.parse("javascript", code).root_node.text == code
