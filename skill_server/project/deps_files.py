"""The installed deps whose docs are indexed, their exact versions, and their lib/**/*.ex sources read as
untrusted files: regular files only, inside the project, each size-capped, a bounded count and byte total
per package and overall. What the bounds left out is recorded (`Skips`) so results can say so."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import mixfiles
from .files import UnreadableFile, directory_inside, read_regular, read_text

PACKAGES = ("phoenix_live_view", "phoenix", "phoenix_html", "phoenix_ecto", "ecto")
# A real app's deps (LiveView 1.0, phoenix 1.7, phoenix_html 4, phoenix_ecto 4, ecto 3.12) are 179 files,
# 2.6 MB in all, ecto the largest package (56 files, 1.1 MB) and its largest file 155 KB.
MAX_SOURCE_BYTES = 512 * 1024  # one .ex file
MAX_FILES_PER_PACKAGE = 500
MAX_PACKAGE_BYTES = 4 * 1024 * 1024
MAX_TOTAL_FILES = 1500
MAX_TOTAL_BYTES = 10 * 1024 * 1024
MAX_METADATA_BYTES = 256 * 1024
MAX_SKIP_EXAMPLES = 3  # file names quoted per kind of skip
MAX_LISTED_ENTRIES = 20_000  # folder entries a package's listing looks at (phoenix has a few hundred)
HEX_METADATA_VERSION_RE = re.compile(r'\{<<"version">>,\s*<<"([^"]+)">>\}')


@dataclass(frozen=True)
class InstalledDep:
    package: str
    version: str
    lib: Path  # deps/<package>/lib, a real folder inside the project


@dataclass
class Skips:
    """What the read bounds left out: reason → (count, a few example paths)."""

    reasons: dict[str, list] = field(default_factory=dict)

    def add(self, reason: str, path: str) -> None:
        entry = self.reasons.setdefault(reason, [0, []])
        entry[0] += 1
        if len(entry[1]) < MAX_SKIP_EXAMPLES:
            entry[1].append(path)

    def notes(self) -> list[str]:
        notes = []
        for reason, (count, examples) in self.reasons.items():
            more = f" and {count - len(examples)} more" if count > len(examples) else ""
            notes.append(f"Deps docs not indexed ({reason}): {', '.join(examples)}{more}.")
        return notes


@dataclass
class Budget:
    """The read bounds of one build (a build in a worker process gets them from its caller)."""

    source_bytes: int = MAX_SOURCE_BYTES
    files_per_package: int = MAX_FILES_PER_PACKAGE
    package_bytes: int = MAX_PACKAGE_BYTES
    total_files: int = MAX_TOTAL_FILES
    total_bytes: int = MAX_TOTAL_BYTES

    @classmethod
    def current(cls) -> Budget:
        """The module's bounds as they are now (tests lower them)."""
        return cls(MAX_SOURCE_BYTES, MAX_FILES_PER_PACKAGE, MAX_PACKAGE_BYTES, MAX_TOTAL_FILES, MAX_TOTAL_BYTES)


def installed_version(package_dir: Path, locked: str | None) -> str | None:
    """The version installed in deps/<package>: its hex_metadata.config, else its mix.exs, else the lock's."""
    metadata = read_text(package_dir / "hex_metadata.config", MAX_METADATA_BYTES)
    if metadata and (match := HEX_METADATA_VERSION_RE.search(metadata)):
        return match.group(1)
    mix_exs = read_text(package_dir / "mix.exs", mixfiles.MAX_MIX_EXS_BYTES)
    return (mixfiles.declared_version(mix_exs) if mix_exs else None) or locked


def installed_deps(root: Path, locked: dict[str, str]) -> list[InstalledDep]:
    """The documented packages present under root/deps (never a folder that leads out of the project)."""
    real_root = Path(os.path.realpath(root))
    found = []
    for package in PACKAGES:
        package_dir = root / "deps" / package
        lib = package_dir / "lib"
        if not directory_inside(real_root, package_dir) or not directory_inside(real_root, lib):
            continue
        version = installed_version(package_dir, locked.get(package))
        if version:
            found.append(InstalledDep(package, version, lib))
    return found


def _ex_files(lib: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(lib, followlinks=False):
        dirnames.sort()
        for filename in sorted(filenames):
            if filename.endswith(".ex"):
                yield Path(dirpath) / filename


def listing(lib: Path) -> list[tuple[str, int, int, int]]:
    """(path under lib, size, mtime_ns, ctime_ns) of each regular lib/**/*.ex file, sorted: what a build reads,
    for the cache key, so that a file edited, added or removed in place is indexed again (a folder's own time
    changes only with its entries). Looks at MAX_LISTED_ENTRIES folder entries at most, and marks the listing
    as cut there: it is made on the caller's path, and a package past that is no real one."""
    found, seen, folders = [], 0, [str(lib)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_LISTED_ENTRIES:
                        return sorted(found) + [("", seen, 0, 0)]
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.name.endswith(".ex") and entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        found.append((os.path.relpath(entry.path, lib), info.st_size, info.st_mtime_ns,
                                      info.st_ctime_ns))
        except OSError:  # a folder or file that went away, or one that cannot be read: the build skips it too
            continue
    return sorted(found)


def sources(dep: InstalledDep, budget: Budget, used: list[int], skips: Skips) -> Iterator[tuple[str, bytes]]:
    """(path relative to deps/, bytes) of each lib/**/*.ex file, in a stable order. Symlinks (files or
    folders) are not followed; oversized files and those past a count or byte bound are skipped and
    recorded in `skips`; `used` holds [files, bytes] read so far by the whole build."""
    files = size = 0
    for path in _ex_files(dep.lib):
        shown = str(path.relative_to(dep.lib.parent.parent))
        if used[0] >= budget.total_files or used[1] >= budget.total_bytes:
            skips.add(f"over the {budget.total_files:,}-file / {budget.total_bytes:,}-byte limit for all deps", shown)
            continue
        if files >= budget.files_per_package or size >= budget.package_bytes:
            skips.add(f"over the {budget.files_per_package:,}-file / {budget.package_bytes:,}-byte limit "
                      f"for one package", shown)
            continue
        cap = min(budget.source_bytes, budget.package_bytes - size, budget.total_bytes - used[1])
        try:
            data = read_regular(path, cap)
        except FileNotFoundError:
            continue
        except UnreadableFile as exc:
            if "limit" not in str(exc):
                skips.add("not a regular file, or unreadable", shown)
            elif cap == budget.source_bytes:
                skips.add(f"larger than the {budget.source_bytes:,}-byte limit for one file", shown)
            else:
                skips.add("past the byte limit of its package or of all deps", shown)
            continue
        files += 1
        size += len(data)
        used[0] += 1
        used[1] += len(data)
        yield shown, data
