"""## What it does
Flags an element whose colocated hook (defined in the same template) writes the element's children
(`this.el.innerHTML = ...`, `this.el.appendChild(...)`, `append`, `prepend`, `replaceChildren`,
`insertAdjacentHTML`) when the element has no `phx-update="ignore"`.

## Why is this bad?
Without `phx-update="ignore"`, LiveView patches the element to what the server rendered: the next update
that touches it throws away the children the hook made (a chart, a rendered editor, inserted rows). The
hook "works" on the first render and breaks on the next change.

## Example
```heex
<div id="preview" phx-hook=".Markdown" data-source={@body}></div>
<script :type={Phoenix.LiveView.ColocatedHook} name=".Markdown">
  export default { mounted() { this.el.innerHTML = render(this.el.dataset.source) } }
</script>
```

## Use instead
```heex
<div id="preview" phx-hook=".Markdown" phx-update="ignore" data-source={@body}></div>
```
and read changes to `data-*` (still merged on ignored elements) in `updated()`.

## False positives
Only colocated hooks are read (a hook in `app.js` is in another file). A hook that only changes
attributes, classes or text of children the server renders is not flagged, nor are widgets handed the
element (`new Chart(this.el)` on a canvas draws pixels, not children).

## Severity and confidence
Warning: the hook's DOM is lost on the next patch, a visible defect but no data loss. High confidence: the
hook's code and the element are in the same template.

## References
knowledge: hooks-and-js-interop#hook-basics-and-the-id-requirement
"""

import re

from .... import api_facts
from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_owned_dom_not_ignored", code="LV407", family="hooks", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A hook writes its element's children, but LiveView patches them away.",
    fix='Add phx-update="ignore" to the hooked element (data-* changes still arrive).',
    cites="hooks-and-js-interop#hook-basics-and-the-id-requirement",
    since=str(api_facts.special_attribute_since(":type")),
)
WRITES_CHILDREN = re.compile(r"\bthis\.el\.(innerHTML\s*=(?!=)|appendChild\(|append\(|prepend\(|replaceChildren\(|"
                             r"insertAdjacentHTML\(|insertAdjacentElement\()")
COLOCATED_TYPE = ("xtype", ":type")


def _colocated_hooks(template) -> dict[str, str]:
    """Colocated hook name (with its dot) -> the hook's code."""
    hooks = {}
    for element in template.elements:
        if element.tag != "script" or not any("ColocatedHook" in (element.attr(n).value or "")
                                               for n in COLOCATED_TYPE if element.has(n)):
            continue
        name = element.attr("name")
        if name is not None and not name.is_expr and name.value:
            hooks[name.value] = element.text_content()
    return hooks


def check(ctx):
    for template in ctx.templates:
        hooks = _colocated_hooks(template)
        if not hooks:
            continue
        for element in template.elements:
            hook = element.attr("phx-hook")
            if hook is None or hook.is_expr or hook.value not in hooks:
                continue
            update = element.attr("phx-update")
            if update is not None and (update.is_expr or update.value in ("ignore", "stream")):
                continue
            match = WRITES_CHILDREN.search(hooks[hook.value])
            if match:
                call = match.group(1).rstrip("(= ")
                yield Hit(line=hook.line, column=hook.column,
                          message=f"{hook.value} writes this element's children (this.el.{call}) but it has no "
                                  'phx-update="ignore": the next patch throws them away.')
