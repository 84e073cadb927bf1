"""Every clarify concept and override against its cases: requests it must ask about (`[[asks]]`, with the
exact decisions) and requests it must settle (`[[settles]]`). The cases live beside what they guard: in the
concept's TOML under skill_server/clarify/concepts/ and in skill_server/clarify/overrides/fixtures/<slug>.toml."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import pytest

from skill_server.clarify import cues, overrides
from skill_server.clarify.decide import explain, missing, rule_view
from skill_server.knowledge.languages import gloss

FIXTURES = Path(overrides.__file__).with_name("fixtures")


def _units():
    """(family, name, cases, how its name shows in the explain trace) for every concept and override."""
    for family, concept in cues.catalogue():
        cases = {kind: concept.data.get(kind, []) for kind in ("asks", "settles")}
        yield family, concept.name, cases, f"{family} {concept.name}:" if family != "cue" else f"cue {concept.name}"
    for module in overrides.loaded():
        slug = module.OVERRIDE.slug
        path = FIXTURES / f"{slug}.toml"
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        yield "override", slug, {kind: data.get(kind, []) for kind in ("asks", "settles")}, f"override {slug} "


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


@pytest.mark.parametrize("module", overrides.loaded(), ids=lambda m: m.OVERRIDE.slug)
def test_overrides_are_declared_and_documented(module):
    record = module.OVERRIDE
    assert module.__name__.rsplit(".", 1)[1] == record.slug
    assert record.scope in ("sentence", "request") and record.drops
    for section in ("## What it does", "## Why"):
        assert section in (module.__doc__ or ""), f"{record.slug}: docstring lacks {section}"


def test_every_override_module_runs_in_the_declared_order():
    modules = {m.name for m in pkgutil.iter_modules(overrides.__path__)}
    assert modules == set(overrides.ORDER)
    assert {p.stem for p in FIXTURES.glob("*.toml")} == set(overrides.ORDER)


def test_every_pattern_says_why():
    for family, concept in cues.catalogue():
        for pattern in concept.patterns:
            assert len(pattern.why) > 15, f"{family} {concept.name}: a pattern without its reason"
