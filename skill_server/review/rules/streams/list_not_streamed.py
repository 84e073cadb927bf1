"""## What it does
Flags a collection loaded in `mount/3` with a list function (`Repo.all`, `list_*`) into an assign and
rendered with `:for`, where a stream would avoid keeping every item in server memory.

## Why is this bad?
Each connected user keeps the whole list in the LiveView process for the page's lifetime. For long or
growing collections (feeds, tables, chat) that memory adds up, and before 1.1 every change re-sends the
whole list.

## Example
```elixir
{:ok, assign(socket, :messages, Chat.list_messages())}
```

## Use instead
```elixir
{:ok, stream(socket, :messages, Chat.list_messages())}
```

Also flags a list assign that grows by one item in an event or message handler (`update(socket, :messages,
&(&1 ++ [message]))`, `[message | &1]`, `socket.assigns.messages ++ [message]`) and is never cut back: every
broadcast adds to it for the page's lifetime.

## False positives
Short, bounded lists are fine in assigns, and only the code can tell, so a loaded list is low confidence. A list
that a message handler (`handle_info`, `handle_async`, ...) grows is high, one the user's own events grow (a row
per record they create, in a table loaded whole) low; neither is flagged when an update of the same key cuts it back (`Enum.take`, `Enum.slice`,
`Enum.drop`, `Enum.reject`, `List.delete`, ...) or the visible templates never render it.

## Severity and confidence
Info: a growing list in assigns is a memory cost. Low for a loaded list (many are small) and for one the user's
events grow; high for one that messages grow without bound.

## References
knowledge: streams#streams-or-assigns
"""

import re

from ...elixir_tree import call_arguments, text
from ...helpers import callback_clauses, clause_calls, hit, in_callback
from ...rule import Rule

RULE = Rule(
    slug="list_not_streamed", code="LV301", family="streams", severity="info", confidence="low",
    languages=("elixir",), summary="A list loaded into an assign and rendered with :for: consider a stream.",
    fix="Use stream/3 for long or growing collections.", cites="streams#streams-or-assigns",
)


# The list under `key` grown by one item: `&(&1 ++ [x])`, `fn list -> list ++ [x] end`, `&[x | &1]`,
# `socket.assigns.key ++ [x]`.
GROWS = re.compile(r"&\(?\s{0,4}&1\s{0,4}\+\+\s{0,4}\[|\bfn\s{1,4}(\w{1,40})\s{0,4}->\s{0,4}\1\s{0,4}\+\+\s{0,4}\[|"
                   r"&\[[^|\]\n]{1,200}\|\s{0,4}&1\s{0,4}\]|\bassigns\.(\w{1,60})\s{0,4}\+\+\s{0,4}\[")
TRIMS = re.compile(r"\b(?:Enum\.(?:take|slice|drop|take_while|drop_while|split|reject|filter)|"
                   r"List\.(?:delete|delete_at))\(")
GROWN_IN = ("handle_info", "handle_event", "handle_async", "handle_cast", "handle_call")
KEY = re.compile(r":\w{1,60}")


def _grown_lists(ctx, templates: str):
    if ctx.module is None:
        return
    growing, trimmed = [], set()
    for node, _, name in ctx.calls({"update", "assign"}):
        args = [text(a)[:400] for a in call_arguments(node)]
        key = next((a[1:] for a in args if KEY.fullmatch(a)), None)
        if key is None:
            continue
        if any(TRIMS.search(a) for a in args):
            trimmed.add(key)  # an update that cuts the list back (or filters it)
            continue
        grows = next((m for m in (GROWS.search(a) for a in args) if m is not None), None)
        if grows is None or (grows.group(2) is not None and grows.group(2) != key):
            continue
        clause = in_callback(ctx, node)
        if clause is not None and clause.name in GROWN_IN:
            growing.append((node, key, clause.name))
    for node, key, callback in growing:
        if key in trimmed or (templates and f"@{key}" not in templates):
            continue  # cut back elsewhere, or not rendered by what is visible here
        # Messages arrive from elsewhere (a broadcast per post): unbounded, high. A user's own events add what that user
        # creates, usually a few rows of a table the page loaded whole anyway: low.
        yield hit(node, f"@{key} grows by one item on every {callback} and is never cut back: every item stays in "
                        "the process for the page's lifetime. Use a stream (stream_insert/3).",
                  confidence="low" if callback == "handle_event" else "high")


def check(ctx):
    loops = " ".join(t.source for t in ctx.templates)
    yield from _grown_lists(ctx, loops)
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause, {"assign"}):
            args = [text(a) for a in call_arguments(node)]
            joined = " ".join(args)
            key = re.search(r":(\w+)", joined)
            if key and re.search(r"(Repo\.all|\.list_\w+)\(", joined) and f"<- @{key.group(1)}" in loops:
                yield hit(node, f"@{key.group(1)} is a loaded list rendered with :for.")
