"""What the concept data finds in one request, as an immutable record that overrides take and return.

A view holds the interactions found (each hit with the sentence it is in), the decisions the request settles,
the decisions overrides took out or added, and a trace of every step for `clarify --explain`."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from . import cues, lexicon

SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


@dataclass(frozen=True)
class Found:
    kind: str
    sentence: int
    hit: cues.Hit


@dataclass(frozen=True)
class View:
    request: str  # as sent
    text: str  # the request, plus its English gloss in brackets when it has non-English words
    toks: list[lexicon.Token]
    starts: tuple[int, ...]  # where each sentence of `text` starts
    found: tuple[Found, ...] = ()
    stated: dict[str, str] = field(default_factory=dict)
    dropped: frozenset[str] = frozenset()  # decisions an override took out of the questions
    added: tuple[str, ...] = ()  # decisions an override asks beyond the interactions' own
    trace: tuple[str, ...] = ()
    explanation: bool = False  # it asks how something works
    trapped: frozenset[str] = frozenset()  # interaction kinds whose every hit a trap or a negation vetoed
    ruled_out: tuple[str, ...] = ()  # what an override said the request is not (presentational, ...)
    _cues: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def kinds(self) -> list[str]:
        present = {f.kind for f in self.found}
        return [c.name for c in cues.interactions() if c.name in present]

    @property
    def dismissed(self) -> list[str]:
        """What the request names only for a trap, a negation or an override to rule it out."""
        return sorted(self.trapped) + list(self.ruled_out)

    @property
    def needed(self) -> list[str]:
        needed = [d for kind in self.kinds for d in self.matters(kind)] + list(self.added)
        return [d for d in dict.fromkeys(needed) if d not in self.dropped]

    @property
    def changes_records(self) -> bool:
        """Whether an interaction found changes saved records (delete, create, edit...), not just UI state."""
        return any(c.data.get("changes_records") for c in cues.interactions() if c.name in self.kinds)

    @staticmethod
    def matters(kind: str) -> list[str]:
        return next(c.data["matters"] for c in cues.interactions() if c.name == kind)

    def sentence(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def sentence_end(self, offset: int) -> int:
        following = self.sentence(offset) + 1
        return self.starts[following] if following < len(self.starts) else len(self.text)

    def cue(self, name: str) -> list[cues.Hit]:
        """The untrapped hits of a request cue."""
        if name not in self._cues:
            self._cues[name] = cues.cue(name).found(self.text, self.toks)
        return self._cues[name]

    def cue_sentences(self, name: str) -> set[int]:
        return {self.sentence(h.start) for h in self.cue(name)}

    def sentences_with(self, kind: str) -> set[int]:
        return {f.sentence for f in self.found if f.kind == kind}

    def drop(self, override, kinds: tuple[str, ...], sentences: set[int] | None = None, where=None) -> View:
        """Without the hits of `kinds` (limited to those the override declares) in `sentences` (None: all) for
        which `where(found)` holds (None: every one)."""
        gone = [f for f in self.found if f.kind in kinds and f.kind in override.drops
                and (sentences is None or f.sentence in sentences) and (where is None or where(f))]
        if not gone:
            return self
        notes = tuple(f"override {override.slug} drops {f.kind} ({self.text[f.hit.start:f.hit.end]!r})" for f in gone)
        return replace(self, found=tuple(f for f in self.found if f not in gone), trace=self.trace + notes)

    def rule_out(self, override, what: str) -> View:
        """Record that the override judged the request not to be `what`, so the learned model does not overrule it."""
        return replace(self, ruled_out=(*self.ruled_out, what), trace=(*self.trace, f"override {override.slug}: {what}"))

    def without(self, override, dimensions: tuple[str, ...]) -> View:
        """Without the questions about `dimensions` (limited to those the override declares)."""
        dimensions = tuple(d for d in dimensions if d in override.drops and d in self.needed)
        if not dimensions:
            return self
        return replace(self, dropped=self.dropped | set(dimensions),
                       trace=self.trace + (f"override {override.slug} drops the {', '.join(dimensions)} question",))

    def settle(self, override, dimension: str, key: str) -> View:
        if dimension in self.stated:
            return self
        return replace(self, stated={**self.stated, dimension: key},
                       trace=self.trace + (f"override {override.slug} settles {dimension} = {key}",))

    def ask(self, override, dimension: str) -> View:
        if dimension in self.added:
            return self
        return replace(self, added=(*self.added, dimension),
                       trace=self.trace + (f"override {override.slug} asks {dimension}",))


def build(request: str, text: str) -> View:
    """The interactions and settled decisions the concept data finds in `text`."""
    toks = lexicon.tokens(text)
    ends = {m.end() for m in SENTENCE_END.finditer(text)} | ({len(request)} if len(text) > len(request) else set())
    starts = (0, *sorted(ends))  # the English gloss after the request starts a sentence of its own
    view = View(request, text, toks, starts)
    trace: list[str] = []
    found = []
    for interaction in cues.interactions():
        for hit in cues.negated(interaction.hits(text, toks), text, toks):
            trace.append(_note("interaction", text, hit))
            if not hit.trap:
                found.append(Found(interaction.name, view.sentence(hit.start), hit))
    seen = {c.name for c in cues.interactions() if any(n.startswith(f"interaction {c.name}:") for n in trace)}
    trapped = frozenset(seen - {f.kind for f in found})
    return replace(view, found=tuple(found), stated=_stated(text, toks, trace), trace=tuple(trace), trapped=trapped)


def _stated(text: str, toks: list[lexicon.Token], trace: list[str]) -> dict[str, str]:
    """Per decision, the option the request settles it to. An option's hit inside a longer hit of another
    option does not count ("doesn't need to be saved" is not "saved"); otherwise the first in match_order wins."""
    stated = {}
    for dimension, decision in cues.decisions().items():
        hits = {key: option.hits(text, toks) for key, option in decision["cues"].items()}
        live = [(key, h) for key, found in hits.items() for h in found if not h.trap]
        for key, found in hits.items():
            for hit in found:
                inside = next((o for k, o in live if k != key and o.start <= hit.start and hit.end <= o.end
                               and o.end - o.start > hit.end - hit.start), None)
                trace.append(_note("option", text, hit, inside))
                if inside and not hit.trap:
                    live.remove((key, hit))
        key = next((key for key in decision.get("match_order", ()) if any(k == key for k, _ in live)), None)
        if key:
            stated[dimension] = key
    return stated


def _note(family: str, text: str, hit: cues.Hit, inside: cues.Hit | None = None) -> str:
    words = text[hit.start:hit.end]
    veto = f", vetoed by the trap \"{hit.trap}\"" if hit.trap else ""
    veto += f", inside {inside.concept} ({text[inside.start:inside.end]!r})" if inside else ""
    return f"{family} {hit.concept}: {words!r} by {hit.by}{veto}"
