"""## What it does
Flags a `handle_async/3` clause that matches any exit (`{:exit, reason}`, or any result) for a name the
module cancels with `cancel_async/2,3`, and reports it as a failure (an error flash, an error assign, a
failed `AsyncResult`, an error log), with no earlier clause for the cancel and no look at the reason.

## Why is this bad?
Since LiveView 0.20.4, `cancel_async` kills the task and delivers `{:exit, {:shutdown, :cancel}}` (or the
reason given) to `handle_async/3`. A catch-all exit clause then tells the user that the work they just
cancelled on purpose "failed".

## Example
```elixir
def handle_event("cancel", _params, socket), do: {:noreply, cancel_async(socket, :export)}

def handle_async(:export, {:exit, _reason}, socket),
  do: {:noreply, put_flash(socket, :error, "Export failed")}
```

## Use instead
```elixir
def handle_async(:export, {:exit, {:shutdown, :cancel}}, socket), do: {:noreply, assign(socket, :exporting, false)}
def handle_async(:export, {:exit, _reason}, socket), do: {:noreply, put_flash(socket, :error, "Export failed")}
```

## False positives
A cancel followed by a `start_async` of the same name in the same function restarts the work: the
cancelled task's exit is then never delivered (its reference no longer matches), so it is not flagged.
Clauses that look at the reason (`:cancel`, `:shutdown`, the custom reason) are not flagged.

## Severity and confidence
Warning: a false error message, not lost data. High confidence: the cancel, the name and the clause are
all in the module.

## References
knowledge: async-work#always-handle-exit-reason
"""

import re
from bisect import bisect_left, bisect_right

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import callback_clauses, clause_hit, in_callback
from ...rule import Rule

# Behaviour, not API (so not in the manifest): async.ex stopped dropping the cancelled task in 0.20.4
# ("Send {:shutdown, :cancel} to handle_async/3 on cancel_async", CHANGELOG 0.20.4); before, no exit arrived.
RULE = Rule(
    slug="cancel_reported_as_failure", code="LV120", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="A deliberate cancel_async is reported as a failure by a catch-all exit clause.",
    fix="Match {:exit, {:shutdown, :cancel}} (or your cancel reason) in a clause before the catch-all exit clause.",
    cites="async-work#always-handle-exit-reason", since="0.20.4",
)
REPORTS_FAILURE = re.compile(r"put_flash\([^)]{0,80}:error|:error|\bfail|AsyncResult\.failed|Logger\.(error|warning)",
                             re.I)
LOOKS_AT_REASON = re.compile(r":cancel\b|:shutdown\b|:cancelled\b|:canceled\b")
MAX_STARTS_READ = 64  # start_async calls after one cancel_async read in its clause (bounds hostile input)
START_HEAD = 300  # bytes of a start_async call that hold its name (`start_async(socket, {:load, id}, fn ->`)


def _shape(node) -> str:
    """An async name with everything but literal atoms blanked: `{:upload, id}` and `{:upload, @id}` are one."""
    if node.type == "tuple":
        return "{" + ",".join(text(c) if c.type == "atom" else "_" for c in node.named_children) + "}"
    return text(node) if node.type == "atom" else "_"


def _cancelled_names(ctx) -> dict[str, str]:
    """Name shape -> the reason text (or the default) of each cancel_async not followed by a restart."""
    names = {}
    data = ctx.text.data  # the source as bytes: node offsets are byte offsets
    starts = sorted(start.start_byte for start, _, _ in ctx.calls({"start_async"}))
    for node, _, _ in ctx.calls({"cancel_async"}):
        args = call_arguments(node)
        piped = node.parent is not None and node.parent.type == "binary_operator" and "|>" in text(
            node.parent.child_by_field_name("operator"))
        name_arg = args[0] if piped else (args[1] if len(args) > 1 else None)
        if name_arg is None or name_arg.type not in ("atom", "tuple"):
            continue
        name = text(name_arg)
        clause = in_callback(ctx, node)
        restarted = clause is not None and _restarted(name, data, starts, node.start_byte, clause.node.end_byte)
        if not restarted:
            reason_arg = args[1] if piped and len(args) > 1 else (args[2] if not piped and len(args) > 2 else None)
            names[_shape(name_arg)] = text(reason_arg) if reason_arg is not None else ":cancel"
    return names


def _restarted(name: str, data: bytes, starts: list[int], after: int, before: int) -> bool:
    """Whether a start_async naming `name` in its first START_HEAD bytes follows between `after` and `before`
    (the cancel and the end of its clause); past MAX_STARTS_READ such calls it is taken as restarted."""
    first, last = bisect_right(starts, after), bisect_left(starts, before)
    if last - first > MAX_STARTS_READ:
        return True
    wanted = name.encode("utf-8")
    return any(wanted in data[start : start + START_HEAD] for start in starts[first:last])


def check(ctx):
    cancelled = _cancelled_names(ctx)
    if not cancelled:
        return
    handled_cancel: set[str] = set()
    for clause in callback_clauses(ctx, "handle_async", 3):
        if len(clause.params) < 2:
            continue
        result = text(clause.params[1]).replace(" ", "")
        shape = "*" if clause.params[0].type == "identifier" else _shape(clause.params[0])
        targets = set(cancelled) if shape == "*" else {shape} & set(cancelled)
        if not targets or targets <= handled_cancel:
            continue
        if result.startswith("{:exit,") and LOOKS_AT_REASON.search(result):
            handled_cancel |= targets
            continue
        generic_exit = re.fullmatch(r"\{:exit,_?[a-z]?\w*\}", result) or clause.params[1].type == "identifier"
        if not generic_exit:
            continue
        body = text(clause.body)
        if LOOKS_AT_REASON.search(body) or any(reason in body for t in targets for reason in [cancelled[t]]
                                               if reason != ":cancel"):
            continue
        if REPORTS_FAILURE.search(body):
            yield clause_hit(clause, f"{code_span('cancel_async')} delivers {code_span('{:exit, {:shutdown, :cancel}}')} "
                                     "here, and this clause reports it as a failure.")
            handled_cancel |= targets
