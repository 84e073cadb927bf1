"""The user's Mix project as the names a snippet uses (names.ProjectNames): its OTP app, web module and
context modules, read through skill_server.project (find_root, project_info) as text: nothing is compiled or
run."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..project.info import project_info
from ..project.locate import find_root
from .names import ProjectNames


def project_names(project: str | Path | None) -> ProjectNames | None:
    """The names of the Mix project at or above `project`, or None without one (or when its mix.exs names no
    app). A path that is not a folder is an InputError."""
    if project is None:
        return None
    folder = Path(project)
    if not folder.is_dir():
        raise InputError(f"project must be the folder of a Mix project; {str(project)[:80]!r} is not a folder")
    root = find_root(folder)
    info = project_info(root) if root is not None else None
    if info is None or info.app is None:
        return None
    return ProjectNames(info.root, info.app, info.module, info.web_module, tuple(info.contexts))
