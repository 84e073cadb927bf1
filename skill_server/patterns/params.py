"""Parameter validation and name derivation for snippets.

Every value is read in the forms people write it (values.py), checked against its declared type and turned
into one canonical form before rendering, so user text can only ever become an identifier, a module alias, a
number, a known choice, a short plain label, an event or hook name, an accept filter or a topic template made
of plain text and variable paths: never code."""

from __future__ import annotations

import re

from ..errors import InputError
from . import values as read
from .catalogue import Param, Pattern

EVENT_RE = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]{0,59}")
HOOK_RE = re.compile(r"[A-Z][A-Za-z0-9_]{0,39}")  # capitalised: never a JS reserved word
LABEL_RE = re.compile(r"[A-Za-z0-9 .,:!?'()/…-]{1,60}")
# A route path of the app: segments of URL-safe characters, no query, fragment, quotes or interpolation.
PATH_RE = re.compile(r"/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*/?)?")
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}

SHARED_PARAMS = (
    Param("resource", "identifier", None, "Singular snake_case name of the thing, e.g. comment"),
    Param("context", "module", "MyApp.Blog", "Context module with the data functions, e.g. MyApp.Blog"),
    Param("web_module", "module", "MyAppWeb", "The web module, e.g. MyAppWeb"),
    Param("plural", "identifier", None, "Plural of resource when it is irregular (default: derived)"),
    Param("scoped", "boolean", True,
          "Context functions take socket.assigns.current_scope first (Phoenix 1.8 phx.gen.auth); false without scopes"),
)


def all_params(pattern: Pattern) -> tuple[Param, ...]:
    own = {p.name for p in pattern.params}
    return tuple(p for p in SHARED_PARAMS if p.name not in own) + pattern.params


def _describe(param: Param) -> str:
    if param.type == "identifier":
        return "a snake_case identifier such as comment or line_item (:comment and LineItem are read as such)"
    if param.type == "module":
        return "an Elixir module alias such as MyApp.Blog"
    if param.type == "integer":
        return f"a whole number from {param.minimum} to {param.maximum}"
    if param.type == "duration_ms":
        return f"a whole number of milliseconds from {param.minimum} to {param.maximum} (300, \"300ms\" or \"0.3s\")"
    if param.type == "debounce":
        return (f"\"blur\" or a whole number of milliseconds from {param.minimum} to {param.maximum} "
                "(300, \"300ms\")")
    if param.type == "choice":
        return "one of " + ", ".join(param.choices)
    if param.type == "boolean":
        return "true or false"
    if param.type == "identifiers":
        return "a list of snake_case identifiers, e.g. [\"title\", \"body\"] or \"title,body\""
    if param.type == "dom_id":
        return "a DOM id made of lowercase letters, digits, - and _ (with or without a leading #)"
    if param.type == "extensions":
        return ("a list of file extensions (\".pdf\" or \"pdf\"), MIME types (\"application/pdf\") or "
                "image/*, audio/*, video/*, e.g. [\".jpg\", \".png\"] or \"jpg,png\"")
    if param.type == "function":
        return ("a function name such as archive_message, Mail.archive_message or MyApp.Mail.archive_message/2"
                f"{_arity_hint(param)}")
    if param.type == "event":
        return "an event name of letters, digits, _ : . and - starting with a letter, e.g. delete or comment:delete"
    if param.type == "hook":
        return "a capitalised hook name of letters, digits and _, e.g. CopyToClipboard (a leading . is dropped)"
    if param.type == "topic":
        return ("a topic of letters, digits and _ : . / - with #{...} for values, e.g. \"org:#{org_id}:messages\" or "
                "\"user:#{scope.user.id}:posts\"")
    if param.type == "path":
        return "a route path of the app such as /users/log_in (letters, digits and _ - . ~ between slashes)"
    return "a short label of letters, digits, spaces and . , : ! ? ' ( ) / … -"


def _arity_hint(param: Param) -> str:
    if param.arity is None:
        return ""
    return f" (called with {param.arity} argument(s), plus the scope first when scoped)"


def _bounded(param: Param, number: int | None) -> int | None:
    if number is None or isinstance(number, bool):
        return None
    return number if param.minimum <= number <= param.maximum else None


def _read(param: Param, value: object) -> object | None:
    """The canonical value, or None when `value` is not of the parameter's type."""
    kind = param.type
    if kind == "identifier":
        return read.identifier(value)
    if kind == "module":
        return value.strip() if isinstance(value, str) and read.MODULE_RE.fullmatch(value.strip()) else None
    if kind == "integer":
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value.strip()):
            value = int(value)
        return _bounded(param, value) if isinstance(value, int) else None
    if kind == "duration_ms":
        return _bounded(param, read.duration_ms(value))
    if kind == "debounce":
        if isinstance(value, str) and value.strip().lower() == "blur":
            return "blur"
        return _bounded(param, read.duration_ms(value))
    if kind == "choice":
        text = value.strip().lower() if isinstance(value, str) else value
        return text if text in param.choices else None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = value.strip().lower() if isinstance(value, str) else None
        return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None
    if kind == "identifiers":
        return _list(value, read.identifier, 12)
    if kind == "extensions":
        return _list(value, read.accept_filter, 20)
    if kind == "dom_id":
        return read.dom_id(value)
    if kind == "label":
        return value.strip() if isinstance(value, str) and LABEL_RE.fullmatch(value.strip()) else None
    if kind == "path":
        text = "/" + value.strip().strip("\"'").lstrip("/") if isinstance(value, str) else ""
        return text if len(text) <= 100 and PATH_RE.fullmatch(text) else None
    if kind == "function":
        found = read.function_ref(value)
        return str(found) if found else None
    if kind == "event":
        return value.strip() if isinstance(value, str) and EVENT_RE.fullmatch(value.strip()) else None
    if kind == "hook":
        text = value.strip().removeprefix(".") if isinstance(value, str) else ""
        return text if HOOK_RE.fullmatch(text) else None
    if kind == "topic":
        found = read.topic(value)
        return str(found) if found else None
    raise AssertionError(f"unknown parameter type {kind}")


def _list(value: object, reader, most: int) -> list | None:
    raw = read.items(value)
    if raw is None or not 1 <= len(raw) <= most:
        return None
    found = [reader(item) for item in raw]
    if None in found or len(set(found)) != len(found):
        return None
    return found


def validate_value(param: Param, value: object) -> object:
    found = _read(param, value)
    if found is None:
        raise InputError(f"parameter {param.name!r} must be {_describe(param)}; got {str(value)[:60]!r}")
    return found


def validate_params(pattern: Pattern, given: dict) -> dict[str, object]:
    if not isinstance(given, dict):
        raise InputError("params must be an object of parameter names to values, e.g. {\"resource\": \"comment\"}")
    declared = {p.name: p for p in all_params(pattern)}
    unknown = [str(k) for k in given if k not in declared]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise InputError(
            f"unknown parameter(s) {', '.join(repr(u[:40]) for u in sorted(unknown[:5]))}{more} for {pattern.id}; "
            f"valid: {', '.join(declared)}"
        )
    values: dict[str, object] = {}
    for name, param in declared.items():
        if name in given and given[name] is not None:
            values[name] = validate_value(param, given[name])
        else:
            values[name] = param.default
    return values


def pluralize(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def camelize(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


def underscore(module: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", module).lower()
