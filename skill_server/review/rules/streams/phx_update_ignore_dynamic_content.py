"""## What it does
Flags assign-dependent markup (`@...` in text or attributes) inside the children of an element with
`phx-update="ignore"`, and (from 0.20.4) assigns in that element's own attributes other than `data-*`.

## Why is this bad?
LiveView never patches the children of an ignored element after the first render, so those values are
frozen at their initial state, a bug that hides until the assign changes. From 0.20.4 the client also keeps
the ignored element's own attributes as first rendered, except `data-*` ones (the way to hand a hook new
values): an assign in its `class`, `src`, `aria-*` or `phx-*` attribute is frozen too. On 0.20.0 to 0.20.3
every attribute of the element itself was still patched.

## Example
```heex
<div id="editor" phx-update="ignore"><span>{@word_count} words</span></div>
```

## Use instead
Move the dynamic part outside the ignored element, or send it to the hook with `push_event/3`; pass a
changing value to a hook on the ignored element itself in a `data-*` attribute.

The finding sits on the first assign-dependent expression inside the ignored element (the element's own
attributes: on the element).

## False positives
Only HEEx expressions count (Alpine's `@click` is not an assign), and `@socket` never changes. Attributes of an
ignored component tag (`<.code_block phx-update="ignore" lang={@lang}>`) are the component's assigns, not DOM
attributes, and are not looked at; nor is a changing `id` (the client replaces the element). Initial values that
a hook or the user then owns are often deliberate, so these are medium confidence: content under a `phx-hook` or
Alpine `x-data` (on the element or an ancestor), an ignored component (its markup, often a hook, is not visible
here), an ignored `textarea`/`input`/`select`, assigns used only in attributes (`data-*` seeds), and an element
right after a comment that explains the ignore (`<%!-- phx-update="ignore": the panel is static ... --%>`), or after
one right before a wrapper it opens. So is a client framework's component mounted inside (`live_react_component(...)`,
LiveSvelte, LiveVue: the widget owns that DOM), and content of a LiveView whose assigns never change after the page
is set up (no event, message or async callbacks, no attached hooks or LiveComponents, no patch of its own: its links
navigate, a fresh mount).

## Severity and confidence
Warning: content never updates, visible but harmless. High for assign-dependent markup; medium where the
subtree is deliberately client-owned, and for the ignored element's own attributes: ignoring an element with
nothing dynamic inside is often how its author freezes the element itself (an image a cropper then owns), so the
assign may be only its first value.

## References
knowledge: hooks-and-js-interop#hook-basics-and-the-id-requirement
"""

import re

from ....versions import Version
from ...elixir_tree import text
from ...helpers import element_hit
from ...rule import Hit, Rule

RULE = Rule(
    slug="phx_update_ignore_dynamic_content", code="LV304", family="streams", severity="warning",
    confidence="high", languages=("heex",), summary="Dynamic markup inside phx-update=\"ignore\" never updates.",
    fix="Move it outside the ignored element, or update it from the hook.",
    cites="hooks-and-js-interop#hook-basics-and-the-id-requirement",
)
ASSIGN = re.compile(r"@(?!socket\b)\w")  # @socket never changes
DYNAMIC = "dynamic attributes"  # a `{@rest}` map in the start tag


def _inside(outer, node) -> bool:
    return outer.start_byte < node.start_byte and node.end_byte <= outer.end_byte


def _seeds_only(node) -> bool:
    """An expression that only sets an attribute (an initial value, data-* for a hook), not text or flow."""
    holder = node.parent.parent if node.parent is not None and node.parent.type == "expression" else node.parent
    return holder is not None and holder.type == "attribute"


# A client framework's component mounted in the element (LiveReact, LiveSvelte, LiveVue): the widget owns the DOM
# and its props are initial values.
ISLAND = re.compile(r"\blive_(?:react|svelte|vue)_component\(|\bLive(?:React|Svelte|Vue)\.\w")
# What can change a LiveView's assigns after the page is set up: events, messages, async results, hooks, patches.
LATER_CALLBACKS = ("handle_event", "handle_info", "handle_async", "handle_call", "handle_cast")
CHANGES_LATER = re.compile(r"\bpush_patch\(|\bpatch=|JS\.patch\(|\battach_hook\(|\blive_component\b|<\.live_component")


def _page_fixed(ctx) -> bool:
    """A LiveView whose assigns never change after mount/handle_params set up the page: it has no event, message or
    async callbacks, attaches no hooks, renders no LiveComponents and never patches itself (its links navigate, a
    fresh mount). Content frozen by an ignore there matches the page it was rendered for (medium: a layout or another
    module's link may still patch)."""
    module = ctx.module or ctx.companion_module
    if module is None or module.kind != "live_view":
        return False
    if any(module.clauses_of(name) for name in LATER_CALLBACKS):
        return False
    sources = [ctx.source, ctx.companion_source or ""]
    return not any(CHANGES_LATER.search(source) for source in sources)


def check(ctx):
    page_fixed = None  # read on the first ignored element with dynamic content
    for template in ctx.templates:
        expressions = [(node, source) for node, source in template.expressions() if ASSIGN.search(source)]
        for element in template.elements:
            update = element.attr("phx-update")
            if update is None or update.value != "ignore":
                continue
            inner = [node for node, _ in expressions if _inside(element.node, node)
                     and not any(_inside(a_node, node) for a_node in _start_tags(element))]
            frozen = _frozen_own_attributes(element) if ctx.version >= Version(0, 20, 4) else []
            if not inner and not frozen:
                continue
            # Initial values a hook or the user then owns (data-* seeds, an ignored textarea's text, a
            # skeleton a hook replaces) are often deliberate: medium confidence.
            # A component's own markup (often a hook) is not visible here; Alpine (x-data) owns its subtree.
            owned = element.is_component or any(e.has("phx-hook") or e.has("x-data")
                                                for e in (element, *element.ancestors())) or any(
                ISLAND.search(source) for node, source in expressions if _inside(element.node, node))
            if inner:
                if page_fixed is None:
                    page_fixed = _page_fixed(ctx)
                deliberate = owned or element.tag in ("textarea", "input", "select") or \
                    all(_seeds_only(n) for n in inner) or _documented(template, element) or page_fixed
                # At the first frozen expression when it sits below the ignored start tag: that is what stops updating.
                line, column = template.position(inner[0])
                yield Hit(line=line, column=column, message=f"Assign-dependent content inside phx-update=\"ignore\" "
                          f"(line {element.line}) will not update.", confidence="medium" if deliberate else None)
                continue
            names = ", ".join(name if name == DYNAMIC else f"`{name}`" for name in frozen)
            # Ignoring an element with nothing dynamic inside is often how authors freeze the element itself (an
            # image a cropper or an onload script then owns): medium, the attribute may be a seed.
            yield element_hit(element, f"From LiveView 0.20.4 a phx-update=\"ignore\" element keeps its first {names}: "
                              "only its data-* attributes are patched.", "medium")


COMMENT_WINDOW = 1500  # bytes before the element searched for a comment that ends right before it
EXPLAINS = re.compile(rb"phx-update|\bignored?\b|\bstatic\b", re.I)


def _documented(template, element) -> bool:
    """A comment right before the element, or before a wrapper it opens (its first child), explains the ignore
    (`<%!-- phx-update="ignore": the panel is static and the checkbox keeps its client state --%>`): the developers
    chose to freeze it."""
    current = element
    for _ in range(WRAPPERS + 1):
        if _comment_before(template, current):
            return True
        parent = current.parent
        if parent is None or not parent.children or parent.children[0] is not current:
            return False
        current = parent
    return False


WRAPPERS = 2  # wrappers looked through for the comment


def _comment_before(template, element) -> bool:
    source = template.root.text or b""
    start = element.node.start_byte - template.root.start_byte  # the root starts at its first token
    before = source[max(0, start - COMMENT_WINDOW):start].rstrip()
    for opening, closing in ((b"<%!--", b"--%>"), (b"<!--", b"-->")):
        if before.endswith(closing):
            start = before.rfind(opening)
            return start >= 0 and EXPLAINS.search(before[start:]) is not None
    return False


def _start_tags(element):
    """The ignored element's own start tag (its `data-*` attributes are still patched; the rest only up to 0.20.3)."""
    return [child for child in element.node.children
            if child.type in ("start_tag", "start_component", "self_closing_tag", "self_closing_component")]


def _frozen_own_attributes(element) -> list[str]:
    """Attributes of the ignored HTML element itself that read an assign and are not `data-*`: the client keeps
    them as first rendered from 0.20.4 (a dynamic `{@rest}` map is named by DYNAMIC)."""
    if element.is_component:
        return []
    names = []
    for tag in _start_tags(element):
        for child in tag.children:
            if child.type == "attribute":
                name_node = next((c for c in child.children if c.type == "attribute_name"), None)
                name = text(name_node) if name_node is not None else ""
                values = [c for c in child.children if c.type == "expression"]
                # a new id makes the client replace the element (ids key the patch), so it is not frozen
                if name.startswith("data-") or name in ("id", "phx-update") or \
                        not any(ASSIGN.search(text(v)) for v in values):
                    continue
                names.append(name)
            elif child.type == "expression" and ASSIGN.search(text(child)):
                names.append(DYNAMIC)
    return list(dict.fromkeys(names))
