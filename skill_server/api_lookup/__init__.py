"""lookup_api: exact facts about LiveView names at a version, from the API manifest.

For each name it says whether LiveView ever had it (`exists`) and whether the asked version has it (`available`),
with its kind, first release, removal, deprecation, arities and options (each with its own first release), a
signature, a one-line summary and the curated sections that use it. A name no release had is answered with the
nearest real names, never with a guess."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..models import ApiArity, ApiDeprecation, ApiFact, ApiLookupResult, ApiOption
from ..versions import ResolvedVersion, Version, parse_version, resolve_with_source
from .catalogue import MODULE_ORDER, ApiName, by_key
from .query import parse
from .resolve import resolve
from .sections import teaching_sections

MAX_NAMES = 50
MAX_NAME_CHARS = 200
REFERENCE_URI = "liveview://knowledge/api"
KIND_WORDS = {
    "function": "Function", "macro": "Macro", "callback": "Callback", "component": "Function component",
    "js_command": "JS command", "option": "Keyword option", "attribute": "Component attribute",
    "binding": "phx- binding", "css_class": "CSS class the LiveView client sets", "heex_attribute":
    "HEEx special attribute", "hook_callback": "Hook lifecycle callback", "hook_member": "Member of a hook's `this`",
    "live_socket_option": "LiveSocket constructor option", "live_socket_method": "Method of the LiveSocket instance",
    "assign": "Assign", "module": "Module", "client_event": "Event the client dispatches on window",
    "js_export": "Export of the phoenix_live_view JS package",
}


@lru_cache(maxsize=1)
def summaries() -> dict[str, str]:
    """Our own one-line summaries, keyed like the catalogue (see summaries.toml)."""
    data = tomllib.loads(Path(__file__).with_name("summaries.toml").read_text(encoding="utf-8"))
    return {key: text for table in data.values() for key, text in table.items()}


def summary(record: ApiName) -> str:
    """The written summary when there is one, else a sentence built from the record's structure."""
    written = summaries().get(record.key)
    if written:
        return written
    words = KIND_WORDS.get(record.kind, record.kind)
    if record.kind in ("option", "attribute"):
        parent = by_key().get(record.parent)
        return f"{words} of {parent.label if parent else record.parent}."
    if record.kind in ("function", "macro", "callback", "component", "js_command") and record.module:
        arities = ", ".join(f"/{a.name}" for a in record.arities if a.until is None) or "no current arity"
        options = ", ".join(o.name for o in record.options if o.until is None)
        return f"{words} in {record.module} ({arities})" + (f"; options: {options}." if options else ".")
    if record.kind == "module":
        return f"{words} {record.name}" + (f"; `use` options: {', '.join(o.name for o in record.options)}."
                                            if record.options else ".")
    return f"{words}."


def _available(version: Version, since: str | None, until: str | None) -> bool:
    if since and version < parse_version(since):
        return False
    return not (until and version >= parse_version(until))


def _validate(names: object) -> list[str]:
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not names:
        raise InputError('names must be a non-empty list of LiveView names, e.g. ["stream_insert update_only", '
                         '"phx-viewport-top", "@myself"]')
    if len(names) > MAX_NAMES:
        raise InputError(f"{len(names)} names is too many; send at most {MAX_NAMES} per call")
    cleaned = []
    for name in names:
        if not isinstance(name, str):
            raise InputError(f"each name must be a string, got {type(name).__name__}; e.g. \"stream_insert\"")
        if "\x00" in name:
            raise InputError("a name contains a NUL byte; send plain text")
        if not name.strip():
            raise InputError('a name is empty; send a LiveView name such as "stream_insert" or "phx-click"')
        if len(name) > MAX_NAME_CHARS:
            raise InputError(f"a name is {len(name):,} characters; the limit is {MAX_NAME_CHARS}. Send the name "
                             "(e.g. \"stream_insert update_only\"), not code; review_code reviews code")
        cleaned.append(name)
    return cleaned


def _fact(query_text: str, target: ResolvedVersion) -> ApiFact:
    query = parse(query_text)
    found = resolve(query)
    record = found.record
    if record is None:
        note = found.problem or "No LiveView release has this name."
        return ApiFact(query=query_text, exists=False, available=False, kind=None, name=None, module=None,
                       since=None, until=None, deprecated=None, signature=None, summary=None, uri=None,
                       did_you_mean=list(found.near()), notes=[note])
    version = target.version
    available = _available(version, record.since, record.until)
    notes = list(record.notes)
    parent = by_key().get(record.parent) if record.parent else None
    if parent and not _available(version, parent.since, parent.until):
        available = False
        notes.append(f"{parent.label} itself is not in LiveView {target.label}.")
    arity = found.arity
    if arity is not None:
        dated = next(a for a in record.arities if a.name == str(arity))
        if not _available(version, dated.since, dated.until):
            available = False
            notes.append(f"Arity /{arity}: since {dated.since}" + (f", until {dated.until}" if dated.until else "") + ".")
    if not _available(version, record.since, None):
        notes.append(f"Needs LiveView {record.since} or newer; you asked about {target.label}.")
    elif record.until and version >= parse_version(record.until):
        notes.append(f"Gone from LiveView {record.until} on; you asked about {target.label}.")
    if target.pre_release:
        notes.append(f"{target.label} is a pre-release: answered as {version}, the release before it.")
    deprecated = None
    if record.deprecated:
        since, instead = record.deprecated
        deprecated = ApiDeprecation(since=since, use_instead=instead)
        notes.append("Deprecated" + (f" since {since}" if since else "") + (f": use {instead}." if instead else "."))
    if found.others:
        notes.append("Also: " + ", ".join(o.label for o in found.others) + ".")
    sections = list(teaching_sections(record))
    uri = sections[0] if sections else (REFERENCE_URI if record.kind not in ("module", "client_event") else None)
    return ApiFact(
        query=query_text, exists=True, available=available, kind=record.kind, name=record.name,
        module=record.module, parent=record.parent, since=record.since, until=record.until, deprecated=deprecated,
        arities=[ApiArity(arity=int(a.name), since=a.since, until=a.until) for a in record.arities],
        options=[ApiOption(name=o.name, since=o.since, until=o.until) for o in record.options],
        signature=record.signature, summary=summary(record), uri=uri, sections=sections, notes=notes,
    )


def lookup(names: object, liveview_version: str | None = None, project_version: str | None = None) -> ApiLookupResult:
    """Facts for each name at `liveview_version` (else the project's version, else the newest release)."""
    names = _validate(names)
    target, source = resolve_with_source(liveview_version, project_version)
    notes = [target.note] if target.note else []
    return ApiLookupResult(liveview_version=target.label, version_source=source,
                           results=[_fact(name, target) for name in names], notes=notes)


def is_liveview_name(name: str) -> bool:
    """Whether some LiveView release had `name` (any form lookup_api takes); cheap: no suggestions computed."""
    return resolve(parse(name)).record is not None


MODULE_BOUND_KINDS = ("function", "macro", "callback", "component", "module", "option", "attribute")  # public by module


@lru_cache(maxsize=2048)
def is_public_liveview_name(name: str) -> bool:
    """Whether `name` is LiveView API a question would name: a function, callback, component, module or option of
    LiveView's public modules, or a binding, CSS class, HEEx attribute, assign, hook or LiveSocket name. A function of
    an internal module (Phoenix.LiveView.UploadWriter.init, Phoenix.LiveView.Socket.connect) does not count: its bare
    name is an everyday callback of other libraries too."""
    record = resolve(parse(name)).record
    if record is None:
        return False
    if record.kind not in MODULE_BOUND_KINDS:
        return True
    module = record.parent.rsplit(".", 1)[0] if record.kind in ("option", "attribute") and record.parent else record.module
    return module in MODULE_ORDER
