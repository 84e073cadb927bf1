"""Whether Mix compiles a file at all, in project review: a `.ex` or `.heex` file outside its Mix project's
`lib/` and `test/` folders (`example/custom_live.ex`, `docs/samples/page_live.ex`) is never compiled unless
the project's `mix.exs` names that folder (`elixirc_paths: ["lib", "examples"]`), so it never runs. Rules
whose harm needs the code to run (a crash) lower their confidence there.

Project files are untrusted input: `mix.exs` is read through skill_server/project/files.py (a regular file,
capped, never through a symbolic link)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..project.files import read_text

COMPILED_FOLDERS = {"lib", "test"}
MIX_BYTES = 262_144
MOST_LEVELS = 12  # folders looked up for the file's mix.exs


@lru_cache(maxsize=256)
def _mix_source(folder: str) -> str | None:
    """The text of the folder's mix.exs, or None when it has none."""
    path = Path(folder) / "mix.exs"
    return read_text(path, MIX_BYTES) if path.is_file() and not path.is_symlink() else None


def never_compiled(project_root: str | None, path: str | None) -> bool:
    """The file sits in its Mix project outside `lib/` and `test/`, in a folder its `mix.exs` does not name."""
    if not project_root or not path or not path.endswith((".ex", ".heex")):
        return False
    try:
        parts = Path(path).resolve().relative_to(Path(project_root).resolve()).parts[:-1]
    except (ValueError, OSError):
        return False
    root = Path(project_root).resolve()
    for depth in range(len(parts), max(-1, len(parts) - MOST_LEVELS), -1):
        folder = root.joinpath(*parts[:depth])
        mix = _mix_source(str(folder))
        if mix is None:
            continue
        below = parts[depth:]
        return bool(below) and below[0] not in COMPILED_FOLDERS and f'"{below[0]}' not in mix
    return False
