"""## What it does
Flags external calls (HTTP clients) and unbounded loads (`Repo.all`, aggregates) in `mount/3` outside a
`connected?(socket)` branch and not inside `assign_async`/`start_async`/`stream_async`.

## Why is this bad?
`mount/3` runs for the dead render and again when connected, so slow work runs twice and delays the
first paint. `assign_async/3` and `start_async/3` run only once connected and show a loading state.
Moving the call to `handle_params/3` does not help: it runs on both renders too.

## Example
```elixir
def mount(_params, _session, socket) do
  {:ok, assign(socket, :weather, Req.get!("https://api.example.com/weather").body)}
end
```

## Use instead
```elixir
{:ok, assign_async(socket, :weather, fn -> {:ok, %{weather: Weather.fetch()}} end)}
```

## False positives
A single record or a bounded page loaded in mount is normal and not flagged. `Repo.all` and aggregates
are medium confidence (the query may be small); HTTP calls are high.

## Severity and confidence
Warning: the cost is doubled work and a slower first paint, not wrong behaviour. High for unbounded lists,
aggregates and external calls; medium where the set may be bounded.

## References
knowledge: lifecycle#where-data-loading-belongs
"""

from ....sanitize import code_span
from ...elixir_tree import ASYNC_FUNCTIONS, held_functions, in_async_function
from ...helpers import callback_clauses, clause_calls, hit, unguarded
from ...rule import Rule

RULE = Rule(
    slug="mount_expensive_work_unguarded", code="LV102", family="lifecycle", severity="warning",
    confidence="high", languages=("elixir",),
    summary="Slow work in mount/3 runs on both the dead and the connected render.",
    fix="Use assign_async/3 or start_async/3, or guard it with connected?(socket).",
    cites="lifecycle#where-data-loading-belongs",
)
HTTP_MODULES = ("Req", "HTTPoison", "Tesla", "Finch", ":httpc", "Mint.HTTP", "HTTPotion")


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the async calls' functions, found once
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause):
            if module is None or "(" in module or not unguarded(node, clause) or in_async_function(node, within) is not None:
                continue
            if module in HTTP_MODULES or module.split(".")[0] in HTTP_MODULES:
                yield hit(node, f"{code_span(f'{module}.{name}')} makes an external call on both renders.")
            elif module.endswith("Repo") and name in ("all", "aggregate", "stream"):
                yield hit(node, f"{code_span(f'{module}.{name}')} may load an unbounded set on both renders.", confidence="medium")
