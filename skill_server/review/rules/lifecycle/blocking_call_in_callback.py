"""## What it does
Flags `Process.sleep/1`, `:timer.sleep/1` and `receive` blocks without `after` inside LiveView callbacks.

## Why is this bad?
A LiveView handles one message at a time. While a callback sleeps or waits, the page cannot handle
clicks, patches or PubSub messages, and the user sees a frozen UI.

## Example
```elixir
def handle_event("retry", _params, socket) do
  Process.sleep(2000)
  {:noreply, socket}
end
```

## Use instead
```elixir
Process.send_after(self(), :retry, 2000)
```
or run the slow work in `start_async/3`.

A sleep in a local function a callback calls (one level: `{:noreply, retry(socket)}`) blocks that callback too.

Also flags a call that waits on the network in a callback: an HTTP client (`Req`, `HTTPoison`, `Finch`, `Tesla`), an
AI model's SDK (`OpenAI`, `Anthropic`, `LangChain`, `Instructor`, `Ollama`, `Nx.Serving.batched_run`) or a hosted
API's (`Stripe`, `ExAws`): in `handle_info/2` or `handle_params/3` (high; seconds for a model's answer, while every
click waits), in `handle_event/3` (medium: a quick call there may be the design). Mount's are
mount_expensive_work_unguarded's.

## False positives
Sleeps inside the function given to `start_async`/`assign_async`, or to `Task.start`/`spawn` and
friends, run in another process, not the LiveView, and are not flagged.

## Severity and confidence
Warning: the page freezes while the call runs, but nothing is lost. High confidence for calls that always
block and for network calls while a message is handled; medium for a network call in an event handler.

## References
knowledge: async-work#start-async-and-handle-async
"""

from ...elixir_tree import ASYNC_FUNCTIONS, call_arguments, call_parts, calls, held_functions, holder_of, in_async_function, text
from ...helpers import external_call, hit, in_callback
from ...rule import Rule

RULE = Rule(
    slug="blocking_call_in_callback", code="LV108", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="A blocking call in a callback freezes the LiveView.",
    fix="Schedule with Process.send_after/3 or move the work into start_async/3.",
    cites="async-work#start-async-and-handle-async",
)


SPAWNING = {"start", "start_link", "start_child", "async", "async_nolink", "spawn", "spawn_link", "spawn_monitor",
            "async_stream", "async_stream_nolink"}


def _in_spawned_function(node, spawned: list) -> bool:
    """Inside `fn -> ... end` handed to Task.start/spawn and friends (`spawned`: their held_functions): it blocks
    that process, not ours."""
    return holder_of(node, spawned) is not None


def check(ctx):
    within = held_functions(ctx.nodes, ASYNC_FUNCTIONS)  # the functions async calls and spawns run, found once
    spawned = held_functions(ctx.nodes, SPAWNING)
    if ctx.module is None or ctx.module.kind not in ("live_view", "live_component"):
        return
    callbacks = ctx.module.callbacks()
    helpers = None  # the local functions callbacks call, read at the first sleep outside a callback
    for node in ctx.nodes:
        if node.type != "call":
            continue
        module, name = call_parts(node)
        blocking = (module in ("Process", ":timer") and name == "sleep") or (
            module is None and name == "receive" and "after" not in text(node))
        waits_on = None if blocking else external_call(module, name)
        if not (blocking or waits_on) or in_async_function(node, within) is not None or _in_spawned_function(node, spawned):
            continue
        clause = in_callback(ctx, node)
        what = 'receive without after' if name == 'receive' else module + '.sleep' if blocking else \
            f"{module}.{name} (waiting on {waits_on})"
        if clause is not None and (clause.name, clause.arity) in callbacks:
            confidence = _network_confidence(clause.name) if waits_on else None
            if confidence != "skip":
                yield hit(node, f"{what} blocks {clause.name}/{clause.arity}.", confidence)
        elif clause is not None:
            # A local helper a callback calls (`{:noreply, retry(socket)}`) blocks that callback just the same.
            caller = (helpers := _helpers_of_callbacks(ctx, callbacks) if helpers is None else helpers).get(
                (clause.name, clause.arity))
            confidence = _network_confidence(caller.split("/")[0]) if waits_on and caller else None
            if caller is not None and confidence != "skip":
                yield hit(node, f"{what} in {clause.name}/{clause.arity} blocks {caller}, which calls it.", confidence)


def _network_confidence(callback: str) -> str | None:
    """How sure a network call blocks the page where it is: a message or a patch handled while the user waits
    (`handle_info`, `handle_params`: high); an event the user just sent (`handle_event`, a component's `update`: a quick
    call there may be the design, medium); mount is mount_expensive_work_unguarded's ("skip")."""
    if callback in ("mount", "render", "terminate"):
        return "skip"
    return "medium" if callback in ("handle_event", "update", "update_many") else None


def _helpers_of_callbacks(ctx, callbacks) -> dict[tuple[str, int], str]:
    """(name, arity) of each local function a callback calls -> that callback (`handle_event/3`), one level."""
    found = {}
    within, spawned = held_functions(ctx.nodes, ASYNC_FUNCTIONS), held_functions(ctx.nodes, SPAWNING)
    for clause in ctx.module.clauses:
        if (clause.name, clause.arity) not in callbacks or clause.body is None:
            continue
        for call, module, name in calls(clause.body):
            if module is None and in_async_function(call, within) is None and not _in_spawned_function(call, spawned):
                piped = call.parent is not None and call.parent.type == "binary_operator" and \
                    text(call.parent.child_by_field_name("operator")) == "|>" and \
                    call.parent.child_by_field_name("right").id == call.id
                found.setdefault((name, len(call_arguments(call)) + piped), f"{clause.name}/{clause.arity}")
    return found
