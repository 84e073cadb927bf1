#!/usr/bin/env python3
"""Recall of the reviewer on real LiveView files with one injected mistake each (issue 14).

Each case of a set names an app (apps.toml: GitHub owner/name, pinned commit, LiveView version), a file
at that commit, its edit(s) (replace lines, or insert code before/after a line, each checked by an
anchor; an opening and a closing tag are two edits of one mistake), the mistake's KIND and the lines of
the mutated file where a finding is expected. kinds.toml maps each kind to the rule slugs that count as
catching it.

The files are exported from local git mirrors (`<mirrors>/<owner>+<name>/repo`, bare repositories brought
by the `fetch` tool) into a temporary folder, never into this repository. Every mutated file and every
original is reviewed whole, in process, in default and strict mode, for the app's LiveView version (a
separate `x.html.heex` template gets the module `x.ex` beside it, as project review gives it).

A case is caught when a finding of an accepted rule lands on an expected line (+-1) and is new: findings
the unmutated original already had (same rule and confidence on the same line once moved by the edit, or
again inside the code that replaced it) never count. The report gives recall per kind and overall, in
default and strict mode, and every default finding on the unmutated originals (the precision side), with
their number per 1,000 lines.

Usage: .venv/bin/python evals/mutations/run.py [--set PATH] [--apps PATH] [--kinds PATH]
           [--mirrors DIR] [--json PATH] [--markdown PATH] [--only ID,...] [--show ID]"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from skill_server.engine import review_code  # noqa: E402
from skill_server.review.engine import review_source  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_MIRRORS = Path(os.environ.get("LIVEVIEW_SKILL_MIRRORS", "/work/.mirror"))
OPS = ("replace", "insert_after", "insert_before")
NEAR = 1  # a finding counts when it lands within this many lines of an expected line
MAX_ANCHOR = 60


class HarnessError(Exception):
    """A set, an app list or a mirror that cannot be used: the message says what to fix."""


@dataclass(frozen=True)
class App:
    repo: str
    commit: str
    liveview_version: str


@dataclass(frozen=True)
class Edit:
    """One change to the original file: replace lines `line`..`end_line` with `code`, or insert `code` after
    or before `line`. `anchor` is a short piece of the original line, checked before the edit."""

    line: int
    anchor: str
    code: str
    op: str = "replace"
    end_line: int | None = None

    @property
    def span(self) -> tuple[int, int]:
        """(first original line removed or inserted before, number of original lines removed)."""
        if self.op == "replace":
            return self.line, (self.end_line or self.line) - self.line + 1
        return (self.line + 1, 0) if self.op == "insert_after" else (self.line, 0)


@dataclass(frozen=True)
class Case:
    """One injected mistake: usually one edit; an opening and a closing tag are two edits of one mistake."""

    id: str
    app: str
    file: str
    kind: str
    edits: tuple[Edit, ...]
    expect_lines: tuple[int, ...]  # lines of the MUTATED file where a finding is expected
    note: str = ""


@dataclass
class Outcome:
    case: Case
    accepted: tuple[str, ...]
    caught: dict[str, bool] = field(default_factory=dict)  # mode -> caught
    on_expected: dict[str, list[str]] = field(default_factory=dict)  # mode -> new findings near the expected lines
    elsewhere: dict[str, list[str]] = field(default_factory=dict)  # mode -> other new findings


# --- loading --------------------------------------------------------------------------------------------


def load_apps(path: Path) -> dict[str, App]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    apps = {}
    for entry in data.get("app", []):
        missing = {"repo", "commit", "liveview_version"} - entry.keys()
        if missing:
            raise HarnessError(f"{path}: app {entry.get('repo', '?')} lacks {', '.join(sorted(missing))}")
        if len(entry["commit"]) != 40:
            raise HarnessError(f"{path}: app {entry['repo']}: commit must be the full 40-character hash")
        apps[entry["repo"]] = App(entry["repo"], entry["commit"], entry["liveview_version"])
    if not apps:
        raise HarnessError(f"{path}: no [[app]] entries")
    return apps


def load_kinds(path: Path) -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {kind: tuple(slugs) for kind, slugs in data.items()}


def _edit(entry: dict, where: str) -> Edit:
    missing = {"line", "anchor"} - entry.keys()
    if missing:
        raise HarnessError(f"{where}: an edit lacks {', '.join(sorted(missing))}")
    edit = Edit(line=int(entry["line"]), anchor=entry["anchor"], code=entry.get("code", ""),
                op=entry.get("op", "replace"), end_line=entry.get("end_line"))
    if edit.op not in OPS:
        raise HarnessError(f"{where}: op must be one of {', '.join(OPS)}")
    if not edit.anchor.strip() or len(edit.anchor) > MAX_ANCHOR:
        raise HarnessError(f"{where}: the anchor must be a short non-blank piece of the line")
    if edit.end_line is not None and (edit.op != "replace" or edit.end_line < edit.line):
        raise HarnessError(f"{where}: end_line belongs to a replace and cannot come before line")
    if edit.op != "replace" and not edit.code:
        raise HarnessError(f"{where}: an insert needs code")
    return edit


def load_cases(path: Path, apps: dict[str, App], kinds: dict[str, tuple[str, ...]]) -> list[Case]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases, seen = [], set()
    for entry in data.get("case", []):
        where = f"{path}: case {entry.get('id', '?')}"
        missing = {"id", "app", "file", "kind", "expect_lines"} - entry.keys()
        if missing:
            raise HarnessError(f"{where} lacks {', '.join(sorted(missing))}")
        edits = tuple(_edit(e, where) for e in entry.get("edit", [])) or (_edit(entry, where),)
        spans = sorted(e.span for e in edits)
        if any(a[0] + max(a[1], 1) > b[0] for a, b in zip(spans, spans[1:])):
            raise HarnessError(f"{where}: edits overlap")
        case = Case(id=entry["id"], app=entry["app"], file=entry["file"], kind=entry["kind"], edits=edits,
                    expect_lines=tuple(entry["expect_lines"]), note=entry.get("note", ""))
        if case.id in seen:
            raise HarnessError(f"{where}: duplicate id")
        seen.add(case.id)
        if case.app not in apps:
            raise HarnessError(f"{where}: app {case.app} is not in the app list")
        if case.kind not in kinds:
            raise HarnessError(f"{where}: kind {case.kind} is not in kinds.toml")
        if not case.expect_lines:
            raise HarnessError(f"{where}: expect_lines is empty")
        cases.append(case)
    return cases


# --- files from the mirrors -----------------------------------------------------------------------------


def mirror_dir(repo: str, mirrors: Path) -> Path:
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    if not (git_dir / "HEAD").is_file():
        raise HarnessError(f"no mirror of {repo} at {git_dir}: bring it first (fetch github:{repo})")
    return git_dir


def git_show(app: App, path: str, mirrors: Path) -> str | None:
    """The file at the app's pinned commit, or None when the commit has no such file."""
    git_dir = mirror_dir(app.repo, mirrors)
    result = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{app.commit}:{path}"],
                            capture_output=True)
    if result.returncode != 0:
        known = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{app.commit}^{{commit}}"],
                               capture_output=True)
        if known.returncode != 0:
            raise HarnessError(f"the mirror of {app.repo} has no commit {app.commit}: fetch a newer snapshot")
        return None
    return result.stdout.decode("utf-8", errors="replace")


def export(app: App, path: str, mirrors: Path, into: Path) -> Path:
    """Writes the file at the pinned commit under `into` (a temporary folder) and returns where."""
    text = git_show(app, path, mirrors)
    if text is None:
        raise HarnessError(f"{app.repo} has no {path} at {app.commit[:10]}")
    target = into / app.repo.replace("/", "+") / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def companion_path(path: str) -> str | None:
    """`x.html.heex` -> `x.ex`: the module project review reads beside a separate template."""
    return path[: -len(".html.heex")] + ".ex" if path.endswith(".html.heex") else None


# --- mutation and scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineMap:
    """Where the original's lines are in the mutated file. `spans` holds each edit as (first original line,
    original lines removed, lines added), applied bottom-up."""

    spans: tuple[tuple[int, int, int], ...]

    def moved(self, line: int) -> int | None:
        """The line in the mutated file, or None for a line an edit replaced."""
        moved = line
        for first, removed, added in self.spans:
            if first <= line < first + removed:
                return None
            if line >= first + removed:
                moved += added - removed
        return moved

    def block(self, line: int) -> range:
        """For a replaced original line, the mutated lines that replaced it (empty for a deletion)."""
        for first, removed, added in self.spans:
            if first <= line < first + removed:
                start = (self.moved(first - 1) or 0) + 1 if first > 1 else 1
                return range(start, start + added)
        return range(0)


def apply_mutation(source: str, case: Case) -> tuple[str, LineMap]:
    """The mutated source and where the original's lines went. Every anchor is checked against the original
    before anything changes."""
    lines = source.splitlines(keepends=True)
    for edit in case.edits:
        end = edit.end_line or edit.line
        if not 1 <= edit.line <= end <= len(lines):
            raise HarnessError(f"case {case.id}: lines {edit.line}-{end} are outside {case.file} ({len(lines)} lines)")
        if edit.anchor not in lines[edit.line - 1]:
            raise HarnessError(f"case {case.id}: line {edit.line} of {case.file} does not contain {edit.anchor!r}: "
                               f"{lines[edit.line - 1].strip()[:80]!r}")
    spans = []
    for edit in sorted(case.edits, key=lambda e: e.span, reverse=True):
        new = edit.code.splitlines(keepends=True)
        if new and not new[-1].endswith("\n"):
            new[-1] += "\n"
        first, removed = edit.span
        lines[first - 1:first - 1 + removed] = new
        spans.append((first, removed, len(new)))
    return "".join(lines), LineMap(tuple(spans))


def new_findings(mutated: list, original: list, lines: LineMap) -> list:
    """Findings of the mutated file that the original did not have: not the same rule at the same confidence
    on the moved line, nor, for a replaced line, again inside the code that replaced it (one for one). A
    finding whose confidence changed (medium before, high now) is new."""
    before: set[tuple[str, str, int]] = set()
    carried: Counter = Counter()  # (rule, confidence, block of mutated lines) -> findings the replaced lines had
    for f in original:
        moved = lines.moved(f.line)
        if moved is not None:
            before.add((f.rule, f.confidence, moved))
        elif block := lines.block(f.line):
            carried[(f.rule, f.confidence, block)] += 1
    fresh = []
    for f in sorted(mutated, key=lambda f: f.line):
        if (f.rule, f.confidence, f.line) in before:
            continue
        key = next((k for k in carried if k[:2] == (f.rule, f.confidence) and f.line in k[2] and carried[k]), None)
        if key is not None:
            carried[key] -= 1
            continue
        fresh.append(f)
    return fresh


def near(line: int, expected: tuple[int, ...]) -> bool:
    return any(abs(line - e) <= NEAR for e in expected)


def score(case: Case, accepted: tuple[str, ...], fresh: list) -> tuple[bool, list[str], list[str]]:
    """(caught, new findings near the expected lines, other new findings), findings as 'rule@line'."""
    on_expected = [f for f in fresh if near(f.line, case.expect_lines)]
    caught = any(f.rule in accepted for f in on_expected)
    return caught, [_label(f) for f in on_expected], [_label(f) for f in fresh if f not in on_expected]


def _label(finding) -> str:
    return f"{finding.rule}@{finding.line}"


# --- running --------------------------------------------------------------------------------------------


def review(source: str, filename: str, version: str, strict: bool, companion: str | None) -> list:
    if companion is None:
        return review_code(source, filename=filename, liveview_version=version, strict=strict).findings
    return review_source(source, filename=filename, liveview_version=version, strict=strict,
                         companion=companion).findings


@dataclass
class Source:
    text: str
    companion: str | None
    findings: dict[str, list]  # mode -> findings on the original


def run(cases: list[Case], apps: dict[str, App], kinds: dict[str, tuple[str, ...]], mirrors: Path,
        workdir: Path) -> tuple[list[Outcome], dict[tuple[str, str], Source]]:
    for repo in sorted({c.app for c in cases}):
        mirror_dir(repo, mirrors)  # fail before any work when a mirror is missing
    sources: dict[tuple[str, str], Source] = {}
    outcomes = []
    for case in cases:
        app = apps[case.app]
        key = (case.app, case.file)
        if key not in sources:
            text = export(app, case.file, mirrors, workdir).read_text(encoding="utf-8")
            sibling = companion_path(case.file)
            companion = git_show(app, sibling, mirrors) if sibling else None
            sources[key] = Source(text, companion, {
                mode: review(text, case.file, app.liveview_version, mode == "strict", companion)
                for mode in ("default", "strict")})
        original = sources[key]
        mutated, lines = apply_mutation(original.text, case)
        outcome = Outcome(case, kinds[case.kind])
        for mode in ("default", "strict"):
            found = review(mutated, case.file, app.liveview_version, mode == "strict", original.companion)
            caught, on_expected, elsewhere = score(case, outcome.accepted,
                                                   new_findings(found, original.findings[mode], lines))
            outcome.caught[mode], outcome.on_expected[mode], outcome.elsewhere[mode] = caught, on_expected, elsewhere
        outcomes.append(outcome)
    return outcomes, sources


def summarize(outcomes: list[Outcome], sources: dict[tuple[str, str], Source]) -> dict:
    per_kind: dict[str, dict] = defaultdict(lambda: {"cases": 0, "default": 0, "strict": 0, "accepted": []})
    for o in outcomes:
        entry = per_kind[o.case.kind]
        entry["cases"] += 1
        entry["default"] += o.caught["default"]
        entry["strict"] += o.caught["strict"]
        entry["accepted"] = list(o.accepted)
    total = len(outcomes)
    lines = sum(len(s.text.splitlines()) for s in sources.values())
    original = [{"app": app, "file": path, "line": f.line, "rule": f.rule, "confidence": f.confidence,
                 "message": f.message, "text": s.text.splitlines()[f.line - 1].strip()[:160]
                 if 0 < f.line <= len(s.text.splitlines()) else ""}
                for (app, path), s in sorted(sources.items()) for f in s.findings["default"]]
    return {
        "cases": total,
        "apps": sorted({o.case.app for o in outcomes}),
        "recall": {mode: (sum(o.caught[mode] for o in outcomes) / total if total else 0.0)
                   for mode in ("default", "strict")},
        "caught": {mode: sum(o.caught[mode] for o in outcomes) for mode in ("default", "strict")},
        "per_kind": dict(sorted(per_kind.items())),
        "originals": {"files": len(sources), "lines": lines, "default_findings": len(original),
                      "per_1000_lines": round(1000 * len(original) / lines, 2) if lines else 0.0,
                      "findings": original},
        "outcomes": [{"id": o.case.id, "app": o.case.app, "file": o.case.file, "kind": o.case.kind,
                      "accepted": list(o.accepted), "expect_lines": list(o.case.expect_lines), "note": o.case.note,
                      "caught": o.caught, "on_expected": o.on_expected, "elsewhere": o.elsewhere}
                     for o in outcomes],
    }


def table(report: dict) -> str:
    rows = [f"{'kind':38} {'cases':>5} {'default':>8} {'strict':>8}  any rule near (default/strict)"]
    near_any = defaultdict(lambda: [0, 0])
    for o in report["outcomes"]:
        near_any[o["kind"]][0] += bool(o["on_expected"]["default"])
        near_any[o["kind"]][1] += bool(o["on_expected"]["strict"])
    for kind, entry in report["per_kind"].items():
        rows.append(f"{kind:38} {entry['cases']:>5} {entry['default']:>4}/{entry['cases']:<3} "
                    f"{entry['strict']:>4}/{entry['cases']:<3}  {near_any[kind][0]}/{near_any[kind][1]}")
    rec, got, n = report["recall"], report["caught"], report["cases"]
    rows.append(f"overall: {n} cases from {len(report['apps'])} apps; recall default {got['default']}/{n} "
                f"({rec['default']:.3f}), strict {got['strict']}/{n} ({rec['strict']:.3f})")
    orig = report["originals"]
    rows.append(f"unmutated originals: {orig['files']} files, {orig['lines']} lines, {orig['default_findings']} "
                f"default findings ({orig['per_1000_lines']} per 1,000 lines)")
    return "\n".join(rows)


def markdown(report: dict, cases: list[Case], title: str) -> str:
    """The report as markdown: figures, per-kind table, every missed case with what was injected, and every
    default finding on the unmutated originals (for a judge to read)."""
    by_id = {c.id: c for c in cases}
    rec, got, n = report["recall"], report["caught"], report["cases"]
    orig = report["originals"]
    out = [f"# {title}", "",
           f"{n} mutated files from {len(report['apps'])} apps ({', '.join(report['apps'])}).", "",
           f"- recall, default output: {got['default']}/{n} ({rec['default']:.3f})",
           f"- recall, strict output: {got['strict']}/{n} ({rec['strict']:.3f})",
           f"- unmutated originals: {orig['files']} files, {orig['lines']} lines, {orig['default_findings']} default "
           f"findings ({orig['per_1000_lines']} per 1,000 lines)", "",
           "A case is caught when a finding of a rule that kinds.toml accepts for its kind lands within one line of "
           "an expected line and the original did not already have it. 'Any rule near' counts new findings of any "
           "rule near the expected lines (what the reviewer said there, accepted or not).", "",
           "## Per kind", "", "| kind | accepted rules | cases | default | strict | any rule near (default/strict) |",
           "| --- | --- | ---: | ---: | ---: | ---: |"]
    near_any: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in report["outcomes"]:
        near_any[o["kind"]][0] += bool(o["on_expected"]["default"])
        near_any[o["kind"]][1] += bool(o["on_expected"]["strict"])
    for kind, e in report["per_kind"].items():
        accepted = ", ".join(e["accepted"]) or "(none yet)"
        out.append(f"| {kind} | {accepted} | {e['cases']} | {e['default']} | {e['strict']} | "
                   f"{near_any[kind][0]}/{near_any[kind][1]} |")
    out += ["", "## Cases missed in default output", ""]
    for o in report["outcomes"]:
        if o["caught"]["default"]:
            continue
        case = by_id[o["id"]]
        strict = "caught in strict" if o["caught"]["strict"] else "missed in strict too"
        said = ", ".join(o["on_expected"]["strict"]) or "nothing near the expected lines"
        out += [f"### {o['id']} ({o['kind']}; {strict})", "",
                f"{o['app']} `{o['file']}`, expected at line(s) {', '.join(map(str, o['expect_lines']))}: {o['note']}",
                f"Strict findings near: {said}.", ""]
        for edit in case.edits:
            where = {"replace": f"replacing original line(s) {edit.line}-{edit.end_line or edit.line}",
                     "insert_after": f"inserted after original line {edit.line}",
                     "insert_before": f"inserted before original line {edit.line}"}[edit.op]
            body = edit.code.rstrip("\n") or "(lines deleted)"
            out += [f"Injected, {where}:", "", "```", body, "```", ""]
    out += ["## Default findings on the unmutated originals", "",
            "| app | file | line | rule | confidence | source line |", "| --- | --- | ---: | --- | --- | --- |"]
    for f in orig["findings"]:
        text = f["text"].replace("|", "\\|")
        out.append(f"| {f['app']} | `{f['file']}` | {f['line']} | {f['rule']} | {f['confidence']} | `{text}` |")
    return "\n".join(out) + "\n"


def show(case: Case, apps: dict[str, App], mirrors: Path, context: int = 4) -> str:
    """The mutated regions with line numbers ('>' marks an expected line), to check a case while writing it."""
    text = git_show(apps[case.app], case.file, mirrors)
    if text is None:
        raise HarnessError(f"{case.app} has no {case.file}")
    mutated, line_map = apply_mutation(text, case)
    lines = mutated.splitlines()
    wanted: set[int] = set()
    for edit in case.edits:
        first, _ = edit.span
        start = (line_map.moved(first - 1) or 0) + 1 if first > 1 else 1  # the edit's first line, mutated
        added = len(edit.code.splitlines())
        wanted.update(range(max(1, start - context), min(len(lines), start + added - 1 + context) + 1))
    for e in case.expect_lines:
        wanted.update(range(max(1, e - 1), min(len(lines), e + 1) + 1))
    out, previous = [], None
    for n in sorted(wanted):
        if previous is not None and n != previous + 1:
            out.append("  ...")
        out.append(f"{n:5}{'>' if n in case.expect_lines else ' '} {lines[n - 1]}")
        previous = n
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=HERE / "set-1.toml")
    parser.add_argument("--apps", type=Path, default=HERE / "apps.toml")
    parser.add_argument("--kinds", type=Path, default=HERE / "kinds.toml")
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--markdown", type=Path, help="write a readable report here")
    parser.add_argument("--title", default="Mutation recall report", help="heading of the markdown report")
    parser.add_argument("--only", help="comma-separated case ids")
    parser.add_argument("--show", help="print the mutated region of one case and stop")
    args = parser.parse_args(argv)
    try:
        apps = load_apps(args.apps)
        kinds = load_kinds(args.kinds)
        cases = load_cases(args.set, apps, kinds)
        if args.show:
            case = next((c for c in cases if c.id == args.show), None)
            if case is None:
                raise HarnessError(f"no case {args.show} in {args.set}")
            print(show(case, apps, args.mirrors))
            return 0
        if args.only:
            wanted = set(args.only.split(","))
            cases = [c for c in cases if c.id in wanted]
        with tempfile.TemporaryDirectory(prefix="lv-mutations-") as workdir:
            outcomes, sources = run(cases, apps, kinds, args.mirrors, Path(workdir))
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = summarize(outcomes, sources)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(markdown(report, cases, args.title), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
