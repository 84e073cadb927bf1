"""## What it does
Flags a loading-class style that can never apply: e.g. `phx-submit-loading:` classes on an element whose
only loading state comes from a `JS.push(..., loading: "#it")` fired by `phx-change`, which gives it
`phx-change-loading`; and `phx-click-loading:` on a form's submit button with no click binding (the
submit marks the button with `phx-submit-loading`).

## Why is this bad?
`loading:` targets get the loading class of the binding that pushed (`phx-change-loading` for a change,
`phx-click-loading` for a click). A style keyed on another binding never matches, so the results area
never looks busy.

## Example
```heex
<form id="s" phx-change={JS.push("search", loading: "#results")}>...</form>
<div id="results" class="phx-submit-loading:opacity-50">...</div>
```

## Use instead
```heex
<div id="results" class="phx-change-loading:opacity-50">...</div>
```

## False positives
Elements that push the event themselves, or sit inside an element that does (a form for submit), get
that binding's class and are not flagged.

## Severity and confidence
Warning: a loading style that never applies, a visual defect. High confidence: the binding that would set the
class is absent.

## References
knowledge: loading-states#marking-another-element-with-loading
"""

import re

from ...helpers import element_hit, pushes
from ...rule import Hit, Rule
from ...template import nearest

RULE = Rule(
    slug="loading_variant_mismatch", code="LV206", family="optimistic_ui", severity="warning", confidence="high",
    languages=("heex",), summary="This loading-class style never applies: the element gets another binding's class.",
    fix="Style the class of the binding that pushes (phx-change-loading for phx-change, ...).",
    cites="loading-states#marking-another-element-with-loading",
)
VARIANT = re.compile(r"\bphx-(click|submit|change|blur|focus|keydown|keyup)-loading:")
LOADING_ID = re.compile(r'loading:\s*"#([\w-]+)"')


def _is_form(element) -> bool:
    return element.tag in ("form", ".form")


def _clicks(element) -> bool:
    return element.has("phx-click")


def _submit_with_click_variant(element, forms: dict, clicks: dict) -> bool:
    """A form's submit button styled with phx-click-loading: and no click binding of its own or above it.
    `forms` and `clicks` keep template.nearest's answers (linear time however deep the markup nests)."""
    classes = element.attr("class")
    if classes is None or "phx-click-loading:" not in (classes.value or ""):
        return False
    kind = element.attr("type")
    submits = (element.tag in ("button", ".button") and (kind is None or kind.value == "submit")) or (
        element.tag == "input" and kind is not None and kind.value == "submit")
    form = nearest(element.parent, _is_form, forms) if element.parent is not None else None
    if not submits or form is None or not form.has("phx-submit"):
        return False
    return nearest(element, _clicks, clicks) is None


def check(ctx):
    for template in ctx.templates:
        targeted: dict[str, set[str]] = {}
        for element in template.elements:
            for name, attr in element.attrs.items():
                if not attr.is_expr or not name.startswith("phx-"):
                    continue
                binding = name[4:]
                for _, args in pushes(attr.value or ""):
                    for target in LOADING_ID.findall(args):
                        targeted.setdefault(target, set()).add(binding)
        forms, clicks = {}, {}
        for element in template.elements:
            if _submit_with_click_variant(element, forms, clicks):
                classes = element.attr("class")
                yield Hit(line=classes.line, column=classes.column,
                          message="phx-click-loading: never applies to a submit button: a submit marks it with "
                                  "phx-submit-loading.")
                continue
            element_id = element.attr("id")
            classes = element.attr("class")
            if element_id is None or element_id.is_expr or classes is None or element_id.value not in targeted:
                continue
            own = {n[4:] for n in element.attrs if n.startswith("phx-")}
            own |= {n[4:] for a in element.ancestors() for n in a.attrs if n.startswith("phx-")}
            for variant in set(VARIANT.findall(classes.value or "")):
                if variant not in targeted[element_id.value] and variant not in own:
                    got = ", ".join(f"phx-{b}-loading" for b in sorted(targeted[element_id.value]))
                    yield element_hit(element, f"phx-{variant}-loading: never applies here; this element gets {got}.")
