"""mix.lock and mix.exs read as text: locked hex versions, the LiveView version of a project and the OTP
app name. The lockfile is read from the project root only, never from a folder above it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .files import UnreadableFile, read_regular, read_text

MAX_LOCK_BYTES = 2 * 1024 * 1024
MAX_MIX_EXS_BYTES = 512 * 1024

HEX_ENTRY_RE = re.compile(r'"(\w+)":\s*\{:hex,\s*:\w+,\s*"([^"]+)"')
GIT_ENTRY_RE = re.compile(r'"(\w+)":\s*\{:git,')
LIVEVIEW = "phoenix_live_view"
REQUIREMENT_RE = re.compile(r'\{:phoenix_live_view,\s*"[~>=\s]*(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?)')
# Bounded: `[^}]*` would rescan to the end of the file from every `{:phoenix_live_view,` that no `}` closes.
PATH_DEP_RE = re.compile(r"\{:phoenix_live_view,[^}]{0,500}\bpath:")
APP_RE = re.compile(r"\bapp:\s*:(\w+)")
APPS_PATH_RE = re.compile(r'\bapps_path:\s*"([^"]+)"')
VERSION_ATTR_RE = re.compile(r'@version\s+"([^"]+)"|\bversion:\s*"([^"]+)"')


@dataclass(frozen=True)
class LockFile:
    path: Path
    data: bytes | None  # None when it could not be read
    problem: str | None  # why not, or None

    @property
    def text(self) -> str:
        return (self.data or b"").decode("utf-8", errors="replace")

    def hex_versions(self) -> dict[str, str]:
        """Package → version for every hex entry."""
        return {name: version for name, version in HEX_ENTRY_RE.findall(self.text)}


@dataclass(frozen=True)
class LockedVersion:
    """The LiveView version a project pins (or None), and notes saying where it came from or why not."""

    version: str | None
    origin: Path | None  # the file the version was read from
    notes: tuple[str, ...]


def read_lock(root: Path) -> LockFile | None:
    """mix.lock at the root (only there), or None when the project has none."""
    path = root / "mix.lock"
    try:
        return LockFile(path, read_regular(path, MAX_LOCK_BYTES), None)
    except FileNotFoundError:
        return None
    except UnreadableFile as exc:
        return LockFile(path, None, str(exc))


def read_mix_exs(root: Path) -> str | None:
    return read_text(root / "mix.exs", MAX_MIX_EXS_BYTES)


def liveview_version(root: Path, lock: LockFile | None = None) -> LockedVersion:
    """The LiveView version `root` pins: mix.lock's hex entry; when the lock has none (a git or path
    dependency, or no lock yet) the requirement in mix.exs, said so; otherwise None with the reason.
    An unreadable lock gives None: its reason is the note."""
    lock = lock if lock is not None else read_lock(root)
    if lock is not None and lock.problem:
        return LockedVersion(None, None, (f"The project's mix.lock is unreadable: {lock.problem}.",))
    if lock is not None and (version := lock.hex_versions().get(LIVEVIEW)):
        return LockedVersion(version, lock.path, (f"LiveView {version} from {lock.path}.",))
    mix_exs = read_mix_exs(root) or ""
    if lock is None:
        why = f"{root} has no mix.lock (run mix deps.get there)"
    elif LIVEVIEW in GIT_ENTRY_RE.findall(lock.text):
        why = "phoenix_live_view is a git dependency, so mix.lock holds no version"
    elif PATH_DEP_RE.search(mix_exs):
        why = "phoenix_live_view is a path dependency, so mix.lock holds no version"
    else:
        why = f"{lock.path} does not lock phoenix_live_view"
    requirement = REQUIREMENT_RE.search(mix_exs)
    if requirement:
        return LockedVersion(requirement.group(1), root / "mix.exs",
                             (f"{why}: LiveView {requirement.group(1)} is the requirement in {root / 'mix.exs'}.",))
    return LockedVersion(None, None, (f"{why}, and mix.exs names no version of it; pass liveview_version for "
                                      "answers about your version.",))


def app_name(mix_exs: str) -> str | None:
    match = APP_RE.search(mix_exs)
    return match.group(1) if match else None


def apps_path(mix_exs: str) -> str | None:
    """The `apps_path:` of an umbrella project's mix.exs, or None for a single app."""
    match = APPS_PATH_RE.search(mix_exs)
    return match.group(1) if match else None


def declared_version(mix_exs: str) -> str | None:
    """A package's own version from its mix.exs (`@version "1.0.17"` or `version: "1.0.17"`)."""
    match = VERSION_ATTR_RE.search(mix_exs)
    return (match.group(1) or match.group(2)) if match else None
