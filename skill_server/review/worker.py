"""Reviews in worker processes, so that no input can freeze or exhaust the process that asked for them.

Parsing and regex work hold the GIL, so a review running in a thread of the MCP server stops every other
request; a process can also be given a memory cap and be killed. The caller sends a job to an idle
worker and waits on the pipe (no GIL held), at most the review time limit; when the limit passes, or the
caller cancels (a client's notifications/cancelled, a client that disconnects, an aborted HTTP request),
the worker is killed and the result says which rules did not run. Workers start on the first review,
not with the server, and are reused; one that was killed, crashed or grew large is replaced.

The worker (`python -m skill_server.review.worker MEMORY_MB PARENT_PID [--die-with-parent]`) imports the
review engine, caps its address space (RLIMIT_AS), then reads jobs from stdin and writes the events of
`review.engine.run_rules` to stdout, one frame each (4-byte length, JSON), ending a job with
("end", peak RSS in KB). It exits on EOF. A CPU-time limit per job ends it if nobody is left to kill it,
and with --die-with-parent (Linux) it dies with the thread that started it."""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict

from ..errors import ServerBusy
from ..limits import Limits
from ..models import ReviewResult
from .engine import ReviewJob, RuleRun, assemble, prepare

HEADER = struct.Struct(">I")
POLL_S = 0.1  # how often a waiting caller looks at its cancel flag
SOFT_SHARE = 0.9  # the worker stops starting rules at this share of the time limit, and ends cleanly
RETIRE_SHARE = 0.5  # a worker whose peak memory passed this share of its cap is replaced
CANCEL_GRACE_S = 0.5  # a cancelled review that ends within this keeps its worker: killing every cancelled worker at
# once let a client that cancels small reviews make the server fork and import a new worker per request


class Cancelled(Exception):
    """The caller gave up on the review (its client cancelled or went away). The worker was killed, unless
    the review ended within CANCEL_GRACE_S of the cancel (`worker_reusable` then says whether to keep it)."""

    def __init__(self, worker_reusable: bool = False) -> None:
        super().__init__()
        self.worker_reusable = worker_reusable


# --- the caller's side ------------------------------------------------------------------------------------------
class Worker:
    def __init__(self, memory_mb: int) -> None:
        args = [sys.executable, "-m", "skill_server.review.worker", str(memory_mb), str(os.getpid())]
        if threading.current_thread() is threading.main_thread():
            args.append("--die-with-parent")  # the kernel signal follows the thread that forks: only the main one lives on
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        close_fds=True)
        self.memory_mb = memory_mb

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def run(self, job: ReviewJob, timeout_s: float, cancel: threading.Event | None) -> tuple[RuleRun, bool]:
        """(what the rules produced, whether the worker can be used again). Kills the worker at the time
        limit or when `cancel` is set (then raises Cancelled)."""
        started = time.monotonic()
        run = RuleRun()
        payload = json.dumps({"job": asdict(job), "budget_s": timeout_s * SOFT_SHARE, "cpu_s": timeout_s + 2},
                             ensure_ascii=False).encode("utf-8")
        try:
            self.process.stdin.write(HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()
        except OSError:
            run.stopped = "The review process could not be reached; no rule ran."
            self.kill()
            return run, False
        reader = _FrameReader(self.process.stdout.fileno())
        cancelled_at = None
        while True:
            if cancel is not None and cancel.is_set():
                cancelled_at = cancelled_at if cancelled_at is not None else time.monotonic()
                if time.monotonic() - cancelled_at > CANCEL_GRACE_S:
                    self.kill()
                    raise Cancelled()
            left = started + timeout_s - time.monotonic()
            if left <= 0:
                self.kill()
                run.stopped = _cut_short(run, f"the {timeout_s:g} s review time limit ran out")
                return run, False
            frame = reader.next(min(left, POLL_S))
            if frame is None:
                continue
            if frame is EOF:
                code = self.process.wait()
                self.kill()
                if run.stopped is None:
                    run.stopped = _cut_short(run, f"the review process stopped ({_exit_reason(code)})")
                return run, False
            event = json.loads(frame)
            if event[0] == "end":
                reusable = event[1] // 1024 < self.memory_mb * RETIRE_SHARE
                if cancelled_at is not None:
                    raise Cancelled(worker_reusable=reusable)
                return run, reusable
            if event[0] == "failed":
                run.stopped = _cut_short(run, event[1])
                continue
            run.add(event)


def _cut_short(run: RuleRun, why: str) -> str:
    """The note for a review a limit stopped: where it was and why."""
    if run.parse_ok is None:
        return f"The review stopped while parsing: {why}; no rule ran."
    running = next((slug for slug in run.planned if slug not in run.finished and slug not in run.failed), None)
    where = f"while rule {running} was running" if running else "after the last rule"
    return f"The review stopped {where}: {why}; results are partial."


def _exit_reason(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        return f"signal {name}: probably its memory limit"
    return f"exit status {code}"


EOF = object()


class _FrameReader:
    """Frames from a pipe, waiting at most a given time for each (select: no thread holds the GIL)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def next(self, wait_s: float):
        while True:
            if len(self.buffer) >= HEADER.size:
                (size,) = HEADER.unpack_from(self.buffer)
                if len(self.buffer) >= HEADER.size + size:
                    frame = bytes(self.buffer[HEADER.size : HEADER.size + size])
                    del self.buffer[: HEADER.size + size]
                    return frame
            ready, _, _ = select.select([self.fd], [], [], max(0.0, wait_s))
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return EOF
            self.buffer.extend(chunk)
            wait_s = 0.0


class WorkerPool:
    """Worker processes of one memory cap, started on demand and reused; at most `size` run at once."""

    def __init__(self, memory_mb: int, size: int) -> None:
        self.memory_mb = memory_mb
        self.size = size
        self.slots = threading.BoundedSemaphore(size)
        self.idle: list[Worker] = []
        self.lock = threading.Lock()
        self.waiting = 0
        self.busy: set[Worker] = set()

    def prestart(self, count: int) -> None:
        """Start workers now (call from the main thread, so they die with this process even if killed)."""
        with self.lock:
            while len(self.idle) < min(count, self.size):
                self.idle.append(Worker(self.memory_mb))

    def review(self, job: ReviewJob, limits: Limits, cancel: threading.Event | None = None) -> RuleRun:
        """Runs the job's rules in a worker, under the limits. Raises ServerBusy when too many callers wait
        for a slot or no slot frees within `review_wait_s`, Cancelled when `cancel` is set meanwhile."""
        if not self.slots.acquire(blocking=False):  # only a review that finds every worker busy waits
            self._wait_for_slot(limits, cancel)
        try:
            worker = self._checkout()
            try:
                run, reusable = worker.run(job, limits.review_timeout_s, cancel)
            except Cancelled as cancelled:
                if cancelled.worker_reusable and worker.alive:
                    with self.lock:
                        self.idle.append(worker)
                else:
                    worker.kill()
                raise
            except BaseException:
                worker.kill()
                raise
            finally:
                with self.lock:
                    self.busy.discard(worker)
            if reusable and worker.alive:
                with self.lock:
                    self.idle.append(worker)
            else:
                worker.kill()
            return run
        finally:
            self.slots.release()

    def _wait_for_slot(self, limits: Limits, cancel: threading.Event | None) -> None:
        with self.lock:
            if self.waiting >= limits.waiting_reviews:
                raise ServerBusy(f"{self.waiting} reviews are already waiting for one of {self.size} review "
                                 "workers; try again in a few seconds")
            self.waiting += 1
        deadline = time.monotonic() + limits.review_wait_s
        try:
            while not self.slots.acquire(timeout=POLL_S):
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if time.monotonic() > deadline:
                    raise ServerBusy(f"all {self.size} review workers stayed busy for {limits.review_wait_s:g} s; "
                                     "try again in a few seconds")
        finally:
            with self.lock:
                self.waiting -= 1

    def _checkout(self) -> Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.alive:
                    self.busy.add(worker)
                    return worker
                worker.kill()
        worker = Worker(self.memory_mb)
        with self.lock:
            self.busy.add(worker)
        return worker

    def shutdown(self) -> None:
        with self.lock:
            workers = [*self.idle, *self.busy]
            self.idle.clear()
        for worker in workers:
            worker.kill()


def review_isolated(code: object, filename: object = None, liveview_version: str | None = None, strict: bool = False,
                    limits: Limits | None = None, cancel: threading.Event | None = None) -> ReviewResult:
    """review_source, with the rules run in a worker process under `limits`. The input is checked here
    (InputError); a review a limit cut short comes back with complete=False and a note."""
    started = time.perf_counter()
    job = prepare(code, filename, liveview_version, strict)
    limits = limits or Limits.from_env()
    return assemble(job, pool_for(limits).review(job, limits, cancel), started)


class Admission:
    """The reviews a server has taken on (running or waiting), counted before each gets a thread: past
    `review_workers + waiting_reviews` a review is refused at once, so a flood of reviews takes no threads
    from other requests and waits for nothing. A review keeps its place until its thread is done with the
    pool, also when its caller was cancelled and left at once: the count never falls below what the pool
    holds, so the pool never refuses a review this admitted."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def run(self, review, limits: Limits, cancel: threading.Event):
        """review() in a worker thread, awaited; ServerBusy at once when the places are taken. Cancelling
        the caller sets `cancel` and returns without waiting; the place is given back when the thread
        ends, or at once if it never started."""
        import anyio

        with self.lock:
            if self.count >= limits.review_workers + limits.waiting_reviews:
                raise ServerBusy(f"{self.count} reviews are already running or waiting for one of "
                                 f"{limits.review_workers} review workers; try again in a few seconds")
            self.count += 1
        state = {"thread": "queued"}  # -> "running" (the thread gives the place back) or "abandoned" (the caller does)

        def in_thread():
            with self.lock:
                if state["thread"] == "abandoned":
                    return None
                state["thread"] = "running"
            try:
                return review()
            finally:
                self._leave()

        try:
            return await anyio.to_thread.run_sync(in_thread, abandon_on_cancel=True)
        except BaseException:
            cancel.set()
            with self.lock:
                never_started = state["thread"] == "queued"
                state["thread"] = "abandoned"
            if never_started:
                self._leave()
            raise

    def _leave(self) -> None:
        with self.lock:
            self.count -= 1


ADMISSION = Admission()
_pools: dict[tuple[int, int], WorkerPool] = {}
_pools_lock = threading.Lock()


def pool_for(limits: Limits) -> WorkerPool:
    """The process's pool for these limits (workers with another memory cap cannot be shared)."""
    key = (limits.review_memory_mb, limits.review_workers)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = WorkerPool(*key)
        return _pools[key]


def shutdown_all() -> None:
    """Stops every worker of every pool (the server's exit path; also run at interpreter exit, so that a CLI
    run or a test that reviewed leaves no worker running behind it)."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.shutdown()


atexit.register(shutdown_all)


# --- the worker's side ------------------------------------------------------------------------------------------
def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(0)


def _send(out, event) -> None:
    data = json.dumps(event, ensure_ascii=False).encode("utf-8", "replace")
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def _read_exact(stream, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data.extend(chunk)
    return bytes(data)


def serve(memory_mb: int) -> None:
    import resource

    from ..parsing import parser_for
    from .engine import run_rules
    from .registry import all_rules

    all_rules()
    for language in ("elixir", "heex", "javascript", "css"):
        parser_for(language)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    cap = memory_mb * 1024 * 1024 if hard == resource.RLIM_INFINITY else min(memory_mb * 1024 * 1024, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):  # not enforceable here (macOS): the time limit still holds
        pass
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    source = sys.stdin.buffer
    out = os.fdopen(os.dup(1), "wb")  # frames go to a private copy of stdout; a stray print cannot corrupt them
    os.dup2(2, 1)
    while True:
        header = _read_exact(source, HEADER.size)
        if header is None:
            return
        request = json.loads(_read_exact(source, HEADER.unpack(header)[0]) or b"null")
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        used = int(cpu.ru_utime + cpu.ru_stime)
        soft = used + int(request["cpu_s"]) + 1
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (soft if cpu_hard == resource.RLIM_INFINITY else min(soft, cpu_hard),
                                                     cpu_hard))
        except (ValueError, OSError):
            pass
        job = ReviewJob(**{**request["job"], "notes": tuple(request["job"]["notes"])})
        try:
            for event in run_rules(job, budget_s=request["budget_s"]):
                _send(out, event)
        except MemoryError:
            _send(out, ["failed", f"it needed more than the {memory_mb} MB memory limit"])
            return  # exit: after a MemoryError outside a rule, this process's state is not worth keeping
        except RecursionError:
            _send(out, ["failed", "the code nests too deeply to review"])
        except Exception as exc:  # a rule's bug must not pass for a clean review: report it as cut short
            _send(out, ["failed", f"internal error {type(exc).__name__} (please report it)"])
        _send(out, ["end", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss])


def main(argv: list[str]) -> None:
    memory_mb, parent = int(argv[0]), int(argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the caller, which kills its workers
    if "--die-with-parent" in argv:
        _die_with_parent(parent)
    try:
        serve(memory_mb)
    except (BrokenPipeError, KeyboardInterrupt):
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
