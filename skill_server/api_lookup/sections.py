"""Which curated knowledge sections use a name: an exact token match over the chunk texts, shaped by the kind of
name (a function must appear as a call, an arity or in backticks; a hook callback such as `mounted`, an everyday
word, only as a call or in backticks; an option only beside its function)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..knowledge.corpus import URI_PREFIX
from .catalogue import ApiName, by_key

# The generated API list names everything and teaches nothing.
NOT_TEACHING = {"api"}
MAX_SECTIONS = 5


def _word(name: str) -> str:
    return rf"(?<![\w.@:-]){re.escape(name)}(?![\w?!-])"


def _function_pattern(record: ApiName) -> str:
    name = re.escape(record.name)
    if record.kind == "js_command":
        return rf"\bJS\.{name}\b"
    forms = [rf"(?<![\w.@:-]){name}(?:\(|/\d)", rf"`{name}`", rf"\.{name}\("]
    if record.kind == "component":
        forms.append(rf"<\.{name}\b")
    return "|".join(forms)


def patterns(record: ApiName) -> list[str]:
    """Regexes that must all match a chunk for it to teach `record`."""
    kind, name = record.kind, record.name
    if kind in ("function", "macro", "callback", "component", "js_command"):
        return [_function_pattern(record)]
    if kind in ("option", "attribute"):
        parent = by_key().get(record.parent)
        option = rf"(?<![\w:]){re.escape(name)}:|(?<![\w:]):{re.escape(name)}\b|\b{re.escape(name)}=\{{"
        return [_function_pattern(parent), option] if parent else [option]
    if kind in ("binding", "css_class", "client_event"):
        return [_word(name.replace("-*", "-"))] if not name.endswith("-*") else [re.escape(name[:-1]) + r"[\w-]"]
    if kind == "heex_attribute":
        return [rf"(?<![\w:]){re.escape(name)}=|`{re.escape(name)}`"]
    if kind == "hook_callback":
        return [rf"\b{re.escape(name)}\s*\(|`{re.escape(name)}`"]
    if kind == "hook_member":
        return [rf"\bthis\.{re.escape(name)}\b|`{re.escape(name)}`|\b{re.escape(name)}\("]
    if kind == "live_socket_option":
        last = name.split(".")[-1]
        return [rf"\b{re.escape(last)}\s*:|`{re.escape(last)}`"] + ([r"LiveSocket|liveSocket"])
    if kind == "live_socket_method":
        return [rf"liveSocket\.{re.escape(name)}\b|`{re.escape(name)}`"]
    if kind == "assign":
        return [rf"{re.escape(name)}(?![\w?!])"]
    if kind == "module":
        return [rf"{re.escape(name)}(?![\w.])"]
    return [_word(name)]


@lru_cache(maxsize=1)
def _chunks():
    from ..knowledge.index import load_index

    return [c for c in load_index().chunks if c.doc not in NOT_TEACHING]


@lru_cache(maxsize=4096)
def teaching_sections(record: ApiName) -> list[str]:
    """URIs (`liveview://knowledge/<doc>#<section>`) of the sections using the name, most uses first."""
    compiled = [re.compile(p) for p in patterns(record)]
    scored = []
    for order, chunk in enumerate(_chunks()):
        counts = [len(p.findall(chunk.text)) for p in compiled]
        if all(counts):
            scored.append((-sum(counts), order, URI_PREFIX + chunk.id))
    return [uri for _, _, uri in sorted(scored)[:MAX_SECTIONS]]  # callers copy it (the cache keeps this list)
