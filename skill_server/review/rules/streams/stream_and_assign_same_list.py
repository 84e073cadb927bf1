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
`stream_async/4` assigns an `AsyncResult` under the stream's name by design and is not flagged, nor is
a hand-written `AsyncResult` status assign (loading/failed) beside the stream.

## References
knowledge: streams#streams-or-assigns
"""

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


def check(ctx):
    streams, assigns = {}, {}
    for node, module, name in ctx.calls({"stream", "assign"}):
        if module is not None:
            continue
        key = _name(node, _piped(node))
        if key:
            (streams if name == "stream" else assigns).setdefault(key, node)
    for key, node in assigns.items():
        if key in streams and "AsyncResult" not in text(node):  # a loading/failed status, as stream_async keeps
            yield hit(node, f"{code_span(key)} is also a stream.")
