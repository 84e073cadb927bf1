"""The pattern catalogue: one folder per pattern under library/, holding pattern.toml (what it is, when
to use it, the signals that point to it, its parameters and files) and templates/*.j2."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent / "library"


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


def _load(folder: Path) -> Pattern:
    data = tomllib.loads((folder / "pattern.toml").read_text(encoding="utf-8"))
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
