"""Everything a rule may ask about one reviewed file, computed once: the language, the LiveView version,
the Elixir module, its HEEx templates (from ~H sigils or a .heex file), a JS or CSS tree, and the
events templates send versus the events the module handles."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from tree_sitter import Node

from ..parsing import parse
from .bounds import check_tree
from ..versions import Version
from .elixir_tree import ElixirModule, all_modules, call_parts, heex_sigils, read_module, text, walk
from .template import Template, parse_heex, read_template

EVENT_ATTRS = ("phx-click", "phx-submit", "phx-change", "phx-blur", "phx-focus", "phx-keydown", "phx-keyup",
               "phx-window-keydown", "phx-window-keyup", "phx-click-away", "phx-viewport-top", "phx-viewport-bottom")
# Folders whose templates controllers render (Phoenix 1.7 `*_html/`, Phoenix.View `templates/`, `views/`).
DEAD_RENDER_DIRS = {"controllers", "templates", "views"}
DOC_ATTRIBUTE = re.compile(r"@(moduledoc|doc|typedoc)\s+(~[sS])?[\"']")
LIVE_BINDING = re.compile(r"\bphx-(click|change|submit|hook|update|target)\b|@myself|live_component|@streams")
PUSH_RE = re.compile(r"JS\.push\(\s*\"([^\"]+)\"")
MAX_UNITS = 256  # modules reviewed per file; more is generated code or an attack, and each costs a pass
CSS_RUN = 8192  # bytes of top-level stylesheet text without a block or `;`: no real selector is this long
CSS_TOKEN = re.compile(rb"/\*|[{};]")


class SourceText:
    """The reviewed file's text, shared by all its module units and computed once: its lines, where each
    line starts, and the whole-file regex scans rules ask for, each split by the module that owns the
    line (so a file of many modules costs one scan, not one per module)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._owner_rows: list[tuple[int, int, int]] = []  # (first line, last line, unit) in source order
        self._found: dict[re.Pattern, list[tuple[re.Match, int]]] = {}
        self._scans: dict[re.Pattern, dict[int, list[tuple[re.Match, int]]]] = {}
        self._searches: dict[re.Pattern, re.Match | None] = {}
        self._once: dict[str, object] = {}

    @cached_property
    def lines(self) -> list[str]:
        """Lines as tree-sitter counts them (split at \\n; a trailing \\r is dropped)."""
        lines = self.source.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line[:-1] if line.endswith("\r") else line for line in lines]

    @cached_property
    def line_starts(self) -> array:
        starts = array("q", [0])
        starts.extend(m.end() for m in re.finditer("\n", self.source))
        return starts

    @cached_property
    def data(self) -> bytes:
        return self.source.encode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset."""
        return bisect_right(self.line_starts, offset)

    def set_units(self, spans: list[tuple[int, int]]) -> None:
        """The 1-based line spans of the module units, in source order (outer modules before nested)."""
        self._owner_rows = [(first, last, unit) for unit, (first, last) in enumerate(spans)]
        self._scans.clear()

    def once(self, key: str, compute):
        """A value a rule computes from the whole file, computed once per file however many module units ask."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def has(self, word: str) -> bool:
        """`word in source`, once per file: a rule's cheap test before a scan costs the file's length in each of its
        module units otherwise (audit 9: 250 modules beside a long doc string)."""
        key = "has:" + word
        if key not in self._once:
            self._once[key] = word in self.source
        return self._once[key]

    def search(self, pattern: re.Pattern) -> re.Match | None:
        """pattern.search over the whole file, once."""
        if pattern not in self._searches:
            self._searches[pattern] = pattern.search(self.source)
        return self._searches[pattern]

    def every(self, pattern: re.Pattern) -> list[tuple[re.Match, int]]:
        """(match, line) of pattern over the whole file, once."""
        if pattern not in self._found:
            self._found[pattern] = [(m, self.line_of(m.start())) for m in pattern.finditer(self.source)]
        return self._found[pattern]

    def matches(self, pattern: re.Pattern, unit: int) -> list[tuple[re.Match, int]]:
        """(match, line) of pattern over the whole file, those on lines `unit` owns: the innermost module
        around the line; lines outside every module belong to the first unit."""
        if pattern not in self._scans:
            self._scans[pattern] = self._by_owner(self.every(pattern))
        return self._scans[pattern].get(unit, [])

    def _by_owner(self, found: list[tuple[re.Match, int]]) -> dict[int, list[tuple[re.Match, int]]]:
        buckets: dict[int, list[tuple[re.Match, int]]] = {}
        spans, next_span, open_spans = self._owner_rows, 0, []
        for match, line in found:  # ascending lines: one sweep with a stack of the modules around the line
            while next_span < len(spans) and spans[next_span][0] <= line:
                while open_spans and open_spans[-1][1] < spans[next_span][0]:
                    open_spans.pop()
                open_spans.append(spans[next_span])
                next_span += 1
            while open_spans and open_spans[-1][1] < line:
                open_spans.pop()
            buckets.setdefault(open_spans[-1][2] if open_spans else 0, []).append((match, line))
        return buckets


@dataclass
class ReviewContext:
    """One unit of review: a whole file, or one of several top-level modules in an Elixir file (so a
    LiveComponent's events are not matched against a neighbouring LiveView's handlers)."""

    source: str
    filename: str | None
    language: str
    version: Version
    tree: object = None
    scope: Node | None = None
    pre_release: bool = False  # the target is a release candidate, answered as the release before it
    # For a template in its own file (`page_live.html.heex`), the source of the module beside it
    # (`page_live.ex`), when project review can see it: its event handlers answer the template's events.
    companion_source: str | None = None
    # In project review, the Mix project's root: rules may read the project's other files through
    # review/project_sources.py (bounded, cached), e.g. the stylesheets an entry stylesheet imports.
    project_root: str | None = None
    path: str | None = None  # the file's real path in project review (`filename` is the name shown)
    text: SourceText = field(default=None)  # shared by every unit of one file
    unit: int = 0  # this unit's index among the file's units
    skipped_units: int = field(default=0, init=False)  # modules beyond MAX_UNITS, not reviewed
    _named_calls: dict = field(default_factory=dict, init=False, repr=False)  # calls_between's sorted lists

    def __post_init__(self) -> None:
        if self.path is None and self.project_root and self.filename and PurePosixPath(self.filename).is_absolute():
            self.path = self.filename  # a caller that names the file by its full path (the rule fixtures)
        if self.text is None:
            self.text = SourceText(self.source)
        if self.tree is None:
            data = self.text.data
            self.tree = (parse("css", data[: _css_broken_at(data)]) if self.language == "css"
                         else parse_heex(data) if self.language == "heex" else parse(self.language, data))

    @property
    def lines(self) -> list[str]:
        return self.text.lines

    @property
    def root(self) -> Node:
        return self.scope if self.scope is not None else self.tree.root_node

    def units(self) -> list["ReviewContext"]:
        """One unit per module (nested modules included, each without the others' code), the first
        MAX_UNITS of them (`skipped_units` counts the rest); the whole file when it defines no module.
        Every unit shares this file's text and tree."""
        if self.language != "elixir" or self.scope is not None:
            return [self]
        modules = all_modules(self.tree.root_node)
        if not modules:
            return [self]
        self.skipped_units = max(0, len(modules) - MAX_UNITS)
        modules = modules[:MAX_UNITS]
        self.text.set_units([(node.start_point[0] + 1, node.end_point[0] + 1) for node in modules])
        return [ReviewContext(self.source, self.filename, self.language, self.version, self.tree, node,
                              self.pre_release, self.companion_source, self.project_root, self.path,
                              self.text, n)
                for n, node in enumerate(modules)]

    @property
    def parse_ok(self) -> bool:
        return not self.tree.root_node.has_error and all(t.parse_ok for t in self.templates)

    @cached_property
    def module(self) -> ElixirModule | None:
        return read_module(self.root, self.nodes) if self.language == "elixir" else None

    @cached_property
    def companion_module(self) -> ElixirModule | None:
        if self.companion_source is None:
            return None
        units = ReviewContext(self.companion_source, None, "elixir", self.version).units()
        return next((unit.module for unit in units if unit.module is not None and unit.module.clauses), None)

    def event_handlers(self) -> list:
        """The handle_event/3 clauses that answer this file's events: its own module's, or for a separate
        template the module beside it."""
        module = self.module or self.companion_module
        return module.clauses_of("handle_event", 3) if module is not None else []

    @cached_property
    def templates(self) -> list[Template]:
        if self.language == "heex":
            return [read_template(self.source, 0, 0, complete=True, tree=self.tree)]
        if self.language != "elixir":
            return []
        has_render = bool(self.module and self.module.clauses_of("render", 1))
        sigils = heex_sigils(self.root, self.nodes)
        # A lone ~H of a module with render/1 is the whole page: ids it lacks are really missing.
        complete = has_render and len(sigils) == 1
        templates, nodes = [], self.tree.root_node.descendant_count
        for content, row, column in sigils:  # each measured before it is read (bounds.py: raises TooLarge)
            tree = parse_heex(content.encode("utf-8", "replace"))
            nodes = check_tree(tree.root_node, f"the ~H template at line {row + 1}", nodes)
            templates.append(read_template(content, row, column, complete=complete, tree=tree))
        return templates

    @cached_property
    def template_lines(self) -> frozenset[int]:
        """The 1-based lines of this unit's ~H templates (a .heex file: every line)."""
        return frozenset(line for t in self.templates
                         for line in range(t.line_offset + 1, t.line_offset + 2 + t.source.count("\n")))

    @cached_property
    def nodes(self) -> list[Node]:
        """Every node of this unit in source order (nested modules excluded), walked once for all rules."""
        return list(walk(self.root))

    @cached_property
    def _call_index(self) -> list[tuple[Node, str | None, str]]:
        index = []
        for node in self.nodes:
            if node.type == "call":
                module, name = call_parts(node)
                if name:
                    index.append((node, module, name))
        return index

    def calls(self, names: set[str] | None = None) -> list[tuple[Node, str | None, str]]:
        """(call node, module or None, function name) of every call in this unit, or of those named."""
        return [entry for entry in self._call_index if names is None or entry[2] in names]

    def calls_between(self, names: set[str], start: int, end: int, most: int = 200) -> list[tuple[Node, str | None, str]]:
        """The first `most` calls named `names` starting at byte offsets in [start, end), found by bisection over
        a list built once per name set: a rule asking this for every node reads a bounded slice, not all calls."""
        key = frozenset(names)
        if key not in self._named_calls:
            entries = sorted(self.calls(names), key=lambda entry: entry[0].start_byte)
            self._named_calls[key] = entries, [entry[0].start_byte for entry in entries]
        entries, starts = self._named_calls[key]
        first = bisect_left(starts, start)
        return entries[first : min(bisect_left(starts, end), first + most)]

    @cached_property
    def dead_rendered(self) -> bool:
        """A controller view, a Phoenix.View template or the root layout (`root.html.heex`, or any template
        holding the `<html>` element: `root_admin.html.heex`): rendered once over HTTP, with no change tracking
        to lose. Templates named for a LiveView (`live.html`, `edit_live.html`) or using
        LiveView bindings are partials a LiveView renders, and are not."""
        if not self.filename:
            return False
        path = PurePosixPath(self.filename.replace("\\", "/"))
        if path.name.startswith("root.html.") or (self.language == "heex" and any(
                e.tag == "html" for t in self.templates for e in t.elements)):
            return True  # the root layout, by name or as the template that renders the <html> document
        if "live" in path.name or self.text.search(LIVE_BINDING):
            return False  # a partial a LiveView renders: it sends events or owns hooks
        return bool(DEAD_RENDER_DIRS & set(path.parts[:-1]))

    @cached_property
    def doc_spans(self) -> dict[int, list[tuple[int, int]]]:
        """1-based line -> (first, after last) 0-based character columns of `@moduledoc`, `@doc` and `@typedoc`
        on it: documentation, not code. Columns, not whole lines: `@doc "..."; def render(assigns), do: ...` is
        code after the string (audit 8 D1)."""
        if self.language != "elixir":
            return {}
        spans: dict[int, list[tuple[int, int]]] = {}
        for node in self.nodes:
            if node.type == "unary_operator" and DOC_ATTRIBUTE.match(text(node)):
                (first, start), (last, end) = node.start_point, node.end_point
                for row in range(first, last + 1):
                    line = self.line(row + 1).encode("utf-8", "replace")
                    begin = len(line[:start].decode("utf-8", "replace")) if row == first else 0
                    after = len(line[:end].decode("utf-8", "replace")) if row == last else len(line) + 1
                    spans.setdefault(row + 1, []).append((begin, after))
        return spans

    def in_doc(self, offset: int, line: int) -> bool:
        """Whether the character at `offset` of the source (on 1-based `line`) is inside a documentation string."""
        column = offset - self.text.line_starts[line - 1]
        return any(begin <= column < after for begin, after in self.doc_spans.get(line, ()))

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @cached_property
    def handled_events(self) -> set[str]:
        events = set()
        for clause in self.event_handlers():
            first = clause.params[0] if clause.params else None
            if first is not None and first.type == "string":
                events.add(text(first).strip('"'))
        return events

    @cached_property
    def sent_events(self) -> dict[str, list]:
        """Event name → elements of the templates that send it (literal names only)."""
        sent: dict[str, list] = {}
        for template in self.templates:
            for element in template.elements:
                for name in EVENT_ATTRS:
                    attr = element.attr(name)
                    if attr is None or attr.value is None:
                        continue
                    names = PUSH_RE.findall(attr.value) if attr.is_expr else [attr.value]
                    for event in names:
                        sent.setdefault(event, []).append(element)
        return sent


def _css_broken_at(data: bytes) -> int | None:
    """Where a stylesheet is certainly broken, plus CSS_RUN bytes (None when nothing is): an unclosed
    comment, or top-level text longer than CSS_RUN (comments aside) without a block or a `;`. Tree-sitter's
    error recovery on such text costs the square of its length (2 MB: hours), so the parse stops a little
    after it."""
    depth, run_start, comments, position = 0, 0, 0, 0
    while (token := CSS_TOKEN.search(data, position)) is not None:
        if depth == 0 and token.start() - run_start - comments > CSS_RUN:
            return run_start + comments + CSS_RUN
        position = token.end()
        if token.group() == b"/*":
            end = data.find(b"*/", position)
            if end == -1:
                return min(len(data), token.start() + CSS_RUN)
            position = end + 2
            comments += position - token.start()
        elif token.group() == b"{":
            depth += 1
        elif token.group() == b"}" or depth == 0:
            depth = max(0, depth - 1) if token.group() == b"}" else depth
            if depth == 0:
                run_start, comments = position, 0
    return run_start + comments + CSS_RUN if depth == 0 and len(data) - run_start - comments > CSS_RUN else None
