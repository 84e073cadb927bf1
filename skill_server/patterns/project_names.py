"""The user's Mix project as the names a snippet uses (names.ProjectNames): its OTP app, web module and
context modules, read as text (nothing is compiled or run).

An adapter: it reads through skill_server.project (project_info and find_root, the project-awareness
package) when that package is present. Until it is merged, `_read_project` stands in with the same rules: the
app from mix.exs (`app: :my_app`), the web module when lib/<app>_web exists, the contexts defined in
lib/<app>/*.ex (not schemas, repos, applications, mailers). Remove the stand-in once skill_server.project is
on main."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import InputError
from .names import ProjectNames
from .params import camelize

MAX_MIX_EXS = 512 * 1024
MAX_CONTEXT_FILE = 256 * 1024
MAX_CONTEXT_FILES = 200
APP_RE = re.compile(r"\bapp:\s*:(\w+)")
DEFMODULE_RE = re.compile(r"^\s*defmodule\s+([A-Z]\w*(?:\.[A-Z]\w*)*)\s+do\b", re.M)
NOT_A_CONTEXT_RE = re.compile(r"^\s*use\s+(?:Ecto\.Repo|Application|Swoosh\.Mailer|Ecto\.Schema|Phoenix\.\w+|"
                              r"Supervisor|GenServer)\b", re.M)


def project_names(project: str | Path | None) -> ProjectNames | None:
    """The names of the Mix project at or above `project`, or None without one (or when its mix.exs names no
    app). A path that is not a folder is an InputError."""
    if project is None:
        return None
    folder = Path(project)
    if not folder.is_dir():
        raise InputError(f"project must be the folder of a Mix project; {str(project)[:80]!r} is not a folder")
    try:
        from ..project.info import project_info
        from ..project.locate import find_root
    except ImportError:  # skill_server.project is not on this branch yet
        return _read_project(folder)
    root = find_root(folder)
    info = project_info(root) if root is not None else None
    if info is None or info.app is None:
        return None
    return ProjectNames(info.root, info.app, info.module, info.web_module, tuple(info.contexts))


def _read_text(path: Path, limit: int, root: Path) -> str | None:
    """A regular file inside `root`, at most `limit` bytes, as text; None otherwise."""
    try:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(root) or not real.is_file() or real.stat().st_size > limit:
            return None
        return real.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _read_project(start: Path) -> ProjectNames | None:
    start = Path(os.path.realpath(start))
    root = next((d for d in (start, *start.parents) if (d / "mix.exs").is_file()), None)
    if root is None:
        return None
    match = APP_RE.search(_read_text(root / "mix.exs", MAX_MIX_EXS, root) or "")
    if match is None:
        return None
    app = match.group(1)
    module = camelize(app)
    web_dir = Path(os.path.realpath(root / "lib" / f"{app}_web"))
    web_module = f"{module}Web" if web_dir.is_relative_to(root) and web_dir.is_dir() else None
    contexts = []
    lib_app = root / "lib" / app
    try:
        files = sorted(os.listdir(lib_app))[:MAX_CONTEXT_FILES] if lib_app.is_dir() else []
    except OSError:
        files = []
    for name in files:
        text = _read_text(lib_app / name, MAX_CONTEXT_FILE, root) if name.endswith(".ex") else None
        if text is None or NOT_A_CONTEXT_RE.search(text):
            continue
        found = DEFMODULE_RE.search(text)
        if found and found.group(1).startswith(module + ".") and found.group(1).count(".") == 1:
            contexts.append(found.group(1))
    return ProjectNames(root, app, module, web_module, tuple(contexts))
