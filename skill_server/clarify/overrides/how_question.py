"""## What it does
Clears everything in a request that asks how something works or why code misbehaves ("handle_event never fires,
what am I missing?"), or whose kind is no feature build (cue not_a_feature: a fix, docs, a scheduled job...).

## Why
Neither has a code decision open, and the learned model is ruled out so it cannot ask either. A question that
also says "implement", "build" or "add" is a request, and keeps its questions."""

import re

from ...matching import lexicon
from .. import cues
from . import Override

SENTENCE_RUN = re.compile(r"[^.!?:\n]+")
OVERRIDE = Override("how_question", drops=("all",), scope="request")


def _questions(text: str) -> list[str]:
    """The sentences ending in '?', each with its '?'. Runs of text between stops are found once and kept when a
    '?' follows (a search for text-then-'?' would rescan a long run without one from every position in it)."""
    return [m.group() + "?" for m in SENTENCE_RUN.finditer(text) if text.startswith("?", m.end())]


def apply(view):
    if view.cue("vague"):
        return view
    found = next((f"cue {name}" for name in ("explain", "debug", "not_a_feature") if view.cue(name)), None)
    if not found and cues.cue("compare").found(view.request):
        found = "cue compare"
    if not found and not view.cue("build"):
        question = cues.cue("question")  # a question sentence: its patterns, or its phrases in the first 3 words
        found = next((f"cue question ({s.strip()!r})" for s in _questions(view.text)
                      if any(not h.is_phrase for h in question.found(s))
                      or any(start <= 2 for start, _, _ in lexicon.spans(question.phrases, lexicon.tokens(s)[:6]))),
                     None)
    return view.note(OVERRIDE, f"clears all: asks no code decision, {found}", found=(), stated={},
                     explanation=True).rule_out(OVERRIDE, f"no feature to design, {found}") if found else view
