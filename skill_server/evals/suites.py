"""The eval suites: each runs its dataset (evals/<suite>*.jsonl) through a `call(tool, arguments)` function,
so the same suite measures the engine in-process or a real server over MCP stdio."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import InputError

Call = Callable[[str, dict], Awaitable[dict]]
SUITES = ("retrieval", "uncovered", "api", "recommend", "snippets", "review", "clarify", "latency")


class CaseResult(BaseModel):
    id: str
    passed: bool
    reason: str = ""
    input: str = ""
    output: str = ""
    ms: float = 0.0


class SuiteResult(BaseModel):
    name: str
    metrics: dict[str, float]
    cases: list[CaseResult] = Field(default_factory=list)
    table: list[dict] = Field(default_factory=list, description="Extra rows: per rule, per tool, baseline.")
    seconds: float = 0.0


REQUIRED_FIELDS = {  # what each suite reads from a case; a case without one is bad input, named by file and line
    "retrieval": ("id", "question", "must_contain"), "uncovered": ("id", "question"), "api": ("id", "query", "expect"),
    "recommend": ("id", "scenario", "expect"), "snippets": ("id", "pattern"),
    "review": ("id", "code", "filename", "expect"), "clarify": ("id", "request", "underspecified", "missing"),
}


def load_cases(evals_dir: Path, suite: str) -> list[dict]:
    cases = []
    files = sorted(evals_dir.glob(f"{suite}*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no dataset for the {suite} suite: expected {evals_dir}/{suite}*.jsonl")
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                raise InputError(f"{path.name}:{number}: not valid JSON ({getattr(exc, 'msg', 'nested too deep')})") from None
            missing = [key for key in REQUIRED_FIELDS.get(suite, ("id",)) if not isinstance(case, dict) or key not in case]
            if missing:
                raise InputError(f"{path.name}:{number}: a {suite} case needs {', '.join(missing)}")
            cases.append(case)
    return cases


async def _timed(call: Call, tool: str, arguments: dict) -> tuple[dict, float]:
    started = time.perf_counter()
    result = await call(tool, arguments)
    return result, (time.perf_counter() - started) * 1000


def contains_all(text: str, terms: list[str]) -> list[str]:
    lowered = text.lower()
    return [t for t in terms if t.lower() not in lowered]


async def retrieval(call: Call, cases: list[dict], tick) -> SuiteResult:
    results, weak = [], 0
    for case in cases:
        args = {"query": case["question"], "limit": 3}
        if case.get("liveview_version"):
            args["liveview_version"] = case["liveview_version"]
        out, ms = await _timed(call, "search_guidance", args)
        text = "\n".join(h["text"] + " " + h["section"] for h in out.get("hits", []))
        missing = contains_all(text, case["must_contain"])
        results.append(CaseResult(id=case["id"], passed=not missing, input=case["question"], ms=ms,
                                  reason=f"top 3 lack {missing}" if missing else "",
                                  output=", ".join(h["id"] for h in out.get("hits", []))))
        weak += bool(out.get("weak"))
        tick()
    return SuiteResult(name="retrieval", cases=results,
                       metrics={"top3": _rate(results), "weak_rate": weak / max(1, len(cases))})


async def uncovered(call: Call, cases: list[dict], tick) -> SuiteResult:
    """Questions outside what the knowledge covers (Ecto, deployment, controllers, OTP): search must mark its
    hits weak instead of presenting them as answers."""
    results = []
    for case in cases:
        out, ms = await _timed(call, "search_guidance", {"query": case["question"], "limit": 3})
        weak = bool(out.get("weak"))
        results.append(CaseResult(id=case["id"], passed=weak, input=case["question"], ms=ms,
                                  reason="" if weak else "hits not marked weak",
                                  output=", ".join(f"{h['id']} ({h.get('coverage')})" for h in out.get("hits", []))))
        tick()
    return SuiteResult(name="uncovered", metrics={"weak_rate": _rate(results)}, cases=results)


async def api(call: Call, cases: list[dict], tick) -> SuiteResult:
    """lookup_api facts: each case names one API name at a version and the facts expected (exists, available,
    kind, since, until, option_since...); a case passes when every expected fact matches."""
    results = []
    for case in cases:
        args = {"names": [case["query"]]}
        if case.get("liveview_version"):
            args["liveview_version"] = case["liveview_version"]
        out, ms = await _timed(call, "lookup_api", args)
        got = (out.get("results") or [{}])[0]
        wrong = [f"{key}: expected {value!r}, got {_api_fact(got, key)!r}"
                 for key, value in case["expect"].items() if _api_fact(got, key) != value]
        results.append(CaseResult(id=case["id"], passed=not wrong, input=f"{case['query']} @ {case.get('liveview_version')}",
                                  ms=ms, reason="; ".join(wrong) or out.get("error", ""),
                                  output=f"exists={got.get('exists')} since={got.get('since')}"))
        tick()
    return SuiteResult(name="api", metrics={"accuracy": _rate(results)}, cases=results)


def _api_fact(fact: dict, key: str):
    """A fact of a lookup_api result by the eval format's key: a result field, or option_since / arity_since."""
    if key == "option_since":
        return fact.get("since") if fact.get("kind") in ("option", "attribute") else None
    if key.startswith("arity_since:"):
        arity = int(key.split(":", 1)[1])
        return next((a["since"] for a in fact.get("arities", []) if a["arity"] == arity), None)
    if key == "deprecated":
        return fact.get("deprecated") is not None
    return fact.get(key)


async def recommend(call: Call, cases: list[dict], tick) -> SuiteResult:
    results, top1 = [], 0
    for case in cases:
        args = {"scenario": case["scenario"], "limit": 3}
        if case.get("liveview_version"):
            args["liveview_version"] = case["liveview_version"]
        out, ms = await _timed(call, "recommend_patterns", args)
        ids = [p["id"] for p in out.get("patterns", [])]
        forbidden = [f for f in case.get("forbid", []) if f in ids]
        ok = case["expect"] in ids and not forbidden
        top1 += bool(ids) and ids[0] == case["expect"]
        reason = "" if ok else (f"forbidden {forbidden} in top 3" if forbidden else f"{case['expect']} not in {ids}")
        results.append(CaseResult(id=case["id"], passed=ok, input=case["scenario"], output=", ".join(ids),
                                  reason=reason, ms=ms))
        tick()
    return SuiteResult(name="recommend", metrics={"top3": _rate(results), "top1": top1 / max(1, len(cases))},
                       cases=results)


async def snippets(call: Call, cases: list[dict], tick) -> SuiteResult:
    results = []
    for case in cases:
        args = {"pattern": case["pattern"], "params": case.get("params", {})}
        if case.get("liveview_version"):
            args["liveview_version"] = case["liveview_version"]
        out, ms = await _timed(call, "generate_snippet", args)
        if "files" not in out:
            results.append(CaseResult(id=case["id"], passed=False, reason=out.get("error", "no files"), ms=ms))
            tick()
            continue
        code = "\n".join(f["content"] for f in out["files"])
        missing = contains_all(code, case.get("must_contain", []))
        present = [t for t in case.get("must_not_contain", []) if t in code]
        parsed = out["checks"]["parsed"]
        problems = ([f"missing {missing}"] if missing else []) + ([f"contains {present}"] if present else []) + (
            [] if parsed else ["does not parse"])
        results.append(CaseResult(id=case["id"], passed=not problems, reason="; ".join(problems), ms=ms,
                                  input=f"{case['pattern']} {json.dumps(case.get('params', {}))} on {case.get('liveview_version')}"))
        tick()
    return SuiteResult(name="snippets", metrics={"pass_rate": _rate(results)}, cases=results)


async def review(call: Call, cases: list[dict], tick) -> SuiteResult:
    results = []
    per_rule: dict[str, dict[str, int]] = {}
    for case in cases:
        args = {"code": case["code"], "filename": case["filename"], "strict": bool(case.get("strict", False))}
        if case.get("liveview_version"):
            args["liveview_version"] = case["liveview_version"]
        out, ms = await _timed(call, "review_code", args)
        got = {(f["rule"], f["line"]) for f in out.get("findings", [])}
        want = {(e["rule"], e["line"]) for e in case["expect"]}
        for rule, _ in got | want:
            per_rule.setdefault(rule, {"tp": 0, "fp": 0, "fn": 0})
        for item in got & want:
            per_rule[item[0]]["tp"] += 1
        for item in got - want:
            per_rule[item[0]]["fp"] += 1
        for item in want - got:
            per_rule[item[0]]["fn"] += 1
        ok = got == want
        reason = "" if ok else f"unexpected {sorted(got - want)}; missed {sorted(want - got)}"
        results.append(CaseResult(id=case["id"], passed=ok, input=case["filename"], reason=reason, ms=ms,
                                  output=", ".join(f"{r}:{l}" for r, l in sorted(got))))
        tick()
    tp = sum(c["tp"] for c in per_rule.values())
    fp = sum(c["fp"] for c in per_rule.values())
    fn = sum(c["fn"] for c in per_rule.values())
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    table = [{"rule": rule, **counts, "precision": round(counts["tp"] / max(1, counts["tp"] + counts["fp"]), 3),
              "recall": round(counts["tp"] / max(1, counts["tp"] + counts["fn"]), 3)}
             for rule, counts in sorted(per_rule.items())]
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return SuiteResult(name="review", cases=results, table=table, metrics={
        "precision": precision, "recall": recall, "f1": f1, "clean_cases_clean": _rate(
            [r for r, c in zip(results, cases, strict=True) if not c["expect"]])})


async def clarify(call: Call, cases: list[dict], tick) -> SuiteResult:
    results = []
    found = expected = asked_complete = complete = 0
    for case in cases:
        out, ms = await _timed(call, "clarify_request", {"request": case["request"]})
        decided = out.get("underspecified")
        missing = set(out.get("missing", []))
        want = set(case["missing"])
        found += len(missing & want)
        expected += len(want)
        if not case["underspecified"]:
            complete += 1
            asked_complete += bool(decided)
        ok = decided == case["underspecified"]
        results.append(CaseResult(id=case["id"], passed=ok, input=case["request"][:120], ms=ms,
                                  output=f"underspecified={decided} missing={sorted(missing)}",
                                  reason="" if ok else f"expected underspecified={case['underspecified']} {sorted(want)}"))
        tick()
    return SuiteResult(name="clarify", cases=results, metrics={
        "accuracy": _rate(results), "dimension_recall": found / max(1, expected),
        "over_asking": asked_complete / max(1, complete)})


LATENCY_MIX = [
    ("search_guidance", {"query": "loading state on another element while the click is pending"}),
    ("search_guidance", {"query": "handle_async FunctionClauseError"}),
    ("recommend_patterns", {"scenario": "delete a comment with a fade out"}),
    ("generate_snippet", {"pattern": "delete_with_transition", "params": {"resource": "comment"}}),
    ("review_code", {"code": "<div phx-hook=\"Chart\"></div>\n", "filename": "c.heex"}),
    ("clarify_request", {"request": "make deleting feel instant"}),
    ("lookup_api", {"names": ["stream_insert update_only", "phx-viewport-top", "@myself_cid"]}),
]


async def latency(call: Call, rounds: int, tick) -> SuiteResult:
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        for tool, args in LATENCY_MIX:
            _, ms = await _timed(call, tool, args)
            samples.setdefault(tool, []).append(ms)
            tick()
    table = [{"tool": tool, "calls": len(v), "p50_ms": round(statistics.median(v), 2),
              "p95_ms": round(_p95(v), 2)} for tool, v in samples.items()]
    everything = [ms for v in samples.values() for ms in v]
    return SuiteResult(name="latency", table=table, metrics={
        "p50_ms": statistics.median(everything), "p95_ms": _p95(everything)})


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _rate(results: list[CaseResult]) -> float:
    return sum(r.passed for r in results) / max(1, len(results))


def baseline_retrieval(cases: list[dict], roots: tuple[Path, ...]) -> float:
    """The same questions against plain BM25 over the raw documents split at `## ` headings: whitespace
    tokens, no LiveView-aware tokenizer, no aliases or synonyms, no field weights, no version handling.
    Shows what those pieces add."""
    from rank_bm25 import BM25Okapi

    chunks = [c for root in roots for p in sorted(root.glob("*.md"))
              for c in re.split(r"\n(?=## )", p.read_text(encoding="utf-8"))]
    bm25 = BM25Okapi([c.lower().split() or ["\0"] for c in chunks])
    passed = 0
    for case in cases:
        scores = bm25.get_scores(case["question"].lower().split())
        top = sorted(range(len(chunks)), key=lambda i: -scores[i])[:3]
        passed += not contains_all("\n".join(chunks[i] for i in top), case["must_contain"])
    return passed / max(1, len(cases))
