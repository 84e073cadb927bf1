"""Deps indexes by project, built in a worker process and loaded in a background thread, so no answer
waits for one and no deps/ can exhaust or freeze the server.

The first call for a project whose index is not cached starts a build thread and answers without deps
docs (its notes say so); later calls use the index once it is ready. The build runs in a worker process
under the deps-index time and memory limits (deps_worker.py); the thread only waits on its pipe. A small
cached index (up to SYNC_LOAD_BYTES, a real app's is 1.7 MB) is read on the caller's path (a few tens of
ms: a one-shot CLI run gets its deps hits at once); a larger one is read in the background thread like a
build. A server given --project `preload`s: the work waits for its first call (or PRELOAD_WAIT_S), so that
call answers without waiting for the read. The thread is not a daemon, so a CLI run finishes writing the
cache before it exits and the next run has deps hits."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from ..limits import Limits
from . import deps_index, deps_worker
from .deps_files import InstalledDep, installed_deps
from .locate import Project

MAX_PROJECTS = 4  # indexes kept in memory (a client may switch between a few roots)
# The build starts this long after the call that asked for it, so that answer is sent first: a thread
# parsing Elixir holds the interpreter lock for 5 ms at a time, which slows every step of the answer.
BUILD_DELAY_S = 0.2
SYNC_LOAD_BYTES = 4 * 1024 * 1024  # a cache up to this size is read on the caller's path; larger in the background
PRELOAD_WAIT_S = 30.0  # how long a preloaded index waits for a first call before it is read or built anyway


@dataclass
class Job:
    key: str
    deps: list[InstalledDep]
    ready: threading.Event = field(default_factory=threading.Event)
    asked: threading.Event = field(default_factory=threading.Event)  # a call has wanted the index
    index: deps_index.DepsIndex | None = None
    problem: str | None = None


_lock = threading.Lock()
_jobs: OrderedDict[str, Job] = OrderedDict()
# One build at a time in a process: each is a worker of up to a GB and a minute, and an HTTP client naming
# several projects' roots would otherwise start one per project at once. The others wait their turn.
_building = threading.Lock()


@dataclass(frozen=True)
class DepsPlan:
    """What a project's deps index is made of, or why it has none."""

    key: str | None
    deps: list[InstalledDep]
    problem: str | None


def plan(project: Project) -> DepsPlan:
    if project.lock is None or project.lock.data is None:
        return DepsPlan(None, [], "Without a readable mix.lock the deps docs are not indexed.")
    deps = installed_deps(project.root, project.lock.hex_versions())
    if not deps:
        return DepsPlan(None, [], f"{project.root / 'deps'} holds none of phoenix_live_view, phoenix, phoenix_html, "
                                  "phoenix_ecto or ecto (run mix deps.get there), so there are no deps docs to add.")
    return DepsPlan(deps_index.cache_key(project.lock.data, deps), deps, None)


def _build(job: Job) -> None:
    """Reads the cached index or, without one, builds it (and caches it), once a call has asked for it."""
    job.asked.wait(PRELOAD_WAIT_S)
    time.sleep(BUILD_DELAY_S)
    try:
        job.index = deps_index.read_cache(job.key)
        if job.index is None:
            limits = Limits.from_env()
            with _building, deps_index.build_lock(job.key, limits.deps_index_timeout_s + BUILD_DELAY_S):
                job.index = deps_index.read_cache(job.key)  # built meanwhile by another process
                if job.index is None:
                    job.index, data = deps_worker.build_isolated(job.key, job.deps, limits)
                    deps_index.write_cache(job.index, data)
    except deps_worker.BuildFailed as exc:
        job.problem = f"The deps docs were not indexed: {exc}."
    except Exception as exc:  # noqa: BLE001 - a failed build must only cost the deps hits, never the server
        job.problem = f"Indexing the deps docs failed ({type(exc).__name__}: {exc})."
    finally:
        job.ready.set()


def _remember(job: Job) -> None:
    _jobs[job.key] = job
    _jobs.move_to_end(job.key)
    while len(_jobs) > MAX_PROJECTS:
        oldest = next((k for k, j in _jobs.items() if j.ready.is_set()), None)
        if oldest is None:
            break
        del _jobs[oldest]


def current(project: Project) -> tuple[deps_index.DepsIndex | None, str | None]:
    """The project's deps index if it is ready or cached, else (None, a note saying why or that it is
    being built). Starts the build thread when there is neither."""
    deps_plan = plan(project)
    if deps_plan.key is None:
        return None, deps_plan.problem
    with _lock:
        job = _jobs.get(deps_plan.key)
        if job is None:
            size = deps_index.cache_size(deps_plan.key)
            cached = deps_index.read_cache(deps_plan.key) if size is not None and size <= SYNC_LOAD_BYTES else None
            job = Job(deps_plan.key, deps_plan.deps, index=cached)
            if cached is not None:
                job.ready.set()
            else:  # built, or a large cache read, off the caller's path
                threading.Thread(target=_build, args=(job,), name=f"deps-index-{job.key[:8]}").start()
        _remember(job)
        job.asked.set()
    if not job.ready.is_set():
        versions = ", ".join(f"{d.package} {d.version}" for d in job.deps)
        return None, (f"The docs of this project's deps ({versions}) are being indexed in the background; "
                      "they join search results in a few seconds.")
    if job.index is not None and job.index.notes:
        return job.index, " ".join(job.index.notes)
    return job.index, job.problem


def preload(project: Project) -> threading.Thread | None:
    """Prepares the project's index in the background (read from the cache, or built) after the first call
    that asks for it, so no call reads the cache on its own path: a server given --project calls this at
    start-up. Returns the thread (tests join it), or None when there is nothing to index or it is under way."""
    deps_plan = plan(project)
    if deps_plan.key is None:
        return None
    with _lock:
        if deps_plan.key in _jobs:
            return None
        job = Job(deps_plan.key, deps_plan.deps)
        _remember(job)
    thread = threading.Thread(target=_build, args=(job,), name=f"deps-index-{job.key[:8]}")
    thread.start()
    return thread


def wait(project: Project, timeout: float | None = None) -> bool:
    """Starts the project's deps index if needed and waits for it; True when it is ready (benchmarks and
    tests observe the build with this, never with timings)."""
    current(project)
    deps_plan = plan(project)
    with _lock:
        job = _jobs.get(deps_plan.key) if deps_plan.key else None
    return job is not None and job.ready.wait(timeout)


def latest() -> deps_index.DepsIndex | None:
    """The most recently used ready index (for reading a deps resource when the caller names no project)."""
    with _lock:
        for job in reversed(_jobs.values()):
            if job.ready.is_set() and job.index is not None:
                return job.index
    return None


def forget() -> None:
    """Drops the indexes held in memory (the disk cache stays): a fresh process, for tests and benchmarks."""
    with _lock:
        _jobs.clear()
