"""## What it does
Flags a `cast_assoc`/`cast_embed` with `drop_param:` for a `has_many` or `embeds_many` the same module
declares without `on_replace: :delete` (or `:delete_if_exists`, `:nilify`, `:mark_as_invalid`), at the
`drop_param:` option.

## Why is this bad?
`drop_param` (Ecto 3.10+) is what a LiveView form's "remove row" checkbox sends (`<.inputs_for>` with a
`..._drop[]` input). Dropping a row that is already saved replaces it, and Ecto's default `on_replace:
:raise` raises: the first time a user removes a saved row, the `handle_event` crashes the LiveView.

## Example
```elixir
has_many :lines, Line

cast_assoc(changeset, :lines, sort_param: :lines_sort, drop_param: :lines_drop)
```

## Use instead
```elixir
has_many :lines, Line, on_replace: :delete
```

## False positives
Only associations and embeds declared in the same module as the cast are checked; a schema declared
elsewhere is not.

## Severity and confidence
Error, harm crash: removing a saved row raises. High confidence: the declaration and the cast are both in
the module.

## References
knowledge: forms#nested-rows-with-inputs-for
"""

import re

from ...elixir_tree import call_arguments, text, walk
from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="drop_param_without_on_replace", code="LV505", family="forms", severity="error", confidence="high",
    languages=("elixir",), summary="Rows dropped with drop_param, but the association raises on replace.",
    fix="Declare the has_many/embeds_many with on_replace: :delete.", cites="forms#nested-rows-with-inputs-for",
    harm="crash",
)
DROPPING = re.compile(r"\bon_replace:\s*:(delete|delete_if_exists|nilify|mark_as_invalid)\b")


def _declarations(ctx) -> dict[str, str]:
    """Field name -> the declaration's text, for has_many and embeds_many of this module."""
    found = {}
    for node, module, name in ctx.calls({"has_many", "embeds_many"}):
        args = call_arguments(node)
        if module is None and args and args[0].type == "atom":
            found[text(args[0]).lstrip(":")] = text(node)
    return found


def check(ctx):
    declared = None
    for node, module, name in ctx.calls({"cast_assoc", "cast_embed"}):
        if module not in (None, "Ecto.Changeset", "Changeset") or "drop_param" not in text(node):
            continue
        if declared is None:
            declared = _declarations(ctx)
        field = next((text(a).lstrip(":") for a in call_arguments(node) if a.type == "atom"), None)
        declaration = declared.get(field or "")
        if declaration is not None and not DROPPING.search(declaration):
            kind = declaration.split(None, 1)[0].rstrip("(")
            # At the `drop_param:` option (a cast written over several lines shows which option drops rows).
            option = next((n for n in walk(node) if n.type == "pair" and text(n).startswith("drop_param")), node)
            yield hit(option, f"drop_param removes {field} rows, but {kind} :{field} has no on_replace: :delete: "
                            "removing a saved row raises.")
