"""The resource limits that keep one input from freezing, exhausting or fooling the server: review time and
memory, review workers, the deps-docs index worker, concurrent tool calls, message sizes and HTTP connection limits.

Defaults are far above what real code needs (a 3,000-line LiveView module reviews in a fraction of a
second and a few tens of MB) and far below what hurts a machine. Each can be set by an environment
variable (LIVEVIEW_SKILL_<NAME>, e.g. LIVEVIEW_SKILL_REVIEW_TIMEOUT_S=20) and by a CLI flag of `serve` and
`review` (`--review-timeout`, `--review-memory`, ...), which wins."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace

from .errors import InputError


@dataclass(frozen=True)
class Limits:
    review_timeout_s: float = 10.0  # wall time of one review (one file); the worker is killed after it
    review_total_s: float = 600.0  # wall time of a whole project review (CLI, edit hook); the rest is listed unreviewed
    review_memory_mb: int = 1536  # address space of a review worker process (RLIMIT_AS)
    review_workers: int = 2  # review worker processes at once; more reviews wait for one
    waiting_reviews: int = 8  # reviews allowed to wait for a worker (each holds up to 2 MB); more are refused at once
    review_wait_s: float = 20.0  # longest wait for a review worker; then the review is refused as busy
    concurrent_calls: int = 8  # other tool calls (search, recommend...) running at once
    waiting_calls: int = 64  # other tool calls allowed to wait for a slot; more are refused as busy
    call_wait_s: float = 5.0  # longest wait of another tool call for a slot; then it is refused as busy (audit 13 A13-16)
    message_bytes: int = 8 * 1024 * 1024  # one stdio line or HTTP body
    http_connections: int = 256  # open HTTP connections; more are closed at once
    http_body_bytes_in_flight: int = 32 * 1024 * 1024  # of HTTP bodies being read at once; past it, 503
    http_header_timeout_s: float = 10.0  # to send a request's headers and body, from connect or keep-alive
    http_keepalive_s: float = 5.0  # idle time before a kept-alive connection is closed
    deps_index_timeout_s: float = 60.0  # wall and CPU time of building a project's deps docs index (a real app's: 1-3 s)
    deps_index_memory_mb: int = 1024  # address space of the deps-index worker process (RLIMIT_AS)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        values = {}
        for spec in fields(cls):
            raw = environ.get("LIVEVIEW_SKILL_" + spec.name.upper())
            if raw is not None:
                values[spec.name] = _number(spec.name, raw, float if spec.type == "float" else int)
        return cls().with_values(**values)

    def with_values(self, **values) -> Limits:
        """A copy with some limits changed (None leaves one as it is); each must be positive."""
        changed = replace(self, **{k: v for k, v in values.items() if v is not None})
        for spec in fields(changed):
            value = getattr(changed, spec.name)
            if not math.isfinite(value) or value <= 0:  # nan and inf would pass a plain comparison
                raise InputError(f"{spec.name.replace('_', ' ')} must be a positive finite number")
        if changed.review_memory_mb < 256:
            raise InputError("review memory must be at least 256 MB: a worker needs about 50 MB to start")
        if changed.http_body_bytes_in_flight < changed.message_bytes:
            raise InputError("the HTTP bodies in flight must allow at least one message of the largest size")
        if changed.deps_index_memory_mb < 256:
            raise InputError("deps index memory must be at least 256 MB: its worker needs about 50 MB to start")
        return changed


def _number(name: str, raw: str, kind: type) -> float | int:
    text = raw.strip()
    if len(text) > 20 or not text.isascii():
        raise InputError(f"LIVEVIEW_SKILL_{name.upper()} must be a number")
    try:
        return kind(text)
    except ValueError:
        raise InputError(f"LIVEVIEW_SKILL_{name.upper()} must be a{'n integer' if kind is int else ' number'}, "
                         f"got {text!r}") from None



class CallGate:
    """Runs tool calls in worker threads, at most `concurrent_calls` at once; when `waiting_calls` more
    already wait, a call is refused as busy instead of queueing without end."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self._loop = None
        self._limiter = None

    async def run(self, fn, *args, **kwargs):
        import asyncio
        import functools

        import anyio

        from .errors import ServerBusy

        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a limiter belongs to one event loop
            self._loop, self._limiter = loop, anyio.CapacityLimiter(self.limits.concurrent_calls)
        if self._limiter.statistics().tasks_waiting >= self.limits.waiting_calls:
            raise ServerBusy(f"{self.limits.waiting_calls} calls are already waiting; try again in a few seconds")
        # A flood of cheap calls must not hold every other client's calls for half a minute: a call that cannot
        # start within call_wait_s is refused as busy, as a review that waits too long for a worker is.
        try:
            with anyio.fail_after(self.limits.call_wait_s):
                await self._limiter.acquire()
        except TimeoutError:
            raise ServerBusy(f"the server stayed busy for {self.limits.call_wait_s:g} s; try again in a few "
                             "seconds") from None
        try:
            return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))
        finally:
            self._limiter.release()


def env_number(name: str, default: float | int) -> float | int:
    """A module-level setting from LIVEVIEW_SKILL_<NAME> (read at import, before any command can report an
    error): a value that is not a positive finite number of the default's kind is ignored with a one-line
    warning on stderr, never a traceback."""
    raw = os.environ.get(f"LIVEVIEW_SKILL_{name}")
    if raw is None:
        return default
    try:
        value = _number(name.lower(), raw, type(default))
        if not math.isfinite(value) or value <= 0:
            raise InputError("not positive")
    except InputError:
        import sys

        print(f"liveview-skill: ignoring LIVEVIEW_SKILL_{name}={raw[:20]!r} (not a positive number); using {default}",
              file=sys.stderr)
        return default
    return value

