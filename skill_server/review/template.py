"""HEEx templates as rules see them: elements with their attributes (literal or {expression}), parents
and children, positions mapped back to the file, and the expressions the template evaluates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Iterator

from tree_sitter import Node

from ..parsing import parse
from .elixir_tree import text, walk
from .heex_text import blank_uninterpolated

def parse_heex(data: bytes):
    """The HEEx tree of `data`, text HEEx does not interpolate read as text (review/heex_text.py): the whole of a
    <script> or <style> body and the braces of text under phx-no-curly-interpolation are replaced by spaces (every
    offset stays). Unbalanced, such braces hid the elements after them, and balanced across two such blocks they made
    everything between one expression (audit 8 D9); so did an escaped brace in an expression (`{"\\{"}`), which
    Phoenix's tokenizer skips. EEx tags (`<%= ... %>`) inside such bodies are kept. Element.inner_source reads the
    original bytes, so colocated hooks are read as written."""
    if (b"{" in data or b"}" in data) and RAW_TEXT_HINT.search(data) is not None:
        data = blank_uninterpolated(data)
    if b"\\{" in data or b"\\}" in data:  # an escaped brace (`{"\\{"}`) opens and closes nothing for Phoenix
        data = data.replace(b"\\{", b"  ").replace(b"\\}", b"  ")
    return parse("heex", data)


RAW_TEXT_HINT = re.compile(rb"<script|<style|phx-no-curly-interpolation")  # a template that may hold such text


ELEMENT_NODES = {"tag", "component", "slot"}
END_NODES = {"end_tag", "end_component", "end_slot"}
START_NODES = {"start_tag", "self_closing_tag", "start_component", "self_closing_component", "start_slot",
               "self_closing_slot"}


@dataclass
class Attr:
    name: str
    value: str | None  # literal text, or the expression's source
    is_expr: bool
    line: int
    column: int


@dataclass
class Element:
    tag: str
    attrs: dict[str, Attr]
    line: int
    column: int
    end_line: int
    node: Node
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    data: bytes | None = field(default=None, repr=False)  # the template's original bytes (parse_heex may blank braces)

    @property
    def is_component(self) -> bool:
        return self.tag.startswith(".") or self.tag[:1].isupper() or ":" in self.tag

    def attr(self, name: str) -> Attr | None:
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs

    def ancestors(self) -> Iterator["Element"]:
        current = self.parent
        while current is not None:
            yield current
            current = current.parent

    def descendants(self) -> Iterator["Element"]:
        stack = list(reversed(self.children))
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(element.children))

    def text_content(self) -> str:
        """The element's source as written (parse_heex may have blanked a script body), its own tags included."""
        if self.data is None:
            return text(self.node)
        return self.data[self.node.start_byte:self.node.end_byte].decode("utf-8", "replace")

    def inner_source(self) -> str:
        """The source between the element's start and end tags (markup included); '' when self-closing. The
        tags come from the tree: an attribute value may hold a `>` (`phx-click={JS.hide() |> JS.show()}`)."""
        start = next((c for c in self.node.children if c.type in START_NODES), None)
        end = next((c for c in reversed(self.node.children) if c.type in END_NODES), None)
        if start is None or end is None or end.start_byte < start.end_byte:
            return ""
        data = self.data if self.data is not None else self.node.text
        base = 0 if self.data is not None else self.node.start_byte
        return data[start.end_byte - base: end.start_byte - base].decode("utf-8", "replace")


def nearest(element: Element, test: Callable[[Element], bool], found: dict[int, Element | None]) -> Element | None:
    """The closest of `element` and its ancestors that passes `test`, or None. `found` (one dict per test and
    template, kept by the caller) remembers the answer for every element on the way up, so asking for each
    element of a template costs time linear in the template however deep it nests."""
    path, current, answer = [], element, None
    while current is not None:
        key = id(current)
        if key in found:
            answer = found[key]
            break
        if test(current):
            answer = current
            break
        path.append(key)
        current = current.parent
    for key in path:
        found[key] = answer
    if current is not None:
        found[id(current)] = answer
    return answer


@dataclass
class Template:
    source: str
    line_offset: int  # 0-based file line of the template's first line
    column_offset: int  # 0-based column of the template's first character on its first line
    complete: bool  # a whole .heex file or a whole ~H of render/1: ids it lacks are really missing
    root: Node
    elements: list[Element]
    parse_ok: bool
    _expressions: list[tuple[Node, str]] | None = field(default=None, repr=False)
    data: bytes | None = field(default=None, repr=False)  # the source's bytes as written

    def position(self, node: Node) -> tuple[int, int]:
        row, col = node.start_point
        return row + self.line_offset + 1, (col + (self.column_offset if row == 0 else 0)) + 1

    def expressions(self) -> list[tuple[Node, str]]:
        """Every {…} and <%= … %> expression with its source text (found once per template)."""
        if self._expressions is None:
            self._expressions = [(node, text(node)) for node in walk(self.root)
                                 if node.type in ("expression_value", "partial_expression_value")]
        return self._expressions

    def ids(self) -> set[str]:
        return {e.attrs["id"].value for e in self.elements if "id" in e.attrs and not e.attrs["id"].is_expr
                and e.attrs["id"].value}


def _attr(template: Template, node: Node) -> Attr | None:
    name_node = next((c for c in node.children if c.type in ("attribute_name", "special_attribute_name")), None)
    if name_node is None:
        return None
    name = text(name_node).strip()
    value_node = next((c for c in node.children if c.type in ("quoted_attribute_value", "expression",
                                                                 "attribute_value")), None)
    line, column = template.position(node)
    if value_node is None:
        return Attr(name, None, False, line, column)
    if value_node.type == "expression":
        inner = next((c for c in value_node.children if c.type == "expression_value"), None)
        return Attr(name, text(inner), True, line, column)
    inner = next((c for c in value_node.children if c.type == "attribute_value"), None)
    return Attr(name, text(inner) if inner is not None else text(value_node).strip("\"'"), False, line, column)


def _element(template: Template, node: Node, parent: Element | None) -> Element:
    start = next((c for c in node.children if c.type in START_NODES), None)
    tag, attrs = "", {}
    if start is not None:
        name = next((c for c in start.children if c.type in ("tag_name", "component_name", "slot_name")), None)
        tag = text(name)
        for child in start.children:
            if child.type in ("attribute", "special_attribute"):
                attr = _attr(template, child)
                if attr is not None:
                    attrs[attr.name] = attr
    line, column = template.position(node)
    end_line = node.end_point[0] + template.line_offset + 1
    return Element(tag, attrs, line, column, end_line, node, parent, data=template.data)


def _comparison(node: Node) -> bool:
    """A `<` followed by a space is no tag: the parser's error recovery read a comparison inside an EEx
    expression (`<%= for x <- Enum.sort(xs, fn a, b -> a < b end) do %>`) as `<b ...>`."""
    return node.text[1:2].isspace()


def read_template(source: str, line_offset: int = 0, column_offset: int = 0, complete: bool = True,
                  tree=None) -> Template:
    """`tree` is the source's HEEx tree when the caller already parsed it (a whole .heex file)."""
    tree = tree if tree is not None else parse_heex(source.encode("utf-8", "replace"))
    template = Template(source, line_offset, column_offset, complete, tree.root_node, [], not tree.root_node.has_error,
                        data=source.encode("utf-8", "replace"))

    # Iterative walk: templates can nest thousands of elements deep.
    stack: list[tuple[Node, Element | None]] = [(tree.root_node, None)]
    while stack:
        node, parent = stack.pop()
        children = []
        for child in node.children:
            if child.type in ELEMENT_NODES and not _comparison(child):
                element = _element(template, child, parent)
                template.elements.append(element)
                if parent is not None:
                    parent.children.append(element)
                children.append((child, element))
            else:
                children.append((child, parent))
        stack.extend(reversed(children))
    return template
