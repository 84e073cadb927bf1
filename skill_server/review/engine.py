"""review_source: review one file (or pasted fragment) and return findings from every rule that applies.

Language comes from the file name or the content. Default output holds high-confidence findings, and
medium ones of rules whose true findings are a security hole, lost data or a crash (`Rule.harm`); strict
adds the rest. Findings come most severe first. Bad input (empty, binary, over the size cap) is an
InputError; code that does not parse is still reviewed as far as the tree allows.

A review has three steps, so that the rules can run in another process (review/worker.py) and a review
cut short still says what it found and what did not run: `prepare` checks the input (cheap, in the
caller), `run_rules` parses and runs the rules, yielding one event per rule, and `assemble` turns the
events it got into a ReviewResult: findings, suppressions, and the rules that did not run, with why."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from ..errors import InputError
from ..limits import env_number
from ..models import Finding, ReviewResult
from ..parsing import ParseTooSlow, parse_deadline
from ..sanitize import code_span, inert_markdown
from ..versions import resolve, version_in_range
from .reading_limits import watching
from .rule import Hit, Rule, visible
from .suppress import Suppression, comment_checker, find_suppressions, from_row

MAX_REVIEW_BYTES = env_number("MAX_REVIEW_BYTES", 2 * 1024 * 1024)
TIME_BUDGET_S = env_number("REVIEW_BUDGET_S", 5.0)
# Parsing the file and its ~H templates, together (a real 2 MB file parses in well under a second; hostile input
# whose error recovery is slow is refused at this point instead of holding a worker to the review time limit).
PARSE_BUDGET_S = env_number("REVIEW_PARSE_S", 3.0)
# `.html.eex`/`.html.leex`: templates `embed_templates` and Phoenix.View compile as HTML, with `raw/1` unescaped too.
EXTENSIONS = {".ex": "elixir", ".exs": "elixir", ".heex": "heex", ".html.eex": "heex", ".html.leex": "heex",
              ".js": "javascript", ".mjs": "javascript",
              ".ts": "javascript", ".jsx": "javascript", ".tsx": "javascript", ".cjs": "javascript", ".mts": "javascript",
              ".cts": "javascript", ".css": "css"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}
RUNS = {"elixir": {"elixir", "heex"}, "heex": {"heex"}, "javascript": {"javascript"}, "css": {"css"}}
LISTED = 20  # unused suppressions named one by one; the rest are counted
MAX_HITS_PER_RULE = 500  # a rule that fires more often in one file lists this many, the most confident first
# A rule computes at most this many hits in one file: past it the rule is cut short and the review is incomplete, so
# padding a file with harmless hits can never push a real one out of what the gate sees (audit 8 D2).
MAX_HITS_COMPUTED = 20 * MAX_HITS_PER_RULE
LONE_CR = re.compile(r"\r(?!\n)")
# Content sniffing looks at the first SNIFF_CHARS characters with patterns that cannot backtrack far.
SNIFF_CHARS = 4000
ELIXIR_HEAD = re.compile(r"^[ \t]*(defmodule|def |defp |use |alias |import )", re.M)
HEEX_HEAD = re.compile(r"^[ \t]*</?[a-zA-Z.:]", re.M)
JS_HEAD = re.compile(r"\b(mounted\(\)|export default|const |let |function\b|=>)")
CSS_RULE = re.compile(r"(?<![\w-])[.#@]?[\w-]{1,100}[ \t\n]*\{[^{}:]{0,200}:[^{};]{0,200};")


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
            sniffed = _sniff(code)
            return sniffed, f"{code_span(os.path.basename(filename), 60)} is not a LiveView file type; reviewed as {sniffed}"
    return _sniff(code), None


# Blank and comment lines at the top of a file (a licence header) say nothing of its language: sniffing starts after
# them, so a long header cannot push the code out of the sniffed window (audit 8 D8).
HEADER_LINE = re.compile(r"[ \t]*(?:(?:#|//|\*|/\*|<%!--|<!--)[^\n]*)?\n")


def _sniff(code: str) -> str:
    start = 0
    while (line := HEADER_LINE.match(code, start)) is not None and line.end() > start:
        start = line.end()
    head = code[start:start + SNIFF_CHARS]
    if ELIXIR_HEAD.search(head):
        return "elixir"
    if HEEX_HEAD.search(head) or "phx-" in head or "<%" in head:
        return "heex"
    if JS_HEAD.search(head):
        return "javascript"
    if CSS_RULE.search(head):
        return "css"
    return "elixir"


def validate_code(code: object) -> str:
    if not isinstance(code, str):
        raise InputError("code must be a string: the source of a module, template, hook or stylesheet")
    if len(code) > MAX_REVIEW_BYTES:  # every character is at least one byte: no need to encode a huge string
        raise InputError(f"code is over {MAX_REVIEW_BYTES / 1_048_576:.0f} MB; the limit is "
                         f"{MAX_REVIEW_BYTES / 1_048_576:.0f} MB. Review one file at a time")
    try:
        size = len(code.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputError(f"code has an unpaired surrogate at character {exc.start}: send UTF-8 text") from None
    if size > MAX_REVIEW_BYTES:
        raise InputError(f"code is {size / 1_048_576:.1f} MB; the limit is {MAX_REVIEW_BYTES / 1_048_576:.0f} MB. "
                         "Review one file at a time")
    if not code.strip():
        raise InputError("code is empty; send the source to review")
    if "\x00" in code:
        raise InputError("code contains NUL bytes: it looks binary; send source text")
    controls = sum(1 for ch in code[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(code[:20000]) // 50):
        raise InputError("code is mostly control characters: it looks binary; send source text")
    return code


def validate_filename(filename: object) -> str | None:
    if filename is None:
        return None
    if not isinstance(filename, str):
        raise InputError("filename must be a string such as \"lib/my_app_web/live/page_live.ex\"")
    try:
        filename.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("filename has an unpaired surrogate: send UTF-8 text") from None
    return filename[-4096:]


@dataclass(frozen=True)
class ReviewJob:
    """A checked review request: what the rules need, wherever they run."""

    code: str
    filename: str | None
    liveview_version: str | None
    strict: bool
    companion: str | None  # the module beside a separate template (project mode)
    project_root: str | None  # the Mix project's folder (project mode): rules may read its other files
    path: str | None  # the reviewed file's real path (project mode; `filename` is the name shown)
    language: str
    label: str  # the version as answered
    notes: tuple[str, ...]


def prepare(code: object, filename: object = None, liveview_version: str | None = None, strict: bool = False,
            companion: str | None = None, project_root: str | None = None, path: str | None = None) -> ReviewJob:
    """Checks the input (InputError when it cannot be reviewed) and picks the language and version."""
    code = validate_code(code)
    filename = validate_filename(filename)
    target = resolve(liveview_version)
    if "\r" in code:  # old Mac line endings: every \r a line break, as editors show them (same length)
        code = LONE_CR.sub("\n", code)
    language, note = language_of(code, filename)
    return ReviewJob(code, filename, liveview_version, bool(strict), companion, project_root, path, language,
                     target.label,
                     tuple(n for n in (target.note, note) if n))


HARM_FIRST = {"security": 0, "crash": 1, "data_loss": 2}  # run order: when a review runs out of time, what is
# lost is the rules whose findings cost least (audit 8: the security rules ran late and were the ones lost)


def planned_rules(job: ReviewJob) -> list:
    """The rules that apply to the job's language and version, in run order: security, crash and data-loss rules
    first, then the rest in catalogue order."""
    from .registry import all_rules

    version = resolve(job.liveview_version).version
    runs = RUNS[job.language]
    planned = [loaded for loaded in all_rules() if runs.intersection(loaded.rule.languages)
               and version_in_range(version, loaded.rule.since, loaded.rule.until)]
    return sorted(planned, key=lambda loaded: HARM_FIRST.get(loaded.rule.harm, len(HARM_FIRST)))


def run_rules(job: ReviewJob, budget_s: float | None = None) -> Iterator[tuple]:
    """_run_rules, then the project files parsed for it are let go (a reused worker keeps no syntax tree of a
    review that ended: audit 11 L1)."""
    from .project_handlers import release_parsed as release_handler_files
    from .project_sources import release_parsed

    try:
        yield from _run_rules(job, budget_s)
    finally:
        release_parsed()
        release_handler_files()


def _run_rules(job: ReviewJob, budget_s: float | None = None) -> Iterator[tuple]:
    """Parses the code and runs every planned rule over every module unit, yielding events:
    ("context", parse_ok, [rule slugs], note on a part of the file left out or None) first, then ("rule", slug, [hit rows]) per rule that
    finished (with whether it listed only MAX_HITS_PER_RULE, whether it was cut short at MAX_HITS_COMPUTED and the
    reading limits it stopped at, reading_limits.py), ("rule_failed", slug, why) per rule that ran out of memory, and ("stopped", why) when the
    budget ran out between rules. Every value is plain data, so the events can cross a pipe."""
    from .bounds import MAX_NODES, TooLarge, check_samples, check_tree
    from .bounds import note as too_large_note
    from .colocated_js import MAX_SCRIPTS, colocated_hook_units, skipped_scripts
    from .context import MAX_UNITS, ReviewContext

    started = time.perf_counter()
    target = resolve(job.liveview_version)
    rules = planned_rules(job)
    try:  # a tree over the shape limits is not walked at all (bounds.py); ~H templates are measured as parsed
        with parse_deadline(PARSE_BUDGET_S):  # samples, file, templates, hook scripts: one budget for every parse
            check_samples(job.language, job.code.encode("utf-8"))
            ctx = ReviewContext(job.code, job.filename, job.language, target.version, pre_release=target.pre_release,
                                companion_source=job.companion, project_root=job.project_root, path=job.path)
            nodes = check_tree(ctx.tree.root_node, "the code")
            units = ctx.units()
            templates = [t for unit in units for t in unit.templates] if job.language == "elixir" else []
            scripts = [script for unit in units for script in colocated_hook_units(unit)]  # read as JS by hook rules
            if job.companion is not None:  # the module beside a separate template (project review): same budget
                check_samples("elixir", job.companion.encode("utf-8"))
                ctx.companion_module  # noqa: B018 (parsed here, under the deadline, not later inside a rule)
        nodes += sum(t.root.descendant_count for t in templates)
        if nodes > MAX_NODES:
            raise TooLarge(f"the code and its ~H templates have over {MAX_NODES:,} syntax nodes together")
        for script in scripts:
            nodes = check_tree(script.tree.root_node, "the code with its colocated hook scripts", nodes)
        parse_ok = ctx.parse_ok
    except (TooLarge, ParseTooSlow) as exc:
        yield ("context", False, [loaded.rule.slug for loaded in rules], None)
        yield ("stopped", too_large_note(exc))
        return
    left_out = []
    if ctx.skipped_units:
        left_out.append(f"The file defines {MAX_UNITS + ctx.skipped_units} modules; the first {MAX_UNITS} were "
                        "reviewed, the rest were not.")
    unread_scripts = sum(skipped_scripts(unit) for unit in units)
    if unread_scripts:
        left_out.append(f"{unread_scripts} colocated hook script(s) past the first {MAX_SCRIPTS} of a module were not "
                        "reviewed as JavaScript.")
    left_out = " ".join(left_out) or None
    yield ("context", parse_ok, [loaded.rule.slug for loaded in rules], left_out)
    suppressions = find_suppressions(job.code, comment_checker(ctx))
    yield ("suppressions", [s.row() for s in suppressions])
    silencing = _suppression_index(suppressions)
    budget = TIME_BUDGET_S if budget_s is None else budget_s
    for n, loaded in enumerate(rules):
        if time.perf_counter() - started > budget:
            yield ("stopped", f"Stopped after {n} rules: the {budget:g} s review budget ran out; results are partial.")
            return
        try:
            with watching() as limits_reached:
                rows = [_row(hit) for hit in islice((h for unit in units for h in loaded.check(unit)),
                                                    MAX_HITS_COMPUTED + 1)]
        except MemoryError:
            yield ("rule_failed", loaded.rule.slug, "it ran out of memory")
            continue
        except RecursionError:  # code nested deeper than a rule's helpers follow: the other rules still run
            yield ("rule_failed", loaded.rule.slug, "the code nests deeper than it follows")
            continue
        cut_short = len(rows) > MAX_HITS_COMPUTED
        listed = _most_confident(rows[:MAX_HITS_COMPUTED], loaded.rule, silencing)
        yield ("rule", loaded.rule.slug, listed, len(rows) > MAX_HITS_PER_RULE, cut_short, limits_reached)


def _most_confident(rows: list[list], rule: Rule, silencing: tuple) -> list[list]:
    """At most MAX_HITS_PER_RULE hit rows, in their order in the file: those no suppression comment silences before
    those it does, then high and medium confidence before low (padding of silenced or low hits cannot push a
    real one out: audit 8 D2)."""
    if len(rows) <= MAX_HITS_PER_RULE:
        return rows
    whole_file, by_line = silencing

    def silenced(row: list) -> bool:
        return any(s.covers(rule.slug, rule.code, row[0]) for s in (*whole_file, *by_line.get(row[0], ())))

    kept = sorted(range(len(rows)), key=lambda i: (silenced(rows[i]), CONFIDENCE_RANK[rows[i][5] or rule.confidence],
                                                   i))[:MAX_HITS_PER_RULE]
    return [rows[i] for i in sorted(kept)]


def _row(hit: Hit) -> list:
    return [hit.line, hit.column, hit.end_line, hit.end_column, hit.message, hit.confidence]


@dataclass
class RuleRun:
    """What running the rules produced so far: the parse, the planned rules, the hits of each rule that
    finished, and why the others did not run."""

    parse_ok: bool | None = None  # None: the code was never parsed
    planned: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    hits: list[tuple[str, list]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None  # why the rules after the last finished one did not run
    left_out: str | None = None  # a part of the file that was not reviewed (modules over the cap)
    capped: list[str] = field(default_factory=list)  # rules that stopped listing at MAX_HITS_PER_RULE
    cut_short: list[str] = field(default_factory=list)  # rules that stopped computing at MAX_HITS_COMPUTED
    limited: dict[str, list[str]] = field(default_factory=dict)  # rule -> reading limits it stopped at
    suppressions: list[list] = field(default_factory=list)  # the directives in comments (suppress.Suppression rows)

    def add(self, event: list | tuple) -> None:
        kind = event[0]
        if kind == "context":
            self.parse_ok, self.planned, self.left_out = bool(event[1]), list(event[2]), event[3]
        elif kind == "rule":
            self.finished.append(event[1])
            self.hits.extend((event[1], row) for row in event[2])
            if event[3]:
                self.capped.append(event[1])
            if len(event) > 4 and event[4]:
                self.cut_short.append(event[1])
            if len(event) > 5 and event[5]:
                self.limited[event[1]] = list(event[5])
        elif kind == "suppressions":
            self.suppressions = list(event[1])
        elif kind == "rule_failed":
            self.failed[event[1]] = event[2]
        elif kind == "stopped":
            self.stopped = event[1]


def collect(events: Iterable) -> RuleRun:
    run = RuleRun()
    for event in events:
        run.add(event)
    return run


def review_source(code: str, filename: str | None = None, liveview_version: str | None = None,
                  strict: bool = False, companion: str | None = None, project_root: str | None = None) -> ReviewResult:
    """Review one file in this process. `companion` is the source of the module beside a separate
    template and `project_root` the Mix project's folder (project mode)."""
    started = time.perf_counter()
    job = prepare(code, filename, liveview_version, strict, companion, project_root)
    return assemble(job, collect(run_rules(job)), started)


def _suppression_index(suppressions: list[Suppression]) -> tuple[list[Suppression], dict[int, list[Suppression]]]:
    whole_file = [s for s in suppressions if s.kind == "file"]
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        if s.kind != "file":
            by_line.setdefault(s.line + 1, []).append(s)
    return whole_file, by_line


def assemble(job: ReviewJob, run: RuleRun, started: float | None = None) -> ReviewResult:
    """The ReviewResult for what the rules produced: findings deduplicated, suppressed and filtered by
    confidence, and a note naming the rules that did not run (and the result marked incomplete)."""
    from .registry import rules_by_slug

    notes = [*job.notes, *([run.left_out] if run.left_out else [])]
    planned = run.planned or [loaded.rule.slug for loaded in planned_rules(job)]
    rules = rules_by_slug()
    suppressions = [from_row(row) for row in run.suppressions]
    whole_file, by_line = _suppression_index(suppressions)
    findings, suppressed, seen = [], 0, set()
    # The same finding reported twice (a nested module's lines are also inside its parent's node, a rule judging two
    # reads of one key) is listed once, with the strongest confidence it was given: a low one first must not hide a
    # high one after it (audit 9 N5).
    strongest: dict[tuple, str] = {}
    for slug, (line, column, _, _, message, confidence) in run.hits:
        given, key = confidence or rules[slug].confidence, (slug, line, column, message)
        if key not in strongest or CONFIDENCE_RANK[given] < CONFIDENCE_RANK[strongest[key]]:
            strongest[key] = given
    for slug, (line, column, end_line, end_column, message, confidence) in run.hits:
        rule = rules[slug]
        key = (slug, line, column, message)
        if key in seen:
            continue
        seen.add(key)
        confidence = strongest[key]
        covered = [s for s in (*whole_file, *by_line.get(line, ())) if s.covers(slug, rule.code, line)]
        if covered:
            for s in covered:
                s.used = True
                s.silenced += 1
            suppressed += 1
            continue
        if not visible(confidence, rule.harm, job.strict):
            continue
        findings.append(Finding(
            rule=slug, code=rule.code, severity=rule.severity, confidence=confidence, harm=rule.harm, line=line,
            column=column, end_line=end_line or line, end_column=end_column,
            message=inert_markdown(message or rule.summary), fix=rule.fix, uri=f"liveview://rules/{slug}",
            file=job.filename,
        ))
    findings.sort(key=finding_order)
    not_run = [slug for slug in planned if slug not in run.finished]
    if run.stopped:
        notes.append(run.stopped)
    for slug, why in run.failed.items():
        notes.append(f"Rule {slug} did not finish: {why}.")
    for slug in run.cut_short:
        notes.append(f"Rule {slug} fired more than {MAX_HITS_COMPUTED:,} times and stopped there: the rest of the "
                     f"file was not checked by it; the review is incomplete.")
    for slug, reached in run.limited.items():
        notes.append(f"Rule {slug} stopped reading at a limit ({'; '.join(reached[:LISTED])}): what lies past it "
                     f"was not checked by it; the review is incomplete.")
    for slug in (slug for slug in run.capped if slug not in run.cut_short):
        notes.append(f"Rule {slug} fired more than {MAX_HITS_PER_RULE} times; the {MAX_HITS_PER_RULE} most "
                     f"confident are listed.")
    if not_run:
        notes.append(f"{len(not_run)} of {len(planned)} rules did not run: {_listed(not_run)}.")
    if run.parse_ok is None and not run.stopped:
        notes.append("The code was not parsed, so no rule ran.")
    elif run.parse_ok is False and not (run.stopped or "").startswith("Not reviewed"):  # no rule read the tree
        notes.append("The code does not fully parse; it was reviewed as far as the syntax tree allows.")
    for s in whole_file:
        if s.silenced:
            directive = f"lvr:disable-file {', '.join(sorted(s.rules)) or '(every rule)'}"
            notes.append(f"line {s.line}: {code_span(directive, 80)} hid {s.silenced} finding(s) in this file")
    unused = [s for s in suppressions if not s.used]
    for s in unused[:LISTED]:
        directive = f"lvr:{'disable-file' if s.kind == 'file' else 'disable-next-line'} {', '.join(sorted(s.rules))}"
        notes.append(f"line {s.line}: {code_span(directive.strip(), 80)} suppresses nothing; remove it")
    if len(unused) > LISTED:
        notes.append(f"{len(unused) - LISTED} more suppressions suppress nothing (lines "
                     f"{unused[LISTED].line} to {unused[-1].line}); remove them")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_RANK}
    stats = {"lines": line_count(job.code), "findings": len(findings), **counts, "suppressed": suppressed,
             "unused_suppressions": len(unused), "rules_run": len(run.finished)}
    if started is not None:
        stats["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return ReviewResult(liveview_version=job.label, language=job.language, parse_ok=bool(run.parse_ok),
                        findings=findings, stats=stats, notes=[inert_markdown(note) for note in notes],
                        complete=not (not_run or run.left_out or run.cut_short or run.limited),
                        rules_not_run=not_run)


def _listed(slugs: list[str]) -> str:
    return ", ".join(slugs[:LISTED]) + (f" and {len(slugs) - LISTED} more" if len(slugs) > LISTED else "")


def line_count(code: str) -> int:
    return code.count("\n") + (0 if code.endswith("\n") else 1)
