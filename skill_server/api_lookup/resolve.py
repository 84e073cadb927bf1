"""Finds the catalogue record a parsed query names, or the nearest real names when there is none."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from .catalogue import ApiName, as_bare_name, by_key, catalogue, lineage, module_rank
from .query import Query

FUNCTION_KINDS = ("function", "macro", "callback", "component", "js_command")
SPACES = {
    "assign": ("assign",),
    "phx": ("binding", "css_class"),
    "client_event": ("client_event",),
    "heex": ("heex_attribute",),
    "hook": ("hook_member", "hook_callback"),
    "socket": ("live_socket_method", "live_socket_option"),
    "js": ("js_command",),
    "export": ("js_export",),
    "module": ("module",),
}
SUGGESTIONS = 3
MIN_SIMILARITY = 0.6


@dataclass(frozen=True)
class Resolution:
    record: ApiName | None
    arity: int | None = None
    others: tuple[ApiName, ...] = ()  # the same name in other modules
    near: Callable[[], tuple[str, ...]] = tuple  # the nearest real names, computed only when asked for
    problem: str | None = None  # why a name that exists elsewhere does not fit (no such arity, option)


def _module_matches(given: str | None, module: str | None) -> bool:
    if not given:
        return True
    if not module:
        return False
    return module == given or module.endswith("." + given) or ("Phoenix." + given) == module


def _preferred(records: list[ApiName]) -> list[ApiName]:
    return sorted(records, key=lambda r: (r.until is not None, module_rank(r.module), r.kind == "callback", r.key))


def _plain(name: str) -> str:
    return name.lower().lstrip("@:").removeprefix("phx-")


def suggest(name: str, pool: list[ApiName], label=lambda r: r.label, key=lambda r: r.name,
            floor: float = MIN_SIMILARITY) -> tuple[str, ...]:
    """Up to three labels of the records in `pool` nearest to `name` (edit similarity, or one name inside the
    other), best first; the caller orders pools so that names of the same kind come first."""
    wanted = _plain(name)
    matcher = difflib.SequenceMatcher(None, "", wanted)  # seq2 is the one SequenceMatcher caches
    scored = []
    for record in pool:
        candidate = _plain(key(record))
        if not candidate or not wanted:
            continue
        if len(wanted) >= 4 and len(candidate) >= 4 and (wanted in candidate or candidate in wanted):
            score = 0.8
        else:
            score = 0.0
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
            score = max(score, matcher.ratio())
        if score >= floor:
            scored.append((score, label(record)))
    out: list[str] = []
    for _, text in sorted(scored, key=lambda s: (-s[0], s[1])):
        if text not in out:
            out.append(text)
        if len(out) == SUGGESTIONS:
            break
    return tuple(out)


def _kinds(*kinds: str) -> list[ApiName]:
    return [r for r in catalogue() if r.kind in kinds]


def _options_of(parent: str) -> list[ApiName]:
    return [r for r in catalogue() if r.parent == parent]


def _with_option(function: ApiName, others: list[ApiName], query: Query) -> Resolution:
    """The option record of `query.option` on `function` (or on another module's function of the same name)."""
    for candidate in [function, *others]:
        option = by_key().get(f"{candidate.key} {query.option}")
        if option:
            return Resolution(option if query.module else as_bare_name(option), query.arity)
    # A function has few options, so a looser match among them is still a useful pointer.
    def near() -> tuple[str, ...]:
        close = suggest(query.option, _options_of(function.key), label=lambda r: f"{function.name} {r.name}",
                        floor=0.4)
        elsewhere = tuple(r.label for r in catalogue() if r.kind in ("option", "attribute") and r.name == query.option)
        return (close + elsewhere)[:SUGGESTIONS + 2]

    what = "attribute" if function.kind == "component" else "option"
    return Resolution(None, near=near, problem=f"{function.label} has no {what} {query.option!r} in any release")


def _function(query: Query) -> Resolution | None:
    matches = [r for r in catalogue() if r.kind in FUNCTION_KINDS and r.name == query.name
               and _module_matches(query.module, r.module)]
    if query.space == "js":
        matches = [r for r in matches if r.kind == "js_command"]
    if not matches:
        return None
    ordered = _preferred(matches)
    if query.arity is not None:
        with_arity = [r for r in ordered if any(a.name == str(query.arity) for a in r.arities)]
        if not with_arity:
            arities = tuple(f"{ordered[0].label}/{a.name}" for a in ordered[0].arities)
            return Resolution(None, near=lambda: arities,
                              problem=f"{ordered[0].label} never had arity {query.arity}")
        ordered = with_arity
    function, others = ordered[0], ordered[1:]
    if query.option:
        return _with_option(function, others, query)
    if query.module:
        return Resolution(function, query.arity, others=tuple(others))
    earlier = lineage(function.key)  # the modules it moved from are its own history, not other functions
    return Resolution(as_bare_name(function), query.arity, others=tuple(o for o in others if o.key not in earlier))


def _in_space(query: Query) -> Resolution:
    kinds = SPACES[query.space]
    pool = _kinds(*kinds)
    name = query.name
    if query.space == "module":
        exact = [r for r in pool if r.name == name or r.name.endswith("." + name)]
        if exact:
            module = _preferred(exact)[0]
            if query.option:
                option = by_key().get(f"{module.key}.__using__ {query.option}")
                if option:
                    return Resolution(option)
                return Resolution(None, near=lambda: tuple(f"use {module.name}, {o.name}:" for o in module.options),
                                  problem=f"use {module.name} takes no option {query.option!r} in any release")
            return Resolution(module)
        exports = [r for r in _kinds("js_export") if r.name == name]  # LiveSocket, ViewHook: the JS package's
        if exports:
            return Resolution(_preferred(exports)[0])
    else:
        exact = [r for r in pool if r.name == name]
        if query.space == "socket" and not exact:
            exact = [r for r in pool if r.name.split(".")[-1] == name]
        if exact:
            return Resolution(_preferred(exact)[0])
    return Resolution(None, near=lambda: suggest(name, pool) or suggest(name, list(catalogue())))


def _bare(query: Query) -> Resolution:
    """A name with no marker: a function first, then client APIs, assigns, modules, options, bindings."""
    name = query.name
    for kinds, key in ((("hook_callback", "hook_member"), name), (("live_socket_method",), name),
                       (("live_socket_option",), name), (("js_export",), name), (("assign",), "@" + name),
                       (("module",), None)):
        if key is None:
            found = [r for r in _kinds(*kinds) if r.name.rsplit(".", 1)[-1] == name]
        else:
            found = [r for r in _kinds(*kinds) if r.name == key]
        if found and not query.module:
            return Resolution(_preferred(found)[0])
    options = [r for r in _kinds("option", "attribute") if r.name == name and not query.module]
    if options:
        ordered = _preferred(options)
        return Resolution(ordered[0], others=tuple(ordered[1:]))
    if not query.module:
        binding = by_key().get("phx-" + name)
        if binding:
            return Resolution(binding)
    functions = _kinds(*FUNCTION_KINDS)
    if query.module:
        functions = [r for r in functions if _module_matches(query.module, r.module)] or functions
    others = [r for r in catalogue() if r.kind not in FUNCTION_KINDS]
    client = [r for r in others if r.kind in SPACES["hook"] + SPACES["socket"] + ("js_export",)]
    # camelCase is the client's naming (pushEventTo, execJS); snake_case is Elixir's.
    pools = (client, functions, others) if name != name.lower() else (functions, others)

    def near() -> tuple[str, ...]:
        found: tuple[str, ...] = ()
        for pool in pools:
            found += tuple(n for n in suggest(name, pool) if n not in found)
        return found[:SUGGESTIONS]

    return Resolution(None, near=near)


def resolve(query: Query) -> Resolution:
    if query.space in ("name", "js"):
        found = _function(query)
        if found is not None:
            return found
        if query.space == "js":
            return Resolution(None, near=lambda: suggest(query.name, _kinds("js_command")))
        return _bare(query)
    return _in_space(query)
