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

## False positives
Short, bounded lists are fine in assigns, and only the code can tell, so this is low confidence.

## Severity and confidence
Info, low: a growing list in assigns is a memory cost, and many lists are small.

## References
knowledge: streams#streams-or-assigns
"""

import re

from ...elixir_tree import call_arguments, text
from ...helpers import callback_clauses, clause_calls, hit
from ...rule import Rule

RULE = Rule(
    slug="list_not_streamed", code="LV301", family="streams", severity="info", confidence="low",
    languages=("elixir",), summary="A list loaded into an assign and rendered with :for: consider a stream.",
    fix="Use stream/3 for long or growing collections.", cites="streams#streams-or-assigns",
)


def check(ctx):
    loops = " ".join(t.source for t in ctx.templates)
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause, {"assign"}):
            args = [text(a) for a in call_arguments(node)]
            joined = " ".join(args)
            key = re.search(r":(\w+)", joined)
            if key and re.search(r"(Repo\.all|\.list_\w+)\(", joined) and f"<- @{key.group(1)}" in loops:
                yield hit(node, f"@{key.group(1)} is a loaded list rendered with :for.")
