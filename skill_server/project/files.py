"""Reading files of the user's project as untrusted input: regular files only (never through a symlink),
size-capped, and directories only when they resolve inside the project."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """A project file that exists but may not or cannot be read; the message says why."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of `path` when it is a regular file (not a symlink, FIFO or device) of at most
    `max_bytes`. FileNotFoundError when it is absent; UnreadableFile otherwise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadableFile(f"{path} cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise UnreadableFile(f"{path} is {kind}, so it is not read")
    if info.st_size > max_bytes:
        raise UnreadableFile(f"{path} is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableFile(f"{path} is not a regular file, so it is not read")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"{path} cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise UnreadableFile(f"{path} grew over the {max_bytes:,}-byte limit while being read")
    return data


def read_text(path: Path, max_bytes: int) -> str | None:
    """read_regular as text, or None when the file is absent or unreadable (for optional files)."""
    try:
        return read_regular(path, max_bytes).decode("utf-8", errors="replace")
    except (FileNotFoundError, UnreadableFile):
        return None


def directory_inside(root: Path, path: Path) -> bool:
    """True when `path` is a directory whose real location is `root` or under it (a symlink out is not)."""
    try:
        real = Path(os.path.realpath(path))
        return real.is_dir() and (real == root or root in real.parents)
    except OSError:
        return False
