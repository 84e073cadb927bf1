"""Every LiveView name the API manifest knows, flattened into one catalogue of records lookup_api answers from.

Functions, macros, callbacks and components (with their arities, options and deprecations), JS commands and their
options, phx- bindings, CSS classes, HEEx special attributes, hook callbacks and members, LiveSocket options and
methods, the assigns LiveView sets, modules, client events and the names the JS package exports. Versions come
from references/liveview_api.json (scripts/extract_liveview_api.py); nothing here is a fact of its own. A bare
function name that moved between modules answers with the history of the module it came from (as_bare_name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..api_facts import manifest
from ..versions import parse_version

# A bare name means what a LiveView or component calls: `use Phoenix.Component` imports Phoenix.Component and the
# deprecated Phoenix.LiveView.Helpers into every view and component; test helpers come after them.
MODULE_ORDER = ("Phoenix.LiveView", "Phoenix.Component", "Phoenix.LiveComponent", "Phoenix.LiveView.JS",
                "Phoenix.LiveView.Helpers", "Phoenix.LiveViewTest", "Phoenix.LiveView.Router",
                "Phoenix.LiveView.AsyncResult")
JS_MODULE = "Phoenix.LiveView.JS"


@dataclass(frozen=True)
class Dated:
    name: str
    since: str | None
    until: str | None = None


@dataclass(frozen=True)
class ApiName:
    key: str  # unique, e.g. "Phoenix.LiveView.stream_insert", "Phoenix.LiveView.stream_insert update_only"
    kind: str
    name: str
    module: str | None
    since: str | None
    until: str | None = None
    parent: str | None = None
    deprecated: tuple[str | None, str | None] | None = None  # (since, use instead)
    arities: tuple[Dated, ...] = ()
    options: tuple[Dated, ...] = ()
    signature: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How did_you_mean and notes name it: the form a person would type back."""
        if self.kind == "option" or self.kind == "attribute":
            parent = self.parent.removeprefix("Phoenix.LiveView.").removeprefix("Phoenix.Component.")
            parent = parent.removeprefix("Phoenix.LiveViewTest.").removeprefix("Phoenix.LiveView.Router.")
            return f"{parent} {self.name}"
        if self.kind in ("function", "macro", "callback", "component") and self.module:
            return f"{self.module}.{self.name}"
        if self.kind == "js_command":
            return f"JS.{self.name}"
        if self.kind in ("hook_member", "hook_callback"):
            return self.name
        if self.kind in ("live_socket_method", "live_socket_option"):
            return f"liveSocket.{self.name}" if self.kind == "live_socket_method" else f"LiveSocket {self.name}"
        if self.kind == "js_export":
            return f"import {{{self.name}}}"
        return self.name


def _first(version: str | None) -> str | None:
    """'0.20.15 / 1.0.0-rc.1' -> '0.20.15'."""
    return version.split("/")[0].strip() if version else None


def use_instead(message: str | None) -> str | None:
    """The replacement a deprecation message names: 'Use push_navigate/2 instead' -> 'push_navigate/2'."""
    if not message:
        return None
    match = re.search(r"\b[Uu]se\s+(.+?)(?:\s+instead\b|\s+in\s+Phoenix\b|$)", message)
    return match.group(1).strip().rstrip(".") if match else message


def clean_head(head: str) -> str:
    """A def head as a signature: pattern matches reduced to the bound name (`%Socket{} = socket` -> `socket`)."""
    name, _, args = head.partition("(")
    if not _:
        return head
    out = []
    for param in _split(args[:-1] if args.endswith(")") else args):
        left, eq, right = param.partition(" = ")
        if eq and "\\\\" not in left:
            param = right if re.fullmatch(r"[a-z_]\w*", right.strip()) else left
        out.append(param.strip())
    return f"{name}({', '.join(out)})"


def _split(text: str) -> list[str]:
    items, depth, current = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        items.append("".join(current))
    return items


def _deleted_in(key: str, hist: dict, removed: dict[str, dict], deprecations: dict[str, dict]) -> str | None:
    """The first release without a function that is gone. A function may leave the docs (function_history's
    removed_in) and stay callable with @deprecated for some releases (render_block: undocumented from 0.18.1,
    deleted in 0.20.0), so the later of the two, both read from the source at each tag, ends it; the curated
    removed_entries only answer for what neither covers (they count from the last pre-release that had it)."""
    gone = [v["removed_in"] for k, v in deprecations.items() if k.rsplit("/", 1)[0] == key and "removed_in" in v]
    gone += [hist["removed_in"]] if "removed_in" in hist else []
    if gone:
        return max(gone, key=parse_version)
    return removed.get(key, {}).get("first_stable_without_it")


def _function_records(data: dict) -> list[ApiName]:
    entries = {f"{e['module']}.{e['name']}": e for e in data["entries"]}
    removed: dict[str, dict] = {}
    for e in data["removed_entries"]:
        removed.setdefault(f"{e['module']}.{e['name']}", e)
    hidden = {f"{e['module']}.{e['name']}": e for e in data["hidden_deprecated_entries"]}
    history = data["function_history"]
    heads = data["function_heads"]
    deprecations = data["deprecations"]
    options = data["function_options"]
    js_options = data["js_command_options"]
    records = []
    for key in sorted(set(entries) | set(removed) | set(hidden) | set(history)):
        module, name = key.rsplit(".", 1)
        if name.startswith("_"):
            continue
        entry, hist = entries.get(key), history.get(key, {})
        kind = (entry or {}).get("kind") or hist.get("kind") or removed.get(key, {}).get("kind") or "function"
        if module == JS_MODULE:
            kind = "js_command"
        elif entry and entry.get("component"):
            kind = "component"
        live_arities = set((entry or {}).get("arities", []))
        if key in hidden:
            live_arities.add(hidden[key]["arity"])
        live_arities |= {int(k.rsplit("/", 1)[1]) for k, v in deprecations.items()
                         if k.rsplit("/", 1)[0] == key and "removed_in" not in v}
        alive = bool(live_arities)
        since = (entry or {}).get("since") or hist.get("since")
        until = None if alive else _deleted_in(key, hist, removed, deprecations)
        arity_since = (entry or {}).get("arity_since", {})
        gone = {a: e["first_stable_without_it"] for e in data["removed_entries"]
                if f"{e['module']}.{e['name']}" == key for a in e["arities"]}
        arities: dict[int, Dated] = {}
        for arity, info in hist.get("arities", {}).items():
            a = int(arity)
            still_deprecated = deprecations.get(f"{key}/{arity}", {}).get("removed_in")
            removed_in = still_deprecated or info.get("removed_in") or gone.get(a)
            arities[a] = Dated(arity, info["since"], None if a in live_arities else removed_in)
        for arity in (entry or {}).get("arities", []):
            arities[arity] = Dated(str(arity), arity_since.get(str(arity), arities.get(arity, Dated("", since)).since))
        for arity, removed_in in gone.items():
            arities.setdefault(arity, Dated(str(arity), None, removed_in))
        deprecated = None
        notes = []
        message = (entry or {}).get("deprecated") or hidden.get(key, {}).get("deprecated")
        deprecated_since = (entry or {}).get("deprecated_since")
        for arity_key, info in deprecations.items():
            if arity_key.rsplit("/", 1)[0] == key and "removed_in" not in info:
                message = message or info["message"]
                deprecated_since = deprecated_since or info["since"]
        if message:
            deprecated = (deprecated_since, use_instead(message))
        if key in hidden or (entry or {}).get("module_hidden"):
            notes.append("No longer in the documentation; still callable, with a deprecation warning.")
        opts = options.get(key, {})
        if module == JS_MODULE:
            opts = js_options.get(name, {})
        left_docs = hist.get("removed_in") if alive else None  # deprecated, undocumented, still taking its options
        option_list = tuple(Dated(o, i["since"], None if i.get("removed_in") == left_docs else i.get("removed_in"))
                            for o, i in sorted(opts.items()))
        top = max(arities) if arities else None
        head = heads.get(f"{key}/{top}")
        if head:
            signature = f"{'JS' if module == JS_MODULE else module}.{clean_head(head)}"
        elif kind == "callback":
            current = sorted(live_arities) or sorted(arities)
            signature = f"@callback {name}/{' and /'.join(str(a) for a in current)} in {module}"
        else:
            signature = None
        records.append(ApiName(
            key=key, kind=kind, name=name, module=module, since=since, until=until, deprecated=deprecated,
            arities=tuple(arities[a] for a in sorted(arities)), options=option_list, signature=signature,
            notes=tuple(notes),
        ))
    return records


def _option_records(data: dict, functions: dict[str, ApiName]) -> list[ApiName]:
    records = []
    sources = [(key, opts) for key, opts in data["function_options"].items()]
    sources += [(f"{JS_MODULE}.{command}", opts) for command, opts in data["js_command_options"].items()]
    for parent_key, opts in sources:
        module, fname = parent_key.rsplit(".", 1)
        parent = functions.get(parent_key)
        for option, info in sorted(opts.items()):
            found_in = info.get("found_in", [])
            is_attr = bool({"attr", "doc_attributes_list"} & set(found_in))
            notes = []
            if info.get("documented_since"):
                notes.append(f"Documented from {info['documented_since']}; the code read it from {info['since']}.")
            if module == JS_MODULE:
                signature = f"JS.{fname}(..., {option}: ...)"
            elif is_attr:
                signature = f"<.{fname} {option}={{...}}>"
            elif fname == "__using__":
                signature = f"use {module}, {option}: ..."
            else:
                arity = "/".join(str(a) for a in info.get("arities", []))
                signature = f"{module}.{fname}(..., {option}: ...)" + (f" (arity {arity})" if arity else "")
            until = info.get("removed_in")
            if parent and parent.until is None and until and until == data["function_history"].get(
                    parent_key, {}).get("removed_in"):
                until = None  # the function left the docs (deprecated) but still takes the option
            records.append(ApiName(
                key=f"{parent_key} {option}", kind="attribute" if is_attr else "option", name=option, module=module,
                since=info["since"], until=until or (parent.until if parent else None),
                parent=parent_key, signature=signature, notes=tuple(notes),
            ))
    return records


def _source_dates(history: dict, name: str, since: str | None, until: str | None,
                  role: str = "") -> tuple[str | None, str | None, tuple[str, ...]]:
    """(since, until, notes) of a binding or class: the dates its history in the client source gives, else the
    curated ones. A class name that later became a binding too (phx-connected) is dated in the asked role."""
    dated = history.get(name)
    if not dated:
        return since, until, ()
    notes = tuple(f"Absent from {start} until {back}." for start, back in dated.get("absent", []))
    if role == "binding" and "as_binding" in dated:
        as_class = dated["as_class"]
        notes = (f"Also a CSS class the client sets: since {as_class['since']}"
                 + (f", until {as_class['removed_in']}." if "removed_in" in as_class else "."),)
        dated = dated["as_binding"]
    return dated["since"], dated.get("removed_in") or until, notes


def _binding_and_class_records(data: dict) -> list[ApiName]:
    records: dict[str, ApiName] = {}
    classes = data["css_classes"]
    history = data.get("binding_history", {})
    for c in classes["event_loading_classes"]:
        records[c["class"]] = ApiName(key=c["class"], kind="css_class", name=c["class"], module=None,
                                      since=c["since"], signature=f".{c['class']}",
                                      notes=(classes["event_loading_note"],))
    for name in classes["connection_classes"]:
        since, until, gaps = _source_dates(history, name, None, None)
        records[name] = ApiName(key=name, kind="css_class", name=name, module=None, since=since, until=until,
                                signature=f".{name}", notes=gaps + (classes["connection_classes_note"],))
    for c in classes.get("other_classes", []):
        since, until, gaps = _source_dates(history, c["name"], c.get("introduced_in"), None)
        records[c["name"]] = ApiName(key=c["name"], kind="css_class", name=c["name"], module=None,
                                     since=since, until=until, signature=f".{c['name']}", notes=gaps)
    for c in classes.get("removed_classes", []):
        since, until, gaps = _source_dates(history, c["name"], None, _first(c.get("removed_in")))
        records[c["name"]] = ApiName(key=c["name"], kind="css_class", name=c["name"], module=None, since=since,
                                     until=until, signature=f".{c['name']}", notes=gaps,
                                     deprecated=(None, c["replacement"]) if c.get("replacement") else None)
    for b in data["bindings"]:
        name = b["name"]
        if " " in name or '"' in name:
            continue  # phx-update="append" / "prepend": a value of phx-update, noted there
        kind = b.get("kind") or "binding"
        since, until, gaps = _source_dates(history, name, b.get("introduced_in"), _first(b.get("removed_in")),
                                           role=kind)
        notes = list(gaps)
        if since is None and b.get("status") != "removed":
            notes.append("No release of the client source names it; no first release is recorded.")
        if b.get("also_css_class") and not any(note.startswith("Also a CSS class") for note in notes):
            notes.append("Also set as a CSS class by the client.")
        if b.get("note"):
            notes.append(b["note"])
        replacement = b.get("replacement")
        deprecated = (b.get("deprecated_in"), replacement) if (b.get("deprecated_in") or replacement) else None
        attribute = name.replace("-*", "-name")
        signature = f".{name}" if kind == "css_class" else f'<div {attribute}="...">'
        records[name] = ApiName(key=name, kind=kind, name=name, module=None, since=since, signature=signature,
                                until=until, deprecated=deprecated, notes=tuple(notes))
    update = records.get("phx-update")
    if update:
        records["phx-update"] = ApiName(**{**update.__dict__, "notes": update.notes + (
            'The values "append" and "prepend" are deprecated since 0.20.2; use "stream" with stream/4.',)})
    return list(records.values())


def _client_records(data: dict) -> list[ApiName]:
    records = []
    hook = data["hook_api"]
    behaviours = hook["behaviours"]
    for name, info in hook["callbacks"].items():
        records.append(ApiName(key=f"hook {name}", kind="hook_callback", name=name, module="hook", since=info["since"],
                               until=info.get("removed_in"), signature=f"{name}() {{ ... }}  // in a hook object"))
    for name, info in hook["members"].items():
        notes = tuple(f"Since {b['since']}: {b['says']}." for key, b in behaviours.items() if key.startswith(name + "_"))
        form = f"this.{name}" if info.get("form") == "property" else f"this.{name}(...)"
        records.append(ApiName(key=f"hook {name}", kind="hook_member", name=name, module="hook", since=info["since"],
                               until=info.get("removed_in"), signature=form, notes=notes))
    socket = data["live_socket"]
    for name, info in socket["options"].items():
        if "." in name:
            outer, inner = name.split(".", 1)
            signature = f"new LiveSocket(url, Socket, {{{outer}: {{{inner}: ...}}}})"
        else:
            signature = f"new LiveSocket(url, Socket, {{{name}: ...}})"
        records.append(ApiName(key=f"LiveSocket {name}", kind="live_socket_option", name=name, module="LiveSocket",
                               since=info["since"], until=info.get("removed_in"), signature=signature))
    for name, info in socket["methods"].items():
        records.append(ApiName(key=f"liveSocket.{name}", kind="live_socket_method", name=name, module="LiveSocket",
                               since=info["since"], until=info.get("removed_in"), signature=f"liveSocket.{name}(...)"))
    for name, info in data.get("js_exports", {}).items():
        records.append(ApiName(key=f"export {name}", kind="js_export", name=name, module="phoenix_live_view",
                               since=info["since"], until=info.get("removed_in"),
                               signature=f'import {{{name}}} from "phoenix_live_view"'))
    for name, files in data["js_client"].get("client_events_in_guides", {}).items():
        records.append(ApiName(key=name, kind="client_event", name=name, module=None, since=None,
                               signature=f'window.addEventListener("{name}", e => ...)',
                               notes=("Named in the guides (" + ", ".join(files) + "); no release is recorded for it.",)))
    return records


def _other_records(data: dict) -> list[ApiName]:
    records = []
    for a in data["heex_special_attributes"]:
        records.append(ApiName(key=a["attribute"], kind="heex_attribute", name=a["attribute"], module=None,
                               since=a["since"], signature=f"<div {a['attribute']}={{...}}>"))
    for name, info in data["assigns"].items():
        note = ("LiveView does not set it: you assign it, and LiveView sends its changes to the page title."
                if info["role"] == "read" else f"Set by LiveView: {info['where']}.")
        records.append(ApiName(key=f"@{name}", kind="assign", name=f"@{name}", module=None, since=info["since"],
                               until=info.get("removed_in"), signature=f"@{name}", notes=(note,)))
    using = data["function_options"]
    for module, info in data["module_history"].items():
        opts = using.get(f"{module}.__using__", {})
        records.append(ApiName(
            key=module, kind="module", name=module, module=module, since=info["since"], until=info.get("removed_in"),
            options=tuple(Dated(o, i["since"], i.get("removed_in")) for o, i in sorted(opts.items())),
            signature=f"use {module}" + (", " + ", ".join(f"{o}: ..." for o in sorted(opts)) if opts else "")
            if opts else module,
        ))
    return records


@lru_cache(maxsize=1)
def catalogue() -> tuple[ApiName, ...]:
    data = manifest()
    functions = _function_records(data)
    by_key = {f.key: f for f in functions}
    return tuple(functions + _option_records(data, by_key) + _binding_and_class_records(data) + _client_records(data)
                 + _other_records(data))


@lru_cache(maxsize=1)
def by_key() -> dict[str, ApiName]:
    return {record.key: record for record in catalogue()}


def _first_parameter(head: str | None) -> str | None:
    if not head:
        return None
    params = _split(clean_head(head).partition("(")[2].removesuffix(")"))
    return params[0].split("\\\\")[0].strip() if params else ""


@lru_cache(maxsize=1)
def moved_from() -> dict[str, str]:
    """Function key -> the key it moved from: the same name in another module, gone in the very release this one
    arrived in, taking the same first parameter (Phoenix.LiveView.assign became Phoenix.Component.assign in 0.18.0,
    Phoenix.LiveView.Helpers.live_render became Phoenix.Component.live_render). A renamed meaning keeps its own
    history: Phoenix.LiveView.live_redirect(socket, opts) was not the link helper live_redirect(text, opts)."""
    data = manifest()
    history, heads = data["function_history"], data["function_heads"]

    def first_parameter(key: str) -> str | None:
        top = max(history[key]["arities"], key=int)
        return _first_parameter(heads.get(f"{key}/{top}"))

    by_name: dict[str, list[str]] = {}
    for key in history:
        by_name.setdefault(key.rsplit(".", 1)[1], []).append(key)
    out = {}
    for key, info in history.items():
        for other in by_name[key.rsplit(".", 1)[1]]:
            if other != key and history[other].get("removed_in") == info["since"] \
                    and first_parameter(other) == first_parameter(key):
                out[key] = other
    return out


def lineage(key: str) -> list[str]:
    """`key` and the keys it moved from, newest first."""
    chain = [key]
    while chain[-1] in moved_from() and moved_from()[chain[-1]] not in chain:
        chain.append(moved_from()[chain[-1]])
    return chain


def _earliest(*versions: str | None) -> str | None:
    known = [v for v in versions if v]
    return min(known, key=parse_version) if known else None


@lru_cache(maxsize=1024)
def as_bare_name(record: ApiName) -> ApiName:
    """The record as its bare name answers (no module given): a function that moved between modules, and each of
    its options, count from the first release of the name in the module it came from."""
    function_key = record.parent if record.kind in ("option", "attribute") else record.key
    chain = [by_key()[k] for k in lineage(function_key or "") if k in by_key()]
    if len(chain) < 2:
        return record
    if record.kind in ("option", "attribute"):
        older = [o for f in chain[1:] if (o := by_key().get(f"{f.key} {record.name}"))]
        since = _earliest(record.since, *(o.since for o in older))
        if since == record.since:
            return record
        first = by_key()[next(o.parent for o in older if o.since == since)]
        return replace(record, since=since, notes=record.notes + (
            f"Taken from {since} by {first.label}, the same function before it moved to {chain[0].module}.",))
    arities = tuple(replace(a, since=_earliest(a.since, *(d.since for f in chain[1:] for d in f.arities
                                                          if d.name == a.name))) for a in record.arities)
    options = tuple(replace(o, since=_earliest(o.since, *(d.since for f in chain[1:] for d in f.options
                                                         if d.name == o.name))) for o in record.options)
    moves = "; ".join(f"{older.label} until {older.until or newer.since}" for newer, older in zip(chain, chain[1:]))
    return replace(record, since=_earliest(*(f.since for f in chain)), arities=arities, options=options,
                   notes=record.notes + (f"Moved between modules, same function before: {moves}.",))


def module_rank(module: str | None) -> int:
    return MODULE_ORDER.index(module) if module in MODULE_ORDER else len(MODULE_ORDER)
