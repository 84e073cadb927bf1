"""## What it does
Flags a LiveView or LiveComponent callback (mount/3, handle_event/3, handle_info/2, render/1, update/2 ...)
whose first clause has no `@impl` annotation, in a module that annotates some callbacks (the compiler
warns about the rest too). A module that annotates none of its callbacks gets one medium-confidence
finding at the first callback, naming them all: it is a consistent house style, not a bug.

## Why is this bad?
With `@impl true` the compiler checks that the function really implements a callback: a typo such as
`handle_events/3` or a wrong arity then warns instead of silently never being called. Once one callback
in a module has `@impl`, Elixir also warns about the others.

## Example
```elixir
def mount(_params, _session, socket), do: {:ok, socket}
```

## Use instead
```elixir
@impl true
def mount(_params, _session, socket), do: {:ok, socket}
```

## False positives
Before 0.20.2 `handle_async/3` was not a declared callback (`@impl true` on it warns), so it is not
checked there. `@impl Phoenix.LiveView` (any behaviour) counts as `@impl true`, and only the first clause of a function
needs it. Modules whose kind cannot be seen (no `use ..., :live_view` / `:live_component`) are not checked.

## Severity and confidence
Warning: a missing `@impl` hides typos but breaks nothing by itself. High when the module annotates some
callbacks (the compiler warns too); a module that annotates none is a house style, medium and strict only.

## References
knowledge: lifecycle#impl-true-on-callbacks
"""

from ...helpers import clause_hit, first_clauses
from ...rule import Rule
from ....versions import Version

RULE = Rule(
    slug="missing_impl_true", code="LV101", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir",), summary="Callback without @impl: the compiler cannot check its name and arity.",
    fix="Put `@impl true` above the first clause of the callback.", cites="lifecycle#impl-true-on-callbacks",
)


def check(ctx):
    if ctx.module is None:
        return
    callbacks = set(ctx.module.callbacks())
    if ctx.version < Version(0, 20, 2):
        callbacks.discard(("handle_async", 3))  # declared as a callback only from 0.20.2
    clauses = [(key, clause) for key, clause in first_clauses(ctx).items()
               if key in callbacks and clause.kind == "def"]
    # Elixir accepts @impl on any clause of the function (the first is the convention, not a requirement).
    marked = {(c.name, c.arity) for c in ctx.module.clauses if c.impl}
    missing = [(key, clause) for key, clause in clauses if key not in marked]
    if not missing:
        return
    if len(missing) == len(clauses):
        # A module that uses @impl nowhere is a house style the compiler accepts: one finding at its first
        # callback, medium confidence (strict output).
        names = ", ".join(f"{name}/{arity}" for (name, arity), _ in missing)
        yield clause_hit(missing[0][1], f"None of this module's callbacks has @impl true ({names}).", "medium")
        return
    for (name, arity), clause in missing:
        yield clause_hit(clause, f"{name}/{arity} is a callback but has no @impl true.")
