"""Reads a LiveView name in the forms people write it into what to look up.

`stream_insert`, `Phoenix.LiveView.stream_insert/4`, `stream_insert/4`, `stream_insert update_only`,
`stream_insert(update_only:)`, `JS.push loading`, `phx-viewport-top`, `phx-click-loading`, `:key`, `reconnected`,
`this.pushEvent`, `liveSocket.execJS`, `Phoenix.LiveView.ColocatedHook`, `use Phoenix.LiveView, log:`, `@myself`,
`<.link navigate>`, `import {createHook} from "phoenix_live_view"`."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    text: str  # as asked
    space: str  # where to look: assign, phx, client_event, heex, hook, socket, js, export, module, name
    name: str  # the name to find in that space (function, command, binding, member...)
    module: str | None = None  # a module or alias the asker gave ("Phoenix.LiveView", "LiveViewTest")
    arity: int | None = None
    option: str | None = None  # an option, attribute or __using__ keyword asked about


IDENT = r"[A-Za-z_][A-Za-z0-9_]*[?!]?"
MODULE = r"[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*"
_OPTION_AFTER = re.compile(rf"^[\s,]*:?({IDENT}):?(?:\s.*)?$")


def _option(rest: str) -> str | None:
    """The option named after a function: ` update_only`, ` update_only:`, ` :update_only`, `(update_only:)`,
    `(socket, :songs, song, update_only: true)`, `, log: false`."""
    rest = rest.strip()
    if not rest:
        return None
    keywords = re.findall(rf"(?<![:\w])({IDENT}):(?!:)", rest)
    if keywords:
        return keywords[-1]
    if rest.startswith("("):
        return None
    match = _OPTION_AFTER.match(rest)
    return match.group(1) if match else None


def parse(text: str) -> Query:
    raw = text
    t = re.sub(r"\s+", " ", text.strip().strip("`'\"").strip())
    t = re.sub(r"\(\s*\)$", "", t)  # execJS(), mounted()
    if t.startswith("@"):
        return Query(raw, "assign", "@" + t[1:].split(".")[0].split("[")[0].strip())
    if t.startswith("phx:"):
        return Query(raw, "client_event", t.split()[0])
    if t.startswith("phx-"):
        name = re.split(r"[\s=]", t)[0]
        return Query(raw, "phx", "phx-value-*" if name.startswith("phx-value-") else name)
    if re.fullmatch(rf":{IDENT}", t):
        return Query(raw, "heex", t)
    if t.startswith("<."):
        component = re.match(rf"<\.({IDENT})\s*(.*?)/?>?$", t)
        if component:
            attr = re.match(rf"({IDENT})", component.group(2))
            return Query(raw, "name", component.group(1), "Phoenix.Component",
                         option=attr.group(1) if attr else None)
    if re.match(rf"^dom\.{IDENT}$", t):
        return Query(raw, "socket", t)
    imported = re.match(rf"^import\s*\{{\s*({IDENT})\s*\}}", t)
    if imported:
        return Query(raw, "export", imported.group(1))
    hook = re.match(rf"^(?:this|hook)\.({IDENT})", t)
    if hook:
        return Query(raw, "hook", hook.group(1))
    socket = re.match(rf"^(?:liveSocket|LiveSocket|new LiveSocket)[.\s]+(?:\{{\s*)?({IDENT}(?:\.{IDENT})?)", t)
    if socket:
        return Query(raw, "socket", socket.group(1))
    using = re.match(rf"^use\s+({MODULE})\s*(.*)$", t)
    if using:
        return Query(raw, "module", using.group(1), using.group(1), option=_option(using.group(2)))
    js = re.match(rf"^(?:Phoenix\.LiveView\.)?JS\.({IDENT})(?:/(\d+))?(.*)$", t)
    if js:
        return Query(raw, "js", js.group(1), "Phoenix.LiveView.JS",
                     int(js.group(2)) if js.group(2) else None, _option(js.group(3)))
    module_only = re.fullmatch(rf"({MODULE})", t)
    if module_only and "." in t or (module_only and t[0].isupper()):
        return Query(raw, "module", t, t)
    call = re.match(rf"^(?:({MODULE})\.)?({IDENT})(?:/(\d+))?(.*)$", t)
    if call:
        module, name, arity, rest = call.groups()
        return Query(raw, "name", name, module, int(arity) if arity else None, _option(rest))
    return Query(raw, "name", t)
