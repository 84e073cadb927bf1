"""Concepts and the one matcher over them, shared by clarify (interactions, decision options, request cues) and
recommend (each pattern's signals): phrases in lexicon.py's syntax, verbose regexes where a phrase cannot say it
(each with its reason), and traps, phrases that look like the concept but are not and veto any hit they overlap."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from . import lexicon


SENTENCE_STOP = re.compile(r"[.;!?\n]")
NON_SPACE = re.compile(r"\S+")


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
        starts = [t_start for t_start, _, _ in traps]
        longest = max((t_end - t_start for t_start, t_end, _ in traps), default=0)
        return [Hit(self.name, start, end, entry, is_phrase, _trap_over(traps, starts, longest, start, end))
                for start, end, entry, is_phrase in sorted(found)]

    def found(self, text: str, toks: list[lexicon.Token] | None = None) -> list[Hit]:
        return [h for h in self.hits(text, lexicon.tokens(text) if toks is None else toks) if not h.trap]


def _trap_over(traps: list[tuple[int, int, str]], starts: list[int], longest: int, start: int, end: int) -> str:
    """The first trap (traps are in text order, `starts` theirs) overlapping start..end, or "". Only traps starting
    less than the `longest` trap's length before `start` can reach it: each hit looks at its neighbours only."""
    for t_start, t_end, trap in traps[bisect_left(starts, start - longest):bisect_left(starts, end)]:
        if t_start <= start < t_end or start <= t_start < end:
            return trap
    return ""


def negated(hits: list[Hit], text: str, toks: list[lexicon.Token], negation: Concept) -> list[Hit]:
    """The hits, each one at most two words after a hit of `negation` in the same sentence vetoed ("shouldn't
    create two orders", "no need to add a flash")."""
    negations = [(h.end, h.trap or text[h.start:h.end]) for h in negation.found(text, toks)]
    by_end = sorted(range(len(negations)), key=lambda n: negations[n][0])
    ends = [negations[n][0] for n in by_end]
    stops = [m.start() for m in SENTENCE_STOP.finditer(text)]
    runs = list(NON_SPACE.finditer(text))
    run_starts, run_ends = [m.start() for m in runs], [m.end() for m in runs]

    def close(end: int, start: int) -> bool:
        """No sentence stop and at most two words (runs of non-space) between `end` and `start`."""
        return (bisect_left(stops, start) == bisect_left(stops, end)
                and bisect_left(run_starts, start) - bisect_right(run_ends, end) <= 2)

    vetoed = []
    for hit in hits:
        near = []  # negations ending before the hit, nearest first, while they are close (farther ones are not)
        for at in range(bisect_right(ends, hit.start) - 1, -1, -1):
            if not close(ends[at], hit.start):
                break
            near.append(by_end[at])
        words = negations[min(near)][1] if near else None
        vetoed.append(replace(hit, trap=f"cue negation ({words!r})") if words and not hit.trap else hit)
    return vetoed


def concept(name: str, entry: dict) -> Concept:
    patterns = tuple(Pattern(re.compile(p["re"], re.I | re.X), p["why"]) for p in entry.get("patterns", []))
    return Concept(name, lexicon.by_first_word(entry.get("phrases", [])), patterns,
                   lexicon.by_first_word(entry.get("traps", [])), entry)
