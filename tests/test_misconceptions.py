"""Searching for a common LiveView misconception brings up a chunk that states the correct behaviour
(tests/data/misconceptions.toml: the seed skill's wrong claims and other frequent ones)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from skill_server.engine import search_guidance

CASES = tomllib.loads((Path(__file__).parent / "data" / "misconceptions.toml").read_text())["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["belief"][:50] for c in CASES])
def test_search_corrects_the_misconception(case):
    # `top = 1` (the knowledge corrections of issue 19): the correcting chunk must be the first hit.
    hits = search_guidance(case["query"], limit=case.get("top", 3)).hits
    text = " ".join(" ".join(h.text for h in hits).split())  # prose is wrapped: compare with single spaces
    missing = [term for term in case["must_contain"] if term.lower() not in text.lower()]
    assert missing == [], f"{case['belief']}: top {len(hits)} {[h.id for h in hits]} lack {missing}"
