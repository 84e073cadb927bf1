"""## What it does
Flags a write in `handle_event/3` (a `Repo` insert/update/delete, or a context `create_`/`update_`/
`delete_` function) whose `{:ok, _} | {:error, _}` result is thrown away.

## Why is this bad?
When the write fails (validation, a constraint, a stale record), the user sees nothing and the UI shows
a state the database does not have. Optimistic visuals never get reverted.

## Example
```elixir
def handle_event("archive", %{"id" => id}, socket) do
  Boards.archive_card(socket.assigns.current_scope, id)
  {:noreply, socket}
end
```

## Use instead
```elixir
case Boards.archive_card(socket.assigns.current_scope, id) do
  {:ok, card} -> {:noreply, stream_delete(socket, :cards, card)}
  {:error, _} -> {:noreply, put_flash(socket, :error, "Could not archive the card")}
end
```

## False positives
Bang functions (`Repo.insert!`) raise instead of returning errors and are not flagged. Context functions
are medium confidence: some return plain values.

## References
knowledge: reverting-optimistic-changes#choosing-a-revert-strategy
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_parts
from ...helpers import callback_clauses, hit
from ...rule import Rule

RULE = Rule(
    slug="mutation_result_ignored", code="LV116", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="The result of a write is ignored: failures go unnoticed.",
    fix="Match {:ok, _} and {:error, _} (case/with) and tell the user on error.",
    cites="reverting-optimistic-changes#choosing-a-revert-strategy",
)
REPO_WRITES = {"insert", "update", "delete", "insert_or_update"}
CONTEXT_WRITE = re.compile(r"^(create|update|delete|archive|insert|remove|save)_\w+$")


def check(ctx):
    for clause in callback_clauses(ctx, "handle_event", 3):
        body = clause.body
        if body is None or body.type not in ("do_block", "block"):
            continue
        statements = [c for c in body.named_children if c.type != "comment"]
        for statement in statements[:-1]:
            if statement.type != "call":
                continue
            module, name = call_parts(statement)
            if module and module.endswith("Repo") and name in REPO_WRITES:
                yield hit(statement, f"The result of {code_span(f'{module}.{name}')} is ignored.")
            elif module and name and CONTEXT_WRITE.match(name) and not name.endswith("!"):
                yield hit(statement, f"The result of {code_span(f'{module}.{name}')} is ignored.", confidence="medium")
