"""Reports of an eval run: a rich table for the terminal, JSON, and a self-contained HTML page with the
per-suite tables, the failing cases and a latency chart (inline SVG)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from .suites import SuiteResult


def print_table(results: list[SuiteResult], verdicts: list[tuple[str, float, str, float, bool]], console) -> None:
    from rich.table import Table

    table = Table(title="liveview-skill eval")
    for column in ("suite", "metric", "value", "floor", "cases", "failed", "seconds"):
        table.add_column(column)
    limits = {name: (op, limit, ok) for name, value, op, limit, ok in verdicts}
    for result in results:
        failed = sum(not c.passed for c in result.cases)
        for n, (metric, value) in enumerate(result.metrics.items()):
            key = f"{result.name}.{metric}"
            op, limit, ok = limits.get(key, ("", None, True))
            floor = f"{op} {limit:g}" if limit is not None else ""
            shown = f"{value:.3f}" if value < 100 else f"{value:.1f}"
            table.add_row(result.name if n == 0 else "", metric, f"[{'green' if ok else 'red'}]{shown}[/]", floor,
                          str(len(result.cases)) if n == 0 else "", str(failed) if n == 0 else "",
                          f"{result.seconds:.1f}" if n == 0 else "")
    console.print(table)
    for result in results:
        for row in result.table:
            if result.name == "review" and (row.get("fp") or row.get("fn")):
                console.print(f"  review {row['rule']}: precision {row['precision']} recall {row['recall']}")
            if result.name == "latency":
                console.print(f"  latency {row['tool']}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms")


def write_report(path: Path, results: list[SuiteResult], verdicts: list) -> None:
    data = {"suites": [r.model_dump() for r in results],
            "verdicts": [{"metric": m, "value": v, "op": op, "limit": lim, "ok": ok} for m, v, op, lim, ok in verdicts]}
    if path.suffix == ".html":
        path.write_text(_html(results, verdicts), encoding="utf-8")
    else:
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _html(results: list[SuiteResult], verdicts: list) -> str:
    esc = html.escape
    parts = ["<!doctype html><meta charset='utf-8'><title>liveview-skill eval</title>",
             "<style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse;margin:1rem 0}"
             "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.bad{color:#b00}.ok{color:#070}</style>",
             "<h1>liveview-skill eval</h1><h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>limit</th></tr>"]
    for metric, value, op, limit, ok in verdicts:
        parts.append(f"<tr><td>{esc(metric)}</td><td class='{'ok' if ok else 'bad'}'>{value:.3f}</td>"
                     f"<td>{esc(op)} {limit}</td></tr>")
    parts.append("</table>")
    for result in results:
        parts.append(f"<h2>{esc(result.name)}</h2><p>" + ", ".join(
            f"{esc(k)} = {v:.3f}" for k, v in result.metrics.items()) + f" ({result.seconds:.1f} s)</p>")
        if result.table:
            keys = list(result.table[0])
            parts.append("<table><tr>" + "".join(f"<th>{esc(k)}</th>" for k in keys) + "</tr>")
            for row in result.table:
                parts.append("<tr>" + "".join(f"<td>{esc(str(row[k]))}</td>" for k in keys) + "</tr>")
            parts.append("</table>")
        if result.name == "latency" and result.table:
            parts.append(_latency_svg(result.table))
        failing = [c for c in result.cases if not c.passed]
        if failing:
            parts.append("<h3>Failing cases</h3><table><tr><th>id</th><th>input</th><th>expected vs returned</th>"
                         "<th>returned</th></tr>")
            for case in failing:
                parts.append(f"<tr><td>{esc(case.id)}</td><td>{esc(case.input)}</td><td>{esc(case.reason)}</td>"
                             f"<td>{esc(case.output)}</td></tr>")
            parts.append("</table>")
    return "".join(parts)


def _latency_svg(rows: list[dict]) -> str:
    width, bar = 560, 22
    top = max(max(r["p95_ms"] for r in rows), 1e-6)
    height = bar * len(rows) * 2 + 20
    items = [f"<svg width='{width}' height='{height}' xmlns='http://www.w3.org/2000/svg' font-size='12'>"]
    for n, row in enumerate(rows):
        y = 10 + n * bar * 2
        for k, (key, color) in enumerate((("p50_ms", "#4a7"), ("p95_ms", "#c84"))):
            length = (width - 220) * row[key] / top
            items.append(f"<rect x='200' y='{y + k * (bar - 8)}' width='{length:.1f}' height='{bar - 10}' fill='{color}'/>")
            items.append(f"<text x='{205 + length:.1f}' y='{y + k * (bar - 8) + 10}'>{key[:3]} {row[key]:.1f} ms</text>")
        items.append(f"<text x='0' y='{y + 14}'>{html.escape(row['tool'])}</text>")
    items.append("</svg>")
    return "".join(items)
