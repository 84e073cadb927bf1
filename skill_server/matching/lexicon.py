"""Concept phrases: the many everyday ways a request says "delete", "put it back" or "only I edit it".

Concept files (`concepts/`, read by `cues.py`) list plain phrases ("trash can", "kick * out", "snap back") and traps
(phrases that look like the concept but are not: "remove the spinner"). Text and phrases are compared as
crude word stems, so "deleting", "deletes" and "deleted" all meet "delete"; articles and possessives are
left out of phrases and may sit between a phrase's words in the text ("cancel their booking" meets "cancel
a booking"); `*` in a phrase stands for one to four words of any kind; no phrase spans a sentence end."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_ENDS = frozenset(".;!?")
WORD = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?|[.;!?](?=\s|$)")  # sentence ends are tokens, so no phrase spans them


def stem(word: str) -> str:
    """A crude stem that maps a word's common English inflections to one form."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if len(w) <= 3:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith(("ss", "us", "is")):
                w = w[: -len(suffix)]
                break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsaeiou":
        w = w[:-1]  # dropp(ing) -> drop, pinn(ed) -> pin
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # delete -> delet, so that deleting and deleted meet it
    return w


ARTICLES = frozenset(stem(w) for w in ("a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "each",
                                        "every", "some", "any"))
FILLERS = ARTICLES | {stem(w) for w in ("this", "that", "these", "those", "one", "it", "them")}  # may sit between words


@dataclass(frozen=True)
class Token:
    stem: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(stem(m.group()), m.start(), m.end()) for m in WORD.finditer(text.lower())]


Phrase = tuple[str, ...]


def _phrase(text: str) -> Phrase:
    """A phrase as word stems; its articles and possessives are dropped, since the text may use others (its
    pronouns stay: 'how is it that' is not 'how is')."""
    parts = ("*" if part == "*" else stem(part) for part in re.findall(r"\*|[a-z0-9_]+(?:'[a-z]+)?", text.lower()))
    return tuple(part for part in parts if part not in ARTICLES)


Phrases = dict[str, tuple[tuple[Phrase, str], ...]]  # first stem -> (phrase, as written)


def by_first_word(phrases: list[str]) -> Phrases:
    """Phrases as word stems, indexed by their first stem, each with its written form."""
    index: dict[str, list[tuple[Phrase, str]]] = {}
    for text in phrases:
        phrase = _phrase(text)
        index.setdefault(phrase[0], []).append((phrase, text))
    return {first: tuple(group) for first, group in index.items()}


def _match_at(phrase: Phrase, toks: list[Token], i: int) -> int | None:
    """The token index just after `phrase` if it matches from token i, else None."""
    j, gap = i, False
    for n, part in enumerate(phrase):
        if part == "*":
            gap = True
            continue
        if gap:  # one to four words of any kind, then this part
            for k in range(j + 1, min(j + 5, len(toks))):
                if toks[k - 1].stem in SENTENCE_ENDS:
                    return None
                if toks[k].stem == part:
                    j = k + 1
                    break
            else:
                return None
            gap = False
            continue
        while n > 0 and j < len(toks) and toks[j].stem != part and toks[j].stem in FILLERS:
            j += 1
        if j >= len(toks) or toks[j].stem != part:
            return None
        j += 1
    return j


def spans(phrases: Phrases, toks: list[Token]) -> list[tuple[int, int, str]]:
    """Token spans (start, end, phrase as written) where any of the phrases matches."""
    found = []
    for i, token in enumerate(toks):
        for phrase, text in phrases.get(token.stem, ()):
            end = _match_at(phrase, toks, i)
            if end is not None:
                found.append((i, end, text))
    return found
