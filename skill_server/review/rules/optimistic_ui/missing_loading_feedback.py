"""## What it does
Flags a `phx-click` that pushes a mutation (its handler writes through `Repo` or a context
`create_`/`update_`/`delete_`/`archive_` function) when neither the element nor a `loading:` target has
any loading feedback: no `phx-disable-with`, no `phx-click-loading` styling, no `loading:` option.

## Why is this bad?
On a slow connection nothing happens between the click and the reply, so users click again (sending the
mutation twice) or think the app is broken.

## Example
```heex
<button phx-click="delete" phx-value-id={@post.id}>Delete</button>
```

## Use instead
```heex
<button phx-click="delete" phx-value-id={@post.id} phx-disable-with="Deleting...">Delete</button>
```
or `class="phx-click-loading:opacity-50"`, or `JS.push("delete", loading: "#post-1")`.

## False positives
Form submits are not flagged: LiveView disables submit buttons and makes inputs read-only during a
submit. Medium confidence: fast handlers may not need feedback, and styles may come from CSS files.

## Severity and confidence
Info, medium: feedback is a matter of feel, and a loading style may live in CSS this file does not show.

## References
knowledge: loading-states#loading-classes-on-the-element-that-pushed
"""

import re

from ....sanitize import code_span
from ...context import PUSH_RE
from ...elixir_tree import text
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="missing_loading_feedback", code="LV202", family="optimistic_ui", severity="info", confidence="medium",
    languages=("elixir",), summary="A mutation click with no loading feedback.",
    fix='Add phx-disable-with, phx-click-loading: styles, or JS.push(..., loading: "#target").',
    cites="loading-states#loading-classes-on-the-element-that-pushed",
)
MUTATES = re.compile(r"Repo\.(insert|update|delete)|\.(create|update|delete|archive|remove)_\w+\(")


def check(ctx):
    if ctx.module is None:
        return
    mutating = {text(c.params[0]).strip('"') for c in ctx.module.clauses_of("handle_event", 3)
                if c.params and MUTATES.search(text(c.body))}
    for template in ctx.templates:
        for element in template.elements:
            click = element.attr("phx-click")
            if click is None or click.value is None:
                continue
            events = PUSH_RE.findall(click.value) if click.is_expr else [click.value]
            if not mutating.intersection(events):
                continue
            classes = (element.attr("class").value or "") if element.has("class") else ""
            if element.has("phx-disable-with") or "phx-click-loading" in classes or "loading:" in click.value:
                continue
            yield element_hit(element, code_span(f'"{events[0]}"') + " changes data but the click shows no loading state.")
