"""## What it does
Flags `JS.ignore_attributes/1` used at the end of a pipe (`js |> JS.ignore_attributes(["open"])`).

## Why is this bad?
`JS.ignore_attributes` has the arities `(attrs)`, `(attrs, opts)` and `(js, attrs, opts)`, with no
`(js, attrs)` clause. Piped with one argument it becomes `ignore_attributes(js, attrs)` and raises
`FunctionClauseError` when the template renders.

## Example
```elixir
JS.show(to: "#panel") |> JS.ignore_attributes(["open"])
```

## Use instead
```elixir
JS.show(to: "#panel") |> JS.ignore_attributes(["open"], [])
```

## False positives
A standalone `JS.ignore_attributes(["open"])` (no pipe) is correct.

## Severity and confidence
Error, harm crash: the call raises `FunctionClauseError` when the binding fires. High confidence: the arity is
in view.

## References
knowledge: optimistic-ui#browser-owned-attributes-and-js-ignore-attributes
"""

import re

from ...helpers import balanced_args, module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="js_ignore_attributes_pipe_without_opts", code="LV307", family="streams", severity="error",
    confidence="high", languages=("elixir", "heex"),
    summary="JS.ignore_attributes piped with one argument raises FunctionClauseError.",
    fix="Pass options explicitly when piping: |> JS.ignore_attributes(attrs, []).",
    cites="optimistic-ui#browser-owned-attributes-and-js-ignore-attributes", since="1.1.0", harm="crash",
)
PIPED = re.compile(r"\|>\s*JS\.ignore_attributes\(")


def _top_level_commas(args: str) -> int:
    depth, commas, in_string = 0, 0, False
    for i, ch in enumerate(args):
        if ch == '"' and (i == 0 or args[i - 1] != "\\"):
            in_string = not in_string
        if in_string:
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            commas += 1
    return commas


def check(ctx):
    for match, line in module_text_calls(ctx, PIPED):
        args = balanced_args(ctx.source, match.end() - 1)
        if _top_level_commas(args) == 0:
            yield Hit(line=line, column=1, message="Piped JS.ignore_attributes/2 has no (js, attrs) clause.")
