"""The few override conditions the TOML vocabulary cannot say, each a named function an override refers to
(`test = "<name>"`: whether the request meets it; `where = "<name>"`: given the request, which hits to drop)."""

from __future__ import annotations

import re

from ...matching import lexicon
from .. import cues

SENTENCE_RUN = re.compile(r"[^.!?:\n]+")


def asks_in_a_question(view) -> str | None:
    """A sentence ending in '?' that one of the question cue's patterns matches, or that one of its phrases opens
    (within its first 3 words): 'How do I stream a list?', 'why does handle_event never fire?'. Runs of text
    between stops are found once and kept when a '?' follows (a search for text-then-'?' would rescan a long run
    without one from every position in it)."""
    question = cues.cue("question")
    sentences = [m.group() + "?" for m in SENTENCE_RUN.finditer(view.text) if view.text.startswith("?", m.end())]
    return next((f"cue question ({s.strip()!r})" for s in sentences
                 if any(not h.is_phrase for h in question.found(s))
                 or any(start <= 2 for start, _, _ in lexicon.spans(question.phrases, lexicon.tokens(s)[:6]))), None)


def fades_as_a_notice(view):
    """Which hits are a notice ending: they overlap words of disappearing and their sentence names a notice. When
    a notice is on a clock (cue self_timed) any notice in the sentence is the one that ends; otherwise only a
    delete whose words are the notice going ('vanish', 'fade', 'go away') after the notice is named."""
    fading, notices, timed = view.cue("disappear"), view.cue("notice"), bool(view.cue("self_timed"))

    def fades(hit) -> bool:
        ends = [f for f in fading if f.start < hit.end and hit.start < f.end]
        named = [n for n in notices if view.sentence(n.start) == view.sentence(hit.start)]
        if timed:
            return bool(ends and named)
        return hit.concept == "delete" and any(view.text[f.start:f.end].lower().startswith(
            ("disappear", "vanish", "go", "fade")) for f in ends) and any(n.start <= hit.start for n in named)

    return fades
