"""The pattern catalogue: one folder per pattern under library/, holding pattern.toml (what it is, when
to use it, the signals that point to it, how clarify's answers move it, its parameters and files) and
templates/*.j2. Every field is declared in library/fields.toml; a pattern with another is refused on load."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent / "library"
TYPES = {"string": str, "list": list, "table": dict, "boolean": bool}


@dataclass(frozen=True)
class Param:
    name: str
    # identifier, identifiers, module, integer, duration_ms, debounce, choice, boolean, dom_id, label, extensions,
    # function, event, hook, topic (params.py reads each in the forms people write it)
    type: str
    default: object
    description: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    arity: int | None = None  # function parameters: arguments the pattern passes, not counting the scope
    extra_arity: tuple[tuple[str, int], ...] = ()  # (boolean parameter, arguments it adds when true)


def param_holds(when_param: str | None, values: dict) -> bool:
    """`name` holds when that parameter (or derived name) is truthy, `!name` when it is not; `name=value`
    when a choice parameter has that value (`!name=value` when it has another)."""
    if not when_param:
        return True
    name = when_param.lstrip("!")
    if "=" in name:
        name, value = name.split("=", 1)
        return (str(values.get(name)) == value) != when_param.startswith("!")
    return bool(values.get(name)) != when_param.startswith("!")


@dataclass(frozen=True)
class OutputFile:
    template: str
    path: str
    language: str
    min_version: str | None = None
    max_version: str | None = None  # exclusive
    when_param: str | None = None  # a boolean parameter, "!name" for its negation

    def applies(self, values: dict) -> bool:
        return param_holds(self.when_param, values)


@dataclass(frozen=True)
class Note:
    text: str
    min_version: str | None = None
    max_version: str | None = None  # exclusive
    when_param: str | None = None  # a boolean parameter, "!name" for its negation

    def applies(self, values: dict) -> bool:
        return param_holds(self.when_param, values)


@dataclass(frozen=True)
class Pattern:
    id: str
    title: str
    summary: str
    since: str
    knowledge: tuple[str, ...]
    when: tuple[str, ...]
    when_not: tuple[str, ...]
    tradeoffs: tuple[str, ...]
    signals: dict[str, float]
    signal_patterns: tuple[tuple[re.Pattern, str, float], ...]  # (verbose regex, why, weight)
    signal_traps: tuple[str, ...]
    client_only: bool  # never talks to the server
    steering: dict[tuple[str, str], float]  # (dimension, option) -> factor
    rejected_when: dict[tuple[str, str], str]  # (dimension, option) -> reason
    alternatives: dict[str, str]
    decide: tuple[str, ...]
    fallback: str | None
    fallback_below: str | None
    params: tuple[Param, ...]
    files: tuple[OutputFile, ...]
    notes: tuple[Note, ...]
    folder: Path

    @property
    def uri(self) -> str:
        doc = self.knowledge[0].split("#")[0] if self.knowledge else "optimistic-ui"
        return f"liveview://knowledge/{doc}"


@lru_cache(maxsize=1)
def fields() -> dict[str, dict]:
    return tomllib.loads((LIBRARY / "fields.toml").read_text(encoding="utf-8"))


def _answer(key: str, where: str) -> tuple[str, str]:
    """'failure_ux.undo' -> ("failure_ux", "undo"), checked against clarify's decisions and their options."""
    from ..clarify.cues import decisions

    dimension, _, option = key.partition(".")
    if option not in decisions().get(dimension, {}).get("options", {}):
        raise ValueError(f"{where}: {key!r} is not a clarify answer 'dimension.option'")
    return dimension, option


def _checked(folder: Path, data: dict) -> dict:
    for name, value in data.items():
        declared = fields().get(name)
        if declared is None or not isinstance(value, TYPES[declared["type"]]):
            raise ValueError(f"{folder.name}/pattern.toml: field {name!r} is "
                             + ("not declared in library/fields.toml" if declared is None else f"not a {declared['type']}"))
    for key, factor in data.get("steering", {}).items():
        if not isinstance(factor, (int, float)) or factor <= 0:
            raise ValueError(f"{folder.name}/pattern.toml: steering {key!r} must be a positive factor")
    if data["id"] != folder.name:
        raise ValueError(f"{folder.name}/pattern.toml: id {data['id']!r} differs from its folder")
    return data


def _load(folder: Path) -> Pattern:
    data = _checked(folder, tomllib.loads((folder / "pattern.toml").read_text(encoding="utf-8")))
    where = f"{folder.name}/pattern.toml"
    return Pattern(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        since=data["since"],
        knowledge=tuple(data.get("knowledge", [])),
        when=tuple(data.get("when", [])),
        when_not=tuple(data.get("when_not", [])),
        tradeoffs=tuple(data.get("tradeoffs", [])),
        signals={k.lower(): float(v) for k, v in data.get("signals", {}).items()},
        signal_patterns=tuple((re.compile(p["re"], re.I | re.X), p["why"], float(p["weight"]))
                              for p in data.get("signal_patterns", [])),
        signal_traps=tuple(data.get("signal_traps", [])),
        client_only=data.get("client_only", False),
        steering={_answer(k, where): float(v) for k, v in data.get("steering", {}).items()},
        rejected_when={_answer(k, where): str(v) for k, v in data.get("rejected_when", {}).items()},
        alternatives=dict(data.get("alternatives", {})),
        decide=tuple(data.get("decide", [])),
        fallback=data.get("fallback"),
        fallback_below=data.get("fallback_below"),
        params=tuple(
            Param(p["name"], p["type"], p.get("default"), p["description"], tuple(p.get("choices", [])),
                  p.get("min"), p.get("max"), p.get("arity"), tuple(p.get("extra_arity", {}).items()))
            for p in data.get("params", [])
        ),
        files=tuple(OutputFile(f["template"], f["path"], f["language"], f.get("min_version"), f.get("max_version"),
                               f.get("when_param"))
                    for f in data.get("files", [])),
        notes=tuple(Note(n["text"], n.get("min_version"), n.get("max_version"), n.get("when_param"))
                    for n in data.get("notes", [])),
        folder=folder,
    )


@lru_cache(maxsize=1)
def load_patterns() -> dict[str, Pattern]:
    patterns = {}
    for folder in sorted(LIBRARY.iterdir()):
        if (folder / "pattern.toml").is_file():
            pattern = _load(folder)
            patterns[pattern.id] = pattern
    return patterns
