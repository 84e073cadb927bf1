"""evals/mutations/kinds.toml names, for every mistake kind of the mutation harness, the rules whose finding
counts as catching it: every name there is a rule, and every rule is its own kind."""

from __future__ import annotations

import tomllib
from pathlib import Path

from skill_server.review.registry import all_rules

KINDS = Path(__file__).resolve().parents[1] / "evals" / "mutations" / "kinds.toml"


def test_every_kind_names_real_rules_and_every_rule_is_a_kind():
    kinds = tomllib.loads(KINDS.read_text())
    slugs = {loaded.rule.slug for loaded in all_rules()}
    for kind, accepted in kinds.items():
        assert accepted, f"{kind}: no rule catches it"
        assert set(accepted) <= slugs, f"{kind}: {set(accepted) - slugs} are not rules"
    for slug in slugs:
        assert slug in kinds.get(slug, []), f"{slug} is not its own kind"
