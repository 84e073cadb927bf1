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

Also Ash's writes that return an error tuple instead of raising: `AshPhoenix.Form.submit/2` (also written
`Form.submit` after `alias AshPhoenix.Form`), `Ash.create/2`, `Ash.update/2`, `Ash.destroy/2` (high), and a resource
module's write named by the verb alone (`Categories.create(params)`, `Post.update(post, attrs)`), judged like a
context's `create_post`.

## False positives
Bang functions (`Repo.insert!`) raise instead of returning errors and are not flagged, nor are bulk
writes (`delete_all`) and caches, broadcasts and telemetry. A context function named for a write
(`create_`, `update_`, `delete_`, `destroy_`, `toggle_`, `add_`, `publish_`, `cancel_` ...), or any call given the
acting user as `actor:` that is not named for a read or a form (an Ash code interface action: `Orders.start_batch(batch,
%{}, actor: actor)`), may return a plain value:
high when this module matches the same function's result against `{:ok, _}` elsewhere, medium when it
matches other results of the same context or the name is a generated single-record write (`delete_post`),
low (strict only) otherwise (plural names are usually bulk writes). A write of derived data
(`update_post_response_cache`, `refresh_counts`) is recomputed from the records, so it is low too. In
project review the called function's source is read: when every clause asserts `{:ok, _} = ...` itself (it
raises on failure) or matches the write's result in a `case` with only an `{:ok, _}` clause (it raises too), returns
`:ok`, an `{:ok, ...}` it builds without ever building an error, only bare atoms from every branch (`:ok`/`:error`,
never an error tuple: it handles the write's result itself), or a plain value it never pairs with an error
(`cache_key`), or ends in a call that returns no error tuple (a bulk write such as `Repo.delete_all(...)`, also
behind a `defdelegate`: `{count, nil}` or a raise; a cast, always `:ok`; `Repo.delete(record)` of a loaded struct
with no changeset built, where Ecto raises on a constraint or a stale row instead of returning an error; a
`File.rm` cleanup, whose failure leaves a file behind, not the user's data lost; a bang write, `Repo.update!(...)` or
a pipe's last step `|> Repo.insert!()`, which raises instead; `Enum.each/2`, an Agent's update, a message sent: always
`:ok`), nothing is dropped and the call is not flagged. Nor is an idempotent add: the callee is one `Schema.changeset(...) |> Repo.insert()` whose schema
declares no constraint but `unique_constraint` and has no validation that can fail on the call (none, or, when the
call leaves the attributes to their `\\ %{}` default, none that fails on a missing value): its one failure means the
row is already there, the state the caller wanted. Statements of an
`if`/`unless`/`case`/`cond`/`with` branch are looked at like the handler's own: all but a branch's last, and its
last too when the branching statement's value is itself thrown away (a `case` followed by `{:noreply, socket}`). A
pipe's last step (`item |> Catalog.delete_item()`) is the write, and the local helpers a handler calls are read
once (`{:noreply, archive(socket, id)}`: the helper's dropped writes are the handler's). A command whose inverse
this module checks (`Safety.arm` matched against `{:error, _}`, `Safety.disarm` thrown away; `lock`/`unlock`,
`enable`/`disable`) returns the same kind of result: medium, shown because a failed command looks done. So does a
state change the context verbs leave out (`Accounts.dismiss_onboarding(progress)`, `complete_`, `assign_`,
`confirm_`...; not `mark_read`-style bookkeeping) when this module checks the results of other calls to the same
context (medium); unchecked, it is not flagged. A write made on every item of a dropped `Enum.each/2` (`Enum.each(items, &Catalog.delete_item/1)`, or an
anonymous function whose last expression is the write) drops every item's result and is judged like the call itself.
Stopping work in flight is not a write: a cancel/abort/stop of a computation (`cancel_query`, `stop_tailing`)
or of a process (`cancel_job(socket.assigns.worker_pid)`), and in project review a cancel whose body only
messages a process (`GenServer.call(pid, :cancel_query)`), and in project review a write whose body is one cache update
(`Cachex.get_and_update(:character_cache, ...)`), are not flagged; `cancel_order(order)` still is.

A success message after the dropped write in the same body, with no check of any result between
(`put_flash(socket, :info, ...)`, `send(self(), {:flash, {:info, ...}})`), tells the user it worked without looking: a low finding is raised to medium (shown;
not for a process's API, `*.Server`/`*.Worker`/`*.Manager`, often a cast that only answers `:ok`), a
state change the context verbs leave out (`ignore_user`, `approve_`, `follow_`...) is medium even when the module
checks nothing else of that context, and an explicit `_ = Catalog.toggle_item(id)` (otherwise a deliberate
discard, not flagged) is judged like a dropped call.

## Severity and confidence
Error, harm data loss: a failed write looks like a success and the user's change is silently lost. High
for `Repo` writes and context functions whose result the module checks elsewhere; medium when it checks
the same context's other results or the name is a generated single-record write (shown by default because
of the harm); low for derived data and otherwise.

## References
knowledge: reverting-optimistic-changes#choosing-a-revert-strategy
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, call_parts, calls, text
from ...helpers import callback_clauses, hit
from ...idempotent_insert import idempotent_add
from ...project_sources import function_bodies, module_source
from ...rule import Rule
from ...writes import CONTEXT_WRITE, NOT_DATA, REPO_WRITES

RULE = Rule(
    slug="mutation_result_ignored", code="LV116", family="lifecycle", severity="error", confidence="high",
    languages=("elixir",), summary="The result of a write is ignored: failures go unnoticed.",
    fix="Match {:ok, _} and {:error, _} (case/with) and tell the user on error.",
    cites="reverting-optimistic-changes#choosing-a-revert-strategy", harm="data_loss",
)
# Writes of derived data (a counter cache, refreshed stats): recomputed from the records, nothing the user typed.
DERIVED = re.compile(r"(^|_)(cache|recache|refresh|recount|counts?|counters?)(_|$)")
# A body that raises rather than returns an error: `{:ok, _} = Repo.update(...)`.
ASSERTS_OK = re.compile(r"\{:ok,\s{0,4}_?\w{0,40}\s{0,4}\}\s{0,4}=(?![=~>])")
ALIAS = re.compile(r"^[ \t]{0,40}alias[ \t]{1,8}([A-Z][\w.]{0,200}?)(?:\.\{([^}]{1,600})\}|[ \t]{0,8},[ \t]{0,8}as:[ \t]{0,8}"
                   r"([A-Z]\w{0,80}))?[ \t]{0,8}$", re.M)
# The names `mix phx.gen.context` gives single-record writes, which return {:ok, _} | {:error, changeset}.
GENERATED = re.compile(r"^(create|update|delete)_[a-z_]*[a-rt-z]$")


def _checked_results(ctx) -> tuple[set[str], set[str]]:
    """(functions, modules) whose results this module matches against {:ok, _} or {:error, _} somewhere (a case
    with `:ok ->` and `{:error, _} ->` too): a
    `case`/`with` subject or the right side of a `{:ok, _} =` match."""
    functions, modules = set(), set()
    for node in ctx.nodes:
        if node.type != "call":
            continue
        module, name = call_parts(node)
        if not module or not name:
            continue
        parent = node.parent
        holder = parent.parent if parent is not None and parent.type == "arguments" else None
        _, holder_name = call_parts(holder) if holder is not None else (None, None)
        matched = holder_name in ("case", "with") and re.search(r"\{:(?:ok|error)\b", text(holder)[:2000]) or (
            parent is not None and parent.type == "binary_operator" and
            text(parent.child_by_field_name("operator")) in ("=", "<-") and
            text(parent.child_by_field_name("left")).lstrip().startswith(("{:ok", "{:error")))
        if matched:
            functions.add(f"{module}.{name}")
            modules.add(module)
    return functions, modules


def _aliases(ctx) -> dict[str, str]:
    """Short name -> full module name from the module's `alias` lines (`alias A.B`, `alias A.{B, C}`,
    `alias A.B, as: C`)."""
    found = {}
    for match, _ in ctx.text.every(ALIAS):  # the file scanned once, not once per module
        base, group, alias_as = match.groups()
        if group:
            for name in (n.strip() for n in group.split(",")):
                if re.fullmatch(r"[A-Z][\w.]{0,200}", name):
                    found[name.split(".")[0]] = f"{base}.{name}"
        else:
            found[alias_as or base.rsplit(".", 1)[-1]] = base
    return found


# Stopping work in flight (`cancel_query(pid)`, `cancel_search`, `abort_upload`): nothing is stored, nothing to report.
HALT = re.compile(r"^(?:cancel|abort|stop|halt|kill)_")
IN_FLIGHT = re.compile(r"(?:^|_)(?:query|queries|search|task|timer|request|stream|upload|async|fetch|poll|tail|"
                       r"tailing|run|execution)s?$")
PROCESS_ARGUMENT = re.compile(r"(?:^|[._])(?:pid|ref|task|timer|executor|worker|process|server)\w{0,20}\s{0,4}[,)]",
                              re.I)
# A cancel whose every clause only messages a process (`GenServer.call(pid, :cancel_query)`): not a stored write.
MESSAGE_ONLY = re.compile(r"^\s{0,40}(?:GenServer\.(?:call|cast)|send|Process\.\w+|Task\.\w+)\s{0,4}\(", re.S)


def _stops_a_process(statement, name: str) -> bool:
    """A cancel/abort/stop call on work in flight: its object is a computation (`cancel_query`) or its argument
    a process (`cancel_job(socket.assigns.worker_pid)`)."""
    if not HALT.match(name):
        return False
    return IN_FLIGHT.search(name) is not None or PROCESS_ARGUMENT.search(text(statement)[:400]) is not None


def _delegated_bodies(root: str, module: str, name: str) -> list[str] | None:
    """The bodies behind `defdelegate name(...), to: Actions.Name` in `module` (a context delegating to an action
    module), found by the target's last segment."""
    source = module_source(root, module)
    found = re.search(r"defdelegate\s{1,8}" + re.escape(name)
                      + r"\([^()]{0,200}\)\s{0,8},\s{0,8}to:\s{0,8}([A-Z][\w.]{0,200})", source or "")
    return function_bodies(root, found.group(1).rsplit(".", 1)[-1], name) if found else None


def _fails_loudly(ctx, module: str, name: str, aliases: dict[str, str], statement=None) -> bool:
    """In project review: every clause of the called function asserts `{:ok, _} =` itself (it raises on
    failure) or returns `:ok`, so no error can be dropped here; or, for a cancel/stop, it only messages a
    process (`GenServer.call(pid, :cancel_query)`), which stores nothing."""
    if not ctx.project_root:
        return False
    head, _, rest = module.partition(".")
    full = aliases.get(head)
    target = f"{full}.{rest}" if full and rest else full or module
    bodies = function_bodies(ctx.project_root, target, name) or _delegated_bodies(ctx.project_root, target, name)
    if not bodies:
        return False
    if statement is not None and idempotent_add(ctx.project_root, target, name, _given_arguments(statement)):
        return True  # its only failure leaves the row in place: the state the caller wanted
    halt = HALT.match(name) is not None
    return all(ASSERTS_OK.search(body) or body.strip().removesuffix("end").rstrip().endswith(":ok") or _always_ok(body)
               or halt and _messages_only(body) or CACHE_ONLY.match(body) or _bulk_write_only(body)
               or _plain_value(body) or ONLY_OK_CASE.search(body) or _atoms_only(body) for body in bodies)


def _given_arguments(call) -> int | None:
    """How many arguments the call passes, None when a pipe passes one more (`list |> Lists.add_book(book)`)."""
    parent = call.parent
    operator = parent.child_by_field_name("operator") if parent is not None else None
    if operator is not None and (text(operator) == "/" or text(operator) == "|>"
                                 and parent.child_by_field_name("right") == call):
        return None  # a capture (`&Lists.add_book/2`) or a pipe's last step
    return len(call_arguments(call))


# `case result do {:ok, x} -> ... end` with no other clause: a failed write raises CaseClauseError there.
ONLY_OK_CASE = re.compile(r"\bcase\s{1,4}[a-z_]\w{0,40}\s{1,4}do[ \t]{0,40}\n[ \t]{0,40}\{:ok,[^\n]{0,200}->[^\n]{0,200}\n"
                          r"[ \t]{0,40}end\b")
# A branch's value on its own line: a bare atom or literal (`:ok`, `:error`, `nil`), nothing built from a result.
BARE_VALUE = re.compile(r"[ \t]{0,40}(?::[a-z_]\w{0,60}|true|false|nil)[ \t]*")
CLAUSE_END = re.compile(r"[ \t]{0,40}(?:end|else)\b|[^\n]{1,200}->[ \t]*$")


def _atoms_only(body: str) -> bool:
    """A body ending in a `case`/`if`/`cond` whose every branch ends in a bare atom (`:ok`, `:error`) and that never
    builds an `{:error, ...}`: the write's result is handled (or swallowed) inside; the caller gets no error to act on."""
    if "{:error" in body or "{:ok" in body:
        return False
    lines = [line for line in body.strip().removesuffix("end").rstrip().split("\n") if line.strip()][:400]
    if len(lines) < 3 or not re.match(r"[ \t]{0,40}end\b", lines[-1]):
        return False  # not a body ending in a branching block
    # The last line of each branch: the line before a clause head, an `else` or an `end` (not an empty branch).
    results = [lines[i - 1] for i in range(1, len(lines)) if CLAUSE_END.match(lines[i])
               and not lines[i - 1].rstrip().endswith(("->", "do"))]
    inline = [line for line in lines if re.search(r"->[ \t]{0,8}\S", line)]  # `nil -> :error`
    return bool(results) and all(BARE_VALUE.fullmatch(line) for line in results) and \
        all(BARE_VALUE.fullmatch(line.split("->", 1)[1]) for line in inline)


def _always_ok(body: str) -> bool:
    """A body that ends in an `{:ok, ...}` tuple it builds itself and never builds `{:error, ...}` (`{:ok,
    length(messages)}` after marking each one read): there is no failure result to drop."""
    lines = body.strip().removesuffix("end").rstrip().splitlines()
    return bool(lines) and lines[-1].strip().startswith("{:ok,") and "{:error" not in body and "<-" not in body


# The last line of a body: a bare variable or literal (`cache_key`, `:ok`, `true`), no call, tuple or block.
PLAIN_LAST = re.compile(r"(?:^|\n)[ \t]{0,40}(?:[a-z_]\w{0,60}|:[a-z_]\w{0,60}|true|false|nil|\d{1,20})[ \t]*$")


def _plain_value(body: str) -> bool:
    """A body that ends in a literal or a variable it never binds itself (a parameter: `cache_key`) and never builds
    `{:error, ...}`: whatever it returns is no result to check (a preview re-rendered and broadcast, then its key
    returned). A variable the body binds (`result = Repo.insert(cs)`) may hold an error tuple."""
    last = body.strip().removesuffix("end").rstrip()
    found = PLAIN_LAST.search(last)
    value = found.group(0).strip() if found is not None else ""
    if "{:error" in body or not value or value in ("end", "do", "else", "after", "rescue", "catch") or last.endswith("->"):
        return False  # a block's `end` closes a case or if whose branches may return anything
    return not re.search(r"(?<![\w.:])" + re.escape(value) + r"\s{0,4}(?:=(?![=>~])|<-)", body)


# Calls that, as a function's last expression, never give the caller an error tuple to drop:
# - a bulk write (`Repo.delete_all(from j in Job, where: j.id == ^id)`, `repo().update_all(...)`): `{count, nil}` or
#   a raise;
# - a cast (`GenServer.cast`, `WebSockex.cast`): always `:ok`, whatever happens to the message;
# - a delete of a loaded struct (`Repo.delete(voice)`, no changeset built in the body): Ecto raises on a constraint
#   or a stale row instead of returning `{:error, changeset}` when no changeset declared the constraint;
# - a file removal (`File.rm(old_path)`): a cleanup whose failure leaves a file behind, not the user's data lost.
MODULE_NAME = r"[A-Z]\w{0,60}(?:\.[A-Z]\w{0,60}){0,6}"
RECEIVER = r"(?:" + MODULE_NAME + r"|(?:" + MODULE_NAME + r"\.)?[a-z_]\w{0,40}\(\))"
# - a bang write (`Repo.update!(changeset)`, `|> Repo.insert!()`): it raises on failure and returns the record;
# - `Enum.each/2` (always `:ok`), an Agent's update or cast (`:ok`), a message sent (`send/2`, `Process.send_after/3`).
NO_ERROR_TUPLE = re.compile(r"^(?:\|>[ \t]{0,8})?(?:" + RECEIVER + r"\.(?:delete_all|update_all|insert_all)\(|(?:" + MODULE_NAME
                            + r"\.)?cast\(|" + RECEIVER + r"\.delete\(\s{0,8}[a-z_]\w{0,40}\s{0,8}\)|File\.rm(?:_rf)?!?\(|"
                            + RECEIVER + r"\.(?:insert|update|delete|insert_or_update)!\(|Enum\.each\(|"
                            r"Agent\.(?:update|cast)\(|send\(|Process\.send(?:_after)?\()")
# The last step of a one-line pipe (`do: note |> Note.changeset(attrs) |> Repo.update!()`).
LAST_PIPE = re.compile(r"\|>[ \t]{0,8}(?=[A-Za-z][\w.]{0,120}!?\([^|\n]{0,400}$)")


def _bulk_write_only(body: str) -> bool:
    """The body ends in a call that returns no error tuple (NO_ERROR_TUPLE: `query = from ...` then
    `Repo.delete_all(query)`, `WebSockex.cast(pid, msg)`, `Repo.delete(voice)`, `File.rm(path)`): nothing follows its
    closing parenthesis, so its result is what the function returns. A struct delete counts only when the body builds
    no changeset (one with constraints can return `{:error, changeset}`)."""
    inner = body.strip().removeprefix("do:").removeprefix("do").removesuffix("end").strip()
    starts = [0] + [m.end() for m in LINE_START.finditer(inner)]
    last_line = inner[starts[-1]:]
    piped = LAST_PIPE.search(last_line) if "|>" in last_line else None
    if piped is not None:
        starts.append(starts[-1] + piped.start())  # the pipe's last step, on the body's last line
    start = next((i for i in reversed(starts[-LAST_LINES:]) if NO_ERROR_TUPLE.match(inner[i:i + 400])), None)
    if start is None:
        return False
    tail = inner[start:]
    match = NO_ERROR_TUPLE.match(tail)
    if ".delete(" in match.group(0) and re.search(r"\bchange(?:set)?\b|\bcast\(|_changeset\(", inner):
        return False
    depth = 0
    for index in range(match.group(0).rfind("("), len(tail)):  # from the parenthesis of the call itself
        depth += {"(": 1, ")": -1}.get(tail[index], 0)
        if depth == 0:
            return not tail[index + 1:].strip()
    return False


LINE_START = re.compile(r"\n[ \t]{0,40}")
LAST_LINES = 12  # lines from the end looked at for the bulk write the function returns


# A body that is one cache update (`Cachex.get_and_update(:character_cache, id, fn ... end)`): a cached copy, not
# the stored record, so nothing the user typed is lost when it fails.
CACHE_ONLY = re.compile(r"^\s{0,40}(?:do:?\s{0,40})?(?:Cachex|ConCache|:ets|Nebulex\.\w{1,40}|\w{0,40}Cache)\.\w{1,40}!?\(")


def _messages_only(body: str) -> bool:
    """A body that is one call sending a message to a process (`do GenServer.call(pid, :cancel) end`)."""
    inner = body.strip().removeprefix("do").removesuffix("end").strip()
    return MESSAGE_ONLY.match(inner) is not None and inner.count("\n") <= 2


BRANCH_DEPTH = 4  # nested if/unless/case/cond/with branches looked into
BRANCHING = ("if", "unless", "case", "cond", "with")


def _dropped_statements(block, depth: int = 0, value_dropped: bool = False) -> list:
    """Statements whose value is thrown away: all but the last of the body (the last too when the body's own value
    is thrown away), and inside each `if`/`unless`/`case`/`cond`/`with` among them, every branch's statements but
    its last, and its last too when the branching statement's value is thrown away (`case action do "archive" ->
    Catalog.archive_item(item) ... end` followed by `{:noreply, socket}`)."""
    return _dropped(_statements(block), depth, value_dropped)


NOT_STATEMENTS = ("comment", "else_block", "stab_clause", "rescue_block", "catch_block", "after_block")


def _statements(block) -> list:
    """The statements of a body, without its clauses and `else`/`rescue`/`catch`/`after` parts (`def f do x rescue
    ... end`: x is the function's value)."""
    return [c for c in block.named_children if c.type not in NOT_STATEMENTS]


def _dropped(statements: list, depth: int, value_dropped: bool) -> list:
    dropped = []
    for index, statement in enumerate(statements):
        is_dropped = value_dropped or index < len(statements) - 1
        module, name = call_parts(statement)
        if statement.type == "call" and module is None and name in BRANCHING and depth < BRANCH_DEPTH:
            for branch in _branches(statement):
                dropped += _dropped(branch, depth + 1, is_dropped)
        elif is_dropped:
            dropped.append(statement)
    return dropped


def _branches(call) -> list[list]:
    """The statements of each body a branching call's value comes from: the do and else parts of an `if` (block or
    `do:` keyword), each clause's body of a `case`/`cond`/`with` and of its `else`."""
    branches = []
    for argument in call_arguments(call):  # `if x, do: a, else: b`
        for pair in argument.named_children if argument.type == "keywords" else []:
            value = pair.child_by_field_name("value")
            if value is not None and text(pair.child_by_field_name("key")).strip().rstrip(":").strip() in ("do", "else"):
                branches.append([value])
    for block in (c for c in call.children if c.type == "do_block"):
        branches.append(_statements(block))  # the plain statements of an if/unless do-part
        for part in block.named_children:
            if part.type == "stab_clause" and part.child_by_field_name("right") is not None:
                branches.append(_statements(part.child_by_field_name("right")))
            elif part.type == "else_block":
                branches.append(_statements(part))
                branches += [_statements(c.child_by_field_name("right")) for c in part.named_children
                             if c.type == "stab_clause" and c.child_by_field_name("right") is not None]
    return branches


def _written(statement):
    """The call a dropped statement makes: the statement itself, the last step of a pipe
    (`item |> Catalog.delete_item()`), or the write each step of a dropped loop makes (`Enum.each(items,
    &Catalog.delete_item/1)`, `Enum.each(items, fn item -> Catalog.delete_item(item) end)`)."""
    while statement.type == "binary_operator" and text(statement.child_by_field_name("operator")) == "|>":
        statement = statement.child_by_field_name("right")
    if statement.type != "call":
        return None
    return _each_write(statement) or statement


def _each_write(call):
    """The call `Enum.each/2` (or `Enum.map/2` whose list is dropped) makes on every item: a capture's function
    (`&Rosary.delete_meditation/1`) or an anonymous function's last expression; each one's result is thrown away."""
    if call_parts(call) not in (("Enum", "each"), ("Enum", "map")):
        return None
    arguments = call_arguments(call)
    parent = call.parent
    piped = parent is not None and parent.type == "binary_operator" and text(parent.child_by_field_name("operator")) == "|>"
    fun = arguments[0] if piped and len(arguments) == 1 else arguments[1] if len(arguments) == 2 else None
    if fun is None:
        return None
    if fun.type == "unary_operator" and text(fun.child_by_field_name("operator")) == "&":
        operand = fun.child_by_field_name("operand")
        if operand is not None and operand.type == "binary_operator" and text(operand.child_by_field_name("operator")) == "/":
            target = operand.child_by_field_name("left")
            return target if target is not None and target.type == "call" else None
        return operand if operand is not None and operand.type == "call" else None
    if fun.type == "anonymous_function":
        clause = next((c for c in fun.named_children if c.type == "stab_clause"), None)
        body = clause.child_by_field_name("right") if clause is not None else None
        statements = _statements(body) if body is not None else []
        if statements and statements[-1].type in ("call", "binary_operator"):
            last = _written(statements[-1])
            return last if last is not None and last.type == "call" else None
    return None


def _handler_bodies(ctx):
    """The bodies of `handle_event/3`, then of the local functions they call, once each (`{:noreply,
    archive(socket, id)}`: the helper's dropped writes are the handler's)."""
    handlers = [c for c in callback_clauses(ctx, "handle_event", 3) if c.body is not None]
    functions = ctx.module.functions() if ctx.module is not None else {}
    helpers, seen = [], set()
    for clause in handlers:
        for node, module, name in calls(clause.body):
            key = (name, len(call_arguments(node)))
            if module is None and key not in seen and key in functions and name != "handle_event":
                seen.add(key)
                helpers += [helper for helper in functions[key] if helper.body is not None]
    return [clause.body for clause in handlers + helpers]


# What a handler says after a write when it takes the write to have worked: a success flash, put or sent.
CLAIMS_SUCCESS = re.compile(r"\bput_flash\(\s{0,8}(?:socket\s{0,4},\s{0,8})?:(?:info|success|ok)\b|"
                            r"\{:(?:put_)?flash,\s{0,8}\{?\s{0,4}:(?:info|success|ok)\b")
CLAIM_WINDOW = 1500  # bytes after a dropped write read for a success message
DISCARD = re.compile(r"_\w{0,40}")


# Between the write and the message: a check of some result, so the message may answer another write's success.
CHECKS_BETWEEN = re.compile(r"\{:ok\b|\{:error\b|\bcase\b|\bwith\b|\bif\b|\bcond\b|\bunless\b")


def _claims_success(ctx, dropped, body) -> bool:
    """A success message follows the dropped write in the same body with no check between: the user is told it
    worked, unchecked (after a `case` on another write's result the message may be that write's)."""
    after = ctx.text.data[dropped.end_byte:min(body.end_byte, dropped.end_byte + CLAIM_WINDOW)].decode("utf-8", "replace")
    claim = CLAIMS_SUCCESS.search(after)
    return claim is not None and CHECKS_BETWEEN.search(after, 0, claim.start()) is None


def _discarded(statement):
    """`_ = Catalog.toggle_item(id)`: the write a match on `_` throws away (the call), else None."""
    if statement.type == "binary_operator" and text(statement.child_by_field_name("operator")) == "=" and \
            DISCARD.fullmatch(text(statement.child_by_field_name("left")).strip()):
        right = statement.child_by_field_name("right")
        return right if right is not None and right.type == "call" else None
    return None


PROCESS_API = re.compile(r"(?:^|\.)(?:\w{0,40}Server|\w{0,40}Worker|\w{0,40}Manager)$")


def _raised(confidence, claimed: bool, module: str):
    """A success message after the dropped write: the failure is reported as a success (low -> medium). Not for a
    process's API (`Map.Server.add_system`): often a cast, whose only answer is `:ok`."""
    return "medium" if claimed and confidence == "low" and not PROCESS_API.search(module) else confidence


def check(ctx):
    checked, aliases = None, None
    for body in _handler_bodies(ctx):
        if body.type not in ("do_block", "block"):
            continue
        for dropped in _dropped_statements(body):
            discarded = _discarded(dropped)  # `_ = write(...)`
            statement = discarded if discarded is not None else _written(dropped)
            if statement is None:
                continue
            explicit = discarded is not None
            claimed = _claims_success(ctx, dropped, body)
            if explicit and not claimed:
                continue  # `_ = write(...)` says the result is not wanted; only a success message after it contradicts
            module, name = call_parts(statement)
            if module and module.endswith("Repo") and name in REPO_WRITES:
                yield hit(dropped, f"The result of {code_span(f'{module}.{name}')} is ignored.")
            elif module and name and _ash_write(ctx, module, name):
                yield hit(dropped, f"The result of {code_span(f'{module}.{name}')} is ignored: it returns "
                                   f"{code_span('{:error, ...}')} when the write fails.")
            elif module and name and (CONTEXT_WRITE.match(name) or BARE_WRITE.match(name) or _actor_action(statement, name)) \
                    and not name.endswith(("!", "_all")) \
                    and _data_module(module, checked := checked or _checked_results(ctx)):
                # The module checks this function's result elsewhere: it returns {:ok, _} | {:error, _} (high). It
                # checks other functions of the same context: likely (medium, shown: a lost write). Else: low.
                functions, modules = checked
                likely = module in modules or GENERATED.match(name) is not None
                confidence = None if f"{module}.{name}" in functions else "medium" if likely else "low"
                if confidence != "low" and DERIVED.search(name):
                    confidence = "low"  # derived data (a counter cache): recomputed, nothing typed is lost
                if ctx.project_root and aliases is None:
                    aliases = _aliases(ctx)
                if _stops_a_process(statement, name) or _fails_loudly(ctx, module, name, aliases, statement):
                    continue
                yield hit(dropped, f"The result of {code_span(f'{module}.{name}')} is ignored" +
                          (", and success is reported regardless." if claimed else "."),
                          confidence=_raised(confidence, claimed, module))
            elif module and name and _data_module(module, checked := checked or _checked_results(ctx)):
                if STATE_CHANGE.match(name) and (module in checked[1] or claimed and not PROCESS_API.search(module)) and \
                        not name.endswith(("!", "?", "_all")) and not DERIVED.search(name):
                    if ctx.project_root and aliases is None:
                        aliases = _aliases(ctx)
                    if not _fails_loudly(ctx, module, name, aliases, statement):
                        why = "and success is reported regardless" if claimed else \
                            "though this module checks the results of its other calls to that context"
                        yield hit(dropped, f"The result of {code_span(f'{module}.{name}')} is ignored, {why}.",
                                  confidence="medium")
                elif _inverse_checked(module, name, checked[0]):
                    yield hit(dropped, f"The result of {code_span(f'{module}.{name}')} is ignored.", confidence="medium")


# What an Ash code interface (or a policy-checked context) call that is not a write is named for.
NOT_AN_ACTION = re.compile(r"^(?:get|list|read|fetch|find|load|count|search|by|calculate|can|exists|subscribe|broadcast|"
                           r"build|new|change|validate|form|for)(?:_|$)")


def _actor_action(statement, name: str) -> bool:
    """A call given the acting user as `actor:` (`Orders.start_batch(batch, %{}, actor: actor)`), named for neither a
    read nor a form: an action of an Ash code interface (or a policy-checked context), which returns `{:ok, _}` or
    `{:error, _}` when the action or its policy refuses."""
    arguments = call_arguments(statement)
    last = arguments[-1] if arguments else None
    return last is not None and last.type == "keywords" and re.search(r"(?:^|[\s,])actor:", text(last)) is not None \
        and NOT_AN_ACTION.match(name) is None and not name.endswith("?")


# A resource module's own write functions named by the verb alone (`Categories.create(params)`, `Post.update(post,
# attrs)`): like a context's `create_post`, high when this module checks the same function elsewhere, medium when it
# checks the module's other results, else low.
BARE_WRITE = re.compile(r"^(create|update|delete|destroy|insert|upsert|archive)$")
# Ash's writes that return `{:ok, _} | {:error, _}` (`:ok | {:error, _}` for destroy) instead of raising.
ASH_WRITES = {("Ash", "create"), ("Ash", "update"), ("Ash", "destroy"), ("AshPhoenix.Form", "submit")}
ASH_FORM_ALIAS = re.compile(r"^[ \t]{0,40}alias[ \t]{1,8}AshPhoenix\.Form[ \t]*$", re.M)


def _ash_write(ctx, module: str, name: str) -> bool:
    """`AshPhoenix.Form.submit(form, ...)` (also as `Form.submit` after `alias AshPhoenix.Form`), `Ash.create(...)`,
    `Ash.update(...)`, `Ash.destroy(...)`: they return an error tuple on failure, never raise."""
    if module == "Form" and name == "submit":
        return ctx.text.search(ASH_FORM_ALIAS) is not None
    return (module, name) in ASH_WRITES


def _data_module(module: str, checked: tuple[set[str], set[str]]) -> bool:
    """Not a cache, broadcast or telemetry module, or one whose results this module matches against {:ok, _}
    elsewhere (`{:ok, e} = ErrorTracker.unresolve(error)`): it returns results, whatever its name says."""
    return not NOT_DATA.search(module) or module in checked[1]


INVERSE = re.compile(r"^(?:un|dis|de|re)(?=[a-z])")
# Verbs of a record's state change the context verbs leave out (`dismiss_onboarding`, `complete_task`,
# `assign_reviewer`): dropped, they are judged only by the context's other calls this module checks (medium).
# (`mark_read`/`mark_seen` bookkeeping is left out: a failure loses nothing the user decided.)
STATE_CHANGE = re.compile(r"^(?:dismiss|complete|advance|assign|unassign|enable|disable|confirm|reset|rename|"
                          r"submit|reorder|pin|unpin|join|leave|invite|close|reopen|resolve|unresolve|snooze|"
                          r"activate|deactivate|set|clear|finish|reschedule|duplicate|upsert|ignore|unignore|block|"
                          r"unblock|follow|unfollow|mute|unmute|approve|reject|accept|decline|ban|unban)_\w+$")


def _inverse_checked(module: str, name: str, functions: set[str]) -> bool:
    """The module checks the result of this command's inverse (`Safety.arm` matched against {:error, _}, then
    `Safety.disarm` thrown away): a pair of commands returns the same kind of result."""
    stem = INVERSE.sub("", name)
    return any(checked in functions for checked in (f"{module}.{stem}", *(f"{module}.{p}{name}" for p in (
        "un", "dis", "de", "re"))) if checked != f"{module}.{name}")
