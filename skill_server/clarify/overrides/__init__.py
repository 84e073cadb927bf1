"""Overrides: named corrections to what the concept data found, kept as data beside the concepts.

Each is one file `overrides/<slug>.toml`: `what` it does and `why`, its `order` (they run in that order, each on
the view the one before returned, so none reads a stale set), its `scope` ("sentence": it drops only what is
near what triggered it; "request": it speaks for the whole request), when it fires, what it does, and its
`[[asks]]` and `[[settles]]` cases (tests/test_clarify_fixtures.py).

It fires when one of its `[[when]]` tables holds (none: always): every condition in it, checked in the order
written (CONDITIONS). Then, in this order:
- `forget`: "interactions" (every hit found) and "settled" (every decision the request settled);
- `ask`: decisions to ask beyond the interactions' own; `explanation = true`: it asks how something works;
- each `[[drop]]`: the hits of `kinds`, unless the request meets its `unless` conditions, and only the hits
  `in_sentences_of`, `overlapping` or in the `same_clause_as` the hits of `{cues = [...], kinds = [...]}`,
  whose words contain `says`, or for which the predicate `where` holds;
- each `[[drop_questions]]`: no question about `decisions`, unless the request meets its `unless` conditions;
- `settle`: decisions the request settles, `{persistence = "server"}`;
- `rule_out`: what the request is, so that the learned model does not overrule the rules (decide.py).
What the vocabulary cannot say is a named function in `predicates.py`, used by `test` or `where`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import cues
from . import predicates

CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(and|but|then)\b")
FORGET = {"interactions": ("found", ()), "settled": ("stated", {})}


@dataclass(frozen=True)
class Override:
    slug: str
    data: dict  # its TOML: order, scope, what, why, when, what it does, asks, settles


@lru_cache(maxsize=1)
def loaded() -> tuple[Override, ...]:
    paths = Path(__file__).parent.glob("*.toml")
    found = [Override(p.stem, tomllib.loads(p.read_text(encoding="utf-8"))) for p in paths]
    return tuple(sorted(found, key=lambda o: o.data["order"]))


def _marks(view, named: dict) -> list:
    """The hits of the cues and interaction kinds in `named`: {cues = [...], kinds = [...]}."""
    return [h for name in named.get("cues", ()) for h in view.cue(name)] + [
        h for kind in named.get("kinds", ()) for h in view.hits(kind)]


def _named(names: list[str]) -> str:
    return ", ".join(f"cue {name}" for name in names)


def _says(view, hit, word: str) -> bool:
    return word in view.text[hit.start:hit.end].lower()


CONDITIONS = {  # name -> whether the view meets it (or what met it: "cue explain"), given its value in the TOML
    "cues": lambda view, names: all(view.cue(n) for n in names) and _named(names),
    "any_cues": lambda view, names: next((f"cue {n}" for n in names if view.cue(n)), None),
    "no_cues": lambda view, names: not any(view.cue(n) for n in names),
    "cues_as_sent": lambda view, names: all(cues.cue(n).found(view.request) for n in names) and _named(names),
    "kinds": lambda view, kinds: all(k in view.kinds for k in kinds),
    "no_kinds": lambda view, kinds: not any(k in view.kinds for k in kinds),
    "found": lambda view, want: bool(view.found) == want,
    "needs_decisions": lambda view, want: any(cues.interaction(k).data["matters"] for k in view.kinds) == want,
    "changes_records": lambda view, want: view.changes_records == want,
    "says": lambda view, words: any(_says(view, h, w) for kind, w in words.items() for h in view.hits(kind)),
    "settled": lambda view, dimensions: all(d in view.stated for d in dimensions),
    "settled_to": lambda view, keys: all(view.stated.get(d) == key for d, key in keys.items()),
    "not_settled_to": lambda view, keys: not any(view.stated.get(d) == key for d, key in keys.items()),
    "test": lambda view, name: getattr(predicates, name)(view),
}
NEAR = {  # name -> whether a hit is near a mark (a hit of the cues and kinds named)
    "in_sentences_of": lambda view, hit, mark: view.sentence(mark.start) == view.sentence(hit.start),
    "overlapping": lambda view, hit, mark: mark.start < hit.end and hit.start < mark.end,
    "same_clause_as": lambda view, hit, mark: not CLAUSE_BREAK.search(
        view.text[min(hit.end, mark.end):max(hit.start, mark.start)]),
}


def _holds(view, conditions: dict) -> str | None:
    """What met `conditions` ('cues explain', a predicate's finding), or None when one fails."""
    met = []
    for name, value in conditions.items():
        found = CONDITIONS[name](view, value)
        if not found:
            return None
        met.append(found if isinstance(found, str) else f"{name} {value}")
    return ", ".join(met)


def _unless(view, effect: dict) -> bool:
    return "unless" in effect and _holds(view, effect["unless"]) is not None


def _hit_test(view, name: str, value):
    """Whether a hit passes the drop's filter `name` with its value in the TOML."""
    if name == "says":
        return lambda hit: _says(view, hit, value)
    if name == "where":
        return getattr(predicates, value)(view)
    marks = _marks(view, value)
    return lambda hit: any(NEAR[name](view, hit, mark) for mark in marks)


def apply(override: Override, view):
    data = override.data
    met = next((m for m in (_holds(view, w) for w in data.get("when", [{}])) if m is not None), None)
    if met is None:
        return view
    for name in data.get("forget", ()):
        view = view.note(override, f"forgets every {name} ({met})", **dict([FORGET[name]]))
    if "ask" in data:
        view = view.note(override, f"asks about {', '.join(data['ask'])}", added=(*view.added, *data["ask"]))
    if data.get("explanation"):
        view = view.note(override, "finds a question about how something works", explanation=True)
    for drop in data.get("drop", ()):
        if not _unless(view, drop):
            tests = [_hit_test(view, name, value) for name, value in drop.items() if name not in ("kinds", "unless")]
            view = view.drop(override, lambda hit: hit.concept in drop["kinds"] and all(t(hit) for t in tests))
    for questions in data.get("drop_questions", ()):
        if not _unless(view, questions):
            view = view.without(override, tuple(questions["decisions"]))
    for dimension, key in data.get("settle", {}).items():
        view = view.settle(override, dimension, key)
    return view.rule_out(override, f"{data['rule_out']} ({met})") if "rule_out" in data else view


def run(view):
    for override in loaded():
        view = apply(override, view)
    return view


def describe() -> list[dict]:
    """Every override as plain data, in order: its slug, scope, what it does and why, what it fires on and does."""
    return [{"slug": o.slug, **{k: v for k, v in o.data.items() if k not in ("asks", "settles")}} for o in loaded()]
