"""The Claude Code `PostToolUse` hook: after Write, Edit or MultiEdit, review the LiveView file just written and
hand the default findings back to the model (`liveview-skill hook post-tool-use`, payload on stdin).

Exit codes follow Claude Code's hooks contract:
- 0, nothing on stderr: nothing to say. A clean file, a file that is not LiveView code (a plain Elixir
  module, a README, a Python file), a file outside the project or under deps/_build/node_modules, a file
  that no longer exists, a tool other than the three edit tools, a payload that names no file.
- 2, findings on stderr: Claude Code feeds stderr to the model (the edit itself already happened).
- 1, one line on stderr: the hook could not run (a payload that is not a JSON object, nested too deeply or over
  MAX_PAYLOAD_BYTES, a project the reviewer cannot read), or the file was not fully reviewed and nothing was
  found in what was (over the size limit, or a limit cut the review short). Claude Code shows it to the user
  and carries on: a failing hook never blocks an edit. With findings, that line ends the exit-2 report, so the
  model never reads a partial review as a whole one.
File paths are echoed inert: control characters shown as visible escapes (sanitize.terminal_text).

The reviewer is imported only once a file qualifies, so the common calls (a README, a test file) stay cheap."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .sanitize import terminal_text

EDIT_TOOLS = frozenset({"Write", "Edit", "MultiEdit"})
ELIXIR = (".ex", ".exs")
CANDIDATES = (*ELIXIR, ".heex", ".html.eex", ".html.leex", ".js", ".mjs", ".ts", ".jsx", ".tsx", ".cjs", ".mts", ".cts",
              ".css")
# LiveView or component code in an Elixir file: a LiveView, LiveComponent or function-component module
# (through the app's web module or Phoenix directly, or declared with `@behaviour Phoenix.LiveView`), a ~H template
# anywhere in it, an on_mount hook, or LiveView's callbacks taking the socket (`def mount(params, session, socket)`,
# `def handle_event(event, params, socket)`): a module made a LiveView by the app's own macro (`use AppWeb.Live`).
LIVEVIEW_CODE = re.compile(
    r"\buse\s+[A-Z][\w.]*\s*,\s*:(?:live_view|live_component|html)\b"
    r"|\buse\s+Phoenix\.(?:LiveView|LiveComponent|Component)\b"
    r"|@behaviour\s+Phoenix\.Live(?:View|Component)\b"
    r"|~H(?:\"\"\"|'''|[\"'(\[{<|/])"
    r"|\bimport\s+Phoenix\.LiveView\b(?!\.)|\bdef\s+on_mount\("
    r"|\bdef\s+(?:mount|handle_event)\((?:[^()\n]|\([^()\n]*\)){0,300},\s*_?socket\s*\)"
)
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024  # a Write payload carries the file (at most the 2 MB review cap) and more
MAX_LISTED = 20  # findings written out; the rest are counted (the model's context is not a report)
SUPPRESS_SYNTAX = {
    "elixir": "# lvr:disable-next-line {rule}",
    "heex": "<%!-- lvr:disable-next-line {rule} --%>",
    "javascript": "// lvr:disable-next-line {rule}",
    "css": "/* lvr:disable-next-line {rule} */",
}
VERSION_ORIGIN = {"project": "from the project's mix.lock or mix.exs", "argument": "as asked", "default": "the newest covered"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class HookOutcome:
    exit_code: int
    stderr: str = ""


SILENT = HookOutcome(0)


def post_tool_use(payload_text: str, project_dir: str | None = None) -> HookOutcome:
    """The outcome for one PostToolUse payload. `project_dir` is $CLAUDE_PROJECT_DIR when Claude Code set it;
    without it the payload's `cwd` is the project. Never raises."""
    try:
        payload = json.loads(payload_text)
    except ValueError:
        return _cannot_run("the PostToolUse payload on stdin is not JSON")
    except RecursionError:
        return _cannot_run("the PostToolUse payload on stdin is JSON nested too deeply to read")
    if not isinstance(payload, dict):
        return _cannot_run("the PostToolUse payload on stdin is not a JSON object")
    try:
        return _review_written_file(payload, project_dir)
    except InputError as exc:
        return _cannot_run(str(exc))
    except Exception as exc:  # a hook failure must never turn into feedback that blocks the edit
        return _cannot_run(f"internal error ({type(exc).__name__}: {str(exc)[:200]})")


def post_tool_use_from(stream, project_dir: str | None = None) -> HookOutcome:
    """post_tool_use on the payload in a binary stream (stdin), read up to MAX_PAYLOAD_BYTES + 1 bytes and never
    whole (`cat /dev/zero |` must not fill memory): a longer payload is refused in one line."""
    data = stream.read(MAX_PAYLOAD_BYTES + 1)
    if len(data) > MAX_PAYLOAD_BYTES:
        return _cannot_run(f"the PostToolUse payload on stdin is over the {MAX_PAYLOAD_BYTES // 1024:,} KB limit")
    return post_tool_use(data.decode("utf-8", errors="replace"), project_dir)


def _cannot_run(reason: str) -> HookOutcome:
    return HookOutcome(1, f"liveview-skill hook: {_one_line(reason)}; nothing was reviewed.\n")


def _review_written_file(payload: dict, project_dir: str | None) -> HookOutcome:
    if payload.get("tool_name") not in EDIT_TOOLS:
        return SILENT
    cwd = payload.get("cwd") if isinstance(payload.get("cwd"), str) else None
    path = _written_file(payload, cwd)
    project = project_dir or cwd
    if path is None or not project or not path.name.endswith(CANDIDATES):
        return SILENT
    try:
        relative = _place_in_project(path, project)
        path, project_root = Path(os.path.realpath(path)), Path(os.path.realpath(project))
        if relative is None or not path.exists():
            return SILENT
        shown = terminal_text(relative.as_posix(), newlines=False)
        if project_root not in path.parents:  # named inside the project, reached through a symlink out of it
            return HookOutcome(1, f"liveview-skill hook: {shown} was not reviewed: it is reached through a symlink "
                               "that leads outside the project.\n")
        if not path.is_file():
            return HookOutcome(1, f"liveview-skill hook: {shown} was not reviewed: not a regular file.\n")
        if not _liveview_file(relative, path, project_root):
            return SILENT
    except (OSError, ValueError):  # unreadable, vanished, or a path the OS refuses
        return SILENT
    from . import engine

    review = engine.review_paths([str(path)], project=str(path.parent))
    findings = [f for file_review in review.files for f in file_review.result.findings]
    shown_path = shown
    partial = _not_fully_reviewed(shown_path, review)
    if not findings:
        return HookOutcome(1, partial) if partial else SILENT
    language = review.files[0].result.language
    return HookOutcome(2, _report(shown_path, review, findings, language) + partial)


def _not_fully_reviewed(shown_path: str, review) -> str:
    """One line when the file was skipped or its review cut short (empty when it was reviewed whole)."""
    if review.skipped:
        return f"liveview-skill hook: {shown_path} was not reviewed: {_one_line(review.skipped[0].reason)}.\n"
    cut = [r for r in (file_review.result for file_review in review.files) if not r.complete]
    if cut or not review.complete:
        rules = sorted({rule for r in cut for rule in r.rules_not_run})
        more = ", ..." if len(rules) > 5 else ""
        named = f" ({len(rules)} rules did not run: {', '.join(rules[:5])}{more})" if rules else ""
        return (f"liveview-skill hook: the review of {shown_path} was cut short by a limit{named}; "
                f"run `liveview-skill review {shown_path}` for the rest.\n")
    return ""


def _place_in_project(path: Path, project: str) -> Path | None:
    """Where the file sits in the project as the editor named it (lib/app_web/live/extra/x_live.ex, even when
    extra/ is a symlink to priv/extra: Mix compiles it from there), else as its real path places it; None
    when it is outside the project."""
    named, root = Path(os.path.abspath(path)), Path(os.path.abspath(project))
    if root in named.parents:
        return named.relative_to(root)
    real, real_root = Path(os.path.realpath(path)), Path(os.path.realpath(project))
    return real.relative_to(real_root) if real_root in real.parents else None


def _written_file(payload: dict, cwd: str | None) -> Path | None:
    """The file the tool wrote: tool_input.file_path (Write, Edit, MultiEdit), else tool_response.filePath."""
    tool_input = payload.get("tool_input")
    tool_response = payload.get("tool_response")
    candidates = [tool_input.get("file_path") if isinstance(tool_input, dict) else None,
                  tool_response.get("filePath") if isinstance(tool_response, dict) else None]
    name = next((c for c in candidates if isinstance(c, str) and c.strip() and "\x00" not in c), None)
    if name is None:
        return None
    path = Path(name).expanduser()
    if not path.is_absolute():
        if cwd is None:
            return None
        path = Path(cwd) / path
    return path


def _liveview_file(relative: Path, path: Path, project_root: Path) -> bool:
    """A file project mode would review (review/project.py), outside the folders it skips (reading the
    project's elixirc_paths as it does); JS hooks may also sit beside the LiveView under lib/; an Elixir file
    must hold LiveView or component code."""
    from .review.project import compiled_paths, skipped_folder, wanted

    folders = relative.parts[:-1]
    compiled = compiled_paths(project_root)
    if any(skipped_folder(Path(*folders[: depth + 1]), compiled) for depth in range(len(folders))):
        return False
    colocated_js = path.suffix in (".js", ".mjs", ".ts") and "lib" in relative.parts
    if not (wanted(relative, compiled) or colocated_js):
        return False
    if path.suffix in ELIXIR:
        from .project.files import read_text
        from .review.engine import MAX_REVIEW_BYTES

        # Bounded like the review itself: a regular file (no FIFO, device or symlink) of at most the review cap.
        # A larger one goes on to the review, which lists it as skipped, so the hook says it was not reviewed.
        if path.stat().st_size > MAX_REVIEW_BYTES:
            return True
        source = read_text(path, MAX_REVIEW_BYTES)
        return source is not None and (LIVEVIEW_CODE.search(source) is not None
                                       or (_may_use_liveview(source) and _liveview_module(source)))
    return True


# Every `use` the reviewer reads as LiveView code names one of these (review/elixir_tree._module_kind).
LIVEVIEW_WORDS = ("live", "Live", "html", "Component", "_view")


def _may_use_liveview(source: str) -> bool:
    """Whether the file could hold a `use` the reviewer reads as LiveView code: one with none of its words is not
    parsed in the hook's own process (audit 9 L2: 2 MB of plain code took 7.5 s and 257 MB to decide)."""
    return "use" in source and any(word in source for word in LIVEVIEW_WORDS)


def _liveview_module(source: str) -> bool:
    """Whether the parsed file uses LiveView however its `use` is written (`use(AppWeb, :live_view)`, a comment
    inside it, an app's own flavour such as `:admin_live`): the reviewer's own reading, not the quick pattern."""
    from .parsing import parse
    from .review.elixir_tree import all_modules, read_module

    root = parse("elixir", source.encode("utf-8", "replace")).root_node
    return any(read_module(module).kind is not None for module in all_modules(root))


def _report(shown_path: str, review, findings, language: str) -> str:
    lines = [f"liveview-skill review of {shown_path} (LiveView {review.liveview_version}, "
             f"{VERSION_ORIGIN[review.version_source]}): {len(findings)} finding(s)."]
    for finding in findings[:MAX_LISTED]:
        label = finding.severity + (f", harm: {finding.harm.replace('_', ' ')}" if finding.harm else "")
        lines.append(f"{shown_path}:{finding.line} {finding.rule} ({label}) {_one_line(finding.message)}")
        lines.append(f"  fix: {_one_line(finding.fix)}")
    if len(findings) > MAX_LISTED:
        lines.append(f"... and {len(findings) - MAX_LISTED} more: run `liveview-skill review {shown_path}`.")
    rule = findings[0].rule
    example = f"`{SUPPRESS_SYNTAX[language].format(rule=rule)}`"
    if language == "elixir":
        example += f" (inside a ~H template `{SUPPRESS_SYNTAX['heex'].format(rule=rule)}`)"
    lines.append(f"Fix these. If one is wrong for this code, put {example} on the line above it, naming its rule, "
                 "and say why; `liveview-skill rules RULE` explains a rule.")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    """Text from a finding or an error on one line, control characters shown as `?`."""
    return CONTROL.sub("?", " ".join(str(text).split()))
