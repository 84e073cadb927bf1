"""The shape limits of one review: how many syntax nodes and how deep a nesting the rules are run on.

Rules read a file through its tree: they walk every node, and many look at a node's whole text, its
subtree or its ancestors. On real code both stay small (over 3,000 files of public LiveView apps: at
most 48,266 nodes in one file, an 864 KB icon module, and 53 levels of nesting), so that work is linear.
Pasted code can be 2 MB of `%{a: %{a: ...`, `[[[`, `<div><div>`, `fn -> fn -> ...`, `@media {` or
`f(f(f(...` : millions of nodes, or a nesting as deep as the file is long, where every "look at this
node's text" costs the rest of the file and the review grows with the square of its size.

So a tree (the file's, each ~H template's, and each colocated hook script's, which the hook rules read as
JavaScript) is measured right after parsing, which costs a few C calls per node and stops at the limit:
over MAX_NODES nodes or MAX_DEPTH levels the rules are not run at all, and the review says so (complete=false, every rule in rules_not_run, a note with the figure). Both limits
are several times what real code reaches; they can be raised by LIVEVIEW_SKILL_REVIEW_MAX_NODES and
LIVEVIEW_SKILL_REVIEW_MAX_DEPTH for a file that really needs it."""

from __future__ import annotations

from tree_sitter import Node

from ..limits import env_number

MAX_NODES = env_number("REVIEW_MAX_NODES", 250_000)
MAX_DEPTH = env_number("REVIEW_MAX_DEPTH", 400)


SAMPLED_FROM = 256 * 1024  # inputs at least this large are sampled before the whole is parsed
SAMPLES = 8  # windows spread over the input
SAMPLE_BYTES = 8 * 1024


class TooLarge(Exception):
    """The code's tree is over a shape limit; the message says which, for the review's note."""


def depth_over(root: Node, limit: int) -> bool:
    """Whether any node lies more than `limit` levels below `root`. A cursor walk that enters a node only
    when its subtree has enough nodes to reach past the limit (a subtree of k nodes is at most k - 1 levels
    deep): on real code it visits a few nodes near the top, on deep nesting it stops at the limit."""
    cursor = root.walk()
    depth = 0
    while True:
        if depth > limit:
            return True
        if depth + cursor.node.descendant_count - 1 > limit and cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if depth == 0 or not cursor.goto_parent():
                return False
            depth -= 1


def check_tree(root: Node, what: str, nodes_before: int = 0) -> int:
    """The node count of `root` plus `nodes_before` (the file's trees measured so far); raises TooLarge
    when the total is over MAX_NODES or the tree nests deeper than MAX_DEPTH."""
    total = nodes_before + root.descendant_count
    if total > MAX_NODES:
        raise TooLarge(f"{what} has {total:,} syntax nodes, over the {MAX_NODES:,} a review reads "
                       "(the largest real LiveView files have about 50,000)")
    if depth_over(root, MAX_DEPTH):
        raise TooLarge(f"{what} nests more than {MAX_DEPTH} levels deep (real code that parses stays under 60)")
    return total


def check_samples(language: str, data: bytes) -> None:
    """Before parsing a large input whole: parse SAMPLES windows spread over it and raise TooLarge when their
    node density puts the whole far over MAX_NODES (twice: a window cut mid-token reads a little denser).
    Parsing hostile text can cost several microseconds a byte (10 s for 2 MB of `a{:`), so a tree the node
    limit would refuse anyway is not built. Deterministic: the same input gives the same answer."""
    from ..parsing import parse

    if len(data) < SAMPLED_FROM:
        return
    step = (len(data) - SAMPLE_BYTES) // (SAMPLES - 1)
    nodes = sum(parse(language, data[n * step : n * step + SAMPLE_BYTES]).root_node.descendant_count
                for n in range(SAMPLES))
    estimate = nodes * len(data) // (SAMPLES * SAMPLE_BYTES)
    if estimate > 2 * MAX_NODES:
        raise TooLarge(f"the code has about {estimate:,} syntax nodes (estimated from {SAMPLES} samples), over the "
                       f"{MAX_NODES:,} a review reads (the largest real LiveView files have about 50,000)")


def note(exc: Exception) -> str:
    return (f"Not reviewed: {exc}. No rule ran; split the code or review a smaller part. "
            "(LIVEVIEW_SKILL_REVIEW_MAX_NODES / LIVEVIEW_SKILL_REVIEW_MAX_DEPTH / LIVEVIEW_SKILL_REVIEW_PARSE_S raise the "
            "limits.)")
