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
Rebinding `assigns` itself (`assigns = assign(assigns, :total, total)`) is the right way in function
components and is not flagged, nor is a local that only reaches the template through such an assign.
Variables bound from loop or slot variables alone (no `@` reference), and any binding inside a `for` or
`:for` body (re-rendered as a unit anyway), are not flagged; bindings inside `if`, `case`, `cond`, `:if`
or `:let` blocks cost only that block and are medium confidence. `:for`, `:let`, `case` and `for`
variables themselves are fine. Controller views and the
root layout have no change tracking and are skipped.

## Severity and confidence
Warning: a performance and staleness risk, not a crash. High at the top of `render/1`; medium inside branches.

## References
knowledge: lifecycle#change-tracking-pitfalls
"""

import re
from bisect import bisect_left, bisect_right

from ...elixir_tree import text, walk
from ....parsing import parse
from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="template_local_variable", code="LV114", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A variable defined for the template disables change tracking for it.",
    fix="Compute the value in a callback and assign it; rebind assigns with assign/3 in function components.",
    cites="lifecycle#change-tracking-pitfalls",
)
MATCH_IN_TEMPLATE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*=[^=>~]")
STRING = re.compile(r'"(?:\\.|[^"\\])*"')
ASSIGN_REFERENCE = re.compile(r"@\w|(?<![\w.])assigns\b")


def _used_in(name: str, templates) -> bool:
    """The name as a variable in template expressions, found by parsing each expression as Elixir: an
    identifier, not `@name`, a field (`.name`), a keyword key, a call, or text inside a string."""
    for template in templates:
        for _, expression in template.expressions():
            if name not in expression:
                continue
            tree = parse("elixir", expression)
            for node in walk(tree.root_node):
                if node.type != "identifier" or text(node) != name:
                    continue
                parent = node.parent
                if parent is not None and (
                        (parent.type == "unary_operator" and text(parent).startswith("@"))  # @name
                        or (parent.type == "call" and parent.child_by_field_name("target") is not None
                            and parent.child_by_field_name("target").start_byte == node.start_byte)  # name(...)
                        or (parent.type == "dot" and parent.child_by_field_name("right") is not None
                            and parent.child_by_field_name("right").start_byte == node.start_byte)):  # x.name
                    continue
                return True
    return False


def _bound_in_template(name: str, source: str) -> bool:
    """The template binds the same name itself (`:for={item <- ...}`, `:let={item}`, `for item <-`), so its
    uses are that variable, not the local."""
    word = re.escape(name)
    return re.search(rf"(:for=\{{\s*|\bfor\s+)[^<]*?\b{word}\b[^<]*?<-|:let=\{{[^}}]*\b{word}\b", source) is not None


BLOCK_OPEN = re.compile(r"\b(do|->)\s*$")
BLOCK_END = re.compile(r"^\s*end\b")
LOOP = re.compile(r"^\s*for\b")
BRANCH = re.compile(r"^\s*(if|unless|case|cond)\b")


def _template_bindings(template):
    """(directive node, enclosing kind) for each `<% x = ... %>` that reads an assign. The kind is "loop"
    inside a `for`/`:for` body (re-rendered as a unit anyway), "branch" inside `if`/`case`/`cond`/`:if`/
    `:let` or another block, and None at the top of the template."""
    directives = sorted((n for n in walk(template.root) if n.type == "directive"), key=lambda n: n.start_byte)
    element_of = {e.node.id: e for e in template.elements}
    stack: list[str] = []
    for node in directives:
        source = text(node)
        body = source[3:] if source.startswith("<%=") else source[2:]
        body = body[:-2] if body.endswith("%>") else body
        if BLOCK_END.match(body):
            if stack:
                stack.pop()
            continue
        if BLOCK_OPEN.search(body.strip()):
            stack.append("loop" if LOOP.match(body) else "branch")
            continue
        if source.startswith("<%=") or not MATCH_IN_TEMPLATE.match(body):
            continue
        if not ASSIGN_REFERENCE.search(body.split("=", 1)[1]):
            continue
        holders = _holders(node, element_of)
        if "loop" in stack or any(e.has(":for") for e in holders):
            yield node, "loop"
        elif stack or any(e.has(":if") or e.has(":let") for e in holders):
            yield node, "branch"
        else:
            yield node, None


def _holders(node, element_of: dict) -> list:
    """The elements around a node: the innermost one and its ancestors."""
    current = node.parent
    while current is not None and current.id not in element_of:
        current = current.parent
    if current is None:
        return []
    innermost = element_of[current.id]
    return [innermost, *innermost.ancestors()]


def check(ctx):
    if ctx.dead_rendered:
        return
    for template in ctx.templates:
        for node, enclosing in _template_bindings(template):
            if enclosing == "loop":
                continue
            line, column = template.position(node)
            yield Hit(line=line, column=column, message="A variable is bound inside the template.",
                      confidence="medium" if enclosing == "branch" else None)
    if ctx.module is None:
        return
    offsets = [template.line_offset for template in ctx.templates]  # in source order
    for clause in ctx.module.clauses:
        if clause.arity != 1 or clause.body is None or "~H" not in text(clause.body):
            continue
        first, last = clause.body.start_point[0], clause.body.end_point[0]
        templates = ctx.templates[bisect_left(offsets, first) : bisect_right(offsets, last)]
        template_source = "\n".join(template.source for template in templates)
        for statement in clause.body.named_children:
            if statement.type == "binary_operator" and text(statement.child_by_field_name("operator")) == "=":
                left = statement.child_by_field_name("left")
                if left is not None and left.type == "identifier" and text(left) not in ("assigns", "_"):
                    name = text(left)
                    if _used_in(name, templates) and not _bound_in_template(name, template_source):
                        yield Hit(line=statement.start_point[0] + 1, column=statement.start_point[1] + 1,
                                  message=f"{code_span(name)} is computed in {clause.name}/1 and used in the template.")
