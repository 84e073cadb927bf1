"""Tree-sitter parsers for the languages we generate and review (elixir, heex, javascript, css).

Grammars come bundled in tree-sitter-language-pack 0.13.0, so this works offline."""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Iterator

from tree_sitter import Node, Parser, Tree

PARSER_NAMES = {"elixir": "elixir", "heex": "heex", "javascript": "javascript", "css": "css"}


@lru_cache(maxsize=None)
def parser_for(language: str) -> Parser:
    from tree_sitter_language_pack import get_parser

    if language not in PARSER_NAMES:
        raise ValueError(f"no parser for {language!r}; known: {', '.join(PARSER_NAMES)}")
    return get_parser(PARSER_NAMES[language])


# Special attributes newer than the bundled tree-sitter-heex grammar (which knows :for, :if and :let):
# `:type` and `:key` (LiveView 1.1: colocated hooks and JS, keyed comprehensions). They are renamed to a plain attribute of the
# same length before parsing, so positions stay exact.
_NEWER_HEEX_SPECIAL_ATTRIBUTES = (b":type=", b":key=")


class ParseTooSlow(Exception):
    """A parse ran past the deadline set with `parse_deadline` (error recovery on hostile input can take
    seconds per megabyte); the message says how long it was given."""


_deadline: ContextVar[tuple[float, float] | None] = ContextVar("parse_deadline", default=None)
# Bytes handed to the parser at a time when a deadline is set: the deadline is checked between chunks, and error
# recovery can be super-linear (JavaScript's on `a{:` repeated: 8 KB takes 20 s, the last 256 bytes of it over a
# second), so a chunk is small enough that a parse stops close to its deadline on any input.
CHUNK = 256


@contextmanager
def parse_deadline(seconds: float):
    """Every parse inside the block, together, gets `seconds`; past them `parse` raises ParseTooSlow."""
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def parse(language: str, source: str | bytes) -> Tree:
    data = source.encode("utf-8") if isinstance(source, str) else source
    if language == "heex":
        for attribute in _NEWER_HEEX_SPECIAL_ATTRIBUTES:
            data = data.replace(attribute, b"x" + attribute[1:])
    deadline = _deadline.get()
    if deadline is None:
        return parser_for(language).parse(data)
    cut = False

    def read(offset: int, _point) -> bytes:  # tree-sitter asks for text as it goes: past the deadline, no more
        nonlocal cut
        if time.monotonic() > deadline[0]:
            cut = offset < len(data)
            return b""
        return data[offset : offset + CHUNK]

    parser = parser_for(language)
    started = time.monotonic()
    tree = parser.parse(read)
    if cut:
        raise ParseTooSlow(f"parsing it took over {deadline[1]:g} s")
    # A tree read through a callback has no text of its own (node.text would call back for every node): parse the
    # bytes again with it as the old tree, which reuses every node and costs next to nothing, except the parts
    # in error, which are parsed again: a tree with errors may cost as much again, so it must fit the deadline.
    now = time.monotonic()
    if tree.root_node.has_error and now + (now - started) > deadline[0]:
        raise ParseTooSlow(f"parsing it took over {deadline[1]:g} s")
    return parser.parse(data, old_tree=tree)


def problem_nodes(node: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes under `node`, outermost first (iterative: trees can be very deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            yield current
        elif current.has_error:
            stack.extend(reversed(current.children))
