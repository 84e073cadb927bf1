"""The record every review rule declares, and what a rule's check yields."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    slug: str
    code: str
    family: str
    severity: str  # error | warning | info
    confidence: str  # high | medium | low: how sure the check is when it fires
    languages: tuple[str, ...]
    summary: str
    fix: str
    cites: str  # knowledge document and section, "doc#section"
    since: str | None = None  # LiveView versions the rule applies to
    until: str | None = None


@dataclass(frozen=True)
class Hit:
    """One problem found by a rule: where, and optionally a sharper message or a lower confidence."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    message: str | None = None
    confidence: str | None = None
    extra: dict = field(default_factory=dict)
