"""The concept data clarify() reads: one TOML entry per concept under `concepts/`, matched by skill_server.matching.

A concept is an interaction kind (`interactions/<kind>.toml`), an option of a decision
(`decisions/<dimension>.toml`, `[options.<key>]`) or a request cue (`cues/<name>.toml`). It has `phrases`,
`patterns` (verbose regexes, each with its `why`) where a phrase cannot say it, and `traps` that veto any hit
they overlap; `asks` and `settles` hold the requests it is tested on (tests/test_clarify_fixtures.py)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..matching import lexicon
from ..matching.concepts import Concept, concept

CONCEPTS = Path(__file__).with_name("concepts")


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def interactions() -> tuple[Concept, ...]:
    """Interaction kinds, most specific first (their `order`): the first found names the action asked about."""
    loaded = [concept(p.stem, _load(p)) for p in (CONCEPTS / "interactions").glob("*.toml")]
    return tuple(sorted(loaded, key=lambda c: c.data["order"]))


def interaction(kind: str) -> Concept:
    return next(c for c in interactions() if c.name == kind)


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

