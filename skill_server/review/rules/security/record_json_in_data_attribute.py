"""## What it does
Flags a whole record JSON-encoded into an HTML attribute (`data-user={Jason.encode!(@current_user)}`,
`data-post={JSON.encode!(post)}` inside `:for={post <- @posts}`): an encoder call whose argument is a bare
assign or a comprehension variable, not a map or list built for the purpose (`%{id: ..., name: ...}`,
`Map.take(...)`, a function that picks the fields). A record handed over as a value of a map literal, the
usual way to pass a hook several props (`Jason.encode!(%{user: @current_user, posts: @posts})`,
`%{"user" => @current_user}`, nested maps too), is the same leak: each value is looked at as a bare argument
would be. Every encoder entry point counts (`encode!`, `encode`, `encode_to_iodata!` of Jason, JSON and
Poison), and so does a `data-*` entry of a literal map of dynamic attributes
(`<div {%{"data-user" => Jason.encode!(@user)}}>`). Every attribute whose value is in the page source is read:
`data-*`, `phx-value-*`, an HTML element's `value` (a hidden input) and each entry of a JS command's `value:` map
(`phx-click={JS.push("pick", value: %{u: Jason.encode!(@user)})}`); a component's own `value` is its argument.

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

The record, or a map literal holding it, may be piped into the encoder (`@current_user |> Jason.encode!()`).

## False positives
A schema whose encoder is derived with `only:` sends just those fields, which a file alone cannot see. In project
review, when the assign is bound to a struct in the function's head (`%{location: %Events.Place{}} = assigns`), that
module is read: derived with `only:` or `except:` it is not reported, and an `embedded_schema` deriving the encoder
whole (a small value object made to be handed over, with no table row's metadata or associations) is low. Otherwise
only users, accounts, members and other people records, assigns whose fields the template reads elsewhere
(`@article.slug`: a record), and comprehension variables (a record per row, bound by `:for`, a slot's `:let` or an
EEx `<%= for n <- ... do %>`; `Map.from_struct/1` around them changes nothing) are
high confidence. Another bare assign named
by a singular noun (`@network`, `@order`) reads as one record: medium, shown. Assigns named for what a hook
draws or consumes (`@chart_data`, `@config`, `@upload_context`, `@options`, `@cell_output`, `@stats`) or plural lists (`@response_times`,
`@datasets`: usually numbers or rows built for a chart) are low, unless the page shows that list as records (each
row's fields read, `:for={key <- @api_keys}` then `key.name`, or a table's `rows={@api_keys}`): medium, shown.
`Map.drop(record, [:__meta__])` still hands over the record whole.

Inside a map literal only the same people, read-as-record and per-row values are high. A map is a payload the
author shaped for the hook, and its keys are mostly scalars (`%{id: @post.id, count: @count, title:
@post.title}`): a singular assign there is low, and payload-named or plural assigns are not reported; field
reads (`@post.title`) and calls are never records. A keyword list (`Jason.encode!(user: @current_user)`) is
not looked at: the encoders cannot encode its tuples and raise, so nothing reaches the page.

## Severity and confidence
Error, harm security: every field of the record (emails, roles, tokens, whatever a later migration adds) reaches
anyone who can open the page, and the whole JSON is re-sent on each change; an `only:` encoder may guard it, which
this file cannot see. The harm class shows the medium ones by default, marked. High for people records, assigns the template
reads as records, and per-row records, bare or in a map literal; medium for other singular bare assigns and plural ones the page shows as records; low for
payload-named and other plural bare assigns and for other singular assigns in a map literal.

## References
knowledge: security#secrets-in-the-page
"""

import re
from itertools import islice

from ....brackets import plain_expression
from ....sanitize import code_span
from ...elixir_tree import text
from ...template import START_NODES
from ...project_sources import module_source
from ...reading_limits import reached
from ...rule import Hit, Rule

RULE = Rule(
    slug="record_json_in_data_attribute", code="LV607", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"),
    summary="A whole record is JSON-encoded into an attribute: every field reaches the page.",
    fix="Encode only the fields the hook needs: Jason.encode!(%{id: r.id, name: r.name}) or Map.take/2.",
    cites="security#secrets-in-the-page", harm="security",
)
# Every encoder entry point: `encode`, `encode!` and the iodata forms (`Jason.encode_to_iodata!`) render the same JSON.
ENCODER = r"(?:Jason|JSON|Poison|Phoenix\.json_library\(\))\.encode(?:_to_iodata)?!?\("
ENCODE = re.compile(r"^\s*" + ENCODER + r"\s*(?:Map\.from_struct\(\s*)?"
                    r"(@?[a-z_]\w*)\s*\)?\s*\)\s*$")
# The record piped into the encoder (`@current_user |> Jason.encode!()`, through `Map.from_struct()` too).
PIPED_ENCODE = re.compile(r"^\s*(@?[a-z_]\w*)\s*(?:\|>\s*Map\.from_struct\(\s*\)\s*)?\|>\s*"
                          + ENCODER + r"\s*\)\s*$")
PEOPLE = re.compile(r"(^|_)(user|users|account|accounts|member|members|customer|customers|profile|person|people|"
                    r"scope|owner|author|admin|employee|patient|student|contact)$")
# Names of what a hook draws rather than of a record: chart data, options, outputs, measurements.
PAYLOAD_NAME = re.compile(r"(^|_)(data|json|config|configuration|context|options?|opts|settings|payload|props|params|state|"
                          r"theme|style|filters?|query|bounds|range|"
                          r"chart|series|points|labels|values|stats|metrics|output|result|response|coords|coordinates|"
                          r"geojson|layout|spec|schema|meta|metadata|info|summary|totals|counts|map|index|tree|graph)$")
LOOP = re.compile(r"^\s*([a-z_]\w*)\s*<-")
FIELD_READ = re.compile(r"@([a-z_]\w*)\.[a-z_]")
# A row variable bound by an EEx comprehension (`<%= for n <- @notifications do %>`), not a `:for`.
EEX_FOR = re.compile(r"<%=?\s{0,20}for\s{1,20}([a-z_]\w{0,60})\s{0,20}<-")
MAX_LOOP_DEPTH = 64  # enclosing elements searched for the :for that binds a local (bounds hostile nesting)
# A map literal handed to the encoder (`Jason.encode!(%{user: @current_user})`), or piped into it; the literal's
# braces are checked by `_map_entries`.
ENCODE_MAP = re.compile(r"^\s*" + ENCODER + r"\s*(%\{.*\})\s*\)\s*$", re.DOTALL)
PIPED_ENCODE_MAP = re.compile(r"^\s*(%\{.*\})\s*\|>\s*" + ENCODER + r"\s*\)\s*$", re.DOTALL)
# One entry of a map literal: `key: value`, `"key": value`, `"key" => value` or `:key => value`.
MAP_ENTRY = re.compile(r'\s*(?:"([a-z_][\w-]*[?!]?)":\s|([a-z_]\w*[?!]?):\s|(?::|")([a-z_][\w-]*)"?\s*=>)(.*)', re.DOTALL)
ENCODED_VALUE = re.compile(r"Map\.from_struct\(\s*(@?[a-z_]\w*)\s*\)|(@?[a-z_]\w*)")
MAX_MAP_DEPTH = 4  # nested map literals searched for a record
CONFIDENCES = ("low", "medium", "high")
RANK = {confidence: rank for rank, confidence in enumerate(CONFIDENCES)}


def _loop_variables(element) -> set[str]:
    names = set()
    ancestors = list(islice(element.ancestors(), MAX_LOOP_DEPTH + 1))
    if len(ancestors) > MAX_LOOP_DEPTH:  # a :for further out is not seen: the review says so (audit 13 A13-20)
        reached(f"elements nested more than {MAX_LOOP_DEPTH} deep around an encoded data attribute")
    for node in (element, *ancestors[:MAX_LOOP_DEPTH]):
        loop = node.attr(":for")
        match = LOOP.match(loop.value or "") if loop is not None else None
        if match:
            names.add(match.group(1))
        row = node.attr(":let")  # a slot's row (`<:action :let={secret}>` of a table)
        if row is not None and re.fullmatch(r"\s*[a-z_]\w*\s*", row.value or ""):
            names.add(row.value.strip())
    return names


def _map_entries(text: str, depth: int = 0):
    """(key, value) of each entry of a map literal `%{...}` (atom `key: v` or arrow `"key" => v` keys), the
    values of nested map literals too; nothing when `text` is not one balanced map literal."""
    text = text.strip()
    if depth > MAX_MAP_DEPTH or not text.startswith("%{"):
        return
    parts, start, level, quote, escaped = [], 2, 0, False, False
    for i in range(2, len(text)):
        char = text[i]
        if quote:
            quote, escaped = (escaped or char != '"'), (not escaped and char == "\\")
        elif char == '"':
            quote = True
        elif char in "([{":
            level += 1
        elif char in ")]}" and level:
            level -= 1
        elif char == "}":
            if text[i + 1:].strip():
                return  # the literal closes before the end: not one map
            parts.append(text[start:i])
            break
        elif char == "," and not level:
            parts.append(text[start:i])
            start = i + 1
    else:
        return
    for part in parts:
        entry = MAP_ENTRY.match(part)
        if entry is None:
            continue
        key, value = entry.group(1) or entry.group(2) or entry.group(3), entry.group(4).strip()
        if value.startswith("%{"):
            yield from _map_entries(value, depth + 1)
        else:
            yield key, value


def _encoded(value: str):
    """The record a value hands to the encoder (`@user`, `Map.from_struct(@user)`, a local), or None."""
    match = ENCODED_VALUE.fullmatch(value.strip())
    return match and (match.group(1) or match.group(2))


# A list whose rows the template reads as records: `:for={key <- @api_keys}` then `key.name`, an EEx `for key <- @api_keys`,
# or the rows of a table component (`<.table rows={@api_keys}>`).
ROW_LOOP = re.compile(r"(?::for=\{\s{0,8}|<%=?\s{0,20}for\s{1,20})([a-z_]\w{0,60})\s{0,8}<-\s{0,8}@([a-z_]\w{0,60})\s{0,8}[}\s]")
# A name whose field is read (`post.title`), not itself a field (`a.post.title` names only `a`).
FIELD_READ = re.compile(r"(?<![\w.])([a-z_]\w{0,60})(?=\.[a-z_])")
TABLE_ROWS = re.compile(r"\brows=\{\s{0,8}@([a-z_]\w{0,60})\s{0,8}\}")
# Dropping a few keys leaves the record whole: `Map.drop(Map.from_struct(user), [:__meta__])`.
DROPPED = re.compile(r"Map\.drop\(\s{0,8}((?:Map\.from_struct\(\s{0,8})?@?[a-z_]\w{0,60}\s{0,8}\)?)\s{0,8},\s{0,8}\[[^\[\]]{0,200}\]\s{0,8}\)")


def _record_lists(templates) -> set[str]:
    """Plural assigns whose rows a template reads as records (fields of each row, or a table's rows)."""
    found = set()
    for template in templates:
        source = template.source
        loops = ROW_LOOP.findall(source)
        if loops:
            # The names whose fields the template reads, collected once: a search per loop over the whole
            # template was loops x size (audit 12 P8).
            read = set(FIELD_READ.findall(source))
            found.update(rows for row, rows in loops if row in read)
        found |= set(TABLE_ROWS.findall(source))
    return {name for name in found if not PAYLOAD_NAME.search(name)}


def _confidence(value: str, rows: set[str], field_reads: set[str], in_map: bool,
                record_lists: frozenset = frozenset()) -> str | None:
    """How surely `value`, handed to the encoder, is a whole record; None when it is not one."""
    bare = value.lstrip("@")
    if value.startswith("@") and bare in record_lists and not in_map:
        return "medium"  # a list the page shows as records (`key.name` of each row): every field of each one
    if not value.startswith("@"):
        return "high" if bare in rows else None  # a row of a comprehension, or a local built for the purpose
    if bare in field_reads or PEOPLE.search(bare):
        return "high"  # an assign the template reads as a record (`@article.slug`), or a people record
    singular = not bare.endswith("s") and not PAYLOAD_NAME.search(bare)
    if in_map:
        # Next to a key chosen for the hook, a singular assign is mostly a scalar (`count: @count`), and a
        # payload-named or plural one is data built for the hook.
        return "low" if singular else None
    return "medium" if singular else "low"


# The struct an assign is bound to in a function component's head (`%{location: %Events.Place{}} = assigns`).
STRUCT_BINDING = r"(?<![\w.]){name}:\s{{0,8}}%([A-Z][\w.]{{0,120}})\{{"
ALIAS = re.compile(r"^[ \t]{0,40}alias[ \t]{1,8}([A-Z][\w.]{0,160})(?:,[ \t]{0,8}as:[ \t]{0,8}([A-Z]\w{0,60}))?[ \t]*$", re.M)
# The encoder derived with the fields it sends (`@derive {Jason.Encoder, only: [:id, :name]}`), or whole.
DERIVED_FIELDS = re.compile(r"@derive\s{0,8}\{\s{0,8}(?:Jason|JSON)\.Encoder\s{0,8},\s{0,8}(?:only|except):")
DERIVED_WHOLE = re.compile(r"@derive\s{0,8}\[?\s{0,8}(?:Jason|JSON)\.Encoder\b(?!\s{0,8},)")


def _struct_of(ctx, assign: str) -> str | None:
    """The full name of the struct `assign` is matched against in this file's function heads, aliases expanded."""
    bound = re.search(STRUCT_BINDING.format(name=re.escape(assign)), ctx.source)
    if bound is None:
        return None
    written = bound.group(1)
    first, _, rest = written.partition(".")
    for alias in ALIAS.finditer(ctx.source):
        if (alias.group(2) or alias.group(1).rsplit(".", 1)[-1]) == first:
            return alias.group(1) + ("." + rest if rest else "")
    return written


def _purpose_built(ctx, assign: str) -> str | None:
    """In project review, how the struct bound to `assign` encodes: "fields" when its encoder is derived with
    `only:`/`except:` (the author chose what the page gets), "embed" when an embedded schema derives it whole (a
    value object made to be handed over, with no table row's metadata or associations), else None."""
    module = _struct_of(ctx, assign) if ctx.project_root else None
    source = module_source(ctx.project_root, module) if module else None
    if source is None:
        return None
    if DERIVED_FIELDS.search(source):
        return "fields"
    return "embed" if DERIVED_WHOLE.search(source) and "embedded_schema" in source else None


# Attributes written into the page as they are: `data-*` and `phx-value-*` (sent back on events and shown in the
# source; global attributes a component passes on to its element) and an HTML element's `value` (a hidden
# input's). A component's `value` (`<.card value={...}>`) is its argument, not the page's.
PAGE_ATTRIBUTE = re.compile(r"data-|phx-value-|value$")
GLOBAL_ATTRIBUTE = re.compile(r"data-|phx-value-")
# The `value:` map of a JS command (`JS.push("x", value: %{u: ...})`): the command is JSON in the attribute.
JS_VALUE = re.compile(r"\bvalue:\s{0,8}(?=%\{)")


def _balanced_map(source: str, start: int) -> str | None:
    """The map literal `%{...}` opening at `start`, its braces balanced (strings skipped), or None."""
    level, quote, escaped = 0, False, False
    for i in range(start + 1, len(source)):
        char = source[i]
        if quote:
            quote, escaped = (escaped or char != '"'), (not escaped and char == "\\")
        elif char == '"':
            quote = True
        elif char in "([{":
            level += 1
        elif char in ")]}":
            level -= 1
            if not level:
                return source[start:i + 1]
    return None


def _js_values(name: str, value: str, line: int, column: int):
    """Each entry of a JS command's `value:` map in an attribute, as its own attribute (`name` `value.key`)."""
    if "JS." not in value:
        return
    position = 0  # each map read once: a `value:` inside one already read is not searched again
    while (found := JS_VALUE.search(value, position)) is not None:
        literal = _balanced_map(value, found.end())
        if literal is None:
            return  # unbalanced to the end: nothing later closes either
        for key, entry in _map_entries(literal):
            yield f"{name} value.{key}", entry, line, column
        position = found.end() + len(literal)


def _data_attributes(template, element):
    """(name, expression text, line, column) of each attribute written into the page given an expression
    (`data-*`, `phx-value-*`, `value`, and the `value:` map of a JS command in any attribute): written one by one
    (`data-user={...}`) or as entries of a literal map of dynamic attributes (`<div {%{"data-user" => ...}}>`)."""
    component = element.is_component
    for name, attr in element.attrs.items():
        if not attr.is_expr:
            continue
        if (GLOBAL_ATTRIBUTE if component else PAGE_ATTRIBUTE).match(name):
            yield name, attr.value or "", attr.line, attr.column
        else:
            yield from _js_values(name, attr.value or "", attr.line, attr.column)
    start = next((c for c in element.node.children if c.type in START_NODES), None)
    for child in start.children if start is not None else ():
        inner = next((c for c in child.children if c.type == "expression_value"), None) \
            if child.type == "expression" else None
        if inner is None or not text(inner).lstrip().startswith("%{"):
            continue
        line, column = template.position(child)
        for key, value in _map_entries(text(inner)):
            if PAGE_ATTRIBUTE.match(key):
                yield key, value, line, column


def check(ctx):
    # Assigns whose fields the templates read (`@article.slug`), found in one pass.
    field_reads = {m.group(1) for template in ctx.templates for m in FIELD_READ.finditer(template.source)}
    record_lists: list[frozenset] = []  # read once, when a plural assign is encoded
    for template in ctx.templates:
        eex_rows = {m.group(1) for m in EEX_FOR.finditer(template.source)}
        for element in template.elements:
            for name, value_text, line, column in _data_attributes(template, element):
                source = DROPPED.sub(r"\1", plain_expression(value_text))
                match = ENCODE.match(source) or PIPED_ENCODE.match(source)
                literal = None if match else ENCODE_MAP.match(source) or PIPED_ENCODE_MAP.match(source)
                if match is None and literal is None:
                    continue
                rows = eex_rows | _loop_variables(element)
                if match:
                    value, where = match.group(1), ""
                    if not record_lists:
                        record_lists.append(frozenset(_record_lists(ctx.templates)))
                    confidence = _confidence(value, rows, field_reads, in_map=False, record_lists=record_lists[0])
                else:
                    # Each value of the literal, judged as a bare argument; the surest record is reported.
                    found = [(RANK[c], key, v) for key, raw in _map_entries(literal.group(1))
                             if (v := _encoded(raw)) and (c := _confidence(v, rows, field_reads, in_map=True))]
                    if not found:
                        continue
                    rank, key, value = max(found, key=lambda item: item[0])
                    confidence, where = CONFIDENCES[rank], f" under the key {code_span(key)} of a map"
                if confidence is None:
                    continue
                built = _purpose_built(ctx, value.lstrip("@")) if value.startswith("@") else None
                if built == "fields":
                    continue  # the encoder sends only the fields its schema names
                if built == "embed":
                    confidence = "low"  # an embedded value derived whole for encoding: made for the page, likely
                yield Hit(line=line, column=column, confidence=None if confidence == "high" else confidence,
                          message=f"{code_span(name)} holds {code_span(value)} JSON-encoded whole{where}: every "
                                  "field of the record is in the page.")
