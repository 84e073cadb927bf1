"""review_source: review one file (or pasted fragment) and return findings from every rule that applies.

Language comes from the file name or the content. Default output holds high-confidence findings, and
medium ones of rules whose true findings are a security hole, lost data or a crash (`Rule.harm`); strict
adds the rest. Findings come most severe first. Bad input (empty, binary, over the size cap) is an InputError; code that does
not parse is still reviewed as far as the tree allows."""

from __future__ import annotations

import os
import re
import time

from ..errors import InputError
from ..models import Finding, ReviewResult
from ..versions import resolve, version_in_range
from .context import ReviewContext
from .registry import all_rules
from .rule import visible
from .suppress import find_suppressions

MAX_REVIEW_BYTES = int(os.environ.get("LIVEVIEW_SKILL_MAX_REVIEW_BYTES", 2 * 1024 * 1024))
TIME_BUDGET_S = float(os.environ.get("LIVEVIEW_SKILL_REVIEW_BUDGET_S", 5.0))
EXTENSIONS = {".ex": "elixir", ".exs": "elixir", ".heex": "heex", ".js": "javascript", ".mjs": "javascript",
              ".ts": "javascript", ".jsx": "javascript", ".css": "css"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}


def finding_order(finding: Finding) -> tuple:
    """Most severe first: severity, then harmful before harmless, then confidence, then position."""
    return (SEVERITY_RANK[finding.severity], finding.harm is None, CONFIDENCE_RANK[finding.confidence], finding.line,
            finding.column, finding.code)


def language_of(code: str, filename: str | None) -> tuple[str, str | None]:
    """(language, note): from the extension when known, else sniffed from the content."""
    if filename:
        name = filename.lower()
        for ext, language in EXTENSIONS.items():
            if name.endswith(ext):
                return language, None
        if not name.endswith((".eex", ".leex")) and "." in os.path.basename(name):
            return _sniff(code), f"{os.path.basename(filename)[:60]} is not a LiveView file type; reviewed as {_sniff(code)}"
    return _sniff(code), None


def _sniff(code: str) -> str:
    head = code[:4000]
    if re.search(r"^\s*(defmodule|def |defp |use |alias |import )", head, re.M):
        return "elixir"
    if re.search(r"^\s*</?[a-zA-Z.:]", head, re.M) or "phx-" in head or "<%" in head:
        return "heex"
    if re.search(r"\b(mounted\(\)|export default|const |let |function\b|=>)", head):
        return "javascript"
    if re.search(r"[.#@]?[\w-]+\s*\{[^}]*:[^}]*;", head, re.S):
        return "css"
    return "elixir"


def validate_code(code: object) -> str:
    if not isinstance(code, str):
        raise InputError("code must be a string: the source of a module, template, hook or stylesheet")
    if not code.strip():
        raise InputError("code is empty; send the source to review")
    size = len(code.encode("utf-8", "replace"))
    if size > MAX_REVIEW_BYTES:
        raise InputError(f"code is {size / 1_048_576:.1f} MB; the limit is {MAX_REVIEW_BYTES / 1_048_576:.0f} MB. "
                         "Review one file at a time")
    if "\x00" in code:
        raise InputError("code contains NUL bytes: it looks binary; send source text")
    controls = sum(1 for ch in code[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(code[:20000]) // 50):
        raise InputError("code is mostly control characters: it looks binary; send source text")
    return code


def review_source(code: str, filename: str | None = None, liveview_version: str | None = None,
                  strict: bool = False, companion: str | None = None, project_root: str | None = None) -> ReviewResult:
    """Review one file. `companion` is the source of the module beside a separate template and `project_root`
    the Mix project's folder (project mode)."""
    started = time.perf_counter()
    code = validate_code(code)
    if filename is not None and not isinstance(filename, str):
        raise InputError("filename must be a string such as \"lib/my_app_web/live/page_live.ex\"")
    target = resolve(liveview_version)
    language, note = language_of(code, filename)
    ctx = ReviewContext(code, filename, language, target.version, pre_release=target.pre_release,
                        companion_source=companion, project_root=project_root)
    notes = [n for n in (target.note, note) if n]
    units = ctx.units()
    runs = {"elixir": {"elixir", "heex"}, "heex": {"heex"}, "javascript": {"javascript"}, "css": {"css"}}[language]
    raw: list[tuple] = []
    rules_run = 0
    for loaded in all_rules():
        rule = loaded.rule
        if not runs.intersection(rule.languages) or not version_in_range(target.version, rule.since, rule.until):
            continue
        if time.perf_counter() - started > TIME_BUDGET_S:
            notes.append(f"Stopped after {rules_run} rules: the {TIME_BUDGET_S:.0f} s review budget ran out; "
                         "results are partial.")
            break
        rules_run += 1
        for unit in units:
            for hit in loaded.check(unit):
                raw.append((rule, hit))
    suppressions = find_suppressions(code)
    findings, suppressed, seen = [], 0, set()
    for rule, hit in raw:
        key = (rule.slug, hit.line, hit.column, hit.message)
        if key in seen:  # text-level rules see the whole file from every module unit
            continue
        seen.add(key)
        confidence = hit.confidence or rule.confidence
        covered = [s for s in suppressions if s.covers(rule.slug, rule.code, hit.line)]
        if covered:
            for s in covered:
                s.used = True
            suppressed += 1
            continue
        if not visible(confidence, rule.harm, strict):
            continue
        findings.append(Finding(
            rule=rule.slug, code=rule.code, severity=rule.severity, confidence=confidence, harm=rule.harm, line=hit.line,
            column=hit.column, end_line=hit.end_line or hit.line, end_column=hit.end_column,
            message=hit.message or rule.summary, fix=rule.fix, uri=f"liveview://rules/{rule.slug}",
            file=filename,
        ))
    findings.sort(key=finding_order)
    unused = [s for s in suppressions if not s.used]
    for s in unused:
        names = ", ".join(sorted(s.rules)) or "all rules"
        notes.append(f"line {s.line}: lvr:{'disable-file' if s.kind == 'file' else 'disable-next-line'} {names} "
                     "suppresses nothing; remove it")
    if not ctx.parse_ok:
        notes.append("The code does not fully parse; it was reviewed as far as the syntax tree allows.")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_RANK}
    stats = {"lines": len(ctx.lines), "findings": len(findings), **counts, "suppressed": suppressed,
             "unused_suppressions": len(unused), "rules_run": rules_run,
             "elapsed_ms": round((time.perf_counter() - started) * 1000, 2)}
    return ReviewResult(liveview_version=target.label, language=language, parse_ok=ctx.parse_ok, findings=findings,
                        stats=stats, notes=notes)
