"""## What it does
Flags EEx-era syntax in HEEx templates: `<%= ... %>` inside an attribute value or a tag (`class="btn
<%= @size %>"`, `<div <%= @attrs %>>`), `Enum.each` used to render a list, `<% else if ... %>`, and the
`~E` sigil of Phoenix.HTML.

## Why is this bad?
HEEx parses tags itself: EEx inside a tag is a compile error ("expected closing `\"` for attribute value"
inside a quoted value, "expected closing `>` or `/>`" between attributes). `Enum.each` returns `:ok`, so the
items are never rendered (and `<%= %>` prints "ok"). Elixir has no `else if`: it
opens a second `if` inside the `else` and needs its own `end`, which usually ends in a syntax error or
wrong nesting. `~E` was deprecated in phoenix_html 3.1 and removed in 4.0.

## Example
```heex
<div class="card <%= @variant %>">
  <%= Enum.each(@items, fn item -> %><p>{item}</p><% end) %>
</div>
```

## Use instead
```heex
<div class={["card", @variant]}>
  <p :for={item <- @items}>{item}</p>
</div>
```

## False positives
Only HEEx templates (`~H`, `.heex`) are checked for the template forms; `~L` and `.eex` templates are EEx
and allow them.

## Severity and confidence
Error: the template does not compile, or renders nothing (or "ok") where a list belongs. High confidence:
the syntax is in the template. No harm class: the compiler or the first render shows it.

## References
knowledge: references/release-history#upgrade-checklist-by-topic
"""

import re

from ...helpers import module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="eex_syntax_in_heex", code="LV310", family="streams", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="EEx-era syntax in a HEEx template: it does not compile or renders nothing.",
    fix="Use {expr} in attributes, :for (or <%= for %>) for lists, cond/case instead of else if, ~H instead of ~E.",
    cites="release-history#upgrade-checklist-by-topic",
)
ENUM_EACH = re.compile(r"^\s*(?:Enum\.each|Enum\.each/\d)\(")
ELSE_IF = re.compile(r"^\s*else\s+if\b")
SIGIL_E = re.compile(r"(?<![\w~])~E(?:\"\"\"|[\"'(\[{|/<])")


def check(ctx):
    if (ctx.filename or "").lower().endswith((".eex", ".leex")):
        return  # an EEx template (`.html.eex`, reviewed for what it renders): EEx is its own syntax there
    for template in ctx.templates:
        for element in template.elements:
            for name, attr in element.attrs.items():
                if "<%" in (attr.value or "") or name in ("%", "<%", "<%=") or name.startswith("<%"):
                    # On the attribute's own line: a tag written over several lines shows where the EEx is.
                    yield Hit(line=attr.line, column=attr.column,
                              message=f"<{element.tag}> has EEx inside the tag: HEEx does not compile it. Use "
                                      "name={expr} (a list or an interpolated string for classes).")
                    break
        if "Enum.each" not in template.source and "else" not in template.source:
            continue
        for node, source in template.expressions():
            line, column = template.position(node)
            if ENUM_EACH.match(source):
                yield Hit(line=line, column=column, message="Enum.each returns :ok: nothing of the list is rendered. "
                                                            "Use :for or <%= for ... do %>.")
            elif ELSE_IF.match(source):
                yield Hit(line=line, column=column, message="Elixir has no else if: use cond or case.")
    if ctx.language == "elixir" and "~E" in ctx.source:
        for _, line in module_text_calls(ctx, SIGIL_E):
            yield Hit(line=line, column=1,
                      message="~E is Phoenix.HTML's EEx sigil, removed in phoenix_html 4.0: use ~H.")
