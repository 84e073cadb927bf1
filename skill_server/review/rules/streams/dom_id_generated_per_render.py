"""## What it does
Flags an element whose `id` is made by a call that returns a new value each time it runs
(`Ecto.UUID.generate()`, `System.unique_integer()`, `:rand.uniform()`, `make_ref()`, a clock) inside the
template.

## Why is this bad?
LiveView and its DOM patching match elements across patches by id. An id computed in the template is computed
again whenever that part of the template renders again: for every row of a `:for` each time the list changes,
for a stream item each time it is inserted or updated, for any expression each time an assign it reads
changes, and always between the dead render and the connected one. Each new id is a new element to the
client: a `phx-hook` element is destroyed and mounted again, a `phx-update="ignore"` element loses what the
browser or a script put in it, focus and input state are lost, and a `<label for>` or JS command aimed at the
old id misses.

## Example
```heex
<li :for={entry <- @entries} id={"entry-#{entry.id}"}>
  <time id={Ecto.UUID.generate()} phx-update="ignore">{entry.at}</time>
</li>
```

## Use instead
```heex
<li :for={entry <- @entries} id={"entry-#{entry.id}"}>
  <time id={"entry-#{entry.id}-at"} phx-update="ignore">{entry.at}</time>
</li>
```
Derive the id from the record (`dom_id`-style `"entry-#{entry.id}"`) or, for a component, take it as an
attribute from the caller. A one-off unique value made once in `mount/3` and kept in an assign is stable too.

## False positives
An expression that reads no assign and is outside every `:for` is evaluated again only on a new mount (dead
render, connected render, reconnect): a stable id is still right, but nothing is replaced while the view
lives, so that case is medium (strict only). A generator in an `id` taken from an assign is not seen: the
value was made once.

## Severity and confidence
Warning: elements are rebuilt and hooks remounted, no data is lost. High where the template renders the id
again while the view lives (a `:for` row or stream item, a `:let` slot such as a table column, or an expression that reads an
assign); medium
otherwise.

## Versions
All versions from 0.20 to 1.2: change tracking re-evaluates a comprehension's rows and an expression whose
assigns changed in every release.

## References
knowledge: streams#the-stream-contract-in-the-template
"""

import re

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="dom_id_generated_per_render", code="LV313", family="streams", severity="warning", confidence="high",
    languages=("elixir", "heex"),
    summary="An id made fresh in the template: each render gives the element a new id.",
    fix="Derive the id from the record (id={\"entry-#{entry.id}\"}) or take it from an assign set once.",
    cites="streams#the-stream-contract-in-the-template",
)
# Calls that return a different value on every call.
GENERATOR = re.compile(
    r"(?<![\w.])(?:Ecto\.UUID\.(?:generate|autogenerate|bingenerate)|UUID\.uuid[14]|Uniq\.UUID\.uuid[47]"
    r"|System\.(?:unique_integer|os_time|system_time|monotonic_time)|:erlang\.(?:unique_integer|make_ref)"
    r"|:rand\.(?:uniform|bytes)|:crypto\.strong_rand_bytes|make_ref|Enum\.random|DateTime\.utc_now"
    r"|NaiveDateTime\.utc_now)\s{0,4}\(")
ASSIGN = re.compile(r"@\w|\bassigns\.")


def _in_loop(element) -> bool:
    """In a `:for` row, or in a slot taking a value per call (`<:col :let={row}>`: a table renders it per row)."""
    return any(node.has(":for") or node.has(":let") for node in (element, *element.ancestors()))


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            attr = element.attr("id")
            if attr is None or not attr.is_expr or not attr.value:
                continue
            call = GENERATOR.search(attr.value[:600])
            if call is None:
                continue
            live = _in_loop(element) or ASSIGN.search(attr.value[:600]) is not None
            name = call.group(0).rstrip("( ")
            where = "its row renders" if _in_loop(element) else "the template renders it"
            message = (f"{code_span(f'<{element.tag}>')} gets its id from {code_span(name + '()')}: a new id each "
                       f"time {where}, so LiveView replaces the element"
                       + (" and remounts its hook" if element.has("phx-hook") else "")
                       + (" and drops what the browser put inside it" if element.has("phx-update") else "")
                       + ". Derive the id from the record or an assign set once.")
            yield Hit(line=attr.line, column=attr.column, message=message, confidence=None if live else "medium")
