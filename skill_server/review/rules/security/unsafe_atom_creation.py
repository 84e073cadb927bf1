"""## What it does
Flags `String.to_atom/1` (and `:erlang.binary_to_atom`/`list_to_atom`, and `:erlang.binary_to_term/1` without `[:safe]`
on a handler's payload: it makes atoms, and any term, from the client's bytes) on anything but a literal, and
`Module.concat/1,2` with a part that is not an alias or literal (the joined name becomes an atom). In an event or params
handler, a conversion called by name (`apply(String, :to_atom, [name])`) is medium (shown).

## Why is this bad?
Atoms are never garbage collected and the atom table is limited; a client that sends many distinct values
(event payloads, params) can exhaust it and crash the whole node.

## Example
```elixir
def handle_event("sort", %{"by" => by}, socket), do: {:noreply, assign(socket, :sort, String.to_atom(by))}
```

## Use instead
```elixir
sort = case by do "name" -> :name; "date" -> :date; _ -> :date end
```
or `String.to_existing_atom/1` for a known set.

## False positives
Conversions of compile-time literals are not flagged, nor, in an event or params handler, values that only
the page's own state reaches (`schema = socket.assigns.entry.__struct__`, then `Module.concat(schema, Translation)`;
`:"list_#{plural}"` of a name read off the socket's assigns or matched from the socket's pattern), nor
`Module.concat(parts)` of the parts of a quoted alias a clause's head matches (`{:__aliases__, _, parts}`: atoms of
code, as an interpreter of quoted code sees them). High confidence needs client input: a conversion
in `handle_event/3` or `handle_params/3`, or of `mount/3`'s params, whose clause has no `when x in [...]`
(or `when x in @sortable`) guard on the converted value, called or piped (`params |> Map.get("sort") |>
String.to_atom()`). A handler that bounds the value itself is low like a guard: a conversion only in the `do`
branch of `if by in @sortable` (a literal list or a module attribute, alone or and-ed; not or-ed, negated or in
`unless`), the keys of a map first cut to known keys in the handler (`params |> Map.take(["name"]) |> Map.new(fn
{k, v} -> {String.to_atom(k), v} end)`), and a list filtered against an allow-list before a captured conversion
(`cols |> Enum.filter(&(&1 in @cols)) |> Enum.map(&String.to_atom/1)`): a bounded set of atoms cannot exhaust the
table. Elsewhere (other callbacks,
helpers, config, node names) the input is usually trusted: low confidence, strict only, except a local
function converting its own parameter that an event or params handler calls (`defp parse_sort(by), do:
String.to_atom(by)`): the client's value unless the caller bounded it, medium, shown. So is an assign an event or
params handler fills with the client's value (`assign(socket, :sort_by, by)`; also through a renamed local, a
wrapper such as `String.trim/1`, `Map.get(params, "sort")`, `assign(socket, sort_by: v)` or `%{sort_by: v}`, or a
helper that returns a value built from the params, a field of a map assigned (`assign(socket, :filters, %{sort: by})`
then `socket.assigns.filters.sort`, `Map.get(socket.assigns.filters, :sort)` or `socket.assigns.filters[:sort]`), a
local helper that assigns it (`set_sort(socket, by)`) or a handle_info clause assigning a message sent to self
(`send(self(), {:sort, by})`, `Process.send_after(self(), msg, ms)`, the tuple bound to `msg` first); not a server value, a lookup in the page's own map or
`String.to_existing_atom/1`) converted elsewhere
(`String.to_atom(socket.assigns.sort_by)`), in a `~H` or, in project review, in the module's separate template
(`x_live.html.heex` beside `x_live.ex`: `{Map.get(@panels, String.to_atom(@tab))}`). A guard bounds a value only without an `or` alternative
(`when by in ~w(a b) or is_binary(by)` bounds nothing). A captured conversion
(`Enum.map(cols, &String.to_atom/1)`) converts every element it is given. Two shapes take any
string wherever they are: every key of a map made an atom (`Map.new(args, fn {k, v} -> {String.to_atom(k), v}
end)`: a string-keyed map is decoded input, trusted maps have atom keys already) and the rest of a string after
a matched prefix (`defp param("lb_" <> name), do: String.to_atom(name)`): medium, shown by default because a
true finding can stop the node. A value converted in such a `fn` (`fn {k, v} -> {k, String.to_atom(v)} end`)
stays low. Those two shapes are low too in code no client reaches (a mix task, a script under `scripts/`,
seeds, test support, a module whose name ends in `Test`), on a map first cut to known keys (`params |>
Map.take(@fields) |> Map.new(fn {k, v} -> {String.to_atom(k), v} end)`, or an `Enum.filter` keeping `k in
allowed`; also when the cut is a caller's: a helper `defp atomize_keys(map)` whose every call in the module
is given `Map.take(params, [...])`, piped, as the argument or through a variable bound to it), and where a security linter is told to skip this check
(`# sobelow_skip ["DOS.StringToAtom"]` above the function, a credo `UnsafeToAtom` waiver): the developers looked
at the input (a config file, a cluster node's name) and accepted it.

Three provenances are not the client's (blind judge round 10, issue 14). Only LiveView's `handle_event/3` and
`handle_params/3` (public, as callbacks are) are a page's handlers: a state machine's `handle_event/4`
(GenStateMachine, gen_statem), a socket client's `handle_event/2` or a GenServer's private `defp handle_event/3`
takes the server's own messages, and neither they nor the helpers they call count as the
client's. The keys of a map the function reads from no argument stay low: a call on no variable
(`Process.get(:counters) |> Map.new(fn {k, v} -> ...)`), or a variable bound to one, or a field of it (`timings =
read_timings()` then `Map.new(timings.stages, fn ...)`): decoded input has to come in through an argument, and a map
read from the process's own state or config holds the names its code wrote. A map the function is handed or decodes
from an argument (`Jason.decode!(body)`) is still medium. And in an event handler, a node name or cookie
(`node = String.to_atom(name)`, `Node.set_cookie(node, String.to_atom(cookie))`, a value bound to `node`, `cookie`,
`*_node` or handed to a `Node`, `:net_kernel` or `:rpc` call) is low: Erlang distribution takes them only as atoms,
so there is no `to_existing_atom` fix, and a user who may pick the node to attach to already runs code on it. Any
other client value in the same handler is still high.

## Severity and confidence
Error, harm security: atoms are never collected, so input-made atoms can exhaust the table and stop the node.
High for client input; medium for map keys, string rests and a handler's helper; low elsewhere, and for node names.

## References
knowledge: security#treat-payloads-and-params-as-untrusted
"""

import bisect
import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, call_parts, calls, text, walk
from ...helpers import hit, in_callback
from ...provenance import params_maps, payload_bindings
from ...taint import Flow, bind, follow, payload_flow, value_of
from ...taint import _entries as taint_entries
from ...taint import _statements as taint_statements
from ...reading_limits import reached
from ...rule import Hit, Rule

RULE = Rule(
    slug="unsafe_atom_creation", code="LV604", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="Atoms created from input can exhaust the atom table.",
    fix="Match known strings, or use String.to_existing_atom/1.",
    cites="security#treat-payloads-and-params-as-untrusted", harm="security",
)


def check(ctx):
    if ctx.language == "heex":
        # A separate template (`x_live.html.heex`): in project review the module beside it says which assigns its
        # event and params handlers fill from the client.
        if ctx.companion_source is not None and "to_atom" in ctx.source:
            yield from _converted_in_templates(ctx, _assigns_of(ctx, ctx.companion_module))
        return
    heads: dict[int, tuple[set[str], set[str]]] = {}  # per clause: (names its guard bounds, mount params), read once
    waivers = False  # the file's linter waivers, read at the first conversion that needs them
    handled = None  # local functions the event and params handlers call, read at the first helper conversion
    modules = None  # whether the path is internal code, and the rows where modules open: read once when needed
    helpers: dict = {}  # (helper, parameter position) -> whether every caller cuts the map to known keys
    string_names = _string_module_names(ctx.source)
    client_assigns = None  # assigns an event or params handler fills with the client's value, read once when needed
    origins: dict = {}  # per handler clause: (names the client's values reach, names only the server's reach)
    for node, module, name in ctx.calls({"to_atom", "binary_to_atom", "list_to_atom", "concat", "binary_to_term"}):
        if module in string_names or (module is None and name == "to_atom" and None in string_names):
            module = "String"  # `alias String, as: S` then `S.to_atom(x)`; `import String, only: [to_atom: 1]`
        if module not in ("String", ":erlang", "List") and (module, name) != ("Module", "concat"):
            continue
        if name == "binary_to_term" and (module != ":erlang" or ":safe" in text(node)):
            continue  # `binary_to_term(bin, [:safe])` makes no new atom
        # `params |> Map.get("sort") |> String.to_atom()`; `Enum.map(cols, &String.to_atom/1)` converts every
        # element of the call it is given to.
        args = call_arguments(node) or _piped_into(node) or _captured_in(node)
        if name == "concat":
            args = _dynamic_parts(args)  # `Module.concat([MyApp.Widgets, type])`: only the parts not written in code
        if not args or args[0].type in ("string", "charlist", "atom"):
            continue
        clause = in_callback(ctx, node)
        bounded, params = _head(clause, heads) if clause is not None else (set(), set())
        # Only the value the guard names is bounded: `when dir in ~w(asc desc)` says nothing of `by`.
        guarded = bool(bounded) and not set(WORD.findall(text(args[0]))).isdisjoint(bounded)
        # Client-controlled input arrives in events and URL params; a guard such as `when dir in ["asc",
        # "desc"]` already bounds it.
        from_client = clause is not None and ((_page_handler(clause))
                                              or _reads_mount_params(params, args[0]))
        if clause is not None and name == "concat" and _quoted_alias_parts(clause, args[0]):
            continue  # `defp run({:__aliases__, _, parts}), do: Module.concat(parts)`: code's own atoms
        if from_client and clause.name in HANDLERS and _server_only(clause, args[0], origins):
            client_assigns = _assigns_of(ctx, ctx.module) if client_assigns is None else client_assigns
            if not _reads_client_assign(text(args[0]), client_assigns):
                continue  # `schema = socket.assigns.entry.__struct__`: the page's own value, not the client's
        if name == "binary_to_term" and not (from_client and _reads_payload(clause, args[0])):
            continue  # only the client's bytes are a risk; a term the server stored itself (ETS, a column) is not
        # Bounded in the handler itself: converted only in the branch of `if by in @sortable`, or keys of a map
        # (elements of a list) first cut to an allow-list (`Map.take(params, [...])`, `Enum.filter(&(&1 in
        # @cols))`): low, like a guard.
        if from_client and not guarded:
            guarded = _allow_listed(ctx, node, args, clause, helpers)
        # A local helper converting its own parameter, called from an event or params handler (`defp
        # parse_sort(by), do: String.to_atom(by)`): the client's value, unless the caller bounded it: medium.
        if clause is not None and not from_client and not guarded and _converts_parameter(clause, args[0]):
            handled = _called_from_handlers(ctx) if handled is None else handled
            if (clause.name, clause.arity) in handled:
                yield hit(node, f"{code_span(f'{module}.{name}')} in {code_span(clause.name)}, called from an "
                          "event or params handler, on a value that may come from the client.", "medium")
                continue
        # Elsewhere (other callbacks, helpers, config) the value is usually trusted: low, strict only. Two
        # shapes are unbounded wherever they are: every key of a string-keyed map made an atom, and the rest
        # of a string after a matched prefix: medium, shown because a true finding can stop the node.
        # An assign a handler fills with the client's value, converted elsewhere (`assign(socket, :sort_by, by)` in
        # handle_event, then `String.to_atom(socket.assigns.sort_by)` in a helper): the client's value: medium.
        held = _held_assign(text(args[0]).strip())
        if held and not from_client and not guarded:
            client_assigns = _assigns_of(ctx, ctx.module) if client_assigns is None else client_assigns
            if held in client_assigns:
                yield hit(node, f"{code_span(f'{module}.{name}')} on {code_span(text(args[0]).strip())}, which "
                          f"{code_span(client_assigns[held])} fills with a value the client sends.", "medium")
                continue
        unbounded = not from_client and _unbounded(node, text(args[0])) and not _keys_filtered(
            ctx, node, clause, helpers) and not _server_made_map(node, clause)
        if unbounded:
            modules = _modules(ctx) if modules is None else modules
            unbounded = not _internal_code(modules, node)
        if unbounded:
            waivers = _waivers(ctx.source) if waivers is False else waivers
            unbounded = not _waived(waivers, node)
        if from_client and not guarded and _distribution_name(node):
            # `node = String.to_atom(name)`, `Node.set_cookie(node, String.to_atom(cookie))`: distribution takes a
            # node's name and cookie only as atoms, and whoever may pick the node to attach already runs code
            # there: low, strict only.
            yield hit(node, f"{code_span(f'{module}.{name}')} makes a node name or cookie from a value the client "
                      "sends: check that only trusted users reach this handler.", "low")
            continue
        yield hit(node, f"{code_span(f'{module}.{name}')} on a value that may come from the client.",
                  None if from_client and not guarded else "medium" if unbounded else "low")
    yield from _other_atom_makers(ctx, heads, origins)
    yield from _converted_in_templates(ctx, client_assigns)


# A conversion of an assign inside a ~H template (`{Map.get(@panels, String.to_atom(@tab))}`): the Elixir tree does
# not see into the sigil.
TEMPLATE_CONVERSION = re.compile(r"(?:String\.to_atom|:erlang\.binary_to_atom|:erlang\.list_to_atom|List\.to_atom)"
                                 r"\(\s{0,8}@([a-z_]\w{0,60}(?:\.[a-z_]\w{0,60})?)\s{0,8}[,)]")


def _converted_in_templates(ctx, client_assigns: dict[str, str] | None):
    """Medium for a template converting an assign an event or params handler fills with the client's value."""
    for template in ctx.templates:
        for node, expression in template.expressions():
            for converted in TEMPLATE_CONVERSION.finditer(expression):
                client_assigns = _assigns_of(ctx, ctx.module) if client_assigns is None else client_assigns
                handler = client_assigns.get(converted.group(1))
                if handler is not None:
                    line, column = template.position(node)
                    yield Hit(line=line, column=column, confidence="medium",
                              message=f"The template converts {code_span('@' + converted.group(1))} to an atom; "
                                      f"{code_span(handler)} fills it with a value the client sends.")


# A read of an assign: `socket.assigns.sort_by`, `assigns.sort_by`, `@sort_by`.
ASSIGN_READ = re.compile(r"(?:socket\.assigns|assigns)\.([a-z_]\w{0,60})|@([a-z_]\w{0,60})")
# A field of an assign the client filled through a map (`socket.assigns.filters.sort`): read as `filters.sort`.
FIELD_READ = re.compile(r"(?:socket\.assigns|assigns)\.([a-z_]\w{0,60}\.[a-z_]\w{0,60})|@([a-z_]\w{0,60}\.[a-z_]\w{0,60})")
# The same field read by key: `Map.get(socket.assigns.filters, :sort)` (a default too), `socket.assigns.filters[:sort]`.
FIELD_GOT = re.compile(r"Map\.(?:get|fetch!)\(\s{0,8}(?:socket\.assigns\.|assigns\.|@)([a-z_]\w{0,60})\s{0,8},\s{0,8}"
                       r":([a-z_]\w{0,60})\s{0,8}(?:,[^()]{0,200})?\)")
FIELD_INDEXED = re.compile(r"(?:socket\.assigns\.|assigns\.|@)([a-z_]\w{0,60})\[\s{0,8}:([a-z_]\w{0,60})\s{0,8}\]")


def _held_assign(expression: str) -> str | None:
    """The assign (`sort`) or assign field (`filters.sort`) an expression reads whole: `socket.assigns.sort`,
    `@filters.sort`, `Map.get(socket.assigns.filters, :sort)`, `socket.assigns.filters[:sort]`; else None."""
    held = ASSIGN_READ.fullmatch(expression) or FIELD_READ.fullmatch(expression)
    if held:
        return held.group(1) or held.group(2)
    keyed = FIELD_GOT.fullmatch(expression) or FIELD_INDEXED.fullmatch(expression)
    return f"{keyed.group(1)}.{keyed.group(2)}" if keyed else None


def _reads_payload(clause, argument) -> bool:
    """The argument reads the handler's payload: a variable its pattern binds or the params map itself."""
    head = clause.signature
    variables = {var for _, var in payload_bindings(head)} | (params_maps(text(clause.params[-2])) if len(clause.params) >= 2
                                                              else set())
    return not variables.isdisjoint(WORD.findall(text(argument)))


def _reads_client_assign(expression: str, client_assigns: dict[str, str]) -> bool:
    """The expression reads an assign some handler of the module fills from the client (`socket.assigns.tab` after
    `assign(socket, :tab, tab)` in handle_params), directly or through a name matched from the socket's assigns: a
    value kept in the socket is still the client's (audit 10 M4)."""
    read = set(re.findall(r"(?:\bassigns\.|@)([a-z_]\w*)", expression)) | set(re.findall(r"\b([a-z_]\w*)\b", expression))
    return not read.isdisjoint(client_assigns)


# The handlers whose parameter at this position is the client's map: an event's payload, the URL's params.
CLIENT_HANDLERS = (("handle_event", 3, 1), ("handle_params", 3, 0), ("mount", 3, 0))
ASSIGNERS = {None, "Phoenix.Component", "Phoenix.LiveView"}  # `assign(...)`, `Phoenix.Component.assign(...)`
HELPER_NODES = 20_000  # nodes of the module's helpers read for their return values, per module (4,000 cut real code)
BOUNDING = {("String", "to_existing_atom")}  # a conversion whose result is bounded by the atoms that already exist


def _assigns_of(ctx, module) -> dict[str, str]:
    """_client_assigns of a module, read once per review of the file however many conversions and rules ask."""
    return ctx.text.once(f"unsafe_atom_creation:client_assigns:{id(module)}", lambda: _client_assigns(module))


def _client_assigns(module) -> dict[str, str]:
    """assign -> the handler that fills it with the client's value, read from the module's tree (review/taint.py):
    the payload's or URL params' values followed through matches, renamed locals, access and `Map.get`, wrappers
    (`String.trim/1`), pipes, `||` defaults and the module's own helpers' return values, to `assign(socket, :key, v)`,
    its keyword and map forms (`assign(socket, sort: v)`, `assign(socket, %{sort: v})`, piped or not) and
    `update(socket, :key, fn)` given a client value (audit 10 M4; audit 11 M2: a renamed local, a wrapper, the
    keyword and map forms or a helper hid the client's value). A server value, a lookup of the client's value in the
    server's own map (`Map.get(@sorts, by)`) and `String.to_existing_atom` are not the client's. Each handler clause
    is read once; helpers' bodies at most HELPER_NODES nodes in all, each once per values handed to it."""
    found: dict[str, str] = {}
    if module is None:
        return found
    returns = _helper_returns(module)
    reader = _AssignReader(module, returns, found)
    for name, arity, position in CLIENT_HANDLERS:
        for clause in module.clauses_of(name, arity):
            if clause.body is None or len(clause.params) <= position:
                continue
            reader.read(clause.body, payload_flow(clause, module, position, returns), name)
    # A client value sent to the page's own process (`send(self(), {:sort, by})`) and assigned by the handle_info
    # clause that matches the message (`handle_info({:sort, by}, socket)`): the client's value all the same.
    for clause in module.clauses_of("handle_info", 2) if reader.messages else ():
        pattern = clause.params[0] if clause.params else None
        elements = pattern.named_children if pattern is not None and pattern.type == "tuple" else []
        sent = reader.messages.get(text(elements[0])) if elements and elements[0].type == "atom" else None
        if sent is None or clause.body is None:
            continue
        flow = Flow(returns=returns)
        for element, value in zip(elements[1:], sent[1]):
            bind(element, value, flow)
        reader.read(clause.body, follow(clause.body, flow, module), sent[0])
    return found


HELPER_READS = 200  # local helpers' bodies read for the assigns they make, per module (each once per values given)


class _AssignReader:
    """The assigns a handler body sets from the client's values (`assign(socket, :key, v)`, its keyword and map
    forms, `update/3`), a map's keys counted as fields of the assign (`assign(socket, :filters, %{sort: by})`
    fills `filters.sort`), this module's helpers handed a client value followed for their own assigns
    (`set_sort(socket, by)`), and the messages sent to self with a client value kept for handle_info."""

    def __init__(self, module, returns, found: dict[str, str]):
        self.module, self.returns, self.found = module, returns, found
        self.messages: dict[str, tuple[str, tuple]] = {}  # `:sort` -> (handler, values of the message's other elements)
        self.seen: set = set()
        self.helpers = HELPER_READS
        self.budget = HELPER_NODES

    def read(self, body, flow, handler: str, helper: bool = False) -> None:
        tuples: dict[str, object] = {}  # `msg = {:sort, by}`: the message a later `send(self(), msg)` sends
        for node in walk(body):
            if helper:
                self.budget -= 1
                if self.budget <= 0:  # the rest of the helpers is not read: the review says so (audit 13 A13-3)
                    reached(f"helpers of one module past {HELPER_NODES:,} syntax nodes")
                    return
            if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "=":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and left.type == "identifier" and right is not None and right.type == "tuple":
                    tuples[text(left)] = right
                continue
            if node.type != "call":
                continue
            remote, called = call_parts(node)
            # A message to the page's own process: `send(self(), msg)`, `Process.send(self(), msg, [])`,
            # `Process.send_after(self(), msg, ms)`, the tuple written there or bound to a name before.
            if (remote, called) in SENDERS:
                arguments = call_arguments(node)
                message = arguments[1] if len(arguments) >= 2 and text(arguments[0]).strip() == "self()" else None
                if message is not None and message.type == "identifier":
                    message = tuples.get(text(message))
                if message is not None and message.type == "tuple":
                    self._sent(message, flow, handler)
                continue
            if remote in ASSIGNERS and called in ("assign", "update"):
                arguments = call_arguments(node)
                if not _piped_socket(node):
                    arguments = arguments[1:]  # the socket
                for key, value in _assigned_pairs(called, arguments):
                    if key not in self.found and _client_value(value, flow, called):
                        self.found[key] = handler
                    if called == "assign" and value.type in ("map", "keywords", "list"):
                        for field, inner in taint_entries(value):
                            if f"{key}.{field}" not in self.found and _client_value(inner, flow, called):
                                self.found[f"{key}.{field}"] = handler
                continue
            if remote is not None:
                continue
            arguments = call_arguments(node)
            given = [value_of(a, flow) for a in arguments]
            if _piped_socket(node):
                given = [None] + given
            if not any(v is not None for v in given):
                continue
            for clause in self.module.clauses_by_name.get((called, len(given)), []):
                key = (clause.node.id, tuple(given))
                if clause.body is None or key in self.seen:
                    continue
                if self.helpers <= 0 or self.budget <= 0:
                    reached(f"more than {HELPER_READS} helper reads or {HELPER_NODES:,} helper syntax nodes in one module")
                    continue
                self.seen.add(key)
                self.helpers -= 1
                inner = Flow(budget=self.budget, returns=self.returns)
                for parameter, value in zip(clause.params, given):
                    bind(parameter, value, inner)
                follow(clause.body, inner, self.module, depth=0)
                self.budget = min(self.budget, inner.budget)
                self.read(clause.body, inner, handler, helper=True)


    def _sent(self, message, flow, handler: str) -> None:
        """Keep a message sent to self (`{:sort, by}`) whose values are the client's, for handle_info."""
        elements = message.named_children
        if elements and elements[0].type == "atom":
            values = tuple(value_of(e, flow) for e in elements[1:])
            if any(v is not None for v in values):
                self.messages.setdefault(text(elements[0]), (handler, values))


SENDERS = {(None, "send"), ("Kernel", "send"), ("Process", "send"), ("Process", "send_after")}


def _piped_socket(node) -> bool:
    """`socket |> assign(:key, v)`: the socket comes through the pipe."""
    parent = node.parent
    return parent is not None and parent.type == "binary_operator" and \
        text(parent.child_by_field_name("operator")) == "|>" and parent.child_by_field_name("right") == node


def _assigned_pairs(called: str, arguments: list) -> list:
    """(assign, value node) of each assign an `assign`/`update` call (its socket left out) sets."""
    if not arguments:
        return []
    if len(arguments) >= 2 and arguments[0].type == "atom":
        return [(text(arguments[0]).lstrip(":"), arguments[1])]
    if called == "assign" and len(arguments) == 1 and arguments[0].type in ("keywords", "map", "list"):
        return [(key, value) for key, value in taint_entries(arguments[0])]
    return []


def _client_value(value, flow, called: str) -> bool:
    """The value set is the client's: for `update/3`, a function that adds a client value (`&[kind | &1]`)."""
    if called == "update":
        return any(flow.env.get(word) is not None for word in WORD.findall(text(value)[:400]))
    if _bounding(value):
        return False
    return value_of(value, flow) is not None


def _bounding(value) -> bool:
    """`String.to_existing_atom(by)`, or a pipe ending in it."""
    while value.type == "binary_operator" and text(value.child_by_field_name("operator")) == "|>":
        value = value.child_by_field_name("right")
    return value.type == "call" and call_parts(value) in BOUNDING


def _helper_returns(module):
    """Flow.returns for this module: the client's part of what a local function returns when handed client values
    (`defp sort_key(params), do: String.downcase(params["sort"])`), its last expression read after its body is
    followed; each (function, values) read once, HELPER_NODES helper nodes in all, a function met again while it is
    being read (recursion) taken as the server's."""
    memo: dict[tuple, object] = {}
    budget = [HELPER_NODES]

    def returns(name: str, given: tuple):
        key = (name, given)
        if key in memo:
            return memo[key]
        memo[key] = None  # while it is read: a recursive call returns the server's value
        result = None
        for helper in module.clauses_by_name.get((name, len(given)), []):
            if helper.body is None:
                continue
            if budget[0] <= 0:
                reached(f"helpers' return values past {HELPER_NODES:,} syntax nodes in one module")
                continue
            inner = Flow(budget=budget[0], returns=returns)
            for parameter, value in zip(helper.params, given):
                bind(parameter, value, inner)
            follow(helper.body, inner, module, depth=0)
            budget[0] = min(budget[0], inner.budget)
            statements = taint_statements(helper.body)
            result = result or (value_of(statements[-1], inner) if statements else None)
        memo[key] = result
        return result

    return returns


STRING_ALIAS = re.compile(r"\balias\s+String\s*,\s*as:\s*([A-Z]\w{0,60})")
STRING_IMPORT = re.compile(r"\bimport\s+String\b(?:\s*,\s*only:\s*\[[^\]\n]{0,200}\bto_atom:)?")
ATOM_KEYS = re.compile(r"\bkeys:\s*:atoms\b(?!!)")


def _string_module_names(source: str) -> set[str | None]:
    """The names String goes by in this file: its aliases, and None when `to_atom` is imported bare."""
    names: set[str | None] = set(STRING_ALIAS.findall(source)) if "alias String" in source else set()
    if "import String" in source and STRING_IMPORT.search(source):
        names.add(None)
    return names


def _other_atom_makers(ctx, heads: dict, origins: dict):
    """Atoms made from an event's or URL's value without a to_atom call: an interpolated quoted atom or keyword
    key (`:"#{params["name"]}"`, `"#{k}": 1`), a JSON decode with `keys: :atoms` (`keys: :atoms!` makes no
    new atom) and the conversion called by name (`apply(String, :to_atom, [name])`). Medium: a prefix may bound part of it, but what follows is the client's."""
    for node in ctx.nodes:
        if node.type in ("quoted_atom", "quoted_keyword") and any(c.type == "interpolation" for c in node.children):
            made = f"the atom {text(node)[:40]}"
        elif node.type == "call" and text(node).startswith(("Jason.decode", "Poison.decode")) and \
                ATOM_KEYS.search(text(node)[:400]):
            made = "decoding with keys: :atoms"
        elif node.type == "call" and text(node).startswith(("apply(", "Kernel.apply(")) and _applied_conversion(node):
            made = _applied_conversion(node)
        else:
            continue
        clause = in_callback(ctx, node)
        if clause is None or not _page_handler(clause):
            continue
        bounded, _ = _head(clause, heads)
        if bounded and not set(WORD.findall(text(node))).isdisjoint(bounded):
            continue
        if _server_only(clause, node, origins) and not _reads_client_assign(
                text(node), _assigns_of(ctx, ctx.module)):
            continue  # `:"list_#{plural}"` with `plural = socket.assigns.schema.__naming__().plural`: the page's names
        yield hit(node, f"{code_span(made)} in {code_span(clause.name)} makes atoms from a value the client sends; "
                  "the atom table is never collected.", "medium")


APPLIED = {("String", ":to_atom"), (":erlang", ":binary_to_atom"), (":erlang", ":list_to_atom"), ("List", ":to_atom")}


def _applied_conversion(node) -> str | None:
    """`apply(String, :to_atom, [name])` (also `:erlang`'s and List's): the conversion called by name, on a value
    that is not a literal."""
    arguments = call_arguments(node)
    if len(arguments) != 3 or (text(arguments[0]).strip(), text(arguments[1]).strip()) not in APPLIED:
        return None
    values = arguments[2].named_children if arguments[2].type == "list" else []
    if values and values[0].type in ("string", "charlist", "atom"):
        return None
    return f"apply({text(arguments[0]).strip()}, {text(arguments[1]).strip()}, ...)"


def _piped_into(node) -> list:
    """`[left]` when node is the right side of `left |> node`, else no arguments."""
    parent = node.parent
    if parent is None or parent.type != "binary_operator" or text(parent.child_by_field_name("operator")) != "|>":
        return []
    right, left = parent.child_by_field_name("right"), parent.child_by_field_name("left")
    return [left] if right is not None and left is not None and right.id == node.id else []


LITERAL_PARTS = ("alias", "atom", "string", "charlist", "quoted_atom")


def _dynamic_parts(args) -> list:
    """The parts of a `Module.concat` that are not aliases or literals (each made an atom when joined)."""
    parts = [item for arg in args for item in (arg.named_children if arg.type == "list" else [arg])]
    return [part for part in parts if part.type not in LITERAL_PARTS and text(part) != "__MODULE__"]


def _captured_in(node) -> list:
    """`[call]` when node is captured as an argument of a call (`Enum.map(cols, &String.to_atom/1)`): the call
    whose elements it converts."""
    capture = node.parent.parent if node.parent is not None else None
    if capture is None or capture.type != "unary_operator" or not text(capture).startswith("&"):
        return []
    holder = capture.parent.parent if capture.parent is not None and capture.parent.type == "arguments" else None
    return [holder] if holder is not None and holder.type == "call" else []


HANDLERS = ("handle_event", "handle_params")


def _page_handler(clause) -> bool:
    """LiveView's handle_event/3 or handle_params/3, a public callback: a state machine's handle_event/4, a socket
    client's handle_event/2 or a private `defp handle_event/3` dispatching a GenServer's messages takes the
    server's own data."""
    return clause.name in HANDLERS and clause.arity == 3 and clause.kind != "defp"


def _converts_parameter(clause, argument) -> bool:
    """The clause is a local function (no callback) converting one of its own parameters as is."""
    if clause.name in HANDLERS or clause.name.startswith("handle_") or clause.name in ("mount", "update"):
        return False
    names = {n for param in clause.params for n in WORD.findall(text(param))}
    return text(argument) in names


def _quoted_alias_parts(clause, argument) -> bool:
    """The value is the parts of a quoted alias the clause's head matches (`defp run({:__aliases__, _, parts})`):
    atoms of code already, not the client's text."""
    return any(ALIAS_PARTS.search(text(param)) and re.search(
        r"\{\s{0,4}:__aliases__\s{0,4},[^,{}]{1,40},\s{0,4}" + re.escape(text(argument)) + r"\s{0,4}\}", text(param))
        for param in clause.params)


ALIAS_PARTS = re.compile(r":__aliases__")
HELPER_DEPTH = 3  # local calls followed from a handler: handle_event -> parse/1 -> to_key/1 -> String.to_atom


def _called_from_handlers(ctx) -> set[tuple[str, int]]:
    """(name, arity) of the local functions this module's `handle_event/3` and `handle_params/3` call, and the
    local functions those call, HELPER_DEPTH levels down."""
    clauses = ctx.module.clauses if ctx.module is not None else []

    def local_calls(clause) -> set[tuple[str, int]]:
        return {(name, len(call_arguments(call)) + _piped(call)) for call, module, name in calls(clause.body)
                if module is None} if clause.body is not None else set()

    called: set[tuple[str, int]] = set()
    frontier = set().union(*(local_calls(c) for c in clauses if _page_handler(c))) \
        if clauses else set()
    for _ in range(HELPER_DEPTH):
        called |= frontier
        frontier = set().union(*(local_calls(c) for c in clauses if (c.name, c.arity) in frontier)) - called
        if not frontier:
            break
    return called


def _piped(call) -> int:
    """1 when the call takes its first argument from a pipe (`by |> parse_sort()`), else 0."""
    return 1 if call.parent is not None and call.parent.type == "binary_operator" and \
        text(call.parent.child_by_field_name("operator")) == "|>" and call.parent.child_by_field_name("right").id == call.id \
        else 0


# A security linter told to skip this very check here: the developers looked at the input and accepted it.
WAIVER = re.compile(r"sobelow_skip\s{0,4}\[[^\]\n]{0,200}DOS\.(?:StringToAtom|BinToAtom|ListToAtom)|"
                    r"credo:disable-for-(?:next-line|this-file|lines:[^\n]{0,40})[^\n]{0,80}UnsafeToAtom")
DEF_LINE = re.compile(r"^\s{0,40}defp?\s")
WAIVER_REACH = 200  # lines looked up for the enclosing def


def _waivers(source: str) -> tuple[list[str], bool] | None:
    """The file's lines and whether a waiver covers the whole file, or None when it holds no waiver at all
    (read once per file)."""
    if "UnsafeToAtom" not in source and "sobelow_skip" not in source:
        return None
    lines = source.splitlines()
    return lines, any(WAIVER.search(line) and "this-file" in line for line in lines)


def _waived(waivers: tuple[list[str], bool] | None, node) -> bool:
    """A waiver for this check on the line above the conversion, above its enclosing `def` (where
    `# sobelow_skip ["DOS.StringToAtom"]` goes), or for the whole file."""
    if waivers is None:
        return False
    lines, whole_file = waivers
    row = node.start_point[0]
    if whole_file:
        return True
    if row > 0 and WAIVER.search(lines[row - 1]):
        return True
    for index in range(row, max(-1, row - WAIVER_REACH), -1):
        if DEF_LINE.match(lines[index]):
            # The comments and attributes right above the def (`# sobelow_skip [...]`, `@spec ...`).
            above = index - 1
            while above >= 0 and lines[above].lstrip().startswith(("#", "@")) and index - above <= 8:
                if WAIVER.search(lines[above]):
                    return True
                above -= 1
            return False
    return False


ENCLOSING_LEVELS = 8  # parents looked at for the enclosing `fn` or `def`


def _unbounded(node, argument: str) -> bool:
    """The argument is the key of a `fn {k, v} ->` over a map's pairs, or the rest of a string bound by a
    `"prefix" <> rest` pattern of the enclosing function head or `fn`: any string at all."""
    if not re.fullmatch(r"[a-z_]\w{0,60}", argument):
        return False
    key = re.compile(r"\{\s{0,20}" + argument + r"\s{0,20},")
    rest = re.compile(r"\"[^\"\n]{0,80}\"\s{0,20}<>\s{0,20}" + argument + r"\b")
    for _ in range(ENCLOSING_LEVELS):
        node = node.parent
        if node is None:
            return False
        if node.type == "anonymous_function":
            head = text(node)[:200].split("->", 1)[0]
            return bool(key.search(head) or rest.search(head))
        if node.type == "call" and text(node)[:5] in ("def ", "defp "):
            return bool(rest.search(text(call_arguments(node)[0])[:300])) if call_arguments(node) else False
    return False


# Code no client reaches: mix tasks, one-off scripts, seeds, test support and test-only modules.
INTERNAL_PATH = re.compile(r"(?:^|/)(?:mix/tasks|scripts|test/support|priv/repo)/|_test\.exs?$")
INTERNAL_MODULE = re.compile(r"^Mix\.Tasks\.|Test$")


DEFMODULE = re.compile(r"^\s{0,40}defmodule\s{1,8}([\w.]{1,200})", re.M)


def _modules(ctx) -> tuple[bool, list[int], list[str]]:
    """Whether the file's path is internal code, and the rows and names of its `defmodule`s (read once)."""
    path = (ctx.path or ctx.filename or "").replace("\\", "/")
    rows, names = [], []
    for match, line in ctx.text.every(DEFMODULE):  # scanned once per file, not once per module unit
        rows.append(line - 1)
        names.append(match.group(1))
    return bool(INTERNAL_PATH.search(path)), rows, names


def _internal_code(modules: tuple[bool, list[int], list[str]], node) -> bool:
    """The file is a mix task, script, seed or test support (by its path), or the conversion is in a module
    named `Mix.Tasks.*` or `...Test` (the last `defmodule` opened above it)."""
    internal_path, rows, names = modules
    index = bisect.bisect_right(rows, node.start_point[0]) - 1
    return internal_path or (index >= 0 and INTERNAL_MODULE.search(names[index]) is not None)


# A map cut down to known keys before its keys are converted: `Map.take(params, @fields)`, or a filter
# keeping the keys `in` an allowed list.
KEY_FILTER = re.compile(r"(?:Map\.take|Map\.filter|Enum\.filter|Enum\.reject)\(")


def _keys_filtered(ctx, node, clause, helpers) -> bool:
    """The `fn {k, v}` converting keys is given a map already cut to known keys: piped from, or called on,
    `Map.take(...)` or a filter over `k in allowed`, a variable of the clause bound to one, or the parameter
    of a local helper (`defp atomize_keys(map)`) that every caller in the module gives such a map."""
    source = _mapped_source(node)
    if source is None:
        return False
    if _filtered(source, clause):
        return True
    position = _parameter_position(clause, source)
    if position is None:
        return False
    key = (clause.name, clause.arity, position)
    if key not in helpers:
        helpers[key] = _every_caller_filters(ctx, clause, position)
    return helpers[key]


# Erlang distribution's calls that take a node name or cookie atom, and the names such atoms are bound to.
DISTRIBUTION = re.compile(r"(?:Node\.(?:connect|disconnect|ping|set_cookie|spawn\w{0,6}|monitor)|:erlang\.set_cookie|"
                          r":net_kernel\.(?:connect_node|monitor_nodes)|:e?rpc\.\w{1,20}|:net_adm\.ping)\($")
NODE_NAME = re.compile(r"(?:\w{0,30}_)?(?:node|cookie)(?:_name)?")


def _distribution_name(node) -> bool:
    """The converted value is a node's name or cookie: bound to `node`/`cookie` (`node = String.to_atom(name)`,
    `target_node`, `cookie_name`), or handed straight to a distribution call (`Node.set_cookie(node,
    String.to_atom(cookie))`, `Node.connect(String.to_atom(name))`)."""
    parent = node.parent
    if parent is not None and parent.type == "binary_operator" and text(parent.child_by_field_name("operator")) == "=":
        right, left = parent.child_by_field_name("right"), parent.child_by_field_name("left")
        return right is not None and right.id == node.id and NODE_NAME.fullmatch(text(left).strip()) is not None
    call = parent.parent if parent is not None and parent.type == "arguments" else None
    if call is None or call.type != "call":
        return False
    head = text(call)[:60].split("(", 1)[0] + "("
    return DISTRIBUTION.match(head) is not None


def _mapped_source(node):
    """The map a `fn {k, v} -> ... end` holding the node is given (`Map.new(map, fn ...)`, `map |> Map.new(fn
    ...)`), or None."""
    for _ in range(ENCLOSING_LEVELS):
        node = node.parent
        if node is None:
            return None
        if node.type == "anonymous_function":
            break
    else:
        return None
    call = node.parent.parent if node.parent is not None and node.parent.type == "arguments" else None
    if call is None or call.type != "call":
        return None
    arguments = call_arguments(call)
    if arguments and arguments[0].id != node.id:
        return arguments[0]
    piped = _piped_into(call)
    return piped[0] if piped else None


# A name in code that is a variable: not a field or function after a dot, an atom, an attribute, a keyword key or a
# call.
VARIABLE = re.compile(r"(?<![.\w:@])[a-z_]\w{0,60}(?![\w(:!?])")
STRING = re.compile(r'"(?:[^"\\\n]|\\.){0,200}"')


def _argument_free(expression: str) -> bool:
    """The expression reads no variable: `read_timings()`, `Process.get(:counters, %{})`, `@defaults` (strings,
    atoms and keyword keys aside)."""
    return VARIABLE.search(STRING.sub('""', expression)) is None


def _server_made_map(node, clause) -> bool:
    """The map whose keys are made atoms is the function's own, reached from no argument: a call on no variable
    (`Process.get(:counters) |> Map.new(fn ...)`), or a variable the clause bound to one, or a field of it
    (`timings = read_timings()`, then `Map.new(timings.stages, fn ...)`). Decoded input has to come in through an
    argument; a map the server reads from its own state or config holds the keys its code wrote."""
    source = _mapped_source(node)
    if source is None or clause is None or clause.body is None or len(text(source)) > 400:
        return False
    if source.type == "binary_operator" and text(source.child_by_field_name("operator")) == "|>":
        source = source.child_by_field_name("left")
        while source is not None and source.type == "binary_operator" and text(
                source.child_by_field_name("operator")) == "|>":
            source = source.child_by_field_name("left")
    written = text(source).strip() if source is not None else ""
    root = re.fullmatch(r"([a-z_]\w{0,60})(?:\.[a-z_]\w{0,60}){0,4}", written)
    if root is None:
        return bool(written) and source.type == "call" and _argument_free(written)
    name = root.group(1)
    if any(name in VARIABLE.findall(text(param)) for param in clause.params):
        return False
    bound = _bound_to(clause, name, source.start_byte)
    return bound is not None and bound.type == "call" and len(text(bound)) <= 400 and _argument_free(text(bound))


def _filtered(source, clause) -> bool:
    """The expression is a map cut to known keys, or a variable the clause bound to one (`attrs =
    Map.take(params, [...])`)."""
    if source.type == "binary_operator" and text(source.child_by_field_name("operator")) == "|>":
        source = source.child_by_field_name("right")
    if source is not None and source.type == "identifier" and clause is not None and clause.body is not None:
        source = _bound_to(clause, text(source), source.start_byte)
    found = KEY_FILTER.match(text(source)) if source is not None else None
    return bool(found) and (found.group(0).startswith("Map.take") or re.search(r"\bin\b", text(source)) is not None)


def _bound_to(clause, name: str, before: int):
    """The last expression `name = ...` binds in the clause before the given byte, its pipe's last step."""
    bound = None
    for match in walk(clause.body):
        if match.start_byte >= before:
            break
        if match.type == "binary_operator" and text(match.child_by_field_name("operator")) == "=" and \
                text(match.child_by_field_name("left")) == name:
            bound = match.child_by_field_name("right")
    if bound is not None and bound.type == "binary_operator" and text(bound.child_by_field_name("operator")) == "|>":
        bound = bound.child_by_field_name("right")
    return bound


def _parameter_position(clause, source) -> int | None:
    """Where the helper's parameter the map comes from sits in its head (`defp atomize_keys(map)`: 0)."""
    if clause is None or source.type != "identifier" or clause.name.startswith("handle_"):
        return None
    names = [text(param) for param in clause.params]
    return names.index(text(source)) if text(source) in names else None


MOST_CALLERS = 50  # calls of one helper looked at


def _every_caller_filters(ctx, clause, position: int) -> bool:
    """Every call of the helper in the module (at least one, at most MOST_CALLERS) gives it, at that
    position, a map cut to known keys: `params |> Map.take(@fields) |> atomize_keys()`,
    `atomize_keys(Map.take(params, [...]))`, or a variable bound to one."""
    seen = 0
    for other in ctx.module.clauses if ctx.module is not None else []:
        if other.body is None:
            continue
        for call, module, name in calls(other.body, {clause.name}):
            arguments = call_arguments(call)
            piped = _piped_into(call)
            if module is not None or len(arguments) + len(piped) != clause.arity:
                continue
            given = (piped + arguments)[position]
            seen += 1
            if seen > MOST_CALLERS or not _filtered(given, other):
                return False
    return seen > 0


GUARDED_NAME = re.compile(r"\b([a-z_]\w{0,99})\s+in\s*(?:\[|~w|@[a-z_])")  # a literal list or a module attribute


def _head(clause, heads: dict) -> tuple[set[str], set[str]]:
    """The names the clause's guard bounds (`when dir in [...]`, `when dir in @dirs`: {"dir"}), and mount/3's
    param names."""
    if clause.node.id not in heads:
        head = clause.signature  # name, params and guard
        when = re.search(r"\bwhen\b", head)
        guard = head[when.end():] if when is not None else ""
        # `when by in ~w(a b) or is_binary(by)` bounds nothing: an alternative lets any value through.
        bounded = set(GUARDED_NAME.findall(guard)) if guard and not re.search(r"\bor\b|\|\|", guard) else set()
        heads[clause.node.id] = bounded, _mount_param_names(clause)
    return heads[clause.node.id]


WORD = re.compile(r"\b[a-z]\w{0,99}\b(?![ \t]{0,20}:)")


def _mount_param_names(clause) -> set[str]:
    """The names mount/3's first argument binds (the URL's query and path params), or none for other clauses."""
    if clause.name != "mount" or clause.arity != 3 or not clause.params:
        return set()
    return {n for n in WORD.findall(text(clause.params[0])) if not n.startswith("_")}


def _reads_mount_params(names: set[str], argument) -> bool:
    """Client input when the conversion reads one of mount/3's param names."""
    return bool(names) and not names.isdisjoint(re.findall(r"\b[a-z]\w{0,99}\b", text(argument)))


BRANCH_LEVELS = 12  # parents looked at for an `if` whose condition bounds the value
# The condition of an `if` that bounds a name: `by in @sortable`, `by in ["name", "date"]`, `by in ~w(...)`, alone or
# and-ed (`by in @sortable and socket.assigns.editable`); `or`, `||` and negations bound nothing.
UNBOUNDING = re.compile(r"\bor\b|\|\||\bnot\b|!(?!=)")


def _allow_listed(ctx, node, args, clause, helpers) -> bool:
    """The converted value is bounded by the handler: the keys of a map cut to known keys (`params |>
    Map.take(["name"]) |> Map.new(fn {k, v} -> {String.to_atom(k), v} end)`), the elements of a list filtered
    against an allow-list (`Enum.filter(&(&1 in @cols)) |> Enum.map(&String.to_atom/1)`), or a value converted only
    in the `do` branch of an `if` whose condition is `value in <list or module attribute>`."""
    if _keys_filtered(ctx, node, clause, helpers):
        return True
    if args and args[0].type == "call" and _captured_in(node):
        given = [a for a in call_arguments(args[0]) if not text(a).startswith("&")] or _piped_into(args[0])
        if given and _filtered(given[0], clause):
            return True
    names = set(WORD.findall(text(args[0]))) if args else set()
    current, in_else = node, False
    for _ in range(BRANCH_LEVELS):
        parent = current.parent
        if parent is None:
            return False
        if current.type == "else_block" or (current.type == "pair" and text(current).startswith("else:")):
            in_else = True
        if parent.type == "call" and call_parts(parent) == (None, "if") and call_arguments(parent):
            condition = text(call_arguments(parent)[0])
            if not in_else and not UNBOUNDING.search(condition) and \
                    any(name in names for name in GUARDED_NAME.findall(condition)):
                return True
            in_else = False
        current = parent
    return False


def _variables(node) -> list[str]:
    """The variables an expression reads: identifiers that are neither a call's name nor a field after a dot."""
    found = []
    for child in walk(node):
        if child.type != "identifier":
            continue
        parent = child.parent
        if parent is not None and parent.type == "dot" and parent.child_by_field_name("right") is not None \
                and parent.child_by_field_name("right").id == child.id:
            continue  # `socket.assigns`: a field or a remote function's name
        if parent is not None and parent.type == "call" and parent.child_by_field_name("target") is not None \
                and parent.child_by_field_name("target").id == child.id:
            continue  # `fun(x)`: a local function's name
        found.append(text(child))
    return found


MAX_MATCHES = 200  # matches followed in one handler


def _origins(clause) -> tuple[set[str], set[str]]:
    """(names the client's values reach, names only the server's values reach) in an event or params handler: the
    payload's bindings and what is matched from them are the client's; the socket's pattern and what is matched only
    from the socket's assigns and other server names are the server's. Names bound any other way are neither."""
    client_index = 1 if clause.name == "handle_event" else 0
    client = {v for v in _variables(clause.params[client_index])} if len(clause.params) > client_index else set()
    server = {v for v in _variables(clause.params[-1])} if len(clause.params) == 3 else set()
    client = {v for v in client if not v.startswith("_")}
    matches = 0
    for node in walk(clause.body) if clause.body is not None else ():
        if node.type != "binary_operator" or text(node.child_by_field_name("operator")) != "=":
            continue
        matches += 1
        if matches > MAX_MATCHES:
            return client, set()  # too many to follow (hostile input): nothing is proven the server's
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            continue
        bound = {v for v in _variables(left) if not v.startswith("_")}
        read = set(_variables(right))
        if read & client or not read <= server:
            client |= bound if read & client else set()
            continue
        server |= bound - client
    return client, server


def _server_only(clause, node, origins: dict) -> bool:
    """Every variable the expression reads holds the server's value (the socket's assigns, names matched from them),
    none the client's: an atom made of it comes from the page's own state, a bounded set."""
    if clause.body is None:
        return False
    key = (clause.node.start_byte, clause.node.end_byte)
    if key not in origins:
        origins[key] = _origins(clause)
    client, server = origins[key]
    read = set(_variables(node))
    return bool(read) and read <= server and not read & client
