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
compared. When the items read only fields of the assign (`@channel.handle`) and every handler builds the new
value from the old record changing other fields (`%{channel | is_live: true}`, `Map.put(channel, :is_live, ..)`),
nothing the items show has changed; a handler that assigns a new record, or reads of the whole assign, still
count.

## Severity and confidence
Warning: the page shows stale item content, but no data is lost. High confidence: the read, the change and
the missing re-insert are all in the module.

## References
knowledge: streams#streams-are-not-enumerable
"""

import re
from bisect import bisect_left

from ....sanitize import code_span
from ...elixir_tree import call_arguments, call_parts, calls, text
from ...helpers import callback_clauses
from ...rule import Hit, Rule

RULE = Rule(
    slug="stream_item_stale_assign", code="LV312", family="streams", severity="warning", confidence="high",
    languages=("elixir",), summary="Stream items read an assign that changes without re-inserting them.",
    fix="stream_insert the affected items (or reset the stream) where the assign changes.",
    cites="streams#streams-are-not-enumerable",
)
ASSIGN_READ = re.compile(r"@([a-z_]\w*)(?:\.([a-z_]\w*))?")
REFRESHES = {"stream_insert", "stream", "stream_delete", "stream_delete_by_dom_id", "push_navigate", "push_patch",
             "redirect"}
NOT_STATE = {"streams", "myself", "socket", "flash", "live_action", "uploads"}


def _record_fields(value) -> set[str] | None:
    """The fields a new value changes of the record it was built from: `%{channel | is_live: true}` and
    `Map.put(channel, :is_live, true)` change `is_live` only; anything else (a new record, a call) is None: all."""
    if value is None:
        return None
    if value.type == "map" and value.named_children:
        update = value.named_children[-1].named_children[0] if value.named_children[-1].named_children else None
        right = update.child_by_field_name("right") if update is not None and update.type == "binary_operator" \
            and text(update.child_by_field_name("operator")) == "|" else None
        if right is not None and right.type == "keywords":
            return {text(pair.child_by_field_name("key")).strip().rstrip(":").strip() for pair in right.named_children}
        return None
    module, name = call_parts(value) if value.type == "call" else (None, None)
    arguments = call_arguments(value) if (module, name) in (("Map", "put"), ("Map", "replace!")) else []
    if len(arguments) == 3 and arguments[1].type == "atom":
        return {text(arguments[1]).lstrip(":")}
    return None


def _changed_keys(node) -> dict[str, set[str] | None]:
    """Keys an assign/update call sets, each with the fields it changes (None: the whole value):
    `assign(socket, :k, v)`, `assign(socket, k: v)`, `update(socket, :k, f)`."""
    keys: dict[str, set[str] | None] = {}
    arguments = call_arguments(node)
    for index, argument in enumerate(arguments):
        if argument.type == "atom":
            value = arguments[index + 1] if index + 1 < len(arguments) and call_parts(node)[1] == "assign" else None
            keys[text(argument).lstrip(":")] = _record_fields(value)
            break  # the key comes first; later atoms are values
        if argument.type == "keywords":
            for pair in argument.named_children:
                key = text(pair.child_by_field_name("key")).strip().rstrip(":").strip()
                keys[key] = _record_fields(pair.child_by_field_name("value"))
    return keys


def _stale_changes(ctx) -> dict[str, tuple[str, set[str] | None]]:
    """Assign -> (the handler that changes it without touching any stream, the fields changed or None: all)."""
    changes: dict[str, tuple[str, set[str] | None]] = {}
    for name, arity in (("handle_event", 3), ("handle_info", 2), ("handle_async", 3)):
        for clause in callback_clauses(ctx, name, arity):
            if clause.body is None:
                continue
            found = list(calls(clause.body, {"assign", "update"} | REFRESHES))
            if any(called in REFRESHES for _, _, called in found):
                continue
            for node, module, called in found:
                if module is None and called in ("assign", "update"):
                    for key, fields in _changed_keys(node).items():
                        handler, known = changes.get(key, (f"{name}/{arity}", set()))
                        changes[key] = (handler, None if known is None or fields is None else known | fields)
    return changes


def _reads(expression: str) -> dict[str, set[str] | None]:
    """Assign -> the fields the expression reads of it (`@channel.handle`), None when it reads it whole."""
    reads: dict[str, set[str] | None] = {}
    for key, field in ASSIGN_READ.findall(expression):
        known = reads.get(key, set())
        reads[key] = None if known is None or not field else known | {field}
    return reads


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
        for key, fields in _reads(expression).items():
            if key in NOT_STATE or key not in changes or key in seen:
                continue
            handler, changed = changes[key]
            # Items reading only fields the handlers never change (`@channel.handle` while a handler sets
            # `%{channel | is_live: true}`) show nothing stale.
            if fields is not None and changed is not None and not fields & changed:
                continue
            seen.add(key)
            line, column = template.position(node)
            yield Hit(line=line, column=column,
                      message=f"Stream items read {code_span('@' + key)}, which {code_span(handler)} changes "
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
