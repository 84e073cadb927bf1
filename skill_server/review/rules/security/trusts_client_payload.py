"""## What it does
Flags event handlers that take identity or authority from the client payload: `user_id`, `owner_id`,
`role`, `is_admin`, `tenant_id`, `org_id`, `account_id` (high confidence) or `price`, `amount`, `total`
(medium), bound from `handle_event/3` params and used in the handler.

## Why is this bad?
The payload comes from the browser, and any value in it can be forged. Who the user is, what they may do
and what things cost must come from the server: the session's scope and the database.

## Example
```elixir
def handle_event("create", %{"user_id" => user_id, "body" => body}, socket) do
  Blog.create_post(%{user_id: user_id, body: body})
```

## Use instead
```elixir
def handle_event("create", %{"body" => body}, socket) do
  Blog.create_post(socket.assigns.current_scope, %{body: body})
```

## False positives
Ids of the thing acted on (`"id"`, `"post_id"`) are normal and covered by `missing_authorization`. A
`"user_id"` that is only looked up (the member to remove, the profile to show) may be a target the code
then authorizes: low confidence (strict only). High confidence needs the value written as data
(`user_id: user_id`); a role or admin flag from the client is high however it is used, unless the same
payload names another user (the member being added: `"email" => ..., "role" => ...`): then the role is
data about that member, and whether the acting user may grant it is an authorization question (low). A
price or amount written as data is medium: it may be the user's own choice (a donation, a bid).

## Severity and confidence
Error, harm security: identity, permissions or prices can be forged. High when the value is written as data or
is a permission; medium for an amount written as data; low for values only looked up.

## References
knowledge: security#treat-payloads-and-params-as-untrusted
"""

import re

from ...elixir_tree import text
from ...helpers import callback_clauses, clause_hit
from ...rule import Rule

RULE = Rule(
    slug="trusts_client_payload", code="LV602", family="security", severity="error", confidence="high",
    languages=("elixir",), summary="Identity, permissions or prices are taken from the client payload.",
    fix="Read them from socket.assigns (the scope) and the database, never from the event.",
    cites="security#treat-payloads-and-params-as-untrusted", harm="security",
)
AUTHORITY = {"user_id", "owner_id", "author_id", "role", "is_admin", "admin", "tenant_id", "org_id",
             "organization_id", "account_id"}
PERMISSIONS = {"role", "is_admin", "admin"}  # a permission from the client is never a lookup target
SOCKET_ONLY = re.compile(r"\b(assign|push_patch|push_navigate|update)\(|~p\"")  # the socket or URL, not data
MONEY = {"price", "amount", "total", "discount", "cost"}
TARGET_USER = re.compile(r'"(email|username|email_or_username|login|member_id|invitee\w*|user_id|membership_id)"\s*=>')


def check(ctx):
    for clause in callback_clauses(ctx, "handle_event", 3):
        if len(clause.params) < 2:
            continue
        payload = text(clause.params[1])
        body = text(clause.body)
        for key, variable in re.findall(r'"(\w+)"\s*=>\s*(\w+)', payload):
            if key not in AUTHORITY | MONEY or variable.startswith("_"):
                continue
            if not re.search(r"\b" + re.escape(variable) + r"\b", body):
                continue
            # Proven: the client's value is written as the owner, role or price (`user_id: user_id`).
            # Only looked up (`get_member!(org, user_id)`), it may be a target the code then authorizes.
            data_lines = "\n".join(line for line in body.splitlines() if not SOCKET_ONLY.search(line))
            written = re.search(r"\b\w+:\s*" + re.escape(variable) + r"\b|=>\s*" + re.escape(variable) + r"\b",
                                data_lines)
            # A role for another user (the member being added or changed) is data about that target; whether the
            # acting user may grant it is an authorization question (missing_authorization), not proven here.
            for_someone_else = key in PERMISSIONS and TARGET_USER.search(payload)
            proven = (key in PERMISSIONS and not for_someone_else) or (key in AUTHORITY and written)
            # A price written as data is the classic forged-price bug, but an amount may be the user's own
            # choice (a donation, a bid): medium, shown because a true finding is a hole. Only looked up, or
            # a role granted to someone else, it may well be authorized further on: low.
            confidence = None if proven else "medium" if key in MONEY and written else "low"
            yield clause_hit(clause, f'"{key}" from the client is used as authority.', confidence)
