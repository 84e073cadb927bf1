"""Snippet parameter values in the forms people write them, turned into the one safe form a template renders.

Each reader takes what a user (or an assistant) typed and returns a canonical value, or None when the text is
not that kind of value (params.py then raises one InputError saying what to send). Every accepted form is
matched whole with re.fullmatch against a closed alphabet, so no value can carry code into a template."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RESERVED = {"do", "end", "fn", "nil", "true", "false", "when", "and", "or", "not", "in", "catch", "rescue",
            "after", "else", "socket", "assigns", "params", "session"}
NAME = r"[a-z][a-z0-9_]{0,39}"
IDENTIFIER_RE = re.compile(NAME)
CAMEL_RE = re.compile(r"[A-Z][A-Za-z0-9]{0,39}")
MODULE_PART = r"[A-Z][A-Za-z0-9]{0,39}"
MODULE_RE = re.compile(rf"{MODULE_PART}(?:\.{MODULE_PART}){{0,5}}")


def identifier(text: object) -> str | None:
    """`comment`, `:comment` (an atom), `Comment` or `LineItem` (a schema name) → snake_case."""
    if not isinstance(text, str):
        return None
    text = text.strip().removeprefix(":")
    if CAMEL_RE.fullmatch(text):
        text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()
    if IDENTIFIER_RE.fullmatch(text) and text not in RESERVED:
        return text
    return None


def dom_id(text: object) -> str | None:
    """`panel` or the CSS selector `#panel` (the form JS commands' `to:` takes)."""
    if not isinstance(text, str):
        return None
    text = text.strip().removeprefix("#")
    return text if re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", text) else None


DURATION_RE = re.compile(r"([0-9]{1,6}(?:\.[0-9]{1,3})?)[ \t]*(ms|s)?")


def duration_ms(value: object) -> int | None:
    """300, "300", "300ms", "0.3s" or "2s" → milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not (match := DURATION_RE.fullmatch(value.strip().lower())):
        return None
    number, unit = match.groups()
    ms = float(number) * (1000 if unit == "s" else 1)
    return int(ms) if ms == int(ms) else None


@dataclass(frozen=True)
class FunctionRef:
    """A context function as the user named it: `archive_message`, `Mail.archive_message`,
    `MyApp.Mail.archive_message/2` or `&MyApp.Mail.archive_message/2`."""

    module: str | None
    name: str
    arity: int | None

    def __str__(self) -> str:
        prefix = f"{self.module}." if self.module else ""
        suffix = f"/{self.arity}" if self.arity is not None else ""
        return f"{prefix}{self.name}{suffix}"


FUNCTION_RE = re.compile(rf"&?(?:(?P<module>{MODULE_PART}(?:\.{MODULE_PART}){{0,5}})\.)?"
                         r"(?P<name>[a-z][a-z0-9_]{0,59}[?!]?)(?:/(?P<arity>[0-9]))?")


def function_ref(text: object) -> FunctionRef | None:
    if not isinstance(text, str) or not (match := FUNCTION_RE.fullmatch(text.strip())):
        return None
    if match["name"].rstrip("?!") in RESERVED:
        return None
    return FunctionRef(match["module"], match["name"], int(match["arity"]) if match["arity"] else None)


# A PubSub topic template: literal text and interpolated paths (`#{org_id}`, `{scope.user.id}`), nothing else.
TOPIC_LITERAL = r"[A-Za-z0-9_:./-]"
TOPIC_PATH = r"[a-z][a-z0-9_]{0,39}(?:\.[a-z][a-z0-9_]{0,39}){0,3}"
TOPIC_RE = re.compile(rf"(?:{TOPIC_LITERAL}|#?\{{{TOPIC_PATH}\}})+")
TOPIC_PART_RE = re.compile(rf"#?\{{({TOPIC_PATH})\}}|({TOPIC_LITERAL}+)")
MAX_TOPIC = 100


@dataclass(frozen=True)
class Topic:
    parts: tuple[tuple[str, str], ...]  # ("text", "org:") or ("path", "scope.org.id")

    def __str__(self) -> str:
        return "".join(value if kind == "text" else "#{" + value + "}" for kind, value in self.parts)

    @property
    def roots(self) -> tuple[str, ...]:
        """The variables the topic needs, in order of first use (`org_id`, `scope`)."""
        seen: list[str] = []
        for kind, value in self.parts:
            root = value.split(".")[0]
            if kind == "path" and root not in seen:
                seen.append(root)
        return tuple(seen)


def topic(text: object) -> Topic | None:
    """`"org:#{org_id}:messages"` (quoted or not), `org:{org_id}:messages` or a fixed `messages`."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    if not 0 < len(text) <= MAX_TOPIC or not TOPIC_RE.fullmatch(text):
        return None
    parts = tuple(("path", path) if path else ("text", literal) for path, literal in TOPIC_PART_RE.findall(text))
    found = Topic(parts)
    if any(root in RESERVED for root in found.roots) or len(found.roots) > 3:
        return None
    return found


# allow_upload's :accept filters: extensions (with or without the dot), exact MIME types, or the three wildcards.
EXTENSION_RE = re.compile(r"\.?([A-Za-z0-9][A-Za-z0-9+_-]{0,15})")
MIME_TYPE_RE = re.compile(r"(?:application|audio|font|image|model|text|video)/[a-z0-9][a-z0-9.+_-]{0,60}")
ACCEPT_WILDCARDS = ("audio/*", "image/*", "video/*")


def accept_filter(text: object) -> str | None:
    """`.pdf`, `pdf`, `PDF` → `.pdf`; `image/png` and `image/*` stay as they are."""
    if not isinstance(text, str):
        return None
    text = text.strip().lower()
    if text in ACCEPT_WILDCARDS or MIME_TYPE_RE.fullmatch(text):
        return text
    match = EXTENSION_RE.fullmatch(text)
    return "." + match.group(1) if match else None


@lru_cache(maxsize=1)
def known_mime_types() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads((Path(__file__).parent / "mime_types.toml").read_text(encoding="utf-8"))
    return {mime: tuple(exts) for mime, exts in data["types"].items()}


def unknown_to_mime(filters: list[str]) -> list[str]:
    """The filters allow_upload would reject on an app whose mime package has only its built-in types."""
    types = known_mime_types()
    extensions = {"." + ext for exts in types.values() for ext in exts}
    return [f for f in filters if f not in ACCEPT_WILDCARDS and f not in extensions and f not in types]


def image_filters(filters: list[str]) -> list[str]:
    """The accept filters that only let images through (image/*, image/png, or an extension mime maps to image/)."""
    image_extensions = {"." + ext for mime, exts in known_mime_types().items() if mime.startswith("image/")
                        for ext in exts}
    return [f for f in filters if f.startswith("image/") or f.lower() in image_extensions]


def items(value: object) -> list | None:
    """A list, or a string of items separated by commas or spaces (`"title, body"`, `"[:title, :body]"`)."""
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]") or text.startswith("~w(") and text.endswith(")"):
            text = text[3:-1] if text.startswith("~w(") else text[1:-1]
        return [part.strip().strip("\"'") for part in re.split(r"[,\s]+", text) if part.strip()]
    return None
