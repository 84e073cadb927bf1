"""Where else in the project an event is handled, in project review: the `handle_event/3` clauses of other modules
that name it (a function component's form whose LiveView is in another file), and the functions an on_mount hook
attaches to `:handle_event` (`attach_hook(socket, :events, :handle_event, &maybe_handle/3)`, put on every page of a
live_session by the router), with the event names their clauses match.

Read through review/project_sources.py's bounded file list (regular files under the root, cached until a file
changes); only files that name the event are parsed."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import Clause, ElixirModule, all_modules, read_module, text
from .project_sources import MAX_FILE_BYTES, _project_files

# `attach_hook(socket, :name, :handle_event, &fun/3)` or `&Module.fun/3`: the function that sees every event first.
HOOK = re.compile(r"attach_hook\([^()]{0,200}?:handle_event\s{0,8},\s{0,8}&(?:[A-Z][\w.]{0,100}\.)?(\w{1,80})/3")
# A clause head matching one event by its literal name: `def handle_event("save", ...`, `defp on_event("save", ...`.
LITERAL_HEAD = re.compile(r"\bdefp?\s{1,8}(\w{1,80})\(\s{0,8}\"([^\"#\\\n]{1,120})\"")
MAX_HANDLER_FILES = 20  # files naming one event, parsed


@lru_cache(maxsize=4)
def _index(files: tuple[tuple[str, int, int], ...]) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Event name -> files with a handle_event/3 clause or a hook callback clause for it; and the event names the
    project's on_mount hooks handle through `attach_hook(..., :handle_event, ...)`."""
    handlers: dict[str, list[str]] = {}
    hooked: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if not source or "def" not in source:
            continue
        hooks = set(HOOK.findall(source)) if "attach_hook" in source else set()
        for match in LITERAL_HEAD.finditer(source):
            name, event = match.groups()
            if name == "handle_event" or name in hooks:
                handlers.setdefault(event, []).append(path)
                # A hook's callback may itself be named handle_event (`&handle_event/3`, private clauses per event):
                # then only in an on_mount module, not a LiveView attaching its own clauses.
                if name in hooks and (name != "handle_event" or "def on_mount" in source):
                    hooked.add(event)
    return {event: tuple(dict.fromkeys(paths)) for event, paths in handlers.items()}, frozenset(hooked)


def _files(root: str | None):
    return _project_files(os.path.realpath(root), ".ex") if root else ()


def hook_handled_events(root: str | None) -> frozenset[str]:
    """The events an on_mount hook of the project handles for the pages it is mounted on (its `:handle_event`
    hook's clauses name them)."""
    return _index(_files(root))[1] if root else frozenset()


def handler_clauses(root: str | None, event: str, renderer_of: str | None = None) -> list[tuple[ElixirModule, Clause]]:
    """The clauses in the project that handle `event` by its literal name: those of on_mount hook callbacks
    (session-wide), and, given `renderer_of` (a function component module's last alias segment), the
    `handle_event("event", ...)` clauses of files that name that module (the LiveViews rendering it). Empty when
    the project does not show one (or names the event in too many files)."""
    if not root:
        return []
    files = _files(root)
    paths = _index(files)[0].get(event, ())
    if len(paths) > MAX_HANDLER_FILES:
        return []
    stamps = {path: (size, mtime) for path, size, mtime in files}
    found = []
    for path in paths:
        hooks, clauses, _ = _literal_clauses(path, *stamps[path])
        callbacks = hooks | ({"handle_event"} if renderer_of and _names(path, *stamps[path], renderer_of) else set())
        found += [(module, clause) for module, clause in clauses.get(event, []) if clause.name in callbacks]
    return found


@lru_cache(maxsize=2 * MAX_HANDLER_FILES)
def _literal_clauses(path: str, size: int, mtime: int) -> tuple[set[str], dict[str, list[tuple[ElixirModule, Clause]]], str]:
    """(the hook callbacks the file attaches, its arity-3 clauses by the event literal they match, its text), read
    and parsed once while the file is unchanged, within one review (release_parsed): a template of many forms asks for each of their events (audit 9
    N6: every event parsed up to 20 files again, a worker's whole time limit for 50 forms)."""
    source = read_text(Path(path), MAX_FILE_BYTES) or ""
    by_event: dict[str, list[tuple[ElixirModule, Clause]]] = {}
    seen = set()
    for node in all_modules(parse("elixir", source.encode()).root_node) if source else []:
        module = read_module(node)
        for clause in module.clauses:
            first = clause.params[0] if clause.params else None
            if clause.arity == 3 and first is not None and first.type == "string" \
                    and clause.node.start_byte not in seen:
                seen.add(clause.node.start_byte)  # a nested module's clauses are its parent's too
                by_event.setdefault(text(first)[1:-1], []).append((module, clause))
    return set(HOOK.findall(source)), by_event, source


def release_parsed() -> None:
    """Forget the parsed handler files (their module readings hold their syntax trees): called when a review ends,
    as project_sources.release_parsed (audit 11 L1)."""
    _literal_clauses.cache_clear()


@lru_cache(maxsize=4 * MAX_HANDLER_FILES)
def _names(path: str, size: int, mtime: int, module_name: str) -> bool:
    """Whether the file names the module (`Forms`, as in `<Forms.all ...>` or an alias), read once per file."""
    return re.search(rf"\b{re.escape(module_name)}\b", _literal_clauses(path, size, mtime)[2]) is not None
