"""What the concept data finds in one request, as an immutable record that overrides take and return (note): the
interaction hits, the decisions the request settles, what overrides took out, and a trace for --explain."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from ..matching import lexicon, roles
from ..matching.concepts import Hit, negated
from . import cues

SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


@dataclass(frozen=True)
class View:
    request: str  # as sent
    text: str  # the request, plus its English gloss when it has non-English words
    toks: list[lexicon.Token]
    starts: tuple[int, ...]  # where each sentence of `text` starts
    found: tuple[Hit, ...] = ()  # interaction hits (hit.concept is the kind)
    stated: dict[str, str] = field(default_factory=dict)
    dropped: frozenset[str] = frozenset()  # decisions an override took out of the questions
    added: tuple[str, ...] = ()  # decisions asked beyond the interactions' own
    trapped: frozenset[str] = frozenset()  # interaction kinds whose every hit a trap or a negation vetoed
    ruled_out: tuple[str, ...] = ()  # what an override said the request is (presentational, a how-question...)
    explanation: bool = False  # it asks how something works
    trace: tuple[str, ...] = ()
    _cues: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def kinds(self) -> list[str]:
        return [c.name for c in cues.interactions() if any(h.concept == c.name for h in self.found)]

    @property
    def needed(self) -> list[str]:
        needed = [d for kind in self.kinds for d in cues.interaction(kind).data["matters"]] + list(self.added)
        return [d for d in dict.fromkeys(needed) if d not in self.dropped]

    def kinds_with(self, field: str) -> bool:
        """Whether an interaction found has `field` (matters: it needs decisions; changes_records: it writes)."""
        return any(cues.interaction(kind).data.get(field) for kind in self.kinds)

    def sentence(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def sentence_end(self, offset: int) -> int:
        following = self.sentence(offset) + 1
        return self.starts[following] if following < len(self.starts) else len(self.text)

    def cue(self, name: str) -> list[Hit]:
        """The untrapped hits of a request cue (remembered for the trace)."""
        if name not in self._cues:
            self._cues[name] = cues.cue(name).found(self.text, self.toks)
        return self._cues[name]

    def hits(self, kind: str) -> list[Hit]:
        return [h for h in self.found if h.concept == kind]

    def note(self, override: str, what: str, **changes) -> View:
        """The view with `changes` an override made, and what it did in the trace."""
        return replace(self, **changes, trace=(*self.trace, f"override {override} {what}"))


def build(request: str, text: str) -> View:
    """The interactions and settled decisions the concept data finds in `text`."""
    toks = lexicon.tokens(text)
    ends = {m.end() for m in SENTENCE_END.finditer(text)} | ({len(request)} if len(text) > len(request) else set())
    trace: list[str] = []
    hits = [h for c in cues.interactions() for h in _asked(c, text, toks)]
    trace += [_note("interaction", text, h) for h in hits]
    found = tuple(h for h in hits if not h.trap)
    trapped = frozenset({h.concept for h in hits} - {h.concept for h in found})
    return View(request, text, toks, (0, *sorted(ends)), found, _stated(text, toks, trace), trapped=trapped,
                trace=tuple(trace))  # the English gloss after the request starts a sentence of its own


def _asked(interaction, text: str, toks: list[lexicon.Token]) -> list[Hit]:
    """An interaction's hits, those a negation vetoes or (when it asks something) its sentence shows to be only a
    name marked so ('the "Reorder" menu item', 'the Delete key', 'toggle the panels')."""
    hits = negated(interaction.hits(text, toks), text, toks, cues.cue("negation"))
    on_items = interaction.data.get("changes_records", False) or "persistence" in interaction.data["matters"]
    return roles.named_only(hits, text, on_items) if interaction.data["matters"] else hits


def _stated(text: str, toks: list[lexicon.Token], trace: list[str]) -> dict[str, str]:
    """Per decision, the option the request settles it to. An option's hit inside a longer hit of another
    option does not count ("doesn't need to be saved" is not "saved"); otherwise the first in match_order wins."""
    stated = {}
    for dimension, decision in cues.decisions().items():
        hits = [h for option in decision["cues"].values() for h in option.hits(text, toks)]
        inside = {h: next((o for o in hits if o.concept != h.concept and not o.trap and o.start <= h.start
                           and h.end <= o.end and o.end - o.start > h.end - h.start), None) for h in hits}
        trace += [_note("option", text, h, inside[h]) for h in hits]
        live = {h.concept.split(".")[1] for h in hits if not h.trap and not inside[h]}
        key = next((key for key in decision.get("match_order", ()) if key in live), None)
        if key:
            stated[dimension] = key
    return stated


def _note(family: str, text: str, hit: Hit, inside: Hit | None = None) -> str:
    veto = f", vetoed by the trap \"{hit.trap}\"" if hit.trap else ""
    veto += f", inside {inside.concept} ({text[inside.start:inside.end]!r})" if inside else ""
    return f"{family} {hit.concept}: {text[hit.start:hit.end]!r} by {hit.by}{veto}"
