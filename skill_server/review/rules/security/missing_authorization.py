"""## What it does
Flags a `handle_event/3` that loads a record by an id from the event payload with an unscoped lookup (a
bare `Repo.get`/`get!`/`get_by` on the schema, or a context getter given only the id, such as
`Orders.get_order!(id)`) and then either changes or deletes it, or, in a module that loads the same kind
of record through the current scope or user elsewhere, uses it at all. The URL is client input too: an id in
`mount/3`'s or `handle_params/3`'s params (or in the head of the helper they hand the params to, such as
`apply_action`) that loads a record unscoped is flagged medium when the module scopes that kind of record
elsewhere, or when an event handler later changes the record the page holds (`Blog.delete_post(socket.assigns.post)`)
in a module with signs of several users; an id in a URL may be a link shared on purpose, hence medium. A change
by a client id that loads nothing first is flagged too, medium, in a module with signs of several users: `Repo.delete_all`/
`update_all` of a query filtered by `^id`, `Repo.delete(%Post{id: id})`, a context write given only the id
(`Todos.toggle_todo!(id)`); a payload value given to a getter as the id counts whatever its key (`"value"`), and a
slug (`%{"slug" => slug}`, `Repo.get_by!(Post, slug: slug)`, read inline as `params["slug"]` or
`Map.get(params, "post_slug")`) names a record as an id does.
An id kept in an assign is followed to the handler that uses it: one event stores the client's id unchecked
(`assign(socket, :editing_id, id)`) and another loads or changes the record by `socket.assigns.editing_id`; the id of
a record the URL named, kept (`assign(socket, post_id: post.id)`) and reloaded by a save handler, is the URL's (medium).
A getter of the module's own counts as the lookup it wraps: `defp shelf!(id), do: Racks.get_shelf!(id)` (or
`Repo.get!(Bin, id)`) called with the client's id and followed by a change is flagged at the call; a helper that
takes the scope or user, or checks the owner, is a scoped getter.

## Why is this bad?
Any client can send any event with any id. Without a check that the record belongs to the current user
or tenant, one user can read, edit or delete another's data (an insecure direct object reference). Hiding
the button does not help.

## Example
```elixir
def handle_event("delete", %{"id" => id}, socket) do
  order = Orders.get_order!(id)
  {:ok, _} = Orders.delete_order(order)
  {:noreply, socket}
end
```

## Use instead
```elixir
order = Orders.get_order!(socket.assigns.current_scope, id)   # where: o.user_id == ^scope.user.id
{:ok, _} = Orders.delete_order(socket.assigns.current_scope, order)
```

Also flags a write handler with no permission check in a module that checks named permissions elsewhere
(sibling handlers call `require_permission!(socket, "item.edit")`, or mount checks only a permission to look,
such as `"item.view"`), and a handler that reloads the record the page holds by an id the client posts back
(`if id = item_params["id"], do: Catalog.get_item!(id), else: socket.assigns.item`): ids read from a form's
params (`item_params["id"]`) count as client-sent like keys of the payload, and so do an id read inline
(`Catalog.get_item!(params["id"])`), bound by a map pattern in a `case`/`with` (`%{"id" => id} <- params`) or
piped into the getter (`id |> Catalog.get_item!()`), or piped out of the params (`item_params |> Map.fetch!("id") |>
Catalog.get_item!()`, reloading the record the page holds). Keys spelled with a dash (`"slide-id"`, a `phx-value-slide-id`)
are ids too. A call handed the client's id with Ash's `authorize?: false` (`Ash.get!(Post, id, authorize?: false)`,
`Blog.archive_post!(id, authorize?: false)`), or given any value the client sent (`update_user_role(member, %{role:
params["role"]}, authorize?: false)`), is flagged whatever it does and whatever actor it gets: the switch
skips the policies that would limit it to the acting user's records, so it never counts as a check. In a module that goes through Ash with an actor (`Ash.read!(q, actor: user)`,
`list_networks!(actor: current_user)`), a bare `Repo.get!` by the client's id is flagged (medium) even when the
action it feeds takes the actor: the repo read skips the resource's read policies, so the action is handed whatever
record the client named. So is a bare `Repo.get!` by the client's id of a kind of record the module loads through the
acting user elsewhere (`Community.get_post!(id, current_user)`), even when the change after it takes the actor.

Two traces of a check that is missing even without a lookup: a function this module elsewhere hands the id of the
record it holds (`Slides.clear_penalty(socket.assigns.curr_slide.id)`) given the client's id instead
(`Slides.apply_penalty(slide_id)`), and a write handler (or a helper it hands the socket to) that binds the acting
user (`%{current_user: current_user} = socket.assigns`) and never reads it before changing a record. And a control
the template shows only to users with a permission or to the owner (`:if={can_edit?(@user, @post)}`, `<%= if
has_moderating_permission(@board.id, @current_user) do %>`, `@post.user_id == @current_user.id`, a permission flag
the page holds: `:if={@can_moderate}`, `@is_admin`; a record's own flag such as `reply.can_delete?` is not one) whose
`handle_event` changes data without any check: hiding the button does not stop the event. It is reported at the
control (in project review, a module's separate template is read too, and the finding is at the handler). So is a handler that changes a context's records without a check where sibling handlers change the same
context's records only under a permission or ownership predicate (`if has_move_permission(board, user) do
Boards.update_board(...)`) or an owner comparison (`if post.user_id == user.id do Posts.delete_post(post)`).

Two more traces, medium (shown): a handler that changes the record the page holds (`Discussions.hide_post(
socket.assigns.post.id, attrs)`, hiding, locking, pinning and moderating count as changes) without reading any of
the permission flags the page keeps for the acting user (`socket.assigns.can_moderate_discussions`, `is_mine`,
`is_admin`) where other handlers, or the helpers they go through, read one before changing the same context's
records (`Discussions.delete_post` under `if socket.assigns.can_moderate_discussions`); and a `cond` branch
that only asks whether someone is signed in (`user -> Posts.delete_post(post.id, user.id)`) above a branch that
checks a permission or ownership (`socket.assigns.can_moderate -> ...`): cond takes the first true branch, so the
check below never runs for a signed-in user. A change given the acting user (a name bound from
`socket.assigns.current_user`, such as `%{id: user_id} <- socket.assigns.current_user`), a handler that checks
anything itself, and functions over data in memory (`Enum.reject/2`) are not such changes.

## False positives
A record every visitor may read is not an owned record: in project review, a lookup of a kind the router shows
without sign-in (`live "/books/:isbn", BookLive.Show` outside any authenticating `pipe_through` or `on_mount`) is not
flagged when the handler names the acting user and every change acts on something else (the user's own list:
`Lists.remove_book(list_book)`), never on the record loaded.
Single-user or admin-only apps have a different model: without signs of multiple users in the module
(`current_scope`, `current_user`, an org or tenant) a change after a bare `Repo` lookup (or one through a variable
holding the repo, `repo.get!(Note, id)`, as libraries embedded in a host app write it) is medium confidence,
and after a context getter (`Blog.get_post!(id)`, as generated CRUD pages write it) low. A lookup that is only
read is flagged only when the module scopes the same records elsewhere (`get_order!(scope, id)`,
`list_orders(current_user)`): public records (a product in a shop) are read by id on purpose. In project review, a handler that
runs Ash actions with `actor:` whose every `policy action(...)` block in the project authorizes by the actor's
relation to the record (`authorize_if expr(host.roles.user.id == ^actor(:id))`, none `always()` or
`actor_present()`) is checked by those policies (`review/ash_policies.py`). A reader is a scope over the
record its name loads, not over the filters after it (`get_membership_by_user_and_club!(user, club_id)` scopes
memberships, not clubs). People are not such a
scope: loading the acting user through themselves and another user's profile by id (to show it, to open a chat) is
what a profile page does. An explicit
check in the handler (`authorize`, `can?`, `permit`, Bodyguard, `.user_id == ...`, any owner field of the
loaded record compared with the acting user: `upload.uploader_id == socket.assigns.current_user.id`, the id
checked against a list the server holds: `id in uploaded_ids`, `Enum.member?/2`; the loaded record's parent compared
with the one the page holds: `lane.board_id == board.id`) or a change call that takes
the scope or user silences it; so does a permission predicate named for it (`Chat.can_delete?(user, message)`,
any `can_*?`, a scope or access predicate: `Storage.within_scope?(file.folder_uuid, scope)`,
`has_access?`, a permission predicate however it is spelled: `has_moderating_permission(board.id, user)`,
`moderator?(user)`). Values are tainted only as they flow from the payload: a field of a record loaded through the
acting user (`event = get_user_event!(current_user.id, id)`, then `event.file.hash`) is the server's, so a
lookup by it is not client-driven. A LiveView only administrators reach has no owner to check: its own
`on_mount` names a privileged role (`{UserAuth, :require_admin}`, `:ensure_moderator`, staff, superuser, a service's operations staff by their job: `:require_dispatcher`), or, in
project review, the router mounts it only inside live_sessions whose on_mount does (a LiveView routed in any
other live_session too is still checked). Acting on any record by id is what such a page is for. A role held
inside a tenant (`:require_org_admin`, a team's moderator) is not such a role: that admin may act only on
the tenant's records, so the lookup still needs its scope.

## Severity and confidence
Error, harm security: one user can read, change or delete another's records. High for a client id given with
`authorize?: false` (the code turns the check off itself), and when the module shows
signs of several users (a scope, a current user, a tenant) or scopes the same records elsewhere; without
them, medium for a bare `Repo` lookup (shown by default because of the harm) and low for a context getter (medium
when the module's own `on_mount` lets only signed-in users in, or in project review when the router signs users in:
users with records of their own). A dropped permission check (a predicate, a named permission or a permission flag), a
signed-in-only cond branch and a reloaded held record are medium (shown): the handler may not need that permission, or the context may check it. So are a client id
given where the module elsewhere passes the held record's id, and an acting user bound but never checked before a
change: the context may check it.

## References
knowledge: security#authorize-every-event
"""

import re
from functools import lru_cache

from ....brackets import balanced_args
from ....sanitize import code_span
from ...elixir_tree import call_arguments, call_parts, calls, code_text, text, unparenthesized, walk
from ...helpers import callback_clauses, clause_calls, clause_hit, element_hit, hit
from ...privileged import privileged_only
from ...public_routes import publicly_shown
from ...project_sources import signs_users_in
from ...provenance import (client_arguments, held_id_calls, id_variables, params_maps, payload_bindings, reads_id_from,
                           unused_actor)
from ...rule import Hit, Rule
from ...ash_policies import actor_checked_actions
from ...sibling_template import sibling_template
from ...taint import payload_flow, value_of
from ...template import nearest
from ...writes import stores

RULE = Rule(
    slug="missing_authorization", code="LV601", family="security", severity="error", confidence="high",
    languages=("elixir",), summary="A record loaded by a client-sent id is used without an ownership check.",
    fix="Load it through a scoped query (the current scope or user) before changing or showing it.",
    cites="security#authorize-every-event", harm="security",
)
MULTI_USER = re.compile(r"current_scope|current_user|current_org|tenant|organization_id|org_id|assigns\.user_id")
# A change: a Repo write, or a call whose name carries a write verb (`delete_post`, `mark_as_deleted`,
# `rescind_and_delete_invitation`, `toggle_visibility!`, `save_thumbnail`).
CHANGE = re.compile(r"Repo\.(update|delete|insert)\w*[!(]|\.(?:\w+_)?(update|delete|deleted|archive|remove|cancel|"
                    r"approve|publish|destroy|revoke|rescind|reject|accept|untrack|ban|restore|transfer|toggle|save|"
                    r"suspend)(?:_\w+)?!?\(")
# A check's word as code that runs: not an atom (`_ = :authorized`) nor a name being bound (`authorized? = true`)
# (audit 13 A13-28: one inert line counted as the handler's check).
AUTHORIZED = re.compile(r"(?<![:\w])(authorize\w*(?!\?:\s{0,4}false)|can\?|can_\w{1,40}\?|permit\w*|Bodyguard|allow(?:ed)?\?|policy|owns?\?|owner\?|"
                        r"\w{0,40}_(?:scope|access)\?|"
                        # a permission predicate however it is spelled (`has_moderating_permission(...)`,
                        # `has_move_permission(board, user)`, `moderator?(user)`, `is_owner(...)`)
                        r"has_\w{0,40}(?:permission|access|right|role)s?\w{0,20}\(|\w{0,40}_permission\??\(|"
                        r"(?:is_)?\w{0,20}(?:owner|moderator|admin|member)\?\()(?![\w?!]{0,40}\s{0,4}=(?![=>~]))|"
                        r"\.(user_id|owner_id|author_id|account_id|org_id|organization_id|tenant_id)\s*[!=]=|"
                        # the loaded record's parent compared with the one the page holds (`lane.board_id ==
                        # board.id`): a scope check, the record belongs to what the user opened
                        r"\.\w{1,40}_id\s{0,4}[!=]==?\s{0,4}(?:socket\.assigns\.|assigns\.|@)?[a-z_]\w{0,60}\.id\b")
# The loaded record's owner field compared with the acting user (`upload.uploader_id == current_user.id`,
# `current_scope.user.id != doc.creator_id`): an ownership check, whatever the field is called.
OWNERSHIP = re.compile(r"\.\w{1,40}_id\s{0,4}[!=]==?\s{0,4}[\w.@\[\]:]{0,100}?\bcurrent_\w{1,20}[\w.\[\]:]{0,40}\.id\b|"
                       r"\bcurrent_\w{1,20}[\w.\[\]:]{0,40}\.id\s{0,4}[!=]==?\s{0,4}[a-z_]\w{0,60}\.\w{1,40}_id\b")
ACTOR = re.compile(r"current_scope|current_user|\bscope\b|\buser\b|current_account|current_org|\bactor:")
# A load through the acting user or scope (`get_user_event!(current_user.id, id)`, `get_doc!(scope, id)`).
SCOPED_LOAD = re.compile(r"\bcurrent_(?:scope|user|account|org\w{0,12})\b|(?<![:\w])scope\b")
OWNER_KEYS = re.compile(r"\b(user_id|owner_id|author_id|account_id|org_id|organization_id|tenant_id|scope|actor)\s*:")
# People loaded only to be shown (a profile to chat with): loaded through the acting user elsewhere is that user's
# own record, not a scope over other people.
PEOPLE = re.compile(r"(?:\w+_)?(?:user|account|profile|member|person)")
GETTER = re.compile(r"^(?:get|fetch|find|load)_(\w+?)!?$")
BY_ID = re.compile(r"^(?:get|fetch|find|by_id|get_by_id)!?$")  # `Api.Character.by_id(id)`: the module names it
READER = re.compile(r"^(get|list|fetch|find|load|search|count|stream)_")
BY_FILTER = re.compile(r"_(?:by|for|of|with|from|where|in)_.*$")  # a reader name's filters, after the record it loads


def _snake(alias: str) -> str:
    last = alias.rsplit(".", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", last).lower()


def _repo(module: str) -> bool:
    """An Ecto repo: a module named `...Repo`, or a variable holding one (`repo = Config.repo()`, how
    libraries embedded in a host app reach its repo)."""
    return module.endswith("Repo") or module == "repo"


# A name an argument uses: `id`, `socket.assigns.bed_id`, `params["id"]` (not after a `.`: that is a field).
ARGUMENT_NAME = re.compile(r'(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\[\s{0,4}"[\w-]{0,40}"\s{0,4}\])?')
PLAIN_NAME = re.compile(r'[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\[\s{0,4}"[\w-]{0,40}"\s{0,4}\])?')


def _names(argument: str, variables: set[str]) -> bool:
    """Whether the argument uses one of the client-id variables. Names and dotted paths (and each path's leading
    parts: `id.value` uses `id`) are looked up in one pass over the argument (audit 12 P5: a regex per argument and
    variable was quadratic in a handler's reads); a variable that is an expression (`params |> Map.fetch!("id")`)
    is searched for as text."""
    used = set()
    for name in ARGUMENT_NAME.findall(argument):
        key = name.find("[")
        parts = (name[:key] if key >= 0 else name).split(".")
        used.update(".".join(parts[:end]) for end in range(1, min(len(parts), 8) + 1))  # a path's first parts
        used.add(name)
    if not variables.isdisjoint(used):
        return True
    return any(re.search(r"(?<![\w.])" + re.escape(v) + r"(?!\w)", argument)
               for v in _expressions(frozenset(variables)))


@lru_cache(maxsize=64)
def _expressions(variables: frozenset[str]) -> tuple[str, ...]:
    """The variables that are expressions, not names (`params |> Map.fetch!("id")`): few, searched for as text."""
    return tuple(v for v in variables if not PLAIN_NAME.fullmatch(v))


def _lookup(node, module, name, variables) -> str | None:
    """The resource name of an unscoped lookup by a client-sent id (`post`), or None."""
    args = _piped_in(node) + call_arguments(node)  # `id |> Catalog.get_item!()` takes the id first
    uses_id = any(_names(text(a), variables) for a in args)
    if not uses_id:
        return None
    if module is not None and _repo(module) and name in ("get", "get!", "get_by", "get_by!") and args:
        if OWNER_KEYS.search(text(node)):
            return None
        return _snake(text(args[0]))
    if module == "Ash" and name in ("get", "get!") and len(args) >= 2 and not OWNER_KEYS.search(text(node)):
        return _snake(text(args[0]))  # `Ash.get!(Post, id)` with no `actor:`: the policies never run
    if module is not None and _repo(module) and name in ("one", "one!") and args and not OWNER_KEYS.search(text(node)) \
            and not SCOPED_LOAD.search(text(node)):
        query = re.search(r"\bin\s{1,8}([A-Z][\w.]{0,80})", text(args[0])[:300])
        return _snake(query.group(1)) if query else None  # `Repo.one(from p in Post, where: p.id == ^id)`
    # The id alone, or converted (`get_post!(String.to_integer(id))`).
    only = re.sub(r"^(?:String\.to_integer|String\.trim|Integer\.parse|String\.to_existing_atom)\(\s{0,4}(.*?)\s{0,4}\)$", r"\1",
                  text(args[0]).strip()) if len(args) == 1 else None
    only_the_id = only is not None and only in variables
    getter = GETTER.match(name)
    if module is not None and getter and only_the_id:
        return getter.group(1)
    if module is not None and BY_ID.match(name) and only_the_id and module[:1].isupper():
        return _snake(module)
    return None


# Callbacks, never a getter of this module's own (a handler that loads a record is judged as a handler).
CALLBACKS = frozenset({"mount", "handle_event", "handle_params", "handle_info", "handle_async", "update", "render",
                       "handle_call", "handle_cast", "terminate", "init"})
MAX_GETTER_CLAUSES = 400  # clauses of one module read for getters (a module with more is generated, not written)


def _local_getters(ctx) -> dict[tuple[str, int], tuple[int, str, bool]]:
    """This module's own functions that load a record by one of their parameters with an unscoped lookup
    (`defp fetch_crate(id), do: Depot.get_crate!(id)`, `defp load(id), do: Repo.get!(Crate, id)`): (name, arity) ->
    (the parameter's position, the resource, whether it reads the repo itself). A handler that calls one with the client's id loads that record as
    surely as if it called the getter itself. Each clause body is walked once, once per unit; a clause that checks
    anything or takes the scope or user is no unscoped getter."""
    getters: dict[tuple[str, int], tuple[int, str, bool]] = {}
    refused: set[tuple[str, int]] = set()  # a clause of the function scopes or checks: not an unscoped getter
    for clause in (ctx.module.clauses if ctx.module is not None else [])[:MAX_GETTER_CLAUSES]:
        if clause.body is None or clause.name in CALLBACKS or clause.kind not in ("def", "defp"):
            continue
        key = (clause.name, clause.arity)
        names = {text(p).strip(): i for i, p in enumerate(clause.params) if p.type == "identifier"
                 and not text(p).startswith("_")}
        body = code_text(clause.body)
        if not names or AUTHORIZED.search(body) or OWNERSHIP.search(body) or SCOPED_LOAD.search(body):
            refused.add(key)
            continue
        for node, module, name in calls(clause.body):
            resource = _lookup(node, module, name, set(names))
            if resource is not None:
                used = next((i for n, i in names.items() if _names(text(node), {n})), None)
                if used is not None:
                    getters.setdefault(key, (used, resource, module is not None and _repo(module)))
                break
    return {k: v for k, v in getters.items() if k not in refused}


def _unit_getters(ctx) -> dict[tuple[str, int], tuple[int, str, bool]]:
    """`_local_getters` of this unit, computed once however many handlers ask."""
    return ctx.text.once(f"missing_authorization.getters:{ctx.unit}", lambda: _local_getters(ctx))


def _local_lookup(node, module, name, variables, getters) -> str | None:
    """The resource a call of one of this module's unscoped getters loads by a client id (`fetch_crate(crate_id)`)."""
    if module is not None or not getters:
        return None
    args = _piped_in(node) + call_arguments(node)
    found = getters.get((name, len(args)))
    if found is None or found[0] >= len(args):
        return None
    return found[1] if _names(text(args[found[0]]), variables) else None


def _piped_in(node) -> list:
    """`[left]` when the call is the right side of `left |> call`, else nothing."""
    parent = node.parent
    if parent is None or parent.type != "binary_operator" or text(parent.child_by_field_name("operator")) != "|>":
        return []
    right = parent.child_by_field_name("right")
    return [unparenthesized(parent.child_by_field_name("left"))] if right is not None and right.id == node.id else []


def _scoped_elsewhere(ctx, resource: str) -> bool:
    """The module reads this resource through the current scope or user somewhere (`get_order!(scope, id)`,
    `list_orders(current_user)`, `Repo.get_by(Order, id: id, user_id: ...)`)."""
    readers, repo_resources = _scoped_reads(ctx)
    plural = re.compile(r"_" + re.escape(resource) + r"s?(_|$)")
    # The record a reader loads is named before its filters: `get_membership_by_user_and_organization!(user, id)`
    # loads a membership, not an organization (`list_posts_for_user(user)` still loads posts).
    return resource in repo_resources or any(plural.search(BY_FILTER.sub("", name)) for name in readers)


_SCOPED_READS: dict[int, tuple[int, tuple[list[str], set[str]]]] = {}  # id(ctx) -> (id of its calls list, reads)


def _scoped_reads(ctx) -> tuple[list[str], set[str]]:
    """The module's reads through the acting user, gathered once per unit (every handler asks): the reader
    functions given the scope or user first, and the resources Repo reads with an owner key."""
    index = id(ctx._call_index)  # built once per unit: tells a later unit at a reused id(ctx) apart
    cached = _SCOPED_READS.get(id(ctx))
    if cached is not None and cached[0] == index:  # checked before ctx.calls(), which copies every call of the unit
        return cached[1]
    readers: list[str] = []
    repo_resources: set[str] = set()
    for node, module, name in ctx.calls():
        args = call_arguments(node)
        if not args:
            continue
        # A getter given only a value named `scope` loads that record itself (`get_folder(scope)`: the folder the
        # browser is rooted at), not records through the acting user's scope.
        alone = len(args) == 1 and GETTER.match(name) and not re.search(r"current_|\buser\b|\.user", text(args[0]))
        if READER.match(name) and not alone and ACTOR.search(text(args[0])):
            readers.append(name.rstrip("!?"))
        if module is not None and _repo(module) and OWNER_KEYS.search(text(node)):
            repo_resources.add(_snake(text(args[0])))
    _SCOPED_READS.clear()  # one unit at a time: no memory kept across reviews
    _SCOPED_READS[id(ctx)] = (index, (readers, repo_resources))
    return readers, repo_resources


def _mentions(node, variables: set[str]) -> bool:
    return any(child.type == "identifier" and text(child) in variables for child in walk(node))


def _bound(pattern) -> set[str]:
    return {text(n) for n in walk(pattern) if n.type == "identifier" and not text(n).startswith("_")}


def _derived(body, variables: set[str]) -> set[str]:
    """The client ids and the variables bound from them: `n = String.to_integer(id)`, `{:ok, n} <- parse(id)`,
    `case parse(id) do {:ok, n} -> ...` (two passes are enough for the chains handlers write)."""
    tainted = set(variables)
    for _ in range(2):
        for node in walk(body):
            operator = text(node.child_by_field_name("operator")) if node.type == "binary_operator" else ""
            right = node.child_by_field_name("right") if operator in ("=", "<-") else None
            # A record loaded through the acting user (`get_user_event!(current_user.id, id)`) is the user's own:
            # its fields are the server's, not the client's.
            if right is not None and _mentions(right, tainted) and not SCOPED_LOAD.search(text(right)[:400]):
                tainted |= _bound(node.child_by_field_name("left"))
            elif node.type == "call" and call_parts(node)[1] == "case":
                subject = call_arguments(node)
                if subject and _mentions(subject[0], tainted):
                    for block in (c for c in node.children if c.type == "do_block"):
                        for clause in (c for c in block.named_children if c.type == "stab_clause"):
                            left = clause.child_by_field_name("left")
                            if left is not None:
                                tainted |= _bound(left)
    return tainted


def _takes_actor(arguments: str, variables: set[str]) -> bool:
    """The change's arguments name the acting scope or user, not the record loaded from the client's id (a
    record that happens to be a `user`)."""
    def without_variable(match: re.Match) -> str:
        name = match.group()
        first = re.split(r"[.\[]", name, maxsplit=1)[0]
        return "" if name in variables else name[len(first):] if first in variables else name

    # One pass over the argument's names (audit 12 P5: a substitution per variable was quadratic in a handler's reads);
    # a variable that is an expression is taken out as text.
    arguments = ARGUMENT_NAME.sub(without_variable, arguments)
    for variable in _expressions(frozenset(variables)):
        arguments = arguments.replace(variable, "")
    return ACTOR.search(arguments) is not None


def _change_arguments(body: str, match) -> str:
    """The arguments of a change call, nested calls included (`delete_item(get_item!(id), current_user)`)."""
    opening = body.find("(", match.end() - 1, match.end() + 1)
    return balanced_args(body, opening, 400) if opening >= 0 else ""


def _public_reference(ctx, body: str, node, resource: str, changes) -> bool:
    """The record loaded is one every visitor may read (the router shows it without sign-in: a catalogue book) and
    it is only referred to: each change acts on something else (`Lists.remove_book(list_book)` of a list loaded
    through the acting user), never on the record itself. There is no owner to check."""
    assignment = node.parent
    if assignment is None or assignment.type != "binary_operator" \
            or text(assignment.child_by_field_name("operator")) != "=":
        return False
    record = text(assignment.child_by_field_name("left")).strip()
    if not re.fullmatch(r"[a-z_]\w{0,60}", record) or not ACTOR.search(body) \
            or not publicly_shown(ctx.project_root, resource):
        return False
    subjects = [_change_arguments(body, m).split(",", 1)[0].strip() for m in changes]
    return bool(subjects) and all(subject and subject != record for subject in subjects)


def _checked_against_server_state(body: str, variables: set[str]) -> bool:
    """The id is checked against what the server holds: `image_id in uploaded_ids`, `Enum.member?(ids, id)`,
    `Enum.find(socket.assigns.items, &(&1.id == id))`."""
    # The names before an `in` and in the first 160 characters of those Enum calls, each dotted path with its parts,
    # read in one pass over the body (audit 12 P5: two regexes per variable over the whole body were quadratic).
    checked = set()
    for match in IN_CHECK.finditer(body):
        checked |= _path_parts(match.group(1))
    for match in ENUM_CHECK.finditer(body):
        for name in ARGUMENT_NAME.findall(match.group(1)):
            checked |= _path_parts(name)
    if not variables.isdisjoint(checked):
        return True
    return any(re.search(r"\b" + re.escape(v) + r"\s+in\s+[\w@]", body) for v in _expressions(frozenset(variables)))


IN_CHECK = re.compile(r"([\w.]{1,200}(?:\[\s{0,4}\"[\w-]{0,40}\"\s{0,4}\])?)\s+in\s+[\w@]")
ENUM_CHECK = re.compile(r"Enum\.(?:member\?|find|any\?|find_value)\(([^\n]{0,160})")


def _path_parts(name: str) -> set[str]:
    """A dotted name and the runs of its parts (`socket.assigns.id` -> `id`, `assigns.id`, `socket`, ...), as a
    word-bounded search would find a variable in it; at most 8 parts are taken apart."""
    key = name.find("[")
    parts = (name[:key] if key >= 0 else name).split(".")[:8]
    runs = {".".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return runs | {name}


# A slug piped out of a client map (`params |> Map.fetch!("slug")`): a record's name, as much a key to it as its id.
PIPED_SLUG = re.compile(r'[a-z_]\w{0,60}\s{0,40}\|>\s{0,8}Map\.(?:get|fetch!?)\(\s{0,4}"(?:\w{1,40}_)?slug"')


def _piped_ids(body_node, maps: set[str]) -> set[str]:
    """The pipes that read an id out of a client map (`item_params |> Map.fetch!("id")`), as text: piped on into a
    getter (`|> Catalog.get_item!()`), the expression stands for the client's id."""
    found = set()
    if not maps:
        return found
    for node in walk(body_node):
        if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "|>":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier" and text(left) in maps \
                    and (reads_id_from(text(node)[:200], {text(left)}) or PIPED_SLUG.match(text(node)[:200])):
                found.add(text(node))
    return found


# An id read from a client map, the map's name captured: `id = item_params["id"]`, `id = Map.get(params, "id")`,
# `{:ok, id} = Map.fetch(params, "id")`, or inline where it is used (`get_item!(params["id"])`).
# A key naming a record: an id (`"post_id"`) or a slug (`"slug"`, `"post_slug"`), a record's name as much as its id.
KEY = r'"(?:\w{0,40}id|(?:\w{1,40}_)?slug)"'
ASSIGNED_FROM_MAP = re.compile(r'\b([a-z]\w{0,60})\s{0,4}=\s{0,4}(?:([a-z_]\w{0,60})\[\s{0,4}' + KEY + r'\s{0,4}\]|'
                               r'Map\.(?:get|fetch!)\(\s{0,4}([a-z_]\w{0,60}),\s{0,4}' + KEY + ')')
FETCHED_FROM_MAP = re.compile(r'\{:ok,\s{0,4}([a-z]\w{0,60})\s{0,4}\}\s{0,4}=\s{0,4}Map\.fetch\(\s{0,4}([a-z_]\w{0,60}),'
                              r'\s{0,4}"\w{0,40}id"')
READ_FROM_MAP = re.compile(r'(?<![\w.@])([a-z_]\w{0,60})\[\s{0,4}' + KEY + r'\s{0,4}\]')
# The same read through Map (`Blog.get_post!(Map.get(params, "post_id"))`), inline where it is used.
GOT_FROM_MAP = re.compile(r'(?<![\w.])Map\.(?:get|fetch!)\(\s{0,4}([a-z_]\w{0,60}),\s{0,4}' + KEY + r'\s{0,4}\)')


def _ids_read_from_params(payload: str, body: str) -> set[str]:
    """Variables bound to an id read from a form's params map in the payload (`id = item_params["id"]`,
    `if id = params["post_id"], do: ...`, `Map.get(params, "id")`): as client-sent as a key of the head.
    Each form is one pass over the body whatever the number of maps (audit 12 P5: a regex per map was quadratic)."""
    maps = params_maps(payload)
    if not maps:
        return {var for _, var in MATCHED_ID.findall(body)}
    found = {var for var, index_map, get_map in ASSIGNED_FROM_MAP.findall(body) if (index_map or get_map) in maps}
    found |= {var for var, name in FETCHED_FROM_MAP.findall(body) if name in maps}
    # Read inline where it is used (`Catalog.get_item!(params["id"])`): the expression stands for the id.
    found |= {match.group() for match in READ_FROM_MAP.finditer(body) if match.group(1) in maps}
    found |= {match.group() for match in GOT_FROM_MAP.finditer(body) if match.group(1) in maps}
    # Bound by a map pattern matched in the body (`case params do %{"id" => id} ->`, `%{"id" => id} <- params`).
    found |= {var for _, var in MATCHED_ID.findall(body)}
    return found


# An id bound by a map pattern in a `case`/`with` clause or a match: `%{"id" => id} ->`, `<-`, `=`.
MATCHED_ID = re.compile(r'%\{[^{}\n]{0,200}?"(\w{0,40}id)"\s{0,4}=>\s{0,4}([a-z_]\w{0,60})\b[^{}\n]{0,200}\}'
                        r"\s{0,4}(?:->|<-|=(?![=>~]))")


def _handlers_and_helpers(ctx):
    """(body node, client id variables) of each handle_event/3 clause that binds ids from the payload, and of
    the private helpers those clauses hand an id to (one level: `do_delete(socket, id)`)."""
    private = {}
    for clause in ctx.module.clauses if ctx.module is not None else []:
        if clause.kind == "defp":
            private.setdefault((clause.name, clause.arity), []).append(clause)
    followed = set()  # (helper clause, parameters given an id): each read once, however many handlers call it
    for clause in callback_clauses(ctx, "handle_event", 3):
        payload = text(clause.params[1]) if len(clause.params) > 1 else ""
        variables = id_variables(payload) | _slug_variables(payload)
        maps = params_maps(payload)
        if clause.body is not None:
            variables |= _ids_read_from_params(payload, text(clause.body))
            variables |= _piped_ids(clause.body, maps)
            variables |= _given_as_id(payload, text(clause.body), variables, _unit_getters(ctx))
        if not variables or clause.body is None:
            continue
        variables = _derived(clause.body, variables)
        posted = variables & (_ids_read_from_params(payload, text(clause.body)) | _piped_ids(clause.body, maps))
        yield clause.body, variables, posted
        yield from _helpers_given_ids(clause, variables, private, followed)
    # The URL is client input too: an id in mount/3's or handle_params/3's params (`%{"id" => id}`), read in the
    # clause or in the helper it hands the params to (`apply_action(socket, :edit, params)` with `%{"id" => id}` in
    # the helper's head), loads the record the page then shows and changes.
    for clause in [*callback_clauses(ctx, "mount", 3), *callback_clauses(ctx, "handle_params", 3)]:
        if not clause.params or clause.body is None:
            continue
        payload = text(clause.params[0])
        maps = params_maps(payload)
        # Read in the head, in the body (`params["id"]`, `Map.get(params, "id")`, inline or bound) or piped
        # (`params |> Map.fetch!("id") |> Blog.get_post!()`), as a handle_event payload is read.
        variables = id_variables(payload) | _slug_variables(payload) | _ids_read_from_params(payload, text(clause.body)) \
            | _piped_ids(clause.body, maps)
        if variables:
            yield clause.body, _derived(clause.body, variables), URL
        for node, module, name in clause_calls(clause) if maps else ():
            args = call_arguments(node)
            given = tuple(i for i, a in enumerate(args) if text(a).strip() in maps)
            if module is not None or not given or (name, len(args), given, URL) in followed:
                continue
            followed.add((name, len(args), given, URL))  # every clause of the helper is read once per call shape
            for helper in private.get((name, len(args)), []):
                ids = {v for param in helper.params for v in id_variables(text(param))}
                key = (helper.node.id, frozenset(ids))
                if ids and helper.body is not None and key not in followed:
                    followed.add(key)
                    yield helper.body, _derived(helper.body, ids), URL


SLUG_KEY = re.compile(r"^(?:\w{1,40}_)?slug$")


def _slug_variables(payload: str) -> set[str]:
    """Variables bound to a slug (`%{"slug" => slug}`): a record's name in the URL, as much a key to it as its id."""
    return {var for key, var in payload_bindings(payload) if SLUG_KEY.match(key)}


URL = frozenset({"<the URL>"})  # the `posted` of a mount/handle_params body: its ids came from the URL
STORED_URL = frozenset({"<the URL, kept in an assign>"})  # a handler body reading an id the URL put in an assign
STORED_ID = re.compile(r"^[a-z_]\w{0,60}_(?:id|uuid)$")  # an assign holding an id (`editing_id`), not a record


def _stored_ids(ctx, bodies) -> dict[str, bool]:
    """Assigns a handler fills with a client id it did not check (`assign(socket, :editing_id, id)`, `assign(socket,
    post_id: post.id)` for a post loaded by the URL's id) -> whether the id came from the URL: another handler
    that loads or changes a record by `socket.assigns.editing_id` acts on the id the client chose."""
    stored: dict[str, bool] = {}
    for body_node, variables, posted in bodies:
        body = code_text(body_node)
        if "assign" not in body or AUTHORIZED.search(body) or OWNERSHIP.search(body) \
                or _checked_against_server_state(body, variables):
            continue
        for node, _, name in calls(body_node, {"assign"}):
            arguments = _piped_in(node) + call_arguments(node)
            pairs = [(text(arguments[1]).lstrip(":"), arguments[2])] if len(arguments) == 3 else [
                (text(pair.child_by_field_name("key")).strip().rstrip(":").strip(), pair.child_by_field_name("value"))
                for argument in arguments[1:] if argument.type in ("keywords", "list")
                for pair in walk(argument) if pair.type == "pair"]
            for key, value in pairs:
                if value is not None and STORED_ID.match(key) and _mentions_variable(value, variables):
                    stored[key] = stored.get(key, True) and posted is URL
    return stored


def _mentions_variable(node, variables: set[str]) -> bool:
    """A variable of `variables` is read in the expression, not a field of the same name (`recipe.id`)."""
    for child in walk(node):
        if child.type == "identifier" and text(child) in variables:
            parent = child.parent
            right = parent.child_by_field_name("right") if parent is not None and parent.type == "dot" else None
            if right is None or right.id != child.id:
                return True
    return False


def _stored_id_bodies(ctx, stored: dict[str, bool]):
    """(body, variables, posted) of each handle_event/3 clause that reads an id another handler stored from the
    client (`socket.assigns.editing_id`): the expression stands for the client's id."""
    for clause in callback_clauses(ctx, "handle_event", 3):
        if clause.body is None:
            continue
        body = code_text(clause.body)
        used = {f"socket.assigns.{key}" for key in stored if f"socket.assigns.{key}" in body}
        if used:
            yield clause.body, used, STORED_URL if all(stored[u.rsplit(".", 1)[1]] for u in used) else frozenset()


# A context function that writes (`Blog.delete_post`, `Todos.toggle_todo!`, `Blog.update_post_title`).
WRITE_VERB = re.compile(r"^(?:delete|update|archive|unarchive|toggle|remove|complete|destroy|cancel|mark|publish|"
                        r"unpublish|approve|reject|restore|move|rename|assign|close|reopen)_\w{1,60}[!?]?$")


def _writes_by_id(body_node, variables: set[str]):
    """(node, module, name, what it does) for changes by a client id that load nothing first: `Repo.delete_all`/
    `update_all` of a query filtered by `^id`, `Repo.delete(%Post{id: id})`, and a context write given only ids
    (`Blog.delete_post(id)`, `Blog.update_post_title(id, title)` with the id first)."""
    for node, module, name in calls(body_node):
        if module is None:
            continue
        args = _piped_in(node) + call_arguments(node)
        if not args:
            continue
        if _repo(module) and name in ("delete_all", "update_all"):
            pinned = any(re.search(r"\^\s{0,4}\(?\s{0,4}" + re.escape(v) + r"\b", text(a)) for a in args for v in variables)
            query = re.search(r"\bin\s{1,8}([A-Z][\w.]{0,80})|^\s*([A-Z][\w.]{0,80})\s{0,8}\|>", text(args[0])[:300])
            if pinned and not OWNER_KEYS.search(text(node)) and not SCOPED_LOAD.search(text(node)):
                yield node, module, name, f"changes {code_span(_snake((query.group(1) or query.group(2)) if query else 'record'))} rows"
        elif _repo(module) and name in ("delete", "delete!", "update", "update!") and re.match(
                r"%[A-Z][\w.]{0,80}\{[^{}]{0,200}\bid:\s{0,4}(?:String\.to_integer\()?\s{0,4}(" +
                "|".join(map(re.escape, variables)) + r")\b", text(args[0])):
            yield node, module, name, "writes a struct built from an id"
        elif module[:1].isupper() and not _repo(module) and WRITE_VERB.match(name) and text(args[0]).strip() in variables \
                and re.search(r"(?:^|_)(?:id|uuid)$", text(args[0]).strip()) and not any(SCOPED_LOAD.search(text(a)) for a in args):
            # only an id itself (`id`, `post_id`), not a record loaded from it or a list of ids being reordered
            yield node, module, name, "changes a record"


# A getter given one plain variable, the variable captured: `Blog.get_post!(v)`, `Repo.get(Post, v)`.
GETTER_GIVEN = re.compile(r"(?<![\w.])(?:[A-Z][\w.]{0,80}\.)?(?:get|fetch|find|load)_\w{1,60}!?\(\s{0,8}([a-z_]\w{0,60})\s{0,8}\)|"
                          r"\bRepo\.get!?\(\s{0,8}[A-Z][\w.]{0,80}\s{0,8},\s{0,8}([a-z_]\w{0,60})\s{0,8}[,)]")


def _given_as_id(payload: str, body: str, variables: set[str], getters=None) -> set[str]:
    """Payload values whose key is not named like an id but that a getter takes as one: `%{"value" => v}` (what a
    button's `value` attribute sends) then `Blog.get_post!(v)` or `Repo.get(Post, v)`, or this module's own
    unscoped getter (`%{"shelf" => shelf_id}` then `shelf!(shelf_id)`, `shelf_id |> shelf!()`). Only these id-taking
    forms count: `get_by(User, email: email)` looks a person up by what they typed. One pass over the body per form."""
    bound = {variable for _, variable in payload_bindings(payload)} - variables
    if not bound:
        return set()
    given = {getter or repo for getter, repo in GETTER_GIVEN.findall(body)}
    if getters:
        names = "|".join(sorted(re.escape(name) for name, _ in getters)[:200])
        local = re.compile(r"(?<![\w.])(?:" + names + r")\(\s{0,8}([a-z_]\w{0,60})\s{0,8}[,)]|"
                           r"(?<![\w.])([a-z_]\w{0,60})\s{0,8}\|>\s{0,8}(?:" + names + r")\(")
        given |= {first or piped for first, piped in local.findall(body)}
    return given & bound


def _helpers_given_ids(clause, variables, private, followed):
    """The private helpers a handler hands an id to, one level (`do_delete(socket, id)`), with the parameters given it."""
    for node, module, name in clause_calls(clause):
        args = call_arguments(node)
        given = tuple((i, text(a).strip()) for i, a in enumerate(args) if text(a).strip() in variables)
        if module is not None or not given or (name, len(args), given) in followed:
            continue
        # Every clause of the helper is read (audit 13 A13-6: the first 16 were, so 16 one-line clauses hid the
        # 17th), once per call shape, however often the handlers call it.
        followed.add((name, len(args), given))
        for helper in private.get((name, len(args)), []):
            passed = {text(param).strip() for param, arg in zip(helper.params, args)
                      if text(arg).strip() in variables and param.type == "identifier"}
            key = (helper.node.id, frozenset(passed))
            if passed and helper.body is not None and key not in followed:
                followed.add(key)
                yield helper.body, passed, set()


# An assign filled in the body (`assign(socket, post: post)`, `assign(socket, :post, post)`, piped or not).
HELD_ASSIGN = re.compile(r"\bassign\(\s{0,8}(?:[a-z_]\w{0,40}\s{0,8},\s{0,8})?(?::([a-z_]\w{0,60})\s{0,8},|\[?\s{0,8}([a-z_]\w{0,60}):\s)")
CHANGED_HELD = re.compile(r"socket\.assigns\.([a-z_]\w{0,60})\b(?!\.\w)")


def _changed_held_assigns(ctx) -> set[str]:
    """Assigns whose record an event handler hands to a change (`Blog.update_post(socket.assigns.post, ...)`,
    `Repo.delete(socket.assigns.post)`)."""
    changed: set[str] = set()
    for clause in callback_clauses(ctx, "handle_event", 3):
        body = code_text(clause.body) if clause.body is not None else ""
        for change in CHANGE.finditer(body):
            arguments = _change_arguments(body, change) + " " + _pipeline_before(body, change.start())
            if not SCOPED_LOAD.search(arguments):  # a change given the scope or user: the context can check the owner
                changed |= set(CHANGED_HELD.findall(arguments))
    return changed


def _pipeline_before(body: str, start: int) -> str:
    """The pipeline a call at `start` ends (`socket.assigns.post |> Post.changeset(params) |> Repo.update()`), over
    the lines before it that the pipe continues; '' when the call is not piped into."""
    lines = body[max(0, start - 600):start].split("\n")
    kept = [lines.pop()]
    while lines and (kept[0].lstrip().startswith("|>") or lines[-1].rstrip().endswith("|>")):
        kept.insert(0, lines.pop())
    joined = "\n".join(kept)
    return joined if "|>" in joined else ""


def _replaces_held_record(body: str, resource: str) -> bool:
    """The handler falls back to the record the server holds in its assigns (`if id = params["id"], do:
    get_item!(id), else: socket.assigns.item`, `get_item(id) || socket.assigns.item`): the one it loaded (and
    checked) when the page opened, now replaceable by whatever id the client posts (a hidden input)."""
    return re.search(r"(?:\belse:?|\|\|)\s{0,40}socket\.assigns\." + re.escape(resource) + r"\b(?!_)", body) is not None


def _posted(node, posted: set[str]) -> bool:
    """The lookup is given an id read from a form's params (a hidden input), not a key of the event's payload."""
    arguments = _piped_in(node) + call_arguments(node)
    return any(variable in text(a) for a in arguments for variable in posted)


def _holds(ctx, resource: str) -> bool:
    """The page holds a record of this resource in its assigns (`socket.assigns.brainstorming`, `@brainstorming`,
    `assign(socket, brainstorming: ...)`)."""
    name = re.escape(resource)
    return ctx.text.search(re.compile(r"(?:socket\.assigns\.|(?<![\w.])@)" + name + r"\b(?![?!])|\bassign\([^\n]{0,200}?[\s(,:]"
                                      + name + r":")) is not None


def _unchecked_actor(ctx, hits):
    """Write handlers (and the private helpers they hand the socket to) that bind the acting user and never read it:
    `%{current_user: current_user, board: board} = socket.assigns`, then `Boards.delete_card(card)`. The binding is
    the trace of an ownership check that was dropped or never written."""
    reported = {h.line for h in hits}
    clauses = [c for c in callback_clauses(ctx, "handle_event", 3) if c.body is not None]
    clauses += [c for c in (ctx.module.clauses if ctx.module is not None else []) if c.kind == "defp" and c.body is not None]
    for clause in clauses:
        body = code_text(clause.body)
        if "current_" not in body or AUTHORIZED.search(body) or OWNERSHIP.search(body) or unused_actor(body) is None:
            continue
        change = CHANGE.search(body)
        if change is None or _takes_actor(_change_arguments(body, change), set()):
            continue
        line = clause.body.start_point[0] + 1 + body.count("\n", 0, change.start())
        if not any(clause.line <= seen <= clause.node.end_point[0] + 1 for seen in reported):
            yield Hit(line=line, column=1, message=f"This code binds the acting user ({code_span(unused_actor(body))}) but "
                                                   "never checks it before the change: any user who can send the "
                                                   "event can change this record.", confidence="medium")


# A template condition that hides a control from users without a permission or ownership (`:if={can_edit?(@user,
# @post)}`, `<%= if has_moderating_permission(@board.id, @current_user) do %>`, `@current_user.id == @post.user_id`).
# Predicates are calls: a record's own flag (`variable.can_delete?`: a built-in one cannot be deleted) is no permission.
GATE = re.compile(r"has_\w{0,40}(?:permission|access|right|role)\w{0,20}\(|can_\w{1,40}\?\(|\bcan\?\(|authori[sz]ed\??\(|"
                  r"allowed\?\(|\bowner\?\(|\bis_owner\w{0,20}\(|\bmoderat\w{0,20}\?\(|\badmin\?\(|"
                  r"current_(?:user|scope)[\w.]{0,40}\.id\s{0,4}==|==\s{0,4}@current_(?:user|scope)[\w.]{0,40}\.id\b|"
                  # a permission flag the page holds for the acting user (`:if={@can_moderate}`), not a record's own
                  r"(?<![\w.])@(?:can_\w{1,60}|is_admin|is_owner|is_moderator|is_mine|admin\?|owner\?|moderator\?)(?![\w.])")
# An EEx block's opening (`<%= if @can_edit do %>`, `<%= for x <- @xs do %>`), its `else` and its `end`, in order.
EEX_BLOCK = re.compile(r"<%=?\s{0,8}(?:(if|unless)\s(.{0,300}?)|(?:[^%]|%(?!>)){0,300}?)\sdo\s{0,8}%>"
                       r"|<%\s{0,8}(end|else)\s{0,8}%>")


def _eex_gates(source: str) -> list[str | None]:
    """For each line of a template, the condition of the innermost `<%= if ... do %>` block it sits in when that is a
    permission gate and the line is not in its `else` branch; None otherwise. One pass with a stack of the open
    blocks, so a gate any number of lines above a control is seen (audit 13 A13-19: 40 lines of markup between the
    `if` and the control hid the gate)."""
    gates: list[str | None] = []
    stack: list[list] = []  # [kind, condition, in else]
    for line in source.split("\n"):
        innermost = next((block for block in reversed(stack) if block[0] in ("if", "unless")), None)
        gates.append(innermost[1] if innermost is not None and innermost[0] == "if" and not innermost[2]
                     and GATE.search(innermost[1]) else None)
        for match in EEX_BLOCK.finditer(line):
            if match.group(3) == "end":
                if stack:
                    stack.pop()
            elif match.group(3) == "else":
                if stack:
                    stack[-1][2] = True
            else:
                stack.append([match.group(1) or "block", match.group(2) or "", False])
    return gates


def _gated_controls(templates):
    """(element, event, condition) for each control that sends a literal event and is shown only under a permission
    or ownership condition."""
    for template in templates:
        gates: dict = {}
        eex_gates: list[str | None] = []  # each line's enclosing EEx permission gate, read once when one is looked for
        for element in template.elements:
            event = next((a.value for n, a in element.attrs.items()
                          if n in ("phx-click", "phx-submit") and not a.is_expr and a.value), None)
            if event is None:
                continue
            gate = nearest(element, lambda e: ":if" in e.attrs and GATE.search(e.attrs[":if"].value or "") is not None,
                           gates)
            if gate is None and not eex_gates and "<%" in template.source:
                eex_gates = _eex_gates(template.source)
            index = element.line - template.line_offset - 1
            condition = gate.attrs[":if"].value if gate is not None else \
                eex_gates[index] if 0 <= index < len(eex_gates) else None
            if condition:
                yield element, event, condition.strip()


def _ungated_handlers(ctx):
    """Controls the template shows only to users with a permission (or the owner) whose handle_event does not check
    it before changing data: hiding a button does not stop a client from sending its event."""
    module = ctx.module or ctx.companion_module
    if module is None or not module.clauses_of("handle_event", 3) or \
            not ctx.text.once("privileged_change", lambda: PRIVILEGED_CHANGE.search(  # once per file, not per unit
                ctx.source + (ctx.companion_source or "")) is not None):
        return
    sibling = None if ctx.templates or ctx.module is None else sibling_template(ctx)
    templates = ctx.templates or ([sibling] if sibling is not None else [])
    if not templates:
        return
    private = {}
    for clause in module.clauses:
        if clause.kind == "defp" and clause.body is not None:
            private.setdefault(clause.name, []).append(text(clause.body))
    handlers: dict[str, list] = {}
    for clause in module.clauses_of("handle_event", 3):
        if clause.body is not None and clause.params:
            handlers.setdefault(text(clause.params[0]).strip(), []).append(clause)
    decided = set()  # events whose handlers were read (each once, however many controls send them)
    for element, event, condition in _gated_controls(templates):
        clauses = handlers.get(f'"{event}"', [])
        if not clauses or event in decided:
            continue
        decided.add(event)
        bodies = [code_text(c.body) for c in clauses]  # code only: a comment naming a check checks nothing (A13-23)
        reached = bodies + [helper for body in bodies for name in set(re.findall(r"(?<![.\w])([a-z_]\w{0,60})\(", body))
                            for helper in private.get(name, [])]
        if any(AUTHORIZED.search(b) or OWNERSHIP.search(b) or PERMISSION_CHECK.search(b) or GATE.search(b)
               or FLAG.search(b) for b in reached):
            continue
        changes = [(b, m) for b in reached for m in PRIVILEGED_CHANGE.finditer(b)
                   if not DATA_CALL.search(b, max(0, m.start() - 20), m.end())]
        if not changes or any(_takes_actor(_change_arguments(b, m), set()) for b, m in changes):
            continue
        handler = code_span('handle_event("' + event + '", ...)')
        if sibling is not None:  # the control is in another file: reported at the handler
            yield clause_hit(clauses[0], f"The template beside this module shows the control that sends this event only "
                                         f"when {code_span(condition[:80])}, but the handler changes data without that "
                                         "check: any client can send the event.", "medium")
        else:
            yield element_hit(element, f"This control is shown only when {code_span(condition[:80])}, but {handler} "
                                       "changes data without that check: any client can send the event.", "medium")


# A permission or ownership predicate called in a handler (`if has_move_permission(board, user) do`, `can_edit?(...)`).
PREDICATE = re.compile(r"\b(?:has_\w{0,40}(?:permission|access|right|role)s?\w{0,20}|can_\w{1,40}\?|can\?|authori[sz]ed\?|"
                       r"allowed\?|owner\?|moderator\?|admin\?)\(")
# The client's value checked against what the server holds (`image_id in uploaded_ids`, `Enum.member?(ids, id)`).
SERVER_STATE_CHECK = re.compile(r"\b[a-z_]\w{0,60}\s{1,4}in\s{1,4}(?:socket\.assigns\.|@)?[a-z_][\w.]{0,80}|Enum\.member\?\(")
CONTEXT_BEFORE = re.compile(r"([A-Z]\w{0,60}(?:\.[A-Z]\w{0,60}){0,4})$")


def _changed_contexts(body: str) -> list[tuple[str, re.Match]]:
    """(context module and the record's noun, match) of each change call in the body (`Lanes.delete_lane(` ->
    "Lanes.lane", `Content.delete_comment_image(` -> "Content.comment"): a large context holds many kinds of records."""
    found = []
    for match in CHANGE.finditer(body):
        context = CONTEXT_BEFORE.search(body[max(0, match.start() - 120):match.start()])
        words = match.group().strip(".(!").split("_")
        verb = next((i for i, w in enumerate(words) if w.rstrip("!") in (match.group(1), match.group(2))), 0)
        noun = next((w for w in words[verb + 1:] if w not in ("by", "for", "all", "the", "a")), "").rstrip("s!")
        if context:
            found.append((f"{context.group(1)}.{noun}", match))
    return found


# An owner field of a record compared with a name bound from the acting user (`post.user_id == user.id`,
# `user.id == post.user.id`), beside OWNERSHIP's `current_user.id` form.
OWNER_COMPARED = re.compile(r"\.(?:user|owner|author|creator)(?:_id|\.id)\s{0,4}[!=]==?\s{0,4}[a-z_]\w{0,40}\.id\b|"
                            r"\b[a-z_]\w{0,40}\.id\s{0,4}[!=]==?\s{0,4}[a-z_]\w{0,40}\.(?:user|owner|author|creator)(?:_id|\.id)\b")


def _dropped_predicates(ctx, hits):
    """Handlers that change a context's records with no check, where sibling handlers change the same context's
    records only under a permission or ownership predicate (`if has_moderating_permission(...) do
    Lanes.delete_lane(lane)` in one, `Lanes.update_lane(lane, params)` bare in another)."""
    events = [c for c in callback_clauses(ctx, "handle_event", 3) if c.body is not None]
    guarded = set()
    for clause in events:
        body = code_text(clause.body)
        # A predicate call, or an owner compared with the acting user (`post.user_id == current_user.id`): the
        # context's records are changed only after a check here.
        if PREDICATE.search(body) or OWNERSHIP.search(body) or OWNER_COMPARED.search(body):
            guarded |= {context for context, _ in _changed_contexts(body)}
    if not guarded:
        return
    reported = {h.line for h in hits}
    for clause in events:
        body = code_text(clause.body)
        if any(clause.line <= line <= clause.node.end_point[0] + 1 for line in reported) or AUTHORIZED.search(body) \
                or OWNERSHIP.search(body) or PERMISSION_CHECK.search(code_text(clause.body, strings=False)) \
                or PREDICATE.search(body) or SERVER_STATE_CHECK.search(body) or FLAG.search(body):
            continue
        actors = _actor_names(body)  # `%{id: user_id} <- socket.assigns.current_user`: a change given user_id has the actor
        for context, match in _changed_contexts(body):
            arguments = _change_arguments(body, match)
            if any(re.search(r"\b" + re.escape(a) + r"\b", arguments) for a in actors):
                continue
            if context in guarded and not context.startswith("Repo.") and not _takes_actor(arguments, set()):
                line = clause.body.start_point[0] + 1 + body.count("\n", 0, match.start())
                module, noun = context.rsplit(".", 1)
                yield Hit(line=line, column=1, confidence="medium",
                          message=f"Other handlers change {code_span(module)} {code_span(noun or 'records')} records only "
                                  "after a permission check; this one does not check: any client can send the event.")
                break


# A permission or ownership flag the page keeps in its assigns (`socket.assigns.can_moderate_discussions`,
# `@is_mine`, `socket.assigns.is_admin`): computed once for the acting user, read before each privileged change.
FLAG = re.compile(r"(?:socket\.assigns\.|(?<![\w.])assigns\.|(?<![\w.])@)(can_\w{1,60}|is_mine|mine\?|is_owner|owner\?|"
                  r"is_admin|admin\?|is_moderator|moderator\?|\w{1,40}_allowed\??|may_\w{1,40})\b")
# Changes a moderator or owner makes to a record: CHANGE's verbs and hiding, locking, pinning, moderating it.
PRIVILEGED_CHANGE = re.compile(CHANGE.pattern + r"|\.(?:\w+_)?(hide|unhide|lock|unlock|pin|unpin|moderate|feature|"
                               r"block|mute|kick)(?:_\w+)?!?\(")
# A function over data in memory (`Enum.reject(...)`, `Map.delete(...)`): no record changes.
DATA_CALL = re.compile(r"\b(?:Enum|Map|List|MapSet|Keyword|Stream|String|Access)\.\w+!?\($")


# Names a handler binds from the acting user (`%{id: user_id} = user <- socket.assigns.current_user`,
# `user = socket.assigns.current_user`): a change given one of them is given the actor.
ACTOR_NAMES = re.compile(r"([a-z_]\w{0,60})\s{0,4}(?:=|<-)\s{0,4}socket\.assigns\.current_\w{1,20}\b(?!\.)|"
                         r"%\{[^{}\n]{0,200}\}\s{0,4}=\s{0,4}([a-z_]\w{0,60})\s{0,4}(?:=|<-)\s{0,4}socket\.assigns\.current_|"
                         r"%\{([^{}\n]{0,200})\}\s{0,4}(?:=|<-)\s{0,4}socket\.assigns\.current_")
# A name bound to a record the page holds (`post = socket.assigns.post`, `%{post: post} = socket.assigns`).
HELD_NAMES = re.compile(r"([a-z_]\w{0,60})\s{0,4}=\s{0,4}socket\.assigns\.([a-z_]\w{0,60})\b(?!\.)")


def _actor_names(body: str) -> set[str]:
    names = set()
    for match in ACTOR_NAMES.finditer(body[:6000]):
        if match.group(1) or match.group(2):
            names.add(match.group(1) or match.group(2))
        else:
            names |= set(re.findall(r":\s{0,4}([a-z_]\w{0,60})", match.group(3)))
    return {n for n in names if not n.startswith("_")}


def _context_of(body: str, match) -> str | None:
    """The module a change call belongs to (`Discussions` for `Discussions.hide_post(`), or None for a local call."""
    found = CONTEXT_BEFORE.search(body[max(0, match.start() - 120):match.start()])
    return found.group(1) if found else None


def _unread_flags(ctx, hits):
    """Handlers that change the record the page holds (`Discussions.hide_post(socket.assigns.post.id, attrs)`) without
    reading any of the permission flags the module keeps for the acting user and reads before other changes of the
    same context (`if socket.assigns.can_moderate_discussions do Discussions.delete_post(...)`, `true <-
    socket.assigns.is_mine`), with no check of their own and without giving the change the acting user: the flag
    hides the button, not the event."""
    if ctx.module is None or ctx.text.search(FLAG) is None:
        return
    private: dict[str, list[str]] = {}
    for clause in ctx.module.clauses:
        if clause.kind == "defp" and clause.body is not None:
            private.setdefault(clause.name, []).append(code_text(clause.body, strings=False))
    events = [c for c in callback_clauses(ctx, "handle_event", 3) if c.body is not None]
    gated: set[str] = set()  # contexts whose records handlers change after reading a flag (`Discussions`)
    unread = []
    for clause in events:
        body = code_text(clause.body, strings=False)
        reached = [body, *(helper for name in set(re.findall(r"(?<![.\w])([a-z_]\w{0,60})\(", body))
                           for helper in private.get(name, []))]
        changes = [(b, m) for b in reached for m in PRIVILEGED_CHANGE.finditer(b) if not DATA_CALL.search(b, max(0, m.start() - 20), m.end())]
        if not changes:
            continue
        if any(FLAG.search(b) for b in reached):
            gated |= {_context_of(b, m) for b, m in changes} - {None}
            continue
        if any(AUTHORIZED.search(b) or OWNERSHIP.search(b) or PERMISSION_CHECK.search(b) or PREDICATE.search(b)
               or SERVER_STATE_CHECK.search(b) for b in reached):
            continue
        unread.append((clause, body, changes))
    if not gated:
        return
    reported = {h.line for h in hits}
    for clause, body, changes in unread:
        if any(clause.line <= line <= clause.node.end_point[0] + 1 for line in reported):
            continue
        actors = _actor_names(body)
        held = {m.group(1) for m in HELD_NAMES.finditer(body)}
        for reached_body, match in changes:
            arguments = _change_arguments(reached_body, match)
            if _takes_actor(arguments, set()) or any(re.search(r"\b" + re.escape(a) + r"\b", arguments) for a in actors):
                break  # the context is told who acts: it can check
            if reached_body is body and _context_of(body, match) in gated and \
                    (re.search(r"socket\.assigns\.[a-z_]\w{0,60}", arguments) or
                     any(re.search(r"(?<![.\w])" + re.escape(h) + r"\b", arguments) for h in held)):
                line = clause.body.start_point[0] + 1 + body.count("\n", 0, match.start())
                yield Hit(line=line, column=1, confidence="medium",
                          message="This handler changes the record the page holds without reading the permission flag "
                                  "the module checks before other changes: any client can send the event.")
                break


def _presence_only_branches(ctx, hits):
    """A `cond` branch that only asks whether someone is signed in (`user ->`, `socket.assigns.current_user ->`) and
    changes data, above a branch that checks a permission or ownership (`socket.assigns.can_moderate ->`,
    `user.id == post.user_id ->`): cond takes the first true branch, so every signed-in user gets the change and the
    check below never runs."""
    reported = {h.line for h in hits}
    for clause in callback_clauses(ctx, "handle_event", 3):
        if clause.body is None or "cond" not in text(clause.body):
            continue
        actors = _actor_names(code_text(clause.body)) | {"socket.assigns.current_user", "socket.assigns.current_scope"}
        for node, _, _ in calls(clause.body, {"cond"}):
            block = next((c for c in node.children if c.type == "do_block"), None)
            branches = [c for c in block.named_children if c.type == "stab_clause"] if block is not None else []
            conditions = [text(b.child_by_field_name("left") or b).strip() for b in branches]
            for index, branch in enumerate(branches):
                if conditions[index] not in actors:
                    continue
                later = " ".join(conditions[index + 1:])
                if not (FLAG.search(later) or PREDICATE.search(later) or OWNERSHIP.search(later) or AUTHORIZED.search(later)):
                    break
                right = branch.child_by_field_name("right") or branch
                body = code_text(right)
                change = CHANGE.search(body)
                if change is None:
                    break
                line = right.start_point[0] + 1 + body.count("\n", 0, change.start())
                if line not in reported:
                    yield Hit(line=line, column=1, confidence="medium",
                              message=f"This {code_span('cond')} branch changes data for anyone signed in "
                                      f"({code_span(conditions[index])}); the permission check in a later branch never "
                                      "runs for them.")
                break


def check(ctx):
    hits = list(_hits(ctx))
    hits += list(_unauthorized_client_writes(ctx, hits))
    hits += list(_presence_only_branches(ctx, hits))
    hits += list(_unchecked_actor(ctx, hits))
    hits += list(_ungated_handlers(ctx))
    hits += list(_dropped_predicates(ctx, hits))
    hits += list(_unread_flags(ctx, hits))
    dropped = list(_dropped_permission_checks(ctx, hits)) if ctx.text.search(PERMISSION_CHECK) else []
    if not (hits or dropped) or privileged_only(ctx):
        return  # an admin-only page acts on any record by design: its on_mount is the authorization
    policed = _policy_checked_lines(ctx)
    yield from (h for h in hits + dropped if h.line not in policed)


# An Ash action run with the acting user: `Ash.Changeset.for_update(record, :sort_items, ...)`, `for_destroy(:archive)`,
# `Ash.update(record, action: :publish, actor: user)`.
ASH_ACTION = re.compile(r"\bfor_(?:update|destroy|create|action)\(\s{0,8}(?:[^,()\n]{1,120},\s{0,8})?:(\w{1,80})|"
                        r"\baction:\s{0,4}:(\w{1,80})")


def _policy_checked_lines(ctx) -> set[int]:
    """Lines of the handle_event/3 clauses (in project review) whose every Ash action run with `actor:` is one the
    project's policies authorize by the actor's relation to the record (`authorize_if expr(host.owner_id ==
    ^actor(:id))`): the policy is the permission check."""
    if not ctx.project_root or "actor:" not in ctx.source:
        return set()
    lines: set[int] = set()
    checked = None
    for clause in callback_clauses(ctx, "handle_event", 3):
        # Code only: a comment or a string naming an Ash call (`# Ash.update!(post, action: :publish, actor: user)`,
        # a log message quoting one) is not a call the policy checks (audit 11 M3).
        body = code_text(clause.body)
        actions = [a or b for a, b in ASH_ACTION.findall(body)]
        if not actions or "actor:" not in body:
            continue
        checked = actor_checked_actions(ctx.project_root) if checked is None else checked
        if all(action in checked for action in actions):
            lines.update(_ash_call_lines(body, clause.body.start_point[0] + 1))
    return lines


def _ash_call_lines(body: str, first_line: int) -> set[int]:
    """The lines of the Ash action calls themselves (`Ash.Changeset.for_update(board, :rename, ...)` and the line
    piping it on, `|> Ash.update(actor: ...)`) in `body`, the handler's code_text (comments and string text blanked):
    only hits there are the policy's to judge; a read by id elsewhere in the handler (`Blog.get_post!(id)`) is still
    judged (audit 10 M5: the whole handler was let go on one Ash line, or on a comment naming one; audit 11 M3: a
    trailing comment or a string on a line could still name one)."""
    lines = body.split("\n")
    found: set[int] = set()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#") or not ASH_ACTION.search(line):
            continue
        found.add(first_line + index)
        if index + 1 < len(lines) and lines[index + 1].lstrip().startswith("|>"):
            found.add(first_line + index + 1)
    return found


# A check of a named permission (`require_permission!(socket, "item.delete")`, `authorize!(user, :edit_post)`).
PERMISSION_CHECK = re.compile(r"\b(?:require_\w{0,30}(?:permission|role|ability|access)\w{0,10}|check_permission|authorize|"
                              r"ensure_\w{0,20}(?:permission|role|access)|permit|has_permission\?)!?\(\s{0,4}[^,()]{1,80},"
                              r"\s{0,4}(\"[\w.:/-]{1,80}\"|:\w{1,60})")
# A permission only to look (`"item.view"`, `:read_posts`): a page that needs it lets every viewer in.
READ_PERMISSION = re.compile(r"(?:^|[.:_/-])(?:view|read|index|show|list|access|see)(?:$|[.:_/-])")


def _dropped_permission_checks(ctx, hits):
    """Write handlers without the permission check their module makes elsewhere: sibling handlers check named
    permissions (`require_permission!(socket, "item.edit")`) or mount checks only a permission to look
    (`"item.view"`), and this `handle_event` changes data (`Catalog.delete_item(...)`) with none of its own."""
    private = {}
    for clause in ctx.module.clauses if ctx.module is not None else []:
        if clause.kind == "defp" and clause.body is not None:
            private.setdefault(clause.name, []).append(code_text(clause.body, strings=False))
    events = [c for c in callback_clauses(ctx, "handle_event", 3) if c.body is not None]
    mount = [p for c in callback_clauses(ctx, "mount", 3) if c.body is not None
             for p in PERMISSION_CHECK.findall(code_text(c.body, strings=False))]
    checked = [c for c in events if PERMISSION_CHECK.search(code_text(c.body, strings=False))]
    if not checked and not (mount and all(READ_PERMISSION.search(p.strip('":').lower()) for p in mount)):
        return
    reported = [(h.line, h.end_line or h.line) for h in hits]
    for clause in events:
        body = code_text(clause.body, strings=False)
        # One level of this module's helpers the handler calls (`do_delete(socket, id)`).
        reached = [body, *(helper for name in set(re.findall(r"(?<![.\w])([a-z_]\w{0,60})\(", body))
                           for helper in private.get(name, []))]
        if any(PERMISSION_CHECK.search(b) or AUTHORIZED.search(b) for b in reached):
            continue
        if not any(CHANGE.search(b) for b in reached) and not any(stores(m, n) for _, m, n in calls(clause.body)):
            continue
        last = clause.node.end_point[0] + 1
        if any(clause.line <= start <= last for start, _ in reported):
            continue  # already reported as an unscoped lookup in this handler
        yield clause_hit(clause, "This handler changes data without the permission check the module makes "
                                 "elsewhere: any user who can open the page can send the event.", "medium")


# Ash's switch that skips every policy of the call (`Ash.get!(Post, id, authorize?: false)`, a code interface's
# `Blog.archive_post!(id, authorize?: false)`); AUTHORIZED does not read it as a check.
AUTHORIZATION_OFF = re.compile(r"\bauthorize\?:\s{0,4}false\b")


def _unauthorized_calls(body_node, variables: set[str]):
    """Calls handed a client id with the framework's authorization switched off (`authorize?: false`): the policies
    that would scope the record to the acting user never run, whatever actor the call is given."""
    for node in walk(body_node):
        if node.type != "call" or call_parts(node)[0] is None:
            continue
        arguments = call_arguments(node)
        if any(AUTHORIZATION_OFF.search(text(a)[:400]) for a in arguments[1:]) \
                and any(_mentions(a, variables) for a in _piped_in(node) + arguments[:2]):
            yield node


QUERY_CALL = re.compile(r"^(?:get|read|list|fetch|find|load|count|search|exists|by)(?:_|!|\?|$)")


def _unauthorized_client_writes(ctx, hits):
    """A handler's call with `authorize?: false` given what the client sent (`update_user_role(member, %{role:
    params["role"]}, authorize?: false)`), followed through the handler (review/taint.py): the policies that decide
    who may set that value never run. Calls already reported (a client id given with the switch) are not again."""
    if not ctx.text.search(AUTHORIZATION_OFF):
        return
    reported = {h.line for h in hits}
    for clause in callback_clauses(ctx, "handle_event", 3):
        body = code_text(clause.body) if clause.body is not None else ""
        if not AUTHORIZATION_OFF.search(body) or AUTHORIZED.search(body) or OWNERSHIP.search(body):
            continue  # a handler that checks the owner itself after a policy-free read
        flow = payload_flow(clause, ctx.module)
        for node in walk(clause.body):
            if node.type != "call" or call_parts(node)[0] is None or node.start_point[0] + 1 in reported:
                continue
            arguments = call_arguments(node)
            if not any(AUTHORIZATION_OFF.search(text(a)[:400]) for a in arguments[1:]) or QUERY_CALL.match(call_parts(node)[1]):
                continue  # reads by a client id are judged with the lookups
            given = any(node.start_byte <= w.node.start_byte < node.end_byte for w in flow.writes) or any(
                value_of(a, flow) is not None for a in _piped_in(node) + arguments)
            if given:
                module, name = call_parts(node)
                yield hit(node, f"{code_span(f'{module}.{name}')} writes what the client sent with "
                                f"{code_span('authorize?: false')}: the policies that decide who may change it never run.")
                break


# Reads and actions through Ash given the acting user (`Ash.read!(query, actor: user)`, `list_networks!(actor: ...)`).
ASH_ACTOR = re.compile(r"\bAsh\.\w{1,30}!?\(|\bactor:\s{0,4}(?:socket\.assigns\.|@)?current_\w{1,20}")


# A page only signed-in users reach (`on_mount {MyAppWeb.UserAuth, :ensure_authenticated}`, `:require_authenticated`):
# users, each with records of their own, unless the app says otherwise.
SIGNED_IN_ONLY = re.compile(r"\b(?:ensure|require)_authenticated\w{0,20}\b|:authenticated\b")


def _hits(ctx):
    multi_user = ctx.text.search(MULTI_USER) is not None
    # A page only signed-in users reach: its own on_mount, or in project review an app whose router signs users in.
    signed_in = multi_user or ctx.text.search(SIGNED_IN_ONLY) is not None or signs_users_in(ctx.project_root)
    seen = set()
    held_calls: list[dict] = []  # (Module, function) -> the assign whose id this module hands it, read once
    ash_actor = None  # whether the module reads through Ash with an actor, read once when needed
    changed_held: list[set[str]] = []  # assigns whose record an event handler changes, read once when needed
    getters = None  # this module's own unscoped getters (`defp fetch_crate(id), do: Depot.get_crate!(id)`), read once
    bodies = list(_handlers_and_helpers(ctx))
    stored = _stored_ids(ctx, bodies) if ctx.text.has("assign") else {}
    for body_node, variables, posted in bodies + list(_stored_id_bodies(ctx, stored)):
        # Code only (audit 11 M3): a comment or a string that names a check or a call given the actor (`# TODO:
        # Ash.destroy!(post, actor: user)`, `"owner?"`) is neither.
        body = code_text(body_node)
        if AUTHORIZED.search(body) or OWNERSHIP.search(body) or _checked_against_server_state(body, variables):
            continue
        from_url = posted is URL or posted is STORED_URL
        for node in _unauthorized_calls(body_node, variables):
            if node.id not in seen:
                seen.add(node.id)
                module, name = call_parts(node)
                yield hit(node, f"{code_span(f'{module}.{name}')} is given a client-sent id with {code_span('authorize?: false')}: the "
                                "policies that limit it to the acting user's records never run, so a client can reach "
                                "any record.")
        changes = list(CHANGE.finditer(body))
        changed_later = changes if posted is STORED_URL else []  # the URL's id kept, then a handler changes its record
        if posted is URL:
            # The page keeps what the URL named (`assign(socket, post: post)`) and a handler changes it later
            # (`Blog.update_post(socket.assigns.post, params)`): the URL picked the record that gets changed.
            if not changed_held:
                changed_held.append(_changed_held_assigns(ctx))
            changed_later = [m for m in HELD_ASSIGN.finditer(body) if (m.group(1) or m.group(2)) in changed_held[0]]
        if any(_takes_actor(_change_arguments(body, m), variables) for m in changes):
            # The change takes the scope or user: the context can check the owner. But in a module that reads through
            # Ash with an actor, a bare Repo read by the client's id skips the resource's read policies: the record
            # the action is then given is whatever the client named.
            if ash_actor is None:
                ash_actor = ctx.text.search(ASH_ACTOR) is not None
            for node, module, name in calls(body_node):
                resource = _lookup(node, module, name, variables)
                if resource is None or module is None or not _repo(module) or node.id in seen:
                    continue
                if ash_actor:
                    seen.add(node.id)
                    yield hit(node, f"{code_span(f'{module}.{name}')} reads a {code_span(resource)} by a client-sent "
                                    "id straight from the repo, skipping the read policies this module applies through "
                                    "Ash with an actor elsewhere: the action is handed whatever record the client "
                                    "named.", "medium")
                elif _scoped_elsewhere(ctx, resource) and not PEOPLE.fullmatch(resource):
                    # The module loads this kind of record through the acting user elsewhere (`Community.get_post!(id,
                    # user)`); here a bare repo read by the client's id skips that scope, and the change is handed
                    # whatever record the client named (the context may still check it: medium).
                    seen.add(node.id)
                    yield hit(node, f"{code_span(f'{module}.{name}')} reads a {code_span(resource)} by a client-sent "
                                    f"id straight from the repo, without the scope this module uses for {code_span(resource)} "
                                    "records elsewhere: the change is handed whatever record the client named.", "medium")
            continue
        if not held_calls:
            held_calls.append(held_id_calls(ctx.calls()))
        for node, module, name, index, variable in client_arguments(body_node, variables) if not from_url else ():
            held = held_calls[0].get((module, name, index))
            if held is not None and node.id not in seen:
                # Elsewhere this module hands the same function the id of the record it holds (`Slides.clear_penalty(
                # socket.assigns.curr_slide.id)`); here the client picks the record.
                seen.add(node.id)
                yield hit(node, f"{code_span(f'{module}.{name}')} is given the client-sent {code_span(variable)} here, "
                                f"but this module passes it {code_span(f'socket.assigns.{held}.id')} elsewhere: a client "
                                "can act on any record.", "medium")
        looked_up = False  # the handler loads the record by the id: its change is judged there, not again below
        if getters is None:
            getters = _unit_getters(ctx)
        for node, module, name in calls(body_node):
            resource = _lookup(node, module, name, variables) or _local_lookup(node, module, name, variables, getters)
            looked_up = looked_up or resource is not None
            if resource is None or node.id in seen:
                continue
            seen.add(node.id)
            call = code_span(f"{module}.{name}" if module is not None else name)
            if _scoped_elsewhere(ctx, resource) and (changes or changed_later or not PEOPLE.fullmatch(resource)):
                # An id in the URL may be a link shared on purpose (anyone with it may open the page): medium, shown.
                yield hit(node, f"{call} loads a {code_span(resource)} by a client-sent id without the scope this "
                                f"module uses for {code_span(resource)} records elsewhere.", "medium" if from_url else None)
            elif _replaces_held_record(body, resource) or (_posted(node, posted) and _holds(ctx, resource)):
                # The server already holds this record (`socket.assigns.item`), the one it loaded and checked when
                # the page opened; reloading it from an id the client sends back lets a client pick another one.
                yield hit(node, f"{call} reloads a {code_span(resource)} by a client-sent id instead of the one this "
                                f"page holds in {code_span(f'socket.assigns.{resource}')}.", "medium")
            elif (changes or changed_later) and not (
                    ctx.project_root and _public_reference(ctx, body, node, resource, changes)):
                # Without signs of several users the app may be single-user or admin-only: a bare Repo lookup is
                # still medium (shown: a true finding is a hole), but a context getter given the id is how
                # generated CRUD pages load records, so there it is low; on a page only signed-in users reach
                # (its own `on_mount` requires a user) they are users with records of their own: medium. A record the URL names and a later event
                # changes is the generated edit page's shape: medium with signs of users (a shared record may be
                # everyone's to edit), low without; bookkeeping the page writes as it opens (last visited) is low.
                repo_read = _repo(module) if module is not None else getters.get((name, len(call_arguments(node)) +
                                                                                 len(_piped_in(node))), (0, "", False))[2]
                confidence = ("medium" if signed_in and changed_later else "low") if from_url else \
                    None if multi_user else "medium" if repo_read or signed_in else "low"
                yield hit(node, f"{call} loads a record by a client-sent id with no ownership check.", confidence)
        for node, module, name, what in _writes_by_id(body_node, variables) if multi_user and not (from_url or looked_up) else ():
            if node.id not in seen:
                # A change that never loads the record (a query filtered by the id, a struct built from it, a context
                # function given only the id) cannot check whose record it is: medium, in a module with signs of
                # several users (without them the app may be single-user, and the context may check inside).
                seen.add(node.id)
                yield hit(node, f"{code_span(f'{module}.{name}')} {what} by a client-sent id with no ownership check.",
                          "medium")
