"""Parameter validation and name derivation for snippets.

Every value is checked against its declared type before rendering, so user text can only ever become
an identifier, a module alias, a number, a known choice or a short plain label: never code."""

from __future__ import annotations

import re

from ..errors import InputError
from .catalogue import Param, Pattern

IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MODULE_RE = re.compile(r"^[A-Z][A-Za-z0-9]{0,39}(\.[A-Z][A-Za-z0-9]{0,39}){0,5}$")
DOM_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
LABEL_RE = re.compile(r"^[A-Za-z0-9 .,!?'-]{1,40}$")
ELIXIR_RESERVED = {"do", "end", "fn", "nil", "true", "false", "when", "and", "or", "not", "in", "catch", "rescue",
                   "after", "else", "socket", "assigns", "params", "session"}

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
        return "a snake_case identifier such as comment or line_item"
    if param.type == "module":
        return "an Elixir module alias such as MyApp.Blog"
    if param.type == "integer":
        return f"a whole number from {param.minimum} to {param.maximum}"
    if param.type == "choice":
        return "one of " + ", ".join(param.choices)
    if param.type == "boolean":
        return "true or false"
    if param.type == "identifiers":
        return "a list of snake_case identifiers, e.g. [\"title\", \"body\"] or \"title,body\""
    if param.type == "dom_id":
        return "a DOM id made of lowercase letters, digits, - and _"
    return "a short label of letters, digits, spaces and . , ! ? ' -"


def validate_value(param: Param, value: object) -> object:
    bad = InputError(f"parameter {param.name!r} must be {_describe(param)}; got {str(value)[:60]!r}")
    if param.type == "identifier":
        if not isinstance(value, str) or not IDENTIFIER_RE.fullmatch(value) or value in ELIXIR_RESERVED:
            raise bad
        return value
    if param.type == "module":
        if not isinstance(value, str) or not MODULE_RE.fullmatch(value):
            raise bad
        return value
    if param.type == "integer":
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not param.minimum <= value <= param.maximum:
            raise bad
        return value
    if param.type == "choice":
        if value not in param.choices:
            raise bad
        return value
    if param.type == "boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise bad
        return value
    if param.type == "identifiers":
        items = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
        if not isinstance(items, list) or not 1 <= len(items) <= 12:
            raise bad
        for item in items:
            if not isinstance(item, str) or not IDENTIFIER_RE.fullmatch(item) or item in ELIXIR_RESERVED:
                raise bad
        if len(set(items)) != len(items):
            raise bad
        return items
    if param.type == "dom_id":
        if not isinstance(value, str) or not DOM_ID_RE.fullmatch(value):
            raise bad
        return value
    if param.type == "label":
        if not isinstance(value, str) or not LABEL_RE.fullmatch(value):
            raise bad
        return value
    raise AssertionError(f"unknown parameter type {param.type}")


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


def derive_names(values: dict[str, object], default_resource: str) -> dict[str, object]:
    resource = values.get("resource") or default_resource
    plural = values.get("plural") or pluralize(resource)
    if plural == resource:
        raise InputError(f"the plural of {resource!r} must differ from it; pass plural=<name>")
    web_module = values["web_module"]
    context = values["context"]
    web_path = underscore(web_module.split(".")[-1])
    return {
        **values,
        "resource": resource,
        "plural": plural,
        "Resource": camelize(resource),
        "live_module": f"{web_module}.{camelize(resource)}Live.Index",
        "context_alias": context.split(".")[-1],
        "web_path": web_path,
        "app": web_path.removesuffix("_web") or web_path,
        "App": web_module.removesuffix("Web") or web_module,
        "pubsub": f"{web_module.removesuffix('Web') or web_module}.PubSub",
        "scope_arg": "socket.assigns.current_scope, " if values.get("scoped", True) else "",
        "scope": "socket.assigns.current_scope" if values.get("scoped", True) else "",
        "assign_collection": values.get("collection") == "assign",
    }
