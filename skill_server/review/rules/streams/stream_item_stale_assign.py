"""## What it does
Flags an assign read inside stream items (`@selected_id` in a `:for={{id, row} <- @streams.rows}` item)
when an event or message handler of the module changes that assign and does not touch the stream
(`stream_insert`, `stream/4`, `stream_delete`, a navigation).

## Why is this bad?
Stream items are rendered once, when they are inserted, and then forgotten by the server. Changing an
assign they read re-renders nothing inside them: the highlighted row, the "selected" badge or the edit
button stays as it was until each item is inserted again.

## Example
```heex
<li :for={{id, todo} <- @streams.todos} id={id} class={todo.id == @selected_id && "selected"}>...</li>
```
```elixir
def handle_event("select", %{"id" => id}, socket), do: {:noreply, assign(socket, :selected_id, id)}
```

## Use instead
Re-insert the affected items in the same handler (`stream_insert` the old and the new selection), reset
the stream, or move the state into the items themselves.

## False positives
Assigns that only `mount/3` sets never change, and handlers that also insert into, reset or leave the
stream (or navigate) are assumed to refresh it. Only templates and handlers in the same module are
compared.

## Severity and confidence
Warning: the page shows stale item content, but no data is lost. High confidence: the read, the change and
the missing re-insert are all in the module.

## References
knowledge: streams#streams-are-not-enumerable
"""

import re
from bisect import bisect_left

from ....sanitize import code_span
from ...elixir_tree import call_arguments, calls, text
from ...helpers import callback_clauses
from ...rule import Hit, Rule

RULE = Rule(
    slug="stream_item_stale_assign", code="LV312", family="streams", severity="warning", confidence="high",
    languages=("elixir",), summary="Stream items read an assign that changes without re-inserting them.",
    fix="stream_insert the affected items (or reset the stream) where the assign changes.",
    cites="streams#streams-are-not-enumerable",
)
ASSIGN_READ = re.compile(r"@([a-z_]\w*)")
REFRESHES = {"stream_insert", "stream", "stream_delete", "stream_delete_by_dom_id", "push_navigate", "push_patch",
             "redirect"}
NOT_STATE = {"streams", "myself", "socket", "flash", "live_action", "uploads"}


def _changed_keys(node) -> set[str]:
    """Keys an assign/update call sets: `assign(socket, :k, v)`, `assign(socket, k: v)`, `update(socket, :k, f)`."""
    keys = set()
    for argument in call_arguments(node):
        if argument.type == "atom":
            keys.add(text(argument).lstrip(":"))
            break  # the key comes first; later atoms are values
        if argument.type == "keywords":
            for pair in argument.named_children:
                keys.add(text(pair.child_by_field_name("key")).strip().rstrip(":").strip())
    return keys


def _stale_changes(ctx) -> dict[str, str]:
    """Assign -> the handler that changes it without touching any stream."""
    changes = {}
    for name, arity in (("handle_event", 3), ("handle_info", 2), ("handle_async", 3)):
        for clause in callback_clauses(ctx, name, arity):
            if clause.body is None:
                continue
            found = list(calls(clause.body, {"assign", "update"} | REFRESHES))
            if any(called in REFRESHES for _, _, called in found):
                continue
            for node, module, called in found:
                if module is None and called in ("assign", "update"):
                    for key in _changed_keys(node):
                        changes.setdefault(key, f"{name}/{arity}")
    return changes


def check(ctx):
    if ctx.module is None or ctx.module.kind not in ("live_view", "live_component"):
        return
    items = [(template, element) for template in ctx.templates for element in template.elements
             if "@streams." in ((element.attr(":for").value or "") if element.has(":for") else "")]
    if not items:
        return
    changes = _stale_changes(ctx)
    seen = set()
    for template, node, expression in _inside_items(items):
        for key in set(ASSIGN_READ.findall(expression)) - NOT_STATE:
            if key in changes and key not in seen:
                seen.add(key)
                line, column = template.position(node)
                yield Hit(line=line, column=column,
                          message=f"Stream items read {code_span('@' + key)}, which {code_span(changes[key])} changes "
                                  "without re-inserting them: the items keep the old value.")


def _inside_items(items):
    """(template, node, source) of each expression inside a stream item, in order, each once: nested items
    are covered by their outermost one, so one pass over each template's expressions finds them all."""
    spans: dict[int, tuple] = {}
    for template, element in items:
        spans.setdefault(id(template), (template, []))[1].append((element.node.start_byte, element.node.end_byte))
    for template, ranges in spans.values():
        ranges.sort()
        outer = []
        for start, end in ranges:
            if outer and start < outer[-1][1]:
                outer[-1] = (outer[-1][0], max(outer[-1][1], end))
            else:
                outer.append((start, end))
        expressions = sorted(template.expressions(), key=lambda pair: pair[0].start_byte)
        starts = [node.start_byte for node, _ in expressions]
        for start, end in outer:
            for n in range(bisect_left(starts, start), bisect_left(starts, end)):
                yield template, *expressions[n]
