"""A tokenizer that understands LiveView text.

API names stay whole and are also split into parts: `JS.push` → `js.push`, `js`, `push`;
`phx-disable-with` → `phx-disable-with`, `phx`, `disable`, `with`; `handle_async/3` → `handle_async/3`,
`handle_async`, `handle`, `async`; `@impl` → `@impl`, `impl`; `:closest` → `:closest`, `closest`.
Plain words are lowercased, stop words dropped and a light suffix stemmer applied, so "streams" finds
"stream" and "cancelled" finds "cancel"."""

from __future__ import annotations

import re

# A word, optionally prefixed by @ or :, continued by . - / _ joined parts, optionally ending in ? or !
# and an /arity.
TOKEN_RE = re.compile(r"[@:]?[A-Za-z_][A-Za-z0-9_]*(?:[.\-][A-Za-z_][A-Za-z0-9_]*)*[?!]?(?:/\d)?|\d+")
PART_RE = re.compile(r"[A-Za-z0-9]+")

STOP_WORDS = frozenset(
    """a an and are as at be been but by can could do does doing did for from had has have how i if in into is
    it its it's me my of on or our should so some than that the their them then there these they this those to
    too very was we were what when where which while who why will with would you your yours i'm im i've can't
    dont don't get got just want need like make also use using used any all way one thing things""".split()
)

# "e.g." and "i.e." read as dotted names would add the one-letter parts e and g, which match any code with an `e`
# variable: a query with "(e.g. for login)" ranked sections by their JavaScript event handlers.
ABBREVIATIONS = frozenset({"e.g", "i.e"})

# Suffix rules applied to plain words only (never to API names), longest first.
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_KEEP = frozenset({"async", "process", "class", "css", "status", "progress", "alias", "aliases", "focus", "is", "has", "was", "js", "ids", "props", "always", "access", "less", "previous", "this", "its", "us", "bus"})


def stem(word: str) -> str:
    if word in _KEEP or len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + replacement
            if suffix == "es" and not base.endswith(("ss", "sh", "ch", "x", "z")):
                base = word[:-1]
            if suffix in ("ed", "ing") and len(base) > 3 and base[-1] == base[-2]:
                if base[-1] not in "ls" or base.endswith("ell"):
                    base = base[:-1]
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return base
    return word


# A phx- binding written as an Elixir keyword (`phx_change: "validate"` in a helper's attributes) is the binding.
KEYWORD_BINDING = "phx_"

# Predicates whose trailing "?" is part of the name; elsewhere a trailing "?" ends a question.
PREDICATES = frozenset({"connected?", "changed?", "static_changed?", "used_input?", "has_element?"})


def _is_compound(raw: str) -> bool:
    return raw[0] in "@:" or any(c in raw for c in ".-/_") or raw.lower() in PREDICATES


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for match in TOKEN_RE.finditer(text):
        raw = match.group(0)
        if raw[-1] in "?!" and raw.lower() not in PREDICATES and "_" not in raw:
            raw = raw[:-1]
        lowered = raw.lower()
        if lowered in ABBREVIATIONS:
            continue
        if _is_compound(raw):
            tokens.append(lowered)
            if lowered.startswith(KEYWORD_BINDING):  # phx_change: a binding written as an Elixir keyword
                tokens.append(lowered.replace("_", "-"))
            bare = lowered.lstrip("@:").split("/")[0]
            if bare != lowered:
                tokens.append(bare)
            segments = bare.split(".")
            if len(segments) > 2:
                tokens.append(".".join(segments[-2:]))
            if len(segments) > 1:
                tokens.append(segments[-1])
            parts = PART_RE.findall(bare)
            if len(parts) > 1 or (parts and parts[0] != bare):
                tokens.extend(stem(p) for p in parts if p not in STOP_WORDS and not p.isdigit())
        elif lowered not in STOP_WORDS:
            tokens.append(stem(lowered))
    return tokens
