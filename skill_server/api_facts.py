"""Facts about the public LiveView API (from references/liveview_api.json): what exists, since when, what was removed.

Used by the knowledge and snippet tests (every API name must exist for the versions claimed) and by the
version-aware review rules."""

from __future__ import annotations

import json
import re
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


# --- checking the API names a text uses ---------------------------------------------------------------------------
JS_CALL_RE = re.compile(r"\bJS\.([a-z_]+)\s*(\()?")
PHX_RE = re.compile(r"(?<![\w:-])phx-[a-z0-9]+(?:-[a-z0-9*]+)*")
CALL_RE = re.compile(r"(?<![\w.:@])(?:Phoenix\.(?:LiveView|Component|LiveViewTest)(?:\.\w+)?\.)?([a-z_][a-z0-9_]*[?!]?)(?:\(|/(\d))")
QUALIFIED_RE = re.compile(r"\bPhoenix\.(LiveView|Component|LiveViewTest|LiveComponent)((?:\.[A-Z]\w*)*)\.([a-z_][a-z0-9_]*[?!]?)")
SCOPE_RE = re.compile(r"\{:(closest|inner|document),")
CODE_RE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
REMOVAL_WORDS = re.compile(r"\b(removed|deprecated|no longer|replaced)\b", re.I)
# Bindings that are not phx- attributes of their own but parts of other names, or not API at all.
_NOT_BINDINGS = {"phx-value"}


@dataclass(frozen=True)
class ApiProblem:
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.name}: {self.problem}"


@lru_cache(maxsize=1)
def _class_names() -> dict[str, Version]:
    classes = manifest()["css_classes"]
    names = {c["class"]: parse_version(c["since"]) for c in classes["event_loading_classes"]}
    names.update({c: parse_version("0.20.0") for c in classes["connection_classes"]})
    for c in classes.get("other_classes", []):
        names[c["name"]] = parse_version(c.get("introduced_in", "0.20.0"))
    return names


def _binding_facts(name: str) -> tuple[Version | None, Version | None] | None:
    """(introduced, removed) for a phx- token, or None when it is no binding or class we know."""
    if name.startswith("phx-value-"):
        name = "phx-value-*"
    if name in _class_names():
        return _class_names()[name], None
    binding = bindings().get(name)
    if binding is None:
        removed = {c["name"]: c for c in manifest()["css_classes"].get("removed_classes", [])}
        binding = removed.get(name)
    if binding is None:
        return None
    introduced = binding.get("introduced_in")
    removed_in = binding.get("removed_in")
    return (
        parse_version(introduced) if introduced else None,
        parse_version(removed_in.split("/")[0].strip()) if removed_in else None,
    )


@lru_cache(maxsize=1)
def _removed_functions() -> dict[str, Version]:
    """Functions public in some covered release and gone (or hidden) by the newest."""
    current = functions()
    removed = {}
    for entry in manifest()["removed_entries"]:
        gone = parse_version(entry["first_stable_without_it"])
        if gone > Version(0, 19, 99) and entry["name"] not in current:
            removed[entry["name"]] = gone
    for entry in manifest()["hidden_deprecated_entries"]:
        removed.setdefault(entry["name"], Version(1, 0, 0))
    return removed


def call_options(text: str, open_paren: int) -> list[str]:
    """Keyword option names at the top level of the call whose '(' is at open_paren (linear over many
    calls of one text: see brackets.py)."""
    from .brackets import top_level_args

    flat_text = re.sub(r'"[^"]*"', '""', top_level_args(text, open_paren))
    return re.findall(r"(?<![\w:])([a-z_]+):\s", flat_text)


def _mentions_version(text: str, version: Version) -> bool:
    full, line = str(version), version.line
    return full in text or re.search(rf"\b{re.escape(line)}(?:\+|\b)", text) is not None


def check_api_names(text: str, since: str | None = None, until: str | None = None) -> list[ApiProblem]:
    """Problems with the LiveView API names `text` uses, for a section that claims versions [since, until).

    Flags unknown `JS.` commands and options and unknown `phx-` names; names newer than `since` unless the
    text states the version they arrived in; removed or deprecated names unless the text says so (or the
    section ends before the removal). Non-LiveView names (Enum, Repo, Ecto) are never looked at."""
    floor = parse_version(since) if since else Version(0, 20, 0)
    end = parse_version(until) if until else None
    code = "\n".join(m.group(0) for m in CODE_RE.finditer(text)) or ""
    says_removed = REMOVAL_WORDS.search(text) is not None
    problems: list[ApiProblem] = []

    def newer(name: str, introduced: Version | None) -> None:
        if introduced and introduced > floor and not _mentions_version(text, introduced):
            problems.append(ApiProblem(name, f"needs LiveView {introduced} but the section claims {floor}"))

    def gone(name: str, removed_in: Version | None) -> None:
        if removed_in and (end is None or end > removed_in) and not says_removed:
            problems.append(ApiProblem(name, f"removed or deprecated in {removed_in}; say so or scope the section"))

    for match in JS_CALL_RE.finditer(code):
        command = match.group(1)
        introduced = function_since(command, "Phoenix.LiveView.JS")
        if introduced is None:
            problems.append(ApiProblem(f"JS.{command}", "no such JS command"))
            continue
        newer(f"JS.{command}", introduced)
        if match.group(2):
            known = manifest()["js_command_options"].get(command, {})
            for option in call_options(code, match.end() - 1):
                if option not in known:
                    problems.append(ApiProblem(f"JS.{command}({option}:)", "no such option"))
                else:
                    newer(f"JS.{command}({option}:)", js_option_since(command, option))
    for match in SCOPE_RE.finditer(code):
        newer(f"{{:{match.group(1)}, _}}", js_scope_since(match.group(1)))
    for name in sorted(set(PHX_RE.findall(text))):
        if name in _NOT_BINDINGS:
            continue
        facts = _binding_facts(name)
        if facts is None:
            problems.append(ApiProblem(name, "no such phx- binding or class"))
            continue
        introduced, removed_in = facts
        newer(name, introduced)
        gone(name, removed_in)
    if re.search(r'phx-update="(append|prepend)"', text):
        gone('phx-update="append|prepend"', Version(0, 20, 2))
    for match in QUALIFIED_RE.finditer(code):
        module = "Phoenix." + match.group(1) + match.group(2)
        name = match.group(3)
        if module.startswith("Phoenix.LiveView.JS"):
            continue
        if function_since(name) is None and name not in _removed_functions():
            problems.append(ApiProblem(f"{module}.{name}", "no such public function"))
    for match in CALL_RE.finditer(code):
        name = match.group(1)
        entries = functions().get(name, [])
        if name in _removed_functions():
            gone(name, _removed_functions()[name])
        elif entries and all(f.deprecated for f in entries):
            gone(name, min(f.since for f in entries))
        elif name in functions() and not any(f.module.startswith("Phoenix.LiveView.JS") for f in functions()[name]):
            newer(name, function_since(name))
    unique: dict[str, ApiProblem] = {}
    for problem in problems:
        unique.setdefault(str(problem), problem)
    return list(unique.values())
