"""Values the client controls, followed through one handler's tree: from the event's payload (or a form's params) through
matches (`%{"post" => post} = params`, `with %{"id" => id} <- params`), access (`params["post"]["user_id"]`,
`get_in(params, ["post", "user_id"])`, `Map.get/fetch`), map functions (`Map.take(params, ~w(title user_id))`,
`Map.put/merge/update`), conversions (`String.to_integer/1`, `Integer.parse/1`), pipes, `||` (the client's value
first, or a `case` whose `nil` branch gives the server's value) and this module's own functions handed such a value.
A value remembers the payload keys it was read under.

The security rules ask two things of it: which values of a clause are the client's (`client_values`), and where one is
written under a key as data (`keyed_writes`), with the key it is written under and the keys it was read from. Data,
not code, says what passes a value through (`PASS_THROUGH`, `KEY_READERS`); everything else a call returns is the
server's (a record loaded by the client's id is the server's record).

One walk down each clause, statements in order, the whole clause; local functions followed at most `DEPTH` deep and
`MAX_NODES` nodes in all per clause, each helper once per values handed to it. Nothing is executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from .elixir_tree import call_arguments, call_parts, text, walk
from .reading_limits import reached, shared_budget

DEPTH = 2  # local helpers followed from a handler: `handle_event -> save(socket, params) -> build(params)`
MAX_NODES = 20_000  # nodes of local helpers read per clause (the clause itself is read whole: audit 9 N4); the
# largest seen in real apps is about 5,400 (a dashboard's handler), so 4,000 cut real code short (audit 13)
MODULE_NODES = 200_000  # nodes of local helpers read for all the clauses of one module together
MAX_EXPRESSION = 40  # levels of one expression read (a pipe of forty steps is already unusual)
MAX_UP = 40  # enclosing nodes looked at above an entry (each parent costs the depth in tree-sitter)

# Calls whose result is their first argument's value, converted or reshaped: the client's value stays the client's.
PASS_THROUGH = {
    ("String", "to_integer"), ("String", "to_atom"), ("String", "to_existing_atom"), ("String", "trim"),
    ("String", "downcase"), ("String", "to_float"), ("Integer", "parse"), ("Float", "parse"), ("Decimal", "new"),
    ("Ecto.UUID", "cast"), ("Ecto.UUID", "cast!"), ("Map", "put"), ("Map", "put_new"), ("Map", "delete"),
    ("Map", "drop"), ("Map", "merge"), ("Map", "update"), ("Map", "update!"), ("Map", "new"), ("Enum", "into"),
    ("Map", "take"), (None, "to_string"), (None, "trunc"),
}
# Calls that read one key of their first argument: `Map.get(params, "user_id")`, `Map.fetch!(params, "id")`.
KEY_READERS = {("Map", "get"), ("Map", "fetch"), ("Map", "fetch!"), ("Keyword", "get"), ("Access", "get")}
# Calls that only talk to the socket or the log: a value under a key there is the page's state, not data.
SOCKET_CALLS = {"assign", "assign_new", "push_patch", "push_navigate", "put_flash", "update", "push_event", "inspect",
                "log", "info", "debug", "warning", "error", "stream_insert", "stream_delete", "redirect", "assign_async",
                "to_form"}  # a form built to show, not a record written


@dataclass(frozen=True)
class Client:
    """A value the client controls: the payload keys it was read under (empty for the whole map or an unknown key) and,
    for a map of the client's keys kept whole (`Map.take(params, ~w(title user_id))`), the keys it carries."""

    keys: frozenset[str] = frozenset()
    carries: frozenset[str] = frozenset()
    whole: bool = False  # the payload map itself (or a form's params): any key the client sends


WHOLE = Client(whole=True)


@dataclass(frozen=True)
class KeyedWrite:
    """A client value written under a key: `user_id: uid`, `"owner_id" => params["x"]`, `Map.put(attrs, "user_id", v)`;
    `kept` when the client's own value under that key wins (`Map.update(params, "user_id", id, & &1)`, a literal
    default merged under the params)."""

    node: Node
    key: str
    value: Client
    kept: bool = False


@dataclass
class Flow:
    """What one clause (and the helpers it hands client values to) does with them."""

    env: dict[str, Client] = field(default_factory=dict)
    writes: list[KeyedWrite] = field(default_factory=list)
    # The client's value first and a value the server holds only as its fallback (`params["sender_id"] ||
    # current_user.id`, `Map.get(params, "amount", @order.amount)`): (node, the client's part, the fallback's text).
    fallbacks: list[tuple[Node, Client, str]] = field(default_factory=list)
    socket_ends: list[int] = field(default_factory=list)  # end bytes of the socket calls around the node being read
    known: dict[int, "Client | None"] = field(default_factory=dict)  # value of each expression node already read
    # End bytes of the match patterns around the node being read (bound, not written): a stack, as socket_ends, since
    # the walk goes in source order (a list of every pattern searched per entry was quadratic: audit 9 N4).
    pattern_ends: list[int] = field(default_factory=list)
    budget: int = MAX_NODES  # helper nodes still to read
    followed: dict[tuple, list[KeyedWrite]] = field(default_factory=dict)  # writes of a helper clause per values given
    # What a call of this module's own function returns, given the client values handed to it (name, values) -> the
    # client's part of its result: None (the default) takes every local call's result as the server's. A rule that
    # asks where a value ends up (unsafe_atom_creation's assigns) follows helpers' return values with it.
    returns: object = None


def _string(node: Node) -> str | None:
    """The text of a plain string literal (`"user_id"`), an atom (`:user_id`) or None."""
    if node.type == "string" and not any(c.type == "interpolation" for c in node.children):
        return text(node)[1:-1]
    if node.type == "atom":
        return text(node).lstrip(":")
    return None


def _pair_key(node: Node) -> tuple[str, Node] | None:
    """(key, value node) of a map or keyword entry: `user_id: v` or `"user_id" => v`."""
    if node.type == "pair":
        key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        if key is not None and value is not None:
            return text(key).strip().rstrip(":").strip('"'), value
    if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "=>":
        key = _string(node.child_by_field_name("left"))
        value = node.child_by_field_name("right")
        if key is not None and value is not None:
            return key, value
    return None


def _entries(map_node: Node) -> list[tuple[str, Node]]:
    """Key and value node of each entry of a map literal (`%{...}`) or a keyword list (`[a: 1]`), read from the
    literal's own children (a nested map's entries are that map's)."""
    found = []
    for child in map_node.named_children:
        for item in child.named_children if child.type in ("map_content", "keywords") else [child]:
            for entry_node in item.named_children if item.type == "keywords" else [item]:
                entry = _pair_key(entry_node)
                if entry is not None:
                    found.append(entry)
    return found


def _key_list(node: Node) -> frozenset[str]:
    """The keys of `["title", "user_id"]`, `[:title, :user_id]` or `~w(title user_id)`."""
    if node.type == "sigil":
        name = next((c for c in node.children if c.type == "sigil_name"), None)
        content = next((c for c in node.children if c.type == "quoted_content"), None)
        if name is not None and text(name) in ("w", "W") and content is not None:
            return frozenset(text(content).split())
    if node.type == "list":
        return frozenset(k for k in (_string(c) for c in node.named_children) if k is not None)
    return frozenset()


def _merge(*values: Client | None) -> Client | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return Client(frozenset().union(*(v.keys for v in present)), frozenset().union(*(v.carries for v in present)),
                  any(v.whole for v in present))


def _pipe(node: Node) -> tuple[Node, Node] | None:
    if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "|>":
        return node.child_by_field_name("left"), node.child_by_field_name("right")
    return None


def value_of(node: Node | None, flow: Flow, first: Client | None = None, piped: bool = False,
             depth: int = MAX_EXPRESSION) -> Client | None:
    """The client's part of an expression, or None when the server gave it. `first`/`piped`: the value a pipe feeds in
    as the call's first argument. Deeper than `depth` levels, an expression is taken as the server's."""
    if node is None or depth <= 0:
        return None
    if node.type == "identifier":
        return flow.env.get(text(node))
    if not piped and node.id in flow.known:
        return flow.known[node.id]
    found = _value(node, flow, first, piped, depth - 1)
    if not piped:
        flow.known[node.id] = found
    return found


def _value(node: Node, flow: Flow, first: Client | None, piped: bool, depth: int) -> Client | None:
    kind = node.type
    if kind in ("block", "parenthesized_expression") and node.named_child_count == 1:
        return value_of(node.named_children[0], flow, depth=depth)
    if kind == "access_call":
        target, key = node.child_by_field_name("target"), node.child_by_field_name("key")
        source = value_of(target, flow, depth=depth)
        read = _string(key) if key is not None else None
        return Client(frozenset([read]) if read else frozenset()) if source is not None else None
    pipe = _pipe(node)
    if pipe is not None:
        return value_of(pipe[1], flow, value_of(pipe[0], flow, depth=depth), True, depth)
    if kind == "binary_operator":
        operator = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator in ("||", "or"):
            return value_of(left, flow, depth=depth)  # the client's value first: it wins whenever sent
        if operator in ("<>", "++"):
            return _merge(value_of(left, flow, depth=depth), value_of(right, flow, depth=depth))
        return None
    if kind == "string":
        return _merge(*(value_of(c.named_children[0] if c.named_child_count else None, flow, depth=depth)
                        for c in node.children if c.type == "interpolation"))
    if kind == "call":
        return _call_value(node, flow, first, piped, depth)
    return None


def _call_value(node: Node, flow: Flow, first: Client | None, piped: bool, depth: int) -> Client | None:
    module, name = call_parts(node)
    arguments = call_arguments(node)
    source = first if piped else (value_of(arguments[0], flow, depth=depth) if arguments else None)
    rest = arguments if piped else arguments[1:]
    if (module, name) in KEY_READERS and source is not None:
        read = _string(rest[0]) if rest else None
        return Client(frozenset([read]) if read else frozenset())
    if module is None and name == "get_in" and source is not None:
        keys = [_string(c) for c in rest[0].named_children] if rest and rest[0].type == "list" else []
        return Client(frozenset([keys[-1]]) if keys and keys[-1] else frozenset())
    if (module, name) == ("Map", "take") and source is not None:
        return Client(carries=_key_list(rest[0]) if rest else frozenset())
    if (module, name) in PASS_THROUGH:
        if name in ("put", "put_new") and len(rest) >= 2:  # the client's map, or the client's value under a key
            key = _string(rest[0])
            added = value_of(rest[1], flow, depth=depth)
            return _merge(source, Client(carries=frozenset([key])) if added is not None and key else None)
        if name == "merge" and rest:
            return _merge(source, value_of(rest[0], flow, depth=depth))
        return source
    if module is None and flow.returns is not None:
        given = ([first] if piped else []) + [value_of(a, flow, depth=depth) for a in arguments]
        if any(given):
            return flow.returns(name, tuple(given))
    return None


def bind(pattern: Node, value: Client | None, flow: Flow) -> None:
    """Bind the variables of a match's left side to what the right side carries: a map pattern's values are read
    under their keys (`%{"post" => %{"user_id" => uid}} = params`)."""
    if value is None or pattern is None:
        return
    if pattern.type == "identifier":
        if not text(pattern).startswith("_"):
            flow.env[text(pattern)] = value
        return
    if pattern.type == "binary_operator" and text(pattern.child_by_field_name("operator")) == "=":
        bind(pattern.child_by_field_name("left"), value, flow)
        bind(pattern.child_by_field_name("right"), value, flow)
        return
    if pattern.type == "map":
        for key, inner in _entries(pattern):
            bind(inner, Client(frozenset([key])), flow)
    if pattern.type == "tuple":
        for inner in pattern.named_children:  # `{:ok, n} = Integer.parse(params["n"])`
            if inner.type != "atom":
                bind(inner, value, flow)


def _statements(body: Node) -> list[Node]:
    return list(body.named_children) if body.type in ("do_block", "block", "body") else [body]


def follow(body: Node | None, flow: Flow, module=None, depth: int = DEPTH) -> Flow:
    """Walk a clause body in order: bind matches, record keyed writes of client values, follow this module's own
    functions handed a client value (their parameter in that position is the client's)."""
    if body is None:
        return flow
    for node in walk(body):
        if depth < DEPTH:  # a helper: bounded, since one clause may hand values to many; the clause is read whole,
            flow.budget -= 1  # so no length of handler hides a write at its end (audit 9 N4)
            if flow.budget <= 0:  # what the helpers do past here is not known: the review says so (audit 13 A13-4)
                reached(f"helpers of one handler past {MAX_NODES:,} syntax nodes")
                break
            if module is not None:  # every clause of a module may follow the same large helpers: bounded together
                left = shared_budget(("taint helpers", id(module)), MODULE_NODES)
                left[0] -= 1
                if left[0] <= 0:
                    reached(f"helpers of one module's handlers past {MODULE_NODES:,} syntax nodes in all")
                    break
        while flow.socket_ends and flow.socket_ends[-1] <= node.start_byte:
            flow.socket_ends.pop()
        while flow.pattern_ends and flow.pattern_ends[-1] <= node.start_byte:
            flow.pattern_ends.pop()
        kind = node.type
        if kind == "binary_operator":
            operator = text(node.child_by_field_name("operator"))
            if operator in ("=", "<-"):
                left = node.child_by_field_name("left")
                bind(left, value_of(node.child_by_field_name("right"), flow), flow)
                if left is not None:
                    flow.pattern_ends.append(left.end_byte)
                continue
            if operator == "||" and not flow.socket_ends:
                client = value_of(node.child_by_field_name("left"), flow)
                if client is not None and not client.whole:
                    flow.fallbacks.append((node, client, text(node.child_by_field_name("right"))[:200]))
            entry = _pair_key(node)
            if entry is not None:
                _record(node, entry, flow)
            continue
        if kind == "pair":
            entry = _pair_key(node)
            if entry is not None:
                _record(node, entry, flow)
            continue
        if kind == "call" and call_parts(node) == (None, "case"):
            _bind_case(node, flow)
            if not flow.socket_ends:
                _record_nil_fallback(node, flow)
        if kind == "stab_clause":
            left = node.child_by_field_name("left")
            if left is not None:
                flow.pattern_ends.append(left.end_byte)
        if kind == "call":
            _record_call(node, flow, module, depth)
            if call_parts(node)[1] in SOCKET_CALLS:
                flow.socket_ends.append(node.end_byte)
    return flow


def _bind_case(node: Node, flow: Flow) -> None:
    """`case params do %{"role" => role} -> ... end`: each clause's pattern (before its guard) is matched against the
    subject, so a client subject binds the pattern's variables as a match would."""
    arguments = call_arguments(node)
    subject = value_of(arguments[0], flow) if arguments else None
    block = next((c for c in node.children if c.type == "do_block"), None)
    if subject is None or block is None:
        return
    for clause in block.named_children:
        left = clause.child_by_field_name("left") if clause.type == "stab_clause" else None
        if left is not None and left.type == "binary_operator" and text(left.child_by_field_name("operator")) == "when":
            left = left.child_by_field_name("left")
        for pattern in (left.named_children if left is not None and left.type == "arguments" else [left] if left else []):
            bind(pattern, subject, flow)


def _record_nil_fallback(node: Node, flow: Flow) -> None:
    """`case params["user_id"] do nil -> current_user; id -> Users.get!(id) end`: the client's value when sent, the
    server's only when it is absent (a `nil` or `""` branch), the same fallback as `params["user_id"] || current_user`."""
    arguments = call_arguments(node)
    client = value_of(arguments[0], flow) if arguments else None
    if client is None or client.whole:
        return
    block = next((c for c in node.children if c.type == "do_block"), None)
    for clause in block.named_children if block is not None else ():
        left, right = clause.child_by_field_name("left"), clause.child_by_field_name("right")
        if clause.type == "stab_clause" and left is not None and right is not None \
                and text(left).strip() in ("nil", '""'):
            flow.fallbacks.append((node, client, text(right).strip()[:200]))
            return


def _record(node: Node, entry: tuple[str, Node], flow: Flow) -> None:
    key, value_node = entry
    if flow.pattern_ends:  # inside a pattern: the value is bound there, not written
        return
    value = value_of(value_node, flow)
    if value is not None and not value.whole and not flow.socket_ends:
        flow.writes.append(KeyedWrite(node, key, value))


PLAIN_MODULES = {"Map", "Enum", "Keyword", "String", "Integer", "Float", "List", "Access", "Kernel", "Logger", "IO", "Jason",
                 "Phoenix.HTML", "Decimal", "Ecto.UUID"}
# The changeset's own writes of one field (`put_change(cs, :user_id, v)`, imported or qualified).
CHANGESET_MODULES = {None, "Ecto.Changeset", "Changeset"}
CHANGESET_PUTS = {"put_change", "force_change"}
IDENTITY_FUNCTIONS = {"& &1", "&(&1)", "&Function.identity/1", "fn x -> x end", "fn v -> v end", "fn value -> value end"}


def _record_call(node: Node, flow: Flow, module, depth: int) -> None:
    remote, name = call_parts(node)
    arguments = call_arguments(node)
    parent = node.parent
    piped_in = None
    if parent is not None and _pipe(parent) is not None and parent.child_by_field_name("right").id == node.id:
        piped_in = parent.child_by_field_name("left")
    receiver = piped_in if piped_in is not None else (arguments[0] if arguments else None)
    rest = arguments if piped_in is not None else arguments[1:]
    if (remote, name) in (("Map", "get"), ("Keyword", "get")) and len(rest) >= 2:
        client = value_of(receiver, flow)
        read = _string(rest[0])
        if client is not None and read and not flow.socket_ends:
            flow.fallbacks.append((node, Client(frozenset([read])), text(rest[1])[:200]))
    if remote is not None and remote[:1].isupper() and remote not in PLAIN_MODULES:
        handed = [value_of(piped_in, flow)] if piped_in is not None else []
        for value in handed + [value_of(a, flow) for a in arguments]:  # a map of the client's keys given to the app
            if value is not None and value.carries:
                flow.writes.extend(KeyedWrite(node, key, Client(frozenset([key]))) for key in sorted(value.carries))
    if (remote == "Map" and name == "put" or remote in CHANGESET_MODULES and name in CHANGESET_PUTS) and len(rest) >= 2:
        # `Map.put(attrs, :user_id, v)`, `cs |> Ecto.Changeset.put_change(:user_id, params["user_id"])`: a keyed write
        key = _string(rest[0])
        value = value_of(rest[1], flow)
        if key and value is not None and not flow.socket_ends:
            flow.writes.append(KeyedWrite(node, key, value))
    if remote == "Map" and name in ("update", "update!") and len(rest) >= 2:
        key = _string(rest[0])
        fun = rest[-1]
        if key and value_of(receiver, flow) is not None and " ".join(text(fun).split()) in IDENTITY_FUNCTIONS \
                and not flow.socket_ends:
            flow.writes.append(KeyedWrite(node, key, Client(frozenset([key])), kept=True))
    if remote == "Map" and name == "merge" and rest and receiver is not None and receiver.type == "map" \
            and not flow.socket_ends:
        wins = value_of(rest[0], flow)
        if wins is not None:
            for key, _ in _entries(receiver):
                flow.writes.append(KeyedWrite(node, key, Client(frozenset([key])), kept=True))
    if remote is not None or module is None or depth <= 0 or name in SOCKET_CALLS:
        return
    given = [value_of(a, flow) for a in arguments]
    if piped_in is not None:
        given = [value_of(piped_in, flow)] + given
    if not any(given):
        return
    # Every clause is followed; a function repeated in every handler (`defp g(id)` pasted a thousand times) is
    # bounded by the module's MODULE_NODES, and a walk cut there says so (reading_limits.py).
    for helper in module.clauses_by_name.get((name, len(given)), []):
        if helper.body is None:
            continue
        key = (helper.node.id, depth, tuple(given))
        if key not in flow.followed:  # a helper called again with the same values writes the same: read once
            inner = Flow(budget=flow.budget, followed=flow.followed)
            for parameter, value in zip(helper.params, given):
                bind(parameter, value, inner)
            follow(helper.body, inner, module, depth - 1)
            flow.budget = min(flow.budget, inner.budget)
            flow.followed[key] = inner.writes
        flow.writes.extend(flow.followed[key])


def payload_flow(clause, module=None, payload_index: int = 1, returns=None) -> Flow:
    """The client values of a handler whose parameter at `payload_index` is the client's map (handle_event's
    payload, handle_params' params), followed through its body. `returns`: see Flow.returns."""
    flow = Flow(returns=returns)
    if len(clause.params) > payload_index:
        bind(clause.params[payload_index], WHOLE, flow)
        pattern = clause.params[payload_index]
        if pattern.type == "binary_operator" and text(pattern.child_by_field_name("operator")) == "=":
            for side in (pattern.child_by_field_name("left"), pattern.child_by_field_name("right")):
                if side is not None and side.type == "identifier":
                    flow.env[text(side)] = WHOLE
    return follow(clause.body, flow, module)
