"""The LiveViews that render a LiveComponent, in project review. A component's events sent without a `phx-target`
go to the LiveView whose page holds it, so that LiveView's `handle_event/3` clauses answer them.

Read from the project's `.ex` and `.heex` files through review/project_sources.py (bounded: regular files under
the root, at most MAX_FILES, cached until a file changes). The answer is None whenever it is not certain: the
component rendered nowhere visible, or somewhere that is not a LiveView (another LiveComponent, a function
component module: the events then go to whichever LiveView renders those)."""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import ElixirModule, all_modules, call_arguments, read_module, text
from .project_sources import MAX_FILE_BYTES, _project_files

# Where a component is rendered: `<.live_component module={TasksListComponent} ...>`, `live_component(@socket,
# MyAppWeb.TasksListComponent, ...)` (before 0.18 the socket came first), `live_component(TasksListComponent, ...)`.
RENDERS = re.compile(r"module=\{\s{0,8}([A-Z][\w.]{0,200})\s{0,8}\}|"
                     r"\blive_component\(\s{0,8}(?:@?socket\s{0,8},\s{0,8})?([A-Z][\w.]{0,200})")
MAX_RENDERERS = 20  # places one component is rendered from, looked at


@lru_cache(maxsize=4)
def _renderers(files: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """Last segment of each rendered component's name -> (file, name as written, offset) of each place that renders
    it, read once per set of files."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if not source or ("live_component" not in source):
            continue
        for match in RENDERS.finditer(source):
            written = match.group(1) or match.group(2)
            found.setdefault(written.rsplit(".", 1)[-1], []).append((path, written, match.start()))
    return {key: tuple(places) for key, places in found.items()}


def _module_at(path: str, offset: int) -> ElixirModule | None:
    """The innermost module of an `.ex` file spanning the offset (for a separate `.html.heex`, the module of the
    `.ex` beside it), or None when it cannot be read."""
    if path.endswith(".heex"):
        stem = path[: -len(".html.heex")] if path.endswith(".html.heex") else path[: -len(".heex")]
        path, offset = stem + ".ex", -1
    source = read_text(Path(path), MAX_FILE_BYTES) if os.path.isfile(path) else None
    if not source:
        return None
    data = source.encode()
    position = len(source[:offset].encode()) if offset >= 0 else 0
    modules = all_modules(parse("elixir", data).root_node)
    if offset < 0:
        return read_module(modules[0]) if len(modules) == 1 else None
    starts = [node.start_byte for node in modules]
    chosen = None
    for node in modules[: bisect_right(starts, position)]:
        if node.start_byte <= position < node.end_byte:
            chosen = node  # later ones are nested deeper
    return read_module(chosen) if chosen is not None else None


def parent_liveviews(root: str | None, component: ElixirModule) -> list[ElixirModule] | None:
    """The LiveView modules that render this LiveComponent, or None when that is not certain."""
    if not root or component.kind != "live_component":
        return None
    arguments = call_arguments(component.root)
    name = text(arguments[0]).strip() if arguments else ""
    if not name:
        return None
    places = _renderers(_project_files(os.path.realpath(root), (".ex", ".heex"))).get(name.rsplit(".", 1)[-1], ())
    places = [(path, offset) for path, written, offset in places if name == written or name.endswith("." + written)]
    if not places or len(places) > MAX_RENDERERS:
        return None
    parents = []
    for path, offset in places:
        module = _module_at(path, offset)
        if module is None or module.kind != "live_view":
            return None
        parents.append(module)
    return parents
