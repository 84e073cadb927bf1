"""Every clarify concept and override against its cases: requests it must ask about (`[[asks]]`, with the
exact decisions) and requests it must settle (`[[settles]]`). The cases live beside what they guard: in the
concept's TOML under skill_server/clarify/concepts/ and in the override's skill_server/clarify/overrides/<slug>.toml."""

from __future__ import annotations

import inspect

import pytest

from skill_server.clarify import cues, overrides
from skill_server.clarify.decide import explain, missing, rule_view
from skill_server.clarify.overrides import predicates
from skill_server.knowledge.languages import gloss


def _units():
    """(family, name, cases, how its name shows in the explain trace) for every concept and override."""
    for family, concept in cues.catalogue():
        cases = {kind: concept.data.get(kind, []) for kind in ("asks", "settles")}
        yield family, concept.name, cases, f"{family} {concept.name}:" if family != "cue" else f"cue {concept.name}"
    for override in overrides.loaded():
        cases = {kind: override.get(kind, []) for kind in ("asks", "settles")}
        yield "override", override["slug"], cases, f"override {override['slug']} "


UNITS = list(_units())


def _rules_missing(request: str) -> list[str]:
    english = gloss(request)
    return missing(rule_view(request, f"{request} ({english})" if english else request, None))


@pytest.mark.parametrize(("name", "kind", "case"), [
    pytest.param(name, kind, case, id=f"{name}-{kind}-{n}")
    for _, name, cases, _ in UNITS for kind in ("asks", "settles") for n, case in enumerate(cases[kind], 1)])
def test_case(name, kind, case):
    expected = case.get("missing", [])
    assert (kind == "asks") == bool(expected), "an asks case lists what is missing; a settles case nothing"
    assert _rules_missing(case["request"]) == expected, explain(case["request"]).fired


@pytest.mark.parametrize(("family", "name", "cases", "mark"), UNITS, ids=[u[1] for u in UNITS])
def test_every_concept_and_override_has_both_kinds_of_case_and_fires_in_one(family, name, cases, mark):
    assert cases["asks"] and cases["settles"], f"{family} {name} needs [[asks]] and [[settles]] cases"
    traces = [" ".join(explain(c["request"]).fired) for kind in cases.values() for c in kind]
    assert any(mark in trace for trace in traces), f"no case of {family} {name} involves it"


EFFECTS = {"forget", "ask", "explanation", "drop", "drop_questions", "settle", "rule_out"}
HIT_FILTERS = {"kinds", "unless", "says", "where", *overrides.NEAR}


@pytest.mark.parametrize("data", overrides.loaded(), ids=lambda o: o["slug"])
def test_overrides_are_declared_and_documented(data):
    slug = data["slug"]
    fields = {"slug", "order", "scope", "what", "why", "when", "asks", "settles", *EFFECTS}
    assert {"order", "scope", "what", "why"} <= set(data) <= fields, slug
    assert EFFECTS & set(data), f"{slug} does nothing"
    assert len(data["what"]) > 40 and len(data["why"]) > 40
    effects = [*data.get("drop", []), *data.get("drop_questions", [])]
    for conditions in [*data.get("when", []), *(effect["unless"] for effect in effects if "unless" in effect)]:
        assert set(conditions) <= set(overrides.CONDITIONS), f"{slug}: an unknown condition"
        assert all(cues.cue(name) for key in ("cues", "any_cues", "no_cues") for name in conditions.get(key, []))
    for questions in data.get("drop_questions", []):
        assert set(questions["decisions"]) <= set(cues.decisions()), f"{slug}: an unknown decision"
    for drop in data.get("drop", []):
        assert set(drop) <= HIT_FILTERS and drop["kinds"], f"{slug}: an unknown drop filter"
        assert set(drop["kinds"]) <= {c.name for c in cues.interactions()}
        # a sentence override drops only what is near what triggered it
        assert data["scope"] == "request" or set(drop) & {"where", *overrides.NEAR}, slug
    assert data["scope"] in ("sentence", "request")


def test_every_condition_and_drop_filter_is_used():
    when = [c for o in overrides.loaded() for c in o.get("when", [])]
    effects = [e for o in overrides.loaded() for e in (*o.get("drop", []), *o.get("drop_questions", []))]
    used = {name for conditions in when + [e["unless"] for e in effects if "unless" in e] for name in conditions}
    assert used == set(overrides.CONDITIONS)
    assert {name for e in effects for name in e} >= HIT_FILTERS


def test_overrides_run_in_one_declared_order():
    orders = [o["order"] for o in overrides.loaded()]
    assert len(set(orders)) == len(orders) == len(overrides.loaded()) > 0


def test_every_predicate_is_used_and_documented():
    functions = inspect.getmembers(predicates, inspect.isfunction)
    written = {name for name, function in functions if function.__module__ == predicates.__name__}
    used = {d.get("test") for o in overrides.loaded() for d in o.get("when", [])}
    used |= {d.get("where") for o in overrides.loaded() for d in o.get("drop", [])}
    assert written == used - {None}
    assert all(getattr(predicates, name).__doc__ for name in written)


def test_every_pattern_says_why():
    for family, concept in cues.catalogue():
        for pattern in concept.patterns:
            assert len(pattern.why) > 15, f"{family} {concept.name}: a pattern without its reason"
