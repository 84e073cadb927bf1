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
name is a variable; a variable result matched by a `case` in the body (`case result do {:ok, v} -> ... end`)
counts only when a clause of that case matches an exit (or anything).

## Severity and confidence
Error, harm crash: a failed or cancelled task raises `FunctionClauseError` and takes the LiveView down. High
confidence: the clauses are all in view.

## References
knowledge: async-work#always-handle-exit-reason
"""

import re

from ....sanitize import code_span
from ...elixir_tree import text
from ...elixir_tree import call_arguments, call_parts
from ...helpers import clause_hit, hit
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
        unmatched = None
        for clause in clauses:
            result = clause.params[1]
            result_text = text(result).replace(" ", "")
            if result.type == "identifier":
                case = _case_on(clause, text(result))
                if case is not None and not _case_covers_exit(case):
                    unmatched = unmatched or case  # `case result do {:ok, v} -> ... end`: no clause for an exit
                else:
                    covered = True
            elif result_text.startswith("{:exit,"):
                covered = True
        if not covered and unmatched is not None:
            yield hit(unmatched, f"handle_async for {code_span(text(clauses[0].params[0]))} matches its result in a "
                                 "`case` with no `{:exit, _}` clause: a failed task raises CaseClauseError.")
        elif not covered:
            yield clause_hit(clauses[0], f"handle_async for {code_span(text(clauses[0].params[0]))} has no `{{:exit, _}}` clause.")


def _case_on(clause, variable: str):
    """The `case` over the result variable that makes the clause's value (`case result do ... end`), or None."""
    body = clause.body
    statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    last = statements[-1] if statements and body.type in ("do_block", "block", "body") else body
    if last is None or last.type != "call" or call_parts(last) != (None, "case"):
        return None
    subject = call_arguments(last)
    return last if subject and text(subject[0]).strip() == variable else None


def _case_covers_exit(case) -> bool:
    """A clause of the case matches an exit: `{:exit, _}`, a bare variable or `_`."""
    for block in (c for c in case.children if c.type == "do_block"):
        for part in (c for c in block.named_children if c.type == "stab_clause"):
            pattern = part.child_by_field_name("left")
            pattern_text = text(pattern).replace(" ", "") if pattern is not None else ""
            if pattern_text.startswith("{:exit,") or re.fullmatch(r"_?[a-z]\w*", pattern_text.split("when")[0]):
                return True
    return False
