"""## What it does
Flags a JS hook whose `mounted()` adds listeners to `window` or `document`, or creates observers, when the
hook has no `destroyed()` that removes or disconnects them.

## Why is this bad?
LiveView removes hooked elements on navigation and on many patches. Listeners on `window`/`document` and
observers outlive the element, keep it in memory, and keep firing handlers for a gone element.

## Example
```javascript
const Resize = { mounted() { window.addEventListener("resize", () => this.layout()) } }
```

## Use instead
```javascript
const Resize = {
  mounted() { this.onResize = () => this.layout(); window.addEventListener("resize", this.onResize) },
  destroyed() { window.removeEventListener("resize", this.onResize) }
}
```

## False positives
Listeners on `this.el` go away with the element and are not flagged.

## References
knowledge: hooks-and-js-interop#cleaning-up-in-destroyed
"""

import re

from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_missing_destroyed_cleanup", code="LV402", family="hooks", severity="warning", confidence="high",
    languages=("javascript",), summary="The hook attaches global listeners or observers and never removes them.",
    fix="Keep a reference in mounted() and remove or disconnect it in destroyed().",
    cites="hooks-and-js-interop#cleaning-up-in-destroyed",
)
ATTACH = re.compile(r"\b(window|document)\.addEventListener\(|new\s+(Resize|Intersection|Mutation)Observer\(")
CLEANUP = re.compile(r"removeEventListener\(|\.disconnect\(\)|\.unobserve\(")


def _methods(ctx):
    """(name, node) of every method definition in the file."""
    stack = [ctx.root]
    while stack:
        node = stack.pop()
        if node.type in ("method_definition", "pair") and node.child_by_field_name("key") is not None \
                or node.type == "method_definition":
            key = node.child_by_field_name("name") or node.child_by_field_name("key")
            if key is not None:
                yield key.text.decode(), node
        stack.extend(node.children)


def check(ctx):
    methods = list(_methods(ctx))
    destroyed = "".join(n.text.decode() for name, n in methods if name == "destroyed")
    for name, node in methods:
        if name != "mounted":
            continue
        body = node.text.decode()
        match = ATTACH.search(body)
        if match and not CLEANUP.search(destroyed):
            offset = body[: match.start()].count("\n")
            yield Hit(line=node.start_point[0] + 1 + offset, column=1,
                      message="mounted() attaches a global listener or observer that destroyed() never removes.")
