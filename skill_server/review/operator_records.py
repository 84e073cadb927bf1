"""Which records only operators write, in project review: a schema whose structs and changesets are built only in
modules that no web code (controllers, LiveViews, components, API) calls, such as an ops module run from a
console (`Ops.set_banner(message)`). Text in such a record is the operators' own, like configuration, not what a
visitor typed.

Reading goes through project_sources' bounded, cached file list (regular files under the project root, no
dependency or build folders, at most MAX_FILES of at most MAX_FILE_BYTES each)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..project.files import read_text
from .project_sources import MAX_FILE_BYTES, _project_files

DEFMODULE = re.compile(r"^[ \t]{0,40}defmodule[ \t]{1,8}([A-Z][\w.]{0,200})", re.M)
WEB_PATH = re.compile(r"(?:^|/)(?:\w+_web|controllers|live|components|channels|api)(?:/|$)|_(?:live|controller|component)\.ex$")
# A web module by what it is, wherever it sits (audit 13: `lib/app/pages/comment_page.ex` with `use AppWeb,
# :live_view` was not web code by its path).
WEB_MODULE = re.compile(r"\buse\s+(?:[A-Z]\w{0,60}Web\s*,\s*:(?:live_view|live_component|html|controller|component|"
                        r"channel|verified_routes)|Phoenix\.(?:LiveView|LiveComponent|Component|Controller|Channel)\b)")
TEST_PATH = re.compile(r"(?:^|/)(?:test|tests|priv|seeds?)(?:/|$)|_test\.exs?$|seeds?\.exs?$")


def _camel(record: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in record.split("_") if part)


def _sources(files: tuple[tuple[str, int, int], ...], root: str):
    """(path relative to the root, text) of each readable file, one at a time (never all held at once)."""
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is not None:
            yield os.path.relpath(path, root), source


@lru_cache(maxsize=16)
def _operator_only(files: tuple[tuple[str, int, int], ...], root: str, schema: str) -> bool:
    builds = re.compile(r"%(?:[A-Z]\w{0,60}\.){0,6}" + schema + r"\{|\b" + schema + r"\.\w{0,40}changeset\(")
    defines = re.compile(r"^[ \t]{0,40}defmodule[ \t]{1,8}(?:[A-Z]\w{0,60}\.){0,6}" + schema + r"[ \t]", re.M)
    schema_defined, writers, names = False, [], set()
    for path, source in _sources(files, root):
        if defines.search(source):
            schema_defined = schema_defined or "schema " in source
        elif not TEST_PATH.search(path) and builds.search(source):
            writers.append((path, _web(path, source)))
            # The file's outer module (`Portal.Ops`); a module nested in it (`defmodule Database`) is named
            # through it.
            outer = DEFMODULE.search(source)
            if outer:
                names.add(outer.group(1))
    if not schema_defined or not writers or not names or any(web for _, web in writers):
        return False
    # Web code that names a writer in any form calls it, or may: a dotted call, `import App.Blog` then bare calls,
    # `alias App.Blog, as: B`, `alias App.{Blog, Accounts}`, `apply(Blog, ...)` (audit 13 A13-21: only the dotted
    # form was seen, so an imported context made the users' own comments count as the operators' text).
    # A facade that delegates to a writer (`defdelegate create_comment(attrs), to: App.Blog.Comments`) writes too:
    # web code calling the facade calls the writer (audit 13 re-check of A13-21).
    writer_names = "|".join(re.escape(n) + "|" + re.escape(n.rsplit(".", 1)[-1]) for n in sorted(names))
    delegates = re.compile(r"\bdefdelegate\b[^\n]{0,300}?\bto:\s{0,8}(?:[A-Z]\w{0,60}\.){0,6}(?:" + writer_names + r")\b")
    for path, source in _sources(files, root):
        if "defdelegate" in source and delegates.search(source):
            outer = DEFMODULE.search(source)
            if outer:
                names.add(outer.group(1))
    called = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) + "|" + re.escape(n.rsplit(".", 1)[-1])
                                                     for n in sorted(names)) + r")(?![\w])")
    return not any(_web(path, source) and called.search(source) for path, source in _sources(files, root))


def _web(path: str, source: str) -> bool:
    """Web code: by its place (`*_web/`, `live/`, controllers) or by what the module uses (a LiveView anywhere)."""
    return WEB_PATH.search(path) is not None or WEB_MODULE.search(source) is not None


def operator_only_record(root: str | None, record: str) -> bool:
    """Whether the schema named like this record variable (`banner` -> `Banner`) is built only by modules no web
    code calls: a record operators write (from a console or a release task), not users."""
    if not root or not re.fullmatch(r"[a-z]\w{0,60}", record):
        return False
    real_root = os.path.realpath(root)
    files = _project_files(real_root, (".ex", ".heex"))
    return _operator_only(files, real_root, _camel(record))
