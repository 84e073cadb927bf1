"""## What it does
Flags a whole record JSON-encoded into an HTML attribute (`data-user={Jason.encode!(@current_user)}`,
`data-post={JSON.encode!(post)}` inside `:for={post <- @posts}`): an encoder call whose argument is a bare
assign or a comprehension variable, not a map or list built for the purpose (`%{id: ..., name: ...}`,
`Map.take(...)`, a function that picks the fields).

## Why is this bad?
Everything in an attribute is in the page source. A record serialised whole sends every field it has, or
will have after the next migration (emails, roles, internal flags, tokens), to anyone who can open the page,
and LiveView re-sends the whole JSON whenever the record changes. A hook needs a few fields.

## Example
```heex
<div id="profile" phx-hook="Profile" data-user={Jason.encode!(@current_user)}></div>
```

## Use instead
```heex
<div id="profile" phx-hook="Profile" data-user={Jason.encode!(%{id: @current_user.id, name: @current_user.name})}></div>
```

The record may be piped into the encoder (`@current_user |> Jason.encode!()`).

## False positives
A schema whose encoder is derived with `only:` sends just those fields, which this file cannot see. So
only users, accounts, members and other people records, assigns whose fields the template reads elsewhere
(`@article.slug`: a record), and comprehension variables (a record per row, bound by `:for`, a slot's `:let` or an
EEx `<%= for n <- ... do %>`; `Map.from_struct/1` around them changes nothing) are
high confidence. Another bare assign named
by a singular noun (`@network`, `@order`) reads as one record: medium, shown. Assigns named for what a hook
draws (`@chart_data`, `@config`, `@options`, `@cell_output`, `@stats`) or plural lists (`@response_times`,
`@datasets`: usually numbers or rows built for a chart) are low.

## Severity and confidence
Error, harm security: every field of the record (emails, roles, tokens, whatever a later migration adds) reaches
anyone who can open the page, and the whole JSON is re-sent on each change; an `only:` encoder may guard it, which
this file cannot see. The harm class shows the medium ones by default, marked. High for people records, assigns the template
reads as records, and per-row records; medium for other singular assigns; low for payload-named and plural ones.

## References
knowledge: security#secrets-in-the-page
"""

import re
from itertools import islice

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="record_json_in_data_attribute", code="LV607", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"),
    summary="A whole record is JSON-encoded into an attribute: every field reaches the page.",
    fix="Encode only the fields the hook needs: Jason.encode!(%{id: r.id, name: r.name}) or Map.take/2.",
    cites="security#secrets-in-the-page", harm="security",
)
ENCODE = re.compile(r"^\s*(?:Jason|JSON|Poison|Phoenix\.json_library\(\))\.encode!?\(\s*(?:Map\.from_struct\(\s*)?"
                    r"(@?[a-z_]\w*)\s*\)?\s*\)\s*$")
# The record piped into the encoder (`@current_user |> Jason.encode!()`, through `Map.from_struct()` too).
PIPED_ENCODE = re.compile(r"^\s*(@?[a-z_]\w*)\s*(?:\|>\s*Map\.from_struct\(\s*\)\s*)?\|>\s*"
                          r"(?:Jason|JSON|Poison|Phoenix\.json_library\(\))\.encode!?\(\s*\)\s*$")
PEOPLE = re.compile(r"(^|_)(user|users|account|accounts|member|members|customer|customers|profile|person|people|"
                    r"scope|owner|author|admin|employee|patient|student|contact)$")
# Names of what a hook draws rather than of a record: chart data, options, outputs, measurements.
PAYLOAD_NAME = re.compile(r"(^|_)(data|json|config|configuration|options?|opts|settings|payload|props|params|state|"
                          r"theme|style|filters?|query|bounds|range|"
                          r"chart|series|points|labels|values|stats|metrics|output|result|response|coords|coordinates|"
                          r"geojson|layout|spec|schema|meta|metadata|info|summary|totals|counts|map|index|tree|graph)$")
LOOP = re.compile(r"^\s*([a-z_]\w*)\s*<-")
FIELD_READ = re.compile(r"@([a-z_]\w*)\.[a-z_]")
# A row variable bound by an EEx comprehension (`<%= for n <- @notifications do %>`), not a `:for`.
EEX_FOR = re.compile(r"<%=?\s{0,20}for\s{1,20}([a-z_]\w{0,60})\s{0,20}<-")
MAX_LOOP_DEPTH = 64  # enclosing elements searched for the :for that binds a local (bounds hostile nesting)


def _loop_variables(element) -> set[str]:
    names = set()
    for node in (element, *islice(element.ancestors(), MAX_LOOP_DEPTH)):
        loop = node.attr(":for")
        match = LOOP.match(loop.value or "") if loop is not None else None
        if match:
            names.add(match.group(1))
        row = node.attr(":let")  # a slot's row (`<:action :let={secret}>` of a table)
        if row is not None and re.fullmatch(r"\s*[a-z_]\w*\s*", row.value or ""):
            names.add(row.value.strip())
    return names


def check(ctx):
    # Assigns whose fields the templates read (`@article.slug`), found in one pass.
    field_reads = {m.group(1) for template in ctx.templates for m in FIELD_READ.finditer(template.source)}
    for template in ctx.templates:
        eex_rows = {m.group(1) for m in EEX_FOR.finditer(template.source)}
        for element in template.elements:
            for name, attr in element.attrs.items():
                if not attr.is_expr or not name.startswith("data-"):
                    continue
                match = ENCODE.match(attr.value or "") or PIPED_ENCODE.match(attr.value or "")
                if match is None:
                    continue
                value = match.group(1)
                bare = value.lstrip("@")
                if not value.startswith("@") and bare not in eex_rows and bare not in _loop_variables(element):
                    continue  # a local the template built for the purpose
                per_row = not value.startswith("@")
                # An assign whose fields the template reads (`@article.slug`) is a record, not a payload built for
                # the hook.
                record = bare in field_reads
                # Another assign named by a singular noun (`@network`) reads as one record: medium, shown for its harm.
                singular = not bare.endswith("s") and not PAYLOAD_NAME.search(bare)
                confidence = None if per_row or record or PEOPLE.search(bare) else "medium" if singular else "low"
                yield Hit(line=attr.line, column=attr.column, confidence=confidence,
                          message=f"{code_span(name)} holds {code_span(value)} JSON-encoded whole: every field of the "
                                  "record is in the page.")
