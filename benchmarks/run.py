"""Speed figures (a benchmark, not a test): server cold start and warm calls against a bare MCPServer
measured in the same run, per-tool latency, and review throughput on a generated Phoenix-like project.

    .venv/bin/python benchmarks/run.py [--files 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill_server.evals.calls import call_inprocess, startup_figures  # noqa: E402
from skill_server.evals.suites import LATENCY_MIX  # noqa: E402
from skill_server.patterns.catalogue import load_patterns  # noqa: E402
from skill_server.patterns.snippets import generate  # noqa: E402
from skill_server.review.engine import review_source  # noqa: E402
from skill_server.review.project import collect  # noqa: E402


def make_project(root: Path, copies: int) -> int:
    """Writes generated LiveView modules, templates, hooks and CSS under root; returns the line count."""
    lines = 0
    for n in range(copies):
        for pattern in load_patterns():
            for file in generate(pattern, {"resource": f"thing{n}"}, "1.2").files:
                path = root / file.path.replace("thing", f"copy{n}_thing")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(file.content)
                lines += file.content.count("\n")
    return lines


def review_throughput(copies: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lines = make_project(root, copies)
        _, files, _ = collect([str(root)])
        sources = [(str(f), f.read_text()) for f in files]
        started, cpu = time.perf_counter(), time.process_time()
        for path, source in sources:
            review_source(source, filename=path)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time is what one core spends; wall time also counts waiting for a core on a busy machine.
    return {"files": len(sources), "lines": lines, "seconds": elapsed, "lines_per_second_one_core": lines / elapsed,
            "lines_per_cpu_second": lines / cpu}


async def tool_latency(rounds: int = 20) -> dict[str, tuple[float, float]]:
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        for tool, args in LATENCY_MIX:
            started = time.perf_counter()
            await call_inprocess(tool, args)
            samples.setdefault(tool, []).append((time.perf_counter() - started) * 1000)
    return {tool: (statistics.median(v), sorted(v)[int(0.95 * (len(v) - 1))]) for tool, v in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=12, help="copies of the pattern catalogue in the project")
    parser.add_argument("--runs", type=int, default=5, help="cold starts per server")
    args = parser.parse_args()
    figures = anyio.run(startup_figures, args.runs)
    print(f"cold start to first answered call over stdio: ours {figures['cold_start_s']:.3f} s, bare MCPServer "
          f"{figures['bare_cold_start_s']:.3f} s, ratio {figures['cold_start_ratio']:.3f}")
    print(f"warm call over stdio: search_guidance {figures['warm_search_ms']:.2f} ms, bare echo "
          f"{figures['bare_echo_ms']:.2f} ms, ratio {figures['warm_ratio']:.2f}")
    for tool, (p50, p95) in anyio.run(tool_latency).items():
        print(f"in-process {tool}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    review = review_throughput(args.copies)
    print(f"review: {review['files']} files, {review['lines']} lines in {review['seconds']:.2f} s on one core = "
          f"{review['lines_per_second_one_core']:.0f} lines/s ({review['lines_per_cpu_second']:.0f} per CPU second)")
    print("worst-case inputs at the size cap: benchmarks/worst_case.py")


if __name__ == "__main__":
    main()
