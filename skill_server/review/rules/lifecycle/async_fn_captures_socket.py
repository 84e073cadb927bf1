"""## What it does
Flags `socket` or `assigns` used inside the function given to `assign_async/3`, `start_async/3` or
`stream_async/3`.

## Why is this bad?
The function runs in another process and everything it references is copied there: referencing the
socket copies the whole socket (all assigns) for every task. LiveView warns about it since 0.20.13.

## Example
```elixir
assign_async(socket, :stats, fn -> {:ok, %{stats: Stats.for(socket.assigns.org)}} end)
```

## Use instead
```elixir
org = socket.assigns.org
assign_async(socket, :stats, fn -> {:ok, %{stats: Stats.for(org)}} end)
```

## False positives
Only references inside the anonymous function count; using the socket in the surrounding callback is fine.

## Severity and confidence
Warning: copying the socket costs memory and time (LiveView warns since 0.20.13) but works. High confidence:
the reference is in the function.

## References
knowledge: async-work#never-capture-the-socket-in-the-task
"""

from ....sanitize import code_span
from ...elixir_tree import ASYNC_FUNCTIONS, held_functions, in_async_function
from ...helpers import hit, references
from ...rule import Rule

RULE = Rule(
    slug="async_fn_captures_socket", code="LV107", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="The async function references the socket, which copies it into the task.",
    fix="Bind the values you need to variables before the call and use those inside the function.",
    cites="async-work#never-capture-the-socket-in-the-task",
)


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the async calls' functions, found once
    seen = set()
    for node in references(ctx.root, {"socket", "assigns"}):
        holder = in_async_function(node, within)
        if holder is not None and holder.id not in seen:
            seen.add(holder.id)
            yield hit(node, "The function given to the async call references " + code_span(node.text.decode()) + ".")
