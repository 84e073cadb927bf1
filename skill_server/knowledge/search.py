"""search_guidance: ranked knowledge chunks for a question, aware of the LiveView version asked about."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..models import SearchHit, SearchResult
from ..versions import resolve, version_in_range
from .coverage import coverage, missing, quoted_runs, quotes, read_question
from .index import load_index
from .languages import in_english
from .tokenizer import tokenize

MAX_QUERY_CHARS = 4000
MAX_LIMIT = 20
# A chunk that needs a newer release (or was removed before the asked one) keeps this share of its score.
OUT_OF_VERSION_FACTOR = 0.6
# A name as code writes it: `stream_async`, `phx-viewport-top`, `push_patch` (not a plain word).
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+[?!]?|\bphx-[a-z-]+")
# Hits scoring under this share of the best hit are noise (a stray common word), not answers.
RELATIVE_FLOOR = 0.05
EXPANSION_WEIGHT = 1
QUERY_WEIGHT = 2


@lru_cache(maxsize=1)
def synonyms() -> list[tuple[re.Pattern, list[str]]]:
    data = tomllib.loads((Path(__file__).with_name("synonyms.toml")).read_text(encoding="utf-8"))
    return [
        (re.compile(r"(?<![\w-])" + re.escape(phrase.lower()) + r"(?![\w-])"), terms)
        for phrase, terms in data["expand"].items()
    ]


def query_tokens(query: str) -> list[str]:
    """The query's own tokens (weighted higher, with the English of any Spanish, Portuguese, French or
    German everyday words) plus the terms its everyday words stand for."""
    english = in_english(query)
    tokens = tokenize(f"{query} {english}") * QUERY_WEIGHT
    lowered = f"{query} {english}".lower()
    for pattern, terms in synonyms():
        if pattern.search(lowered):
            for term in terms:
                tokens += tokenize(term) * EXPANSION_WEIGHT
    return tokens


def validate_query(query: object, limit: object) -> tuple[str, int]:
    if not isinstance(query, str):
        raise InputError("query must be a string: a question or keywords, e.g. \"loading state on another element\"")
    if "\x00" in query:
        raise InputError("query contains a NUL byte; send plain text")
    if not query.strip():
        raise InputError("query is empty; send a question or keywords, e.g. \"how do I debounce a search input\"")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(
            f"query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}. Send the question, not a whole "
            "file (use review_code to review code)"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return query.strip(), limit


def search(query: str, limit: int = 5, liveview_version: str | None = None, roots=None) -> SearchResult:
    query, limit = validate_query(query, limit)
    target = resolve(liveview_version)
    notes = [target.note] if target.note else []
    tokens = query_tokens(query)
    if not tokens:
        notes.append("The query has no searchable words (only stop words or symbols); add the API or the problem.")
        return SearchResult(query=query, liveview_version=target.label, hits=[], notes=notes)
    index = load_index(roots)
    scores = index.scores(tokens)
    ranked = []
    named = set(CODE_NAME.findall(query.lower()))
    for position, (chunk, score) in enumerate(zip(index.chunks, scores, strict=True)):
        if score <= 0:
            continue
        note = None
        if not version_in_range(target.version, chunk.since, chunk.until):
            if chunk.since and not version_in_range(target.version, chunk.since, None):
                note = f"Needs LiveView {chunk.since} or newer; you asked about {target.label}."
                # A question that names an API the asked version lacks is answered by the section named for it,
                # with this note: only other newer sections give way to those of the asked version.
                if not target.lacks_only_a_patch(chunk.since) and not named & set(CODE_NAME.findall(chunk.section.lower())):
                    score *= OUT_OF_VERSION_FACTOR
            else:
                score *= OUT_OF_VERSION_FACTOR
                note = f"No longer applies from LiveView {chunk.until}; you asked about {target.label}."
        ranked.append((float(score), chunk, note, position))
    ranked.sort(key=lambda item: (-item[0], item[1].id))
    if ranked:
        floor = ranked[0][0] * RELATIVE_FLOOR
        ranked = [item for item in ranked if item[0] >= floor]
    question = read_question(query, index.idf, index.names)
    terms = question.terms
    hit_tokens = [(set(index.term_freqs[position]), index.prose_tokens(position)) for *_, position in ranked[:limit]]
    shares = [coverage(terms, tokens, prose) for tokens, prose in hit_tokens]
    runs = quoted_runs(query)
    hits = [
        SearchHit(
            id=chunk.id, title=chunk.title, doc=chunk.doc, section=chunk.section, score=round(score, 4),
            uri=chunk.uri, since=chunk.since, until=chunk.until, text=chunk.text, version_note=note,
            coverage=round(share, 2), weak=share < question.weak_below and not quotes(runs, chunk.text),
        )
        for (score, chunk, note, _), share in zip(ranked[:limit], shares, strict=True)
    ]
    if not hits:
        notes.append("Nothing in the knowledge base matches; try the API name or describe the interaction.")
    weak = bool(hits) and all(hit.weak for hit in hits)
    if weak:
        notes += weak_notes(terms, hit_tokens)
    return SearchResult(query=query, liveview_version=target.label, hits=hits, notes=notes, weak=weak)


def weak_notes(terms, hit_tokens: list[tuple[set[str], set[str]]]) -> list[str]:
    """Why the hits are weak: the question's main terms no hit has (names and words the knowledge never uses first),
    and which of its names are LiveView API. `hit_tokens`: each hit's (index tokens, prose tokens)."""
    best = max(hit_tokens, key=lambda pair: coverage(terms, *pair))
    lacking = missing(terms, *best)
    absent = [t.text for t in lacking if t.weight >= 1.0 or not t.known][:4] or [t.text for t in lacking][:4]
    notes = [f"Weak match: no section here covers {', '.join(absent)}. The knowledge may not answer this question; "
             "say so rather than answering from these sections."]
    names = [t.text for t in terms if t.kind == "other" or (t.is_name and not t.known)][:10]
    if names:
        from ..api_lookup import is_liveview_name

        liveview = [name for name in names if is_liveview_name(name)]
        other = [name for name in names if name not in liveview]
        if liveview:
            notes.append(f"{', '.join(liveview)}: LiveView API the guidance does not teach; lookup_api has its facts.")
        if other:
            notes.append(f"{', '.join(other)}: not LiveView API (this knowledge covers LiveView only).")
    return notes
