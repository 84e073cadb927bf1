"""## What it does
Flags a `handle_async/3` name whose clauses only match `{:ok, _}` results, with no `{:exit, _}` clause and
no catch-all.

## Why is this bad?
When the task raises or exits (or, since 0.20.4, is cancelled with `cancel_async`), `handle_async/3`
receives `{:exit, reason}`. If no clause
matches, the LiveView crashes with `FunctionClauseError` and loses its state; a pending row or a
"loading" flag stays on screen until the remount.

## Example
```elixir
def handle_async(:load, {:ok, data}, socket), do: {:noreply, assign(socket, :data, data)}
```

## Use instead
```elixir
def handle_async(:load, {:ok, data}, socket), do: {:noreply, assign(socket, :data, data)}
def handle_async(:load, {:exit, _reason}, socket), do: {:noreply, put_flash(socket, :error, "Loading failed")}
```

## False positives
Clauses are grouped by the shape of the name (`{:create, temp_id}` and `{:create, _}` are one name). A
clause whose result parameter is a variable or `_` counts as handling exits, and so does a clause whose
name is a variable.

## Severity and confidence
Error, harm crash: a failed or cancelled task raises `FunctionClauseError` and takes the LiveView down. High
confidence: the clauses are all in view.

## References
knowledge: async-work#always-handle-exit-reason
"""

import re

from ....sanitize import code_span
from ...elixir_tree import text
from ...helpers import clause_hit
from ...rule import Rule

RULE = Rule(
    slug="handle_async_missing_exit", code="LV106", family="lifecycle", severity="error", confidence="high",
    languages=("elixir",), summary="handle_async/3 has no {:exit, reason} clause: a crashed task crashes the LiveView.",
    fix="Add a clause for {:exit, _reason} that cleans up (remove the pending item, show an error).",
    cites="async-work#always-handle-exit-reason", harm="crash",
)
VARIABLE_RE = re.compile(r"(?<![:\w])_?[a-z][a-z0-9_]*\b(?!:)")


def _shape(name_param: str) -> str:
    return VARIABLE_RE.sub("_", name_param.replace(" ", ""))


def check(ctx):
    if ctx.module is None:
        return
    groups: dict[str, list] = {}
    catch_all_name = False
    for clause in ctx.module.clauses_of("handle_async", 3):
        name = text(clause.params[0])
        if clause.params[0].type in ("identifier",):
            catch_all_name = True
        groups.setdefault(_shape(name), []).append(clause)
    for clauses in groups.values():
        covered = catch_all_name
        for clause in clauses:
            result = clause.params[1]
            result_text = text(result).replace(" ", "")
            if result.type == "identifier" or result_text.startswith("{:exit,"):
                covered = True
        if not covered:
            yield clause_hit(clauses[0], f"handle_async for {code_span(text(clauses[0].params[0]))} has no `{{:exit, _}}` clause.")
