"""## What it does
Flags a `stream_insert`/`stream` (or a call of this module's own function that inserts into a stream, given
`at:`) whose `at:` contradicts what the code means: `at: -1` (which appends)
where the code says it prepends (a comment or the function's name says prepend, top or newest first),
`at: -1` with a positive `limit:` or `at: 0` with a negative one (the new item is pruned at once when the
stream is full; on 0.20.0-0.20.3 the list overruns the limit instead), and, at medium confidence, `at: -1` live inserts into a stream the module loads
newest-first.

## Why is this bad?
`at: 0` prepends and `at: -1` (the default) appends; several widely copied rule files said the opposite.
A positive `limit` keeps the first N items and prunes from the end, a negative one keeps the last N and
prunes from the start: from 0.20.4, inserting at the end that is pruned drops the new item as soon as the list
is full, so the newest message never shows. On 0.20.0-0.20.3 the client spared the items of the patch being
applied, so the list grows one past the limit and the previous newest item vanishes at the next insert:
still not a capped list.

## Example
```elixir
# prepend the new message
stream_insert(socket, :messages, message, at: -1, limit: 50)
```

## Use instead
```elixir
stream_insert(socket, :messages, message, at: 0, limit: 50)
```

## False positives
An explicit `at: -1` alone is a plain append and is not flagged. A container laid out with
`flex-col-reverse` shows appended items on top, so the newest-first signal is ignored there.

## Severity and confidence
Warning: items show in the wrong place or drop out of view; nothing is lost on the server. High when a
comment or name says prepend, or `at` and `limit` prune the new item; medium (strict only) when only the
newest-first loading suggests it.

## References
knowledge: streams#inserting-updating-moving-and-deleting
"""

import re

from ....versions import Version
from ...elixir_tree import call_arguments, text
from ...helpers import hit, in_callback
from ...rule import Rule

RULE = Rule(
    slug="stream_position_mismatch", code="LV309", family="streams", severity="warning", confidence="high",
    languages=("elixir",), summary="The insert position contradicts the code's intent or its limit.",
    fix="Prepend with at: 0 (with a positive limit); append with at: -1 (with a negative limit).",
    cites="streams#inserting-updating-moving-and-deleting",
)
# At most 9 digits: a longer number is no position (and int() refuses over 4,300 digits).
AT = re.compile(r"\bat:\s*(-?\d{1,9})\b")
LIMIT = re.compile(r"\blimit:\s*(-?\d{1,9})\b")
PREPEND_WORDS = re.compile(r"\b(prepend\w*|at the top|to the top|on top|top of|(newest|latest|most recent) first|"
                           r"beginning|in front|front of)\b", re.I)
APPEND_WORDS = re.compile(r"\b(append\w*|bottom|at the end|to the end)\b", re.I)
NEWEST_FIRST = re.compile(r"desc:\s*:\w*(inserted_at|created_at|updated_at|id|date|time)\b|order_by\(\s*\[?\s*desc|"
                          r"Enum\.reverse\(|:desc\b")
REVERSED_LAYOUT = re.compile(r"flex-col-reverse|flex-direction:\s*column-reverse")


def _options(node) -> str:
    args = call_arguments(node)
    return text(args[-1]) if args and args[-1].type == "keywords" else ""


def _says_prepend(ctx, node) -> bool:
    line = node.start_point[0] + 1
    nearby = [ctx.line(n) for n in range(max(1, line - 2), line + 1)]
    comments = [part.split("#", 1)[1] for part in nearby if "#" in part]
    if any(PREPEND_WORDS.search(comment) and not APPEND_WORDS.search(comment) for comment in comments):
        return True
    clause = in_callback(ctx, node)
    return clause is not None and "prepend" in clause.name


def _pruned(ctx) -> str:
    """What the client does with an item inserted at the end the limit prunes (spared before 0.20.4)."""
    if ctx.version < Version(0, 20, 4):
        return ("before 0.20.4 the client spares the item being inserted, so the list grows past the limit and "
                "the previous newest item is dropped at the next insert.")
    return "the new item is dropped once the stream is full."


STREAM_CALL = re.compile(r"\bstream(?:_insert)?\(")


def _wrappers(ctx) -> set[str]:
    """This module's own functions that insert into a stream (`defp stream_batch_insert(socket, key, items, opts)`
    calling stream_insert/stream): a call of one passes its `at:` on."""
    functions = ctx.module.functions() if ctx.module is not None else {}
    return {name for (name, _), clauses in functions.items() if name not in ("stream_insert", "stream") and
            any(c.body is not None and STREAM_CALL.search(text(c.body)[:4000]) for c in clauses)}


def check(ctx):
    newest_first = ctx.text.search(NEWEST_FIRST) is not None and not ctx.text.search(REVERSED_LAYOUT)
    for node, module, name in ctx.calls({"stream_insert", "stream", *_wrappers(ctx)}):
        if name not in ("stream_insert", "stream") and module is not None:
            continue  # a wrapper is this module's own function, called locally
        options = _options(node)
        at, limit = AT.search(options), LIMIT.search(options)
        if at is None:
            continue
        position, cap = int(at.group(1)), int(limit.group(1)) if limit else None
        if position == -1 and cap is not None and cap > 0:
            yield hit(node, f"{name} appends (at: -1) but limit: {cap} prunes from the end: {_pruned(ctx)} "
                            "Use at: 0 to prepend, or a negative limit.")
        elif position == 0 and cap is not None and cap < 0:
            yield hit(node, f"{name} prepends (at: 0) but limit: {cap} prunes from the start: {_pruned(ctx)} "
                            "Use a positive limit.")
        elif position == -1 and _says_prepend(ctx, node):
            yield hit(node, f"at: -1 appends; to prepend, {name} needs at: 0.")
        elif position == -1 and name == "stream_insert" and newest_first:
            yield hit(node, "at: -1 appends a live insert to a stream this module loads newest-first; at: 0 "
                            "prepends.", confidence="medium")
