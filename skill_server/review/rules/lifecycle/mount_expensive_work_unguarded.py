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

External calls count by the client's module: HTTP libraries (`Req`, `HTTPoison`, `Finch`, `Tesla`, `:httpc`), SDKs
of AI models (`OpenAI`, `Anthropic`, `LangChain`, `Instructor`, `Ollama`, a model run by `Nx.Serving.batched_run`) and
of hosted APIs (`Stripe`, `ExAws`), in mount itself or in a function of the module it calls (`rates:
load_rates()`, one level).

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
from ...elixir_tree import ASYNC_FUNCTIONS, call_arguments, calls, held_functions, in_async_function
from ...helpers import callback_clauses, clause_calls, external_call, hit, unguarded
from ...rule import Rule

RULE = Rule(
    slug="mount_expensive_work_unguarded", code="LV102", family="lifecycle", severity="warning",
    confidence="high", languages=("elixir",),
    summary="Slow work in mount/3 runs on both the dead and the connected render.",
    fix="Use assign_async/3 or start_async/3, or guard it with connected?(socket).",
    cites="lifecycle#where-data-loading-belongs",
)
MAX_HELPER_CLAUSES = 16  # clauses of one local function read


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the async calls' functions, found once
    private = None  # this module's own functions by (name, arity), read at the first local call in mount
    read: dict = {}  # (name, arity) -> the first external call its clauses make, each function read once
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause):
            if (module is not None and "(" in module) or not unguarded(node, clause) or \
                    in_async_function(node, within) is not None:
                continue
            if module is None:
                # A function of this module that mount calls (`rates: load_rates()`): its external call runs on both
                # renders just the same (one level).
                if private is None:
                    private = {}
                    for c in ctx.module.clauses if ctx.module is not None else []:
                        if c.body is not None and c.name not in ("mount", "render", "handle_event", "handle_info"):
                            private.setdefault((c.name, c.arity), []).append(c)
                key = (name, len(call_arguments(node)) + _piped(node))
                if key in private and key not in read:
                    read[key] = next(((m, n, what) for c in private[key][:MAX_HELPER_CLAUSES] for _, m, n in calls(c.body)
                                      if (what := external_call(m, n)) and in_async_function(_, within) is None), None)
                found = read.get(key)
                if found is not None:
                    yield hit(node, f"{code_span(name)} waits on {found[2]} ({code_span(f'{found[0]}.{found[1]}')}) "
                                    "on both renders.")
                continue
            what = external_call(module, name)
            if what is not None:
                yield hit(node, f"{code_span(f'{module}.{name}')} waits on {what} on both renders.")
            elif module.endswith("Repo") and name in ("all", "aggregate", "stream"):
                yield hit(node, f"{code_span(f'{module}.{name}')} may load an unbounded set on both renders.", confidence="medium")


def _piped(node) -> int:
    """1 when the call is the right side of a pipe (`x |> load_rates()`): it takes one argument more."""
    parent = node.parent
    return int(parent is not None and parent.type == "binary_operator" and parent.child_by_field_name("right") is not None
               and parent.child_by_field_name("right").id == node.id and
               parent.child_by_field_name("operator").type == "|>")
