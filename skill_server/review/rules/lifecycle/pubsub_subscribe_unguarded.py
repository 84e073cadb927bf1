"""## What it does
Flags `Phoenix.PubSub.subscribe/2` (or an endpoint's `subscribe`) in `mount/3` outside a
`connected?(socket)` branch.

## Why is this bad?
`mount/3` runs twice: first for the HTTP (dead) render in the process answering the request, then in the connected
LiveView process. A subscription on the dead render is useless work, and the pattern hides the rule that
side effects belong to the connected mount.

## Example
```elixir
def mount(_params, _session, socket) do
  Phoenix.PubSub.subscribe(MyApp.PubSub, "orders")
  {:ok, socket}
end
```

## Use instead
```elixir
if connected?(socket), do: Phoenix.PubSub.subscribe(MyApp.PubSub, "orders")
```

A local function mount calls unguarded (`subscribe_all(socket)`, one level) is read the same way.

## False positives
Context helpers named `subscribe...` are only medium confidence: they may check `connected?` themselves.

## Severity and confidence
Warning: the dead render's subscription lasts as long as that process: the request under Cowboy, the whole
HTTP/1.1 keep-alive connection under Bandit. Bandit 1.1.0 and later throw the broadcasts away (1.1.0 to 1.2.0
log each one at error level, 1.2.1 and later only with `log_unknown_messages: true`); Bandit 1.0 crashed the
idle connection on the first one. So the cost is wasted work and log noise, not a bug users see. High when
the call is in `mount/3`; medium for helpers called from it.

## References
knowledge: lifecycle#connected-1-for-side-effects
"""

from ...elixir_tree import call_arguments
from ...helpers import callback_clauses, clause_calls, hit, remote, unguarded
from ...rule import Rule

RULE = Rule(
    slug="pubsub_subscribe_unguarded", code="LV104", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="PubSub subscription in mount/3 runs on the dead render too.",
    fix="Wrap it in `if connected?(socket) do ... end`.", cites="lifecycle#connected-1-for-side-effects",
)


def check(ctx):
    functions = ctx.module.functions() if ctx.module is not None else {}
    followed = set()
    for clause in callback_clauses(ctx, "mount", 3):
        for node, module, name in clause_calls(clause):
            key = (name, len(call_arguments(node))) if module is None else None
            helper = key in functions and key not in followed and name != "mount"
            if not (name.startswith("subscribe") or helper) or not unguarded(node, clause):
                continue  # the name first: the connected? check is the costlier one
            yield from _subscriptions(node, module, name)
            # A local helper mount calls unguarded (`subscribe_all(socket)`): its subscriptions run on the dead render
            # too, unless it checks connected? itself (one level).
            if helper:
                followed.add(key)
                for helper_clause in functions[key]:
                    for inner, inner_module, inner_name in clause_calls(helper_clause):
                        if inner_name.startswith("subscribe") and unguarded(inner, helper_clause):
                            yield from _subscriptions(inner, inner_module, inner_name)


def _subscriptions(node, module, name):
    if name == "subscribe" and (remote(module, name, ("PubSub", "Endpoint")) or "PubSub" in (module or "")):
        yield hit(node)
    elif name.startswith("subscribe") and module is not None and module not in ("Phoenix.PubSub",):
        yield hit(node, "This subscription helper is called on the dead render too.", confidence="medium")
