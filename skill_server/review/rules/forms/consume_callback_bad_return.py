"""## What it does
Flags a `consume_uploaded_entries/3` or `consume_uploaded_entry/3` callback (an anonymous function, or a
local function passed as `&save/2`) whose result is plainly not `{:ok, value}` or `{:postpone, value}`: a
`File.cp!`/`File.rename!` call (which returns `:ok`), a path or URL string, an atom, a list, a map, or
another tuple.

## Why is this bad?
The callback's result is the contract: `{:ok, value}` consumes the entry and collects `value`,
`{:postpone, value}` collects it and keeps the file for later. Anything else makes LiveView print a
warning (in every release from 0.20 to 1.2) and collect the raw result: the list you save is `[:ok]`
instead of the paths or URLs you meant to keep.

## Example
```elixir
consume_uploaded_entries(socket, :avatar, fn %{path: path}, _entry ->
  File.cp!(path, dest)
end)
```

## Use instead
```elixir
consume_uploaded_entries(socket, :avatar, fn %{path: path}, _entry ->
  File.cp!(path, dest)
  {:ok, ~p"/uploads/#{Path.basename(dest)}"}
end)
```

## False positives
A call to a function whose name ends in `!` (`Storage.upload_file!(path, type)`, `path |> Media.store!()`) is
flagged: by Elixir's naming convention a bang function returns its value unwrapped and raises on failure, so
its result is never `{:ok, value}`. A result that is a variable or any other call this file cannot see (`upload_to_s3(path)` may return `{:ok, url}`)
is not flagged. In a `case`/`if`/`with`, each branch's result is checked: one plain branch (`{:error, _} ->
:error`, or the error tuple its pattern binds: `{:error, _} = error -> error`) is enough, since that is what the
callback returns then. A `with` without `else` whose clause matches `{:ok, _}`
(`with {:ok, file} <- Storage.store(path) do {:ok, file.id} end`) is flagged: when the store fails, the callback
returns the value that did not match, such as `{:error, reason}`; a `with` with an `else` is checked branch by
branch.

## Severity and confidence
Warning: the upload is stored, but the value collected is wrong and a warning is logged. High confidence:
the returned expression is in view and cannot be an ok or postpone tuple (a bang call by the naming convention; for an else-less `with`, the value
returned when its `{:ok, _}` clause fails cannot be one).

## References
knowledge: forms#file-uploads-end-to-end
"""

from ...elixir_tree import call_arguments, call_parts, text
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="consume_callback_bad_return", code="LV506", family="forms", severity="warning", confidence="high",
    languages=("elixir",), summary="An upload consume callback does not return {:ok, value} or {:postpone, value}.",
    fix="Return {:ok, value} (consumed) or {:postpone, value} (kept for later) from the callback.",
    cites="forms#file-uploads-end-to-end",
)
CONSUMERS = {"consume_uploaded_entries", "consume_uploaded_entry"}
PLAIN_VALUES = {"string", "atom", "integer", "float", "list", "map", "sigil", "boolean", "nil", "charlist",
                "quoted_atom"}
# Functions whose results are never an ok/postpone tuple: :ok (or an int) from File writes, strings from paths.
NON_TUPLE_CALLS = {("File", "cp!"), ("File", "rename!"), ("File", "write!"), ("File", "mkdir_p!"), ("File", "cp"),
                   ("File", "rename"), ("File", "write"), ("File", "copy!"), ("File", "ln_s!"), ("Path", "join"),
                   ("Path", "basename"), ("Path", "expand"), ("Path", "absname"), (None, "static_path"),
                   ("Routes", "static_path")}


def _last_statement(body):
    statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    if body is not None and body.type not in ("body", "do_block", "block", "else_block"):
        return body
    return statements[-1] if statements else None


BRANCHING = {"case", "if", "cond", "with", "unless"}


def _results(node):
    """The expressions a value can come from: the node, or the last statement of each branch of a
    case/if/cond/with (nested ones too)."""
    _, name = call_parts(node) if node is not None and node.type == "call" else (None, None)
    if name not in BRANCHING:
        yield node
        return
    if name == "with":
        yield node  # an else-less with returns the value that failed to match (see _bad)
    for argument in call_arguments(node):  # if x, do: a, else: b
        for pair in argument.named_children if argument.type == "keywords" else []:
            if text(pair.child_by_field_name("key")).strip().rstrip(":").strip() in ("do", "else"):
                yield from _results(pair.child_by_field_name("value"))
    for block in (c for c in node.children if c.type == "do_block"):
        for part in block.named_children:
            if part.type == "stab_clause":  # case, cond, with: each clause's last statement
                last = _last_statement(part.child_by_field_name("right"))
                yield from _results(_bound_tuple(part, last) or last)
            elif part.type == "else_block":
                clauses = [c for c in part.named_children if c.type == "stab_clause"]
                for clause in clauses:
                    yield from _results(_last_statement(clause.child_by_field_name("right")))
                if not clauses:
                    yield from _results(_last_statement(part))
        plain = [c for c in block.named_children if c.type not in ("stab_clause", "else_block", "comment")]
        if plain and not any(c.type == "stab_clause" for c in block.named_children):
            yield from _results(plain[-1])  # if/unless: the do part's last statement


def _bound_tuple(clause, last):
    """The tuple a clause's pattern binds to the variable it returns (`{:error, _} = error -> error`), or None."""
    pattern = clause.child_by_field_name("left")
    if last is None or last.type != "identifier" or pattern is None:
        return None
    pattern = pattern.named_children[0] if pattern.type == "arguments" and pattern.named_children else pattern
    if pattern.type != "binary_operator" or text(pattern.child_by_field_name("operator")) != "=":
        return None
    sides = (pattern.child_by_field_name("left"), pattern.child_by_field_name("right"))
    if not any(side is not None and side.type == "identifier" and text(side) == text(last) for side in sides):
        return None
    return next((side for side in sides if side is not None and side.type == "tuple"), None)


def _unmatched_with(node) -> str | None:
    """`with {:ok, x} <- store(...) do ... end` with no else: when a clause fails, the callback returns the
    value that did not match (`{:error, reason}`), never an ok tuple. None when an else handles it."""
    blocks = [c for c in node.children if c.type == "do_block"]
    if not blocks or any(part.type == "else_block" for part in blocks[0].named_children):
        return None
    for clause in call_arguments(node):
        if clause.type == "binary_operator" and text(clause.child_by_field_name("operator")) == "<-":
            pattern = text(clause.child_by_field_name("left")).lstrip()
            if pattern.startswith("{:ok,") or pattern.startswith("{:ok ,"):
                return "the unmatched value of " + text(clause.child_by_field_name("right"))[:40].strip()
    return None


def _bad(node) -> str | None:
    """The returned expression's text when it cannot be {:ok, _} or {:postpone, _}."""
    if node is None:
        return None
    if node.type in PLAIN_VALUES:
        return text(node)
    if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "<>":
        return text(node)
    if node.type == "tuple":
        items = node.named_children
        if len(items) == 2 and text(items[0]) in (":ok", ":postpone"):
            return None
        return text(node)
    if node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "|>":
        node = node.child_by_field_name("right")  # `path |> Storage.store!()`: the last call's result
    if node is not None and node.type == "call":
        module, name = call_parts(node)
        if module is None and name == "with":
            return _unmatched_with(node)
        if name and name.endswith("!"):
            return text(node)  # a bang function returns its value unwrapped (or raises), never {:ok, value}
        if (module, name) in NON_TUPLE_CALLS or (module is not None and module.endswith("Routes")
                                                 and name == "static_path"):
            return text(node)
    return None


def _callbacks(ctx, node):
    """The bodies' last statements of the callback: each clause of an anonymous function, or of a local function
    captured as `&name/arity`."""
    args = call_arguments(node)
    callback = args[-1] if args else None
    if callback is None:
        return
    if callback.type == "anonymous_function":
        for clause in callback.named_children:
            if clause.type == "stab_clause":
                yield _last_statement(clause.child_by_field_name("right") or clause.named_children[-1])
    elif callback.type == "unary_operator" and text(callback).startswith("&") and ctx.module is not None:
        target = text(callback)[1:].strip()
        if "/" in target and "." not in target:
            name, arity = target.split("/", 1)
            for clause in ctx.module.clauses_of(name.strip(), int(arity) if arity.strip().isdigit() else None):
                yield _last_statement(clause.body)


def check(ctx):
    for node, _, name in ctx.calls(CONSUMERS):
        for result in _callbacks(ctx, node):
            returned = next((r for r in _results(result) if _bad(r) is not None), None)
            value = _bad(returned)
            if value is not None:
                shown = value if len(value) <= 40 else value[:37] + "..."
                yield hit(returned, f"This {name} callback returns {shown}, not {{:ok, value}} or {{:postpone, "
                                    "value}: LiveView warns and collects the raw result.")
