"""## What it does
Flags external calls (HTTP clients), unbounded loads (`Repo.all`, aggregates) and a lookup per item of a list
(N+1) in `mount/3` outside a
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
A single record or a bounded page loaded in mount is normal and not flagged. A lookup (`get_`, `count_`,
`list_`, `fetch_`, ... of an app module, or a `Repo` read) inside a function handed to an `Enum`/`Map`/`Stream`
iteration runs once per item (N+1) and is high; the standard library's in-memory `get_`/`count_` are not read.
`Repo.all` and aggregates are medium confidence (the query may be small); HTTP calls are high.

## Severity and confidence
Warning: the cost is doubled work and a slower first paint, not wrong behaviour. High for unbounded lists,
aggregates, external calls and a lookup per item of a list; medium where the set may be bounded.

## References
knowledge: lifecycle#where-data-loading-belongs
"""

import re

from ....sanitize import code_span
from ...elixir_tree import (ASYNC_FUNCTIONS, call_arguments, call_parts, calls, held_functions, holder_of,
                            in_async_function, text)
from ...helpers import callback_clauses, clause_calls, external_call, hit, unguarded
from ...rule import Rule
from ...spans import spans

RULE = Rule(
    slug="mount_expensive_work_unguarded", code="LV102", family="lifecycle", severity="warning",
    confidence="high", languages=("elixir",),
    summary="Slow work in mount/3 runs on both the dead and the connected render.",
    fix="Use assign_async/3 or start_async/3, or guard it with connected?(socket).",
    cites="lifecycle#where-data-loading-belongs",
)
MAX_HELPER_CLAUSES = 16  # clauses of one local function read


# A function handed to one of these runs once per item: a lookup inside it is a query per item (N+1).
PER_ITEM = {"map", "new", "flat_map", "into", "each", "reduce", "filter", "reject", "sort_by", "group_by",
            "frequencies_by", "sum_by", "count", "find", "with_index"}
ITERATORS = ("Enum", "Map", "Stream")
LOOKUP = re.compile(r"^(?:get|count|list|fetch|load|find|search|sum|aggregate)_")
REPO_READS = {"get", "get!", "get_by", "get_by!", "one", "one!", "all", "aggregate", "exists?", "preload"}
# Standard library and framework modules whose get_/count_ functions read memory, not a database.
IN_MEMORY = ("Map", "Keyword", "Enum", "List", "String", "Access", "Process", "Application", "System", "MapSet",
             "Kernel", "Date", "DateTime", "NaiveDateTime", "Time", "Path", "File", "Code", "Module", "Tuple",
             "Integer", "Float", "Stream", "Registry", "Agent", "GenServer", "Node", "Phoenix", "Plug", "Ecto",
             "Gettext", "Logger", "Jason", "Base", "URI", "IO")


def _iterated_functions(nodes):
    """The span of every function (`fn ... end` or a `&` capture) handed to an Enum/Map/Stream iteration, in one pass."""
    found = []
    for node in nodes:
        if node.type != "call":
            continue
        module, name = call_parts(node)
        if name not in PER_ITEM or module not in ITERATORS:
            continue
        args = next((c for c in node.children if c.type == "arguments"), None)
        for fn in args.named_children if args is not None else ():
            if fn.type == "anonymous_function" or (fn.type == "unary_operator" and
                                                   text(fn.child_by_field_name("operator")) == "&"):
                found.append((fn.start_byte, fn.end_byte, node))
    return spans(found)


def _per_item_query(node, module, name, loops) -> bool:
    if holder_of(node, loops) is None:
        return False
    if module.endswith("Repo"):
        return name in REPO_READS
    return LOOKUP.match(name) is not None and module.split(".", 1)[0] not in IN_MEMORY


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the async calls' functions, found once
    private = None  # this module's own functions by (name, arity), read at the first local call in mount
    read: dict = {}  # (name, arity) -> the first external call its clauses make, each function read once
    loops = None  # the functions handed to Enum/Map iterations, found when mount has a call to look at
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
            if LOOKUP.match(name) or module.endswith("Repo"):
                if loops is None:
                    loops = _iterated_functions(ctx.nodes)
                if _per_item_query(node, module, name, loops):
                    yield hit(node, f"{code_span(f'{module}.{name}')} runs once per item of the list (a query each, "
                                    "N+1) on both renders.")
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
