"""Worst-case review inputs at the size cap (a benchmark, not a test): each pathological input the security
audit found (and its relatives) is reviewed in-process in its own child process, under an address-space
cap and a wall-time limit, and the time, the child's peak memory and whether the review finished are
printed. The throughput benchmark (run.py) shows the common case; this shows the ceiling.

    .venv/bin/python benchmarks/worst_case.py [--size 2097152] [--timeout 60] [--memory-mb 3072] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def repeat(piece: str, size: int, head: str = "", tail: str = "") -> str:
    return head + piece * max(1, (size - len(head) - len(tail)) // len(piece)) + tail


def cases(size: int) -> dict[str, tuple[str, str]]:
    """name -> (filename, code), each at most `size` bytes."""
    many_h = "defmodule A do\n  use MyAppWeb, :live_view\n"
    return {
        "raw( flood": ("a.ex", repeat("raw(", size)),
        "raw(@c.body) lines": ("a.ex", repeat("raw(@c.body)\n", size)),
        "JS.push( nested": ("a.heex", repeat("JS.push(", size, "<button phx-click={", "}>x</button>")),
        "when flood": ("a.ex", repeat("when ", size, "defmodule A do\n def handle_event(e, p, s) when ",
                                      "\n do String.to_atom(e) end\nend\n")),
        "CSS a: b": ("a.css", repeat("a: b ", size)),
        "CSS transition": ("a.css", repeat("transition: a ", size)),
        "< in a button": ("a.heex", repeat("< ", size, "<button>", "</button>")),
        "nested buttons": ("a.heex", repeat("<button>", size)),
        "CR-only lines": ("a.heex", repeat('<div phx-click="x">\r', size)),
        "many ~H clauses": ("a.ex", repeat('  def r(assigns), do: ~H"<div phx-hook=\\"H\\"></div>"\n', size,
                                           many_h, "end\n")),
        "unused suppressions": ("a.ex", repeat("# lvr:disable-next-line x\n", size)),
        "empty modules": ("a.ex", repeat("defmodule A do end\n", size)),
        "nested modules": ("a.ex", repeat("defmodule A do\n", size)),
        "( flood": ("", repeat("(", size)),
        "{ flood heex": ("a.heex", repeat("{", size)),
        "< flood heex": ("a.heex", repeat("<", size)),
        "nested divs": ("a.heex", repeat("<div>", size)),
        "nested tuples": ("a.ex", repeat("{", size // 2, "defmodule A do\n def f, do: ") + "}" * (size // 2 - 40)),
        "~H nested divs": ("a.ex", repeat("<div>", size, 'defmodule A do\n def render(assigns), do: ~H"""\n',
                                          '\n"""\nend\n')),
        "phx-hook lines": ("a.heex", repeat('<div phx-hook="H"></div>\n', size)),
        "secret lines": ("a.heex", repeat("{@api_token}\n", size)),
        "handle_event clauses": ("a.ex", repeat('  def handle_event("e", %{"id" => id}, s), do: {:noreply, s}\n',
                                               size, many_h, "end\n")),
        "sniff a{:": ("notes.txt", repeat("a{:", size)),
        "sniff newlines": ("notes.txt", repeat("\n", size, "", "x")),
        "transition args": ("a.ex", repeat('JS.transition("duration-300", time: 300) |> ', size)),
    }


def run_one(filename: str, code: str) -> dict:
    """In the child: review, report time and peak memory."""
    from skill_server.review.engine import review_source

    started = time.perf_counter()
    result = review_source(code, filename=filename or None, strict=True)
    return {"seconds": time.perf_counter() - started, "findings": len(result.findings),
            "complete": result.complete, "notes": len(result.notes),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def child(name: str, size: int) -> None:
    filename, code = cases(size)[name]
    print(json.dumps(run_one(filename, code)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2 * 1024 * 1024 - 1024, help="bytes per input (the cap is 2 MiB)")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall seconds per case")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space cap per case")
    parser.add_argument("--budget", type=float, default=1e9, help="the review's own time budget (default: none)")
    parser.add_argument("--only", action="append", help="run only these cases (repeat)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.size)
        return
    env = dict(os.environ, LIVEVIEW_SKILL_REVIEW_BUDGET_S=str(args.budget), PYTHONPATH=str(REPO))
    cap = args.memory_mb * 1024 * 1024
    print(f"worst-case review inputs of {args.size:,} bytes, strict, one child each "
          f"(address space <= {args.memory_mb} MB, wall <= {args.timeout:g} s)")
    for name in cases(256):
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--size", str(args.size), "--child", name], capture_output=True, text=True,
                timeout=args.timeout, env=env,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)),
            )
        except subprocess.TimeoutExpired:
            print(f"{name:24} did not finish within {args.timeout:g} s")
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:24} failed after {time.perf_counter() - started:.1f} s: {last[:120]}")
            continue
        row = json.loads(done.stdout)
        print(f"{name:24} {row['seconds']:6.2f} s  peak {row['peak_mb']:5d} MB  findings {row['findings']:6d}  "
              f"{'complete' if row['complete'] else 'partial'}")


if __name__ == "__main__":
    main()
