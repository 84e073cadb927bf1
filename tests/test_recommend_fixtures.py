"""Each pattern's recommend cases (library/<id>/fixtures.toml): scenarios that must rank it in the top 3 (`for`)
and look-alikes that must not (`not_for`, listed first in each file: the traps)."""

import tomllib

import pytest

from skill_server.patterns.catalogue import LIBRARY
from skill_server.patterns.recommend import recommend

FILES = sorted(LIBRARY.glob("*/fixtures.toml"))
CASES = [(path.parent.name, kind, case["scenario"])
         for path in FILES for kind, cases in tomllib.loads(path.read_text(encoding="utf-8")).items()
         for case in cases]


def test_every_fixture_file_has_both_kinds_traps_first():
    for path in FILES:
        kinds = list(tomllib.loads(path.read_text(encoding="utf-8")))
        assert kinds == ["not_for", "for"], path


@pytest.mark.parametrize(("pattern", "kind", "scenario"), CASES)
def test_pattern_fixture(pattern, kind, scenario):
    top = [p.id for p in recommend(scenario).patterns]
    assert (pattern in top) == (kind == "for"), (scenario, top)
