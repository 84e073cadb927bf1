"""## What it does
Flags a colocated hook (`<script :type={Phoenix.LiveView.ColocatedHook} name="...">`) whose name does not
start with a dot, and a `phx-hook="Name"` in the same template that names a colocated hook defined there as
`.Name` without the dot.

## Why is this bad?
A colocated hook's name must start with `.`: LiveView prefixes it with the module name at compile time
and raises `ArgumentError` for a name without the dot. The element must use the same dotted name: without
the dot, `phx-hook` looks up a global hook of that name, finds none, and the hook never runs.

## Example
```heex
<input id="phone" phx-hook="PhoneNumber" />
<script :type={Phoenix.LiveView.ColocatedHook} name="PhoneNumber">...</script>
```

## Use instead
```heex
<input id="phone" phx-hook=".PhoneNumber" />
<script :type={Phoenix.LiveView.ColocatedHook} name=".PhoneNumber">...</script>
```

## False positives
A `phx-hook` without a dot is flagged only when this template defines a colocated hook of that name,
which is then surely the one meant; other undotted names are global hooks from `app.js`.

## Severity and confidence
Error: the build fails (a name without the dot) or the hook never runs. High confidence: both names are in
the template. No harm class: the compiler or the first page view shows it.

## References
knowledge: hooks-and-js-interop#colocated-hooks-1-1-with-phoenix-1-8
"""

from .... import api_facts
from ...helpers import element_hit
from ...rule import Hit, Rule

RULE = Rule(
    slug="colocated_hook_missing_dot", code="LV406", family="hooks", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="A colocated hook name without its leading dot.",
    fix='Name colocated hooks with a leading dot (name=".Chart") and use the same name in phx-hook=".Chart".',
    cites="hooks-and-js-interop#colocated-hooks-1-1-with-phoenix-1-8",
    since=str(api_facts.special_attribute_since(":type")),
)
COLOCATED_TYPE = ("xtype", ":type")


def _colocated(element) -> bool:
    return element.tag == "script" and any(
        "ColocatedHook" in (element.attr(name).value or "") for name in COLOCATED_TYPE if element.has(name))


def check(ctx):
    for template in ctx.templates:
        defined = {}
        for element in template.elements:
            if not _colocated(element):
                continue
            name = element.attr("name")
            value = (name.value or "").strip() if name is not None and not name.is_expr else None
            if value and not value.startswith("."):
                yield element_hit(element, f'Colocated hook name "{value}" must start with a dot: name=".{value}" '
                                           "(LiveView raises at compile time).")
            if value:
                defined[value.lstrip(".")] = value
        for element in template.elements:
            hook = element.attr("phx-hook")
            if hook is None or hook.is_expr or not hook.value or hook.value.startswith("."):
                continue
            if hook.value in defined:
                yield Hit(line=hook.line, column=hook.column,
                          message=f'phx-hook="{hook.value}" names the colocated hook ".{hook.value}" without its dot: '
                                  f'the hook never runs. Use phx-hook=".{hook.value}".')
