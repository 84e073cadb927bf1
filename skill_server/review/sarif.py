"""SARIF 2.1.0 output for project reviews, so GitHub code scanning and other SARIF viewers show findings
with their rule metadata."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..models import ProjectReview
from .registry import all_rules

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SEVERITY_RANKS = {"error": 70.0, "warning": 35.0, "info": 0.0}
CONFIDENCE_RANKS = {"high": 20.0, "medium": 10.0, "low": 0.0}
# GitHub code scanning reads `security-severity` (0-10) on rules tagged "security" to grade them.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def rank(severity: str, confidence: str, harm: str | None) -> float:
    """Severity first, then harm, then confidence: an error always outranks a warning."""
    return SEVERITY_RANKS[severity] + CONFIDENCE_RANKS[confidence] + (10.0 if harm else 0.0)


def _properties(rule) -> dict:
    tags = list(dict.fromkeys([rule.family] + (["security"] if rule.harm == "security" else [])))
    properties = {"tags": tags, "confidence": rule.confidence, "harm": rule.harm}
    if "security" in tags:  # the security family's rules too, harmful or not: code scanning grades every one
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return properties


def _uri(path: str) -> str:
    """A file's path under the project as a relative URI reference: `lib/a b#c?d%e/x.ex` would place a result on
    `lib/a b` with a fragment and a query; percent-encoded (RFC 3986, `/` kept) it names the file."""
    return quote(path, safe="/")


def _root_uri(root: str) -> str:
    """The project folder as an absolute file URI ending in `/` (a stdin review's root `.` is the current folder)."""
    uri = Path(root).absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _notification(path: str, text: str) -> dict:
    return {"level": "error", "message": {"text": f"{path}: {text}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path), "uriBaseId": "ROOTPATH"}}}]}


def _invocation(project: ProjectReview) -> dict:
    """What did not get checked, as the run's tool execution notifications: a skipped file, a review a
    limit cut short. executionSuccessful is false when anything was not checked, so a gate fails closed."""
    notifications = [_notification(s.path, f"not reviewed: {s.reason}") for s in project.skipped]
    for file_review in project.files:
        if not file_review.result.complete:
            why = " ".join(n for n in file_review.result.notes if "did not run" in n or "stopped" in n
                           or "were not" in n) or "part of the review did not run"
            notifications.append(_notification(file_review.path, f"not fully reviewed: {why}"))
    return {"executionSuccessful": project.complete and not notifications,
            "toolExecutionNotifications": notifications}


def to_sarif(project: ProjectReview) -> dict:
    rules = [loaded.rule for loaded in all_rules()]
    index = {rule.slug: n for n, rule in enumerate(rules)}
    descriptors = [
        {
            "id": rule.code,
            "name": rule.slug,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.fix},
            "help": {"text": rule.fix, "markdown": f"{rule.summary}\n\nFix: {rule.fix}"},
            "helpUri": f"liveview://rules/{rule.slug}",
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": _properties(rule),
        }
        for rule in rules
    ]
    results = []
    for file_review in project.files:
        for finding in file_review.result.findings:
            region = {"startLine": finding.line, "startColumn": finding.column, "endLine": finding.end_line}
            results.append({
                "ruleId": finding.code,
                "ruleIndex": index.get(finding.rule, 0),
                "level": LEVELS[finding.severity],
                "message": {"text": finding.message},
                "rank": rank(finding.severity, finding.confidence, finding.harm),
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(file_review.path), "uriBaseId": "ROOTPATH"},
                    "region": region,
                }}],
                "properties": {"rule": finding.rule, "confidence": finding.confidence, "harm": finding.harm,
                               "fix": finding.fix},
            })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "liveview-skill", "version": __version__, "rules": descriptors}},
            "invocations": [_invocation(project)],
            "originalUriBaseIds": {"ROOTPATH": {"uri": _root_uri(project.root)}},
            "results": results,
            "properties": {"liveview_version": project.liveview_version, "version_source": project.version_source},
        }],
    }
