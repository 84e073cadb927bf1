"""Facts about the public LiveView API (from references/liveview_api.json): what exists, since when, what was removed.

Used by the knowledge and snippet tests (every API name must exist for the versions claimed) and by the
version-aware review rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from .paths import API_MANIFEST
from .versions import Version, parse_version


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads(API_MANIFEST.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ApiFunction:
    module: str
    name: str
    arities: tuple[int, ...]
    kind: str
    since: Version
    deprecated: str | None


@lru_cache(maxsize=1)
def functions() -> dict[str, list[ApiFunction]]:
    """Current public entries by bare name (a name may live in several modules)."""
    by_name: dict[str, list[ApiFunction]] = {}
    for entry in manifest()["entries"]:
        fn = ApiFunction(
            entry["module"], entry["name"], tuple(entry["arities"]), entry["kind"],
            parse_version(entry["since"]), entry.get("deprecated"),
        )
        by_name.setdefault(fn.name, []).append(fn)
    return by_name


def function_since(name: str, module: str | None = None) -> Version | None:
    """The first release that has `name` (in `module`, when given), or None when it is not public API."""
    candidates = [f for f in functions().get(name, []) if module is None or f.module == module]
    return min((f.since for f in candidates), default=None)


def js_option_since(command: str, option: str) -> Version | None:
    """When `JS.<command>` accepted `option:`, or None when it never did."""
    info = manifest()["js_command_options"].get(command, {}).get(option)
    return parse_version(info["since"]) if info else None


def js_scope_since(scope: str) -> Version | None:
    """When `to: {scope, selector}` (closest/inner/document) became valid."""
    info = manifest()["js_to_option_scopes"].get(scope)
    return parse_version(info["since"]) if info else None


@lru_cache(maxsize=1)
def bindings() -> dict[str, dict]:
    return {b["name"]: b for b in manifest()["bindings"]}
