"""## What it does
Flags stream children rendered from `@streams.name` (with `:for` or an EEx `<%= for ... %>` block) without
`id={dom_id}` or with an id other than the stream's DOM id (`id={"post-#{post.id}"}`, a prefixed
`dom_id`), stream containers that lack `phx-update="stream"` or an `id` (the immediate parent), and a child of a
`phx-update="stream"` container with no id (a wrapper put around the items, whatever they are rendered from).

## Why is this bad?
The client matches stream items to DOM elements by the DOM id the server sends: without it, or with an id
the template made up, inserts duplicate, updates and deletes miss (and LiveViewTest raises). The `stream/4`
docs say never to alter the generated ids. The container must carry `phx-update="stream"` and an id, and be
the items' immediate parent.

## Example
```heex
<ul id="messages">
  <li :for={{_id, msg} <- @streams.messages}>{msg.body}</li>
</ul>
```

## Use instead
```heex
<ul id="messages" phx-update="stream">
  <li :for={{dom_id, msg} <- @streams.messages} id={dom_id}>{msg.body}</li>
</ul>
```

## False positives
Only literal `@streams.` comprehensions whose pattern is a `{dom_id, item}` tuple are checked for altered
ids; a stream rendered by a component (`<.table rows={@streams.posts}>`) is the component's business. When
the stream's child is itself a component call, its root is rendered out of sight: passing the tuple's id to
it or to a component inside it (`<Canvas.item meta={meta}><.shape id={id} /></Canvas.item>`) counts, and a
component child with no id in view is medium (the component may set `id={@item.id}`, the stream's dom_id).

## Severity and confidence
Error: inserts duplicate and deletes miss in the browser, and LiveViewTest raises. No harm class: the
breakage shows on the first update in development. High confidence for literal `@streams` comprehensions
over HTML children; medium when the child is a component that may set the id inside.

## References
knowledge: streams#the-stream-contract-in-the-template
"""

import re

from ....sanitize import code_span
from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="stream_item_missing_dom_id", code="LV302", family="streams", severity="error", confidence="high",
    languages=("heex",), summary="Stream items need id={dom_id} and a phx-update=\"stream\" parent with an id.",
    fix='Render id={dom_id} on each item and phx-update="stream" plus an id on the immediate parent.',
    cites="streams#the-stream-contract-in-the-template",
)
STREAM_GENERATOR = re.compile(r"@streams\.\w+(?:\s*do)?")
MAX_PATTERN = 200  # characters left of `<-`; a longer one is no loop pattern
MAX_HEADER = 400  # bytes of an EEx `<%= for ... do %>` directive
# Phoenix.Component's own components that render the id they are given and set none themselves.
PASS_THROUGH = {".link", ".form", ".focus_wrap", ".dynamic_tag", ".live_file_input"}
EEX_FOR = re.compile(r"^<%=?\s*for\s")
DROPPED_ID = re.compile(r"\{\s*_\w*\s*,.*\}", re.S)


def _dom_id_variable(pattern: str) -> str | None:
    """`dom_id` in `{dom_id, item}`; None when the pattern is not a two-tuple or drops the id."""
    match = re.fullmatch(r"\{\s*([a-z_]\w*)\s*,.*\}", pattern.strip(), re.S)
    if match is None or match.group(1).startswith("_"):
        return None
    return match.group(1)


def _comprehension(value: str) -> tuple[str, str] | None:
    """(pattern, generator) of `[for] pattern <- generator`, split at the first `<-` (a split, not a
    backtracking regex: a loop value may be long), or None when there is no pattern of at most MAX_PATTERN
    characters."""
    text = value.lstrip()
    if re.match(r"for\s", text):
        text = text[3:].lstrip()
    arrow = text.find("<-")
    pattern = text[:arrow].rstrip() if arrow >= 0 else ""
    if not 0 < len(pattern) <= MAX_PATTERN:
        return None
    return pattern, text[arrow + 2 :].strip()


def _stream_pattern(value: str) -> str | None:
    """The pattern of a comprehension over `@streams.name`."""
    parts = _comprehension(value)
    return parts[0] if parts is not None and STREAM_GENERATOR.fullmatch(parts[1]) else None


def _named_siblings(element, known: dict) -> tuple[list, dict]:
    """The named nodes beside `element` and each one's index, from its parent element's node, read once per
    parent (tree-sitter's prev_named_sibling walks down from the root, so calling it per element costs
    the depth each time)."""
    parent = element.parent.node
    if parent.id not in known:
        children = parent.named_children
        known[parent.id] = children, {child.id: n for n, child in enumerate(children)}
    return known[parent.id]


def _eex_loop(element, known: dict) -> str | None:
    """The pattern of the `<%= for {id, item} <- @streams.x do %>` block an element sits in, if any."""
    siblings, index = _named_siblings(element, known)
    position = index.get(element.node.id)
    if position is None:
        return None
    for sibling in reversed(siblings[max(0, position - 50) : position]):  # bounded: the block opens a few up
        if sibling.type == "directive":
            if sibling.end_byte - sibling.start_byte > MAX_HEADER:
                return None  # a long block of code, not a loop header
            source = sibling.text.decode("utf-8", "replace")
            if not EEX_FOR.match(source):
                return None  # an `end` or another block closes first
            return _stream_pattern(source[3:-2].lstrip("=").strip())
    return None


def _stream_items(template):
    known: dict = {}
    for element in template.elements:
        loop = element.attr(":for")
        if loop is not None:
            # A stream comprehension, or any comprehension whose parent is a stream container (a stream handed
            # to a component: `:for={{id, row} <- @rows}` under phx-update="stream").
            parent_update = element.parent.attr("phx-update") if element.parent is not None else None
            in_container = parent_update is not None and parent_update.value == "stream"
            if "@streams." in (loop.value or "") or in_container:
                parts = _comprehension(loop.value or "")
                yield element, parts[0] if parts is not None else ""
        elif element.parent is not None:
            pattern = _eex_loop(element, known)
            if pattern is not None:
                yield element, pattern


def _id_problem(element, pattern: str) -> str | None:
    id_attr = element.attr("id")
    expected = _dom_id_variable(pattern)
    if id_attr is None:
        # A component may take the DOM id under another name (`dom_id={id}`) and put it on its root, or wrap
        # a component it passes the id to (`<Wrapper.item><.row id={id} /></Wrapper.item>`).
        if element.is_component and expected is not None and any(
                a.is_expr and (a.value or "").strip() == expected
                for holder in (element, *element.descendants()) for a in holder.attrs.values()):
            return None
        return "This stream item has no `id={dom_id}`."
    given = (id_attr.value or "").strip() if id_attr.is_expr else None
    if expected is not None and given != expected:
        return f"This stream item's id is not the stream's DOM id: use {code_span(f'id={{{expected}}}')} unaltered."
    if expected is None and DROPPED_ID.fullmatch(pattern.strip()):
        return "This stream item drops the stream's DOM id and makes up its own: bind `{dom_id, item}`, `id={dom_id}`."
    return None


# Children a stream container may hold without an id: none are rendered as its own DOM children.
NOT_RENDERED = {"script", "template", ":for", ":if"}


def _wrapped_children(template, seen):
    """Direct children of a `phx-update="stream"` container with no id: the client keys every child of the
    container by its id, so a wrapper put around the items (or any other child) breaks the contract. A component
    child may set the id inside (medium)."""
    for container in template.elements:
        update = container.attr("phx-update")
        if update is None or update.is_expr or update.value != "stream":
            continue
        for child in container.children:
            if id(child) in seen or child.has("id") or child.tag in NOT_RENDERED or child.tag.startswith(":"):
                continue
            confidence = "medium" if child.is_component else None
            yield element_hit(child, 'This child of the phx-update="stream" container has no id: every direct '
                                     "child must be a stream item with its DOM id (a wrapper moves the items out of "
                                     "the container's reach).", confidence)


def check(ctx):
    for template in ctx.templates:
        seen = set()
        for element, pattern in _stream_items(template):
            seen.add(id(element))
            problem = _id_problem(element, pattern)
            if problem:
                # A component child renders its own root: the id may be set inside it, out of sight (medium).
                confidence = "medium" if element.is_component and element.tag not in PASS_THROUGH and not \
                    element.has("id") else None
                yield element_hit(element, problem, confidence)
            parent = element.parent
            if parent is None:
                continue
            update = parent.attr("phx-update")
            if update is None or update.value != "stream":
                seen.add(id(parent))
                yield element_hit(parent, 'The stream container needs `phx-update="stream"`.')
            elif not parent.has("id"):
                yield element_hit(parent, "The stream container needs an id.")
        yield from _wrapped_children(template, seen)
