"""Project mode: review every LiveView-relevant file under the given paths (a Phoenix project or single
files), for the LiveView version in the mix.lock of the reviewed folder (that folder only, see
skill_server/project/mixfiles.py), in parallel, with progress callbacks."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import InputError
from ..models import FileReview, ProjectReview, ReviewResult
from ..project.locate import find_root
from ..project.mixfiles import liveview_version as locked_liveview_version
from ..versions import OLDEST, parse_version
from .engine import MAX_REVIEW_BYTES, review_source

SKIP_DIRS = {"deps", "_build", "node_modules", ".git", ".elixir_ls", "priv", "cover", "tmp", ".venv"}
PARALLEL_FROM = 24  # files; below this a process pool costs more than it saves


def wanted(path: Path) -> bool:
    name = path.name
    parts = set(path.parts)
    if name.endswith(".heex"):
        return True
    if name.endswith((".ex", ".exs")):
        return "lib" in parts or "test" not in parts
    if name.endswith((".js", ".ts", ".mjs")):
        return "assets" in parts and "vendor" not in parts
    if name.endswith(".css"):
        return "assets" in parts and "vendor" not in parts
    return False


def collect(paths: Sequence[str]) -> tuple[Path, list[Path]]:
    files: list[Path] = []
    roots = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or directory: {raw}")
        if path.is_file():
            files.append(path)
            roots.append(path.parent)
            continue
        roots.append(path)
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for filename in sorted(filenames):
                candidate = Path(dirpath) / filename
                if wanted(candidate.relative_to(path)):
                    files.append(candidate)
    root = Path(os.path.commonpath([str(r.resolve()) for r in roots])) if roots else Path(".")
    return root, files


def _companion(path: Path) -> str | None:
    """The module beside a separate template: `page_live.html.heex` -> `page_live.ex`."""
    if not path.name.endswith(".html.heex"):
        return None
    module = path.with_name(path.name[: -len(".html.heex")] + ".ex")
    if not module.is_file() or module.stat().st_size > MAX_REVIEW_BYTES:
        return None
    return module.read_text(encoding="utf-8", errors="replace")


def _review_file(args: tuple[str, str | None, bool, str | None]) -> tuple[str, ReviewResult | str]:
    path, version, strict, project_root = args
    try:
        data = Path(path).read_bytes()
        if len(data) > MAX_REVIEW_BYTES:
            return path, f"skipped: {len(data) / 1_048_576:.1f} MB is over the review size limit"
        return path, review_source(data.decode("utf-8", errors="replace"), filename=path, liveview_version=version,
                                   strict=strict, companion=_companion(Path(path)), project_root=project_root)
    except InputError as exc:
        return path, f"skipped: {exc}"


def review_project(paths: Sequence[str], liveview_version: str | None = None, strict: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> ProjectReview:
    if not paths:
        raise InputError("give at least one file or directory to review")
    root, files = collect(paths)
    if not files:
        raise InputError("no files to review under " + ", ".join(paths) + ": looked for .ex/.exs (lib/), .heex, and "
                         ".js/.ts/.css under assets/ (deps, _build, node_modules and vendor are skipped)")
    version, source, notes = liveview_version, "argument", []
    if version is None:
        locked = locked_liveview_version(root)
        version, source, notes = locked.version, "project" if locked.version else "default", list(locked.notes)
        if version is not None and parse_version(version) < OLDEST:
            raise InputError(f"{locked.origin} pins phoenix_live_view {version}; liveview-skill reviews LiveView 0.20 "
                             "to 1.2. Pass --liveview-version 0.20 to review it against the oldest supported release.")
    project_root = str(find_root(root) or root)
    jobs = [(str(f), version, strict, project_root) for f in files]
    results: list[tuple[str, ReviewResult | str]] = []
    if len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            for n, item in enumerate(pool.map(_review_file, jobs, chunksize=8), 1):
                results.append(item)
                if progress:
                    progress(n, len(jobs))
    else:
        for n, job in enumerate(jobs, 1):
            results.append(_review_file(job))
            if progress:
                progress(n, len(jobs))
    reviews, skipped = [], []
    for path, result in results:
        relative = os.path.relpath(path, root)
        if isinstance(result, str):
            skipped.append(f"{relative}: {result}")
        else:
            reviews.append(FileReview(path=relative, result=result.model_copy(update={"version_source": source})))
    label = reviews[0].result.liveview_version if reviews else (version or "1.2")
    findings = sum(len(r.result.findings) for r in reviews)
    lines = sum(int(r.result.stats.get("lines", 0)) for r in reviews)
    return ProjectReview(root=str(root), liveview_version=label, version_source=source, files=reviews, notes=notes,
                         stats={"files": len(reviews), "lines": lines, "findings": findings, "skipped": skipped})
