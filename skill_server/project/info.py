"""The names a snippet needs from the user's project, read as text (nothing is compiled or run): the OTP
app (`app:` in mix.exs), the web module (`<App>Web` when lib/<app>_web exists) and the context modules
(the modules defined in lib/<app>/*.ex, minus the app's plumbing: repo, application, mailer, schemas)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import mixfiles
from .files import directory_inside, read_text

MAX_CONTEXT_FILES = 200
MAX_CONTEXT_BYTES = 256 * 1024
# `[ \t]*`, not `\s*`, at a line start: each line start must not rescan a run of blank lines.
DEFMODULE_RE = re.compile(r"^[ \t]*defmodule\s+([A-Z][\w]*(?:\.[A-Z]\w*)*)\s+do\b", re.M)
# `use` lines that make a module plumbing or data rather than a context.
NOT_A_CONTEXT_RE = re.compile(r"^[ \t]*use\s+(Ecto\.Repo|Application|Swoosh\.Mailer|Ecto\.Schema|Phoenix\.\w+|"
                              r"Supervisor|GenServer)\b", re.M)


@dataclass(frozen=True)
class ProjectInfo:
    root: Path
    app: str | None  # "my_app"
    module: str | None  # "MyApp"
    web_module: str | None  # "MyAppWeb" when lib/my_app_web exists
    contexts: tuple[str, ...]  # "MyApp.Accounts", ...


def camelize(app: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in app.split("_"))


def context_modules(lib_app: Path, module: str) -> tuple[str, ...]:
    """Modules `<App>.<Name>` defined in lib/<app>/*.ex (one level: schemas live below their context)."""
    found = []
    try:
        names = sorted(os.listdir(lib_app))[:MAX_CONTEXT_FILES]
    except OSError:
        return ()
    for name in names:
        if not name.endswith(".ex"):
            continue
        text = read_text(lib_app / name, MAX_CONTEXT_BYTES)
        if text is None or NOT_A_CONTEXT_RE.search(text):
            continue
        match = DEFMODULE_RE.search(text)
        if match and match.group(1).startswith(module + ".") and match.group(1).count(".") == module.count(".") + 1:
            found.append(match.group(1))
    return tuple(found)


def project_info(root: Path) -> ProjectInfo:
    app = mixfiles.app_name(mixfiles.read_mix_exs(root) or "")
    if app is None:
        return ProjectInfo(root, None, None, None, ())
    module = camelize(app)
    real_root = Path(os.path.realpath(root))
    web = directory_inside(real_root, root / "lib" / f"{app}_web")
    lib_app = root / "lib" / app
    contexts = context_modules(lib_app, module) if directory_inside(real_root, lib_app) else ()
    return ProjectInfo(root, app, module, f"{module}Web" if web else None, contexts)
