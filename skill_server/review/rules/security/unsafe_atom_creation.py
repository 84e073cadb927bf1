"""## What it does
Flags `String.to_atom/1` (and `:erlang.binary_to_atom`/`list_to_atom`) on anything but a literal.

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
Conversions of compile-time literals are not flagged. High confidence needs client input: a conversion
in `handle_event/3` or `handle_params/3`, or of `mount/3`'s params, whose clause has no `when x in [...]`
guard, called or piped (`params |> Map.get("sort") |> String.to_atom()`). Elsewhere (other callbacks,
helpers, config, node names) the input is usually trusted: low confidence, strict only. Two shapes take any
string wherever they are: every key of a map made an atom (`Map.new(args, fn {k, v} -> {String.to_atom(k), v}
end)`: a string-keyed map is decoded input, trusted maps have atom keys already) and the rest of a string after
a matched prefix (`defp param("lb_" <> name), do: String.to_atom(name)`): medium, shown by default because a
true finding can stop the node. A value converted in such a `fn` (`fn {k, v} -> {k, String.to_atom(v)} end`)
stays low. Those two shapes are low too where a security linter is told to skip this check
(`# sobelow_skip ["DOS.StringToAtom"]` above the function, a credo `UnsafeToAtom` waiver): the developers looked
at the input (a config file, a cluster node's name) and accepted it.

## Severity and confidence
Error, harm security: atoms are never collected, so input-made atoms can exhaust the table and stop the node.
High for client input; medium for map keys and string rests; low elsewhere.

## References
knowledge: security#treat-payloads-and-params-as-untrusted
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import hit, in_callback
from ...rule import Rule

RULE = Rule(
    slug="unsafe_atom_creation", code="LV604", family="security", severity="error", confidence="high",
    languages=("elixir",), summary="Atoms created from input can exhaust the atom table.",
    fix="Match known strings, or use String.to_existing_atom/1.",
    cites="security#treat-payloads-and-params-as-untrusted", harm="security",
)


def check(ctx):
    heads: dict[int, tuple[bool, set[str]]] = {}  # per clause: (guarded, mount param names), read once
    waivers = False  # the file's linter waivers, read at the first conversion that needs them
    for node, module, name in ctx.calls({"to_atom", "binary_to_atom", "list_to_atom"}):
        if module not in ("String", ":erlang", "List"):
            continue
        args = call_arguments(node) or _piped_into(node)  # `params |> Map.get("sort") |> String.to_atom()`
        if not args or args[0].type in ("string", "charlist", "atom"):
            continue
        clause = in_callback(ctx, node)
        guarded, params = _head(clause, heads) if clause is not None else (False, set())
        # Client-controlled input arrives in events and URL params; a guard such as `when dir in ["asc",
        # "desc"]` already bounds it.
        from_client = clause is not None and (clause.name in ("handle_event", "handle_params")
                                              or _reads_mount_params(params, args[0]))
        # Elsewhere (other callbacks, helpers, config) the value is usually trusted: low, strict only. Two
        # shapes are unbounded wherever they are: every key of a string-keyed map made an atom, and the rest
        # of a string after a matched prefix: medium, shown because a true finding can stop the node.
        unbounded = not from_client and _unbounded(node, text(args[0]))
        if unbounded:
            waivers = _waivers(ctx.source) if waivers is False else waivers
            unbounded = not _waived(waivers, node)
        yield hit(node, f"{code_span(f'{module}.{name}')} on a value that may come from the client.",
                  None if from_client and not guarded else "medium" if unbounded else "low")


def _piped_into(node) -> list:
    """`[left]` when node is the right side of `left |> node`, else no arguments."""
    parent = node.parent
    if parent is None or parent.type != "binary_operator" or text(parent.child_by_field_name("operator")) != "|>":
        return []
    right, left = parent.child_by_field_name("right"), parent.child_by_field_name("left")
    return [left] if right is not None and left is not None and right.id == node.id else []


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


def _head(clause, heads: dict) -> tuple[bool, set[str]]:
    """Whether the clause's guard bounds a value (`when dir in [...]`), and mount/3's param names."""
    if clause.node.id not in heads:
        head = text(call_arguments(clause.node)[0])  # name, params and guard
        when = re.search(r"\bwhen\b", head)
        guarded = when is not None and re.search(r"\bin\s*(\[|~w)", head[when.end():]) is not None
        heads[clause.node.id] = guarded, _mount_param_names(clause)
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
