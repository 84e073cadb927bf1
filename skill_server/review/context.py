"""Everything a rule may ask about one reviewed file, computed once: the language, the LiveView version,
the Elixir module, its HEEx templates (from ~H sigils or a .heex file), a JS or CSS tree, and the
events templates send versus the events the module handles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from tree_sitter import Node

from ..parsing import parse
from ..versions import Version
from .elixir_tree import ElixirModule, all_modules, call_parts, heex_sigils, read_module, text, walk
from .template import Template, read_template

EVENT_ATTRS = ("phx-click", "phx-submit", "phx-change", "phx-blur", "phx-focus", "phx-keydown", "phx-keyup",
               "phx-window-keydown", "phx-window-keyup", "phx-click-away", "phx-viewport-top", "phx-viewport-bottom")
# Folders whose templates controllers render (Phoenix 1.7 `*_html/`, Phoenix.View `templates/`, `views/`).
DEAD_RENDER_DIRS = {"controllers", "templates", "views"}
DOC_ATTRIBUTE = re.compile(r"@(moduledoc|doc|typedoc)\s+(~[sS])?[\"']")
LIVE_BINDING = re.compile(r"\bphx-(click|change|submit|hook|update|target)\b|@myself|live_component|@streams")
PUSH_RE = re.compile(r"JS\.push\(\s*\"([^\"]+)\"")


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
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.source.splitlines()
        if self.tree is None:
            self.tree = parse(self.language, self.source)

    @property
    def root(self) -> Node:
        return self.scope if self.scope is not None else self.tree.root_node

    def units(self) -> list["ReviewContext"]:
        """One unit per module (nested modules included, each without the others' code); the whole file
        when it defines no module."""
        if self.language != "elixir" or self.scope is not None:
            return [self]
        modules = all_modules(self.tree.root_node)
        if not modules:
            return [self]
        return [ReviewContext(self.source, self.filename, self.language, self.version, self.tree, node,
                              self.pre_release, self.companion_source, self.project_root) for node in modules]

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
            return [read_template(self.source, 0, 0, complete=True)]
        if self.language != "elixir":
            return []
        has_render = bool(self.module and self.module.clauses_of("render", 1))
        sigils = heex_sigils(self.root, self.nodes)
        # A lone ~H of a module with render/1 is the whole page: ids it lacks are really missing.
        complete = has_render and len(sigils) == 1
        return [read_template(content, row, column, complete=complete) for content, row, column in sigils]

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
        if "live" in path.name or LIVE_BINDING.search(self.source):
            return False  # a partial a LiveView renders: it sends events or owns hooks
        return bool(DEAD_RENDER_DIRS & set(path.parts[:-1]))

    @cached_property
    def doc_lines(self) -> frozenset[int]:
        """1-based lines inside `@moduledoc`, `@doc` and `@typedoc` strings: documentation, not code."""
        if self.language != "elixir":
            return frozenset()
        lines: set[int] = set()
        for node in self.nodes:
            if node.type == "unary_operator" and DOC_ATTRIBUTE.match(text(node)):
                lines.update(range(node.start_point[0] + 1, node.end_point[0] + 2))
        return frozenset(lines)

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
