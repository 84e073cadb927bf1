"""Concepts and the one matcher over them, shared by clarify (interactions, decision options, request cues) and
recommend (each pattern's signals): phrases in lexicon.py's syntax, verbose regexes where a phrase cannot say it
(each with its reason), and traps, phrases that look like the concept but are not and veto any hit they overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import lexicon


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
        found = {(toks[s].start, toks[e - 1].end, t, True) for s, e, t in lexicon.spans(self.phrases, toks)}
        found |= {(m.start(), m.end(), p.why, False) for p in self.patterns for m in p.regex.finditer(text)}
        return [Hit(self.name, start, end, entry, is_phrase,
                    next((t for t_start, t_end, t in traps if t_start <= start < t_end or start <= t_start < end), ""))
                for start, end, entry, is_phrase in sorted(found)]

    def found(self, text: str, toks: list[lexicon.Token] | None = None) -> list[Hit]:
        return [h for h in self.hits(text, lexicon.tokens(text) if toks is None else toks) if not h.trap]


def negated(hits: list[Hit], text: str, toks: list[lexicon.Token], negation: Concept) -> list[Hit]:
    """The hits, each one at most two words after a hit of `negation` in the same sentence vetoed ("shouldn't
    create two orders", "no need to add a flash")."""
    negations = [(h.end, h.trap or text[h.start:h.end]) for h in negation.found(text, toks)]
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
