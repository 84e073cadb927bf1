"""## What it does
Flags a JS hook whose `mounted()` adds listeners to `window` or `document`, creates observers, starts a
geolocation watch (`navigator.geolocation.watchPosition`) or opens a camera, microphone or screen stream
(`navigator.mediaDevices.getUserMedia`, `getDisplayMedia`, a QR scanner's `new Html5Qrcode(...)`, `new QrScanner(...)`),
when the hook has no `destroyed()` that removes, disconnects, clears or stops them (`stream.getTracks().forEach(t =>
t.stop())`, `this.scanner.stop()`), or when `destroyed()` removes a listener by another name than the one it was added with.
Colocated hooks (`<script :type={Phoenix.LiveView.ColocatedHook}>` in a template) are read the same way.

## Why is this bad?
LiveView removes hooked elements on navigation and on many patches. Listeners on `window`/`document` and
observers outlive the element, keep it in memory, and keep firing handlers for a gone element. A media stream
keeps the camera (and its light) on after the user left the page.

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
Listeners on `this.el` go away with the element and are not flagged, nor is an observer whose every
`.observe(...)` watches the hook's own element (`this.el`, a name bound to it, or `this.el.querySelector(...)`, not `this.el.ownerDocument`) or nodes under it (each node of a loop over `this.el.querySelectorAll(...)` or `this.el.children`):
it dies with the element, unless `destroyed()` tears down what its callback uses (`this.chart.remove()` while the
callback calls `this.chart`) and never disconnects it: a callback that runs after the teardown calls the removed
object. Nor are `{once: true}` listeners or
cleanup done by a method that `destroyed()` calls (`this.reset()`) or a function of the file it calls
(`disposeState(this.state)`); listeners attached by a method that `mounted()` calls (a class hook's arrow field too: `wire = () => {...}`), or by a
function of the file it calls (`wireScrollListener(this.state)`), are checked too. Cleanup that only removes listeners
from the hook's own element (`this.el.removeEventListener`) does not undo a window or document listener. A
listener that `mounted()` itself removes (from its own handler) is medium confidence; a removal made only before
the same listener is added again (a method run on mount and update) removes the previous one, not the last, and
does not lower it. A window or document
listener made in the `addEventListener` call itself (`this.onResize.bind(this)`, an arrow) while `destroyed()`
calls `removeEventListener` is flagged: each bind or arrow is a new function, so the removal matches nothing;
a listener given an AbortSignal (`{signal}`) or `{once: true}` is not.

## Severity and confidence
Warning: listeners and observers leak across navigations, costing memory and duplicate work. High when nothing
removes them or the removal cannot match the listener; medium when the listener may remove itself.

## References
knowledge: hooks-and-js-interop#cleaning-up-in-destroyed
"""

import re

from ....brackets import balanced_args, bracket_index, top_level_args
from ....sanitize import code_span
from ...colocated_js import colocated_hook_units
from ...helpers import js_method_name, js_module_functions
from ...rule import Hit, Rule

RULE = Rule(
    slug="hook_missing_destroyed_cleanup", code="LV402", family="hooks", severity="warning", confidence="high",
    languages=("javascript", "heex"), summary="The hook attaches global listeners or observers and never removes them.",
    fix="Keep a reference in mounted() and remove or disconnect it in destroyed().",
    cites="hooks-and-js-interop#cleaning-up-in-destroyed",
)
# A camera, microphone or screen stream: the browser API, and the QR-scanner libraries that open the camera.
MEDIA = r"\bnavigator\.mediaDevices\.get(?:UserMedia|DisplayMedia)\(|\bnew\s+(?:window\.)?(?:Html5Qrcode|QrScanner)\("
ATTACH = re.compile(r"\b(window|document)\.addEventListener\(|new\s+(Resize|Intersection|Mutation)Observer\(|"
                    r"\bnavigator\.geolocation\.watchPosition\(|" + MEDIA)
CLEANUP = re.compile(r"removeEventListener\(|\.disconnect\(\)|\.unobserve\(|\.abort\(\)|\bclearWatch\(|"
                     r"\.stop\(|\.getTracks\(\)|\.destroy\(\)|\.clear\(\)")
OWN_ELEMENT_REMOVAL = re.compile(r"\b(?:this\.el|el)\.removeEventListener\(")
GLOBAL_LISTENER = re.compile(r"\b(window|document)\.addEventListener\(")
# A listener made afresh where it is attached: `this.onResize.bind(this)`, an arrow, a function expression.
FRESH_FUNCTION = re.compile(r"\s{0,40}(?:[\w$.]{1,120}\.bind\b|function\b|[\w$]{1,60}\s{0,8}=>|\s{0,8}=>)")


def _fresh_listener(body: str) -> re.Match | None:
    """A window/document listener created in the addEventListener call itself (no AbortSignal, not once):
    no removeEventListener can ever remove it, since each bind or arrow is a new function."""
    for match in GLOBAL_LISTENER.finditer(body):
        open_index = match.end() - 1
        pieces = top_level_args(body, open_index, 400).split(",")
        if len(pieces) >= 2 and FRESH_FUNCTION.match(pieces[1]) and not re.search(
                r"\bsignal\b|once:\s{0,8}true", balanced_args(body, open_index, 400)):
            return match
    return None


NAMED_GLOBAL_LISTENER = re.compile(r"\b(window|document)\.addEventListener\(\s{0,8}[\"'`]([\w:-]{1,60})[\"'`]\s{0,8},"
                                   r"\s{0,8}((?:this\.)?[\w$]{1,80})\s{0,8}[,)]")
NAMED_REMOVAL = re.compile(r"\b(?:window|document)\.removeEventListener\(\s{0,8}[\"'`]([\w:-]{1,60})[\"'`]\s{0,8},"
                           r"\s{0,8}((?:this\.)?[\w$]{1,80})\s{0,8}[,)]")


ASSIGNED = re.compile(r"((?:this\.)?[\w$]{1,80})\s{0,8}=\s{0,8}((?:this\.)?[\w$]{1,80})\b")


def _named_listeners(body: str) -> list[tuple[int, str, str, set[str]]]:
    """(offset, event, handler, the other names the handler is kept under) of each named window or document listener
    of the body that neither removes itself (`once: true`) nor is given an AbortSignal: read once per body."""
    assignments = None
    found = []
    for match in NAMED_GLOBAL_LISTENER.finditer(body):
        call = body[match.start(): body.find("\n", match.start()) + 1 or None]
        if re.search(r"\bsignal\b|once:\s{0,8}true", call):
            continue  # removes itself, or an AbortSignal removes it
        handler = match.group(3)
        assignments = ASSIGNED.findall(body) if assignments is None else assignments
        # The same function kept under another name (`this.onClick = clickHandler`) is removed by that name.
        kept = {a for a, b in assignments if b == handler} | {b for a, b in assignments if a == handler}
        found.append((match.start(), match.group(2), handler, kept))
    return found


def _removes_another_function(listeners: list[tuple[int, str, str, set[str]]],
                              cleanup: "_Cleanup") -> tuple[int, str, str] | None:
    """(offset in body, the handler added, the name removed instead) when cleanup removes a window or document
    listener of the same event by a different name (`addEventListener("scroll", this.throttled)` then
    `removeEventListener("scroll", this.onScroll)`): each name is its own function, so the added one stays.
    `listeners` is _named_listeners of the body."""
    if not listeners:
        return None
    removed: dict[str, set[str]] = {}
    for event, handler in cleanup.named:
        removed.setdefault(event, set()).add(handler)
    for offset, event, handler, kept in listeners:
        if event not in removed or handler in removed[event] or kept & removed[event]:
            continue
        return offset, handler, sorted(removed[event])[0]
    return None


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


OWN_CHILD = re.compile(r"this\.el\.(?:querySelector|firstElementChild|lastElementChild)\b")
OBSERVE = re.compile(r"\.observe\(\s{0,20}([\w$.]{1,120})")


# Local names bound to the hook's element or nodes under it: `const menu = this.el`, `const img =
# this.el.querySelector("img")`. (A node kept on the hook, `this.container = ...`, is not taken as its own:
# other methods may point it elsewhere.)
BOUND_TO_OWN = re.compile(r"\b(?:const|let|var)\s{1,8}([\w$]{1,60})\s{0,8}=\s{0,8}"
                          r"(?:Array\.from\(\s{0,8}|\[\.\.\.)?this\.el(?:\s{0,8}[;\n,)\]]|\.(?:querySelector|querySelectorAll|"
                          r"getElementsByClassName|getElementsByTagName)\(|\.(?:children|firstElementChild|"
                          r"lastElementChild)\b)")
# The element each step of a loop over nodes under the hook's element binds: `this.el.querySelectorAll(".x")
# .forEach(el => observer.observe(el))`, `for (const el of this.el.children)`, and the same over a bound name.
EACH_OF = r"(?:this\.el\.(?:querySelectorAll\([^()\n]{0,120}\)|children|childNodes)|Array\.from\(\s{0,8}this\.el\.(?:querySelectorAll\([^()\n]{0,120}\)|children)\s{0,8}\)%s)"
LOOP_OWN = r"(?:%s\.forEach\(\s{0,8}(?:\(\s{0,8})?(?:function\s{0,8}\(\s{0,8})?([\w$]{1,60})|for\s{0,8}\(\s{0,8}(?:const|let|var)\s{1,8}([\w$]{1,60})\s{1,8}of\s{1,8}%s\s{0,8}\))"


def _own_element_names(body: str) -> set[str]:
    """`this.el`, the names the body binds to it or to nodes under it, and the names a loop over nodes under
    it binds to each node."""
    names = {"this.el"} | set(BOUND_TO_OWN.findall(body))
    bound = "".join("|" + re.escape(name) for name in sorted(names - {"this.el"}))
    each = EACH_OF % bound
    for match in re.finditer(LOOP_OWN % (each, each), body):
        names.add(match.group(1) or match.group(2))
    return names


def _observes_own_element(body: str) -> bool:
    """Every `.observe(...)` in the body watches the hook's own element or a node under it: the observer dies
    with the element (an observer that observes nothing here is not excused)."""
    targets = OBSERVE.findall(body)
    own = _own_element_names(body)
    return bool(targets) and all(t in own or OWN_CHILD.match(t) for t in targets)


def _attachment(body: str) -> re.Match | None:
    """The first global listener or observer, skipping observers that only watch the hook's own element (decided
    once per body, not per observer: audit 10 M9)."""
    own = None
    for match in ATTACH.finditer(body):
        if match.group(2) is not None:
            own = _observes_own_element(body) if own is None else own
            if own:
                continue
        return match
    return None


TORN_DOWN = re.compile(r"this\.([\w$]{1,60})\??\.(?:remove|destroy|dispose)\(\s{0,4}\)")
OBSERVER = re.compile(r"new\s+(Resize|Intersection|Mutation)Observer\(")


def _observer_callbacks(body: str) -> list[tuple[re.Match, set[str]]]:
    """(the observer, the `this.` names its callback uses) of each observer the body makes: read once per body."""
    return [(match, set(re.findall(r"this\.([\w$]{1,60})", balanced_args(body, match.end() - 1, 2000))))
            for match in OBSERVER.finditer(body)]


def _observer_outlives_teardown(observers: list[tuple[re.Match, set[str]]],
                                cleanup: "_Cleanup") -> tuple[re.Match, str] | None:
    """(the observer, the torn-down name) when an observer of the hook's own element is never disconnected while
    destroyed() removes something its callback uses (`this.chart.remove()`, the callback calls `this.chart`): the
    observer lives until it is collected, and a callback that runs after destroyed() calls the removed object.
    `observers` is _observer_callbacks of the body."""
    if not observers or cleanup.disconnects:
        return None
    removed = cleanup.torn_down
    if not removed:
        return None
    for match, used in observers:
        name = next((name for name in sorted(removed) if name in used), None)
        if name is not None:
            return match, name
    return None


# What undoes each kind of attachment, when the hook's own code does it (a handler that removes itself): a media
# stream's `.stop()` says nothing about a document listener next to it.
UNDOES_LISTENER = re.compile(r"removeEventListener\(|\.abort\(\)")
UNDOES_OBSERVER = re.compile(r"\.disconnect\(\)|\.unobserve\(")
UNDOES_WATCH = re.compile(r"\bclearWatch\(")
UNDOES_MEDIA = re.compile(r"\.stop\(|\.getTracks\(\)")


def _undoes(attachment: str) -> re.Pattern:
    """The cleanup calls that undo this attachment (`document.addEventListener(`, `new ResizeObserver(`...)."""
    if "addEventListener" in attachment:
        return UNDOES_LISTENER
    if "Observer" in attachment:
        return UNDOES_OBSERVER
    if "watchPosition" in attachment:
        return UNDOES_WATCH
    return UNDOES_MEDIA


OTHER_CLEANUP = re.compile(r"\.disconnect\(\)|\.unobserve\(|\.abort\(\)|\bclearWatch\(|\.stop\(|\.getTracks\(\)|"
                           r"\.destroy\(\)|\.clear\(\)")


def _only_removed_before_adding(body: str, match: re.Match) -> bool:
    """The body's only cleanup is removing this same named listener before it is added (the hygiene of a method
    run again on `updated()`), outside the handler's own function and never after the add: nothing removes the
    listener added last."""
    added = NAMED_GLOBAL_LISTENER.match(body, match.start())
    if added is None or OTHER_CLEANUP.search(body):
        return False
    event, handler = added.group(2), added.group(3)
    removals = list(NAMED_REMOVAL.finditer(body))
    if not removals or len(removals) != len(re.findall(r"\b(?:window|document)\.removeEventListener\(", body)):
        return False
    own = _definition_span(body, handler)
    for removal in removals:
        if removal.group(1) != event or removal.group(2) != handler:
            return False  # another listener's removal: judged as before
        if removal.start() > match.start() or (own and own[0] <= removal.start() < own[1]):
            return False  # after the add, or inside the handler itself: it may remove itself
    return True


def _definition_span(body: str, handler: str) -> tuple[int, int] | None:
    """The span of the function a handler name is bound to in the body (`this.onKey = (e) => {...}`)."""
    name = re.escape(handler)
    found = re.search(rf"(?:(?:const|let|var)\s+{name}|{name})\s*=\s*(?:async\s+)?(?:function\b[^{{]*|\([^()]*\)\s*=>|"
                      rf"[\w$]+\s*=>)\s*\{{", body) or re.search(rf"\bfunction\s+{name}\s*\([^()]*\)\s*\{{", body)
    if found is None:
        return None
    end = bracket_index(body).closer.get(found.end() - 1)
    return (found.start(), end) if end is not None else None


def _sibling_bodies(node) -> dict[str, str]:
    """Method name → source, for the methods of the hook object that holds `node` (a class hook's function-valued
    fields too: `teardown = () => {...}`)."""
    return {name: sibling.text.decode() for name, sibling in _sibling_nodes(node).items()}


def _cleans_up(target: str | None, cleanup: "_Cleanup") -> bool:
    """Does the cleanup code undo a listener attached to `target` (window, document; None for an observer)?
    Removing listeners only from the hook's own element does not undo a window or document listener."""
    if target is None or cleanup.aborts_or_disconnects:
        return cleanup.any
    return cleanup.removals - cleanup.own_removals > 0


def _sibling_nodes(node) -> dict[str, object]:
    """Method name -> node, for the methods of the hook object that holds `node`."""
    nodes = {}
    for sibling in node.parent.children if node.parent is not None else ():
        key = sibling.child_by_field_name("name") or sibling.child_by_field_name("key")
        if key is not None and sibling.type in ("method_definition", "pair"):
            nodes[key.text.decode()] = sibling
        elif sibling.type == "field_definition" and (name := js_method_name(sibling)):
            nodes[name] = sibling  # `begin = () => {...}` in a class hook: a method bound to the instance
    return nodes


def _module_functions(ctx) -> dict[str, object]:
    return js_module_functions(ctx.root)


PLAIN_CALL = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]{0,60})\s{0,4}\(")


def _called_functions(body: str, functions: dict, levels: int = 2, read: dict | None = None) -> list:
    """The file's top-level functions a body calls, and the ones they call (`levels` deep), in order. `read` (one
    per file) keeps each function's own calls, so many hooks calling one large function read it once (audit 10 M8)."""
    read = {} if read is None else read
    seen: dict[str, object] = {}
    found = [name for name in PLAIN_CALL.findall(body) if name in functions]
    for _ in range(levels):
        found = [name for name in dict.fromkeys(found) if name not in seen]
        for name in found:
            seen[name] = functions[name]
        next_found = []
        for name in found:
            if name not in read:
                read[name] = [called for called in PLAIN_CALL.findall(_source(functions[name], read)) if called in functions]
            next_found += read[name]
        found = next_found
    return list(seen.values())


def _source(node, read: dict) -> str:
    """A function's text, decoded once per file."""
    key = ("source", node.start_byte)
    if key not in read:
        read[key] = node.text.decode()
    return read[key]


class _Cleanup:
    """What a hook's cleanup code does (its destroyed(), the methods it calls and the file's functions they call),
    summed over its pieces: a teardown function many hooks call is read once per file, not once per hook."""

    __slots__ = ("any", "aborts_or_disconnects", "removals", "own_removals", "aborts", "disconnects", "named", "torn_down")

    def __init__(self, code: str = "") -> None:
        self.any = CLEANUP.search(code) is not None
        self.aborts_or_disconnects = re.search(r"\.(abort|disconnect)\(\)", code) is not None
        self.removals = len(re.findall(r"removeEventListener\(", code))
        self.own_removals = len(OWN_ELEMENT_REMOVAL.findall(code))
        self.aborts = re.search(r"\.abort\(\)", code) is not None
        self.disconnects = ".disconnect(" in code
        self.named = NAMED_REMOVAL.findall(code)
        self.torn_down = set(TORN_DOWN.findall(code))

    def plus(self, other: "_Cleanup") -> "_Cleanup":
        total = _Cleanup()
        for flag in ("any", "aborts_or_disconnects", "aborts", "disconnects"):
            setattr(total, flag, getattr(self, flag) or getattr(other, flag))
        total.removals, total.own_removals = self.removals + other.removals, self.own_removals + other.own_removals
        total.named, total.torn_down = self.named + other.named, self.torn_down | other.torn_down
        return total


def _function_cleanup(node, read: dict) -> _Cleanup:
    """_Cleanup of one of the file's functions, read once per file."""
    key = ("cleanup", node.start_byte, node.end_byte)
    if key not in read:
        read[key] = _Cleanup(_source(node, read))
    return read[key]


class _Body:
    """What the checks read from one attaching body (a mounted(), a method or a top-level function it calls), read
    once per file: many hooks sharing one helper that attaches listeners or observers scan it once, not once per
    hook (audit 11 M7). Only the hook's own cleanup text is read per hook."""

    __slots__ = ("text", "match", "_fresh", "_listeners", "_observers", "_flag", "_lines")

    def __init__(self, node) -> None:
        self.text = node.text.decode()
        self.match = _attachment(self.text)
        self._fresh = self._listeners = self._observers = self._flag = None
        self._lines: dict[int, int] = {}

    def lines_before(self, offset: int) -> int:
        if offset not in self._lines:
            self._lines[offset] = self.text.count("\n", 0, offset)
        return self._lines[offset]

    def fresh(self) -> re.Match | None:
        if self._fresh is None:
            self._fresh = (_fresh_listener(self.text),)
        return self._fresh[0]

    def listeners(self) -> list:
        if self._listeners is None:
            self._listeners = _named_listeners(self.text)
        return self._listeners

    def observers(self) -> list:
        if self._observers is None:
            self._observers = _observer_callbacks(self.text)
        return self._observers

    def flag(self) -> tuple[int, str, bool] | None:
        """(line offset, what it attaches, whether it may remove itself) of the attachment, or None for a `once: true`
        listener."""
        if self._flag is None:
            body, match = self.text, self.match
            call = body[match.start(): body.find("\n", match.start()) + 1 or None]
            if "once: true" in call:
                self._flag = (None,)
            else:
                # A listener that removes itself from its own handler is usually fine: medium. A removal made only
                # before adding it again (`if (this.attached) document.removeEventListener("mousedown", this.outside)`
                # ahead of the add) removes the previous one, never this one.
                self_removed = _undoes(match.group(0)).search(body) is not None and \
                    not _only_removed_before_adding(body, match)
                what = "opens a camera or media stream" if re.match(MEDIA, match.group(0)) else \
                    "attaches a global listener or observer"
                self._flag = ((self.lines_before(match.start()), what, self_removed),)
        return self._flag[0]


def _body(node, read: dict) -> _Body:
    key = ("body", node.start_byte, node.end_byte)
    if key not in read:
        read[key] = _Body(node)
    return read[key]


def check(ctx):
    if ctx.language != "javascript":  # a template: its colocated hooks, read as JavaScript
        for unit in colocated_hook_units(ctx):
            yield from check(unit)
        return
    functions = None  # the file's top-level functions, read once when a hook has a mounted()
    read: dict = {}  # their texts, the functions each calls and what each attaching body does, read once per file
    for name, node in _methods(ctx):
        if name != "mounted":
            continue
        bodies = _sibling_bodies(node)
        destroyed = bodies.get("destroyed", "")
        # Cleanup done by a helper that destroyed() calls (`destroyed() { this.reset() }`) counts.
        helpers = "".join(bodies.get(called, "") for called in re.findall(r"this\.(\w+)\(", destroyed))
        cleanup = _Cleanup(destroyed + helpers)
        # ... and by a top-level function of the file it calls (`destroyed() { disposeState(this.state) }`), each
        # read once per file however many hooks call it.
        functions = functions if functions is not None else _module_functions(ctx)
        for function in _called_functions(destroyed + helpers, functions, read=read):
            cleanup = cleanup.plus(_function_cleanup(function, read))
        # The listener may be attached by a helper mounted() calls (`mounted() { this.activate() }`).
        siblings = _sibling_nodes(node)
        mounted = _body(node, read)
        candidates = [node] + [siblings[called] for called in dict.fromkeys(re.findall(r"this\.(\w+)\(",
                               mounted.text)) if called in siblings and called not in ("destroyed", "mounted")]
        # Or by a top-level function of the file (`mounted() { wireScrollListener(this.state) }`).
        candidates += _called_functions(mounted.text, functions, read=read)
        for candidate in candidates:
            reading = _body(candidate, read)
            body, match = reading.text, reading.match
            first = candidate.start_point[0] + 1
            if match and _cleans_up(match.group(1), cleanup):
                other = _removes_another_function(reading.listeners(), cleanup)
                if other is not None:
                    offset, added, removed = other
                    yield Hit(line=first + reading.lines_before(offset), column=1,
                              message=f"destroyed() removes {code_span(removed, 40)}, not {code_span(added, 40)}, "
                                      "the function this listener was added with: the listener stays.")
                    break
                fresh = reading.fresh() if cleanup.removals else None
                if fresh and not cleanup.aborts:
                    yield Hit(line=first + reading.lines_before(fresh.start()), column=1,
                              message="The listener is a new function made where it is added (a bind or an arrow): "
                                      "the one destroyed() removes is a different function, so this one stays.")
                    break
                continue
            if not match:
                outlives = _observer_outlives_teardown(reading.observers(), cleanup) if destroyed else None
                if outlives is not None:
                    observer, used = outlives
                    yield Hit(line=first + reading.lines_before(observer.start()), column=1,
                              message=f"destroyed() removes {code_span('this.' + used)} but never disconnects this "
                                      f"{observer.group(1)}Observer, whose callback uses it: a callback that runs after "
                                      "the teardown calls the removed object.")
                    break
                continue
            flag = reading.flag()
            if flag is None:
                continue
            offset, what, self_removed = flag
            yield Hit(line=first + offset, column=1,
                      message=f"mounted() {what} that destroyed() never {'stops' if 'media' in what else 'removes'}.",
                      confidence="medium" if self_removed else None)
            break
