"""## What it does
Flags a `mount/3` that reads a record or a stored value and then deletes it (or takes it out of its store)
by the same key: the value is consumed by mounting.

## Why is this bad?
`mount/3` runs more than once for one page: for the dead HTTP render and again when the socket connects, and
again on every reconnect (a deploy, a network blip, a laptop waking up) and every refresh. The first mount
deletes the value; the next finds nothing. Unguarded, the connected mount of the very first visit already
finds it gone; inside `connected?/1`, the page works until the first reconnect or refresh, then loses its
data.

## Example
```elixir
def mount(_params, session, socket) do
  result = Storage.get(session["upload_id"])
  Storage.delete(session["upload_id"])
  {:ok, assign(socket, result: result)}
end
```

## Use instead
Keep the value until the user is done with it (delete it on an explicit action, or let it expire), or move
it into the URL or a record the page can read again:
```elixir
def mount(%{"id" => id}, _session, socket) do
  {:ok, assign(socket, result: Analyses.get_result!(socket.assigns.current_scope, id))}
end
```

## False positives
Only a delete whose key (or whose record) is the one the same `mount/3` read is flagged: a one-time token
consumed on purpose (an email confirmation, a magic link) reads and deletes in the same way and is a true
finding only if the page must survive a reconnect; such flows usually redirect at once, and a `mount/3` that
ends in `push_navigate`/`redirect` right after the delete is not flagged. Map, Keyword and other in-memory
`delete`s are not writes and are skipped.

## Severity and confidence
Warning: the page breaks on reconnect or refresh, and data kept only for it is gone. High: the same key is
read and deleted in one `mount/3`.

## Versions
All versions from 0.20 to 1.2: `mount/3` runs for the dead and the connected render and on every reconnect.

## References
knowledge: lifecycle#connected-1-for-side-effects
"""

import re

from ....sanitize import code_span
from ...elixir_tree import text
from ...helpers import callback_clauses, clause_calls, hit
from ...rule import Rule

RULE = Rule(
    slug="mount_consumes_data", code="LV121", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="mount/3 reads a value and deletes it: the next mount finds nothing.",
    fix="Keep the value until the user is done with it, or put its key in the URL and read it again.",
    cites="lifecycle#connected-1-for-side-effects",
)
READ = re.compile(r"^(?:get|get!|fetch|fetch!|lookup|get_\w+|fetch_\w+)$")
DELETE = re.compile(r"^(?:delete|delete!|delete_\w+|take|pop|consume|consume_\w+)$")
# In-memory structures: deleting from them changes nothing stored.
IN_MEMORY = {"Map", "Keyword", "List", "MapSet", "Enum", "String", "Access", "Process", "Phoenix.Flash",
             "Plug.Conn", "Ecto.Changeset", "Phoenix.LiveView", "Phoenix.Component", "Stream", "Tuple"}
LEAVES = re.compile(r"\b(?:push_navigate|push_redirect|redirect)\b")


def _arguments(node) -> list[str]:
    args = next((child for child in node.children if child.type == "arguments"), None)
    return [text(arg).strip() for arg in args.named_children] if args is not None else []


def _bound_name(node) -> str | None:
    """`result = Storage.get(key)`: the variable the read's result is bound to."""
    parent = node.parent
    if parent is not None and parent.type == "binary_operator" and parent.child_by_field_name("right") == node:
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            return text(left)
    return None


def check(ctx):
    for clause in callback_clauses(ctx, "mount", 3):
        reads: dict[str, str] = {}  # a read's key or bound variable -> the read's name
        calls = sorted(clause_calls(clause), key=lambda call: call[0].start_byte)
        for node, module, name in calls:
            if module is None or module in IN_MEMORY or module.startswith(":"):
                continue
            args = _arguments(node)
            if READ.match(name) and args:
                if not args[0][:1].isupper():  # `Repo.get(Invite, id)`: a schema, not a key
                    reads.setdefault(args[0], f"{module}.{name}")
                if (bound := _bound_name(node)) is not None:
                    reads.setdefault(bound, f"{module}.{name}")
            elif DELETE.match(name) and (key := next((a for a in args if a in reads), None)) is not None:
                after = clause.body.text[node.end_byte - clause.body.start_byte:][:400].decode(errors="replace")
                if LEAVES.search(after.split("\n\n", 1)[0]):
                    continue
                yield hit(node, f"{code_span(f'{module}.{name}({key})')} deletes what {code_span(reads[key])} read in "
                                "this mount/3: the next mount (the connected render, a reconnect, a refresh) finds nothing.")
