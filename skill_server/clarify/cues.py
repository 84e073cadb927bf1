"""The concept data clarify() and recommend() read, and the one matcher over it.

A concept is one TOML entry under `concepts/`: an interaction kind (`interactions/<kind>.toml`), an option of
a decision (`decisions/<dimension>.toml`, `[options.<key>]`) or a request cue (`cues/<name>.toml`). It has
`phrases` (lexicon.py's syntax: word stems, fillers, `*`), `patterns` (verbose regexes, each with its `why`)
where a phrase cannot say it, and `traps`: phrases that look like the concept but are not. A trap vetoes every
phrase or pattern hit it overlaps. `asks` and `settles` hold the requests the concept is tested on."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from . import lexicon

CONCEPTS = Path(__file__).with_name("concepts")


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    why: str


@dataclass(frozen=True)
class Hit:
    concept: str
    start: int  # character offsets in the text
    end: int
    entry: str  # the phrase as written, or the pattern's why
    is_phrase: bool = True
    trap: str = ""  # the trap phrase (or negation) that vetoes this hit

    @property
    def by(self) -> str:
        return f'phrase "{self.entry}"' if self.is_phrase else f"pattern: {self.entry}"


@dataclass(frozen=True)
class Concept:
    name: str
    phrases: lexicon.Phrases
    patterns: tuple[Pattern, ...]
    traps: lexicon.Phrases
    data: dict  # the entry's other fields (action, matters, label, asks, settles...)

    def hits(self, text: str, toks: list[lexicon.Token]) -> list[Hit]:
        """Every place the concept matches, in text order; a hit inside a trap names the trap."""
        traps = [(toks[s].start, toks[e - 1].end, t) for s, e, t in lexicon.spans(self.traps, toks)]
        found = [(toks[s].start, toks[e - 1].end, t, True) for s, e, t in lexicon.spans(self.phrases, toks)]
        found += [(m.start(), m.end(), p.why, False) for p in self.patterns for m in p.regex.finditer(text)]
        spans = {}  # one hit per span and entry
        for start, end, entry, is_phrase in sorted(found, key=lambda f: f[:2]):
            spans.setdefault((start, end, entry), is_phrase)
        return [Hit(self.name, start, end, entry, is_phrase,
                    next((t for t_start, t_end, t in traps if t_start <= start < t_end or start <= t_start < end), ""))
                for (start, end, entry), is_phrase in spans.items()]

    def found(self, text: str, toks: list[lexicon.Token] | None = None) -> list[Hit]:
        return [h for h in self.hits(text, lexicon.tokens(text) if toks is None else toks) if not h.trap]


def negated(hits: list[Hit], text: str, toks: list[lexicon.Token]) -> list[Hit]:
    """The hits, each one at most two words after a negating word of the same sentence vetoed ("shouldn't
    create two orders", "no need to add a flash")."""
    negations = [(h.end, h.trap or text[h.start:h.end]) for h in cue("negation").found(text, toks)]
    vetoed = []
    for hit in hits:
        words = next((w for end, w in negations if 0 <= hit.start - end and not re.search(r"[.;!?\n]", text[end:hit.start])
                      and len(text[end:hit.start].split()) <= 2), None)
        vetoed.append(replace(hit, trap=f"cue negation ({words!r})") if words and not hit.trap else hit)
    return vetoed


def concept(name: str, entry: dict) -> Concept:
    patterns = tuple(Pattern(re.compile(p["re"], re.I | re.X), p["why"]) for p in entry.get("patterns", []))
    return Concept(name, lexicon.by_first_word(entry.get("phrases", [])), patterns,
                   lexicon.by_first_word(entry.get("traps", [])), entry)


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def interactions() -> tuple[Concept, ...]:
    """Interaction kinds, most specific first (their `order`): the first found names the action asked about."""
    loaded = [concept(p.stem, _load(p)) for p in (CONCEPTS / "interactions").glob("*.toml")]
    return tuple(sorted(loaded, key=lambda c: c.data["order"]))


@lru_cache(maxsize=1)
def decisions() -> dict[str, dict]:
    """Decision id -> its question (text, options, assumption, uri, order); options with cues as Concepts."""
    loaded = {}
    for path in (CONCEPTS / "decisions").glob("*.toml"):
        data = _load(path)
        data["cues"] = {key: concept(f"{path.stem}.{key}", data["options"][key]) for key in data.get("match_order", [])}
        loaded[path.stem] = data
    return dict(sorted(loaded.items(), key=lambda item: item[1]["order"]))


@lru_cache(maxsize=None)
def cue(name: str) -> Concept:
    return concept(name, _load(CONCEPTS / "cues" / f"{name}.toml"))


@lru_cache(maxsize=1)
def wording() -> dict:
    """Words for naming the action and its object in a question (concepts/wording.toml)."""
    data = _load(CONCEPTS / "wording.toml")
    return {**{k: set(v) for k, v in data.items() if isinstance(v, list)},
            "named_action": re.compile(data["named_action"]["re"], re.I | re.X)}


def catalogue() -> list[tuple[str, Concept]]:
    """Every concept with its family (interaction, option, cue), for the fixture runner and the cues resource."""
    found = [("interaction", c) for c in interactions()]
    found += [("option", c) for d in decisions().values() for c in d["cues"].values()]
    return found + [("cue", cue(p.stem)) for p in sorted((CONCEPTS / "cues").glob("*.toml"))]


def describe() -> list[dict]:
    """Every concept as plain data: its family, phrases, patterns with their reasons, traps and case counts."""
    def written(phrases: lexicon.Phrases) -> list[str]:
        return [text for group in phrases.values() for _, text in group]

    return [{"family": family, "name": c.name, "phrases": written(c.phrases), "traps": written(c.traps),
             "patterns": [{"why": p.why, "re": p.regex.pattern.strip()} for p in c.patterns],
             "asks": len(c.data.get("asks", [])), "settles": len(c.data.get("settles", []))}
            for family, c in catalogue()]

