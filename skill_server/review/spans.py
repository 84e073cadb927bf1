"""Which of a set of nodes holds a given node, answered from their byte spans instead of a walk up through
`node.parent`: tree-sitter finds a node's parent by walking down from the root, so a walk up from a node costs
the square of its depth, and one from every node of a deeply nested file takes minutes (audit 8 D6). The spans
of a tree's nodes nest or are apart, so the innermost span holding a node is found by a binary search and a
short climb through the spans that hold one another (as deep as they nest, never the tree's depth)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Generic, Iterable, TypeVar

from tree_sitter import Node

Value = TypeVar("Value")


@dataclass(frozen=True)
class Spans(Generic[Value]):
    starts: list[int]
    ends: list[int]
    values: list[Value]
    holders: list[int]  # index of the innermost span holding span i, or -1


def spans(items: Iterable[tuple[int, int, Value]]) -> Spans[Value]:
    """An index of (start byte, end byte, value) spans that nest or are apart (the spans of tree nodes)."""
    ordered = sorted(items, key=lambda item: (item[0], -item[1]))
    holders: list[int] = []
    open_spans: list[int] = []
    for index, (_, end, _) in enumerate(ordered):
        while open_spans and ordered[open_spans[-1]][1] < end:
            open_spans.pop()
        holders.append(open_spans[-1] if open_spans else -1)
        open_spans.append(index)
    return Spans([s for s, _, _ in ordered], [e for _, e, _ in ordered], [v for _, _, v in ordered], holders)


def innermost(index: Spans[Value], node: Node, around: bool = False) -> Value | None:
    """The value of the innermost span holding all of `node`, or None; with `around`, a span that is just the
    node's own (the node itself, or a node of the same text) does not count."""
    start, end = node.start_byte, node.end_byte
    at = bisect_right(index.starts, start) - 1
    while at >= 0 and (index.ends[at] < end or (around and index.starts[at] == start and index.ends[at] == end)):
        at = index.holders[at]
    return index.values[at] if at >= 0 else None
