"""The file system as untrusted input, for project review: walk a tree without following symlinks out of
it or recursing without bound, and read only regular files inside the root, never more than the size cap.

A reviewed tree may come from anyone (a pull request, a cloned repository): a symlink can point at a
secret outside it, a FIFO blocks a reader forever, /dev/zero never ends, a sparse file claims 4 GB. Each
candidate is checked with lstat before it is opened, opened without blocking or following a last
symlink, checked again on the open descriptor, and read up to the cap plus one byte."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 256  # folder levels below a root; deeper folders are reported, not searched


@dataclass(frozen=True)
class Skip:
    path: str  # as found: under the root
    reason: str


class Unreadable(Exception):
    """A candidate file that is not read; the message says why (for the skipped list)."""


def walk(root: Path, wanted: Callable[[Path], bool], skip_dir: Callable[[Path], bool]) -> tuple[list[Path], list[Skip]]:
    """Files under `root` (a resolved directory) whose path relative to it is `wanted`, in sorted order,
    without following directory symlinks; and the folders that could not be searched. `skip_dir` gets a
    folder's path relative to `root`."""
    files: list[Path] = []
    skipped: list[Skip] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        directory, depth = stack.pop()
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skip(str(directory), f"folder not readable ({exc.strerror or exc})"))
            continue
        subfolders = []
        for entry in listed:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if skip_dir(path.relative_to(root)):
                    continue
                if depth + 1 > MAX_DEPTH:
                    skipped.append(Skip(str(path), f"folders nested deeper than {MAX_DEPTH} levels were not searched"))
                    continue
                subfolders.append((path, depth + 1))
            elif wanted(path.relative_to(root)):
                files.append(path)
        stack.extend(reversed(subfolders))
    return files, skipped


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_source(path: Path, root: Path, max_bytes: int) -> str:
    """The text of a regular file inside `root` (a symlink is followed only to a regular file inside
    it), decoded as UTF-8 with replacement; Unreadable says why it is not read."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise Unreadable(f"not readable ({exc.strerror or exc})") from None
    target = path
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise Unreadable("a symlink that leads nowhere") from None
        if not inside(target, root):
            raise Unreadable("a symlink to a file outside the reviewed folder; not followed")
        info = os.lstat(target)
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file (a device, FIFO or socket); not opened")
    if info.st_size > max_bytes:
        raise Unreadable(f"{info.st_size / 1_048_576:.1f} MB is over the {max_bytes / 1_048_576:.0f} MB review size limit")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise Unreadable(f"not readable ({exc.strerror or exc})") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise Unreadable("changed while it was being opened; not read")
        data = _read_at_most(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise Unreadable(f"over the {max_bytes / 1_048_576:.0f} MB review size limit")
    return data.decode("utf-8", errors="replace")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
