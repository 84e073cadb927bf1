"""Tree-sitter parsers for the languages we generate and review (elixir, heex, javascript, css).

Grammars come bundled in tree-sitter-language-pack 0.13.0, so this works offline."""

from __future__ import annotations

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


def parse(language: str, source: str | bytes) -> Tree:
    data = source.encode("utf-8") if isinstance(source, str) else source
    if language == "heex":
        for attribute in _NEWER_HEEX_SPECIAL_ATTRIBUTES:
            data = data.replace(attribute, b"x" + attribute[1:])
    return parser_for(language).parse(data)


def problem_nodes(node: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes under `node`, outermost first (iterative: trees can be very deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            yield current
        elif current.has_error:
            stack.extend(reversed(current.children))
