"""## What it does
Flags a method of a JS hook named for another framework's lifecycle, or a near miss of LiveView's own
(`beforeDestroy`, `unmounted`, `componentWillUnmount`, `disconnectedCallback`, `destroy`, `mount`), that nothing
calls: LiveView calls only `mounted`, `beforeUpdate`, `updated`, `destroyed`, `disconnected` and `reconnected`.
Colocated hooks (`<script :type={Phoenix.LiveView.ColocatedHook}>` in a template) are read the same way.

## Why is this bad?
The method never runs. Cleanup written there (a chart's `destroy()`, a camera stream's `stop()`, a listener's
removal) never happens, so the resource leaks on every navigation and patch that removes the element, and code meant
to run on mount or update silently does nothing.

## Example
```javascript
const Chart = {
  mounted() { this.chart = new ChartJS(this.el, this.config()) },
  beforeDestroy() { this.chart.destroy() }
}
```

## Use instead
```javascript
const Chart = {
  mounted() { this.chart = new ChartJS(this.el, this.config()) },
  destroyed() { this.chart.destroy() }
}
```

## False positives
Only objects and classes that are hooks are read: they have one of LiveView's callbacks and use the hook API
(`this.el`, `this.pushEvent`, `this.handleEvent`, `this.js()`, `this.liveSocket`); a Vue or web component (`this.$el`,
no hook API) is not. A method the hook calls itself (`destroyed() { this.destroy() }`, `this.mount()`) is a helper,
not a misnamed callback.

## Severity and confidence
Warning, high: the method is dead code with LiveView whatever it does; what it costs depends on what it holds.

## References
knowledge: hooks-and-js-interop#cleaning-up-in-destroyed
"""

import re
from bisect import bisect_left

from ...colocated_js import colocated_hook_units
from ...helpers import js_method_name
from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_callback_never_called", code="LV408", family="hooks", severity="warning", confidence="high",
    languages=("javascript", "heex"),
    summary="LiveView never calls this hook method: its name is another framework's lifecycle callback.",
    fix="Rename it to LiveView's callback (destroyed, mounted, updated, beforeUpdate, disconnected, reconnected).",
    cites="hooks-and-js-interop#cleaning-up-in-destroyed",
)

LIVEVIEW_CALLBACKS = {"mounted", "beforeUpdate", "updated", "destroyed", "disconnected", "reconnected"}
# Method name -> the LiveView callback its author meant: Vue, React, Svelte, Angular, web components and Stimulus
# lifecycle names, and near misses of LiveView's own.
MEANT = {
    "beforeDestroy": "destroyed", "destroy": "destroyed", "beforeDestroyed": "destroyed", "unmounted": "destroyed",
    "beforeUnmount": "destroyed", "unmount": "destroyed", "componentWillUnmount": "destroyed", "onDestroy": "destroyed",
    "ngOnDestroy": "destroyed", "disconnectedCallback": "destroyed", "onUnmount": "destroyed", "teardown": "destroyed",
    "mount": "mounted", "onMount": "mounted", "componentDidMount": "mounted", "connectedCallback": "mounted",
    "created": "mounted", "beforeMount": "mounted", "ngOnInit": "mounted", "connect": "mounted",
    "update": "updated", "componentDidUpdate": "updated", "onUpdate": "updated", "beforeUpdated": "beforeUpdate",
    "disconnect": "disconnected", "reconnect": "reconnected",
}
HOOK_API = re.compile(rb"\bthis\.(?:el\b|pushEvent|pushEventTo|handleEvent|js\(|liveSocket\b|upload\(|uploadTo\()")
THIS_MEMBER = re.compile(rb"\bthis\.(\w+)")  # `this.destroy()`: a method the hook calls itself


def _script_facts(data: bytes) -> tuple[list[tuple[int, int]], dict[bytes, list[int]]]:
    """Where the script uses the hook API, and where it names each of its own members (`this.name`), found in one
    pass: an object's body is then asked by its byte span, not searched again per member (audit 9 N3: one hook of
    many misnamed methods searched its whole text for each)."""
    members: dict[bytes, list[int]] = {}
    for match in THIS_MEMBER.finditer(data):
        members.setdefault(match.group(1), []).append(match.start())
    return [match.span() for match in HOOK_API.finditer(data)], members


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether one of the ordered, non-overlapping spans lies within [start, end)."""
    at = bisect_left(spans, (start, 0))
    return at < len(spans) and spans[at][1] <= end


def _named_inside(offsets: list[int], start: int, end: int) -> bool:
    at = bisect_left(offsets, start)
    return at < len(offsets) and offsets[at] < end


def check(ctx):
    if ctx.language != "javascript":  # a template: its colocated hooks, read as JavaScript
        for unit in colocated_hook_units(ctx):
            yield from check(unit)
        return
    if not any(name in ctx.source for name in MEANT):
        return
    api, called = _script_facts(ctx.text.data)
    stack = [ctx.root]
    while stack:  # a walk down: objects and class bodies are judged by their own members
        node = stack.pop()
        stack.extend(node.children)
        if node.type not in ("object", "class_body"):
            continue
        members = [(name, child) for child in node.named_children if (name := (js_method_name(child) or "").strip("\"'"))]
        names = {name for name, _ in members}
        if not names & LIVEVIEW_CALLBACKS:
            continue
        if not _inside(api, node.start_byte, node.end_byte):
            continue
        for name, child in members:
            meant = MEANT.get(name)
            if meant is None:
                continue
            if _named_inside(called.get(name.encode(), []), node.start_byte, node.end_byte):  # called by the hook
                continue  # itself: a helper
            yield Hit(line=child.start_point[0] + 1, column=child.start_point[1] + 1,
                      message=f"LiveView never calls `{name}()` on a hook; it calls `{meant}()`.")
