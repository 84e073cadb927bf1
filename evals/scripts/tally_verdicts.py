"""Tally a file of judged review findings: precision overall, per rule, per app, and the false-positive classes.

    .venv/bin/python evals/scripts/tally_verdicts.py VERDICTS.jsonl [--json OUT]

Each line is one default finding of `liveview-skill review` on real code, judged by someone who did not write
the rule (CONTRIBUTING.md, "Measuring a rule on real code"): `{app, file, line, rule, confidence, harm,
verdict, reason}`, verdict `true`, `false` or `debatable`, and for false ones an optional `class` naming the
cause. Precision is true / (true + false), debatable left out, and also true / all, debatable counted as
wrong. It prints a markdown report; the verdicts file is never changed."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

VERDICTS = ("true", "false", "debatable")


def load_verdicts(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}:{number}: verdict must be one of {', '.join(VERDICTS)}")
        rows.append(row)
    return rows


def figures(rows: list[dict]) -> dict:
    """Counts and both precisions of a group of judged findings."""
    counts = Counter(row["verdict"] for row in rows)
    judged = counts["true"] + counts["false"]
    return {"findings": len(rows), "true": counts["true"], "false": counts["false"],
            "debatable": counts["debatable"],
            "precision": counts["true"] / judged if judged else None,
            "precision_debatable_wrong": counts["true"] / len(rows) if rows else None}


def tally(rows: list[dict]) -> dict:
    per_rule, per_app = defaultdict(list), defaultdict(list)
    for row in rows:
        per_rule[row["rule"]].append(row)
        per_app[row["app"]].append(row)
    false_rows = [row for row in rows if row["verdict"] == "false"]
    classes: dict[str, list[dict]] = defaultdict(list)
    for row in false_rows:
        classes[row.get("class") or "unclassified"].append(row)
    return {
        "overall": figures(rows),
        "per_rule": {rule: figures(group) for rule, group in sorted(per_rule.items(), key=lambda kv: -len(kv[1]))},
        "per_app": {app: figures(group) for app, group in per_app.items()},
        "false_classes": {name: {"count": len(group), "rules": dict(Counter(r["rule"] for r in group)),
                                 "apps": dict(Counter(r["app"] for r in group))}
                          for name, group in sorted(classes.items(), key=lambda kv: -len(kv[1]))},
    }


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(name: str, f: dict) -> str:
    return (f"| {name} | {f['findings']} | {f['true']} | {f['false']} | {f['debatable']} | "
            f"{_ratio(f['precision'])} | {_ratio(f['precision_debatable_wrong'])} |")


def render(report: dict, path: Path) -> str:
    header = ["| {} | findings | true | false | debatable | precision | debatable as wrong |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    overall = report["overall"]
    lines = [f"# Judged review findings in {path.name}", "",
             f"{overall['findings']} findings: {overall['true']} true, {overall['false']} false, "
             f"{overall['debatable']} debatable. Precision {_ratio(overall['precision'])} (debatable left out), "
             f"{_ratio(overall['precision_debatable_wrong'])} (debatable counted as wrong).", "",
             "## Per rule", "", header[0].format("rule"), header[1]]
    lines += [_row(rule, f) for rule, f in report["per_rule"].items()]
    lines += ["", "## Per app", "", header[0].format("app"), header[1]]
    lines += [_row(app, f) for app, f in report["per_app"].items()]
    lines += ["", "## False-positive classes", "",
              "| class | false findings | rules | apps |", "| --- | --- | --- | --- |"]
    for name, c in report["false_classes"].items():
        rules = ", ".join(f"{rule} {n}" for rule, n in c["rules"].items())
        apps = ", ".join(f"{app} {n}" for app, n in c["apps"].items())
        lines.append(f"| {name} | {c['count']} | {rules} | {apps} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    report = tally(load_verdicts(args.path))
    sys.stdout.write(render(report, args.path))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
