"""What an answer is for: the project a call names (or none), the LiveView version to answer for and
where it came from (`argument`, `project` or `default`), and the notes that say so."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..versions import NEWEST, OLDEST, VersionSource, parse_version, resolve_with_source
from .locate import Project, load_project

NO_PROJECT = ("No Phoenix project known (no --project, no client root holding a mix.exs, not run inside a Mix "
              f"project): answers are for LiveView {NEWEST}, the newest covered; pass liveview_version for yours.")


@dataclass(frozen=True)
class AnswerContext:
    project: Project | None
    liveview_version: str | None  # what the answering module is given
    version_source: VersionSource
    notes: tuple[str, ...]

    def stamp(self, result):
        """The result with its version_source and these notes (first) filled in."""
        return result.model_copy(update={"version_source": self.version_source,
                                         "notes": [*self.notes, *result.notes]})

    def stamp_review(self, review):
        """A ProjectReview stamped, and each of its files' results."""
        files = [f.model_copy(update={"result": f.result.model_copy(update={"version_source": self.version_source})})
                 for f in review.files]
        return self.stamp(review.model_copy(update={"files": files}))


def _project_version(project: Project) -> tuple[str | None, list[str]]:
    """The project's LiveView version in a form the knowledge answers for, with the notes saying where it
    came from; a version older than the knowledge covers is answered as the oldest covered release."""
    locked = project.liveview
    notes = list(locked.notes)
    if locked.version is None:
        return None, notes
    try:
        version = parse_version(locked.version)
    except InputError:
        return None, [f"{locked.origin} names phoenix_live_view {locked.version[:40]!r}, which is not a version."]
    if version < OLDEST:
        return OLDEST.line, [*notes, f"That is older than this knowledge covers ({OLDEST.line} to {NEWEST.line}): "
                                     f"answers are for {OLDEST.line}, the oldest covered."]
    return locked.version, notes


def answer_context(project: str | Path | None, liveview_version: str | None) -> AnswerContext:
    """Bad input (a liveview_version that is no version, a project path that is no folder) raises InputError."""
    found = load_project(project) if project is not None else None
    notes: list[str] = []
    project_version, version_notes = _project_version(found) if found else (None, [])
    resolved, source = resolve_with_source(liveview_version, project_version)
    if source == "argument":
        version = liveview_version
        if project_version and parse_version(project_version).line != resolved.version.line:
            notes.append(f"Answering for LiveView {resolved.label} as asked; the project locks {project_version}.")
    elif source == "project":
        version = project_version
        notes += version_notes
    else:
        version = None
        if project is None:
            notes.append(NO_PROJECT)
        elif found is None:
            notes.append(f"No Mix project at {project} (no mix.exs there or in a folder above): answers are for "
                         f"LiveView {NEWEST}, the newest covered.")
        else:
            notes += version_notes
            notes.append(f"Answers are for LiveView {NEWEST}, the newest covered.")
    return AnswerContext(found, version, source, tuple(notes))


def review_context(paths, project: str | Path | None, liveview_version: str | None) -> AnswerContext | None:
    """The context for reviewing `paths`: the project's when every reviewed path is inside it and no version
    was asked; None leaves the version to the reviewed folder's own mix.lock (review/project.py)."""
    if liveview_version is not None or project is None or not paths:
        return None
    found = load_project(project)
    if found is None:
        return None
    try:
        reviewed = [Path(os.path.realpath(p)) for p in paths]
    except (OSError, TypeError, ValueError):
        return None
    root = Path(os.path.realpath(found.root))
    if not all(p == root or root in p.parents for p in reviewed):
        return None
    return answer_context(found.root, None)
