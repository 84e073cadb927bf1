"""What a rule may learn from the rest of the project in project review: which stylesheets import which (so a
reduced-motion guard in a stylesheet the same bundle imports covers the others), and which records the
project's own modules build from its own files at compile time (NimblePublisher: markdown in the repository,
written by its developers, not by users), and the body of a function another module defines.

Reading is bounded and safe (project files are untrusted input): only regular files under the project root,
read through skill_server/project/files.py (never through a symbolic link), skipping dependency and build folders, at most MAX_FILES files of at most MAX_FILE_BYTES each, and
the result is cached per process until a file's size or modification time changes."""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import all_modules, call_arguments, read_module, text

SKIP_DIRS = {"deps", "_build", "node_modules", ".git", ".elixir_ls", "priv", "cover", "tmp", ".venv", "vendor"}
MAX_FILES = 3000  # files of one kind read per project
MAX_WALK = 50_000  # directory entries looked at per project
MAX_FILE_BYTES = 1_048_576
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']([^"'\n]{1,300})["']""")
REDUCE_GUARD = re.compile(r"@media[^{]{0,200}prefers-reduced-motion\s*:\s*reduce[^{]{0,200}\{")
# `*`, `*::before`, `html *` or `*, *::after` opening a rule: every element.
UNIVERSAL = re.compile(r"(?:^|[{},;])\s{0,40}(?:html\s{1,8}|body\s{1,8})?\*(?:::?[a-z-]{1,20})?\s{0,40}[,{]")
STOPS_MOTION = re.compile(r"(animation|transition)[a-z-]{0,20}\s*:")
GUARD_WINDOW = 4000  # characters of a guard block read


@dataclass(frozen=True)
class Stylesheets:
    imports: dict[str, tuple[str, ...]]  # real path -> real paths it imports (inside the project)
    guarded: frozenset[str]  # stylesheets holding a reduced-motion guard for every element


def _project_files(root: str, suffix: str) -> tuple[tuple[str, int, int], ...]:
    """(real path, size, mtime) of the project's files whose name ends in `suffix`, bounded."""
    found, looked = [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        looked += len(dirnames) + len(filenames)
        for name in sorted(filenames):
            if not name.endswith(suffix):
                continue
            path = os.path.join(dirpath, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if os.path.islink(path) or info.st_size > MAX_FILE_BYTES:
                continue
            found.append((os.path.realpath(path), info.st_size, int(info.st_mtime)))
            if len(found) >= MAX_FILES:
                return tuple(found)
        if looked >= MAX_WALK:
            break
    return tuple(found)


def universal_guard(source: str) -> bool:
    """A `@media (prefers-reduced-motion: reduce)` block that stops animations or transitions on every
    element (`*, *::before, *::after { animation-duration: .01ms !important; ... }`)."""
    for match in REDUCE_GUARD.finditer(source):
        block = source[match.end(): match.end() + GUARD_WINDOW]
        depth, end = 1, len(block)
        for index, char in enumerate(block):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                end = index
                break
        body = "{" + block[:end]
        if UNIVERSAL.search(body) and STOPS_MOTION.search(body):
            return True
    return False


@lru_cache(maxsize=4)
def _read_stylesheets(root: str, files: tuple[tuple[str, int, int], ...]) -> Stylesheets:
    known = {path for path, _, _ in files}
    imports, guarded = {}, set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        targets = []
        for match in IMPORT.finditer(source):
            target = os.path.realpath(os.path.join(os.path.dirname(path), match.group(1)))
            if target in known and target != path:
                targets.append(target)
        imports[path] = tuple(targets)
        if universal_guard(source):
            guarded.add(path)
    return Stylesheets(imports, frozenset(guarded))


def stylesheets(root: str) -> Stylesheets:
    real_root = os.path.realpath(root)
    return _read_stylesheets(real_root, _project_files(real_root, ".css"))


def covered_by_bundle_guard(root: str, filename: str) -> bool:
    """Whether every bundle that includes this stylesheet (each entry stylesheet, one no other imports, that
    reaches it through @import) also includes a reduced-motion guard for every element. A stylesheet nothing
    imports is its own entry: only its own guard counts."""
    sheets = stylesheets(root)
    path = os.path.realpath(filename)
    if path not in sheets.imports:
        return False
    importers: dict[str, list[str]] = {}
    for source, targets in sheets.imports.items():
        for target in targets:
            importers.setdefault(target, []).append(source)
    entries, seen, queue = [], {path}, deque([path])
    while queue:
        current = queue.popleft()
        parents = importers.get(current, [])
        if not parents:
            entries.append(current)
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    if not entries or entries == [path]:
        return False
    return all(_bundle_guarded(sheets, entry) for entry in entries)


def _bundle_guarded(sheets: Stylesheets, entry: str) -> bool:
    seen, queue = {entry}, deque([entry])
    while queue:
        current = queue.popleft()
        if current in sheets.guarded:
            return True
        for target in sheets.imports.get(current, ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return False


NIMBLE_PUBLISHER = re.compile(r"use\s+NimblePublisher\b")
PUBLISHER_OPTION = re.compile(r"\b(build|as):\s*:?([\w.]{1,120})")
PUBLISHER_WINDOW = 600  # characters after `use NimblePublisher` holding its options


def _snake(alias: str) -> str:
    last = alias.rsplit(".", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", last).lower()


@lru_cache(maxsize=4)
def _read_published(files: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    names: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None or "NimblePublisher" not in source:
            continue
        for match in NIMBLE_PUBLISHER.finditer(source):
            for option, value in PUBLISHER_OPTION.findall(source[match.end(): match.end() + PUBLISHER_WINDOW]):
                name = _snake(value) if option == "build" else value.lower()
                names.add(name)
                if option == "as" and name.endswith("s"):
                    names.add(name[:-1])  # `as: :posts` -> a `post`
    return frozenset(names)


def published_records(root: str) -> frozenset[str]:
    """Snake-case names of the records that modules using NimblePublisher build (`build: Blog.Post` -> `post`,
    `as: :rulebooks` -> `rulebooks` and `rulebook`): text the developers wrote, compiled from the repository."""
    real_root = os.path.realpath(root)
    return _read_published(_project_files(real_root, ".ex"))


DEFMODULE = re.compile(r"^[ \t]{0,40}defmodule[ \t]{1,8}([A-Z][\w.]{0,200})", re.M)


@lru_cache(maxsize=4)
def _module_index(files: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[str, ...]]:
    """Module name (as written after defmodule, and its last segment) -> files defining it."""
    index: dict[str, list[str]] = {}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        for name in {m.group(1) for m in DEFMODULE.finditer(source)}:
            for key in {name, name.rsplit(".", 1)[-1]}:
                index.setdefault(key, []).append(path)
    return {key: tuple(paths) for key, paths in index.items()}


def function_bodies(root: str, module: str, name: str) -> list[str] | None:
    """The source of each `def name` clause body of `module` (a full name, or a last segment that only one
    file defines), or None when the project does not show it."""
    index = _module_index(_project_files(os.path.realpath(root), ".ex"))
    paths = index.get(module) or (index.get(module.rsplit(".", 1)[-1], ()) if "." not in module else ())
    if len(paths) != 1:
        return None
    source = read_text(Path(paths[0]), MAX_FILE_BYTES)
    if source is None:
        return None
    last = module.rsplit(".", 1)[-1]
    for node in all_modules(parse("elixir", source).root_node):
        arguments = call_arguments(node)
        declared = text(arguments[0]) if arguments else ""
        if declared == module or declared.rsplit(".", 1)[-1] == last:
            clauses = [c for c in read_module(node).clauses_of(name) if c.kind == "def" and c.body is not None]
            return [text(c.body) for c in clauses] or None
    return None
