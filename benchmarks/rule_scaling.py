"""How each rule's time grows with hostile input (a benchmark, not a test): every worst-case input of
worst_case.py is built at two sizes, and every rule that applies is timed alone on each (the parse and the
shared context are built first and not counted; CPU time, so a busy machine does not distort it). A rule whose time grows much faster than the input
(more than GROWTH_LIMIT times for a SIZE_FACTOR times larger input, and above NOISE_S) is listed as
super-linear; a rule that does not finish within the child's wall limit is named too. An input over the review's
shape limits (bounds.py: syntax nodes, nesting depth) reaches no rule in a review, and is reported as refused.

    .venv/bin/python benchmarks/rule_scaling.py [--size 50000] [--timeout 120] [--only CASE] [--all]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from worst_case import cases  # noqa: E402

SIZE_FACTOR = 4
GROWTH_LIMIT = 8.0  # a linear rule grows about 4x, a quadratic one 16x
NOISE_S = 0.05  # below this at the larger size, growth is timer noise


def child(name: str, size: int) -> None:
    """Times every applicable rule on one input; one JSON line per rule, flushed, so a killed child still
    says which rule it was in."""
    from skill_server.review.bounds import TooLarge, check_tree
    from skill_server.review.context import ReviewContext
    from skill_server.review.engine import planned_rules, prepare
    from skill_server.versions import resolve

    filename, code = cases(size)[name]
    job = prepare(code, filename=filename or None, strict=True)
    target = resolve(None)
    ctx = ReviewContext(job.code, job.filename, job.language, target.version)
    try:  # as a review does (bounds.py): a tree over the shape limits reaches no rule
        check_tree(ctx.tree.root_node, "the code")
        units = ctx.units()
        for unit in units:  # the shared, cached views every rule reads: built once, not charged to a rule
            _ = unit.templates, unit.nodes, unit.module, unit.text.lines
    except TooLarge as exc:
        print(json.dumps({"refused": str(exc)}), flush=True)
        return
    for loaded in planned_rules(job):
        print(json.dumps({"start": loaded.rule.slug}), flush=True)
        started = time.process_time()
        hits = sum(1 for unit in units for _ in loaded.check(unit))
        print(json.dumps({"rule": loaded.rule.slug, "seconds": time.process_time() - started, "hits": hits}),
              flush=True)


def measure(name: str, size: int, timeout: float) -> tuple[dict[str, float], str | None]:
    """rule -> seconds, and the rule still running when the wall limit ended the child (or None)."""
    try:
        done = subprocess.run([sys.executable, __file__, "--child", name, "--size", str(size)],
                              capture_output=True, text=True, timeout=timeout)
        out, stuck = done.stdout, None
        if done.returncode != 0:
            stuck = "failed: " + ((done.stderr.strip().splitlines() or ["?"])[-1])[:120]
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"").decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        stuck = "timeout"
    times, running = {}, None
    for line in out.splitlines():
        row = json.loads(line)
        if "refused" in row:
            return {}, "refused by the shape limits (not a problem): " + row["refused"][:80]
        if "start" in row:
            running = row["start"]
        else:
            times[row["rule"]] = row["seconds"]
            running = None
    if stuck == "timeout":
        stuck = f"did not finish within {timeout:g} s in {running}"
    return times, stuck


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=50_000, help="bytes of the smaller input")
    parser.add_argument("--timeout", type=float, default=120.0, help="wall seconds per input and size")
    parser.add_argument("--only", action="append", help="only these inputs (repeat)")
    parser.add_argument("--all", action="store_true", help="print every input's slowest rule, not only problems")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.size)
        return
    big = args.size * SIZE_FACTOR
    print(f"each rule alone on each worst-case input at {args.size:,} and {big:,} bytes "
          f"(flagged: grows more than {GROWTH_LIMIT:g}x and takes over {NOISE_S:g} s at the larger size)")
    flagged = 0
    for name in cases(256):
        if args.only and name not in args.only:
            continue
        small, stuck_small = measure(name, args.size, args.timeout)
        large, stuck_large = measure(name, big, args.timeout)
        for stuck, size in ((stuck_small, args.size), (stuck_large, big)):
            if stuck:
                flagged += not stuck.startswith("refused")
                print(f"{name:28} {size:>9,} B  {stuck}")
        slowest = max(large.items(), key=lambda item: item[1], default=("-", 0.0))
        for rule, seconds in sorted(large.items()):
            before = small.get(rule)
            if before is not None and seconds > NOISE_S and seconds / max(before, 1e-4) > GROWTH_LIMIT:
                flagged += 1
                print(f"{name:28} {rule:40} {before:7.3f} s -> {seconds:7.3f} s  (x{seconds / max(before, 1e-4):.1f})")
        if args.all:
            total = sum(large.values())
            print(f"{name:28} all rules {total:7.2f} s at {big:,} B; slowest {slowest[0]} {slowest[1]:.2f} s")
    print(f"{flagged} super-linear or unfinished rule runs")


if __name__ == "__main__":
    main()
