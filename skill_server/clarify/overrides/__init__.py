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
from functools import lru_cache
from pathlib import Path

from .. import cues
from ..view import View
from . import predicates

CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(and|but|then)\b")
CODE_BLOCK = re.compile(r"```.*?```", re.S)  # code pasted in the request
FORGET = {"interactions": ("found", ()), "settled": ("stated", {})}


@lru_cache(maxsize=1)
def loaded() -> tuple[dict, ...]:
    """Every override's TOML with its `slug`, in their order."""
    paths = Path(__file__).parent.glob("*.toml")
    return tuple(sorted(({"slug": p.stem, **tomllib.loads(p.read_text(encoding="utf-8"))} for p in paths),
                        key=lambda override: override["order"]))


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
    "kinds_in_code": lambda view, kinds: any(cues.interaction(k).found(block) for k in kinds
                                             for block in CODE_BLOCK.findall(view.request)),
    "found": lambda view, want: bool(view.found) == want,
    "needs_decisions": lambda view, want: view.kinds_with("matters") == want,
    "changes_records": lambda view, want: view.kinds_with("changes_records") == want,
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


def apply(override: dict, view: View) -> View:
    """The view after the override when one of its [[when]] holds; its effects in the module docstring's order."""
    met = next((m for m in (_holds(view, w) for w in override.get("when", [{}])) if m is not None), None)
    if met is None:
        return view
    slug = override["slug"]
    for name in override.get("forget", ()):
        field_name, empty = FORGET[name]
        view = view.note(slug, f"forgets every {name} ({met})", **{field_name: empty})
    if "ask" in override:
        view = view.note(slug, f"asks about {', '.join(override['ask'])}", added=(*view.added, *override["ask"]))
    if override.get("explanation"):
        view = view.note(slug, "finds a question about how something works", explanation=True)
    for drop in override.get("drop", ()):
        view = view if _unless(view, drop) else _drop(view, slug, drop)
    for questions in override.get("drop_questions", ()):
        asked = [d for d in questions["decisions"] if d in view.needed]
        if asked and not _unless(view, questions):
            view = view.note(slug, f"drops the {', '.join(asked)} question", dropped=view.dropped | set(asked))
    for dimension, key in override.get("settle", {}).items():
        if dimension not in view.stated:
            view = view.note(slug, f"settles {dimension} = {key}", stated={**view.stated, dimension: key})
    if "rule_out" in override:
        view = view.note(slug, f"rules it out: {override['rule_out']} ({met})",
                         ruled_out=(*view.ruled_out, override["rule_out"]))
    return view


def _drop(view: View, slug: str, drop: dict) -> View:
    """Without the hits of the drop's kinds that pass all its filters, each noted in the trace."""
    tests = [_hit_test(view, name, value) for name, value in drop.items() if name not in ("kinds", "unless")]
    for hit in [h for h in view.found if h.concept in drop["kinds"] and all(test(h) for test in tests)]:
        view = view.note(slug, f"drops {hit.concept} ({view.text[hit.start:hit.end]!r})",
                         found=tuple(h for h in view.found if h != hit))
    return view


def run(view: View) -> View:
    for override in loaded():
        view = apply(override, view)
    return view


def describe() -> list[dict]:
    """Every override as plain data, in order: its slug, scope, what it does and why, what it fires on and does."""
    return [{k: v for k, v in override.items() if k not in ("asks", "settles")} for override in loaded()]
