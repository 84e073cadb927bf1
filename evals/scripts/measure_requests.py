"""Measure one held-out set of real requests, once, through the engine API.

    .venv/bin/python evals/scripts/measure_requests.py SUITE PATH [--json OUT]

SUITE is one of:

- `snippets`: cases `{id, request, pattern, params, liveview_version, must_contain, must_not_contain}`.
  A null `pattern` is resolved with `recommend_patterns(request)` (its top-1). A case is fully correct when
  `generate_snippet` answers without error, every must term is in the generated files (case-insensitive,
  as the eval harness compares) and no must-not term is (case-sensitive, as the harness does).
- `clarify`: cases `{id, request, underspecified, missing, kind}`. Accuracy (the decision equals the label),
  over-asking (asked on cases labelled complete, over those cases) and dimension recall, overall and per kind.
- `recommend`: cases `{id, scenario, expect: [ids], forbid}`. Top-3 hit (any expected id in the top 3),
  top-1 (the first id is an expected one) and forbid violations.

It prints a markdown report (figures, then every failure with its class) and, with --json, writes every
case's outcome. The held-out sets live outside the repository; this script never changes them."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from skill_server import engine
from skill_server.errors import InputError

SUITES = ("snippets", "clarify", "recommend")


def load_cases(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def input_error_class(message: str) -> str:
    """Name the kind of refusal from the engine's InputError message."""
    if message.startswith("unknown pattern"):
        return "unknown pattern"
    if message.startswith("unknown parameter"):
        return "unknown param"
    if message.startswith("parameter ") and " must be " in message:
        return "invalid param"
    if "needs LiveView" in message:
        return "pattern needs a newer version"
    return "input error"


def measure_snippet(case: dict) -> dict:
    outcome = {"id": case["id"], "pattern": case.get("pattern"), "resolved_pattern": case.get("pattern")}
    version = case.get("liveview_version")
    pattern = case.get("pattern")
    if pattern is None:
        ranked = engine.recommend_patterns(case["request"], liveview_version=version).patterns
        if not ranked:
            return outcome | {"passed": False, "classes": ["no pattern recommended"], "detail": ""}
        pattern = ranked[0].id
        outcome["resolved_pattern"] = pattern
    try:
        result = engine.generate_snippet(pattern, case.get("params", {}), liveview_version=version)
    except InputError as exc:
        return outcome | {"passed": False, "classes": [input_error_class(str(exc))], "detail": str(exc)[:300]}
    code = "\n".join(f.content for f in result.files)
    lowered = code.lower()
    missing = [t for t in case.get("must_contain", []) if t.lower() not in lowered]
    present = [t for t in case.get("must_not_contain", []) if t in code]
    classes = (["missing must"] if missing else []) + (["present must-not"] if present else [])
    detail = "; ".join(([f"missing {missing}"] if missing else []) + ([f"contains {present}"] if present else []))
    return outcome | {"passed": not classes, "classes": classes, "detail": detail,
                      "parsed": result.checks.parsed}


def measure_snippets(cases: list[dict]) -> dict:
    results = [measure_snippet(case) for case in cases]
    per_class = Counter(c for r in results for c in r["classes"])
    return {"suite": "snippets", "cases": len(results),
            "metrics": {"fully_correct": _rate(r["passed"] for r in results)},
            "failure_classes": dict(per_class.most_common()), "results": results}


def measure_clarify(cases: list[dict]) -> dict:
    results = []
    for case in cases:
        out = engine.clarify_request(case["request"])
        want, got = set(case["missing"]), set(out.missing)
        results.append({"id": case["id"], "kind": case.get("kind", "request"), "label": case["underspecified"],
                        "decided": out.underspecified, "passed": out.underspecified == case["underspecified"],
                        "want": sorted(want), "got": sorted(got), "found": len(want & got)})
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups["all"].append(r)
        groups[r["kind"]].append(r)
    metrics = {name: _clarify_metrics(rows) for name, rows in groups.items()}
    return {"suite": "clarify", "cases": len(results), "metrics": metrics, "results": results}


def _clarify_metrics(rows: list[dict]) -> dict:
    complete = [r for r in rows if not r["label"]]
    expected = sum(len(r["want"]) for r in rows)
    return {"cases": len(rows), "accuracy": _rate(r["passed"] for r in rows),
            "over_asking": _rate(r["decided"] for r in complete) if complete else None,
            "labelled_complete": len(complete),
            "dimension_recall": sum(r["found"] for r in rows) / expected if expected else None}


def measure_recommend(cases: list[dict]) -> dict:
    results = []
    for case in cases:
        out = engine.recommend_patterns(case["scenario"], liveview_version=case.get("liveview_version"), limit=3)
        ids = [p.id for p in out.patterns][:3]
        expect = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
        forbidden = [f for f in case.get("forbid", []) if f in ids]
        hit = any(e in ids for e in expect)
        results.append({"id": case["id"], "expect": expect, "got": ids, "top3": hit,
                        "top1": bool(ids) and ids[0] in expect, "forbidden": forbidden,
                        "passed": hit and not forbidden})
    return {"suite": "recommend", "cases": len(results), "results": results, "metrics": {
        "top3": _rate(r["top3"] for r in results), "top1": _rate(r["top1"] for r in results),
        "top3_without_forbidden": _rate(r["passed"] for r in results),
        "forbid_violations": sum(bool(r["forbidden"]) for r in results)}}


def _rate(values) -> float:
    values = list(values)
    return sum(bool(v) for v in values) / len(values) if values else 0.0


def render(report: dict, path: Path) -> str:
    lines = [f"# {report['suite']} on {path.name} ({report['cases']} cases)", ""]
    if report["suite"] == "snippets":
        lines += [f"fully correct: {report['metrics']['fully_correct']:.3f}", "",
                  "failure classes: " + ", ".join(f"{k} {v}" for k, v in report["failure_classes"].items()), ""]
        for r in report["results"]:
            if not r["passed"]:
                resolved = r["resolved_pattern"] if r["pattern"] else f"null -> {r['resolved_pattern']}"
                lines.append(f"- {r['id']} [{resolved}] {', '.join(r['classes'])}: {r['detail']}")
    elif report["suite"] == "clarify":
        lines += ["| kind | cases | accuracy | over-asking (of labelled complete) | dimension recall |",
                  "| --- | --- | --- | --- | --- |"]
        for name, m in report["metrics"].items():
            over = "-" if m["over_asking"] is None else f"{m['over_asking']:.3f} ({m['labelled_complete']})"
            recall = "-" if m["dimension_recall"] is None else f"{m['dimension_recall']:.3f}"
            lines.append(f"| {name} | {m['cases']} | {m['accuracy']:.3f} | {over} | {recall} |")
        lines.append("")
        for r in report["results"]:
            if not r["passed"] or set(r["want"]) - set(r["got"]):
                lines.append(f"- {r['id']} ({r['kind']}) label={r['label']} {r['want']} -> "
                             f"decided={r['decided']} {r['got']}")
    else:
        m = report["metrics"]
        lines += [f"top-3: {m['top3']:.3f}  top-1: {m['top1']:.3f}  "
                  f"top-3 without forbidden: {m['top3_without_forbidden']:.3f}  "
                  f"forbid violations: {m['forbid_violations']}", ""]
        for r in report["results"]:
            if not r["passed"]:
                extra = f" forbidden {r['forbidden']}" if r["forbidden"] else ""
                lines.append(f"- {r['id']} expect {r['expect']} got {r['got']}{extra}")
    return "\n".join(lines) + "\n"


MEASURES = {"snippets": measure_snippets, "clarify": measure_clarify, "recommend": measure_recommend}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", choices=SUITES)
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", type=Path, help="write every case's outcome here")
    args = parser.parse_args(argv)
    report = MEASURES[args.suite](load_cases(args.path))
    sys.stdout.write(render(report, args.path))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
