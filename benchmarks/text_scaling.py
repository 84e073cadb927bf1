"""Time of every text-taking tool on repeated cue words and pathological text at two sizes, and the ratio.

A ratio near 2 (the size ratio) is linear; near 4 is quadratic. Run: `.venv/bin/python benchmarks/text_scaling.py`
(prints one line per tool and shape; names the shapes whose time grows faster than their input). Tests check
the same inputs give complete answers (tests/test_text_scaling.py); times are measured here only."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skill_server import engine  # noqa: E402
from skill_server.clarify.decide import MAX_REQUEST_CHARS  # noqa: E402
from skill_server.knowledge.search import MAX_QUERY_CHARS  # noqa: E402

# Units repeated to fill the text: cue words, quoted labels, conditions, questions without a '?', parentheses.
SHAPES = {
    "delete": "delete ",
    "not delete": "not delete ",
    "cue mix": "delete stream row instant optimistic ",
    "quoted control": 'the "Delete" button, ',
    "participle": "( deleted ) ",
    "condition": "log a warning when a member removes ",
    "question run": "how does the reorder toggle work ",
    "punctuation": "?!.;:,( ",
    "nested map": "%{a: ",  # nesting pasted as text (audit 2, E3): maps, brackets, tags, fns
    "nested brackets": "([{",
    "nested tags": "<div>",
    "nested fns": "fn -> ",
}
SIZE_RATIO = 2


def text_tools(size: int):
    """(tool name, call) for each text tool, for a text of about `size` characters (within its limit)."""
    return {
        "clarify_request": lambda text: engine.clarify_request(text[:min(size, MAX_REQUEST_CHARS)]),
        "recommend_patterns": lambda text: engine.recommend_patterns(text[:min(size, MAX_REQUEST_CHARS)]),
        "search_guidance": lambda text: engine.search_guidance(text[:min(size, MAX_QUERY_CHARS)]),
        "lookup_api": lambda text: engine.lookup_api([text[:200]] * 50),
        "generate_snippet": lambda text: _snippet(text[:size]),
    }


def _snippet(text: str):
    from skill_server.errors import InputError
    try:
        return engine.generate_snippet("stream_list", {"resource": text})
    except InputError:
        return None  # refused as a parameter: the refusal is what is timed


def timed(call, text: str) -> float:
    start = time.perf_counter()
    call(text)
    return time.perf_counter() - start


def main() -> None:
    small = MAX_REQUEST_CHARS // SIZE_RATIO
    engine.clarify_request("warm up")
    engine.search_guidance("warm up")
    worst = []
    for shape, unit in SHAPES.items():
        text = unit * (MAX_REQUEST_CHARS // len(unit) + 1)
        for tool, call in text_tools(small).items():
            big_call = text_tools(MAX_REQUEST_CHARS)[tool]
            a, b = timed(call, text), timed(big_call, text)
            ratio = b / a if a > 0.005 else float("nan")
            print(f"{tool:20} {shape:15} {small:6} chars {a * 1000:8.1f} ms   {MAX_REQUEST_CHARS:6} chars "
                  f"{b * 1000:8.1f} ms   ratio {ratio:5.2f}")
            if ratio > SIZE_RATIO * 1.6:
                worst.append(f"{tool} on {shape!r} (x{ratio:.1f} for x{SIZE_RATIO} input)")
    print("grows faster than its input: " + ("; ".join(worst) if worst else "none"))


if __name__ == "__main__":
    main()
