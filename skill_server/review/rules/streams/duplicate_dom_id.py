"""## What it does
Flags literal DOM ids that the template renders more than once: a fixed `id="..."` on an element with
`:for` or inside one (every row gets the same id), and two elements of one template with the same fixed
id when neither is conditional.

## Why is this bad?
LiveView patches the page by matching elements by id: duplicates make it patch the wrong element, lose
focus and input, and break hooks, `phx-update` containers, labels and JS commands that target `#id`. The
client reports "Multiple IDs detected" in debug mode, and LiveViewTest raises on duplicate ids.

## Example
```heex
<li :for={todo <- @todos} id="todo">
  <button id="delete" phx-click="delete" phx-value-id={todo.id}>Delete</button>
</li>
```

## Use instead
```heex
<li :for={todo <- @todos} id={"todo-#{todo.id}"}>
  <button id={"delete-#{todo.id}"} phx-click="delete" phx-value-id={todo.id}>Delete</button>
</li>
```

## False positives
Two fixed ids in one template are flagged only when no `:if`, `:for`, slot or EEx block decides whether
they render (branches of an `if` may each hold the same id). Ids built from expressions are never flagged.

## Severity and confidence
Warning: patches go to the wrong element and hooks break, but data is not lost. High confidence: the id is
a literal where the template repeats it.

## References
knowledge: streams#the-stream-contract-in-the-template
"""

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule
from ...template import nearest

RULE = Rule(
    slug="duplicate_dom_id", code="LV311", family="streams", severity="warning", confidence="high",
    languages=("elixir", "heex"),
    summary="A literal id rendered more than once: DOM patching matches the wrong element.",
    fix="Make the id unique per element: id={\"item-#{item.id}\"} inside loops.",
    cites="streams#the-stream-contract-in-the-template",
)


def _literal_id(element) -> str | None:
    attr = element.attr("id")
    if attr is None or attr.is_expr or not attr.value or "{" in attr.value or "<%" in attr.value:
        return None
    return attr.value


def _looped(node) -> bool:
    return node.has(":for")


def _conditional(node) -> bool:
    return node.has(":if") or node.tag.startswith(":") or node.is_component


def check(ctx):
    for template in ctx.templates:
        has_blocks = "<%" in template.source
        seen: dict[str, object] = {}
        looped, conditional = {}, {}  # nearest(...) answers, so deep nesting costs linear time
        for element in template.elements:
            value = _literal_id(element)
            if value is None or element.is_component:
                continue
            shown = code_span(f'id="{value}"')
            if nearest(element, _looped, looped):
                yield element_hit(element, f"{shown} is repeated on every iteration of {code_span(':for')}.")
                continue
            if has_blocks or nearest(element, _conditional, conditional):
                continue
            if value in seen:
                yield element_hit(element, f"{shown} is already used on line {seen[value].line}.")
            else:
                seen[value] = element
