#!/usr/bin/env python3
"""Measures search_guidance on a JSON Lines set of questions with expected terms.

Each line is a case: {"id", "question", "topic", "must_contain": [...], "must_contain_any": [[...], ...],
"liveview_version": str | null}. A case counts as found at k when one of the first k hits holds every
`must_contain` term and at least one term of each `must_contain_any` group in its text (case-insensitive).
Prints overall and per-topic top-3 and top-5 rates, then the cases not found in the top 5.

Usage: .venv/bin/python evals/scripts/measure_retrieval.py PATH.jsonl"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from skill_server.engine import search_guidance  # noqa: E402
from skill_server.errors import InputError  # noqa: E402

CUTOFFS = (3, 5)


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def answers_case(text: str, case: dict) -> bool:
    lowered = text.lower()
    if not all(term.lower() in lowered for term in case.get("must_contain", [])):
        return False
    return all(any(term.lower() in lowered for term in group) for group in case.get("must_contain_any", []))


def first_answering_rank(case: dict) -> int | None:
    """1-based rank of the first hit that answers the case, or None when no hit among max(CUTOFFS) does."""
    try:
        result = search_guidance(case["question"], limit=max(CUTOFFS), liveview_version=case.get("liveview_version"))
    except InputError as error:  # a version the knowledge does not cover: ask as a user who leaves it out would
        print(f"  {case['id']}: {error}; measured without the version", file=sys.stderr)
        result = search_guidance(case["question"], limit=max(CUTOFFS))
    for rank, hit in enumerate(result.hits, start=1):
        if answers_case(hit.text, case):
            return rank
    return None


def rate(ranks: list[int | None], cutoff: int) -> str:
    found = sum(1 for rank in ranks if rank is not None and rank <= cutoff)
    return f"{found}/{len(ranks)} ({100 * found / len(ranks):.0f}%)"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    cases = load_cases(Path(argv[0]))
    if not cases:
        print("no cases in the file", file=sys.stderr)
        return 2
    ranks = {case["id"]: first_answering_rank(case) for case in cases}
    by_topic: dict[str, list[int | None]] = defaultdict(list)
    for case in cases:
        by_topic[case.get("topic", "-")].append(ranks[case["id"]])
    all_ranks = list(ranks.values())
    print(f"overall  top-3 {rate(all_ranks, 3)}  top-5 {rate(all_ranks, 5)}")
    for topic in sorted(by_topic):
        print(f"  {topic:<18} n={len(by_topic[topic]):<3} top-3 {rate(by_topic[topic], 3):<12} "
              f"top-5 {rate(by_topic[topic], 5)}")
    print("not in top 3:")
    for case in cases:
        rank = ranks[case["id"]]
        if rank is None or rank > 3:
            print(f"  {case['id']}  [{case.get('topic', '-')}]  rank={rank or '>5'}  {case['question'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
