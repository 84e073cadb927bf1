"""## What it does
Flags a form (`<form>` or `<.form>`) with `phx-change` and no `id`.

## Why is this bad?
After a reconnect (a deploy, a network drop) LiveView recovers each form's input by re-sending it with
the form's `phx-change` event, and it needs the form's id to do so: without it the user's typing is lost.
LiveView 1.2's test helpers warn about such forms.

## Example
```heex
<.form for={@form} phx-change="validate" phx-submit="save">
```

## Use instead
```heex
<.form for={@form} id="post-form" phx-change="validate" phx-submit="save">
```

## False positives
A form component given a form that this module builds with an id (`to_form(changeset, id: "todo-#{id}")`)
renders that id and is not flagged. `<form>`, `<.form>` and Phoenix 1.7's generated `<.simple_form>` (which passes
its attributes, the id too, to `.form`) are high; another form component given a form (`<.filter_form for={@form}>`) may set an id itself: medium.
Forms without `phx-change` are not recovered anyway and are not flagged, nor are forms that opt out of recovery
(`phx-auto-recover="ignore"`, which the client skips at every version), nor forms whose only field
is a file input (a browser never refills one), written in the form or rendered by a component handed the
upload (`<.upload_zone upload={@uploads.files} />`). Nor are forms whose every change is already kept on the
server: the change event is also the submit event (an auto-saving inline edit, a filter applied as you
type), its handler patches the URL (`push_patch`), from which the page restores it, or the form has no
`phx-submit` and its change handler stores the value (`Drafts.toggle_keeper`, `Settings.set_value`,
`Repo.update`), directly or through the module's own helpers (in project review a separate
`page_live.html.heex` is read with the `page_live.ex` beside it), or through a store-named helper the module
imports (`save(socket, changeset)`). One clause serving both events (`when event in ["change", "submit"]`) submits
every change. In project review a change event this module does not handle is looked up in the project: for a
function component's form, the `handle_event/3` clauses of the files that name its module (the LiveViews rendering
it), and any on_mount hook's `attach_hook(..., :handle_event, ...)` callback; when every clause found patches the URL or (with no submit) stores the value, there is nothing to
recover either. A form with no submit whose change event
is passed in by its caller (`phx-change={@on_change}`) may be such a form too; this file cannot show the
handler, so it is medium.
A form whose change event names pagination, a page size or sorting (`update_per_page`, `change_limit`,
`sort_by`) and whose handler this file does not show (a separate `.html.heex`, a shared table component)
usually keeps its state in the URL too: medium. A form that holds no field of its own, only another
module's component (`<MultiSelect.multi_select form={f} />`, `<.live_component>`) whose inputs this file
cannot see, or whose every field carries its own `phx-change` while no clause here handles the form's own
event, is medium: recovery pushes the form's change event, which those inputs may never send and which may
have no handler. Nor are forms a reconnect never renders again: one shown only while an assign is truthy that
`mount` always sets to nil or false (and `handle_params` never sets), such as an edit box opened by a click
(`<%= if @editing do %>`, `:if={@draft}`), or any form on a page whose `mount` consumes its one-shot data
(`Storage.get(id)` then `Storage.delete(id)`) and redirects when it is gone: recovery only refills the same form in
the new render. (A self-bound form whose own event is handled stays high: recovery restores through it.) (Search
and filter forms often do not, so they stay high.)

## Severity and confidence
Warning: form recovery after a reconnect needs the id; without it input is lost on reconnect, a degraded
experience rather than lost records. High for plain forms; medium where the form's state may live in the URL
or the change handler is the caller's.

## References
knowledge: forms#form-recovery-after-reconnects
"""

import re

from ....brackets import top_level_args
from ...elixir_tree import call_arguments, text
from ...form_inputs import change_senders
from ...helpers import clause_calls, element_hit
from ...project_handlers import handler_clauses
from ...remount import absent_after_remount, mount_consumes_data
from ...rule import Rule
from ...writes import body_writes

RULE = Rule(
    slug="form_missing_id", code="LV501", family="forms", severity="warning", confidence="high",
    languages=("heex",), summary="A phx-change form without an id cannot be recovered after a reconnect.",
    fix="Give the form a unique, stable id.", cites="forms#form-recovery-after-reconnects",
)


URL_STATE_EVENT = re.compile(r"page|sort|order_by|limit", re.I)
TO_FORM = re.compile(r"\bto_form\(")
FIELD_TAGS = {"input", "select", "textarea", ".input", ".inputs_for", ".select", ".textarea", ".checkbox"}


def _upload_only(form) -> bool:
    """A form that only carries a file input: file inputs are never recovered, so an id changes nothing."""
    has_upload = False
    for element in form.descendants():
        kind = element.attr("type")
        if element.tag in (".live_file_input", "live_file_input") or (
                element.tag == "input" and kind is not None and kind.value == "file") or _given_upload(element):
            has_upload = True
        elif element.tag in FIELD_TAGS and not (kind is not None and kind.value in ("hidden", "submit")) or (
                element.is_component and element.has("field")):
            return False  # a field (an app's field component too: `<.text_field field={@form[:name]} />`)
    return has_upload


def _given_upload(element) -> bool:
    """A component handed an upload (`<.upload_zone upload={@uploads.avatar} />`): it renders the file input."""
    return element.is_component and any(attr.is_expr and UPLOAD_VALUE.match(attr.value or "")
                                         for attr in element.attrs.values())


UPLOAD_VALUE = re.compile(r"\s{0,8}@?uploads\.\w{1,80}\s{0,8}$")


def _applied_on_change(ctx, form) -> bool:
    """Every change is already kept on the server: the form submits with its change event (an auto-saving
    inline edit, a filter), the change handler in this module patches the URL, which restores it, or the form
    has no submit and its change handler stores the value (an auto-saving toggle, a setting saved as it
    changes), directly or through this module's own helpers."""
    change, submit = form.attr("phx-change"), form.attr("phx-submit")
    if change.value is None or change.is_expr:
        return False
    if submit is not None and not submit.is_expr and submit.value == change.value:
        return True
    module = ctx.module or ctx.companion_module
    for clause in ctx.event_handlers():
        first = clause.params[0] if clause.params else None
        if first is None:
            continue
        if text(first).strip('"') != change.value:
            if _serves_both(clause, change.value, submit):
                return True  # `def handle_event(event, ...) when event in ["change", "submit"]`: one handler
            continue
        if _keeps_change(module, clause, submit):
            return True
    if change.value in ctx.handled_events or ctx.project_root is None:
        return False
    # Handled in another file (an on_mount hook's :handle_event, or for a function component's form the LiveViews
    # naming its module): every clause the project shows for the event must keep the change.
    elsewhere = handler_clauses(ctx.project_root, change.value, _component_module_name(module))
    return bool(elsewhere) and all(_keeps_change(owner, clause, submit) for owner, clause in elsewhere)


def _component_module_name(module) -> str | None:
    """The last alias segment of a function component module (its events go to the LiveView rendering it); None
    for a LiveView or LiveComponent (their events are their own) and for a template with no module beside it."""
    if module is None or module.kind in ("live_view", "live_component"):
        return None
    arguments = call_arguments(module.root)
    name = text(arguments[0]).strip() if arguments else ""
    return name.rsplit(".", 1)[-1] or None


def _keeps_change(module, clause, submit) -> bool:
    """The change handler patches the URL (the page restores from it), or, in a form with no submit, stores the
    value."""
    if any(True for _ in clause_calls(clause, {"push_patch", "push_navigate"})):
        return True
    return submit is None and module is not None and body_writes(module, clause.body)


def _serves_both(clause, change: str, submit) -> bool:
    """One clause handles the change and the submit event alike (`when event in ["change", "submit"]`): every change
    is submitted."""
    if submit is None or submit.is_expr or not submit.value:
        return False
    guard = GUARD_IN.search(text(clause.node)[:600])
    return guard is not None and f'"{change}"' in guard.group(1) and f'"{submit.value}"' in guard.group(1)


GUARD_IN = re.compile(r"\bwhen\s{1,8}\w{1,40}\s{1,8}in\s{1,8}\[([^\]]{1,300})\]")


def _form_tag(element) -> bool:
    """A form: `<form>`, `<.form>`, the generator's `<.simple_form>` (it hands its attributes to `.form`), or
    another form component given a form (`<.filter_form for={@form}>`)."""
    return element.tag in ("form", ".form", ".simple_form") or (
        element.tag.startswith(".") and element.tag.endswith("form") and element.has("for"))


def _to_form_gives_id(source: str) -> bool:
    """This module builds its forms with an id (`to_form(changeset, as: "todo", id: "form-#{id}")`): the form
    keeps it in its options and `<.form for={form}>` renders it on the `<form>` element."""
    for match in TO_FORM.finditer(source):
        if re.search(r"(?:^|,)\s{0,20}id:", top_level_args(source, match.end() - 1, 600)):
            return True
    return False


def _opted_out(form) -> bool:
    """`phx-auto-recover="ignore"`: the client never recovers such a form (and LiveViewTest's missing-id check
    skips it), so nothing is lost for want of an id. (`phx-ignore-missing-id` only quiets that test check.)"""
    recover = form.attr("phx-auto-recover")
    return recover is not None and not recover.is_expr and recover.value == "ignore"


def _gone_after_remount(ctx, template, element) -> bool:
    """The form is not in the render a reconnect produces: it shows only under state mount always resets, or mount
    consumes the page's data and redirects away on a remount. Recovery needs the same form then; an id saves nothing."""
    module = ctx.module or ctx.companion_module
    return module is not None and (absent_after_remount(module, template, element) or mount_consumes_data(module))


def check(ctx):
    ids_from_to_form = None
    for template in ctx.templates:
        for element in template.elements:
            if _form_tag(element) and element.has("phx-change") and not element.has("id") and not _opted_out(element):
                if ids_from_to_form is None:
                    ids_from_to_form = _to_form_gives_id(ctx.source)
                if ids_from_to_form and element.has("for") and element.attr("for").is_expr:
                    continue  # `to_form(changeset, id: "todo-#{id}")`: the form component renders that id
                if _gone_after_remount(ctx, template, element):
                    continue
                if not _upload_only(element) and not _applied_on_change(ctx, element):
                    # Pagination and sorting forms usually keep their state in the URL; when this file does not
                    # show the handler (a separate .html.heex), that is likely: medium.
                    change_attr = element.attr("phx-change")
                    change = change_attr.value or ""
                    unseen = change not in ctx.handled_events
                    confidence = "medium" if unseen and URL_STATE_EVENT.search(change) else None
                    # An event name the caller passes in (`phx-change={@on_change}`) on a form with no submit: its
                    # handler, which may store every change, is not in this file.
                    if change_attr.is_expr and not element.has("phx-submit"):
                        confidence = "medium"
                    if element.tag not in ("form", ".form", ".simple_form"):
                        confidence = "medium"  # a form component of the app's own: it may set an id inside
                    # The fields are in another module's component this file cannot see, or every field sends
                    # its own phx-change and nothing here handles the form's: recovery through the form's
                    # event may restore nothing, or push an event no clause handles.
                    senders = change_senders(element)
                    if senders == "unseen" or senders == "own" and unseen:
                        confidence = "medium"
                    yield element_hit(element, "This phx-change form has no id, so its input is lost on reconnect.",
                                      confidence)
