"""The ids and label targets a template renders without writing them as literal attributes: Phoenix.HTML
form helper calls (`{select(:report, :date_preset, @presets)}`, `<%= label f, :notes %>`, from phoenix_html
3.x or phoenix_html_helpers) and field components (`<.input field={@form[:email]} />`).

A helper gets its id from `Phoenix.HTML.Form.input_id/2` (and `label/2` its `for` too): `"#{form}_#{field}"`.
With an atom or string form (`:report`) that id is known exactly (`report_date_preset`); with a form variable
(`f`, `@form`) only its tail is (`<form id>_notes`), so any id ending in `_notes` may be it; the bare field
name is its id only when the form has no name (`to_form(params)` without `as:`), which the template cannot
show, so the rules treat that as unproven. An explicit `id:`/`for:` option wins. A call whose id
cannot be read (a field held in a variable, an `id:` computed at run time) makes the template's ids unknowable:
the rules then lower their confidence instead of guessing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from ..parsing import parse
from .elixir_tree import call_arguments, call_parts, text, walk
from .template import Template

# Helpers that render one labellable control with id input_id(form, field) (phoenix_html 3.x Form,
# PhoenixHTMLHelpers.Form). radio_button adds the value; the date/time selects render several selects.
CONTROL_HELPERS = {"text_input", "textarea", "select", "multiple_select", "checkbox", "number_input", "email_input",
                   "password_input", "url_input", "telephone_input", "search_input", "color_input", "range_input",
                   "date_input", "time_input", "datetime_local_input", "file_input", "hidden_input"}
MULTI_CONTROL_HELPERS = {"date_select", "time_select", "datetime_select"}
LABEL_HELPERS = {"label"}
HELPER_MODULES = ("Form", "Phoenix.HTML.Form", "PhoenixHTMLHelpers.Form")
NOT_CONTROLS = {"label", "error_tag", "input_value", "input_id", "input_name", "humanize", "translate_error",
                "inputs_for", "used_input?", "get", "put", "fetch", "update", "delete", "take", "drop"}
# Cheap gate before parsing an expression: a known helper's name, or a call that may take (form, :field).
CANDIDATE = re.compile(r",\s{0,20}[:\"]\w|\b(?:label|select|textarea|checkbox|radio_button|\w{1,20}_input|"
                       r"\w{1,20}_select)\b")
NON_WORD = re.compile(r"\W")
FIELD_ACCESS = re.compile(r"^@?[a-z_]\w{0,60}\[\s*:(\w{1,80})\s*\](?:\.id)?$")


@dataclass
class FieldIds:
    """Ids a template renders through helpers or field components: `exact` ones, the fields of form
    variables (`notes`: some `<form id>_notes`), and whether some call's id could not be read."""

    exact: set[str] = field(default_factory=set)
    tails: set[str] = field(default_factory=set)
    unknown: bool = False

    def names(self, value: str) -> bool:
        """Whether `value` is one of these ids: an exact one, or `<form id>_<field>` for a form variable."""
        if value in self.exact:
            return True
        return any(value.endswith("_" + tail) for tail in self.tails)

    def bare(self, value: str) -> bool:
        """Whether `value` is a form variable's field name alone: the id only when the form has no name
        (`to_form(params)` without `as:`), which the template does not show."""
        return value in self.tails

    def add(self, form: str | None, name: str | None) -> None:
        if name is None:
            self.unknown = True
        elif form is None:
            self.tails.add(name)
        else:
            self.exact.add(f"{form}_{name}")


def _literal(node: Node | None) -> str | None:
    """The text of an atom (`:report`) or a plain string (`"report"`), else None."""
    if node is None:
        return None
    if node.type == "atom":
        return text(node)[1:]
    if node.type == "string" and not any(c.type == "interpolation" for c in node.children):
        return text(node)[1:-1]
    return None


def _option(arguments: list[Node], key: str) -> tuple[bool, str | None]:
    """(present, literal value) of keyword option `key:` among the call's trailing arguments."""
    for argument in arguments:
        holders = [argument] if argument.type == "keywords" else [
            c for c in argument.named_children if c.type == "keywords"] if argument.type == "list" else []
        for keywords in holders:
            for pair in keywords.named_children:
                if text(pair.child_by_field_name("key")).strip().rstrip(":").strip() == key:
                    return True, _literal(pair.child_by_field_name("value"))
    return False, None


def _form_name(node: Node) -> tuple[bool, str | None]:
    """(understood, exact form name): `:report` -> (True, "report"); `f`, `@form` -> (True, None)."""
    literal = _literal(node)
    if literal is not None:
        return True, literal
    plain = text(node).strip()
    return bool(re.fullmatch(r"@?[a-z_]\w{0,60}", plain)), None


def _helper_calls(expression: str):
    """(name, arguments) of every call in the expression that takes a form and a field first."""
    tree = parse("elixir", expression)
    for node in walk(tree.root_node):
        module, name = call_parts(node)
        if not name or (module is not None and not module.endswith(HELPER_MODULES)):
            continue
        arguments = call_arguments(node)
        if len(arguments) >= 2:
            yield name, arguments


def _read_call(name: str, arguments: list[Node], controls: FieldIds, labels: FieldIds) -> None:
    understood, form = _form_name(arguments[0])
    field_name = _literal(arguments[1])
    is_label = name in LABEL_HELPERS
    known = name in CONTROL_HELPERS or name in MULTI_CONTROL_HELPERS or name == "radio_button" or is_label
    if not known and (not understood or field_name is None or name in NOT_CONTROLS):
        return  # not a form helper: some other call
    target = labels if is_label else controls
    present, explicit = _option(arguments[2:], "for" if is_label else "id")
    if present:
        if explicit is None:
            target.unknown = True
        else:
            target.exact.add(explicit)
        return
    if not understood or name in MULTI_CONTROL_HELPERS:
        target.unknown = True
        return
    if name == "radio_button":
        value = _literal(arguments[2]) if len(arguments) > 2 else None
        target.add(form, None if value is None or field_name is None else field_name + "_" + NON_WORD.sub("_", value))
        return
    # A call this module does not know that takes (form, :field) may render a control: its possible ids count,
    # so a label beside it is not reported on a guess.
    target.add(form, field_name)


def rendered_ids(template: Template) -> tuple[FieldIds, FieldIds]:
    """(control ids, label targets) that the template's helper calls and field components render."""
    controls, labels = FieldIds(), FieldIds()
    for element in template.elements:
        if not element.is_component:
            continue
        attr = element.attr("field")
        if attr is None or element.has("id"):
            continue
        match = FIELD_ACCESS.match((attr.value or "").strip()) if attr.is_expr else None
        if match:
            controls.tails.add(match.group(1))
        else:
            controls.unknown = True
    for _, expression in template.expressions():
        if not CANDIDATE.search(expression):
            continue
        for name, arguments in _helper_calls(expression):
            _read_call(name, arguments, controls, labels)
    return controls, labels


def field_id_tail(expression: str) -> str | None:
    """`@form[:email].id` or `f[:email].id` as an id expression: the field whose id it is."""
    match = FIELD_ACCESS.match(expression.strip())
    return match.group(1) if match and expression.strip().endswith(".id") else None
