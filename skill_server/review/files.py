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
    """Files under `root` (a resolved directory) whose path relative to it is `wanted`, in sorted order; and the
    folders that could not be searched. `skip_dir` gets a folder's path relative to `root`. A symlinked folder
    is listed as not searched when it leads outside `root`, passed over when its target is walked under its own
    path, and followed (once) when its target is a folder the walk passes over, since the link is how Mix
    compiles those files: a gate must not pass them unreviewed."""
    files: list[Path] = []
    skipped: list[Skip] = []
    followed: set[Path] = set()
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
                linked = not is_dir and entry.is_symlink() and entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = linked = False
            if linked and not skip_dir(path.relative_to(root)):
                target = Path(os.path.realpath(path))
                if not inside(target, root):
                    skipped.append(Skip(str(path), "a symlinked folder that leads outside the reviewed folder; not followed"))
                    continue
                if target in followed or not _left_out(target.relative_to(root), skip_dir):
                    continue  # its files are reviewed under their own path
                followed.add(target)
                is_dir = True
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


def _left_out(folder: Path, skip_dir: Callable[[Path], bool]) -> bool:
    """Whether the walk passes over `folder` (relative to the root) or one of its parents: a symlink into such a
    folder (lib/app_web/extra -> priv/extra) is the only way its files are compiled, so it is followed."""
    return any(skip_dir(part) for part in (folder, *folder.parents) if part != Path())


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
    if not stat.S_ISLNK(info.st_mode) and not inside(Path(os.path.realpath(path)), root):
        raise Unreadable("reached through a symlinked folder that leads outside the reviewed folder; not followed")
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
