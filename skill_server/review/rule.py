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
    # What a true finding costs when it is one of the three that matter most: "security" (a hole),
    # "data_loss" (a write lost or silently wrong) or "crash" (the LiveView or the build fails). A harmful
    # finding shows in the default output at medium confidence too; low stays strict-only.
    harm: str | None = None


HARMS = ("security", "data_loss", "crash")


def visible(confidence: str, harm: str | None, strict: bool) -> bool:
    """Whether a finding shows: everything in strict mode; by default high confidence, and medium when a true
    finding would be a security hole, lost data or a crash."""
    return strict or confidence == "high" or (confidence == "medium" and harm is not None)


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
