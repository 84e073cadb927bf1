"""## What it does
Flags a free-text input that sends `phx-change` on every keystroke to a search or lookup handler, with no
`phx-debounce`.

## Why is this bad?
Each keystroke becomes a server event and, for search, a query: typing "liveview" sends eight. The page
feels slower under load, and results arrive for prefixes the user already typed past.

## Example
```heex
<form id="search" phx-change="search"><input type="search" name="q" /></form>
```

## Use instead
```heex
<input type="search" name="q" phx-debounce="300" />
```

Phoenix.HTML's input helpers count too (`<%= text_input f, :query %>`, `search_input`, `textarea`, ...): without
`phx_debounce:`, in a form with phx-change (a `<.form :let={f}>`, or the `form_for ..., phx_change: "search"` of
LiveView before 0.18) or with their own `phx_change:`/`phx_keyup:`.

A key event on the input (`phx-keyup="search"`, unless `phx-key` limits it to one key) and component inputs of a
free-text or number type count the same: the core components' `<.input>`, Petal's `<.field>` and `<.form_field
type="text_input">`, and kits' inputs named for their type (`<.search_input>`, `<.text_field>`); each passes
`phx-debounce` to the input it renders. The form may be `<form>`, `<.form>` or `<.simple_form>` (the core component Phoenix 1.7 generates). So does a range
slider (`type="range"`): dragging it sends an event per step, so it is high whatever the event is called.

## False positives
Validation forms (`phx-change="validate"`) are medium confidence: per-keystroke validation can be
deliberate. Checkboxes, selects and radios are not free text and are not flagged. An app's own
`<.something_input>` component (`<.base_input>`) is read only when it binds `phx-change` or a key event itself and
its name or `type` says no other kind (`<.date_input>`, `type="checkbox"`): its markup is not visible here.

## Severity and confidence
Warning: a request per keystroke is load, not a bug. High when the event does expensive work (named for searching,
filtering, suggesting or loading: `search`, `filter`, `apply_filters`, `load_options`) or the input is a range slider;
medium otherwise (a search word only as the object of another verb, `update_query_options`, is medium), and medium
too when every handler clause of the event this file shows only builds a changeset or form and assigns it
(`assign(socket, form: to_form(Query.changeset(params)))`): an in-memory rebuild, not a lookup.

## References
knowledge: forms#rate-limiting-with-phx-debounce-and-phx-throttle
"""

import re

from ...elixir_tree import calls, text
from ...helpers import element_hit
from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_debounce", code="LV502", family="forms", severity="warning", confidence="high",
    languages=("heex",), summary="A free-text input pushes phx-change on every keystroke with no phx-debounce.",
    fix='Add phx-debounce="300" (or "blur") to the input.',
    cites="forms#rate-limiting-with-phx-debounce-and-phx-throttle",
)
FREE_TEXT = {None, "text", "search", "email", "url", "tel", "number"}
# Component inputs that render a typed field and pass phx-debounce to it: the core components' `<.input>`, Petal's
# `<.field>` and `<.form_field>`, and kits' typed inputs named for their type (`<.text_input>`, `<.search_field>`,
# `<.textarea>`). Not a label, an error, a hidden or file input.
COMPONENT_INPUT = re.compile(r"\.(?:input|field|form_field|(text|search|email|url|tel|number)_(?:input|field)|"
                             r"(textarea|text_area))")
# A form whose phx-change its fields send: `<form>`, `<.form>` and the generators' `<.simple_form>`.
FORMS = ("form", ".form", ".simple_form")
# An event that searches as the user types: named for it first (`search`, `filter_teams`, `query_users`), or a search
# word anywhere (`live_search`, `user_autocomplete`). A search word as the object of another verb is not one
# (`update_query_options` rebuilds a changeset of query options).
SEARCH_FIRST = {"search", "searching", "filter", "filters", "suggest", "lookup", "query", "autocomplete", "find",
                "typeahead", "load"}
SEARCH_ANYWHERE = {"search", "searching", "suggest", "suggestions", "lookup", "autocomplete", "typeahead", "filter",
                   "filters"}


def _expensive(event: str) -> bool:
    words = [w for w in re.split(r"[^a-z]+", event.lower()) if w]
    return bool(words) and (words[0] in SEARCH_FIRST or not SEARCH_ANYWHERE.isdisjoint(words))


# What a change handler may call and still only rebuild form state in memory: changesets and forms, and
# assigning them. A listing, a query, a patch or a helper of the module's own may be the lookup.
CHANGESET_BUILDER = re.compile(r"^(?:changeset|\w{1,40}_changeset|change_\w{1,40}|validate\w{0,40}|cast\w{0,20}|new)$")
FORM_STATE = {"assign", "assign_new", "update", "to_form", "noreply", "apply_action", "put_change", "cast",
              "validate_required", "validate_number", "validate_length", "validate_format", "validate_inclusion"}
IN_MEMORY_MODULES = re.compile(r"^(?:Ecto\.)?Changeset$|^(?:Map|Keyword|String|Integer|Phoenix\.Component)$")


def _only_builds_a_changeset(ctx, event: str) -> bool:
    """Every handler clause of the event in view builds a changeset or form and assigns it, nothing more (`assign(
    socket, form: to_form(Query.changeset(params)))`): a cheap in-memory rebuild, not a search, even when the
    event's name says query or filter."""
    clauses = [c for c in ctx.event_handlers() if c.params and c.params[0].type == "string"
               and text(c.params[0])[1:-1] == event and c.body is not None]
    if not clauses:
        return False
    built = False
    for clause in clauses:
        for _, module, name in calls(clause.body):
            if module is None and name in FORM_STATE or module is not None and IN_MEMORY_MODULES.match(module):
                continue
            if CHANGESET_BUILDER.match(name) and (module is None or module[:1].isupper()):
                built = True
                continue
            return False
    return built


def _event(element):
    attr = element.attr("phx-change")
    return attr.value if attr is not None else None


def _key_event(element):
    """`phx-keyup`/`phx-keydown` on the input itself, unless `phx-key` limits it to one key (Enter)."""
    attr = element.attr("phx-keyup") or element.attr("phx-keydown")
    return attr.value if attr is not None and not element.has("phx-key") else None


# An app's own input component named `<.something_input>` (`<.base_input>`, `<.combobox_input>`): read only when it
# binds the event itself (its markup is not visible here, so a form's event says nothing about it), and not when the
# name says a non-text kind.
OWN_INPUT = re.compile(r"\.(\w{1,30})_input")
NOT_TEXT = {"hidden", "file", "live_file", "checkbox", "radio", "select", "color", "date", "time", "datetime",
            "datetime_local", "month", "week", "switch", "toggle", "image", "submit", "password"}


def _own_input(element) -> bool:
    named = OWN_INPUT.fullmatch(element.tag)
    return named is not None and named.group(1) not in NOT_TEXT and \
        (element.has("phx-change") or _key_event(element) is not None)


def _kind(element) -> str | None:
    """The input's type: its `type` attribute (Petal's `text_input` reads as `text`), or the one its tag names
    (`<.search_input>`); None when neither says (a free-text default)."""
    named = COMPONENT_INPUT.fullmatch(element.tag)
    if named is not None and (named.group(1) or named.group(2)):
        return named.group(1) or "textarea"
    if element.has("type") and not element.attr("type").is_expr:
        return re.sub(r"_(?:input|field)$", "", element.attr("type").value or "") or None
    return None


# Phoenix.HTML's input helpers in an EEx expression (`<%= text_input f, :query %>`, `{search_input(f, :q)}`), the form
# helpers of LiveView before 0.18's components, and the form_for that opens their form with its `phx_change:`.
EEX_INPUT = re.compile(r"\s{0,8}(?:[A-Z][\w.]{0,60}\.)?(text_input|search_input|email_input|url_input|telephone_input|"
                       r"number_input|textarea)\b\s{0,4}\(?\s{0,4}[a-z_]\w{0,40}\s{0,4},\s{0,4}:\w{1,60}")
EEX_OPTION_EVENT = re.compile(r"\bphx_(change|keyup|keydown)\s{0,4}:\s{0,4}\"([^\"\n]{1,80})\"")
FORM_FOR = re.compile(r"\bform_for\b[^\n]{0,400}?\bphx_change\s{0,4}:\s{0,4}\"([^\"\n]{1,80})\"")


def _eex_inputs(ctx, template):
    """(line, column, event, kind) for each Phoenix.HTML input helper of free text the template renders without
    `phx_debounce:`: its own `phx_change:`/`phx_keyup:` event, else that of the form around it (a `<form>` or
    `<.form>` element, or a preceding `form_for ..., phx_change:` whose form has not closed)."""
    forms = {e.node.id: e for e in template.elements if e.tag in FORMS}
    data = template.source.encode("utf-8", "replace")  # node bytes index the template's own text, encoded once
    opened: list[tuple[int, str]] = []  # (byte of its first `</form>` after it, event) of each `form_for` with phx_change
    for node, code in template.expressions():
        opener = FORM_FOR.search(code)
        if opener is not None:
            close = data.find(b"</form>", node.end_byte)  # once per form, not once per input after it
            opened.append((close if close >= 0 else len(data), opener.group(1)))
            continue
        match = EEX_INPUT.match(code)
        if match is None or re.search(r"\bphx_(?:debounce|throttle)\s{0,4}:", code):
            continue
        own = EEX_OPTION_EVENT.search(code)
        if own is not None and own.group(1) != "change" and re.search(r"\bphx_key\s{0,4}:", code):
            own = None  # a key event limited to one key (Enter)
        event = own.group(2) if own is not None else None
        if event is None:
            parent = node.parent
            for _ in range(60):
                if parent is None or parent.id in forms:
                    break
                parent = parent.parent
            form = forms.get(parent.id) if parent is not None else None
            event = _event(form) if form is not None else None
        if event is None and opened:
            close, candidate = opened[-1]
            if node.start_byte < close:
                event = candidate
        if event is not None:
            line, column = template.position(node)
            kind = "textarea" if match.group(1) == "textarea" else match.group(1).split("_")[0]
            yield line, column, event, kind


def check(ctx):
    for template in ctx.templates:
        for line, column, event, kind in _eex_inputs(ctx, template) if "_input" in template.source or \
                "textarea" in template.source else ():
            confidence = None if _expensive(event) and not _only_builds_a_changeset(ctx, event) else "medium"
            yield Hit(line=line, column=column, message="This input sends an event on every keystroke; add phx_debounce.",
                      confidence=confidence)
        for element in template.elements:
            # `<.input>` (core components) and the kits' inputs render an input and pass phx-debounce through.
            component = COMPONENT_INPUT.fullmatch(element.tag) is not None or _own_input(element)
            if element.tag not in ("input", "textarea") and not component or element.has("phx-debounce") \
                    or element.has("phx-throttle"):
                continue
            kind = _kind(element)
            if element.tag != "textarea" and kind not in FREE_TEXT | {"textarea", "range"}:
                continue
            if element.tag == "input" and kind == "textarea":
                continue
            event = _event(element) or _key_event(element)
            if event is None:
                form = next((a for a in element.ancestors() if a.tag in FORMS), None)
                event = _event(form) if form is not None else None
            if event is None:
                continue
            # A range slider sends an event for every step the thumb moves while dragged: a flood, whatever the event.
            confidence = None if (_expensive(event) and not _only_builds_a_changeset(ctx, event)) \
                or kind == "range" else "medium"
            what = "every step of the slider" if kind == "range" else "every keystroke"
            yield element_hit(element, f"This input sends an event on {what}; add phx-debounce.", confidence)
