"""The command-line face: `liveview-skill ask|search|recommend|snippet|patterns|review|rules|api|clarify|serve|eval`.

Every subcommand prints for a person by default and the same pydantic objects the MCP tools return with
--json. Bad input: one line on stderr, exit 2. `review` exits 1 when findings at or above --fail-on exist."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import InputError
from .sanitize import terminal_text

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _line(*parts):
    """A printable line of parts, each text or (text, rich style): echoed text is never read as rich markup,
    and its control characters are shown escaped, so a reviewed file cannot drive the terminal."""
    from rich.text import Text

    return Text.assemble(*((terminal_text(p, newlines=False), "") if isinstance(p, str)
                           else (terminal_text(p[0], newlines=False), p[1]) for p in parts))


def _print_json(model) -> None:
    if isinstance(model, list):
        print(json.dumps([m.model_dump(mode="json") for m in model], indent=2))
    else:
        print(model.model_dump_json(indent=2))


def _parse_params(pairs: list[str]) -> dict:
    params: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param takes key=value, got {pair[:60]!r}")
        try:
            params[key.strip()] = json.loads(value)
        except (ValueError, RecursionError):  # not JSON, or a number too long to read: the text itself
            params[key.strip()] = value
    return params


# --- people-facing rendering -------------------------------------------------------------------------------------
def _show_hits(console, result) -> None:
    from rich.markdown import Markdown
    from rich.rule import Rule

    for note in result.notes:
        console.print(_line((note, "yellow")))
    for hit in result.hits:
        console.print(Rule(_line((f"{hit.title} · {hit.uri}", "dim")), align="left"))
        meta = [f"LiveView {hit.since}+" if hit.since else None, f"until {hit.until}" if hit.until else None]
        if any(meta):
            console.print(f"[dim]{', '.join(m for m in meta if m)}[/dim]")
        if hit.weak:  # on a line of its own: a rule title is cut to the terminal's width
            console.print("[yellow]weak match: this section may not answer the question[/yellow]")
        if hit.version_note:
            console.print(_line((hit.version_note, "yellow")))
        console.print(Markdown(terminal_text(hit.text)))  # deps hits are the project's files: no terminal escapes
    if not result.hits:
        console.print("[yellow]No guidance found.[/yellow]")


def _show_questions(console, questions, reply_hint: str | None, assumptions: list[str]) -> None:
    for n, question in enumerate(questions, 1):
        console.print(_line((f"{n}. {question.question}", "bold")))
        for option in question.options:
            console.print(_line(f"   {option.key}) {option.label}", (" (recommended)" if option.recommended else "", "green")))
    if reply_hint:
        console.print(_line((reply_hint, "dim")))
    if assumptions:
        console.print(_line(("With the defaults: " + "; ".join(assumptions), "dim")))


def _show_patterns(console, result) -> None:
    for n, pattern in enumerate(result.patterns, 1):
        since = f" (LiveView {pattern.since}+)" if pattern.since else ""
        console.print(_line((f"{n}. {pattern.title}", "bold"), " ", (f"{pattern.id}{since}", "dim")))
        console.print(_line(f"   {pattern.summary}"))
        if pattern.why:
            console.print(_line("   ", ("why:", "green"), " " + "; ".join(pattern.why)))
        for tradeoff in pattern.tradeoffs[:3]:
            console.print(_line("   ", ("trade-off:", "yellow"), f" {tradeoff}"))
        if pattern.fallback:
            console.print(_line("   ", ("on your version:", "yellow"), f" {pattern.fallback}"))
        if pattern.snippet:
            console.print(_line((f"   code: liveview-skill snippet {pattern.snippet} --param resource=...", "dim")))
    for rejected in result.rejected:
        console.print(_line((f"   not {rejected.id}: {rejected.reason}", "dim")))
    for item in result.decide:
        console.print(_line("   ", ("decide:", "cyan"), f" {item}"))
    for note in result.notes:
        console.print(_line((note, "yellow")))


def _show_review(console, path: str, result, source: str | None) -> None:
    lines = re.sub(r"\r(?!\n)", "\n", source).split("\n") if source else []  # numbered as the review numbers them
    for finding in result.findings:
        color = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
        console.print(_line((f"{path}:{finding.line}:{finding.column}", "bold"), " ", (finding.severity, color),
                            f" {finding.code} ", (finding.rule, "bold"),
                            (f" ({finding.confidence} confidence"
                             + (f", harm: {finding.harm.replace('_', ' ')}" if finding.harm else "") + ")", "dim")))
        console.print(_line(f"  {finding.message}"))
        if 0 < finding.line <= len(lines):
            console.print(_line((f"  {finding.line:>5} |", "dim"), " " + lines[finding.line - 1].rstrip()[:400]))
        console.print(_line(("  fix:", "green"), f" {finding.fix}"))
    if not result.parse_ok:
        console.print(_line((f"{path}: the code did not fully parse; reviewed as far as possible.", "yellow")))
    for note in result.notes:
        console.print(_line((f"{path}: {note}", "yellow" if not result.complete else "dim")))


def _show_not_reviewed(console, project) -> None:
    """Skipped files and reviews a limit cut short: a gate must not read silence as a pass."""
    for skipped in project.skipped:
        console.print(_line(("not reviewed: ", "bold red"), (skipped.path, "bold"), f": {skipped.reason}"))
    for file_review in project.files:
        if not file_review.result.complete:
            not_run = file_review.result.rules_not_run
            console.print(_line(("incomplete: ", "bold red"), (file_review.path, "bold"),
                                f": {len(not_run)} rule(s) did not run" if not_run else ": part of the file was not reviewed"))


# --- subcommands -------------------------------------------------------------------------------------------------
def _project(args) -> str | None:
    """--project DIR, else the working directory's Mix project (or None)."""
    from .project.locate import cli_project

    return cli_project(args.project)


VERSION_ORIGIN = {"argument": "as asked", "project": "from the project", "default": "the newest covered"}


def cmd_ask(args) -> int:
    from . import engine

    project = _project(args)
    clarified = engine.clarify_request(args.question, liveview_version=args.liveview_version, project=project)
    guidance = engine.search_guidance(args.question, limit=args.limit, liveview_version=args.liveview_version,
                                      project=project)
    patterns = engine.recommend_patterns(args.question, liveview_version=args.liveview_version, limit=3,
                                         project=project)
    if args.json:
        print(json.dumps({
            "clarify": clarified.model_dump(mode="json"),
            "guidance": guidance.model_dump(mode="json"),
            "patterns": patterns.model_dump(mode="json"),
        }, indent=2))
        return 0
    console = _console()
    console.print(_line((f"LiveView {guidance.liveview_version}", "bold"),
                        (f" ({VERSION_ORIGIN[guidance.version_source]})", "dim"), f" · {args.question}"))
    _show_hits(console, guidance)  # the curated hits (at most --limit), then any deps hits
    strong = [p for p in patterns.patterns if p.score > 0]
    if strong:
        console.rule("[bold]Patterns that fit[/bold]", align="left")
        _show_patterns(console, patterns.model_copy(update={"patterns": strong}))
    if clarified.underspecified:
        console.rule("[bold]Before writing code, decide[/bold]", align="left")
        _show_questions(console, clarified.questions, clarified.reply_hint, clarified.assumptions)
    return 0


def cmd_search(args) -> int:
    from . import engine

    result = engine.search_guidance(args.query, limit=args.limit, liveview_version=args.liveview_version,
                                    project=_project(args))
    if args.json:
        _print_json(result)
    else:
        _show_hits(_console(), result)
    return 0


def cmd_recommend(args) -> int:
    from . import engine

    result = engine.recommend_patterns(args.scenario, liveview_version=args.liveview_version, limit=args.limit,
                                       project=_project(args))
    if args.json:
        _print_json(result)
        return 0
    console = _console()
    _show_patterns(console, result)
    if result.needs_clarification:
        console.rule("[bold]Open questions[/bold]", align="left")
        _show_questions(console, result.questions, None, result.assumptions)
    return 0


def cmd_snippet(args) -> int:
    from . import engine

    result = engine.generate_snippet(args.pattern, _parse_params(args.param), liveview_version=args.liveview_version,
                                     project=_project(args))
    if args.out:
        from .patterns.out_files import write_files

        write_files(result.files, Path(args.out), args.force)
    if args.json:
        _print_json(result)
        return 0
    from rich.syntax import Syntax

    console = _console()
    for file in result.files:
        console.rule(f"[bold]{file.path}[/bold]", align="left")
        lexer = {"heex": "html", "javascript": "js"}.get(file.language, file.language)
        console.print(Syntax(file.content, lexer, theme="ansi_dark", word_wrap=True))
    if result.notes:
        console.rule("[bold]Notes[/bold]", align="left")
        for note in result.notes:
            console.print(_line(f"- {note}"))
    checks = result.checks
    console.print(f"[dim]checks: parsed={checks.parsed} ({checks.parser}); elixir={checks.elixir}[/dim]")
    if args.out:
        console.print(_line((f"wrote {len(result.files)} file(s) under {args.out}", "green")))
    return 0


def cmd_patterns(args) -> int:
    from . import engine

    patterns = engine.list_patterns()
    if args.json:
        _print_json(patterns)
        return 0
    console = _console()
    for pattern in patterns:
        since = f" (LiveView {pattern.since}+)" if pattern.since else ""
        console.print(f"[bold]{pattern.id}[/bold]{since}: {pattern.title}")
        console.print(f"  {pattern.summary}")
        for param in pattern.params:
            console.print(f"  [dim]{param.name}: {param.type} = {param.default!r} — {param.description}[/dim]")
    return 0


def _read_stdin() -> str:
    from .review.engine import MAX_REVIEW_BYTES

    data = sys.stdin.buffer.read(MAX_REVIEW_BYTES + 1)  # never more: `cat /dev/zero |` must not fill memory
    if len(data) > MAX_REVIEW_BYTES:
        raise InputError(f"stdin is over the {MAX_REVIEW_BYTES / 1_048_576:.0f} MB review limit; review one file at a time")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("stdin is not UTF-8 text; review takes source code") from exc


def _limits(args):
    """The resource limits: environment first, these flags over it."""
    from .limits import Limits

    return Limits.from_env().with_values(
        review_timeout_s=getattr(args, "review_timeout", None), review_memory_mb=getattr(args, "review_memory", None),
        review_workers=getattr(args, "review_workers", None), review_total_s=getattr(args, "review_total_timeout", None))


def cmd_review(args) -> int:
    import anyio

    from . import engine

    limits = _limits(args)
    threshold = SEVERITY_ORDER.get(args.fail_on)
    if args.paths == ["-"]:
        source = _read_stdin()
        result = anyio.run(lambda: engine.review_code_isolated(
            source, filename=args.stdin_filename, liveview_version=args.liveview_version, strict=args.strict,
            limits=limits, project=_project(args)))
        from .models import FileReview, ProjectReview

        project = ProjectReview(
            root=".", liveview_version=result.liveview_version, version_source=result.version_source,
            files=[FileReview(path=args.stdin_filename or "<stdin>", result=result)], complete=result.complete,
        )
        sources = {args.stdin_filename or "<stdin>": source}
    else:
        bar = None
        if args.format == "text" and sys.stderr.isatty():
            from rich.progress import Progress

            bar = Progress(transient=True, console=_console(stderr=True))
            bar.start()
            task = bar.add_task("reviewing", total=None)
        progress = (lambda done, total: bar.update(task, completed=done, total=total)) if bar else None

        try:
            project = engine.review_paths(
                args.paths, liveview_version=args.liveview_version, strict=args.strict, progress=progress,
                limits=limits, project=_project(args),
            )
        finally:
            if bar:
                bar.stop()
        sources = {}
    findings = [f for fr in project.files for f in fr.result.findings]
    incomplete = len(project.skipped) + sum(1 for fr in project.files if not fr.result.complete)
    gate_on_incomplete = threshold is not None and not args.allow_skipped
    if args.format == "json":
        _print_json(project)
    elif args.format == "sarif":
        from .review.sarif import to_sarif

        print(json.dumps(to_sarif(project), indent=2))
    else:
        console = _console()
        for file_review in project.files:
            result = file_review.result
            if result.findings or not result.parse_ok or not result.complete or result.stats.get("suppressed"):
                source = sources.get(file_review.path)
                if source is None:
                    source = _displayed_source(project.root, file_review.path)
                _show_review(console, file_review.path, result, source)
        _show_not_reviewed(console, project)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        suppressed = sum(int(fr.result.stats.get("suppressed", 0)) for fr in project.files)
        console.print(_line(
            (f"{len(project.files)} file(s) reviewed", "bold"),
            (f", {incomplete} not fully reviewed", "bold red") if incomplete else "",
            f" for LiveView {project.liveview_version} ({project.version_source}): {counts['error']} error(s), "
            f"{counts['warning']} warning(s), {counts['info']} info" + ("" if args.strict else
                                                                       " · high confidence, and medium where a true "
                                                                       "finding is a security hole, lost data or a "
                                                                       "crash (--strict for more)")))
        if suppressed:
            console.print(_line((f"{suppressed} finding(s) hidden by lvr:disable comments (--format json lists "
                                 "where; notes name each file-wide one)", "yellow")))
        for note in project.notes:
            console.print(_line((note, "dim")))
        if incomplete and gate_on_incomplete:
            console.print(_line(("Not everything was reviewed, so this review fails (--allow-skipped to pass it "
                                 "anyway).", "red")))
    if threshold is not None and any(SEVERITY_ORDER[f.severity] >= threshold for f in findings):
        return 1
    if incomplete and gate_on_incomplete:
        return 1
    return 0


def _displayed_source(root: str, path: str) -> str | None:
    """A reviewed file's text for showing its lines: read as carefully as for the review itself."""
    from .review.engine import MAX_REVIEW_BYTES
    from .review.files import Unreadable, read_source

    try:
        return read_source(Path(root, path), Path(root), MAX_REVIEW_BYTES)
    except Unreadable:
        return None


def cmd_rules(args) -> int:
    from . import engine

    if args.rule:
        doc = engine.rule_doc(args.rule)
        if args.json:
            _print_json(doc)
        else:
            from rich.markdown import Markdown

            console = _console()
            console.print(f"[bold]{doc.code} {doc.slug}[/bold] [dim]{doc.family} · {doc.severity} · "
                          f"{doc.confidence} confidence[/dim]")
            console.print(Markdown(doc.explanation))
        return 0
    rules = engine.list_rules()
    if args.json:
        _print_json(rules)
        return 0
    console = _console()
    family = None
    for rule in rules:
        if rule.family != family:
            family = rule.family
            console.rule(f"[bold]{family}[/bold]", align="left")
        console.print(f"{rule.code} [bold]{rule.slug}[/bold] [dim]{rule.severity}/{rule.confidence}[/dim] {rule.summary}")
    return 0


def _show_api_facts(console, result) -> None:
    for note in result.notes:
        console.print(_line((note, "yellow")))
    for fact in result.results:
        if not fact.exists:
            console.print(_line((f"✗ {fact.query}", "bold red"), ": no such LiveView name",
                                f"; did you mean {', '.join(fact.did_you_mean)}?" if fact.did_you_mean else ""))
            for note in fact.notes:
                console.print(_line((f"  {note}", "dim")))
            continue
        mark = ("✓", "green") if fact.available else ("!", "yellow")
        span = f"since {fact.since}" if fact.since else "before 0.20"
        if fact.until:
            span += f", until {fact.until}"
        console.print(_line(mark, " ", (fact.signature or fact.name, "bold"),
                            (f" {fact.kind} · {span} · {'available' if fact.available else 'not available'} in "
                             f"{result.liveview_version}", "dim")))
        if fact.summary:
            console.print(_line(f"  {fact.summary}"))
        if fact.deprecated:
            console.print(_line((f"  deprecated{' since ' + fact.deprecated.since if fact.deprecated.since else ''}"
                                 f"{': use ' + fact.deprecated.use_instead if fact.deprecated.use_instead else ''}",
                                 "yellow")))
        if len(fact.arities) > 1:
            console.print(_line(("  arities: " + ", ".join(
                f"/{a.arity} {a.since or '?'}" + (f"-{a.until}" if a.until else "") for a in fact.arities), "dim")))
        if fact.options:
            console.print(_line(("  options: " + ", ".join(
                f"{o.name} {o.since}" + (f"-{o.until}" if o.until else "") for o in fact.options), "dim")))
        for note in fact.notes:
            console.print(_line((f"  {note}", "dim")))
        if fact.sections:
            console.print(_line(("  taught in: " + ", ".join(fact.sections[:3]), "dim")))


def cmd_api(args) -> int:
    from . import engine

    result = engine.lookup_api(args.names, liveview_version=args.liveview_version, project=_project(args))
    if args.json:
        _print_json(result)
    else:
        _show_api_facts(_console(), result)
    return 0


def cmd_clarify(args) -> int:
    from . import engine

    if args.explain:
        trace = engine.clarify_explain(args.request, liveview_version=args.liveview_version, project=_project(args))
        if args.json:
            _print_json(trace)
            return 0
        console = _console()
        console.print(_line(("Interactions:", "bold"), f" {', '.join(trace.interactions) or 'none'} · ",
                            ("settled:", "bold"), " " + (", ".join(f"{k} = {v}" for k, v in trace.settled.items())
                                                         or "nothing") + " · ",
                            ("the rules would ask:", "bold"), f" {', '.join(trace.rules_missing) or 'nothing'}"))
        for line in trace.fired:
            console.print(_line(f"- {line}"))
        result = trace.result
    else:
        result = engine.clarify_request(args.request, liveview_version=args.liveview_version, project=_project(args))
    if args.json:
        _print_json(result)
        return 0
    console = _console()
    if not result.underspecified:
        console.print("[green]The request states what matters; no questions needed.[/green]")
        for assumption in result.assumptions:
            console.print(_line((f"- {assumption}", "dim")))
        return 0
    console.print(_line(("Open decisions:", "bold"), f" {', '.join(result.missing)}"))
    _show_questions(console, result.questions, result.reply_hint, result.assumptions)
    return 0


def cmd_serve(args) -> int:
    from .server import run

    project = args.project
    if project is not None and not Path(project).is_dir():
        raise InputError(f"--project {str(project)[:200]}: no such folder")
    run(args.transport, host=args.host, port=args.port, limits=_limits(args), allow_remote=args.allow_remote,
        allowed_hosts=tuple(args.allowed_host), project=str(Path(project).resolve()) if project else None,
        roots_under=tuple(args.roots_under))
    return 0


def cmd_hook(args) -> int:
    """A Claude Code hook: the event's JSON payload on stdin; exit code and stderr as its hooks contract reads them."""
    import os

    from .edit_hook import post_tool_use_from

    outcome = post_tool_use_from(sys.stdin.buffer, project_dir=os.environ.get("CLAUDE_PROJECT_DIR"))
    sys.stderr.write(outcome.stderr)
    return outcome.exit_code


def cmd_eval(args) -> int:
    from .evals.harness import run_eval

    evals_dir = None
    if args.evals_dir:
        evals_dir = Path(args.evals_dir)
        if not evals_dir.is_dir():
            raise InputError(f"no such directory: {args.evals_dir}")
    return run_eval(args.suite or None, via=args.via, report=args.report, evals_dir=evals_dir)


# --- parser ------------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liveview-skill", description="Curated, version-aware Phoenix LiveView guidance, patterns and review."
    )
    parser.add_argument("--version", action="version", version=f"liveview-skill {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func, help_text: str, version: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--json", action="store_true", help="machine output (the MCP tools' objects)")
        if version:
            p.add_argument("--liveview-version", metavar="X.Y[.Z]",
                           help="LiveView version (default: the project's mix.lock, else the newest, 1.2)")
            p.add_argument("--project", metavar="DIR",
                           help="the Phoenix project to answer for (default: the Mix project holding the working "
                                "directory, if any)")
        return p

    p = add("ask", cmd_ask, "answer a question: guidance, fitting patterns and any open decisions")
    p.add_argument("question")
    p.add_argument("--limit", type=int, default=3)
    p = add("search", cmd_search, "ranked guidance chunks for a query")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=5)
    p = add("recommend", cmd_recommend, "ranked patterns for a scenario")
    p.add_argument("scenario")
    p.add_argument("--limit", type=int, default=3)
    p = add("snippet", cmd_snippet, "generate code for a pattern")
    p.add_argument("pattern")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="pattern parameter (repeat)")
    p.add_argument("--out", metavar="DIR", help="write the files under DIR (never over an existing file)")
    p.add_argument("--force", action="store_true", help="with --out, replace files that already exist")
    add("patterns", cmd_patterns, "the snippet pattern catalogue", version=False)
    p = add("review", cmd_review, "review files, directories (a Phoenix project) or - (stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    p.add_argument("--strict", action="store_true",
                   help="include every medium and low confidence finding (medium ones whose harm is security, data "
                        "loss or a crash show without it)")
    p.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="warning",
                   help="exit 1 when findings at or above this severity exist, or when a file was skipped or a "
                        "review cut short by a limit (default: warning)")
    p.add_argument("--allow-skipped", action="store_true",
                   help="do not fail for files that were skipped or not fully reviewed (they are still listed)")
    p.add_argument("--stdin-filename", metavar="NAME", help="file name for code read from stdin")
    _add_limit_flags(p)
    p.add_argument("--review-total-timeout", type=_positive(float), metavar="SECONDS",
                   help="wall time for the whole review; files not done by then are listed as not reviewed and the "
                        "review fails closed (default 600; env LIVEVIEW_SKILL_REVIEW_TOTAL_S)")
    p = add("rules", cmd_rules, "the rule catalogue, or one rule's explanation", version=False)
    p.add_argument("rule", nargs="?")
    p = add("api", cmd_api, "exact facts about LiveView names: exists, since, options, deprecation")
    p.add_argument("names", nargs="+", metavar="NAME",
                   help='e.g. stream_insert "stream_insert update_only" phx-viewport-top @myself')
    p = add("clarify", cmd_clarify, "is a request underspecified? the questions to ask")
    p.add_argument("request")
    p.add_argument("--explain", action="store_true", help="also show which concepts, traps and overrides decided")
    p = sub.add_parser("serve", help="run the MCP server (stdio by default)")
    p.set_defaults(func=cmd_serve)
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1; others need --allow-remote)")
    p.add_argument("--port", type=_port, default=8765)
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host: serves every tool to the network, without authentication")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a DNS name clients may use in Host/Origin with --allow-remote (repeat)")
    p.add_argument("--project", metavar="DIR", help="the Phoenix project to answer for (default: the client's roots)")
    p.add_argument("--roots-under", action="append", default=[], metavar="DIR",
                   help="over HTTP, use a client's roots only inside this folder (repeat; default: none, since any "
                        "local process can connect)")
    _add_limit_flags(p)
    p = sub.add_parser("eval", help="run the eval harness over evals/")
    p.set_defaults(func=cmd_eval)
    p.add_argument("--suite", action="append", metavar="SUITE",
                   help="retrieval, uncovered, api, recommend, snippets, review, clarify, latency (repeat; default: all)")
    p.add_argument("--via", choices=["inprocess", "stdio"], default="inprocess")
    p.add_argument("--report", metavar="FILE", help="write a .json or .html report")
    p.add_argument("--evals-dir", metavar="DIR",
                   help="read datasets (and thresholds.toml, if any) from DIR, e.g. evals/reserved")
    p = sub.add_parser("hook", help="run as a Claude Code hook (the plugin's hooks/hooks.json calls this)")
    p.set_defaults(func=cmd_hook)
    p.add_argument("event", choices=["post-tool-use"], help="post-tool-use: review the LiveView file just written")
    return parser


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text[:6]) <= 65535):
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, got {text[:20]!r}")
    return int(text)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text[:20])
        except ValueError:
            value = 0
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text[:20]!r}")
        return value
    return parse


def _add_limit_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--review-timeout", type=_positive(float), metavar="SECONDS",
                   help="wall time for reviewing one file, then it stops and says what did not run (default 10; "
                        "env LIVEVIEW_SKILL_REVIEW_TIMEOUT_S)")
    p.add_argument("--review-memory", type=_positive(int), metavar="MB",
                   help="memory of a review worker process (default 1536; env LIVEVIEW_SKILL_REVIEW_MEMORY_MB)")
    p.add_argument("--review-workers", type=_positive(int), metavar="N",
                   help="review worker processes at once (default 2; env LIVEVIEW_SKILL_REVIEW_WORKERS)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # `timeout`, CI and agent runners stop with SIGTERM:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind, so review workers are killed
    try:
        return args.func(args)
    except InputError as exc:
        print(f"liveview-skill: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"liveview-skill: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
