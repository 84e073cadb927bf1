"""## What it does
In a LiveComponent, flags elements that send an event the component itself handles (`handle_event/3`)
without `phx-target={@myself}` (or a `JS.push(..., target: @myself)`): forms (`<form>`, `<.form>`, and `<.simple_form>`, which Phoenix 1.7 generates),
buttons and links with `phx-click`, key and blur bindings. An event named by an atom (`phx-submit={:save}`) counts as
its name.

## Why is this bad?
Without a target, events go to the parent LiveView, which usually has no clause for them (a crash) or,
worse, handles a same-named event differently. Only a field's change event goes to its form's target (the client
reads the target of `input.form`); a click, a key or a blur event goes to the element's own `phx-target`, so a
button inside a targeted form still needs one.

## Example
```heex
<form id="edit" phx-submit="save">...</form>
```

## Use instead
```heex
<form id="edit" phx-submit="save" phx-target={@myself}>...</form>
```

Phoenix.HTML's helpers of LiveView before 0.18's components count too: a `form_for`, `link`, `button` or `submit` in
an EEx expression with `phx_submit:`, `phx_change:` or `phx_click:` naming a handled event and no `phx_target:`.

A separate template (`item_component.html.heex`) is checked against the LiveComponent module beside it when
project review can see it. The finding is reported on the binding that sends the event (`phx-submit="save"`), which
is where the target belongs in a tag written over many lines.

## False positives
Events the component does not handle (meant for the parent) are not flagged. A `phx-target` on an
enclosing form covers its fields' `phx-change`; a field's `phx-change` with no form around it in this template is
low confidence (strict only), since a helper's field is often rendered inside the component's form.

## Severity and confidence
Error, harm crash: the event goes to the parent, which usually has no clause for it. High when the element is
plainly in the component; a field whose form may be elsewhere is low.

## References
knowledge: forms#forms-inside-livecomponents
"""

import re

from ...context import PUSH_RE
from ...helpers import event_attrs
from ...rule import Hit, Rule

RULE = Rule(
    slug="missing_phx_target", code="LV503", family="forms", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="An event this LiveComponent handles is sent without phx-target={@myself}.",
    fix="Add phx-target={@myself} (or target: @myself in JS.push).", cites="forms#forms-inside-livecomponents",
    harm="crash",
)


FIELDS = {"input", "select", "textarea", ".input"}
# A form whose `phx-target` its fields' change events go to: `<form>`, `<.form>` and the generators' `<.simple_form>`,
# which hands its other attributes to `<.form>`.
FORMS = ("form", ".form", ".simple_form")
# An event named by a literal atom (`phx-submit={:save}`): HEEx writes the atom's name as the attribute's value.
ATOM_EVENT = re.compile(r'\s{0,8}:(?:"([\w-]{1,80})"|([a-z_][\w]{0,80}[?!]?))\s{0,8}')


def _sent(value: str, is_expr: bool) -> list[str]:
    """The event names an attribute sends: a literal, an atom, or each `JS.push("name")` of a command."""
    if not is_expr:
        return [value]
    atom = ATOM_EVENT.fullmatch(value)
    if atom is not None:
        return [atom.group(1) or atom.group(2)]
    return PUSH_RE.findall(value)


# Phoenix.HTML's helpers in an EEx expression, LiveView's forms and links before 0.18's components: `<%= f = form_for
# @changeset, "#", phx_submit: "save" %>`, `<%= link "Delete", to: "#", phx_click: "delete" %>`, `submit`, `button`.
EEX_SENDER = re.compile(r"\s{0,8}(?:[a-z_]\w{0,40}\s{0,4}=\s{0,4})?(?:[A-Z][\w.]{0,60}\.)?(form_for|form_with|link|button|submit)\b")
EEX_EVENT = re.compile(r"\bphx_(click|submit|change)\s{0,4}:\s{0,4}\"([^\"\n]{1,80})\"")


def _eex_hits(template, handled):
    """A Phoenix.HTML form or link of the component sending an event it handles, with no `phx_target:` option."""
    for node, code in template.expressions():
        if "phx_" not in code or re.search(r"\bphx_target\s{0,4}:", code) or EEX_SENDER.match(code) is None:
            continue
        sent = next((m for m in EEX_EVENT.finditer(code) if m.group(2) in handled), None)
        if sent is not None:
            line, column = template.position(node)
            yield Hit(line=line, column=column, message=f"phx_{sent.group(1)} sends an event this component handles, but "
                                                        "to the parent: add phx_target: @myself.")


def check(ctx):
    module = ctx.module or ctx.companion_module  # a separate template: the LiveComponent beside it (project review)
    if module is None or module.kind != "live_component":
        return
    handled = ctx.handled_events
    for template in ctx.templates:
        if "phx_" in template.source:
            yield from _eex_hits(template, handled)
        for element in template.elements:
            if element.has("phx-target"):
                continue
            forms = [a for a in element.ancestors() if a.tag in FORMS]
            for binding, value, is_expr in event_attrs(element):
                # Only a field's change event goes to its form's target (phoenix_live_view's pushInput reads the
                # target of `input.form`); a click, a key or a blur inside that form goes to the element's own
                # `phx-target`, so a button in a targeted form still needs one.
                if binding == "phx-change" and any(a.has("phx-target") for a in forms):
                    continue
                if is_expr and "target:" in value:
                    continue
                if any(name in handled for name in _sent(value, is_expr)):
                    # A field's phx-change goes to its form's target; a field with no form around it here is
                    # often rendered inside one elsewhere (a helper called from the component's form).
                    loose_field = binding == "phx-change" and element.tag in FIELDS and not forms
                    attr = element.attr(binding)
                    # Reported on the binding itself: in a tag written over many lines, that is where the target
                    # belongs (the element's first line can be far above it).
                    yield Hit(line=attr.line, column=attr.column, end_line=element.end_line,
                              message=f"{binding} sends an event this component handles, but to the parent.",
                              confidence="low" if loose_field else None)
                    break
