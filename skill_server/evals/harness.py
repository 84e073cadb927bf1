"""`liveview-skill eval`: run the suites over evals/, print the picture, write a report, and fail when a
metric falls under its floor in evals/thresholds.toml."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

import anyio

from ..errors import InputError
from ..paths import DATA_ROOT
from . import suites
from .calls import call_inprocess, startup_figures, stdio_caller
from .report import print_table, write_report

EVALS_DIR = DATA_ROOT / "evals"
LATENCY_ROUNDS = 5


def thresholds(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return data.get("floors", {}), data.get("ceilings", {})


def verdicts(results: list[suites.SuiteResult], floors: dict, ceilings: dict) -> list[tuple]:
    rows = []
    for result in results:
        for metric, value in result.metrics.items():
            key = f"{result.name}.{metric}"
            if key in floors:
                rows.append((key, value, ">=", floors[key], value >= floors[key]))
            elif key in ceilings:
                rows.append((key, value, "<=", ceilings[key], value <= ceilings[key]))
    return rows


async def _run(names: list[str], via: str, evals_dir: Path, progress) -> list[suites.SuiteResult]:
    datasets = {name: suites.load_cases(evals_dir, name) for name in names if name != "latency"}
    total = sum(len(c) for c in datasets.values()) + (len(suites.LATENCY_MIX) * LATENCY_ROUNDS if "latency" in names else 0)
    task = progress.add_task("evaluating", total=total)
    tick = lambda: progress.advance(task)  # noqa: E731

    async def run_all(call) -> list[suites.SuiteResult]:
        results = []
        for name in names:
            started = time.perf_counter()
            progress.update(task, description=name)
            if name == "latency":
                result = await suites.latency(call, LATENCY_ROUNDS, tick)
                figures = await startup_figures()
                result.metrics.update(figures)
            else:
                result = await getattr(suites, name)(call, datasets[name], tick)
                if name == "retrieval":
                    from ..knowledge.corpus import default_roots

                    result.metrics["baseline_plain_bm25_top3"] = suites.baseline_retrieval(datasets[name],
                                                                                           default_roots())
            result.seconds = time.perf_counter() - started
            results.append(result)
        return results

    if via == "stdio":
        async with stdio_caller() as call:
            return await run_all(call)
    return await run_all(call_inprocess)


def run_eval(suite_names: list[str] | None, via: str = "inprocess", report: str | None = None,
             evals_dir: Path | None = None) -> int:
    from rich.console import Console
    from rich.progress import Progress

    names = suite_names or list(suites.SUITES)
    unknown = [n for n in names if n not in suites.SUITES]
    if unknown:
        raise InputError(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(suites.SUITES)}")
    if via not in ("inprocess", "stdio"):
        raise InputError("--via takes inprocess or stdio")
    evals_dir = evals_dir or EVALS_DIR
    try:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            results = anyio.run(_run, names, via, evals_dir, progress)
    except (FileNotFoundError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    floors, ceilings = thresholds(evals_dir / "thresholds.toml")
    rows = verdicts(results, floors, ceilings)
    print_table(results, rows, Console())
    if report:
        write_report(Path(report), results, rows)
    failed = [r for r in rows if not r[4]]
    for metric, value, op, limit, _ in failed:
        print(f"liveview-skill: {metric} = {value:.3f} is not {op} {limit}", file=sys.stderr)
    return 1 if failed else 0
