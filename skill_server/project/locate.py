"""Finding the user's Mix project: from a folder (the nearest one at or above it holding a mix.exs; for an
app of an umbrella, the umbrella root), or from the MCP client's roots (the first root holding a mix.exs)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import InputError
from . import mixfiles

UMBRELLA_DEPTH = 3  # how far above an app's folder its umbrella's apps_path may start


@dataclass(frozen=True)
class Project:
    """A Mix project: its root (the umbrella root for an umbrella app), its mix.lock and LiveView version."""

    root: Path
    lock: mixfiles.LockFile | None
    liveview: mixfiles.LockedVersion


def _holds_mix_exs(directory: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(directory / "mix.exs").st_mode)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return False


def umbrella_root(app_dir: Path) -> Path | None:
    """The umbrella project `app_dir` is an app of (its mix.exs names an apps_path holding app_dir)."""
    for candidate in app_dir.parents[1:UMBRELLA_DEPTH + 1]:
        if not _holds_mix_exs(candidate):
            continue
        apps = mixfiles.apps_path(mixfiles.read_mix_exs(candidate) or "")
        if apps and Path(os.path.realpath(candidate / apps)) == app_dir.parent:
            return candidate
    return None


def find_root(start: Path) -> Path | None:
    """The Mix project `start` is in, or None: the nearest folder at or above it holding a mix.exs, and for
    an umbrella app the umbrella root."""
    start = Path(os.path.realpath(start))
    for directory in (start, *start.parents):
        if _holds_mix_exs(directory):
            return umbrella_root(directory) or directory
    return None


MAX_ROOTS = 32
MAX_ROOT_URI = 4096


def root_from_roots(uris: list[str]) -> Path | None:
    """The first of the client's roots (file:// URIs) that holds a mix.exs, as its project root. Only the
    first MAX_ROOTS are looked at (clients send a handful), and over-long URIs are passed over."""
    for uri in uris[:MAX_ROOTS]:
        if len(uri) > MAX_ROOT_URI:
            continue
        parsed = urlparse(uri)
        path = unquote(parsed.path)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost") or "\x00" in path:
            continue
        directory = Path(os.path.realpath(path))
        if _holds_mix_exs(directory):
            return umbrella_root(directory) or directory
    return None


def cli_project(explicit: str | None) -> str | None:
    """The project a CLI command answers for: --project DIR, else the working directory's Mix project."""
    if explicit:
        return explicit
    try:
        root = find_root(Path.cwd())
    except OSError:  # the working directory was removed
        return None
    return str(root) if root else None


def load_project(path: str | Path) -> Project | None:
    """The Mix project at or above `path` with its LiveView version, or None when there is none.
    A path that is not a folder is bad input."""
    if not isinstance(path, (str, Path)) or not str(path).strip() or "\x00" in str(path):
        raise InputError("project must be the path of a folder of a Mix project")
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise InputError(f"project folder {str(path)[:200]} does not exist or is not a folder")
    root = find_root(directory)
    if root is None:
        return None
    lock = mixfiles.read_lock(root)
    return Project(root, lock, mixfiles.liveview_version(root, lock))
