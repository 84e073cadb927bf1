"""Limits a rule stopped reading at (audit 13).

A rule, or a helper it calls, that stops at a cap (the first N callers, clauses or scripts) or a spent budget says
so with `reached(what)`. The engine collects what each rule reached while it ran (`watching`), turns it into a note
and marks the review incomplete, so a gate never passes code a rule did not read. Caps that real code reaches are
the wrong tool: those paths read everything and bound their cost instead; what is left here guards hostile input.

Functions whose results are cached across reviews must return what they reached with their result and call
`reached` on every use, or a second review of the same code would not say it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reached: ContextVar[list[str] | None] = ContextVar("reading_limits_reached", default=None)
_scratch: ContextVar[dict | None] = ContextVar("reading_limits_scratch", default=None)


def reached(what: str) -> None:
    """Records that the running rule stopped reading at a limit; `what` names it in a user's words."""
    found = _reached.get()
    if found is not None and what not in found:
        found.append(what)


def shared_budget(key: tuple, size: int) -> list[int]:
    """A budget shared by everything the running rule reads under `key` (a module's helpers across its clauses),
    `[what is left]`, made at `size` the first time; outside a rule run, a fresh one each time."""
    scratch = _scratch.get()
    if scratch is None:
        return [size]
    return scratch.setdefault(key, [size])


@contextmanager
def watching() -> Iterator[list[str]]:
    """The limits reached by the code run inside the block, in the order they were reached; budgets made inside
    it last until it ends."""
    found: list[str] = []
    token, scratch_token = _reached.set(found), _scratch.set({})
    try:
        yield found
    finally:
        _reached.reset(token)
        _scratch.reset(scratch_token)
