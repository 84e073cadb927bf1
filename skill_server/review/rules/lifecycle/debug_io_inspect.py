"""## What it does
Flags `IO.inspect/1,2` and `dbg/0,1` left in LiveView code.

## Why is this bad?
Debug output in callbacks runs on every event and render, floods logs in production, and often prints
assigns that contain personal data.

## Example
```elixir
def handle_event("save", params, socket) do
  IO.inspect(params)
  ...
```

## Use instead
Remove it, or log deliberately with `Logger.debug/1` and metadata.

## False positives
Only LiveViews, LiveComponents and function-component modules are checked: mix tasks, config, scripts
and plain modules (which may log on purpose) are not.

## Severity and confidence
Info: debug output is noise in logs, not a defect users see. High confidence: the call is there.

## References
knowledge: testing#what-liveviewtest-runs-and-what-it-does-not
"""

from ...helpers import hit
from ...rule import Rule

RULE = Rule(
    slug="debug_io_inspect", code="LV117", family="lifecycle", severity="info", confidence="high",
    languages=("elixir",), summary="Debug output left in LiveView code.",
    fix="Remove IO.inspect/dbg before merging.", cites="testing#what-liveviewtest-runs-and-what-it-does-not",
)


def check(ctx):
    if ctx.module is None or ctx.module.kind is None:
        return  # mix tasks, config and plain modules: their logging is their own business
    for node, module, name in ctx.calls({"inspect", "dbg"}):
        if (module == "IO" and name == "inspect") or (module is None and name == "dbg"):
            yield hit(node, f"{'IO.inspect' if module else 'dbg'} left in the code.")
