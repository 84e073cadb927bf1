"""Edit-hook figures (a benchmark, not a test): the wall and CPU time of one cold `liveview-skill hook
post-tool-use` process, as Claude Code runs it after an edit, for a typical LiveView of about 200 lines
(benchmarks/data/typical_live.ex) in a temp Mix project; the same file with one finding (the exit-2 path);
a README (the early exit); and, beside them, a bare `python -c pass` and the CLI's import alone.

Every run is a new process. Python's bytecode cache matters: with PYTHONDONTWRITEBYTECODE set (as on some
CI and agent machines) every start compiles the package's modules again; a normal install has them cached.
Both are measured (the first by deleting this checkout's skill_server/**/__pycache__, which Python
rewrites). Medians of --runs runs (the machine may be shared: read the spread too).

    .venv/bin/python benchmarks/edit_hook.py [--runs 15] [--file PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TYPICAL = REPO / "benchmarks/data/typical_live.ex"
CLI = Path(sys.executable).parent / "liveview-skill"
LOCK = '%{\n  "phoenix_live_view": {:hex, :phoenix_live_view, "1.0.17", "abc", [:mix], [], "hexpm", "def"},\n}\n'


def make_project(root: Path, source: str) -> dict[str, Path]:
    """A Mix project holding the LiveView, the same LiveView with a hook element missing its id, and a README."""
    (root / "mix.exs").write_text("defmodule Shop.MixProject do\n  use Mix.Project\nend\n")
    (root / "mix.lock").write_text(LOCK)
    live = root / "lib/shop_web/live/order_live"
    live.mkdir(parents=True)
    files = {"clean": live / "index.ex", "finding": live / "index_with_finding.ex", "readme": root / "README.md"}
    files["clean"].write_text(source)
    files["finding"].write_text(source.replace('<table id="orders">', '<div phx-hook="Chart"></div>\n    <table id="orders">'))
    files["readme"].write_text("# Shop\n")
    return files


def payload(path: Path, root: Path) -> str:
    return json.dumps({
        "session_id": "bench", "transcript_path": str(root / "transcript.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PostToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": str(path), "old_string": "a", "new_string": "b", "replace_all": False},
        "tool_response": {"filePath": str(path), "success": True}, "tool_use_id": "toolu_bench",
    })


def timed(argv: list[str], stdin: str, env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """(wall ms, CPU ms of the child, exit code) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu, done.returncode


def measure(name: str, argv: list[str], stdin: str, env: dict[str, str], cwd: Path, runs: int) -> None:
    timed(argv, stdin, env, cwd)  # once first: the OS file cache (and, when allowed, the bytecode cache)
    samples = [timed(argv, stdin, env, cwd) for _ in range(runs)]
    walls, cpus, codes = zip(*samples)
    print(f"  {name:<34} wall median {statistics.median(walls):6.0f} ms (min {min(walls):4.0f}, max {max(walls):5.0f})"
          f"   cpu median {statistics.median(cpus):5.0f} ms   exit {sorted(set(codes))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", type=Path, default=TYPICAL, help="the LiveView to review (default: the typical one)")
    args = parser.parse_args()
    source = args.file.read_text()
    load = os.getloadavg()
    print(f"edit hook, cold process per run, {args.runs} runs; {source.count(chr(10))}-line LiveView "
          f"({args.file.name}); load average {load[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = make_project(root, source)
        hook = [str(CLI), "hook", "post-tool-use"]
        for cache in ("without bytecode cache", "with bytecode cache"):
            env = dict(os.environ, CLAUDE_PROJECT_DIR=str(root))
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            if cache.startswith("without"):  # the package's own modules compiled on every start, the rest cached
                env["PYTHONDONTWRITEBYTECODE"] = "1"
                for folder in (REPO / "skill_server").rglob("__pycache__"):
                    shutil.rmtree(folder)
            print(f" {cache}:")
            measure("python -c pass", [sys.executable, "-c", "pass"], "", env, root, args.runs)
            measure("import skill_server.cli", [sys.executable, "-c", "import skill_server.cli"], "", env, root,
                    args.runs)
            measure("hook: README (not LiveView)", hook, payload(files["readme"], root), env, root, args.runs)
            measure("hook: typical LiveView, clean", hook, payload(files["clean"], root), env, root, args.runs)
            measure("hook: same with a finding", hook, payload(files["finding"], root), env, root, args.runs)
            measure("launcher: typical LiveView, clean", [str(REPO / "liveview-skill"), "hook", "post-tool-use"],
                    payload(files["clean"], root), env, root, args.runs)


if __name__ == "__main__":
    main()
