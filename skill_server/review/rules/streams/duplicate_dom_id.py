"""## What it does
Flags literal DOM ids that the template renders more than once: a fixed `id="..."` on an element with
`:for` or inside one (every row gets the same id), and two elements of one template with the same fixed
id when neither is conditional.

## Why is this bad?
LiveView patches the page by matching elements by id: duplicates make it patch the wrong element, lose
focus and input, and break hooks, `phx-update` containers, labels and JS commands that target `#id`. The
client reports "Multiple IDs detected" in debug mode. LiveViewTest fails the test on a duplicate id by
default only on 1.0.1 and from 1.1.0; 1.0.2 to 1.0.x print a warning and pass (`on_error: :raise`, 1.0.3+,
makes them fail), and 0.20 and 1.0.0 do not check, so there it passes unnoticed.

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
A fixed id inside `:for` under an `:if` that compares the loop variable (or a field of it) with a literal
(`:if={tab == :transcript}` in a loop over tabs) renders once for each item holding that value: it repeats
only if the list holds the value twice, so that is medium (strict), unless an outer `:for` repeats the loop.

## Severity and confidence
Warning: patches go to the wrong element and hooks break, but data is not lost. High confidence: the id is
a literal where the template repeats it; medium under an :if keyed to one loop value.

## References
knowledge: streams#the-stream-contract-in-the-template
"""

import re

from ....sanitize import code_span
from ...rule import Hit, Rule
from ...template import nearest

RULE = Rule(
    slug="duplicate_dom_id", code="LV311", family="streams", severity="warning", confidence="high",
    languages=("elixir", "heex"),
    summary="A literal id rendered more than once: DOM patching matches the wrong element.",
    fix="Make the id unique per element: id={\"item-#{item.id}\"} inside loops.",
    cites="streams#the-stream-contract-in-the-template",
)
LOOP_NAME = re.compile(r"(?<![:@.\w])([a-z_]\w{0,60})")
LITERAL = r"(?::\w{1,60}|\"[^\"\n]{0,80}\"|-?\d{1,12})"
# `tab == :chat`, `item.kind === "note"`, `:chat == tab`: group 1 or 2 is the compared variable.
MAX_IF_DEPTH = 64  # elements between an id and its :for read for a keyed :if
KEYED = re.compile(r"\b([a-z_]\w{0,60})(?:\.\w{1,60}){0,3}\s{0,4}===?\s{0,4}" + LITERAL + r"(?![\w.])|"
                   r"(?<![\w.])" + LITERAL + r"\s{0,4}===?\s{0,4}([a-z_]\w{0,60})\b")


def _literal_id(element) -> str | None:
    attr = element.attr("id")
    if attr is None or attr.is_expr or not attr.value or "{" in attr.value or "<%" in attr.value:
        return None
    return attr.value


def _looped(node) -> bool:
    return node.has(":for")


def _loop_variables(loop) -> set[str]:
    """The names a :for binds (`{tab, i} <- Enum.with_index(@tabs)` -> tab, i)."""
    pattern = (loop.attr(":for").value or "")[:600].split("<-", 1)[0][:300]
    return set(LOOP_NAME.findall(pattern))


def _keyed_to_one_value(element, looped: dict) -> bool:
    """An :if between the element and its :for (either included) compares a loop variable, or a field of it,
    with a literal (`tab == :transcript`, `item.kind == "note"`): only the iterations holding that value
    render the id, once each. At most MAX_IF_DEPTH elements up are read (deep hostile nesting)."""
    loop = nearest(element, _looped, looped)
    if loop is None or (loop.parent is not None and nearest(loop.parent, _looped, looped) is not None):
        return False  # an outer loop repeats the whole inner one
    names = _loop_variables(loop)
    node = element
    for _ in range(MAX_IF_DEPTH):
        condition = (node.attr(":if").value or "")[:300] if node.has(":if") else ""
        if any((left or right) in names for left, right in KEYED.findall(condition)):
            return True
        if node is loop or node.parent is None:
            break
        node = node.parent
    return False


def _conditional(node) -> bool:
    return node.has(":if") or node.tag.startswith(":") or node.is_component


def _id_hit(element, message: str, confidence: str | None = None) -> Hit:
    """At the id attribute, where the fix goes: a start tag over several lines puts it below the tag's first line."""
    attr = element.attr("id")
    return Hit(line=attr.line, column=attr.column, end_line=attr.line, message=message, confidence=confidence)


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
                if _keyed_to_one_value(element, looped):
                    yield _id_hit(element, f"{shown} is inside {code_span(':for')}, under an {code_span(':if')} "
                                               "that renders it only for one value: it repeats only if the list holds "
                                               "that value twice.", "medium")
                else:
                    yield _id_hit(element, f"{shown} is repeated on every iteration of {code_span(':for')}.")
                continue
            if has_blocks or nearest(element, _conditional, conditional):
                continue
            if value in seen:
                yield _id_hit(element, f"{shown} is already used on line {seen[value].line}.")
            else:
                seen[value] = element
