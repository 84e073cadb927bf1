"""## What it does
Flags `Task.start/1`, `Task.start_link/1`, `spawn/1` and `spawn_link/1` in a LiveView or LiveComponent.

## Why is this bad?
Work started this way is not tied to the LiveView: no result comes back as a callback, nothing cancels it
when the user leaves, and a crash is either lost or (with links) takes the LiveView down.
`start_async/3` delivers the result to `handle_async/3`, stops with the LiveView, and reports crashes as
`{:exit, reason}`.

## Example
```elixir
Task.start(fn -> Reports.generate(id) end)
```

## Use instead
```elixir
start_async(socket, {:report, id}, fn -> Reports.generate(id) end)
```

## False positives
Fire-and-forget work that is deliberately detached belongs in a supervised job (Oban, Task.Supervisor);
`Task.Supervisor.start_child` is not flagged.

## Severity and confidence
Warning: an untracked task loses its result or outlives the page, rarely data. High confidence for bare
`Task.start`/`spawn` in a LiveView.

## References
knowledge: async-work#async-work-instead-of-bare-tasks
"""

from ....sanitize import code_span
from ...elixir_tree import ASYNC_FUNCTIONS, held_functions, in_async_function
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="untracked_async_work", code="LV109", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="Untracked process in a LiveView: use start_async/3.",
    fix="Use start_async/3 and handle the result (and {:exit, _}) in handle_async/3.",
    cites="async-work#async-work-instead-of-bare-tasks",
)


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the async calls' functions, found once
    if ctx.module is None or ctx.module.kind not in ("live_view", "live_component"):
        return
    for node, module, name in ctx.calls({"start", "start_link", "spawn", "spawn_link"}):
        if in_async_function(node, within) is not None:
            continue
        if (module == "Task" and name in ("start", "start_link")) or (module is None and name.startswith("spawn")):
            yield hit(node, f"{code_span((module + '.' if module else '') + name)} starts work the LiveView does not track.")
