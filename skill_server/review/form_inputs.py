"""Which inputs of a form send its `phx-change` event, as far as the template shows.

An input sends the change event of its form unless it carries a `phx-change` of its own (then its own event
goes, with its own target). So a form whose every field has its own `phx-change` never sends the form's event
from its inputs, and a form that holds no field of its own, only a component of another module
(`<MultiSelect.multi_select form={f} />`, `<.live_component module={TagPicker} />`), sends it only if that
component's inputs lack their own `phx-change`, which this file cannot show. Rules about the form's change
event (a handler for it, recovery through it) lower their confidence or stay silent on such forms."""

from __future__ import annotations

import re
from itertools import islice

from .template import Element

FIELD_TAGS = {"input", "select", "textarea", ".input", ".inputs_for", ".select", ".textarea", ".checkbox",
              ".live_file_input", "live_file_input"}
NOT_CHANGING = {"hidden", "submit", "button", "reset", "image"}  # input types that never send a change
# Phoenix.HTML form helpers (`<%= text_input f, :name %>`, `{select(f, :kind, @kinds)}`): fields of the form.
HELPER_CALL = re.compile(r"\b(?:\w{1,30}_input|\w{1,20}_select|select|textarea|checkbox|radio_button)[(\s]")
EXPRESSION = re.compile(r"<%=?(.{0,400}?)%>|\{([^{}\n]{0,400})\}", re.S)


def _is_field(element: Element) -> bool:
    """An element the user changes: an input (not hidden or a button), select, textarea, a field component,
    or an app component given a form field (`<.text_field field={@form[:name]} />`)."""
    if element.tag in FIELD_TAGS:
        kind = element.attr("type")
        return not (kind is not None and not kind.is_expr and (kind.value or "") in NOT_CHANGING)
    return element.is_component and element.has("field")


def _other_module_component(element: Element) -> bool:
    """A component whose markup is in another module: `<Module.function>` or `<.live_component>`."""
    return element.tag == ".live_component" or (element.tag[:1].isupper() and "." in element.tag)


def change_senders(form: Element) -> str:
    """'fields' when a field of the form's own markup sends the form's change event (or a form helper may),
    'own' when the form has fields and every one carries its own `phx-change`, 'unseen' when the form holds no
    field of its own, only components of other modules whose inputs this file cannot see."""
    fields = [element for element in form.descendants() if _is_field(element)]
    if fields:
        return "own" if all(field.has("phx-change") for field in fields) else "fields"
    inner = form.inner_source()
    if any(HELPER_CALL.search(match.group(1) or match.group(2) or "") for match in EXPRESSION.finditer(inner)):
        return "fields"
    return "unseen" if any(_other_module_component(element) for element in form.descendants()) else "fields"


# Input types a user types into, where Enter submits a form that has no submit button but this one field (the
# HTML standard's implicit submission); a missing type is text.
TYPED = {"text", "search", "email", "url", "tel", "password", "number", "date", "datetime-local", "month", "week",
         "time"}
# Components that render no control of their own that could submit (labels, errors, icons, headers).
INERT_COMPONENTS = {".label", ".error", ".icon", ".header", ".inputs_for"}
# Code that submits a form from a script or a command (`JS.dispatch("submit")`, `form.requestSubmit()`), a
# control placed outside the form (`<button form="search">`), a form posted by LiveView itself.
SCRIPTED_SUBMIT = re.compile(r"requestSubmit|dispatch\(\s{0,4}\"submit\"|\.submit\(\s{0,4}\)|\sform=[\"{]|"
                             r"phx-trigger-action")


MAX_FORM_ELEMENTS = 400  # elements of one form read (nested forms in a hostile paste would read each other's)
MAX_FORM_SOURCE = 40_000  # characters of one form's markup read for form helpers


def never_submitted(form: Element, scripted: bool) -> bool:
    """The form has no way to be submitted, so its `phx-submit` event is never sent: no submit control (a button
    that is not `type="button"`, an `<input type="submit">`, a `.button`), no component or form helper that may render
    one, no hook, and not exactly one field a user types in (Enter in a lone field submits the form). A page that
    submits forms from code (`requestSubmit`, `JS.dispatch("submit")`, a control's `form=` attribute) is not read
    this way (`scripted`: SCRIPTED_SUBMIT found in the page's files, searched once by the caller)."""
    if scripted or form.has("phx-hook"):
        return False
    typed = 0
    inside = list(islice(form.descendants(), MAX_FORM_ELEMENTS + 1))
    if not inside or len(inside) > MAX_FORM_ELEMENTS:
        return False  # nothing of the form's markup in view, or more than a form holds: not read as unsubmittable
    for element in inside:
        kind = element.attr("type")
        value = None if kind is None else (kind.value or "") if not kind.is_expr else "?"
        if element.has("phx-hook"):
            return False
        if element.tag in ("button", ".button"):
            if value != "button":
                return False  # a button submits unless it says it is a plain button
        elif element.tag in ("input", ".input"):
            if value in ("submit", "image", "?"):
                return False
            if value is None or value in TYPED:
                typed += 1
        elif element.is_component and element.tag not in INERT_COMPONENTS and element.tag not in FIELD_TAGS:
            return False  # its markup is elsewhere: it may hold a submit button
    if form.node.end_byte - form.node.start_byte > MAX_FORM_SOURCE:
        return False  # measured before the markup is copied out
    inner = form.inner_source()
    if any((match.group(1) or match.group(2) or "").strip() for match in EXPRESSION.finditer(inner)
           if re.search(r"\bsubmit\b|\w+_input|\binput\(|render_slot|inner_block", match.group(1) or match.group(2) or "")):
        return False  # a form helper (`<%= submit "Save" %>`, `text_input f, :q`) or a slot renders controls not counted
    return typed != 1
