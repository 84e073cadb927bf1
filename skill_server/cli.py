"""The command-line face: `liveview-skill ask|search|recommend|snippet|patterns|review|rules|api|clarify|serve|eval`.

Every subcommand prints for a person by default and the same pydantic objects the MCP tools return with
--json. Bad input: one line on stderr, exit 2. `review` exits 1 when findings at or above --fail-on exist."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import InputError

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


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
        except json.JSONDecodeError:
            params[key.strip()] = value
    return params


# --- people-facing rendering -------------------------------------------------------------------------------------
def _show_hits(console, result) -> None:
    from rich.markdown import Markdown
    from rich.rule import Rule

    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    for hit in result.hits:
        console.print(Rule(f"[dim]{hit.title} · {hit.uri}[/dim]", align="left"))
        meta = [f"LiveView {hit.since}+" if hit.since else None, f"until {hit.until}" if hit.until else None]
        if any(meta):
            console.print(f"[dim]{', '.join(m for m in meta if m)}[/dim]")
        if hit.weak:  # on a line of its own: a rule title is cut to the terminal's width
            console.print("[yellow]weak match: this section may not answer the question[/yellow]")
        if hit.version_note:
            console.print(f"[yellow]{hit.version_note}[/yellow]")
        console.print(Markdown(hit.text))
    if not result.hits:
        console.print("[yellow]No guidance found.[/yellow]")


def _show_questions(console, questions, reply_hint: str | None, assumptions: list[str]) -> None:
    for n, question in enumerate(questions, 1):
        console.print(f"[bold]{n}. {question.question}[/bold]")
        for option in question.options:
            mark = " [green](recommended)[/green]" if option.recommended else ""
            console.print(f"   {option.key}) {option.label}{mark}")
    if reply_hint:
        console.print(f"[dim]{reply_hint}[/dim]")
    if assumptions:
        console.print("[dim]With the defaults: " + "; ".join(assumptions) + "[/dim]")


def _show_patterns(console, result) -> None:
    for n, pattern in enumerate(result.patterns, 1):
        since = f" (LiveView {pattern.since}+)" if pattern.since else ""
        console.print(f"[bold]{n}. {pattern.title}[/bold] [dim]{pattern.id}{since}[/dim]")
        console.print(f"   {pattern.summary}")
        if pattern.why:
            console.print("   [green]why:[/green] " + "; ".join(pattern.why))
        for tradeoff in pattern.tradeoffs[:3]:
            console.print(f"   [yellow]trade-off:[/yellow] {tradeoff}")
        if pattern.fallback:
            console.print(f"   [yellow]on your version:[/yellow] {pattern.fallback}")
        if pattern.snippet:
            console.print(f"   [dim]code: liveview-skill snippet {pattern.snippet} --param resource=...[/dim]")
    for rejected in result.rejected:
        console.print(f"   [dim]not {rejected.id}: {rejected.reason}[/dim]")
    for item in result.decide:
        console.print(f"   [cyan]decide:[/cyan] {item}")
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")


def _show_review(console, path: str, result, source: str | None) -> None:
    lines = source.splitlines() if source else []
    for finding in result.findings:
        color = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
        console.print(
            f"[bold]{path}:{finding.line}:{finding.column}[/bold] [{color}]{finding.severity}[/{color}] "
            f"{finding.code} [bold]{finding.rule}[/bold] [dim]({finding.confidence} confidence"
            + (f", harm: {finding.harm.replace('_', ' ')}" if finding.harm else "") + ")[/dim]"
        )
        console.print(f"  {finding.message}")
        if 0 < finding.line <= len(lines):
            from rich.markup import escape

            console.print(f"  [dim]{finding.line:>5} |[/dim] {escape(lines[finding.line - 1].rstrip())}")
        console.print(f"  [green]fix:[/green] {finding.fix}")
    if not result.parse_ok:
        console.print(f"[yellow]{path}: the code did not fully parse; reviewed as far as possible.[/yellow]")
    for note in result.notes:
        console.print(f"[dim]{path}: {note}[/dim]")


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
    console.print(f"[bold]LiveView {guidance.liveview_version}[/bold] "
                  f"[dim]({VERSION_ORIGIN[guidance.version_source]})[/dim] · {args.question}")
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
        out = Path(args.out)
        for file in result.files:
            target = (out / file.path).resolve()
            if out.resolve() not in target.parents:
                raise InputError(f"refusing to write outside {out}: {file.path}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.content, encoding="utf-8")
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
            console.print(f"- {note}")
    checks = result.checks
    console.print(f"[dim]checks: parsed={checks.parsed} ({checks.parser}); elixir={checks.elixir}[/dim]")
    if args.out:
        console.print(f"[green]wrote {len(result.files)} file(s) under {args.out}[/green]")
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
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("stdin is not UTF-8 text; review takes source code") from exc


def cmd_review(args) -> int:
    from . import engine

    threshold = SEVERITY_ORDER.get(args.fail_on)
    if args.paths == ["-"]:
        source = _read_stdin()
        result = engine.review_code(
            source, filename=args.stdin_filename, liveview_version=args.liveview_version, strict=args.strict,
            project=_project(args),
        )
        from .models import FileReview, ProjectReview

        project = ProjectReview(
            root=".", liveview_version=result.liveview_version, version_source=result.version_source,
            files=[FileReview(path=args.stdin_filename or "<stdin>", result=result)],
        )
        sources = {args.stdin_filename or "<stdin>": source}
    else:
        for path in args.paths:
            if not Path(path).exists():
                raise InputError(f"no such file or directory: {path}")
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
                project=_project(args),
            )
        finally:
            if bar:
                bar.stop()
        sources = {}
    findings = [f for fr in project.files for f in fr.result.findings]
    if args.format == "json":
        _print_json(project)
    elif args.format == "sarif":
        from .review.sarif import to_sarif

        print(json.dumps(to_sarif(project), indent=2))
    else:
        console = _console()
        for file_review in project.files:
            if file_review.result.findings or not file_review.result.parse_ok:
                source = sources.get(file_review.path)
                if source is None:
                    try:
                        source = Path(project.root, file_review.path).read_text(encoding="utf-8", errors="replace")
                    except OSError:
                        source = None
                _show_review(console, file_review.path, file_review.result, source)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        console.print(
            f"[bold]{len(project.files)} file(s) reviewed[/bold] for LiveView {project.liveview_version} "
            f"({project.version_source}): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info" + ("" if args.strict else " · high confidence, and medium where a true finding is a security hole, "
                                    "lost data or a crash (--strict for more)")
        )
        for note in project.notes:
            console.print(f"[dim]{note}[/dim]")
    if threshold is not None and any(SEVERITY_ORDER[f.severity] >= threshold for f in findings):
        return 1
    return 0


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
    from rich.markup import escape

    for note in result.notes:
        console.print(f"[yellow]{escape(note)}[/yellow]")
    for fact in result.results:
        if not fact.exists:
            console.print(f"[bold red]✗ {escape(fact.query)}[/bold red]: no such LiveView name"
                          + (f"; did you mean {escape(', '.join(fact.did_you_mean))}?" if fact.did_you_mean else ""))
            for note in fact.notes:
                console.print(f"  [dim]{escape(note)}[/dim]")
            continue
        mark = "[green]✓[/green]" if fact.available else "[yellow]![/yellow]"
        span = f"since {fact.since}" if fact.since else "before 0.20"
        if fact.until:
            span += f", until {fact.until}"
        console.print(f"{mark} [bold]{escape(fact.signature or fact.name)}[/bold] [dim]{fact.kind} · {span} · "
                      f"{'available' if fact.available else 'not available'} in {result.liveview_version}[/dim]")
        if fact.summary:
            console.print(f"  {escape(fact.summary)}")
        if fact.deprecated:
            console.print(f"  [yellow]deprecated{' since ' + fact.deprecated.since if fact.deprecated.since else ''}"
                          f"{': use ' + escape(fact.deprecated.use_instead) if fact.deprecated.use_instead else ''}"
                          "[/yellow]")
        if len(fact.arities) > 1:
            console.print("  [dim]arities: " + ", ".join(
                f"/{a.arity} {a.since or '?'}" + (f"-{a.until}" if a.until else "") for a in fact.arities) + "[/dim]")
        if fact.options:
            console.print("  [dim]options: " + ", ".join(
                f"{o.name} {o.since}" + (f"-{o.until}" if o.until else "") for o in fact.options) + "[/dim]")
        for note in fact.notes:
            console.print(f"  [dim]{escape(note)}[/dim]")
        if fact.sections:
            console.print("  [dim]taught in: " + ", ".join(fact.sections[:3]) + "[/dim]")


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
        from rich.markup import escape

        trace = engine.clarify_explain(args.request, liveview_version=args.liveview_version, project=_project(args))
        if args.json:
            _print_json(trace)
            return 0
        console = _console()
        console.print(f"[bold]Interactions:[/bold] {', '.join(trace.interactions) or 'none'} · [bold]settled:[/bold] "
                      + (", ".join(f"{k} = {v}" for k, v in trace.settled.items()) or "nothing")
                      + f" · [bold]the rules would ask:[/bold] {', '.join(trace.rules_missing) or 'nothing'}")
        for line in trace.fired:
            console.print(f"- {escape(line)}")
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
            console.print(f"[dim]- {assumption}[/dim]")
        return 0
    console.print(f"[bold]Open decisions:[/bold] {', '.join(result.missing)}")
    _show_questions(console, result.questions, result.reply_hint, result.assumptions)
    return 0


def cmd_serve(args) -> int:
    from .server import run

    if args.transport == "http" and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"liveview-skill: serving on {args.host}: the server has no authentication", file=sys.stderr)
    project = args.project
    if project is not None and not Path(project).is_dir():
        raise InputError(f"--project {project}: no such folder")
    run(args.transport, host=args.host, port=args.port, project=str(Path(project).resolve()) if project else None)
    return 0


def cmd_hook(args) -> int:
    """A Claude Code hook: the event's JSON payload on stdin; exit code and stderr as its hooks contract reads them."""
    import os

    from .edit_hook import post_tool_use

    outcome = post_tool_use(sys.stdin.buffer.read().decode("utf-8", errors="replace"),
                            project_dir=os.environ.get("CLAUDE_PROJECT_DIR"))
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
    p.add_argument("--out", metavar="DIR", help="write the files under DIR")
    add("patterns", cmd_patterns, "the snippet pattern catalogue", version=False)
    p = add("review", cmd_review, "review files, directories (a Phoenix project) or - (stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    p.add_argument("--strict", action="store_true", help="include medium and low confidence findings")
    p.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="warning",
                   help="exit 1 when findings at or above this severity exist (default: warning)")
    p.add_argument("--stdin-filename", metavar="NAME", help="file name for code read from stdin")
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
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--project", metavar="DIR", help="the Phoenix project to answer for (default: the client's roots)")
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
