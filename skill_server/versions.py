"""LiveView version parsing and the range this project's knowledge covers (0.20.0 to 1.2.10)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .errors import InputError

_VERSION_RE = re.compile(r"[ \t]*v?([0-9]{1,6})(?:\.([0-9]{1,6}))?(?:\.([0-9]{1,6}))?(?:-([0-9A-Za-z.]{1,40}))?[ \t]*")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def line(self) -> str:
        """The release line, e.g. "1.1" for 1.1.5."""
        return f"{self.major}.{self.minor}"


OLDEST = Version(0, 20, 0)
NEWEST = Version(1, 2, 10)
RELEASE_LINES = ("0.20", "1.0", "1.1", "1.2")


def parse_version(text: str) -> Version:
    """Parse "1", "1.1", "1.1.5", "v1.0.0" or "1.0.0-rc.7". A pre-release counts as the release before
    it (so "1.0.0-rc.7" is treated like the newest 0.20.x); "1.1" means 1.1.0."""
    if not isinstance(text, str):
        raise InputError("liveview_version must be a string such as \"1.1\" or \"1.0.19\"")
    return _parse_version_text(text)


@lru_cache(maxsize=512)  # every search compares each hit's since/until: parse each string once
def _parse_version_text(text: str) -> Version:
    match = _VERSION_RE.fullmatch(text)
    if not match:
        raise InputError(
            f"liveview_version {text[:40]!r} is not a version; send something like \"1.2\", \"1.1.5\" or \"0.20.17\""
        )
    major, minor, patch, pre = match.groups()
    version = Version(int(major), int(minor or 0), int(patch or 0))
    if pre:
        # A pre-release has fewer features than the release it leads to.
        version = _previous(version)
    return version


def _previous(version: Version) -> Version:
    if version.patch:
        return Version(version.major, version.minor, version.patch - 1)
    if version == Version(1, 0, 0):
        return Version(0, 20, 17)
    if version.minor:
        return Version(version.major, version.minor - 1, 99)
    return Version(version.major - 1, 99, 99)


@dataclass(frozen=True)
class ResolvedVersion:
    version: Version
    label: str
    note: str | None
    pre_release: bool = False  # e.g. "1.0.0-rc.6": answered as the release before, which may lack some of its APIs
    line_only: bool = False  # "0.20" or "1.1": a release line, not a patch release

    def lacks_only_a_patch(self, since: str | None) -> bool:
        """True when the user named a release line ("0.20") and `since` is a later patch of that same line
        ("0.20.4"): most users on a line run its newest patch, so a search should still rank such a section
        (with its note) rather than push it down as if it were from another release."""
        if not self.line_only or not since:
            return False
        needed = parse_version(since)
        return (needed.major, needed.minor) == (self.version.major, self.version.minor)


def resolve(liveview_version: str | None) -> ResolvedVersion:
    """The version an answer is for: absent means the newest release covered (1.2.10).

    Versions older than 0.20 are rejected; versions newer than the knowledge are answered as the
    newest covered release, with a note saying so."""
    if liveview_version is None or (isinstance(liveview_version, str) and not liveview_version.strip()):
        return ResolvedVersion(NEWEST, NEWEST.line, None)
    version = parse_version(liveview_version)
    if version < OLDEST:
        raise InputError(
            f"LiveView {liveview_version} is older than this knowledge covers; supported versions are 0.20 to 1.2 "
            f"(send e.g. \"0.20\", \"1.0\", \"1.1.5\" or \"1.2\")"
        )
    if version > NEWEST:
        return ResolvedVersion(
            NEWEST, liveview_version.strip(),
            f"LiveView {liveview_version} is newer than the knowledge here (up to {NEWEST}); answers are for {NEWEST}.",
        )
    parts = _VERSION_RE.fullmatch(liveview_version).groups()
    return ResolvedVersion(version, liveview_version.strip(), None, pre_release=bool(parts[3]),
                           line_only=parts[1] is not None and parts[2] is None and not parts[3])


VersionSource = Literal["argument", "project", "default"]


def resolve_with_source(
    liveview_version: str | None, project_version: str | None = None
) -> tuple[ResolvedVersion, VersionSource]:
    """The version an answer is for and where it came from: an explicit argument always wins, then the
    version of the user's project (its mix.lock), then the newest release covered."""
    if liveview_version is not None and not (isinstance(liveview_version, str) and not liveview_version.strip()):
        return resolve(liveview_version), "argument"
    if project_version:
        return resolve(project_version), "project"
    return resolve(None), "default"


def version_in_range(version: Version, since: str | None, until: str | None = None) -> bool:
    """True when `version` has what a section needs: at least `since`, and older than `until` (removal)."""
    if since and version < parse_version(since):
        return False
    if until and version >= parse_version(until):
        return False
    return True
