"""The installed deps whose docs are indexed, their exact versions, and their lib/**/*.ex sources read as
untrusted files: regular files only, inside the project, each size-capped, a bounded count per package."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import mixfiles
from .files import UnreadableFile, directory_inside, read_regular, read_text

PACKAGES = ("phoenix_live_view", "phoenix", "phoenix_html", "phoenix_ecto", "ecto")
MAX_SOURCE_BYTES = 1024 * 1024
MAX_FILES_PER_PACKAGE = 2000
MAX_TOTAL_BYTES = 48 * 1024 * 1024
MAX_METADATA_BYTES = 256 * 1024
HEX_METADATA_VERSION_RE = re.compile(r'\{<<"version">>,\s*<<"([^"]+)">>\}')


@dataclass(frozen=True)
class InstalledDep:
    package: str
    version: str
    lib: Path  # deps/<package>/lib, a real folder inside the project


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


def sources(dep: InstalledDep, budget: list[int]) -> Iterator[tuple[str, bytes]]:
    """(path relative to deps/, bytes) of each lib/**/*.ex file, in a stable order. Symlinks (files
    or folders) are not followed; oversized files are skipped; `budget` holds the bytes still allowed."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(dep.lib, followlinks=False):
        dirnames.sort()
        for filename in sorted(filenames):
            if not filename.endswith(".ex"):
                continue
            if count >= MAX_FILES_PER_PACKAGE or budget[0] <= 0:
                return
            path = Path(dirpath) / filename
            try:
                data = read_regular(path, min(MAX_SOURCE_BYTES, budget[0]))
            except (OSError, UnreadableFile):
                continue
            count += 1
            budget[0] -= len(data)
            yield str(path.relative_to(dep.lib.parent.parent)), data
