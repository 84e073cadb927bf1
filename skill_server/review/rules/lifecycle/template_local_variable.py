"""## What it does
Flags variables bound inside a template (`<% total = ... %>`) and variables computed in `render/1` before
the `~H` that the template then uses.

## Why is this bad?
LiveView cannot track a local variable's dependencies, so everything that uses it re-renders on every
change, and the computation runs on every render.

## Example
```elixir
def render(assigns) do
  total = Enum.sum(Enum.map(assigns.items, & &1.price))
  ~H"<p>{total}</p>"
end
```

## Use instead
Compute it in the callback that changes the data and `assign(socket, :total, ...)`, then use `@total`.

## False positives
Rebinding `assigns` itself (`assigns = assign(assigns, :total, ...)`) is the right way in function
components and is not flagged; nor are the variables that `:for`, `:let`, `case` and `for` introduce.

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re

from ...elixir_tree import text, walk
from ...rule import Hit, Rule

RULE = Rule(
    slug="template_local_variable", code="LV114", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A variable defined for the template disables change tracking for it.",
    fix="Compute the value in a callback and assign it; rebind assigns with assign/3 in function components.",
    cites="lifecycle#change-tracking-pitfalls",
)
MATCH_IN_TEMPLATE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*=[^=>~]")


def check(ctx):
    for template in ctx.templates:
        for node in walk(template.root):
            if node.type == "directive" and not text(node).startswith("<%="):
                body = text(node)[2:].strip()
                if MATCH_IN_TEMPLATE.match(body):
                    line, column = template.position(node)
                    yield Hit(line=line, column=column, message="A variable is bound inside the template.")
    if ctx.module is None:
        return
    for clause in ctx.module.clauses:
        if clause.arity != 1 or clause.body is None or "~H" not in text(clause.body):
            continue
        for statement in clause.body.named_children:
            if statement.type == "binary_operator" and text(statement.child_by_field_name("operator")) == "=":
                left = statement.child_by_field_name("left")
                if left is not None and left.type == "identifier" and text(left) not in ("assigns", "_"):
                    name = text(left)
                    if re.search(r"(?<![@\w])" + re.escape(name) + r"\b", text(clause.body).split("~H", 1)[1]):
                        yield Hit(line=statement.start_point[0] + 1, column=statement.start_point[1] + 1,
                                  message=f"`{name}` is computed in {clause.name}/1 and used in the template.")
