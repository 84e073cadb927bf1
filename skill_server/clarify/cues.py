"""The concept data clarify() reads, and the one matcher over it.

Every concept is a TOML entry under `concepts/`: an interaction kind (`interactions/<kind>.toml`), an option of
a decision (`decisions/<dimension>.toml`, `[options.<key>]`) or a request cue (`cues/<name>.toml`). An entry
has `phrases` (lexicon syntax: word stems, fillers, `*`), `patterns` (verbose regexes, each with its `why`)
and `traps` (phrases that look like the concept but are not)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import lexicon

CONCEPTS = Path(__file__).with_name("concepts")


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    why: str


@dataclass(frozen=True)
class Concept:
    name: str
    phrases: dict[str, tuple[lexicon.Phrase, ...]]
    patterns: tuple[Pattern, ...]
    traps: dict[str, tuple[lexicon.Phrase, ...]]
    data: dict = field(default_factory=dict)  # the entry's other fields (action, matters, label...)

    def first_pattern_end(self, text: str) -> int | None:
        return next((m.end() for p in self.patterns if (m := p.regex.search(text))), None)

    def search(self, text: str) -> re.Match | None:
        return next((m for p in self.patterns if (m := p.regex.search(text))), None)

    def first_phrase_end(self, text: str, toks: list[lexicon.Token]) -> int | None:
        traps = lexicon.spans(self.traps, toks)
        for start, end in sorted(lexicon.spans(self.phrases, toks)):
            if not any(t_start <= start < t_end or start <= t_start < end for t_start, t_end in traps):
                return toks[end - 1].end
        return None

    def find(self, text: str, toks: list[lexicon.Token]) -> int | None:
        end = self.first_pattern_end(text)
        return self.first_phrase_end(text, toks) if end is None else end


def _concept(name: str, entry: dict) -> Concept:
    patterns = tuple(Pattern(re.compile(p["re"], re.I | re.X), p["why"]) for p in entry.get("patterns", []))
    rest = {k: v for k, v in entry.items() if k not in ("phrases", "patterns", "traps")}
    return Concept(name, lexicon.by_first_word(entry.get("phrases", [])), patterns,
                   lexicon.by_first_word(entry.get("traps", [])), rest)


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def interactions() -> tuple[Concept, ...]:
    """Interaction kinds, most specific first."""
    loaded = [_concept(p.stem, _load(p)) for p in (CONCEPTS / "interactions").glob("*.toml")]
    return tuple(sorted(loaded, key=lambda c: c.data["order"]))


@lru_cache(maxsize=1)
def decisions() -> dict[str, dict]:
    """Decision id -> its question template, with each option's cues as a Concept under `concepts`."""
    loaded = {}
    for path in (CONCEPTS / "decisions").glob("*.toml"):
        data = _load(path)
        data["concepts"] = {key: _concept(f"{path.stem}.{key}", entry) for key, entry in data["options"].items()}
        loaded[path.stem] = data
    return dict(sorted(loaded.items(), key=lambda item: item[1]["order"]))


@lru_cache(maxsize=None)
def cue(name: str) -> Concept:
    return _concept(name, _load(CONCEPTS / "cues" / f"{name}.toml"))
