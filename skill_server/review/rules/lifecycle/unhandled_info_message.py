"""## What it does
Flags a message a LiveView sends itself (`send(self(), ...)`, `Process.send_after(self(), ...)`,
`:timer.send_interval/2,3`, `:timer.send_after/2,3`) that no `handle_info/2` clause of the module matches,
when the module has `handle_info/2` clauses and none of them is a catch-all.

## Why is this bad?
LiveView hands every message to `handle_info/2`. Once the module defines it, a message no clause matches
raises `FunctionClauseError` and the LiveView crashes (and with a timer, crashes again every interval after
the remount). A renamed message or a changed tuple size is enough.

## Example
```elixir
Process.send_after(self(), :refresh, 5_000)

def handle_info(:tick, socket), do: {:noreply, load(socket)}
```

## Use instead
```elixir
Process.send_after(self(), :tick, 5_000)
```

## False positives
Only literal atoms and tuples with a literal atom tag are compared (by tag and size). A catch-all clause,
an `attach_hook(..., :handle_info, ...)`, a `use` of a module that may define clauses, messages sent from
inside a task or spawned function (`self()` is then the task), other pids and PubSub messages are not
checked. A module with no `handle_info/2` at all drops unknown messages with a debug-level log line (nothing
at the default production level), so it is not flagged either.

## Severity and confidence
Error, harm crash: the first such message takes the LiveView down. High confidence: the message and every
clause are literals in view.

## References
knowledge: lifecycle#crashes-and-what-the-user-sees
"""

from ...elixir_tree import call_arguments, held_functions, holder_of, text
from ...helpers import hit
from ...receivers import may_define_callbacks_elsewhere
from ...rule import Rule

RULE = Rule(
    slug="unhandled_info_message", code="LV119", family="lifecycle", severity="error", confidence="high",
    languages=("elixir",), summary="A message the LiveView sends itself matches no handle_info/2 clause.",
    fix="Add a handle_info/2 clause for the message, or fix the message's name or shape.",
    cites="lifecycle#crashes-and-what-the-user-sees", harm="crash",
)
SENDERS = {("send", None): 1, ("send_after", "Process"): 1, ("send_interval", ":timer"): -1,
           ("send_after", ":timer"): -1}
MAX_MATCH_CHAIN = 200  # nodes of an `a = b = ...` message read
SPAWNERS = {"start", "start_link", "async", "async_nolink", "spawn", "spawn_link", "start_child", "start_async",
            "assign_async", "stream_async"}


def _shape(node) -> tuple[str, int] | None:
    """(tag, size) of a literal message: an atom is (atom, 0); a tuple with an atom first is (atom, size)."""
    stack = [node]  # `a = b = :msg` matches: left side first, then the right (a loop: chains may be long)
    for _ in range(MAX_MATCH_CHAIN):
        if not stack:
            return None
        node = stack.pop()
        if node is None:
            continue
        if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "=":
            stack += [node.child_by_field_name("right"), node.child_by_field_name("left")]
        elif node.type == "atom":
            return text(node), 0
        elif node.type == "tuple" and node.named_children and node.named_children[0].type == "atom":
            return text(node.named_children[0]), len(node.named_children)
    return None


def _message(node, module: str | None, name: str):
    """The message argument of a send to self(), or None when the target is not self()."""
    position = SENDERS.get((name, module))
    if position is None:
        return None
    args = call_arguments(node)
    if name == "send" or module == "Process":
        return args[1] if len(args) >= 2 and text(args[0]).replace(" ", "") == "self()" else None
    if len(args) == 3 and text(args[1]).replace(" ", "") != "self()":
        return None
    return args[-1] if len(args) in (2, 3) else None


def _accepted(module):
    """The (tag, size) shapes the handle_info/2 clauses accept, or None when some clause may accept anything."""
    shapes = set()
    for clause in module.clauses_of("handle_info", 2):
        shape = _shape(clause.params[0]) if clause.params else None
        if shape is None:
            first = clause.params[0] if clause.params else None
            if first is None or first.type in ("identifier", "unary_operator", "binary_operator"):
                return None  # a variable, `_`, or a pattern bound to one: a catch-all
            continue  # a struct or map pattern: never one of our atoms or tuples
        shapes.add(shape)
    return shapes


def check(ctx):
    module = ctx.module
    if module is None or module.kind != "live_view" or not module.clauses_of("handle_info", 2):
        return
    if may_define_callbacks_elsewhere(ctx, module) or any(
            ":handle_info" in text(node) for node, _, _ in ctx.calls({"attach_hook"})):
        return
    accepted = _accepted(module)
    if accepted is None:
        return
    spawned = held_functions(ctx.nodes, SPAWNERS)  # a send inside one goes to the spawned process, not ours
    for node, owner, name in ctx.calls({"send", "send_after", "send_interval"}):
        message = _shape(_message(node, owner, name))
        if message is None or message in accepted or holder_of(node, spawned) is not None:
            continue
        tag, size = message
        shown = tag if size == 0 else f"{{{tag}, ...}} of size {size}"
        yield hit(node, f"No handle_info/2 clause matches {shown}: the message crashes the LiveView.")
