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


def _since(info: dict | None) -> Version | None:
    return parse_version(info["since"]) if info else None


def function_option_since(function: str, option: str) -> Version | None:
    """When `function` ("Phoenix.LiveView.stream_insert", or a bare "stream_insert") accepted `option:`, or None
    when no release documents it. A bare name takes the first module that documents the option."""
    options = manifest()["function_options"]
    if "." in function:
        return _since(options.get(function, {}).get(option))
    found = [o[option] for key, o in options.items() if key.rsplit(".", 1)[-1] == function and option in o]
    return min((parse_version(info["since"]) for info in found), default=None)


def hook_api_since(name: str) -> Version | None:
    """When a hook callback (`reconnected`) or a member of a hook's `this` (`pushEventTo`, `js`) arrived."""
    hook = manifest()["hook_api"]
    return _since(hook["callbacks"].get(name) or hook["members"].get(name))


def live_socket_since(name: str) -> Version | None:
    """When a LiveSocket constructor option (`hooks`, `dom.onBeforeElUpdated`) or public method (`execJS`) arrived."""
    socket = manifest()["live_socket"]
    return _since(socket["options"].get(name) or socket["methods"].get(name))


def assign_since(name: str) -> Version | None:
    """When LiveView started setting (or specially reading) the assign `name` (`myself` or `@myself`)."""
    return _since(manifest()["assigns"].get(name.lstrip("@")))



@dataclass(frozen=True)
class Deprecation:
    since: Version  # the first release that deprecates it (or, for a binding, removes it when never deprecated)
    removed_in: Version | None
    replacement: str


def deprecation(name: str) -> Deprecation | None:
    """When the LiveView function `name` (bare, any module and arity) was first deprecated, when it went, and
    what replaces it; None when no release deprecated it."""
    found = [(key, info) for key, info in manifest()["deprecations"].items()
             if key.rsplit(".", 1)[-1].split("/")[0] == name]
    if not found:
        return None
    _, first = min(found, key=lambda item: parse_version(item[1]["since"]))
    removed = [parse_version(info["removed_in"]) for _, info in found if info.get("removed_in")]
    gone = max(removed) if len(removed) == len(found) else None  # gone only when every arity went
    return Deprecation(parse_version(first["since"]), gone, first["message"])


def binding_deprecation(name: str) -> Deprecation | None:
    """When a `phx-` binding or class was deprecated or removed, and what replaces it; None while it is current."""
    facts = bindings().get(name) or {c["name"]: c for c in manifest()["css_classes"].get("removed_classes", [])}.get(name)
    if not facts or facts.get("status") not in ("deprecated", "removed"):
        return None
    removed = parse_version(facts["removed_in"].split("/")[0].strip()) if facts.get("removed_in") else None
    since = parse_version(facts["deprecated_in"]) if facts.get("deprecated_in") else removed
    return Deprecation(since, removed, facts.get("replacement", ""))


def module_since(module: str) -> Version | None:
    """The first stable release that has `module` (`Phoenix.LiveView.ColocatedCSS` 1.2.0), or None."""
    return _since(manifest()["module_history"].get(module))


def special_attribute_since(attribute: str) -> Version | None:
    """When a HEEx special attribute (`:let`, `:for`, `:key`, `:type`) arrived."""
    found = [a for a in manifest()["heex_special_attributes"] if a["attribute"] == attribute]
    return parse_version(found[0]["since"]) if found else None


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
    dated = manifest().get("binding_history", {}).get(name, {})  # read from the client source at each tag
    introduced = dated.get("since") or binding.get("introduced_in")
    removed_in = dated.get("removed_in") or binding.get("removed_in")
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


ARITY_RE = re.compile(r"(?<![\w.:@])(?:Phoenix\.(?:LiveView|Component|LiveViewTest)(?:\.\w+)?\.)?([a-z_][a-z0-9_]*[?!]?)/(\d)\b")
# An option LiveView passes through to another library, which honoured it before LiveView did:
# to_form(changeset, action: ...) reaches phoenix_ecto's FormData, which reads :action from 4.5.
_PASSED_THROUGH = {("to_form", "action"): "phoenix_ecto"}


def function_arity_since(name: str, arity: int) -> Version | None:
    """The first release where some module's public `name/arity` exists (manifest function_history)."""
    found = [
        info["arities"][str(arity)] for key, info in manifest()["function_history"].items()
        if key.rsplit(".", 1)[-1] == name and str(arity) in info.get("arities", {})
    ]
    return min((parse_version(i["since"]) for i in found), default=None)


def check_call_details(text: str, since: str | None = None) -> list[ApiProblem]:
    """Keyword options and arities of LiveView functions in `text`'s code that are newer than the section's
    `since`, unless the text names the release they arrived in (`assign_async(..., reset: true)` needs
    0.20.4, `assign_async/4` 0.20.2). The class of error four fact-checks found by hand: a section valid
    from an early release teaching a detail of a later one."""
    floor = parse_version(since) if since else Version(0, 20, 0)
    code = "\n".join(m.group(0) for m in CODE_RE.finditer(text)) or ""
    problems: list[ApiProblem] = []

    def newer(label: str, introduced: Version | None) -> None:
        if introduced and introduced > floor and not _mentions_version(text, introduced):
            problems.append(ApiProblem(label, f"needs LiveView {introduced} but the section claims {floor}"))

    for match in CALL_RE.finditer(code):
        name = match.group(1)
        if match.group(2) or name not in functions():
            continue
        for option in call_options(code, match.end() - 1):
            library = _PASSED_THROUGH.get((name, option))
            if library and library in text:
                continue
            newer(f"{name}({option}:)", function_option_since(name, option))
    for match in ARITY_RE.finditer(code):
        name, arity = match.group(1), int(match.group(2))
        if name in functions():
            newer(f"{name}/{arity}", function_arity_since(name, arity))
    unique: dict[str, ApiProblem] = {}
    for problem in problems:
        unique.setdefault(str(problem), problem)
    return list(unique.values())


# --- names written in prose ---------------------------------------------------------------------------------------
INLINE_RE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
FENCE_RE = re.compile(r"```.*?```", re.S)
_NAME_RE = re.compile(
    r"^(?:(?P<prefix>this|liveSocket|Phoenix\.(?:LiveView|Component|LiveViewTest|LiveComponent)(?:\.[A-Z]\w*)*|JS)\.)?"
    r"(?P<name>[A-Za-z_][\w.]*?[?!]?)(?:\(\))?$"
)
_OPTION_RE = re.compile(r"^(?::(?P<lead>[a-z_]+)|(?P<tail>[a-z_]+):(?:\s+[^:]+)?)$")
_CLIENT_RE = re.compile(r"^(?P<prefix>this|liveSocket)\.(?P<name>[A-Za-z]+)")
# Client names that are also ordinary words: only read as API when written `this.x` or `liveSocket.x`.
_AMBIGUOUS_CLIENT = {"js", "version", "connect", "disconnect", "log", "params", "hooks", "dom", "defaults",
                     "metadata", "upload", "el", "updated", "mounted", "destroyed"}


def _client_since(name: str, prefix: str | None) -> tuple[Version | None, Version | None] | None:
    """(introduced, removed) of a hook callback/member or LiveSocket option/method written in prose."""
    hook, socket = manifest()["hook_api"], manifest()["live_socket"]
    if prefix == "this" or prefix is None:
        info = hook["callbacks"].get(name) or hook["members"].get(name)
    else:
        info = None
    if info is None and prefix in ("liveSocket", None):
        info = socket["methods"].get(name) or socket["options"].get(name) or socket["options"].get(f"dom.{name}")
    if info is None or (prefix is None and name in _AMBIGUOUS_CLIENT):
        return None
    return parse_version(info["since"]), parse_version(info["removed_in"]) if info.get("removed_in") else None


# Modules whose functions people name bare in prose; TagEngine, Debug or formatter names (`socket`,
# `compile`) are ordinary words there unless qualified.
_PROSE_MODULES = ("Phoenix.LiveView", "Phoenix.Component", "Phoenix.LiveViewTest", "Phoenix.LiveComponent",
                  "Phoenix.LiveView.JS")
# handle_async/3 became a declared callback in 0.20.2, but start_async called it from 0.20.0
# (v0.20.0:lib/phoenix_live_view.ex:383 documents `def handle_async(...)`).
_CALLED_BEFORE_DECLARED = {"handle_async": Version(0, 20, 0)}


@lru_cache(maxsize=1)
def _prose_functions() -> dict[str, Version]:
    """Bare function name -> first release, for the modules people name without qualifying."""
    found = {name: min(f.since for f in entries) for name, entries in functions().items()
             if any(f.module in _PROSE_MODULES for f in entries)}
    return found | _CALLED_BEFORE_DECLARED


def _options_of(names: set[str], js_commands: set[str]) -> dict[str, Version]:
    """Option name -> the earliest release in which one of the functions `names` or one of the JS commands
    `js_commands` accepted it."""
    found: dict[str, Version] = {}
    for command in js_commands:
        for option, info in manifest()["js_command_options"].get(command, {}).items():
            since = parse_version(info["since"])
            if option not in found or since < found[option]:
                found[option] = since
    for key, options in manifest()["function_options"].items():
        if key.rsplit(".", 1)[-1] not in names:
            continue
        for option, info in options.items():
            since = parse_version(info["since"])
            if option not in found or since < found[option]:
                found[option] = since
    return found


# Application config keys LiveView reads (`config :phoenix_live_view, key: ...`), with the first release whose
# lib/ reads them (git grep of get_env/fetch_env/compile_env at every tag, v0.20.0..v1.2.10).
CONFIG_KEYS = {
    "debug_heex_annotations": Version(0, 20, 0),
    "enable_expensive_runtime_checks": Version(0, 20, 13),
    "debug_attributes": Version(1, 1, 0),
    "colocated_js": Version(1, 1, 0),
    "colocated_assets": Version(1, 2, 0),
    "root_tag_attribute": Version(1, 2, 0),
    "test_warnings": Version(1, 2, 0),
}


def check_prose_names(text: str, since: str | None = None, until: str | None = None) -> list[ApiProblem]:
    """API names written in the prose of a section (inline code outside fenced blocks) that are newer than its
    `since` or removed before its `until`, unless the text names the release: a bare function (`stream_async`),
    a function option (`update_only:` or `:update_only`, for a function the section names), a hook callback or
    member (`this.js()`, `pushEventTo`), a LiveSocket option or method (`onDocumentPatch`, `liveSocket.js()`),
    an assign LiveView sets (`@streams`) or, in a section that shows `config :phoenix_live_view`, one of
    its config keys (`debug_attributes: true`). `check_api_names` reads calls, JS commands and phx- names; this
    reads the words around them, where the fact-checks' patch-release errors were."""
    floor = parse_version(since) if since else Version(0, 20, 0)
    end = parse_version(until) if until else None
    prose = FENCE_RE.sub("", text)
    says_removed = REMOVAL_WORDS.search(text) is not None
    mentioned = {m.group(1) for m in CALL_RE.finditer(text)} | set(re.findall(r"\b[a-z_]+[a-z0-9_]*[?!]?", text))
    options = _options_of(mentioned & set(functions()), set(re.findall(r"\bJS\.([a-z_]+)", text)))
    if ":phoenix_live_view" in text:
        options = CONFIG_KEYS | options
    problems: list[ApiProblem] = []

    def check(label: str, introduced: Version | None, removed_in: Version | None = None) -> None:
        if introduced and introduced > floor and not _mentions_version(text, introduced):
            problems.append(ApiProblem(label, f"needs LiveView {introduced} but the section claims {floor}"))
        if removed_in and (end is None or end > removed_in) and not says_removed:
            problems.append(ApiProblem(label, f"removed in {removed_in}; say so or scope the section"))

    for block in FENCE_RE.findall(text):
        if "config :phoenix_live_view" in block:
            for key in re.finditer(r"(?<![\w:])([a-z_]+):\s|(?<!\w):([a-z_]+),", block):
                name = key.group(1) or key.group(2)
                if name in CONFIG_KEYS:
                    check(f"config {name}", CONFIG_KEYS[name])
    for match in INLINE_RE.finditer(prose):
        token = match.group(1).strip()
        option = _OPTION_RE.match(token)
        if option:
            name = option.group("lead") or option.group("tail")
            if name in options:
                check(token, options[name])
            continue
        if token.startswith("@") and re.fullmatch(r"@[a-z_]+", token):
            check(token, assign_since(token))
            continue
        client = _CLIENT_RE.match(token)
        parts = client or _NAME_RE.match(token)
        if not parts:
            continue
        prefix, name = parts.group("prefix"), parts.group("name")
        if prefix in ("this", "liveSocket") or (prefix is None and re.search(r"[a-z][A-Z]", name)):
            facts = _client_since(name.removeprefix("dom."), prefix)
            if facts:
                check(token, *facts)
            continue
        if prefix == "JS":
            check(token, function_since(name, "Phoenix.LiveView.JS"))
        elif name in _removed_functions():
            check(token, None, _removed_functions()[name])
        elif functions().get(name) and all(f.deprecated for f in functions()[name]):
            check(token, None, min(f.since for f in functions()[name]))
        elif name in _prose_functions():
            check(token, _prose_functions()[name])
    unique: dict[str, ApiProblem] = {}
    for problem in problems:
        unique.setdefault(str(problem), problem)
    return list(unique.values())
