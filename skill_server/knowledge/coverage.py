"""Does a search hit answer the question, or only share its common words? Term coverage over the question's
informative terms.

The question is split into terms the way the index tokenizes text: API names (`Ecto.Multi`, `stream_insert/4`,
`phx-click`, `@myself`, CamelCase names) and proper nouns mid-sentence (`Oban`, `Docker`) count double; plain words
count by their rarity in the knowledge, capped, because in a corpus this small a rare plain word ("example",
"typed") says little about the topic; words the knowledge never uses count little (typos, other languages),
unless they are names (capitalized words the knowledge never uses). A hit covers a term when it contains one of the term's forms. A hit whose coverage is
under WEAK_BELOW is weak: it matched the question's common words, not what it is about. Nothing here knows which
topics the knowledge covers, so new documents change the answer by themselves.

Tuned on evals/uncovered.jsonl (questions outside LiveView) against evals/retrieval.jsonl (questions the knowledge
answers); measured by the `coverage` eval suite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import in_english
from .tokenizer import PREDICATES, STOP_WORDS, TOKEN_RE, _is_compound, stem

NAME_WEIGHT = 2.0  # an API name or a proper noun: what a technical question is about
WORD_CAP = 2.0  # a plain word's weight is its idf, capped here
UNKNOWN_WORD = 0.3  # a plain word the knowledge never uses: a typo, another language, or a topic word
WEAK_BELOW = 0.5


@dataclass(frozen=True)
class Term:
    text: str  # as written in the question
    forms: frozenset[str]  # index tokens that count as the term being present
    weight: float
    is_name: bool
    known: bool  # the knowledge uses it somewhere


def question_terms(query: str, idf: dict[str, float]) -> list[Term]:
    """The question's informative terms (stop words and numbers left out), each once, with their weights."""
    english = in_english(query)
    text = f"{query} {english}"
    # A capitalized word the knowledge never uses is a name (Oban, Docker), even first in a sentence, where plain
    # English would be a word the knowledge knows; not so in another language, whose everyday words it lacks.
    english_question = not english
    ceiling = max(idf.values(), default=1.0)
    terms: dict[str, Term] = {}
    for match in TOKEN_RE.finditer(text):
        raw = match.group(0)
        if raw[-1] in "?!" and raw.lower() not in PREDICATES and "_" not in raw:
            raw = raw[:-1]
        lowered = raw.lower()
        if re.fullmatch(r":[a-z]+", lowered):
            raw, lowered = raw[1:], lowered[1:]  # a bare atom (:ok, :error) is a value, read as a word
        if _is_compound(raw) or re.fullmatch(r"[A-Z][a-z0-9]*[A-Z]\w*", raw):
            bare = lowered.lstrip("@:").split("/")[0]
            segments = bare.split(".")
            forms = {lowered, bare, ".".join(segments[-2:])}
            if re.search(r"[_?!]", segments[-1]):
                forms.add(segments[-1])  # MyAppWeb.PostLive.handle_async: the function name alone is specific
            forms = frozenset(forms)  # but Repo.insert is not `insert`, nor assets.deploy `deploy`
            known = [idf[f] for f in forms if f in idf]
            terms.setdefault(bare, Term(raw, forms, NAME_WEIGHT * (max(known) if known else ceiling), True,
                                        bool(known)))
            continue
        if lowered in STOP_WORDS or lowered.isdigit():
            continue
        token = stem(lowered)
        if token in idf:
            terms.setdefault(token, Term(raw, frozenset({token}), min(idf[token], WORD_CAP), False, True))
        elif raw[0].isupper() and (english_question or _mid_sentence(text, match.start())):
            terms.setdefault(token, Term(raw, frozenset({token}), NAME_WEIGHT * ceiling, True, False))
        else:
            terms.setdefault(token, Term(raw, frozenset({token}), UNKNOWN_WORD, False, False))
    return list(terms.values())


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".?!:"


def coverage(terms: list[Term], tokens: set[str]) -> float:
    """Share of the question's term weight that a hit (its index tokens) contains; 1.0 for a question of no terms."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if t.forms & tokens) / total if total else 1.0


def missing(terms: list[Term], tokens: set[str]) -> list[Term]:
    """The question's terms a hit lacks, heaviest first."""
    return sorted((t for t in terms if not t.forms & tokens), key=lambda t: -t.weight)
