"""The CLI face: people-facing output, --json objects equal to the MCP tools', exit codes and one-line errors."""

from __future__ import annotations

import io
import json
import os
import stat
import sys

import pytest

from skill_server import __version__
from skill_server.cli import main
from skill_server.models import ClarifyResult, ProjectReview, RecommendResult, SearchResult, SnippetResult

QUESTION = "How do I show a loading state on another element while my click event is pending?"


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"liveview-skill {__version__}"


def test_ask_prints_guidance_that_names_js_push_loading(capsys):
    code, out, _ = run(capsys, "ask", QUESTION)
    assert code == 0
    assert "JS.push" in out and "loading:" in out


def test_ask_json_carries_all_three_parts(capsys):
    code, out, _ = run(capsys, "ask", "--json", QUESTION)
    data = json.loads(out)
    assert code == 0 and set(data) == {"clarify", "guidance", "patterns"}
    SearchResult.model_validate(data["guidance"])
    ClarifyResult.model_validate(data["clarify"])
    RecommendResult.model_validate(data["patterns"])


def test_search_json_is_the_tool_object_and_version_aware(capsys):
    code, out, _ = run(capsys, "search", "--json", "--liveview-version", "1.0", "stream_async")
    result = SearchResult.model_validate_json(out)
    assert code == 0 and result.liveview_version == "1.0"
    assert any(h.version_note for h in result.hits if h.since and h.since.startswith("1.1"))


@pytest.mark.parametrize(
    "argv",
    [
        ["search", ""],
        ["search", "loading", "--liveview-version", "banana"],
        ["search", "loading", "--limit", "0"],
        ["snippet", "no_such_pattern"],
        ["snippet", "delete_with_transition", "--param", "resource=Not An Identifier"],
        ["snippet", "delete_with_transition", "--param", "noequals"],
        ["rules", "no_such_rule"],
        ["review", "/definitely/not/here.ex"],
        ["clarify", "   "],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("liveview-skill: ") and err.count("\n") == 1
    assert out == ""


def test_recommend_and_clarify_json(capsys):
    code, out, _ = run(capsys, "recommend", "--json", "delete a row and fade it out")
    assert code == 0 and RecommendResult.model_validate_json(out).patterns
    code, out, _ = run(capsys, "clarify", "--json", "make the archive button feel instant")
    assert code == 0 and ClarifyResult.model_validate_json(out).request


def test_clarify_explain_names_the_entries_that_fired(capsys):
    code, out, _ = run(capsys, "clarify", "--explain", "Remove the border around the avatar once it is hovered")
    text = " ".join(out.split())  # the console wraps long lines
    assert code == 0 and "vetoed by the trap" in text and "presentational_change" in text
    code, out, _ = run(capsys, "clarify", "--explain", "--json", "let guests cancel their bookings")
    data = json.loads(out)
    assert data["result"]["missing"] == ["failure_ux", "collection_kind"] and data["interactions"] == ["delete"]
    assert any(f.startswith("interaction delete:") for f in data["fired"])


def test_snippet_out_never_replaces_an_existing_file_without_force(capsys, tmp_path):
    app_js = tmp_path / "assets/js/app.js"
    app_js.parent.mkdir(parents=True)
    app_js.write_text("MY APP\n")
    argv = ("snippet", "delete_with_transition", "--param", "resource=comment", "--out", str(tmp_path))

    code, _, err = run(capsys, *argv)

    assert code != 0 and "refusing to overwrite" in err and "assets/js/app.js" in err
    assert app_js.read_text() == "MY APP\n" and not list(tmp_path.rglob("*.ex"))  # nothing written at all
    code, _, _ = run(capsys, *argv, "--force")
    assert code == 0 and app_js.read_text() != "MY APP\n"


def test_snippet_out_force_replaces_a_hard_linked_file_without_writing_through_the_link(capsys, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("NOT YOURS\n")
    project = tmp_path / "project"
    app_js = project / "assets/js/app.js"
    app_js.parent.mkdir(parents=True)
    os.link(outside, app_js)
    app_js.chmod(0o640)

    code, _, _ = run(capsys, "snippet", "delete_with_transition", "--param", "resource=comment", "--out", str(project),
                     "--force")

    assert code == 0 and outside.read_text() == "NOT YOURS\n"  # the other name keeps the old file
    assert app_js.read_text() != "NOT YOURS\n"
    assert app_js.stat().st_nlink == 1 and stat.S_IMODE(app_js.stat().st_mode) == 0o640
    assert [p.name for p in app_js.parent.iterdir()] == ["app.js"]  # no temporary file left behind


@pytest.mark.parametrize("special", ["fifo", "folder"])
def test_snippet_out_force_refuses_a_target_that_is_not_a_regular_file_and_writes_nothing(capsys, tmp_path, special):
    app_js = tmp_path / "assets/js/app.js"
    app_js.parent.mkdir(parents=True)
    if special == "fifo":
        os.mkfifo(app_js)  # opening it to write would wait for a reader forever
    else:
        app_js.mkdir()

    code, _, err = run(capsys, "snippet", "delete_with_transition", "--param", "resource=comment", "--out", str(tmp_path),
                       "--force")

    assert code == 2 and "refusing to replace assets/js/app.js" in err and "not a regular file" in err
    assert not list(tmp_path.rglob("*.ex"))  # checked before anything was written


def test_snippet_prints_and_writes_files(capsys, tmp_path):
    code, out, _ = run(capsys, "snippet", "delete_with_transition", "--param", "resource=comment",
                       "--out", str(tmp_path))
    assert code == 0 and "comment" in out
    written = list(tmp_path.rglob("*.ex")) + list(tmp_path.rglob("*.heex"))
    assert written
    code, out, _ = run(capsys, "snippet", "--json", "delete_with_transition", "--param", "resource=comment")
    result = SnippetResult.model_validate_json(out)
    assert {f.path for f in result.files} == {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}


def test_patterns_and_rules_catalogues(capsys):
    code, out, _ = run(capsys, "patterns", "--json")
    assert code == 0 and len(json.loads(out)) >= 16
    code, out, _ = run(capsys, "rules", "--json")
    slugs = {r["slug"] for r in json.loads(out)}
    assert code == 0 and {"missing_impl_true", "hook_missing_id", "form_missing_id"} <= slugs
    code, out, _ = run(capsys, "rules", "handle_async_missing_exit")
    assert code == 0 and ":exit" in out


def test_review_stdin_exit_codes_and_formats(capsys, monkeypatch):
    bad = '<div phx-hook="Chart"></div>\n'
    code, out, _ = run(capsys, "review", "-", "--stdin-filename", "chart.html.heex", stdin=bad, monkeypatch=monkeypatch)
    assert code == 1 and "hook_missing_id" in out and "chart.html.heex:1" in out
    code, out, _ = run(capsys, "review", "-", "--stdin-filename", "chart.html.heex", "--fail-on", "never",
                       stdin=bad, monkeypatch=monkeypatch)
    assert code == 0
    code, out, _ = run(capsys, "review", "-", "--stdin-filename", "chart.html.heex", "--format", "sarif",
                       stdin=bad, monkeypatch=monkeypatch)
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"][0]["ruleId"]
    good = '<div id="chart" phx-hook="Chart" phx-update="ignore"></div>\n'
    code, out, _ = run(capsys, "review", "-", "--stdin-filename", "chart.html.heex", "--format", "json",
                       stdin=good, monkeypatch=monkeypatch)
    assert code == 0 and ProjectReview.model_validate_json(out).files[0].result.findings == []


def test_review_binary_stdin_is_refused(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x00\x00binary")))
    code = main(["review", "-"])
    assert code == 2 and "liveview-skill:" in capsys.readouterr().err


def test_eval_reads_another_datasets_folder(tmp_path, capsys):
    (tmp_path / "clarify-x.jsonl").write_text(
        '{"id": "x1", "request": "What does cancel_async do?", "underspecified": false, "missing": []}\n')
    assert main(["eval", "--evals-dir", str(tmp_path), "--suite", "clarify", "--report", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["suites"][0]["metrics"]["accuracy"] == 1.0 and len(report["suites"][0]["cases"]) == 1
    assert main(["eval", "--evals-dir", str(tmp_path / "missing"), "--suite", "clarify"]) == 2


@pytest.mark.parametrize(("suite", "line", "said"), [
    ("review", '{"id": "r1", "code": "x = 1", "filename": "a.ex"}', "review-x.jsonl:1: a review case needs expect"),
    ("retrieval", '{"id": "q1", "must_contain": []}', "retrieval-x.jsonl:1: a retrieval case needs question"),
    ("clarify", '["not", "an", "object"]', "a clarify case needs id"),
    ("clarify", '{"id": ', "clarify-x.jsonl:1: not valid JSON"),
])
def test_eval_names_a_malformed_case_instead_of_crashing(tmp_path, capsys, suite, line, said):
    (tmp_path / f"{suite}-x.jsonl").write_text(line + "\n")
    assert main(["eval", "--evals-dir", str(tmp_path), "--suite", suite]) == 2
    assert said in capsys.readouterr().err


def test_api_prints_facts_and_exits_zero(capsys):
    code, out, _ = run(capsys, "api", "stream_insert update_only", "@myself_cid", "--liveview-version", "1.0")
    assert code == 0
    assert "update_only" in out and "1.1.0" in out and "not available in 1.0" in out
    assert "@myself_cid" in out and "did you mean @myself" in out


def test_api_json_is_the_tool_object(capsys):
    from skill_server.models import ApiLookupResult

    code, out, _ = run(capsys, "api", "--json", "phx-viewport-top", "JS.push loading")
    result = ApiLookupResult.model_validate_json(out)
    assert code == 0 and result.version_source == "default"
    assert [r.kind for r in result.results] == ["binding", "option"]


@pytest.mark.parametrize("argv", [["api", ""], ["api", "stream", "--liveview-version", "banana"], ["api", "x" * 300]])
def test_api_bad_input_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("liveview-skill: ") and err.count("\n") == 1


def test_ask_says_when_the_knowledge_does_not_cover_the_question(capsys):
    code, out, _ = run(capsys, "ask", "How do I write an Ecto migration that adds a unique index concurrently?")
    assert code == 0
    assert "Weak match" in out and "weak match" in out
    code, out, _ = run(capsys, "ask", QUESTION)
    assert "weak match" not in out.lower()


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1"])
def test_limit_flags_refuse_values_that_are_not_positive_and_finite(capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "--review-timeout", value, "-"])
    assert exit_info.value.code == 2 and "positive finite number" in capsys.readouterr().err
