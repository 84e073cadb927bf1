"""Builds a deps index in a worker process, so that a hostile deps/ cannot exhaust or freeze the server.

Reading, parsing and BM25-indexing a project's deps holds the GIL and can take memory in proportion to
what deps/ holds; in a process it gets an address-space cap (RLIMIT_AS), a CPU-time cap (RLIMIT_CPU) and a
wall-time limit after which it is killed. The caller's thread waits on the pipe (no GIL held), so the
server answers other requests meanwhile. The worker (`python -m skill_server.project.deps_worker
PARENT_PID`) reads one job (JSON) from stdin and writes the index's cache JSON (at most
deps_index.MAX_CACHE_BYTES) or `!` and a one-line reason to stdout, then exits; it dies with the thread
that started it (Linux)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from ..limits import Limits
from . import deps_index
from .deps_files import Budget, InstalledDep


class BuildFailed(Exception):
    """The worker stopped at a limit, crashed or refused the index; the message says why."""


def build_isolated(key: str, deps: list[InstalledDep], limits: Limits | None = None) -> tuple[deps_index.DepsIndex, bytes]:
    """(the index, its cache JSON), built in a worker process under the deps-index limits."""
    limits = limits or Limits.from_env()
    job = {"key": key, "deps": [{"package": d.package, "version": d.version, "lib": str(d.lib)} for d in deps],
           "budget": asdict(Budget.current()), "memory_mb": limits.deps_index_memory_mb,
           "cpu_s": limits.deps_index_timeout_s}
    process = subprocess.Popen([sys.executable, "-m", "skill_server.project.deps_worker", str(os.getpid())],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               close_fds=True)
    try:
        out, _ = process.communicate(json.dumps(job).encode(), timeout=limits.deps_index_timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise BuildFailed(f"it ran past the {limits.deps_index_timeout_s:g} s limit") from None
    if out.startswith(b"!"):
        raise BuildFailed(out[1:].decode("utf-8", "replace").strip()[:300])
    if process.returncode != 0 or not out:
        code = process.returncode
        why = f"signal {-code}" if code < 0 else f"exit code {code}"
        raise BuildFailed(f"the indexing process stopped ({why}): over the {limits.deps_index_memory_mb} MB "
                          f"memory or the {limits.deps_index_timeout_s:g} s CPU limit")
    index = deps_index.from_json(out, key)
    if index is None:
        raise BuildFailed("the indexing process sent back an invalid index")
    return index, out


# --- the worker's side ------------------------------------------------------------------------------------------
def _limit(memory_mb: int, cpu_s: float) -> None:
    import resource

    for which, value in ((resource.RLIMIT_AS, memory_mb * 1024 * 1024), (resource.RLIMIT_CPU, int(cpu_s) + 1)):
        hard = resource.getrlimit(which)[1]
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(which, (cap, hard if which == resource.RLIMIT_CPU else cap))
        except (ValueError, OSError):  # not enforceable here (macOS): the wall-time kill still holds
            pass


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the caller died before the signal was armed
        os._exit(0)


def main(argv: list[str]) -> None:
    _die_with_parent(int(argv[0]))
    job = json.loads(sys.stdin.buffer.read())
    _limit(int(job["memory_mb"]), float(job["cpu_s"]))
    out = sys.stdout.buffer
    deps = [InstalledDep(d["package"], d["version"], Path(d["lib"])) for d in job["deps"]]
    try:
        data = deps_index.to_json(deps_index.build(job["key"], deps, Budget(**job["budget"])))
    except MemoryError:
        data = f"!it needed more than the {job['memory_mb']} MB memory limit".encode()
    except RecursionError:
        data = b"!a deps file nests too deeply to read"
    except deps_index.CacheTooLarge as exc:
        data = f"!{exc}".encode()
    out.write(data)
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
