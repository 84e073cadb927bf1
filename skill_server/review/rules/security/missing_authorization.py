"""## What it does
Flags a `handle_event/3` that loads a record by an id from the event payload with a bare `Repo.get`/
`Repo.get!` (no scope or owner in the query) and then changes or deletes it.

## Why is this bad?
Any client can send any event with any id. Without a check that the record belongs to the current user
or tenant, one user can delete or edit another's data (an insecure direct object reference). Hiding the
button does not help.

## Example
```elixir
def handle_event("delete", %{"id" => id}, socket) do
  post = Repo.get!(Post, id)
  {:ok, _} = Repo.delete(post)
  {:noreply, socket}
end
```

## Use instead
```elixir
post = Blog.get_post!(socket.assigns.current_scope, id)   # queries where: p.user_id == ^scope.user.id
{:ok, _} = Blog.delete_post(socket.assigns.current_scope, post)
```

## False positives
Single-user or admin-only apps have a different model: without signs of multiple users in the module
(`current_scope`, `current_user`, an org or tenant) the finding is medium confidence.

## References
knowledge: security#authorize-every-event
"""

import re

from ....sanitize import code_span
from ...elixir_tree import text
from ...helpers import callback_clauses, clause_calls, hit
from ...rule import Rule

RULE = Rule(
    slug="missing_authorization", code="LV601", family="security", severity="error", confidence="high",
    languages=("elixir",), summary="A record loaded by a client-sent id is changed without an ownership check.",
    fix="Load it through a scoped query (the current scope or user) before changing it.",
    cites="security#authorize-every-event",
)
MULTI_USER = re.compile(r"current_scope|current_user|current_org|tenant|organization_id|org_id")
CHANGE = re.compile(r"Repo\.(update|delete|insert)|\.(update|delete|archive|remove)_\w+\(")


def check(ctx):
    confidence = None if ctx.text.search(MULTI_USER) else "medium"
    for clause in callback_clauses(ctx, "handle_event", 3):
        payload = text(clause.params[1]) if len(clause.params) > 1 else ""
        keys = set(re.findall(r'"(\w*id)"\s*=>\s*(\w+)', payload))
        variables = {var for _, var in keys}
        if not variables or not CHANGE.search(text(clause.body)):
            continue
        for node, module, name in clause_calls(clause, {"get", "get!", "get_by", "get_by!"}):
            if module is None or not module.endswith("Repo"):
                continue
            args = text(node)
            if any(re.search(r"\b" + re.escape(v) + r"\b", args) for v in variables):
                yield hit(node, f"{code_span(f'{module}.{name}')} loads a record by a client-sent id with no ownership check.",
                          confidence)
