"""## What it does
Flags event handlers that take identity or authority from the client payload: who acts (`user_id`, `owner_id`,
`creator_id`, `author_id`, `sender_id`, `buyer_id`, `payer_id`, `approved_by_id`), what they may do (`role`,
`role_id`, `is_admin`, `is_staff`, `permissions`, `access_level`), and which organisation (`tenant_id`, `org_id`,
`account_id`, `workspace_id`, `company_id`) (high confidence); what something costs (`price`, `unit_price`,
`price_cents`, `amount`, `total`, `subtotal`, `discount`, `fee`, `balance`: medium); and whether a payment or request
is settled (`paid`, `approved`, `verified_at`, `payment_status`, and a plain `status` or `state` written to a record
about money, such as `Repo.get!(Invoice, id) |> Invoice.changeset(%{status: params["status"]})` or
`Orders.update_order(order, %{status: s})`: medium). The value is bound from `handle_event/3` params in the head or
read in the body (`Map.get(params, "user_id")`, `params["user_id"]`, `{:ok, fee} = Map.fetch(params, "fee")`, a
`with %{"user_id" => uid} <- params` match, a `case params do %{"role" => role} ->` clause, or kept by
`Map.take(params, [..., "user_id"])` in the map the handler writes) and used in the handler. A value read in the body
is reported where it is read; one bound in the head, at the head; and any payload key the module's
own template fills from an identity the server already holds (`phx-value-contact_id={@contact.id}`,
`phx-value-user_id={@current_user.id}`); a `_uuid` key reads as its `_id` (`user_uuid` is `user_id`).

A payload id the page already keeps in an assign of the same name (`%{"order_id" => order_id}` where mount sets
`socket.assigns.order_id` and other handlers read it), handed to a call that acts on it without a comparison with the
held one, is medium: the client can name another record than the one the page is about. So is a payload id of the
record the page shows (`"backtest_id"` where mount assigns `:backtest` and the handlers read
`socket.assigns.backtest.id`) handed to the app's module without the acting user and never compared with the held
one (`Trades.list_for_backtest(backtest_id, page)`); not on a page that lists those records (`:backtests`) or starts
with none (`backtest: nil`), where the id is a row's.

The client's values are followed through the handler's tree too (`review/taint.py`): a nested read
(`params["post"]["user_id"]`, `get_in(params, ["post", "user_id"])`), `Map.put(attrs, "user_id", params["x"])`,
`Map.take(params, ~w(title user_id))` handed to a write, conversions and pipes, and this module's own functions given
the params; written as data under an owner's key (a `team_id` too), high. The client's value kept over the server's
(`Map.update(params, "user_id", id, & &1)`, `%{"user_id" => id} |> Map.merge(params)`) and a payload value that comes
first with the acting user (`params["sender_id"] || current_user.id`) or a price the server holds only as its fallback
(`Map.get(params, "amount", @order.amount)`) are medium.

Also flags a handler that writes a form's params when the form carries an owner or permission in a hidden
field (`<.input field={@form[:user_id]} type="hidden" value={@current_user.id} />`, `<input type="hidden"
name="post[author_id]">`).

And a handler that writes the whole payload, or a form's whole params map, of an event whose payload the module's
own page fills with an owner, a permission, an acting party or a price: a `phx-value-*` of the control that sends it
(`phx-value-unit_price={p.price}`, any key given `@current_user.id`), a hidden input of the form it submits
(`<input type="hidden" name="role">`, `<.input field={@form[:amount]} type="hidden">`), or a hook's
`pushEvent("spin", {player_id: ...})` in the file, then `Carts.add_line(cart, params)` (medium): the page sends the
key for a reason, and any client can set it. A map narrowed first (`Map.take(params, ["qty"])`), read by key, or
whose key the handler sets itself is not written whole.

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
A form's params handed whole to a context or changeset (`Orders.update_order(scope, order, order_params)`, the form
named like the schema) are the user's own fields, cast by the changeset: not flagged. Nor is an owner id that the
handler only compares with the acting user's (`if to_string(user.id) == user_id`, `user` being
`socket.assigns.current_user`), nor a task's `status` on a record that is not about money. A `status` the user picks in
a visible field of the module's form, or that a reviewer sets after the handler checks their right (`authorize`,
`can?`, `can_manage_members?`, a role compared) or on an administrator's or an admin-gated organisation page, is low.
Ids of the thing acted on (`"id"`, `"post_id"`, a row's `member.id`) are normal and covered by
`missing_authorization`. A `"user_id"` that is only looked up (the member to remove, the profile to show) may
be a target the code then authorizes: low confidence (strict only). Handed to a function of the same module, that
function is read (two levels deep): one that only looks the value up (`profile = get_profile(user_id)`, then
updates the caller's own record) grants nothing with it (low); one that stores it (`user_id: user_id`) counts. High confidence needs the value written as
data (`user_id: user_id`); a role or admin flag from the client is high however it is used, unless the same
payload names another user (the member being added: `"email" => ..., "role" => ...`): then the role is data
about that member, and whether the acting user may grant it is an authorization question: low when the role is not
seen written, when the handler checks the actor's right (`authorize`, `can?`, a `can_...?` or `...admin?` predicate, a
policy, a role compared) or on an administrator's page; written with no check in view, it is shown. A price or
amount written as data is medium: it may be the user's own choice (a donation, a bid). A key whose value is a form's map of fields (`%{"admin" => params}` from `to_form(changeset, as: :admin)`,
read as `params["password"]`) names the form, not a permission, and is not flagged. A value first checked
against a collection the server holds (`Enum.member?(available_styles, role)`, `role in socket.assigns.options`,
`Map.fetch(@plans, plan)`, `Enum.find(socket.assigns.developers, &(&1.id == user_id))`) is only picked among what
the server offers: low, also for an id the template sends back from a listed record. An owner id only compared
(`where: c.user_id == ^user_id`) in a handler scoped by the acting user or organisation (`current_org`) picks a
target among their records: low. An amount the user types into a visible field of the module's form (the amount
they release or pay) is their choice: low. A literal allow-list in the
handler (`role in ["admin", "member"]`) still lets a client pick any of them, so it does not count. On a
LiveView only administrators reach (its own `on_mount` names a privileged role, or in project review the router
mounts it only in live_sessions whose on_mount does), a role or owner in the payload is the administrator's
choice for another record: low, since whether the context limits the values is not visible here. The same holds
on an organisation's page whose `mount/3` turns away everyone without an admin right (`Orgs.authorize(user.id,
org.id, "admin")`, `can?(user, :manage, team)`, then a redirect): the member an admin adds and the role they pick
are theirs to choose (low); an organisation or tenant id in the payload is not, and stays.

A price or cost the owner sets on their own record is theirs to edit (low): the handler writes through the acting
user's scope (`Market.update_listing(socket.assigns.current_scope, listing, %{cost: cost})`), the module loads those
records through it (`get_listing!(current_scope, id)`), and nothing in the handler is bought, paid or booked (an
order, a cart, a checkout, a ticket, a bid).

An amount is the user's own choice, not a price the server owns, when they type it: a visible field of the
module's form (`<.input field={@form[:amount]}>`, `<input name="amount" type="number">`), or the same action
started elsewhere in the module with the amount read from a submitted map (a button's `"amount"` going to
`start_transfer/2`, which a `handle_info({:transfer_submitted, attrs}, ...)` also calls with `attrs["amount"]`):
low. So is a value a button sends (`phx-value-delta={-1}`) that another clause of the same event writes under the same
key from a field the user types (a stock count typed into a number input, recorded as the movement's `amount`): the
user already sets any amount for that write. In project review the module's separate template
(`shelf_live.html.heex` beside `shelf_live.ex`) is read for those fields too. A price only a button sends stays medium,
and its message names the key's own word (an amount, a total, a price), not a price where the code has none.

Three more forms, medium (shown): an owner set only as a default, so the client's value wins when it sends one
(`comment_params |> Map.put_new("user_id", current_user.id)`, `Map.merge(%{"user_id" => id}, params)`, in a
handler or a helper given the params); a verdict the server should decide read from the client in a record of the
acting user's own action (`%{user_id: user.id, correct?: params["correct"] == "true"}`; a teacher's editor setting
which option is correct writes no acting user and is not flagged); and the stored file named by the payload
(`"key" => filename`, `"path" => path` written) while the handler throws away what `consume_uploaded_entries/3`
returns. The default counts for any id the server holds too (`Map.put_new(params, "board_id",
socket.assigns.board.id)`), and so does the client's value written first with the server's only as its fallback
(`list_id: params["list_id"] || socket.assigns.list.id`, `Map.get(params, "owner_id", current_user.id)`; a page
number, a sort or a selection assigned to the socket is the page's own state and is not flagged). A payload key naming
a record the module already reads off the acting user (`"attendee_id"` where it reads `current_user.attendee.id`)
and written as data is medium too: the client can name another person's record.

Test code is not checked at all (a file under `test/`, `*_test.exs`, a `...Fixtures` or `...Factory` module):
a fixture that fills `user_id` only as a default for the `attrs` a test passes is the test's convenience, and no
client ever reaches it.

## Severity and confidence
Error, harm security: identity, permissions or prices can be forged. High when the value is written as data or
is a permission; medium for an amount written as data, for a payload the page fills with such a key written whole
(the changeset may cast only safe fields), and for a form's hidden owner or permission field
written with its params (low when the handler passes the acting user or scope, which the context may use instead); low for values only looked up or picked from a list the
server holds, and on administrator-only pages.

## References
knowledge: security#treat-payloads-and-params-as-untrusted
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ....sanitize import code_span
from ...elixir_tree import call_arguments, call_parts, calls, code_text, is_defmodule, text, walk
from ...helpers import callback_clauses, clause_hit, hit
from ...privileged import admin_gated, privileged_only
from ...provenance import ID_KEY, actor_keys, params_maps, payload_bindings
from ...reading_limits import reached
from ...rule import Hit, Rule
from ...sibling_template import sibling_template
from ...taint import PLAIN_MODULES, payload_flow
from ...template import nearest

RULE = Rule(
    slug="trusts_client_payload", code="LV602", family="security", severity="error", confidence="high",
    languages=("elixir",), summary="Identity, permissions or prices are taken from the client payload.",
    fix="Read them from socket.assigns (the scope) and the database, never from the event.",
    cites="security#treat-payloads-and-params-as-untrusted", harm="security",
)
@dataclass(frozen=True)
class KeyFamily:
    """Payload keys named for one kind of authority, as a pattern over the whole key (`creator_id`, `workspace_id`,
    `price_cents`): `key in FAMILY` tests it; `|` and `-` combine families."""

    pattern: str

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and re.fullmatch(self.pattern, key) is not None

    def __or__(self, other: "KeyFamily") -> "KeyFamily":
        return KeyFamily(f"(?:{self.pattern})|(?:{other.pattern})")

    def __sub__(self, other: "KeyFamily") -> "KeyFamily":
        return KeyFamily(f"(?!(?:{other.pattern})$)(?:{self.pattern})")


# Who owns or acts (the record's owner, its organisation), and what a user may do: never the client's to say.
TENANT = KeyFamily(r"(?:tenant|org|organization|organisation|account|workspace|company)_id")  # never an admin's pick
PERMISSIONS = KeyFamily(r"role(?:_id)?|roles|is_admin|admin|is_superuser|superuser|is_staff|is_moderator|moderator|"
                        r"permissions?|privileges?|access_level")  # never a lookup target
# The acting party of a record: its owner, author, sender, buyer or payer, the user who created, updated or approved it.
AUTHORITY = KeyFamily(r"(?:user|owner|author|creator|created_by|sender|buyer|payer|uploader|\w{1,20}_by)_id") | TENANT | PERMISSIONS
SOCKET_ONLY = re.compile(r"\b(assign|push_patch|push_navigate|update)\(|~p\"")  # the socket or URL, not data
# What something costs: `price`, `unit_price`, `price_cents`, `total_amount`, `discount` (not `discount_code`).
MONEY = KeyFamily(r"(?:[a-z]{1,30}_)?(?:price|amount|total|subtotal|discount|cost|fee|balance|credits)"
                  r"(?:_(?:cents|amount|value|in_cents|percent|pct))?")
TARGET_USER = re.compile(r'"(email|username|email_or_username|login|member_id|invitee\w*|user_id|membership_id)"\s*=>')


READER = re.compile(r"^(get|fetch|find|list|load|search|count|by|preload|exists|lookup)(_|!|\?|$)")
CONVERSIONS = {"to_integer", "to_string", "parse", "trim", "to_atom", "to_existing_atom", "cast", "dump"}
SOCKET_CALLS = {"assign", "push_patch", "push_navigate", "update", "put_flash", "inspect", "log", "info", "debug"}
IDENTITY = re.compile(r"(^|_)(user|account|member|customer|profile|person|contact|owner|author|org|organization|team|"
                      r"tenant|scope|employee)$")
SERVER_VALUE = re.compile(r"^@([a-z_]\w*)(?:\.([a-z_]\w*))*$")


HELPER_DEPTH = 2  # local helpers followed: `handle_event -> switch_profile(socket, user_id) -> ...`


def _passed_to_writer(clause, variable: str, module=None, depth: int = HELPER_DEPTH, memo: dict | None = None) -> bool:
    """The variable reaches a call that is not a lookup or a socket update (`toggle_like(user_id, id)`), through
    conversions such as String.to_integer/1. Handed to this module's own function, that function's clauses are
    followed: a helper that only looks the value up (`profile = get_profile(user_id)`) writes nothing with it.
    `memo` (one per file) keeps each answer and each body's uses, so a handler reading many values, or calling one
    helper many times, is walked once (audit 9 N2)."""
    memo = {} if memo is None else memo
    key = ("writer", clause.node.id, variable, depth)
    if key not in memo:
        memo[key] = _reaches_writer(clause, variable, module, depth, memo)
    return memo[key]


def _reaches_writer(clause, variable: str, module, depth: int, memo: dict) -> bool:
    for node, current in _calls_around(clause.body, variable, memo):
        remote, name = call_parts(current)
        if name and not READER.match(name) and name not in SOCKET_CALLS and name not in ("if", "case", "with"):
            if remote is None and module is not None and not _helper_writes(current, node, module, depth, memo):
                continue
            return True
    return False


def _calls_around(body, variable: str, memo: dict) -> list:
    """(identifier, the innermost call of the body around it that is not a conversion) for each use of the
    variable in the body (as walk(body) reads it, nested modules left out), found in one pass down for every
    variable of the body at once: a walk up from each use asks every ancestor for its parent, which tree-sitter
    finds from the root (issue 17)."""
    key = ("uses", body.id)
    if key not in memo:
        uses: dict[str, list] = {}
        stack = [(child, body if body.type == "call" and call_parts(body)[1] not in CONVERSIONS else None)
                 for child in body.children]
        while stack:
            node, around = stack.pop()
            if node.type == "call" and is_defmodule(node):
                continue
            if node.type == "identifier" and around is not None:
                uses.setdefault(text(node), []).append((node, around))
            inner = node if node.type == "call" and call_parts(node)[1] not in CONVERSIONS else around
            stack.extend((child, inner) for child in node.children)
        memo[key] = uses
    return memo[key].get(variable, [])


def _helper_writes(call, value, module, depth: int, memo: dict) -> bool:
    """Whether a local call (`switch_profile(socket, user_id)`) writes the argument: each clause of the function is
    read with the parameter in that position; a clause matching a literal there (`nil`) never sees the value. An
    unknown function, a piped call or one nested too deep counts as a write."""
    _, name = call_parts(call)
    arguments = call_arguments(call)
    index = next((i for i, a in enumerate(arguments) if a.start_byte <= value.start_byte < a.end_byte), None)
    clauses = [c for c in _followed_clauses(module, name, len(arguments)) if c.body is not None]
    if index is None or not clauses or depth <= 0 or (call.parent is not None and call.parent.type == "binary_operator"
                                                    and text(call.parent.child_by_field_name("operator")) == "|>"):
        return True
    for helper in clauses:
        parameter = helper.params[index] if index < len(helper.params) else None
        if parameter is None or parameter.type != "identifier":
            if parameter is not None and parameter.type in ("nil", "atom", "string", "integer", "boolean"):
                continue  # a clause for a literal (`nil`) does not receive the client's value
            return True
        name_in_helper = text(parameter)
        if name_in_helper.startswith("_"):
            continue
        if _written_as_data(_data_lines(helper.body, memo), name_in_helper) or _passed_to_writer(helper, name_in_helper, module, depth - 1,
                                                                               memo):
            return True
    return False


def _data_lines(body, memo: dict) -> str:
    """The lines of a body that do more than update the socket, read once per body."""
    key = ("data_lines", body.id)
    if key not in memo:
        memo[key] = "\n".join(line for line in text(body).splitlines() if not SOCKET_ONLY.search(line))
    return memo[key]


def _memo(ctx) -> dict:
    """Answers about this file's handlers kept while the rule reads it (node ids are unique within its tree)."""
    return ctx.text.once("trusts_client_payload:memo", dict)


# Each of these questions is asked once per value a handler reads, so each reads its text once into the names it
# finds in place of the value, and the value is looked up (audit 12 P6: a regex per value over the whole body was
# quadratic in a handler's reads). Texts are the bodies of one file; the caches hold a few.
WRITTEN_UNDER_KEY = re.compile(r"\b(?=\w+:\s*(\w+))|=>\s*(\w+)")
MEMBER_OF = re.compile(r"Enum\.member\?\(\s{0,8}[@a-z_][\w.@\[\]:]{0,120},\s{0,8}(\w+)\s{0,8}\)|"
                       r"\b(?=(\w+)\s{1,8}in\s{1,8}[@a-z_])|"
                       r"Map\.(?:has_key\?|fetch!?)\(\s{0,8}[@a-z_][\w.@]{0,120},\s{0,8}(\w+)\s{0,8}\)")
FOUND_IN = re.compile(r"Enum\.(?:find|find_value|any\?)\(\s{0,8}(?:socket\.assigns\.|assigns\.|@)[a-z_]\w{0,60}\s{0,8},"
                      r"([^\n]{0,200})")
COMPARED_TO = re.compile(r"==\s{0,8}(\w+)")
SCOPE_WORD = re.compile(r"\bcurrent_(?:org|organization|user|scope|account|team)\b")


@lru_cache(maxsize=8)
def _words(body: str) -> frozenset[str]:
    """The words of a body, read once: whether a value is used at all is a lookup, not a search per value."""
    return frozenset(re.findall(r"\w+", body))


@lru_cache(maxsize=8)
def _written_names(data_lines: str) -> frozenset[str]:
    return frozenset(a or b for a, b in WRITTEN_UNDER_KEY.findall(data_lines))


def _written_as_data(data_lines: str, variable: str) -> bool:
    """`user_id: user_id` or `"user_id" => user_id`: the value stored under a key."""
    return variable in _written_names(data_lines)


@lru_cache(maxsize=8)
def _server_list_members(body: str) -> frozenset[str]:
    names = {a or b or c for a, b, c in MEMBER_OF.findall(body)}
    for window in FOUND_IN.findall(body):
        names |= {match.group(1) for match in COMPARED_TO.finditer(window) if match.start() <= 160}
    return frozenset(names)


def _picked_from_server_list(body: str, variable: str) -> bool:
    """The value is checked for membership in a collection held in a variable or the assigns (not a literal
    list): `Enum.member?(available, name)`, `name in socket.assigns.options`, `Map.fetch(@styles, name)`."""
    return variable in _server_list_members(body)


@lru_cache(maxsize=8)
def _uses_and_tests(body: str) -> tuple[Counter, Counter, bool]:
    uses = Counter(re.findall(r"(?<![.\w])(\w+)", body))  # not a field of the same name (`c.user_id`)
    tests = Counter(re.findall(r"==\s{0,8}\^?(\w+)", body)) + Counter(re.findall(r"(?<![.\w^])(\w+)\s{0,8}==", body))
    return uses, tests, SCOPE_WORD.search(body) is not None


def _scoped_filter(body: str, variable: str) -> bool:
    """Every use of the value is an equality test (`where: c.user_id == ^user_id`, `&(&1.id == user_id)`) and the
    handler scopes by the acting user or organisation (`current_org`): the id picks a target among the acting
    user's own records; whether that is enough is an authorization question (missing_authorization)."""
    uses, tests, scoped = _uses_and_tests(body)
    return uses[variable] > 0 and uses[variable] == tests[variable] and scoped


# The acting user bound to a local in a handler: `user = socket.assigns.current_user`, `%{current_user: me} = socket.assigns`.
ACTOR_LOCAL = re.compile(r"\b([a-z_]\w{0,40})\s{0,4}=\s{0,4}socket\.assigns\.current_(?:user|scope|account)\b(?!\.)|"
                         r"\bcurrent_(?:user|scope|account):\s{0,4}([a-z_]\w{0,40})\b")


def _checked_against_actor(body: str, variable: str, memo: dict) -> bool:
    """Every use of the client's id is a comparison with the acting user (`to_string(user.id) == user_id` where `user` is
    `socket.assigns.current_user`, `user_id != current_user.id`): the handler refuses any other id, so the value grants
    nothing (what it writes is the server's). The body's lines are indexed by the names they use once per body, so many
    values read in one handler do not each rescan it."""
    key = ("actor_lines", hash(body), len(body))
    if key not in memo:
        actors = {a or b for a, b in ACTOR_LOCAL.findall(body)}
        actor = re.compile(r"current_(?:user|scope|account)\b" + "".join(rf"|\b{re.escape(a)}\." for a in sorted(actors)))
        index: dict[str, list[bool]] = {}
        for line in body.splitlines():
            compares = re.search(r"[=!]==?", line) is not None and actor.search(line) is not None
            written = {a or b for a, b in WRITTEN_NAME.findall(line)} if compares else set()
            for name in set(USED_NAME.findall(line)):
                # a comparison with the acting user, and the name not written under a key on the same line
                index.setdefault(name, []).append(compares and name not in written)
        memo[key] = index
    uses = memo[key].get(variable, [])
    return bool(uses) and all(uses)


USED_NAME = re.compile(r"(?<![.\w:])([a-z_]\w{0,60})\b(?!:)")
WRITTEN_NAME = re.compile(r"\b\w{1,60}:\s{0,4}([a-z_]\w{0,60})\b|=>\s{0,4}([a-z_]\w{0,60})\b")


FORM_NAME = re.compile(r'^(?:\w{1,40}\[)?(\w{1,40})\]?$')  # `amount`, `payment[amount]`


FIELD_ATOM = re.compile(r":(\w{1,40})")  # an input kit's field by name: `<.number_input form={f} field={:amount} />`
# An app's own input component for a kind of typed value: `.number_input`, `.text_input`, `.money_input`, and the
# kits' fields (Petal's `.field` and `.form_field`, `.text_field`).
TYPED_INPUT = re.compile(r"\.(?:[a-z]{1,20}_)?(?:input|field)")


def _typed_input(tag: str) -> bool:
    return tag in ("input", ".input", "select") or (TYPED_INPUT.fullmatch(tag) is not None and "hidden" not in tag)


def _typed_fields(ctx) -> set[str]:
    """Fields of a form the user types into (`<.input field={@form[:amount]} type="number">`, `<input
    name="payment[amount]" type="number">`, an input kit's `<.number_input form={f} field={:amount} />`, not
    hidden): a value the user chooses, such as the amount they pay."""
    typed = set()
    sibling = sibling_template(ctx) if ctx.module is not None else None  # `stock_live.html.heex` beside the module
    for template in [*ctx.templates, *([sibling] if sibling is not None else [])]:
        for element in template.elements:
            kind, field, name = element.attrs.get("type"), element.attrs.get("field"), element.attrs.get("name")
            value = (field.value or "").strip() if field is not None and field.is_expr else ""
            picked = FORM_FIELD.fullmatch(value) or FIELD_ATOM.fullmatch(value) if value else None
            if picked is None and name is not None and not name.is_expr and element.tag in ("input", "select"):
                picked = FORM_NAME.match((name.value or "").strip())
            if _typed_input(element.tag) and picked and (kind is None or kind.value != "hidden"):
                typed.add(picked.group(1))
    return typed


def _local_calls_given(body, memo: dict) -> dict[str, set[str]]:
    """word -> the module's own functions (not socket updates) a body calls with that word in an argument, read
    once per body (audit 12 P6: every value of a handler walked every call of its body)."""
    key = ("given", body.id)
    if key not in memo:
        index: dict[str, set[str]] = {}
        for call, module, name in calls(body):
            if module is None and name not in SOCKET_CALLS:
                for word in {w for argument in call_arguments(call) for w in re.findall(r"\w+", text(argument))}:
                    index.setdefault(word, set()).add(name)
        memo[key] = index
    return memo[key]


def _local_calls(body, memo: dict) -> set[str]:
    """The names of the local functions a body calls, read once per body."""
    key = ("local_calls", body.id)
    if key not in memo:
        memo[key] = {name for _, module, name in calls(body) if module is None}
    return memo[key]


def _typed_elsewhere(ctx, clause, key: str, variable: str) -> bool:
    """The amount goes to a function of this module (`handle_initiate_transfer(socket, %{amount: amount})`) that
    another clause also calls with the same key read out of a map the user submitted (`attrs["amount"]` of a
    form's params, or of a message the form's component sends): the user already picks any amount for that same
    action, so the payload's grants nothing more."""
    if ctx.module is None or clause.body is None:
        return False
    memo = _memo(ctx)
    given = _local_calls_given(clause.body, memo).get(variable, set())
    if not given:
        return False
    read = re.compile(r'(?<![\w.])[a-z_]\w{0,40}\[\s{0,4}"' + re.escape(key) + r'"\s{0,4}\]')
    for other in ctx.module.clauses:
        if other.node.id == clause.node.id or other.body is None or other.name in given:
            continue
        if ("reads", key, other.body.id) not in memo:
            memo[("reads", key, other.body.id)] = read.search(text(other.body)) is not None
        if memo[("reads", key, other.body.id)] and not given.isdisjoint(_local_calls(other.body, memo)):
            return True
    return False


def _typed_in_same_action(ctx, clause, key: str, typed: set[str]) -> bool:
    """Another clause of the same event writes the same key from a field the user types (a stock count typed into a
    number input, then written as `amount:`): the user already sets any value for that write, so a preset the page's
    buttons send under another name (`phx-value-delta={-1}`) grants nothing more."""
    event = text(clause.params[0])
    written = re.compile(r'(?<![\w.])"?' + re.escape(key) + r'"?\s{0,4}(?::(?=\s)|=>)')
    for other in callback_clauses(ctx, "handle_event", 3):
        if other.node.id == clause.node.id or len(other.params) < 2 or other.body is None or text(other.params[0]) != event:
            continue
        if {_snake(bound) for bound, _ in payload_bindings(text(other.params[1]))} & typed \
                and written.search(text(other.body)):
            return True
    return False


# The word a message names for a money key (`unit_price` -> "price", `amount` -> "amount"): what the code has.
MONEY_WORD = re.compile(r"price|amount|total|discount|cost|fee|balance|credits")


def _form_params(variable: str, body: str) -> bool:
    """The value is a form's map of fields, not a flag or an id: named for it (`params`, `admin_attrs`) or read
    by key (`params["password"]`)."""
    return re.fullmatch(r"\w{0,40}(params|attrs|attributes|fields)", variable) is not None or variable in _indexed(body)


@lru_cache(maxsize=8)
def _indexed(body: str) -> frozenset[str]:
    """The names a body reads by key (`params["password"]`, `opts[:x]`), read once per body."""
    return frozenset(re.findall(r"\b(\w+)\[\s{0,4}[\":]", body))


def _round_trips(ctx) -> dict[tuple[str, str], str]:
    """(event, payload key) -> the assign it comes from, for `phx-value-KEY={@assign.id}` where the assign is
    the current user, account, organisation or another identity the server already holds."""
    found = {}
    for template in ctx.templates:
        for element in template.elements:
            events = [a.value for name, a in element.attrs.items()
                      if name in ("phx-click", "phx-submit", "phx-change") and a.value and not a.is_expr]
            for name, attr in element.attrs.items():
                if not name.startswith("phx-value-") or not attr.is_expr:
                    continue
                match = SERVER_VALUE.match((attr.value or "").strip())
                if match and IDENTITY.search(re.sub(r"_(?:id|uuid)$", "", match.group(1))):
                    for event in events:
                        found[(event, name[len("phx-value-"):].replace("-", "_"))] = match.group(1)
    return found


RECORD_ID = re.compile(r"^@([a-z_]\w*)\.id$")


def _hidden_round_trips(ctx) -> dict[tuple[str, str], str]:
    """(event, payload key) -> the assign, for `<input type="hidden" name="KEY" value={@record.id}>` in a form
    whose phx-submit is the event: the id of the one record the server already holds, sent back to be trusted."""
    found = {}
    for template in ctx.templates:
        forms: dict = {}
        for element in template.elements:
            attrs = element.attrs
            kind, name, value = attrs.get("type"), attrs.get("name"), attrs.get("value")
            if element.tag != "input" or kind is None or kind.value != "hidden" or name is None or name.is_expr \
                    or value is None or not value.is_expr:
                continue
            match = RECORD_ID.match((value.value or "").strip())
            form = nearest(element, lambda e: e.tag in ("form", ".form"), forms) if match else None
            submit = form.attrs.get("phx-submit") if form is not None else None
            if submit is not None and not submit.is_expr and submit.value and re.fullmatch(r"\w{1,80}", name.value or ""):
                found[(submit.value, name.value)] = match.group(1) + ".id"
    return found


NESTED_NAME = re.compile(r"([a-z_]\w{0,60})\[([a-zA-Z_]\w{0,60})\]")
FORM_FIELD = re.compile(r"@?[a-z_]\w{0,60}\[:([a-z_]\w{0,60})\]")
ACTING_USER = re.compile(r"current_(?:user|scope|account)|\bscope\b")


def _hidden_authority_fields(ctx) -> dict[str, set[tuple[str | None, str]]]:
    """event -> {(params key or None, field)} for hidden fields named for an owner or a permission in a form
    whose phx-submit is the event: `<input type="hidden" name="post[user_id]">` ("post", "user_id") and
    `<.input field={@form[:author_id]} type="hidden">` (None: the form's params key is not written here)."""
    found: dict[str, set[tuple[str | None, str]]] = {}
    for template in ctx.templates:
        forms: dict = {}
        for element in template.elements:
            kind = element.attrs.get("type")
            if element.tag not in ("input", ".input") or kind is None or kind.value != "hidden":
                continue
            name, field = element.attrs.get("name"), element.attrs.get("field")
            nested = NESTED_NAME.fullmatch(name.value or "") if name is not None and not name.is_expr else None
            picked = FORM_FIELD.fullmatch((field.value or "").strip()) if field is not None and field.is_expr else None
            key, value = (nested.group(1), nested.group(2)) if nested else (None, picked.group(1)) if picked else (None, None)
            if value is None or _snake(value) not in AUTHORITY:
                continue
            form = nearest(element, lambda e: e.tag in ("form", ".form", ".simple_form"), forms)
            submit = form.attrs.get("phx-submit") if form is not None else None
            if submit is not None and not submit.is_expr and submit.value:
                found.setdefault(submit.value, set()).add((key, value))
    return found


def _hidden_field_hits(ctx, clause, fields, body: str):
    """A handler writing the params map of a form that carries a hidden owner or permission field: the client
    can send any value there (medium, shown; low when the handler hands the acting user or scope along, since the
    context may set the owner itself)."""
    payload = text(clause.params[1])
    for key, variable in re.findall(r'"(\w+)"\s*=>\s*([a-z]\w*)', payload):
        carried = sorted(field for form_key, field in fields if form_key in (None, key))
        if not carried or not _passed_to_writer(clause, variable, ctx.module, memo=_memo(ctx)):
            continue
        confidence = "low" if ACTING_USER.search(body) or privileged_only(ctx) else "medium"
        yield clause_hit(clause, f'"{key}" carries "{carried[0]}" from a hidden input: the client can send any value, '
                                 "and the handler writes it.", confidence)
        return


# Events whose payload a control of this module fills: phx-value-* attributes of the element that sends it.
SENDING = ("phx-click", "phx-submit", "phx-change", "phx-blur", "phx-focus", "phx-keydown", "phx-keyup",
           "phx-window-keydown", "phx-window-keyup")
# A hook's push with a literal payload (`this.pushEvent("finish", {points: 10, player_id: id})`, `pushEventTo(el,
# "save", {...})`): the keys are read up to the first nested brace, bounded.
PUSHED = re.compile(r"\bpushEvent(?:To)?\(\s{0,8}(?:[^,()\n]{1,80},\s{0,8})?[\"'`]([\w:.-]{1,80})[\"'`]\s{0,8},\s{0,8}"
                    r"\{([^{}]{0,600})\}")
PUSHED_KEY = re.compile(r"(?:^|[,{\s])[\"']?([A-Za-z_]\w{0,60})[\"']?\s{0,4}:")
# The acting party of a game's or a poll's record beside AUTHORITY's (`player_id`, `voter_id`): sent by the page, the
# client says who acted.
SENSITIVE = AUTHORITY | MONEY | KeyFamily(r"(?:player|voter|submitter|requester|reporter)_id")
# A value the page fills from the acting user (`phx-value-assignee={@current_user.id}`, `value={@current_scope.user.id}`):
# whatever its key is called, it names who acts, which the server already knows.
ACTOR_VALUE = re.compile(r"^@current_(?:user|scope|account|member)(?:\.user)?\.id$")


def _client_sent_keys(ctx) -> dict[str, dict[tuple[str | None, str], str]]:
    """event -> {(params key or None, payload key): how the client sends it} for the owner, permission and money keys
    this module's own client puts in an event's payload: a `phx-value-*` of the control that sends the event, a hidden
    input of the form it submits (`name="role"`, `name="offer[amount]"`, `<.input field={@form[:price]}
    type="hidden">`), a hook's `pushEvent("event", {player_id: ...})` in the file. The page itself says the key is
    in the payload; a handler that writes the whole map writes whatever the client put there."""
    found: dict[str, dict[tuple[str | None, str], str]] = {}
    for template in ctx.templates:
        forms: dict = {}
        for element in template.elements:
            attrs = element.attrs
            events = [a.value for n, a in attrs.items() if n in SENDING and a.value and not a.is_expr]
            for name in attrs:
                key = name[len("phx-value-"):] if name.startswith("phx-value-") else None
                actor = attrs[name].is_expr and ACTOR_VALUE.match((attrs[name].value or "").strip()) is not None
                if key and (_snake(key.replace("-", "_")) in SENSITIVE or actor):
                    for event in events:
                        found.setdefault(event, {})[(None, key)] = f"{code_span(name)}"
            kind = attrs.get("type")
            if element.tag not in ("input", ".input") or kind is None or kind.value != "hidden":
                continue
            named, field = attrs.get("name"), attrs.get("field")
            plain = (named.value or "").strip() if named is not None and not named.is_expr else ""
            nested = NESTED_NAME.fullmatch(plain)
            picked = FORM_FIELD.fullmatch((field.value or "").strip()) if field is not None and field.is_expr else None
            form_key, key = (nested.group(1), nested.group(2)) if nested else (None, picked.group(1)) if picked else \
                (None, plain) if re.fullmatch(r"[\w-]{1,60}", plain) else (None, None)
            value = attrs.get("value")
            actor = value is not None and value.is_expr and ACTOR_VALUE.match((value.value or "").strip()) is not None
            if key is None or (_snake(key.replace("-", "_")) not in SENSITIVE and not actor):
                continue
            form = nearest(element, lambda e: e.tag in ("form", ".form", ".simple_form"), forms)
            submit = form.attrs.get("phx-submit") if form is not None else None
            if submit is not None and not submit.is_expr and submit.value:
                # a field of a `<.form for={@form}>` is nested under the form's name, unknown here: any map key
                found.setdefault(submit.value, {})[(form_key, key) if nested or not picked else ("*", key)] = \
                    "a hidden input"
    if ctx.text.has("pushEvent"):
        for match, _ in ctx.text.matches(PUSHED, ctx.unit):  # once per file, the hooks written in this module
            for key in PUSHED_KEY.findall(match.group(2)):
                if _snake(key) in SENSITIVE:
                    found.setdefault(match.group(1), {})[(None, key)] = f"the hook's {code_span('pushEvent')} payload"
    return found


# Calls a whole map of the client's is handed to without being written: the socket, logging, plain data functions.
NOT_A_WRITE = SOCKET_CALLS | {"to_form", "inspect", "send", "send_update", "push_event", "put_flash", "noreply"}
# Plain data modules whose functions only copy or pick from the map (`Map.take(params, ["title"])` keeps safe keys).
PICKING = {"take", "drop", "delete", "split", "get", "fetch", "fetch!", "has_key?", "keys", "values"}


def _whole_map_written(body, variable: str, module, depth: int = 1) -> bool:
    """The map itself (not one of its keys: `params["title"]`) is handed to a call that writes it: a context or schema
    function (`Things.update_thing(thing, params)`, `Thing.changeset(thing, params)`, piped `params |>
    Scores.create_score()`), or this module's own function that does (one level). A map first narrowed
    (`Map.take(params, [...])`, `Map.drop`) or only read is not written whole."""
    for node, remote, name in calls(body):
        arguments = call_arguments(node)
        parent = node.parent
        if parent is not None and parent.type == "binary_operator" and text(parent.child_by_field_name("operator")) == "|>":
            right = parent.child_by_field_name("right")
            if right is not None and right.id == node.id:
                arguments = [parent.child_by_field_name("left"), *arguments]
        index = next((i for i, a in enumerate(arguments) if a is not None and text(a).strip() == variable), None)
        if index is None or name in NOT_A_WRITE or READER.match(name) or name in ("if", "case", "with", "cond"):
            continue
        if remote in PLAIN_MODULES or (remote is not None and not remote[:1].isupper()):
            continue  # `Map.take(params, ...)`, `Enum.map(...)`, `socket.assigns...`: picked or read, not written
        if remote is None:
            if depth <= 0 or module is None:
                continue
            for helper in _followed_clauses(module, name, len(arguments)):
                parameter = helper.params[index] if index < len(helper.params) else None
                if helper.body is not None and parameter is not None and parameter.type == "identifier" \
                        and _whole_map_written(helper.body, text(parameter), module, depth - 1):
                    return True
            continue
        return True
    return False


MAX_HELPERS = 16  # clauses of one local function followed; past them the review says it stopped (audit 13)


def _followed_clauses(module, name: str, arity: int) -> list:
    clauses = module.clauses_by_name.get((name, arity), [])
    if len(clauses) > MAX_HELPERS:
        reached(f"a local function with more than {MAX_HELPERS} clauses handed the client's values")
    return clauses[:MAX_HELPERS]
WHOLE_PAYLOAD = re.compile(r"\s*([a-z]\w{0,60})\s*|[\s\S]*\}\s{0,8}=\s{0,8}([a-z]\w{0,60})\s*|\s*([a-z]\w{0,60})\s{0,8}=\s{0,8}%[\s\S]*")


def _sent_key_hits(ctx, clause, sent: dict[tuple[str | None, str], str], body: str):
    """A handler that writes the whole payload (or the form's params map) of an event whose payload the module's own
    client fills with an owner, permission or money key: `phx-value-unit_price={p.price}` then
    `Carts.add_line(cart, params)`. Medium (shown): the changeset may cast only safe fields, but the page sends the key
    for a reason, and any client can set it. A handler that names the key itself is judged by the other forms."""
    payload = text(clause.params[1])
    whole = WHOLE_PAYLOAD.fullmatch(payload)
    whole_name = next((g for g in whole.groups() if g), None) if whole else None
    bound = dict(re.findall(r'"(\w+)"\s*=>\s*([a-z]\w*)', payload))
    words = _words(body)
    written_whole: dict[str, bool] = {}  # variable -> handed whole to a write: the body is walked once per variable
    for (form_key, key), how in sorted(sent.items(), key=lambda item: (item[0][0] or "", item[0][1])):
        if key in words or key.replace("-", "_") in words:
            continue  # the handler reads, drops or sets the key itself: the other forms judge it
        variables = [bound[form_key]] if form_key not in (None, "*") and form_key in bound else \
            [whole_name] if form_key is None and whole_name else \
            [v for k, v in bound.items() if not ID_KEY.search(k)] if form_key == "*" else []
        for v in variables:
            if v and v in words and v not in written_whole:
                written_whole[v] = _whole_map_written(clause.body, v, ctx.module)
        written = next((v for v in variables if written_whole.get(v)), None)
        if written is None:
            continue
        money = _snake(key.replace("-", "_")) in MONEY and MONEY_WORD.search(key)
        what = f"{'an' if money.group()[0] in 'aeiou' else 'a'} {money.group()}" if money else "who acts or what they may do"
        confidence = "low" if privileged_only(ctx) else "medium"
        yield clause_hit(clause, f"The page sends {code_span(key)} ({what}) in this event's payload through {how}, and "
                                 f"the handler writes {code_span(written)} whole: any client can set it. Drop the key "
                                 "or set it from the server.", confidence)
        return


def _snake(key: str) -> str:
    """`userID`, `ownerId` and `user_uuid` read as `user_id`, `owner_id` and `user_id`."""
    return re.sub(r"_uuid$", "_id", re.sub(r"(?<=[a-z])([A-Z])", r"_\1", key).lower())


# A value the server holds: the page's assigns or the acting user (`socket.assigns.case_id`, `@list.id`, `current_user.id`).
HELD = r"(socket\.assigns\.|assigns\.|@|current_(?:user|scope|account)\b)"
# `Map.put_new(params, "user_id", current_user.id)` (or piped): put_new keeps a value already there, so an owner the
# client posted wins; `Map.merge(%{"user_id" => id}, params)` (over several lines too) and `Enum.into(params,
# %{"user_id" => id})` the same. The default's start is captured: a value the server holds makes any id key count.
KEPT_FROM_CLIENT = re.compile(
    r"Map\.put_new(?:_lazy)?\(\s{0,8}(?:([a-z_]\w{0,60})\s{0,8},\s{0,8})?[\":](\w{1,40})\"?\s{0,8},\s{0,8}" + HELD + r"?|"
    r"Map\.merge\(\s{0,40}%\{[^{}\n]{0,200}?[\":](\w{1,40})\"?\s{0,8}(?:=>|:)\s{0,8}" + HELD + r"?[^{}\n]{0,200}\}\s{0,40},"
    r"\s{0,40}([a-z_]\w{0,60})\s{0,40}\)|"
    r"Enum\.into\(\s{0,8}([a-z_]\w{0,60})\s{0,8},\s{0,8}%\{[^{}\n]{0,200}?[\":](\w{1,40})\"?\s{0,8}(?:=>|:)\s{0,8}" + HELD + r"?")
# The client's value first, the server's as the fallback (`list_id: params["list_id"] || socket.assigns.list.id`,
# `"owner_id" => Map.get(params, "owner_id", current_user.id)`): written under a key, the client's value wins whenever
# it sends one.
CLIENT_FIRST = re.compile(
    r"(?:\b([a-z_]\w{0,40}):|\"([\w-]{1,40})\"\s{0,4}=>)\s{0,8}"
    r"(?:([a-z_]\w{0,60})\[\s{0,4}\"([\w-]{1,40})\"\s{0,4}\]\s{0,8}\|\|\s{0,8}|"
    r"Map\.get\(\s{0,8}([a-z_]\w{0,60})\s{0,8},\s{0,8}\"([\w-]{1,40})\"\s{0,8}(?:\)\s{0,8}\|\||,))\s{0,8}" + HELD)


def _client_maps(ctx) -> set[str]:
    """Variables that hold a map the client sent: a handler's params (`"post" => post_params`, the whole payload) and
    the parameters of this module's functions named for them (`defp save_post(socket, post_params)`)."""
    maps = set()
    for clause in callback_clauses(ctx, "handle_event", 3):
        if len(clause.params) > 1:
            maps |= params_maps(text(clause.params[1]))
    for clause in ctx.module.clauses if ctx.module is not None else []:
        maps |= {text(p) for p in clause.params if p.type == "identifier" and re.fullmatch(r"\w{0,40}(?:params|attrs)", text(p))}
    return {m for m in maps if not m.startswith("_") and m != "socket"}


def _kept_authority(ctx):
    """An owner, a permission or the id of a record the server holds, set with put_new (or a merge the client's map
    wins) or only as the fallback of the client's value: the client's value, when it sends one, is kept."""
    if not ctx.text.once("kept_authority_words", lambda: any(
            word in ctx.source for word in ("Map.put_new", "Map.merge", "Enum.into", "||", "Map.get"))):
        return  # (read once per file, not once per module unit)
    maps = None
    for match, line in ctx.text.every(KEPT_FROM_CLIENT):
        key = match.group(2) or match.group(4) or match.group(8)
        held = match.group(3) or match.group(5) or match.group(9)
        if _snake(key) not in AUTHORITY and not (held and ID_KEY.search(key)):
            continue
        source = match.group(1) or match.group(6) or match.group(7)
        if source is None:  # piped: `comment_params |> Map.put_new(...)`, the map is the pipe's start
            before = ctx.source[max(0, match.start() - 600):match.start()]
            first = re.search(r"([a-z_]\w{0,60})\s{0,8}\n(?:\s{0,40}\|>[^\n]{0,200}\n){0,8}\s{0,40}\|>\s{0,8}$", before)
            source = first.group(1) if first else None
        if maps is None:
            maps = _client_maps(ctx)
        if source in maps and (_snake(key) in AUTHORITY or not privileged_only(ctx)):
            yield Hit(line=line, column=1, confidence="medium",
                      message=f'"{key}" is only a default here: a value the client sends in {code_span(source)} is kept. '
                              "Put it with Map.put/3 (or set it in the changeset).")
    for match, line in ctx.text.every(CLIENT_FIRST):
        target, key = match.group(1) or match.group(2), match.group(4) or match.group(6)
        if not any(_snake(k) in AUTHORITY or ID_KEY.search(k) for k in (target, key)):
            continue
        start = ctx.source.rfind("\n", max(0, match.start() - 400), match.start()) + 1
        if SOCKET_ONLY.search(ctx.source[start:match.end()]):
            continue  # `assign(socket, selected_id: params["id"] || @selected_id)`: the page's own state, not data
        if maps is None:
            maps = _client_maps(ctx)
        if (match.group(3) or match.group(5)) in maps and not privileged_only(ctx):
            yield Hit(line=line, column=1, confidence="medium",
                      message=f'{code_span(target)} takes the client\'s "{key}" first and the value the server holds only '
                              "as a fallback: a client can send another record's id. Use the server's value alone.")


MAX_VERDICTS = 50  # verdict-like keys taken from the client judged in one handler; past it the rule says it stopped
# A verdict the server should compute (whether an answer is correct, a score, a payment) taken from the client.
VERDICT = re.compile(r"(?<![\w\"])(correct\??|is_correct\??|score|points|grade|passed\??|paid\??|verified\??|approved\??|"
                     r"won\??)\s{0,4}:\s{0,4}([^,\n}]{1,160})")
# The acting user's id in the same record: a record of what this user did, whose verdict is the server's to give.
ACTOR_FIELD = re.compile(r"\buser_id:|\bcurrent_(?:user|scope|account)\b|\bactor\b")
# A file the handler stores: the upload's key, path or URL.
FILE_KEY = re.compile(r"^(?:key|s3_key|path|file_?path|file_?name|filename|url|file_url|location|object_key|src)$")
CONSUMED = re.compile(r"(?:^|\n)\s{0,40}(?:_\w{0,40}\s{0,4}=\s{0,4})?consume_uploaded_entr(?:y|ies)\(")


def _forged_records(ctx, clause, body: str):
    """The client's value written as a verdict in a record of the acting user's own action (`correct?:
    params["correct"] == "true"` beside `user_id: user.id`), or as the stored file of an upload whose consumed
    result the handler throws away (`"key" => filename` with `_ = consume_uploaded_entries(...)`)."""
    payload = text(clause.params[1])
    bound = payload_bindings(payload)
    maps = params_maps(payload)
    client = {var for _, var in bound}
    judged = 0  # only keys whose value reads the client count (audit 13 A13-13: 50 `score: 0` hid a client's)
    for match in VERDICT.finditer(body):
        value = match.group(2)
        read = set(re.findall(r"(?<![\w.])([a-z_]\w{0,60})\[", value))  # `params[...]`
        named = set(re.findall(r"(?<![\w.@])([a-z_]\w{0,60})\b", value))
        from_client = bool(read & maps) or bool(named & client)
        if not from_client:
            continue
        judged += 1
        if judged > MAX_VERDICTS:
            reached(f"more than {MAX_VERDICTS} verdict-like keys taken from the client in one handler")
            break
        opening = body.rfind("%{", max(0, match.start() - 400), match.start())
        record = body[opening:match.end() + 400] if opening >= 0 else ""
        if from_client and ACTOR_FIELD.search(record) and not privileged_only(ctx):
            line = clause.body.start_point[0] + 1 + body.count("\n", 0, match.start())
            yield Hit(line=line, column=1, confidence="medium",
                      message=f'{code_span(match.group(1))} is taken from the client in a record of the user\'s own '
                              "action: the server should decide it (from the stored answer or state).")
            return
    if CONSUMED.search(body):
        for key, variable in bound:
            if FILE_KEY.match(_snake(key)) and _passed_to_writer(clause, variable, ctx.module, memo=_memo(ctx)):
                yield clause_hit(clause, f'"{key}" names the stored file, taken from the client, while the upload this '
                                         "handler consumes is thrown away: a client can point the record at any file.",
                                 "medium")
                return


# A payload value read in a body, the map's name captured: `uid = Map.get(params, "user_id")`, `params["user_id"]`,
# `params |> Map.fetch!("user_id")` (optionally inside a call: `String.to_integer(params["amount"])`);
# `{:ok, uid} = Map.fetch(params, "user_id")`; `%{"user_id" => uid} = params` (or `<-`); `Map.take(params, [...])`.
NAME = r"([a-z_]\w{0,60})"
READ_BY_KEY = re.compile(r"\b([a-z_]\w{0,60})\s{0,8}=\s{0,8}(?:[A-Z][\w.]{0,40}\.\w{1,40}[!?]?\(\s{0,4})?"
                         r"(?:Map\.(?:get|fetch!?)\(\s{0,8}" + NAME + r"\s{0,8},\s{0,8}|" + NAME + r"\[\s{0,8}|"
                         + NAME + r'\s{0,8}\|>\s{0,8}Map\.(?:get|fetch!?)\(\s{0,8})"(\w{1,60})"')
FETCHED_BY_KEY = re.compile(r"\{\s{0,8}:ok\s{0,8},\s{0,8}([a-z_]\w{0,60})\s{0,8}\}\s{0,8}(?:<-|=(?![=>~]))\s{0,8}"
                            r"Map\.fetch\(\s{0,8}" + NAME + r'\s{0,8},\s{0,8}"(\w{1,60})"')
MATCHED_FROM = re.compile(r"%\{([^{}]{0,400})\}\s{0,8}(?:<-|=(?![=>~]))\s{0,8}" + NAME + r"\b")
TAKEN_FROM = re.compile(r"\b([a-z_]\w{0,60})\s{0,8}=\s{0,8}(?:" + NAME + r"\s{0,8}\|>\s{0,8}Map\.take\(\s{0,8}|Map\.take\(\s{0,8}"
                        + NAME + r"\s{0,8},\s{0,8})\[([^\]]{0,400})\]")


def _read_in_body(payload: str, body: str) -> tuple[list[tuple[str, str]], set[str], dict[tuple[str, str], int]]:
    """(key, variable) for payload values a handler reads in its body rather than its head: `uid = Map.get(params,
    "user_id")`, `params["user_id"]`, `params |> Map.fetch!("user_id")`, a `with %{"user_id" => uid} <- params`
    or `%{...} = params` match, and `attrs = Map.take(params, ["body", "user_id"])` (the taken map carries the key);
    and the variables holding such a taken map; and the offset in the body where each pair was read (the first time)."""
    found: list[tuple[str, str]] = []
    taken: set[str] = set()
    where: dict[tuple[str, str], int] = {}
    maps = params_maps(payload)
    if not maps:
        return found, taken, where
    # Each form is one pass over the body with the map's name captured, then kept when it names a client map
    # (audit 12 P6: a regex per map of the head was quadratic in a handler's keys).
    for read in READ_BY_KEY.finditer(body):
        if (read.group(2) or read.group(3) or read.group(4)) in maps:
            found.append((read.group(5), read.group(1)))
            where.setdefault((read.group(5), read.group(1)), read.start())
    for read in FETCHED_BY_KEY.finditer(body):
        if read.group(2) in maps:
            found.append((read.group(3), read.group(1)))
            where.setdefault((read.group(3), read.group(1)), read.start())
    for match in MATCHED_FROM.finditer(body):
        if match.group(2) in maps:
            pairs = re.findall(r'"(\w+)"\s*=>\s*(\w+)', match.group(1))
            found += pairs
            for pair in pairs:
                where.setdefault(pair, match.start())
    for kept in TAKEN_FROM.finditer(body):
        if (kept.group(2) or kept.group(3)) in maps:
            pairs = [(key, kept.group(1)) for key in re.findall(r'"(\w{1,60})"', kept.group(4))]
            found += pairs
            for pair in pairs:
                where.setdefault(pair, kept.start())
            taken.add(kept.group(1))
    return found, taken, where


def _pattern_hits(ctx, judged: dict[int, set[str]]):
    """The forms read from each handler's text. `judged` gets, per handler clause, the payload keys judged here only at
    low confidence (looked up, picked from a list the server holds, an administrator's page): the tree walk after
    them leaves those keys alone, and still reads the handler's other values."""
    yield from _kept_authority(ctx)
    round_trips = _round_trips(ctx)
    hidden = _hidden_round_trips(ctx)
    hidden_fields = _hidden_authority_fields(ctx)
    sent_keys = _client_sent_keys(ctx)
    typed: list[set[str]] = []  # fields the user types into, read once when an amount is found
    actor: list[set[str]] = []  # payload keys the acting user's own records answer, read once when needed

    def typed_fields() -> set[str]:
        if not typed:
            typed.append(_typed_fields(ctx))
        return typed[0]

    def held_by_actor() -> set[str]:
        if not actor:
            actor.append(actor_keys(ctx.text))
        return actor[0]

    for clause in callback_clauses(ctx, "handle_event", 3):
        if len(clause.params) < 2:
            continue
        payload = text(clause.params[1])
        body = text(clause.body)
        event = text(clause.params[0]).strip('"')
        if clause.body is not None:
            yield from _forged_records(ctx, clause, body)
        hidden_hits = list(_hidden_field_hits(ctx, clause, hidden_fields[event], body)) \
            if event in hidden_fields and clause.body is not None else []
        yield from hidden_hits
        if event in sent_keys and clause.body is not None and not hidden_hits:
            yield from _sent_key_hits(ctx, clause, sent_keys[event], body)
        read, taken, read_at = _read_in_body(payload, body)
        in_head = set(re.findall(r'"(\w+)"\s*=>\s*(\w+)', payload))
        for key, variable in dict.fromkeys(re.findall(r'"(\w+)"\s*=>\s*(\w+)', payload) + read):  # each pair once
            if variable.startswith("_") or variable not in _words(body):
                continue
            source = round_trips.get((event, key))
            if source is not None:
                # Only used to pick an entry of a list the server holds (`Enum.find(socket.assigns.developers,
                # &(&1.id == user_id))`): the client chooses among what it was shown: low.
                picked = _picked_from_server_list(body, variable) and not _passed_to_writer(clause, variable, ctx.module, memo=_memo(ctx))
                yield clause_hit(clause, f'"{key}" comes back from the client, though the server already holds it in '
                                         f"socket.assigns.{source}: a client can send any value.", "low" if picked else None)
                continue
            source = hidden.get((event, key))
            if source is not None:
                # The record was loaded (and authorized) when the page mounted; a hidden input is as forgeable as
                # any payload: likely a hole, not proven (the handler may check it again): medium, shown.
                yield clause_hit(clause, f'"{key}" comes back from a hidden input, though the server already holds '
                                         f"socket.assigns.{source}: a client can send any id.", "medium")
                continue
            raw_key, key = key, _snake(key)
            # A record the server already knows for the acting user (`"attendee_id"` where the module reads
            # `current_user.attendee.id`): taken from the client instead, it can name another person's.
            actor_key = key not in AUTHORITY | MONEY and key in held_by_actor()
            if key not in AUTHORITY | MONEY and not actor_key:
                continue
            if key in AUTHORITY and _checked_against_actor(body, variable, _memo(ctx)):
                continue  # `if to_string(user.id) == user_id`: only the acting user's own id gets through
            if _form_params(variable, body) and variable not in taken:
                continue  # `%{"admin" => params}`: the name of a form (`to_form(cs, as: :admin)`), its fields inside
            # Proven: the client's value is written as the owner, role or price (`user_id: user_id`), or handed to
            # a call that acts with it. Only looked up (`get_member!(org, user_id)`), it may be a target the code
            # then authorizes.
            written = _written_as_data(_data_lines(clause.body, _memo(ctx)), variable) or _passed_to_writer(clause, variable, ctx.module, memo=_memo(ctx))
            if actor_key and not written:
                continue  # only compared or looked up: a target the handler picks, not a record it writes
            # A role for another user (the member being added or changed) is data about that target; whether the
            # acting user may grant it is an authorization question (missing_authorization), not proven here.
            for_someone_else = key in PERMISSIONS and TARGET_USER.search(payload)
            proven = (key in PERMISSIONS and not for_someone_else) or (key in AUTHORITY and written)
            # A price written as data is the classic forged-price bug, but an amount may be the user's own
            # choice (a donation, a bid): medium, shown because a true finding is a hole. Only looked up, or
            # a role granted to someone else, it may well be authorized further on: low.
            confidence = None if proven else "medium" if (key in MONEY or actor_key) and written else "low"
            judged_here = False  # low by a judgement the tree walk must keep (not merely "not seen written")
            # Checked against a list the server holds (`Enum.member?(available, role)`, `role in allowed`, a key
            # of a server map): the client only picks among what the server offers. Whether that choice needs
            # more authorization is not proven here: low.
            if _picked_from_server_list(body, variable) or ((key in AUTHORITY or actor_key) and _scoped_filter(body, variable)):
                confidence, judged_here = "low", True
            # An amount typed into a visible field of this module's form is the user's own choice (what they pay
            # or release), not a price the server owns: low.
            if key in MONEY and (key in typed_fields() or _typed_elsewhere(ctx, clause, key, variable)):
                confidence, judged_here = "low", True
            # A cost the owner sets on their own record, written through their scope with nothing bought: low.
            if key in MONEY and confidence == "medium" and _owner_priced(ctx, body):
                confidence, judged_here = "low", True
            # On a page only administrators reach (its on_mount, or the router's live_session), a role or owner in
            # the payload is the administrator's choice for another record: whether the context limits the values
            # is not visible here, so low.
            if confidence != "low" and privileged_only(ctx):
                confidence = "low"
            # On an organisation's page whose mount turns away everyone without an admin right (`authorize(user.id,
            # org.id, "admin")` then a redirect), the role or the user a handler gives another member is the admin's
            # choice; which organisation it lands in is not (tenant keys stay), nor whose record an id names
            # (missing_authorization).
            if confidence != "low" and key in AUTHORITY - TENANT and admin_gated(ctx):
                confidence = "low"
            message = f'"{key}" from the client is used as authority.'
            if judged_here:
                judged.setdefault(clause.node.id, set()).add(key)
            offset = read_at.get((raw_key, variable)) if (raw_key, variable) not in in_head else None
            if offset is None:
                yield clause_hit(clause, message, confidence)
            else:  # read in the body (`%{"price" => price} = params`): reported where the client's value is taken
                yield Hit(line=clause.body.start_point[0] + 1 + body.count("\n", 0, offset), column=1, message=message,
                          confidence=confidence)
        whole = re.fullmatch(r"([a-z]\w{0,60})", payload.strip())  # `def handle_event("add", new_airport, socket)`
        if whole is None:
            continue
        # `user_id: params["user_id"]`, also through a conversion (`user_id: String.to_integer(params["user_id"])`).
        converted = r'(?:[A-Z][\w.]{0,40}\.\w{1,40}[!?]?\(\s{0,4})?'
        read = re.compile(r'\b(\w{1,60}):\s{0,8}' + converted + whole.group(1) + r'\["(\w{1,60})"\]|"(\w{1,60})"\s{0,8}=>\s{0,8}'
                          + converted + whole.group(1) + r'\["(\w{1,60})"\]')
        for match in read.finditer(body):
            target, key = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            line_start = body.rfind("\n", 0, match.start()) + 1
            if SOCKET_ONLY.search(body[line_start:match.end()]):
                continue  # `assign(socket, owner_id: params["owner_id"] || ...)`: the page's own filter, not data
            # The client's value written under an owner's or permission's name (`"origin_user_id" =>
            # payload["userID"]`): the same forgery, read from the whole payload instead of the head.
            if _snake(key) in AUTHORITY and (_snake(target) in AUTHORITY or IDENTITY.search(_snake(target).removesuffix("_id"))) \
                    and not privileged_only(ctx):
                # Reported where it is written: the handler's head does not name the key.
                line = clause.body.start_point[0] + 1 + body.count("\n", 0, match.start())
                yield Hit(line=line, column=1, message=f'"{key}" from the client is used as authority.')
                break


# Test code by the project's layout only: the root `test/` folder and `*_test.exs` files. Not a `test/` folder
# elsewhere (a compiled `lib/app_web/live/test/` is reviewed), not a module name (a doc example naming `...Test`
# would switch the rule off for the file: audit 10 H1), and never a file with a LiveView, a LiveComponent or an
# event handler in it.
TEST_PATH = re.compile(r"^test/|_test\.exs$")
LIVE_CODE = re.compile(r"\buse\s+(?:Phoenix\.LiveView|Phoenix\.LiveComponent|[A-Z]\w*Web\s*,\s*:live_(?:view|component))\b|"
                       r"\bdef\s+handle_event\s*\(")


def _test_code(ctx) -> bool:
    """The file is test code: its path from the project root (a pasted file: its own name) starts with `test/` or
    ends in `_test.exs`, and it holds no LiveView code."""
    path = (ctx.path or ctx.filename or "").replace("\\", "/")
    root = (ctx.project_root or "").replace("\\", "/").rstrip("/")
    inside = path[len(root) + 1:] if root and path.startswith(root + "/") else path
    return bool(TEST_PATH.search(inside)) and not LIVE_CODE.search(ctx.source)


def check(ctx):
    """The forms read from the handler's text first; then, for handlers where none of them found anything, the
    client's values followed through the handler's tree (`review/taint.py`): nested reads, `get_in`, `Map.put` of a
    client value under an owner's key, `Map.take` with `~w(...)`, a default the client's value overrides, and this
    module's own functions handed the params."""
    if _test_code(ctx):
        return  # no client reaches a fixture or a test
    judged: dict[int, set[str]] = {}
    found = list(_pattern_hits(ctx, judged))
    yield from found
    # A handler the text forms already reported (shown) is not read again; one they judged only low is, for its other
    # values: a looked-up `user_id` must not hide a `role: params["role"]` written beside it.
    lines = {h.line for h in found if h.confidence != "low"}
    held_keys: list[set[str]] = []  # ids the page keeps in its own assigns, read once when needed
    held_records: list[set[str]] = []  # `<record>_id` of the records the page shows, read once when needed
    for clause in callback_clauses(ctx, "handle_event", 3):
        if clause.body is None or len(clause.params) < 2:
            continue
        end = clause.node.end_point[0] + 1
        if any(clause.line <= line <= end for line in lines):
            continue
        flow_hit = next(_flow_hits(ctx, clause, judged.get(clause.node.id, set())), None) \
            or next(_held_key_hits(ctx, clause, held_keys), None) \
            or next(_held_record_hits(ctx, clause, held_records), None)
        if flow_hit is not None:
            yield flow_hit


# Calls that look records up or build a query: a client value under a key there picks a target, it writes nothing.
LOOKUP_CALL = re.compile(r"^(?:get|fetch|find|list|load|search|count|by|preload|exists|lookup|from|where|filter|"
                         r"query|all|one|select|order_by|subscribe|broadcast)(?:_|!|\?|$)")
# The acting user's identity as a fallback: `socket.assigns.current_user.id`, `@current_scope.user.id`, `user.id`.
ACTOR_FALLBACK = re.compile(r"^(?:to_string\(|Integer\.to_string\()?(?:socket\.assigns\.|assigns\.|@)?(?:current_(?:user|scope|"
                            r"account|member)|user|account|member|me|scope)(?:\.user)?(?:\.id)?\)?$")
# The connection's own address as the fallback of a client-sent one (`params["client_ip"] || get_client_ip(socket)`):
# a client that sends an address picks the key its rate limit or audit trail is kept under.
ADDRESS_KEY = re.compile(r"^(?:client_|remote_|real_|user_|source_)?ip(?:_address|_addr)?$")
ADDRESS_FALLBACK = re.compile(r"get_connect_info|peer_data|remote_ip|x_headers|\b\w{0,30}_ip\(|\bip_address\(")
HELD_VALUE = re.compile(r"^(?:socket\.assigns\.|assigns\.|@|current_(?:user|scope|account)\b)")


LOOKUP_LEVELS = 12  # enclosing nodes looked at above a written value (a lookup holds it closely)


def _looked_up(node, stop) -> bool:
    """The value sits in a lookup or a query (`Repo.get_by(Member, user_id: uid)`, `where: [owner_id: ^id]`) or in
    a comparison: it picks a target, it is not stored."""
    current = node.parent
    for _ in range(LOOKUP_LEVELS):
        if current is None or current.id == stop.id:
            break
        if current.type == "unary_operator" and text(current.child_by_field_name("operator")) == "^":
            return True
        if current.type == "binary_operator" and text(current.child_by_field_name("operator")) in ("==", "!=", "in"):
            return True
        if current.type == "call":
            _, name = call_parts(current)
            if name and LOOKUP_CALL.match(name):
                return True
        current = current.parent
    return False


# An id the page keeps in an assign of its own (`assign(socket, :order_id, order_id)` in mount, `order_id: id`).
ASSIGNED_ID_READ = re.compile(r"socket\.assigns\.([a-z_]\w{0,60}_id)\b")
KEPT_ID = re.compile(r"\bassign\(\s{0,8}(?:[a-z_]\w{0,40}\s{0,8},\s{0,8})?(?::([a-z_]\w{0,60}_id)\s{0,8},|([a-z_]\w{0,60}_id):\s)|"
                     r"\|>\s{0,8}assign\(\s{0,8}:([a-z_]\w{0,60}_id)\s{0,8},|(?<![\w.])([a-z_]\w{0,60}_id):\s")

# An id put in the socket's assigns (`assign(socket, :school_id, id)`, `|> assign(school_id: id)`), not a map's key.
ASSIGNED_ID = re.compile(r"\bassign\([^\n]{0,200}?(?::([a-z_]\w{0,60}_id)\s{0,8},|(?<![\w.])([a-z_]\w{0,60}_id):\s)")


def _held_ids(ctx) -> set[str]:
    """Ids the page sets (in mount/handle_params or a helper they call, never in an event handler) and reads back in
    its handlers as `socket.assigns.<key>`: the record the page is about (`order_id` of a chat about one order)."""
    module = ctx.module
    if module is None:
        return set()
    read = {match.group(1) for match, _ in ctx.text.every(ASSIGNED_ID_READ)}  # whole-file scans, once per file
    if not read:
        return set()
    set_keys: set[str] = set()
    for match, _ in ctx.text.every(KEPT_ID):
        set_keys.add(next(g for g in match.groups() if g))
    # An id an event handler assigns is the user's own pick (a school chosen in a form), not the page's record.
    picked = {next(g for g in match.groups() if g) for clause in module.clauses_of("handle_event", 3)
              if clause.body is not None for match in ASSIGNED_ID.finditer(text(clause.body))}
    return (read & set_keys) - picked


# The record the page is about, read back by id in its handlers (`socket.assigns.backtest.id`).
HELD_RECORD_ID_READ = re.compile(r"socket\.assigns\.([a-z_]\w{0,60})\.id\b")
HELD_RECORD_SET = re.compile(r"\bassign\(\s{0,8}(?:[a-z_]\w{0,40}\s{0,8},\s{0,8})?:([a-z_]\w{0,60})\s{0,8},|"
                             r"\|>\s{0,8}assign\(\s{0,8}:([a-z_]\w{0,60})\s{0,8},|"
                             r"\bassign\([^\n]{0,120}?(?<![\w.:])([a-z_]\w{0,60}):\s")


def _held_record_ids(ctx) -> set[str]:
    """`<name>_id` for each record the page sets in mount/handle_params (`assign(socket, :backtest, backtest)`) and
    its handlers read back by id (`socket.assigns.backtest.id`): the one record the page shows."""
    module = ctx.module
    read = {match.group(1) for match, _ in ctx.text.every(HELD_RECORD_ID_READ)}
    if module is None or not read:
        return set()
    set_names = {next(g for g in match.groups() if g) for clause in
                 module.clauses_of("mount", 3) + module.clauses_of("handle_params", 3)
                 if clause.body is not None for match in HELD_RECORD_SET.finditer(text(clause.body))}
    # A page that also lists or streams the records (`:backends`, `stream(socket, :backends, ...)`), or starts with
    # none (`assign(:backend, nil)`), acts on rows picked from a list: those ids are missing_authorization's question.
    # One pass over the file for each question, not one per name (audit 10 M10: quadratic in the names mount sets).
    held = read & set_names
    if not held:
        return set()
    words = set(WORD_TOKEN.findall(ctx.source))
    listed = {name for name in held if f"{name}s" in words or f"{name}_list" in words}
    empty = {a or b for a, b in ASSIGNED_NIL.findall(ctx.source)}
    return {f"{name}_id" for name in held - listed - empty if not name.startswith("current_")}


WORD_TOKEN = re.compile(r"\b\w+\b")
ASSIGNED_NIL = re.compile(r"(?::(\w+)\s{0,4},|\b(\w+):)\s{0,4}nil\b")


def _compared(body: str, variable: str) -> bool:
    """The variable is compared with something (`id == to_string(@post.id)`, `^id`, `id in ids`) in the body."""
    name = re.escape(variable)
    return re.search(rf"(?<![\w.])(?:{name}\s{{0,8}}(?:===?|!==?|\bin\b)|(?:===?|!==?)\s{{0,8}}{name}\b|\^{name}\b)",
                     body) is not None


def _held_record_hits(ctx, clause, cache: list):
    """A payload id naming the record the page shows (`"backtest_id"` where mount assigns `:backtest` and the handlers
    read `socket.assigns.backtest.id`), handed to the app's own module (`Trades.list_for_backtest(backtest_id, page)`)
    without the acting user and never compared with the held record: a client reads or changes another record than
    the page's (medium)."""
    payload = text(clause.params[1])
    bound = [(key, var) for key, var in payload_bindings(payload) if key.endswith("_id")]
    if not bound:
        return
    if not cache:
        cache.append(_held_record_ids(ctx))
    body = text(clause.body)
    for key, variable in bound:
        if key not in cache[0] or _compared(body, variable):
            continue
        for use, current in _calls_around(clause.body, variable, _memo(ctx)):
            remote, _name = call_parts(current)
            if ACTING_USER.search(text(current)) or re.search(r"socket\.assigns\.user\b", text(current)):
                continue  # looked up within the acting user's records (`get_backend_by_user_access(user, id)`)
            if remote is not None and remote[:1].isupper() and remote not in PLAIN_MODULES and not privileged_only(ctx):
                yield hit(use, f'"{key}" comes from the client, though this page shows its own '
                               f"socket.assigns.{key[:-3]}: a client can name another record, and nothing "
                               "compares the two.", "medium")
                return


def _held_key_hits(ctx, clause, cache: list):
    """A payload key naming an id the page already holds in an assign of the same name (`%{"order_id" => order_id}`
    where the page keeps `socket.assigns.order_id`), handed to a call that acts on it, with no comparison against the
    held one: the client can name another record than the one the page is about (medium)."""
    payload = text(clause.params[1])
    bound = [(key, var) for key, var in payload_bindings(payload) if key.endswith("_id")]
    if not bound:
        return
    if not cache:
        cache.append(_held_ids(ctx))
    body = text(clause.body)
    for key, variable in bound:
        if key not in cache[0] or re.search(r"socket\.assigns\." + re.escape(key) + r"\b", body):
            continue  # compared with (or replaced by) the held id in the handler
        if _passed_to_writer(clause, variable, ctx.module, memo=_memo(ctx)) and not privileged_only(ctx):
            yield clause_hit(clause, f'"{key}" comes from the client, though this page keeps its own in '
                                     f"socket.assigns.{key}: a client can act on another record.", "medium")
            return


# Whether a payment went through or a request was approved: the server's to decide, not the client's (`paid`,
# `approved_at`, `payment_status`), and a record's plain `status`/`state` when the record is about money (an invoice's,
# an order's, a subscription's: `Invoice.changeset(%{status: params["status"]})`).
SETTLED = KeyFamily(r"(?:is_)?(?:paid|approved|verified|refunded|settled|confirmed)(?:_at)?|"
                    r"(?:payment|billing|approval|verification|kyc|refund|payout|invoice|order|subscription|checkout)_(?:status|state)")
STATE = KeyFamily(r"status|state")
MONEY_WORDS = r"(?:invoice|order|payment|subscription|refund|payout|charge|billing|transaction|expense|purchase|checkout|receipt|" \
              r"wallet|ledger)"
# A record about money named in the statement: a module or struct (`Invoice`, `Billing.Order`), or a function or
# variable joined with the word (`update_order`, `payment_params`); not a lone lowercase `order` (a position) nor
# `sort_order` and `order_by`.
MONEY_RECORD = re.compile(r"(?<![A-Za-z])" + MONEY_WORDS.replace("(?:i", "(?:I").replace("|o", "|O").replace("|p", "|P")
                          .replace("|s", "|S").replace("|r", "|R").replace("|c", "|C").replace("|b", "|B").replace("|t", "|T")
                          .replace("|e", "|E").replace("|w", "|W").replace("|l", "|L") + r"s?(?![a-z])|"
                          r"(?<![a-z_])(?:[a-z]{1,30}_){1,3}(?<!sort_)(?<!display_)(?<!position_)" + MONEY_WORDS + r"s?(?![a-z])|"
                          r"(?<![a-z_])" + MONEY_WORDS + r"s?_(?!by\b)[a-z_]{1,30}")


def _settles(node, clause) -> bool:
    """The statement writing a plain `status` names a record about money (`Repo.get!(Invoice, id) |> Invoice.changeset(
    %{status: ...})`, `Orders.update_order(order, %{status: s})`): the statement that holds the write, up to 600
    characters of it."""
    current = node
    while current.parent is not None and clause.body is not None and current.parent.id != clause.body.id \
            and current.parent.id != clause.node.id:
        current = current.parent
    return MONEY_RECORD.search(text(current)[:600]) is not None


# Buying, paying or booking: a price the acting user pays, never theirs to set (beside MONEY_RECORD's invoices and orders).
BUYING = re.compile(r"(?i)(?<![a-z])(?:carts?|baskets?|line_items?|bookings?|reservations?|tickets?|checkouts?|coupons?|"
                    r"redeem\w{0,10}|transfers?|withdraw\w{0,10}|deposits?|payouts?|purchases?|pay|charges?|tips?|"
                    r"enrol\w{0,10}|registrations?|bids?|offers?|quotes?)(?![a-z])")
# A record the acting user owns, loaded or written through their scope (`Market.get_listing!(current_scope, id)`,
# `Market.update_listing(socket.assigns.current_scope, listing, attrs)`).
THROUGH_ACTOR = re.compile(r"\b[a-z_]\w{0,60}!?\(\s{0,8}(?:socket\.assigns\.|assigns\.|@)?(?:current_(?:scope|user|account)|scope)\b")


def _owner_priced(ctx, body: str) -> bool:
    """A price or cost the owner sets on their own record (a seller pricing their listing, a member's budget line):
    the handler writes through the acting user's scope, the module loads that kind of record through it, and nothing
    in the handler is bought, paid or booked (an order, a cart, a checkout). The field is theirs to edit."""
    if MONEY_RECORD.search(body) or BUYING.search(body) or not THROUGH_ACTOR.search(body):
        return False
    return ctx.text.once("trusts_client_payload:scoped_reads", lambda: re.search(
        r"\b(?:get|fetch|load|list)_\w{1,60}!?\(\s{0,8}(?:socket\.assigns\.|assigns\.|@)?current_(?:scope|user|account)\b",
        ctx.source) is not None)


# Written as data from the client's value (not only read to filter), a team's id names whose records these are too.
WRITTEN_OWNER = AUTHORITY | KeyFamily(r"team_id")


def _flow_hits(ctx, clause, judged: set[str] = frozenset()):
    """Hits from the client's values followed through the handler (and the helpers it hands them to); `judged`: payload
    keys the text forms already judged low in this handler (left to that judgement)."""
    flow = payload_flow(clause, ctx.module)
    privileged = None
    weak = None
    for write in flow.writes:
        key = _snake(write.key)
        read = {_snake(k) for k in write.value.keys}
        if read & judged or (not read and key in judged):
            continue
        if key not in WRITTEN_OWNER | MONEY | SETTLED and not (key in STATE and _settles(write.node, clause)):
            continue
        if clause.node.start_byte <= write.node.start_byte < clause.node.end_byte and _looked_up(write.node, clause.node):
            continue
        if key in SETTLED | STATE and not write.kept:
            if key in _typed_fields(ctx) or read & _typed_fields(ctx):
                continue  # picked in a visible field of this module's form: the user's own choice
            confidence, message = "medium", (f'"{write.key}" is written from the client\'s value: a client can mark its own '
                                             "payment or request settled (paid, approved). The server should decide it.")
            if GRANT_CHECK.search(code_text(clause.body)) or admin_gated(ctx):
                confidence = "low"  # a reviewer whose right the handler or page checks
        elif write.kept:
            confidence, message = "medium", (f'"{write.key}" is only a default here: a value the client sends under '
                                               "that key is kept. Set it from the server after the client's params.")
        elif key in MONEY:
            if key in _typed_fields(ctx) or read & _typed_fields(ctx) or _typed_in_same_action(ctx, clause, key, _typed_fields(ctx)):
                continue  # an amount the user types is their own choice
            word = MONEY_WORD.search(key)
            confidence, message = "medium", (f'"{write.key}" is written from the client\'s value: a client can set any '
                                             f'{word.group(0) if word else "price"}.')
            if _owner_priced(ctx, text(clause.body)):
                confidence = "low"  # the owner's own price on their own record, written through their scope
        else:
            confidence, message = None, f'"{write.key}" is written from the client\'s value ({", ".join(sorted(read)) or "its params"}): ' \
                                        "a client can name another user or organisation."
        if privileged is None:
            privileged = privileged_only(ctx)
        if privileged or (key in WRITTEN_OWNER - TENANT and admin_gated(ctx)):
            confidence = "low"
        if key in PERMISSIONS:
            message = f'"{write.key}" is written from the client\'s value: a client can grant itself any role.'
        if key in PERMISSIONS and _granted_to_another(write.node, clause):
            # The role of the member invited or edited: whether the actor may grant it is the context's when the handler
            # checks the actor's right (low); with no check in view and the page open to every member, medium.
            checked = confidence == "low" or GRANT_CHECK.search(code_text(clause.body)) is not None
            confidence = "low" if checked else "medium"
            message = f'"{write.key}" for another member comes from the client: check that the acting user may grant it.'

        if confidence != "low":
            yield hit(write.node, message, confidence)
            return
        if weak is None:
            weak = hit(write.node, message, confidence)  # kept while a later write may be shown
    if weak is not None:
        yield weak
        return
    for node, client, fallback in flow.fallbacks:  # each judged on its own 200 characters: all of them are read
        read = {_snake(k) for k in client.keys}
        actor = ACTOR_FALLBACK.match(fallback.strip()) is not None
        address = any(ADDRESS_KEY.match(_snake(k)) for k in read) and ADDRESS_FALLBACK.search(fallback) is not None
        if address:
            yield hit(node, f"The client's {', '.join(sorted(client.keys))} comes first and the connection's own address "
                            "only as the fallback: a client that sends one picks the address its rate limit or log is "
                            "kept under. Use the connection's address alone.", "medium")
            return
        if not actor and not (HELD_VALUE.match(fallback.strip()) and any(k in AUTHORITY | MONEY for k in read)):
            continue
        if not actor and _looked_up(node, clause.node):
            continue
        if read & _typed_fields(ctx):
            continue
        if privileged is None:
            privileged = privileged_only(ctx)
        what = "the acting user" if actor else code_span(fallback.strip())
        yield hit(node, f"The client's {', '.join(sorted(client.keys)) or 'value'} comes first and {what} only as the "
                        "fallback: a client that sends one overrides what the server holds.", "low" if privileged else "medium")
        return


# A check of the acting user's right in the handler: a policy call, a permission predicate, a role compared.
GRANT_CHECK = re.compile(r"\b(?:authorize\w{0,20}|can_\w{1,40}\?|can\?|permit\w{0,20}|allowed\w{0,20}\??|Bodyguard|"
                         # a policy or permission named as a call, not any name holding the word (`refund_policy`)
                         r"\w{0,30}polic(?:y|ies)\w{0,20}[?!]?(?=\()|\w{0,30}admin\?|\w{0,30}owner\?|has_role\w{0,20}\??|"
                         r"\w{0,20}permissions?\w{0,20}[?!]?(?=\())"
                         r"(?!\w)|\.role\s{0,4}(?:==|!=|in\b)")
OTHER_PERSON_KEY = re.compile(r"^(?:email|username|login|phone|member_id|invitee\w*|membership_id|user_id)$")
ACTING_BINDING = r"\b{name}\s{{0,4}}=\s{{0,4}}socket\.assigns\.current_|current_\w{{1,20}}:\s{{0,4}}{name}\b"


def _granted_to_another(node, clause) -> bool:
    """A role written for another person: the same map names them (`%{email: params["email"], role: ...}`, an invite), or
    the write is handed a person record first that is not the acting user (`update_user_role(member, %{role: ...})`)."""
    holder = node.parent
    while holder is not None and holder.type not in ("map", "keywords", "call"):
        holder = holder.parent
    if holder is not None and holder.type in ("map", "keywords"):
        keys = re.findall(r"(?:^|[{,\s])\"?([a-z_]\w{0,40})\"?\s{0,4}(?::|=>)", text(holder)[:2000])
        if any(OTHER_PERSON_KEY.match(k) for k in keys):
            return True
    call = holder
    while call is not None and call.type != "call":
        call = call.parent
    arguments = call_arguments(call) if call is not None else []
    first = text(arguments[0]).strip() if arguments else ""
    if re.fullmatch(r"(?:socket\.assigns\.)?[a-z_]\w{0,40}", first) and not re.search(r"current_|\bscope\b", first):
        name = first.rsplit(".", 1)[-1]
        return re.search(ACTING_BINDING.format(name=re.escape(name)), text(clause.body)) is None
    return False
