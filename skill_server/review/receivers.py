"""Which module receives the events a template sends, and what that module handles: the templates a
LiveView or LiveComponent renders itself, the events each element sends (bindings, `JS.push`, colocated
hooks' `pushEvent`/`pushEventTo`) with whether they reach this module, and the names the module's
`handle_event/3` clauses accept, including what makes them unknowable (a catch-all clause, `attach_hook`, a
`defdelegate`, a `use` of a module that may define callbacks)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Iterator

from .context import EVENT_ATTRS, ReviewContext
from .elixir_tree import Clause, ElixirModule, call_arguments, calls, text
from .template import Element, Template

# `use` of these only brings LiveView's own behaviour, the app's web module, or imports of component libraries
# and helpers; any other `use` (a LiveResource, a shared base module) may define callbacks.
STANDARD_USE = re.compile(r"^(Phoenix\.[\w.]+|[A-Z]\w*(\.[A-Z]\w*)*\.?Web|Gettext|[\w.]*\.Gettext|PhoenixHTMLHelpers|"
                          r"[\w.]*Components?(\.\w+)?|[\w.]*UI(\.\w+)?|[\w.]*Icons|Heroicons|"
                          r"Live(Svelte|Vue|React)(\.\w+)?)$")
PUSH_CALL = re.compile(r"\bJS\.push\(\s*\"([^\"\n]{1,120})\"")
MYSELF = re.compile(r"^@myself$|^assigns\.myself$")
COLOCATED_HOOK = re.compile(r"ColocatedHook\b")
HOOK_PUSH = re.compile(r"\bthis\.pushEvent\(\s*[\"'`]([\w:.\-/ ]{1,80})[\"'`]")
HOOK_PUSH_TO = re.compile(r"\bthis\.pushEventTo\(\s*(this\.el|el|[\"'`][^\"'`\n]{1,80}[\"'`])\s*,\s*"
                          r"[\"'`]([\w:.\-/ ]{1,80})[\"'`]")
FORM_BINDINGS = ("phx-change", "phx-submit")
CALLED_COMPONENT = re.compile(r"<\.([a-z_]\w*)|\b([a-z_]\w*)\(\s*assigns\b")


@dataclass
class Handlers:
    """What a module's clauses of one callback accept: literal names, `"prefix" <> rest` prefixes, and whether
    some clause (or something outside the clauses) may accept anything."""

    names: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    open: bool = False  # a catch-all clause, a hook or a delegate: any name may be handled
    clauses: int = 0

    def accepts(self, name: str) -> bool:
        return self.open or name in self.names or any(name.startswith(p) for p in self.prefixes)


@dataclass(frozen=True)
class SentEvent:
    name: str
    binding: str  # phx-click, JS.push, pushEvent ...
    line: int
    column: int


def module_calls(ctx: ReviewContext, module: ElixirModule, names: set[str]):
    """Calls of `module` with these names: from the review's call index when it is the reviewed module, else by
    walking it (the module beside a separate template)."""
    if module is ctx.module:
        return ctx.calls(names)
    return list(calls(module.root, names))


def may_define_callbacks_elsewhere(ctx: ReviewContext, module: ElixirModule) -> bool:
    """A `use` of a module other than Phoenix's or the app's web module may inject callback clauses."""
    for node, owner, _ in module_calls(ctx, module, {"use"}):
        if owner is not None:
            continue
        args = call_arguments(node)
        used = text(args[0]).strip() if args else ""
        if not STANDARD_USE.match(used):
            return True
    return False


def event_handlers(ctx: ReviewContext, module: ElixirModule) -> Handlers:
    return _handlers(ctx, module, "handle_event", 3, "handle_event")


def _handlers(ctx: ReviewContext, module: ElixirModule, name: str, arity: int, stage: str) -> Handlers:
    handlers = Handlers()
    for clause in module.clauses_of(name, arity):
        handlers.clauses += 1
        first = clause.params[0] if clause.params else None
        if first is not None and first.type == "string" and "#{" not in text(first):
            handlers.names.add(text(first)[1:-1])
        elif first is not None and first.type == "binary_operator" \
                and text(first.child_by_field_name("operator")) == "<>" \
                and first.child_by_field_name("left").type == "string":
            handlers.prefixes.add(text(first.child_by_field_name("left"))[1:-1])
        else:
            handlers.open = True  # a variable, `_`, a module attribute: any name may match
    for node, _, called in module_calls(ctx, module, {"attach_hook", "defdelegate", "defoverridable"}):
        args_text = " ".join(text(a) for a in call_arguments(node))
        if called == "attach_hook" and f":{stage}" in args_text:
            handlers.open = True
        elif called in ("defdelegate", "defoverridable") and name in args_text:
            handlers.open = True
    if may_define_callbacks_elsewhere(ctx, module):
        handlers.open = True
    return handlers


def own_templates(ctx: ReviewContext, module: ElixirModule) -> list[Template]:
    """The templates this module renders itself: a separate `.heex` beside it; otherwise the ~H of render/1 and
    of the function components render/1 reaches (`<.footer />`, `footer(assigns)`), however deep. Components
    nothing here renders go wherever their callers render them, and a module without render/1 (its template
    is a separate file) renders none of its own."""
    if ctx.language == "heex":
        return list(ctx.templates)
    by_function: dict[str, list[tuple[Clause, Template]]] = {}
    clauses = sorted(module.clauses, key=lambda c: c.node.start_byte)
    starts = [clause.node.start_point[0] for clause in clauses]
    for template in ctx.templates:
        clause = _clause_at(clauses, starts, template.line_offset)
        if clause is not None and clause.arity == 1:
            by_function.setdefault(clause.name, []).append((clause, template))
    chosen, queue, seen, read = [], ["render"], {"render"}, set()
    while queue:
        for clause, template in by_function.get(queue.pop(), []):
            chosen.append(template)
            if clause.node.id in read:  # a clause with many ~H is read once
                continue
            read.add(clause.node.id)
            called = {m.group(1) or m.group(2) for m in CALLED_COMPONENT.finditer(text(clause.node))}
            for name in called - seen:
                seen.add(name)
                queue.append(name)
    return chosen


def _clause_at(clauses: list[Clause], starts: list[int], row: int) -> Clause | None:
    """The clause spanning `row`; `starts` are the clauses' first rows in order (a search, not a scan: a module
    may hold thousands of templates)."""
    n = bisect_right(starts, row) - 1
    if n >= 0 and row <= clauses[n].node.end_point[0]:
        return clauses[n]
    return None


def _target(element: Element) -> str | None:
    attr = element.attr("phx-target")
    if attr is None:
        return None
    return (attr.value or "").strip() if attr.is_expr else f'"{attr.value}"'


# A form element and Phoenix's generated form components, which hand their phx-target to the <form> they render
# (`<.simple_form ... {@rest}>` passes it on to `<.form>`): an input's phx-change takes its form's target.
FORM_TAGS = ("form", ".form", ".simple_form")


def _form_target(element: Element) -> str | None:
    for ancestor in element.ancestors():
        if ancestor.tag in FORM_TAGS:
            return _target(ancestor)
    return None


def _reaches(kind: str, target: str | None) -> bool:
    """Does an event with this phx-target reach the module whose template sends it? A LiveView gets events
    with no target; a LiveComponent gets those aimed at @myself (the rest go to its parent)."""
    if kind == "live_view":
        return target is None
    return target is not None and bool(MYSELF.match(target))


def sent_events(element: Element, kind: str) -> Iterator[SentEvent]:
    """The literal events this element sends to the module that renders it."""
    own = _target(element)
    for binding in EVENT_ATTRS:
        attr = element.attr(binding)
        if attr is None or not attr.value:
            continue
        target = own
        if target is None and binding in FORM_BINDINGS and element.tag not in FORM_TAGS:
            target = _form_target(element)
        if binding == "phx-submit" and _submits_over_http(element):
            continue
        if not attr.is_expr and _reaches(kind, target) and not attr.value.startswith("lv:"):
            yield SentEvent(attr.value, binding, attr.line, attr.column)
    for name, attr in element.attrs.items():
        if not attr.is_expr or not attr.value or "JS.push" not in attr.value:
            continue
        target = own
        if target is None and name in FORM_BINDINGS and element.tag not in FORM_TAGS:
            target = _form_target(element)
        for match in PUSH_CALL.finditer(attr.value):
            options = _push_options(attr.value, match.end())
            explicit = re.search(r"\btarget:\s*([^,)\]]{1,60})", options)
            push_target = explicit.group(1).strip() if explicit else target
            # `JS.push("create_#{@type}")`: a name built at run time is dynamic, not checked.
            if _reaches(kind, push_target) and not match.group(1).startswith("lv:") and "#{" not in match.group(1):
                yield SentEvent(match.group(1), "JS.push", attr.line, attr.column)


def _submits_over_http(element: Element) -> bool:
    """`phx-trigger-action={true}`: the form posts over HTTP as soon as it renders; no submit event is sent."""
    trigger = element.attr("phx-trigger-action")
    return trigger is not None and (trigger.value or "true").strip() == "true"


def _push_options(expression: str, start: int) -> str:
    """The text after a JS.push's event name up to its closing parenthesis (bounded)."""
    depth, end = 1, min(len(expression), start + 400)
    for i in range(start, end):
        ch = expression[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return expression[start:i]
    return expression[start:end]


def colocated_hook_events(template: Template, kind: str) -> Iterator[SentEvent]:
    """Events pushed by colocated hooks defined in this template and used by an element in it: `pushEvent`
    goes to the LiveView, `pushEventTo(this.el, ...)` to the component or view that renders the element."""
    hooks = {}
    for element in template.elements:
        if element.tag == "script" and any(COLOCATED_HOOK.search(a.value or "") for a in element.attrs.values()):
            name = element.attr("name")
            if name is not None and name.value:
                hooks[name.value] = element
    used = {e.attr("phx-hook").value for e in template.elements if e.attr("phx-hook") is not None
            and not e.attr("phx-hook").is_expr}
    for name, script in hooks.items():
        if name not in used:
            continue
        body = script.text_content()
        base_line = script.line
        if kind == "live_view":
            for match in HOOK_PUSH.finditer(body):
                yield SentEvent(match.group(1), "pushEvent", base_line + body.count("\n", 0, match.start()), 1)
        for match in HOOK_PUSH_TO.finditer(body):
            if match.group(1) in ("this.el", "el"):
                yield SentEvent(match.group(2), "pushEventTo", base_line + body.count("\n", 0, match.start()), 1)


def companion_or_own(ctx: ReviewContext) -> ElixirModule | None:
    module = ctx.module if ctx.module is not None else ctx.companion_module
    return module if module is not None and module.kind in ("live_view", "live_component") else None

