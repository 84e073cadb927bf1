"""Which DOM ids some file of the project may render, in project review: an id a JS command targets (`to:
"#completed-log"`) that no template, component or script of the project names is rendered by nothing, so the
command does nothing. An id built at run time from a prefix (`id={"log-#{@kind}"}`) may be any id with that
prefix, so such a prefix counts as naming it.

Reading goes through project_sources' bounded, cached file list (regular files under the project root, no
dependency or build folders, at most MAX_FILES of at most MAX_FILE_BYTES each)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..project.files import read_text
from .project_sources import MAX_FILE_BYTES, _project_files

SOURCES = (".ex", ".exs", ".heex", ".eex", ".leex", ".js", ".ts", ".jsx", ".tsx", ".html")


def _prefixes(name: str) -> list[str]:
    """`completed-log-list` -> `completed-`, `completed-log-`: what an interpolated id may start with."""
    parts = re.split(r"(?<=[-_])", name)
    return ["".join(parts[:i]) for i in range(1, len(parts))]


@lru_cache(maxsize=8)
def _named(files: tuple[tuple[str, int, int], ...], names: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    # The id itself where it is not a `#id` selector, or a prefix followed by an interpolation or a concatenation.
    patterns = {name: re.compile(r"(?<![\w#-])" + re.escape(name) + r"(?![\w-])|(?<![\w#-])(?:" +
                                 "|".join(re.escape(p) for p in _prefixes(name) or [name]) + r")(?:#\{|\"\s{0,4}<>)")
                for name in names}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        for name, pattern in patterns.items():
            if name not in found and pattern.search(source):
                found.add(name)
        if len(found) == len(names):
            break
    return frozenset(found)


def ids_named_in_project(root: str, names: tuple[str, ...]) -> frozenset[str]:
    """Which of these ids some project file names other than as a `#id` selector (or builds from a prefix)."""
    real_root = os.path.realpath(root)
    return _named(_project_files(real_root, SOURCES), tuple(sorted(set(names))))
