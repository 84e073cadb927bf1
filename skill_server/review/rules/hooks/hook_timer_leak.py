"""## What it does
Flags `setInterval` in a JS hook when nothing in the file calls `clearInterval`.
Colocated hooks (`<script :type={Phoenix.LiveView.ColocatedHook}>` in a template) are read the same way.

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

Also flags a `setTimeout` kept on the hook whose callback pushes an event (a debounce: `this.t =
setTimeout(() => this.pushEvent(...), ms)`) when the hook cancels it elsewhere (`clearTimeout(this.t)`) but
not in `destroyed()` (itself or a method it calls on the hook, `destroyed() { this._clearTimeout() }`): a pending
push still fires after the element is gone.

And a `setTimeout` that sets itself again (a polling loop: its callback calls the hook method that started it,
`schedule() { setTimeout(() => { this.pushEvent("poll", {}); this.schedule() }, 5000) }`) when nothing in the file
calls `clearTimeout`: it never ends on its own.

## False positives
Other `setTimeout`s are not flagged: a one-shot timer ends on its own. A timeout kept on the hook
(`this.timer = setTimeout(...)`) and cleared somewhere but not in `destroyed()` is flagged when its callback pushes
to the server (`pushEvent`, `liveSocket.execJS` of a push, or a function the file defines as one: `let hide = () =>
liveSocket.execJS(this.el, ...)`): it still fires after the element is gone. Only intervals started in a hook's
lifecycle methods, or in a method of the hook that it calls on itself (`mounted() { this.showBanner() }`),
count, and functions of the file a hook callback calls (`mounted() { startPolling(this) }`); app-level polling
started once in `app.js` is not tied to an element.

## Severity and confidence
Warning: a leaked interval keeps running after the element is gone. High confidence when no clear is in view.

## References
knowledge: hooks-and-js-interop#cleaning-up-in-destroyed
"""

import re

from ...colocated_js import colocated_hook_units
from ....sanitize import code_span
from ...helpers import js_method_name, js_module_functions
from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_timer_leak", code="LV403", family="hooks", severity="warning", confidence="high",
    languages=("javascript", "heex"), summary="setInterval without clearInterval: the timer outlives the element.",
    fix="Store the timer id and clearInterval it in destroyed().", cites="hooks-and-js-interop#cleaning-up-in-destroyed",
)


HOOK_CALLBACKS = {"mounted", "updated", "beforeUpdate", "reconnected", "disconnected"}
SELF_CALL = re.compile(r"\bthis\.([\w$]{1,80})\(")


def _hook_methods(node) -> set[str]:
    """Names of an object's (or class body's) methods that run as part of a hook: its lifecycle methods and,
    when it has one, the methods it calls on itself (`mounted() { this.showBanner() }`)."""
    names = {name for child in node.named_children if (name := js_method_name(child))}
    if not names & HOOK_CALLBACKS:
        return set()
    called = set(SELF_CALL.findall(node.text.decode("utf-8", "replace")))  # one pass, not one per method
    return {name for name in names if name in HOOK_CALLBACKS or name in called}


def check(ctx):
    if ctx.language != "javascript":  # a template: its colocated hooks, read as JavaScript
        for unit in colocated_hook_units(ctx):
            yield from check(unit)
        return
    intervals = "clearInterval(" not in ctx.source
    timeouts = "clearTimeout(" in ctx.source and "setTimeout(" in ctx.source and \
        ("pushEvent" in ctx.source or "execJS" in ctx.source)
    loops = "clearTimeout(" not in ctx.source and "setTimeout(" in ctx.source  # a timeout that sets itself again
    if not intervals and not timeouts and not loops:
        return
    # One walk from the root that carries whether a hook callback encloses the node, and which hook method (asking
    # each call's ancestors instead costs the depth per step: tree-sitter finds a parent from the root down).
    cleanups: dict = {}  # what destroyed() runs, read at the first timeout that needs it
    plain_calls: set[str] = set()  # plain functions a hook callback calls (`startPolling(this)`), read for intervals after
    stack = [(ctx.root, False, frozenset(), None)]
    while stack:
        node, in_callback, hook_methods, method = stack.pop()
        name = js_method_name(node)
        if name in hook_methods:
            in_callback, method = True, name
        members = frozenset(_hook_methods(node)) if node.type in ("object", "class_body") else frozenset()
        if node.type == "call_expression" and in_callback:
            function = node.child_by_field_name("function")
            if intervals and function is not None and function.type == "identifier":
                plain_calls.add(function.text.decode("utf-8", "replace"))
            called = function.text.decode() if function is not None and \
                function.end_byte - function.start_byte <= len("window.setInterval") else ""
            if intervals and called in ("setInterval", "window.setInterval"):
                yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1)
            elif timeouts and called in ("setTimeout", "window.setTimeout") and _pending_push(ctx, node, cleanups):
                yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1,
                          message="This timeout pushes an event and is cancelled elsewhere, but not in destroyed(): "
                                  "a pending one still fires after the element is gone.")
            elif loops and method and called in ("setTimeout", "window.setTimeout") and _reschedules(node, method) \
                    and not _stops_on_destroy(ctx, node, cleanups):
                yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1,
                          message=f"This timeout calls {code_span('this.' + method)} again, which sets it again: a "
                                  "polling loop that never ends, and nothing clears it in destroyed().")
        stack.extend((child, in_callback, members, method) for child in node.children)
    if intervals and plain_calls - {"setInterval", "setTimeout"}:
        yield from _intervals_in_functions(ctx, plain_calls)


def _intervals_in_functions(ctx, called: set[str]):
    """Intervals a top-level function of the file starts when a hook callback calls it (`function startPolling(hook)
    { hook.timer = setInterval(...) }`, `mounted() { startPolling(this) }`), one level: each function is walked once."""
    functions = js_module_functions(ctx.root)
    for name in sorted(called & functions.keys()):
        stack = [functions[name]]
        while stack:
            node = stack.pop()
            if node.type == "call_expression":
                function = node.child_by_field_name("function")
                if function is not None and function.text.decode("utf-8", "replace") in ("setInterval", "window.setInterval"):
                    yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1,
                              message=f"A hook calls {code_span(name)}, which starts this interval; nothing in the "
                                      "file clears it, so it runs on after the element is gone.")
            stack.extend(node.children)


STOP_CHECK = re.compile(r"\bisConnected\b|\.contains\(\s{0,4}this\.el\s{0,4}\)")
FLAG_SET = re.compile(r"\bthis\.([\w$]{1,80})\s{0,4}=(?!=)")


def _stops_on_destroy(ctx, call, cleanups: dict) -> bool:
    """The loop checks before setting itself again whether the hook still lives: the element is still in the page
    (`this.el.isConnected`), or a flag destroyed() sets (`destroyed() { this.stopped = true }`, read in the callback)."""
    code = call.text[:2000].decode("utf-8", "replace")
    if STOP_CHECK.search(code):
        return True
    if "destroyed" not in cleanups:
        cleanups["destroyed"] = _destroyed_code(ctx)
    flags = {name for body in cleanups["destroyed"] for name in FLAG_SET.findall(body)}
    return any(re.search(r"\bthis\." + re.escape(flag) + r"\b", code) for flag in sorted(flags)[:20])


def _reschedules(call, method: str) -> bool:
    """The timeout's callback runs the hook method that set it (`schedule() { this.ref = setTimeout(() => {
    this.pushEvent("poll", {}); this.schedule() }, 5000) }`, `setTimeout(this.schedule.bind(this), ms)`): it never
    ends on its own. Read in the call's first 2,000 characters."""
    code = call.text[:2000].decode("utf-8", "replace")
    return re.search(r"\bthis\." + re.escape(method) + r"\b(?!\s{0,4}=[^=])", code) is not None


def _pending_push(ctx, call, cleanups: dict) -> bool:
    """A timeout kept on the hook (`this.debounce = setTimeout(() => this.pushEvent(...), ms)`) that the hook
    cancels somewhere (`clearTimeout(this.debounce)`: the author knows it can be pending) but never in a
    `destroyed()` method, and whose callback pushes an event."""
    parent = call.parent
    left = parent.child_by_field_name("left") if parent is not None and parent.type == "assignment_expression" else None
    target = left.text.decode("utf-8", "replace") if left is not None else ""
    if not re.fullmatch(r"this\.[\w$]{1,80}", target) or not _pushes(ctx, call.text.decode("utf-8", "replace")[:2000]):
        return False
    cleared = re.compile(r"clearTimeout\(\s{0,4}" + re.escape(target) + r"\s{0,4}\)")
    if not cleared.search(ctx.source):
        return False
    if "destroyed" not in cleanups:
        cleanups["destroyed"] = _destroyed_code(ctx)
    return not any(cleared.search(code) for code in cleanups["destroyed"])


PUSHES = re.compile(r"\bpushEvent(?:To)?\(|\bexecJS\(")
CALLED_NAME = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]{0,60})\s{0,4}\(")
ARROW_READ = 400  # characters of a named function's body read for a push


def _pushes(ctx, callback: str) -> bool:
    """The timeout's callback pushes to the server: `this.pushEvent(...)`, `liveSocket.execJS(el, push)`, or a call
    of a function the file defines as one (`let hide = () => liveSocket.execJS(this.el, ...)`, then `() => hide()`)."""
    if PUSHES.search(callback):
        return True
    names = [n for n in dict.fromkeys(CALLED_NAME.findall(callback[:400])) if n not in NOT_NAMES][:MAX_NAMES]
    return any(ctx.text.once(f"hook_timer_leak.pushes.{name}", lambda name=name: _defined_as_push(ctx, name))
               for name in names)


NOT_NAMES = {"setTimeout", "function", "if", "return", "clearTimeout"}
MAX_NAMES = 4  # functions a callback calls that are looked up (each once per file)


def _defined_as_push(ctx, name: str) -> bool:
    defined = re.compile(r"(?<![\w$.])" + re.escape(name) + r"\s{0,4}=\s{0,4}(?:function\b|\([^()\n]{0,80}\)\s{0,4}=>|"
                         r"[\w$]{1,40}\s{0,4}=>)")
    return any(PUSHES.search(ctx.source, found.end(), found.end() + ARROW_READ) for found in defined.finditer(ctx.source))


def _destroyed_code(ctx) -> list[str]:
    """The start of every `destroyed()` body and of the hook methods it calls (read once per file)."""
    code = []
    for destroyed, _ in ctx.text.every(DESTROYED):
        body = ctx.source[destroyed.end():destroyed.end() + DESTROYED_READ]
        code += [body, *_helper_bodies(ctx.source, body)]
    return code


def _helper_bodies(source: str, body: str):
    """The start of each method `destroyed()` calls on the hook (`destroyed() { this._clearTimeout() }`), read
    as far as DESTROYED_READ: a clear there cancels the timeout on destroy too."""
    for name in dict.fromkeys(SELF_CALL.findall(body[:DESTROYED_READ])):
        method = re.compile(r"(?:^|[\s,{])" + re.escape(name) + r"\s{0,4}(?:\([^()\n]{0,80}\)|:\s{0,4}function\s{0,4}"
                            r"\([^()\n]{0,80}\))\s{0,4}\{", re.M)
        for found in method.finditer(source):
            yield source[found.end():found.end() + DESTROYED_READ]


DESTROYED = re.compile(r"\bdestroyed\s{0,4}(?:\(\s{0,4}\)|:\s{0,4}function\s{0,4}\(\s{0,4}\))\s{0,4}\{")
DESTROYED_READ = 600  # characters of destroyed()'s body read for the clear
