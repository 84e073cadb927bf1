"""## What it does
Flags `:timer.send_interval/2,3` started outside a `connected?` branch of `mount/3`, and timers started
from `handle_params/3` or `handle_event/3`, where each call adds another timer loop.

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
flagged, nor is an interval in a module that also cancels timers (a start/stop toggle keeping the ref).

## Severity and confidence
Warning: duplicated timers waste work and double updates. High where the start runs on every event; medium in
`mount/3`, where the dead render's timer fires into the process that answered the request until it ends
(under Bandit an HTTP/1.1 keep-alive connection's process: Bandit 1.1.0 and later discard the message, with
an error-level log line up to 1.2.0; Bandit 1.0 crashed the connection).

## References
knowledge: lifecycle#pubsub-topics-and-polling
"""

from ...helpers import hit, in_callback, unguarded
from ...rule import Rule

RULE = Rule(
    slug="timer_not_cancelled", code="LV110", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="A repeating timer is started where it can be started more than once.",
    fix="Start one timer in mount/3 under connected?/1 and reschedule it from handle_info/2.",
    cites="lifecycle#pubsub-topics-and-polling",
)


def check(ctx):
    if ctx.module is None:
        return
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
