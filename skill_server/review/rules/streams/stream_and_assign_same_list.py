"""## What it does
Flags a collection kept both as a stream (`stream(socket, :posts, ...)`) and as an assign with the same
name (`assign(socket, :posts, ...)`).

## Why is this bad?
The point of a stream is not keeping the items in server memory; an assign of the same list keeps them
anyway, and the two copies drift apart as items are inserted and deleted.

## Example
```elixir
socket |> stream(:posts, posts) |> assign(:posts, posts)
```

## Use instead
Keep the stream, and a count or the few fields you need in separate assigns (`assign(:post_count, ...)`).

## False positives
An assign and a stream filled from two different named sources (`stream(:items, @initial_items)` beside
`assign(:items, Demo.flat_items())`: a module attribute, a call, a literal list) are two collections that share
a name, not one list kept twice, and are not flagged; a query of records (`list_*`, `Repo.all`) is the stream's data
whatever it is called, and is. `stream_async/4` assigns an `AsyncResult` under the stream's name by design and is not flagged, nor is
a hand-written `AsyncResult` status assign (loading/failed) beside the stream.

## Severity and confidence
Warning: memory doubled and two sources of truth, not a crash. High confidence when the same data feeds both.

## References
knowledge: streams#streams-or-assigns
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="stream_and_assign_same_list", code="LV303", family="streams", severity="warning", confidence="high",
    languages=("elixir",), summary="The same collection is kept as a stream and as an assign.",
    fix="Keep only the stream; assign counts or derived values separately.", cites="streams#streams-or-assigns",
)


def _name(node, piped: bool) -> str | None:
    args = call_arguments(node)
    index = 0 if piped else 1
    return text(args[index]) if len(args) > index and text(args[index]).startswith(":") else None


def _piped(node) -> bool:
    parent = node.parent
    right = parent.child_by_field_name("right") if parent is not None and parent.type == "binary_operator" else None
    return right is not None and right.id == node.id


def _keyword_names(node) -> list[tuple[str, object]]:
    """`assign(socket, posts: posts, count: 1)` or `assign(posts: posts)` piped: (":posts", pair node) ..."""
    found = []
    for argument in call_arguments(node):
        if argument.type == "keywords":
            for pair in argument.named_children:
                key = text(pair.child_by_field_name("key")).strip().rstrip(":").strip()
                if key:
                    found.append((":" + key, pair))
    return found


COLLECTION = re.compile(r"\blist_\w*\(|Repo\.all\(|\.all\(")


def _stream_values(node) -> set[str]:
    """The collection text a stream call inserts (its third argument, or second when piped)."""
    args = call_arguments(node)
    index = 1 if _piped(node) else 2
    return {text(args[index]).strip()} if len(args) > index else set()


# A value that names where its data comes from: a module attribute (`@initial_items`), a call (`Demo.flat_items()`,
# `items()`), a literal list. Two such values that differ are two collections.
SOURCE = re.compile(r"@[a-z_]\w{0,60}|(?:[A-Z][\w.]{0,80}\.)?[a-z_]\w{0,60}[!?]?\([^()]{0,200}\)|\[[^\[\]]{0,400}\]")


def _other_source(assign_node, stream_node) -> bool:
    """The assign and the stream are filled from two different named sources (`stream(:items, @initial_items)` beside
    `assign(:items, Demo.flat_items())`): two collections for two purposes that share a name, not one list kept
    twice. A query of records (`list_*`, `Repo.all`) is the stream's data whatever it is called, and stays."""
    args = call_arguments(assign_node)
    index = 0 if _piped(assign_node) else 1
    if len(args) <= index + 1:
        return False
    value = text(args[index + 1]).strip()
    streamed = _stream_values(stream_node)
    return bool(streamed) and value not in streamed and not COLLECTION.search(value) \
        and SOURCE.fullmatch(value) is not None \
        and all(SOURCE.fullmatch(other) and other != "[]" for other in streamed)  # an empty start says nothing


def check(ctx):
    streams, assigns, keyed = {}, {}, {}
    for node, module, name in ctx.calls({"stream", "assign"}):
        if module is not None:
            continue
        key = _name(node, _piped(node))
        if key:
            (streams if name == "stream" else assigns).setdefault(key, node)
        elif name == "assign":
            for keyword, pair in _keyword_names(node):
                keyed.setdefault(keyword, pair)
    for key, pair in keyed.items():
        # A keyword assign that shares the stream's name must hold the same collection (`posts: posts`); a
        # filter called `activity` beside an `:activity` stream is another thing.
        value = text(pair.child_by_field_name("value")).strip()
        stream = streams.get(key)
        if stream is not None and (value in _stream_values(stream) or COLLECTION.search(value)):
            assigns.setdefault(key, pair)
    for key, node in assigns.items():
        if key in streams and _other_source(node, streams[key]):
            continue
        if key in streams and "AsyncResult" not in text(node):  # a loading/failed status, as stream_async keeps
            yield hit(node, f"{code_span(key)} is also a stream.")
