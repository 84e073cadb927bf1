"""The eval harness: metric arithmetic on known inputs, dataset errors, thresholds and reports; and the
fast suites run over the real datasets at the floors in evals/thresholds.toml (quality cannot regress)."""

from __future__ import annotations

import json

import anyio
import pytest

from skill_server.errors import InputError
from skill_server.evals import suites
from skill_server.evals.harness import EVALS_DIR, run_eval, thresholds, verdicts
from skill_server.evals.report import write_report


def _fake(responses):
    async def call(tool, arguments):
        return responses[(tool, json.dumps(arguments, sort_keys=True))]
    return call


def test_review_metrics_count_true_and_false_positives():
    cases = [
        {"id": "a", "filename": "a.ex", "code": "x", "expect": [{"rule": "r1", "line": 1}]},
        {"id": "b", "filename": "b.ex", "code": "y", "expect": []},
    ]
    responses = {
        ("review_code", json.dumps({"code": "x", "filename": "a.ex", "strict": False}, sort_keys=True)):
            {"findings": [{"rule": "r1", "line": 1}, {"rule": "r2", "line": 3}]},
        ("review_code", json.dumps({"code": "y", "filename": "b.ex", "strict": False}, sort_keys=True)):
            {"findings": []},
    }
    result = anyio.run(suites.review, _fake(responses), cases, lambda: None)
    assert result.metrics["precision"] == 0.5 and result.metrics["recall"] == 1.0
    assert result.metrics["clean_cases_clean"] == 1.0
    assert {row["rule"]: row["fp"] for row in result.table} == {"r1": 0, "r2": 1}


def test_clarify_metrics():
    cases = [
        {"id": "1", "request": "a", "underspecified": True, "missing": ["scope", "failure_ux"]},
        {"id": "2", "request": "b", "underspecified": False, "missing": []},
        {"id": "3", "request": "c", "underspecified": False, "missing": []},
    ]
    responses = {
        ("clarify_request", json.dumps({"request": "a"})): {"underspecified": True, "missing": ["scope"]},
        ("clarify_request", json.dumps({"request": "b"})): {"underspecified": True, "missing": ["scope"]},
        ("clarify_request", json.dumps({"request": "c"})): {"underspecified": False, "missing": []},
    }
    result = anyio.run(suites.clarify, _fake(responses), cases, lambda: None)
    assert result.metrics == {"accuracy": pytest.approx(2 / 3), "dimension_recall": 0.5, "over_asking": 0.5}


def test_thresholds_and_verdicts(tmp_path):
    (tmp_path / "thresholds.toml").write_text('[floors]\n"x.a" = 0.9\n[ceilings]\n"x.b" = 0.1\n')
    floors, ceilings = thresholds(tmp_path / "thresholds.toml")
    result = suites.SuiteResult(name="x", metrics={"a": 0.95, "b": 0.2})
    rows = verdicts([result], floors, ceilings)
    assert [(r[0], r[4]) for r in rows] == [("x.a", True), ("x.b", False)]


def test_bad_datasets_and_names_are_clear_errors(tmp_path):
    (tmp_path / "clarify.jsonl").write_text('{"id": 1, "request": "x", "underspecified": false, "missing": []}\n'
                                            'not json\n')
    with pytest.raises(InputError, match="clarify.jsonl:2: not valid JSON"):
        run_eval(["clarify"], evals_dir=tmp_path)
    (tmp_path / "clarify.jsonl").write_text('{"id": 1}\n')
    with pytest.raises(InputError, match="clarify.jsonl:1: a clarify case needs request"):
        run_eval(["clarify"], evals_dir=tmp_path)
    with pytest.raises(InputError, match="no dataset"):
        run_eval(["recommend"], evals_dir=tmp_path)
    with pytest.raises(InputError, match="unknown suite"):
        run_eval(["speed"])


def test_reports_are_written(tmp_path):
    result = suites.SuiteResult(name="latency", metrics={"p50_ms": 1.0},
                                table=[{"tool": "search_guidance", "calls": 2, "p50_ms": 1.0, "p95_ms": 2.0}],
                                cases=[suites.CaseResult(id="c1", passed=False, reason="expected x", input="q")])
    write_report(tmp_path / "r.json", [result], [("latency.p50_ms", 1.0, "<=", 5.0, True)])
    assert json.loads((tmp_path / "r.json").read_text())["suites"][0]["name"] == "latency"
    write_report(tmp_path / "r.html", [result], [])
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and "expected x" in page and "<table>" in page


def test_quality_stays_above_the_floors(tmp_path):
    """The held-out datasets at the floors in evals/thresholds.toml: a drop below any floor fails CI."""
    code = run_eval(["retrieval", "recommend", "review", "clarify", "snippets"], report=str(tmp_path / "q.json"))
    data = json.loads((tmp_path / "q.json").read_text())
    assert code == 0, [v for v in data["verdicts"] if not v["ok"]]
    assert EVALS_DIR.is_dir()
