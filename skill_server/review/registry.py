"""Finds the rules: every module rules/<family>/<slug>.py that declares RULE and check(ctx). The module
docstring is the rule's explanation (what it does, why it is bad, example, use instead, false positives)."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Callable

from ..errors import InputError
from ..models import RuleDoc, RuleInfo
from . import rules as rules_package
from .rule import Rule

FAMILY_ORDER = ["lifecycle", "optimistic_ui", "streams", "hooks", "forms", "security", "accessibility"]


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    check: Callable
    explanation: str
    module: ModuleType


@lru_cache(maxsize=1)
def all_rules() -> tuple[LoadedRule, ...]:
    loaded = []
    for family in pkgutil.iter_modules(rules_package.__path__):
        if not family.ispkg:
            continue
        package = importlib.import_module(f"{rules_package.__name__}.{family.name}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if hasattr(module, "RULE") and hasattr(module, "check"):
                loaded.append(LoadedRule(module.RULE, module.check, (module.__doc__ or "").strip(), module))
    order = {f: i for i, f in enumerate(FAMILY_ORDER)}
    return tuple(sorted(loaded, key=lambda r: (order.get(r.rule.family, 99), r.rule.code)))


@lru_cache(maxsize=1)
def rules_by_slug() -> dict[str, Rule]:
    return {loaded.rule.slug: loaded.rule for loaded in all_rules()}


def _info(rule: Rule) -> dict:
    return dict(slug=rule.slug, code=rule.code, family=rule.family, severity=rule.severity,
                confidence=rule.confidence, harm=rule.harm, languages=list(rule.languages), since=rule.since, until=rule.until,
                summary=rule.summary, uri=f"liveview://rules/{rule.slug}")


def rule_infos() -> list[RuleInfo]:
    return [RuleInfo(**_info(r.rule)) for r in all_rules()]


def find_rule(slug: object) -> LoadedRule:
    by_name = {r.rule.slug: r for r in all_rules()} | {r.rule.code: r for r in all_rules()}
    if isinstance(slug, str) and slug in by_name:
        return by_name[slug]
    close = difflib.get_close_matches(str(slug)[:60], [r.rule.slug for r in all_rules()], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; list them with `liveview-skill rules`"
    raise InputError(f"unknown rule {str(slug)[:60]!r}{hint}")


def _as_markdown_text(text: str) -> str:
    """Plain text put into Markdown: a `<` outside code spans is escaped, or renderers drop `<button type="button">`
    as an HTML tag ("Fix: Use  for actions.")."""
    parts = text.split("`")
    return "`".join(part.replace("<", "\\<") if index % 2 == 0 else part for index, part in enumerate(parts))


def rule_doc(slug: str) -> RuleDoc:
    loaded = find_rule(slug)
    rule = loaded.rule
    header = (f"# {rule.code} {rule.slug}\n\n{_as_markdown_text(rule.summary)}\n\nFamily: {rule.family} · severity: {rule.severity} · "
              f"confidence: {rule.confidence}" + (f" · harm: {rule.harm}" if rule.harm else "") + (f" · LiveView {rule.since}+" if rule.since else "") +
              (f" · until {rule.until}" if rule.until else "") +
              f"\n\nFix: {_as_markdown_text(rule.fix)}\n\nKnowledge: liveview://knowledge/{rule.cites.split('#')[0]}\n\n")
    return RuleDoc(**_info(rule), explanation=header + loaded.explanation)
