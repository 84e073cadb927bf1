#!/usr/bin/env python3
"""Measures the weak-hit flag of search_guidance on JSON Lines sets of questions (limit 3, as the eval suites).

Each line is a case with at least {"id", "question"} (and "liveview_version" when the asker stated one). For a set
of questions the knowledge does not cover the flag should be set; for questions it answers it should not. Prints
each file's weak rate with its scope mix (liveview / other / plain, see skill_server/knowledge/coverage.py), then,
with --list, the cases flagged (or, with --expect weak, the cases not flagged) with their hits' coverage.

With --ranks (sets of answered questions with must_contain terms, as measure_retrieval.py reads) it also splits the
flags by whether a hit among the first 3 answers the case: a flag on an answered case throws a right answer away, a
flag on a missed one is welcome.

Usage: .venv/bin/python evals/scripts/measure_weak.py [--expect weak|answered] [--list] [--ranks] PATH.jsonl..."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from skill_server.engine import search_guidance  # noqa: E402
from skill_server.errors import InputError  # noqa: E402
from skill_server.knowledge.coverage import read_question  # noqa: E402
from skill_server.knowledge.index import load_index  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure_retrieval import answers_case  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--expect", choices=("weak", "answered"), default="answered")
    parser.add_argument("--list", action="store_true", help="list the cases that go against --expect")
    parser.add_argument("--ranks", action="store_true", help="split the flags by answered (top 3) or missed")
    args = parser.parse_args(argv)
    index = load_index()
    for path in args.paths:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if not cases:
            print(f"{path}: no cases", file=sys.stderr)
            return 2
        weak, scopes, odd, split = 0, Counter(), [], Counter()
        for case in cases:
            try:
                result = search_guidance(case["question"], limit=3, liveview_version=case.get("liveview_version"))
            except InputError:  # a version older than the knowledge covers: ask without it
                result = search_guidance(case["question"], limit=3)
            weak += result.weak
            if args.ranks:
                answered = any(answers_case(hit.text, case) for hit in result.hits)
                split[("answered" if answered else "missed", result.weak)] += 1
            scopes[read_question(case["question"], index.idf, index.names).scope] += 1
            if result.weak != (args.expect == "weak"):
                hits = ", ".join(f"{hit.id} ({hit.coverage})" for hit in result.hits)
                odd.append(f"  {case['id']}  {case['question'][:90]}  -> {hits}")
        print(f"{path}: weak {weak}/{len(cases)} = {weak / len(cases):.3f}  scopes {dict(sorted(scopes.items()))}")
        if args.ranks:
            for outcome in ("answered", "missed"):
                flagged, total = split[(outcome, True)], split[(outcome, True)] + split[(outcome, False)]
                print(f"  flagged among {outcome} (top 3): {flagged}/{total}"
                      + (f" = {flagged / total:.3f}" if total else ""))
        if args.list:
            print("\n".join(odd))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
