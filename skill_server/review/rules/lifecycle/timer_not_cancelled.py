"""## What it does
Flags `:timer.send_interval/2,3` started outside a `connected?` branch of `mount/3`, and timers started
from `handle_params/3` or `handle_event/3`, where each call adds another timer loop. Also flags
`Process.send_after/3` in `handle_event/3` whose ref is kept in the socket (`assign(socket, :timer, ref)`: a
debounce, meant to replace the previous timer) in a module that never calls `cancel_timer`: every
event starts another timer and the stale ones still fire.

## Why is this bad?
Intervals keep firing until the process ends. Starting one from a callback that runs repeatedly (every
patch, every click) stacks timers, so the page polls twice, then three times as often.

## Example
```elixir
def handle_params(_params, _uri, socket) do
  :timer.send_interval(5000, :refresh)
  {:noreply, socket}
end
```

## Use instead
```elixir
def mount(_params, _session, socket) do
  if connected?(socket), do: Process.send_after(self(), :refresh, 5000)
  {:ok, socket}
end

def handle_info(:refresh, socket) do
  Process.send_after(self(), :refresh, 5000)
  {:noreply, load(socket)}
end
```

## False positives
A single `Process.send_after/3` in an event handler (an undo window, a delayed hide) is fine and is not
flagged, nor is one whose stored ref the module cancels somewhere, nor an interval in a module that also
cancels timers (a start/stop toggle keeping the ref).

## Severity and confidence
Warning: duplicated timers waste work and double updates. High where the start runs on every event; medium in
`mount/3`, where the dead render's timer fires into the process that answered the request until it ends
(under Bandit an HTTP/1.1 keep-alive connection's process: Bandit 1.1.0 and later discard the message, with
an error-level log line up to 1.2.0; Bandit 1.0 crashed the connection).

## References
knowledge: lifecycle#pubsub-topics-and-polling
"""

import re

from ...elixir_tree import text
from ...helpers import hit, in_callback, unguarded
from ...rule import Rule

RULE = Rule(
    slug="timer_not_cancelled", code="LV110", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="A repeating timer is started where it can be started more than once.",
    fix="Start one timer in mount/3 under connected?/1 and reschedule it from handle_info/2.",
    cites="lifecycle#pubsub-topics-and-polling",
)


# `ref = Process.send_after(...)` and the ref then kept under a key (`assign(socket, :timer, ref)`, `timer: ref`),
# or the call written straight in as the key's value.
BOUND = re.compile(r"(?<![\w.])([a-z_]\w{0,40})\s{0,4}=\s{0,4}Process\.send_after\(")
KEY_VALUE = r"(?:,\s{0,4}:\w{1,40}\s{0,4},|(?<![\w:])\w{1,40}:)\s{0,4}"
STORED_CALL = re.compile(KEY_VALUE + r"Process\.send_after\(")


def _stored_refs(ctx):
    """send_after calls in handle_event/3 whose ref is kept in the socket: the author means to cancel the previous
    timer when the event comes again (a debounce). With no cancel_timer in the module, every event adds one more."""
    if ctx.calls({"cancel_timer", "cancel"}):
        return
    bodies = {}
    for node, module, _ in ctx.calls({"send_after"}):
        if module != "Process":
            continue
        clause = in_callback(ctx, node)
        if clause is None or clause.name != "handle_event":
            continue
        if clause.node.start_byte not in bodies:
            body = text(clause.body)[:20000]
            stored = bool(STORED_CALL.search(body)) or any(
                re.search(KEY_VALUE + re.escape(name) + r"\b", body) for name in set(BOUND.findall(body)))
            bodies[clause.node.start_byte] = stored
        if bodies[clause.node.start_byte]:
            yield hit(node, "The timer's ref is kept in the socket but never cancelled: each event starts another "
                            "timer and the earlier ones still fire. Cancel the stored ref with "
                            "`Process.cancel_timer/1` before starting the next.")


def check(ctx):
    if ctx.module is None:
        return
    yield from _stored_refs(ctx)
    for node, module, name in ctx.calls({"send_interval", "apply_interval"}):
        if module != ":timer":
            continue
        clause = in_callback(ctx, node)
        if clause is None:
            continue
        if clause.name in ("handle_params", "handle_event"):
            # A start/stop toggle that cancels the stored ref elsewhere cannot stack intervals.
            if ctx.calls({"cancel", "cancel_timer"}):
                continue
            yield hit(node, f":timer.{name} in {clause.name}/3 starts another interval each time it runs.")
        elif clause.name == "mount" and unguarded(node, clause):
            yield hit(node, f":timer.{name} in mount/3 outside connected? also runs for the dead render.",
                      confidence="medium")
