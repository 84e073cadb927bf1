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
guard. Elsewhere (other callbacks, helpers, config, node names) the input is usually trusted: low
confidence, strict only.

## Severity and confidence
Error, harm security: atoms are never collected, so input-made atoms can exhaust the table and stop the node.
High for client input; low elsewhere.

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
    for node, module, name in ctx.calls({"to_atom", "binary_to_atom", "list_to_atom"}):
        if module not in ("String", ":erlang", "List"):
            continue
        args = call_arguments(node)
        if not args or args[0].type in ("string", "charlist", "atom"):
            continue
        clause = in_callback(ctx, node)
        guarded, params = _head(clause, heads) if clause is not None else (False, set())
        # Client-controlled input arrives in events and URL params; a guard such as `when dir in ["asc",
        # "desc"]` already bounds it.
        from_client = clause is not None and (clause.name in ("handle_event", "handle_params")
                                              or _reads_mount_params(params, args[0]))
        # Elsewhere (other callbacks, helpers, config) the value is usually trusted: low, strict only.
        yield hit(node, f"{code_span(f'{module}.{name}')} on a value that may come from the client.",
                  None if from_client and not guarded else "low")


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
