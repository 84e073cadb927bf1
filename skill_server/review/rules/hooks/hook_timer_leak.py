"""## What it does
Flags `setInterval` in a JS hook when nothing in the file calls `clearInterval`.

## Why is this bad?
An interval keeps running after LiveView removes the hooked element: it keeps doing work, keeps the hook
in memory, and may push events from a page the user already left.

## Example
```javascript
mounted() { this.timer = setInterval(() => this.tick(), 1000) }
```

## Use instead
```javascript
mounted() { this.timer = setInterval(() => this.tick(), 1000) },
destroyed() { clearInterval(this.timer) }
```

## False positives
`setTimeout` is not flagged: a one-shot timer ends on its own. Only intervals started in a hook's
lifecycle methods count; app-level polling started once in `app.js` is not tied to an element.

## Severity and confidence
Warning: a leaked interval keeps running after the element is gone. High confidence when no clear is in view.

## References
knowledge: hooks-and-js-interop#cleaning-up-in-destroyed
"""


from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_timer_leak", code="LV403", family="hooks", severity="warning", confidence="high",
    languages=("javascript",), summary="setInterval without clearInterval: the timer outlives the element.",
    fix="Store the timer id and clearInterval it in destroyed().", cites="hooks-and-js-interop#cleaning-up-in-destroyed",
)


HOOK_CALLBACKS = {"mounted", "updated", "beforeUpdate", "reconnected", "disconnected"}


def _hook_callback(node) -> bool:
    """A hook's lifecycle method: app-level polling started once in app.js is not tied to an element."""
    if node.type not in ("method_definition", "pair"):
        return False
    key = node.child_by_field_name("name") or node.child_by_field_name("key")
    return key is not None and key.text.decode("utf-8", "replace") in HOOK_CALLBACKS


def check(ctx):
    if "clearInterval(" in ctx.source:
        return
    # One walk from the root that carries whether a hook callback encloses the node (asking each call's
    # ancestors instead costs the depth per step: tree-sitter finds a parent from the root down).
    stack = [(ctx.root, False)]
    while stack:
        node, in_callback = stack.pop()
        in_callback = in_callback or _hook_callback(node)
        if node.type == "call_expression" and in_callback:
            function = node.child_by_field_name("function")
            if function is not None and function.end_byte - function.start_byte <= len("window.setInterval") \
                    and function.text.decode() in ("setInterval", "window.setInterval"):
                yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1)
        stack.extend((child, in_callback) for child in node.children)
