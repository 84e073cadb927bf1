"""The BM25 index over knowledge chunks, built once and cached on disk keyed by a content hash.

rank-bm25 (`BM25Okapi`) computes the index statistics when the cache is built: term frequencies per
chunk, chunk lengths, the average length and the idf table with its epsilon floor. The cache keeps
those statistics as JSON (never pickle) beside the chunks, and queries are scored from them with the
same Okapi formula in plain Python, so a warm start needs neither markdown parsing nor numpy (about
50 ms of the server's cold start). tests/test_search.py holds the scores equal to BM25Okapi.get_scores."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..paths import cache_dir
from . import tokenizer
from .corpus import Chunk, chunk_document, default_roots, document_paths, load_document

INDEX_FORMAT = 5
# Field weights: how many times a field's tokens count in a chunk's bag of words.
HEADING_WEIGHT = 3
TITLE_WEIGHT = 2
ALIAS_WEIGHT = 2
# BM25Okapi's defaults.
K1 = 1.5
B = 0.75
CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LOWER_WORD = re.compile(r"(?<![\w@:./-])[a-z]+(?![\w-])")
CAPITALIZED_MID_SENTENCE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?![\w-])")  # after a word, not a full stop


@dataclass
class Index:
    chunks: list[Chunk]
    term_freqs: list[dict[str, int]]
    lengths: list[int]
    average_length: float
    idf: dict[str, float]
    key: str
    names: frozenset[str] = frozenset()  # words the prose writes capitalized mid-sentence: Ecto, Phoenix, Tailwind
    _prose: dict[int, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def prose_tokens(self, position: int) -> frozenset[str]:
        """The tokens of a chunk outside its code blocks (headings, aliases and prose): the names it talks about, not
        those its examples pass by. Tokenized on first use, a few chunks per query."""
        if position not in self._prose:
            chunk = self.chunks[position]
            text = CODE_BLOCK.sub(" ", chunk.text)
            self._prose[position] = frozenset(chunk_tokens(replace(chunk, text=text)))
        return self._prose[position]

    def scores(self, query: list[str]) -> list[float]:
        """BM25Okapi.get_scores, term for term, over the cached statistics. The knowledge is a few hundred chunks,
        so each query looks its terms up in every chunk (about a millisecond) instead of building postings on the
        first query, which cost the cold start about 50 ms."""
        weights = [(term, self.idf[term]) for term in query if term in self.idf]
        totals = []
        for freqs, length in zip(self.term_freqs, self.lengths, strict=True):
            norm = K1 * (1 - B + B * length / self.average_length)
            total = 0.0
            for term, weight in weights:
                freq = freqs.get(term)
                if freq:
                    total += weight * (freq * (K1 + 1) / (freq + norm))
            totals.append(total)
        return totals


def chunk_tokens(chunk: Chunk) -> list[str]:
    tokens = tokenizer.tokenize(chunk.section) * HEADING_WEIGHT
    tokens += tokenizer.tokenize(chunk.title) * TITLE_WEIGHT
    tokens += tokenizer.tokenize(" ".join(chunk.aliases)) * ALIAS_WEIGHT
    tokens += tokenizer.tokenize(" ".join(chunk.doc_aliases + chunk.tags))
    tokens += tokenizer.tokenize(chunk.text)
    return tokens or ["\0empty"]


def written_as_names(chunks: list[Chunk]) -> frozenset[str]:
    """Lowercased words the knowledge's prose (code left out) capitalizes mid-sentence more often than it writes them
    in lower case: the names of products and libraries (Ecto, Phoenix, Tailwind), not ordinary words (form, event)."""
    lower: dict[str, int] = {}
    capitalized: dict[str, int] = {}
    for chunk in chunks:
        prose = INLINE_CODE.sub(" ", CODE_BLOCK.sub(" ", chunk.text))
        for word in LOWER_WORD.findall(prose):
            lower[word] = lower.get(word, 0) + 1
        for word in CAPITALIZED_MID_SENTENCE.findall(prose):
            capitalized[word.lower()] = capitalized.get(word.lower(), 0) + 1
    return frozenset(word for word, count in capitalized.items() if count > lower.get(word, 0))


def content_key(paths: list[Path]) -> str:
    digest = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    digest.update(Path(tokenizer.__file__).read_bytes())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def build(paths: list[Path], key: str) -> Index:
    from rank_bm25 import BM25Okapi

    chunks = [chunk for path in paths for chunk in chunk_document(load_document(path))]
    corpus = [chunk_tokens(chunk) for chunk in chunks] or [["\0empty"]]
    bm25 = BM25Okapi(corpus, k1=K1, b=B)
    return Index(
        chunks=chunks,
        term_freqs=bm25.doc_freqs,
        lengths=[int(n) for n in bm25.doc_len],
        average_length=float(bm25.avgdl),
        idf={term: float(value) for term, value in bm25.idf.items()},
        key=key,
        names=written_as_names(chunks),
    )


def _read_cache(path: Path, key: str) -> Index | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        chunks = [Chunk(**{k: tuple(v) if isinstance(v, list) else v for k, v in c.items()}) for c in data["chunks"]]
        return Index(chunks, data["term_freqs"], data["lengths"], data["average_length"], data["idf"], key,
                     frozenset(data["names"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, index: Index) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "chunks": [asdict(c) for c in index.chunks],
            "term_freqs": index.term_freqs,
            "lengths": index.lengths,
            "average_length": index.average_length,
            "idf": index.idf,
            "names": sorted(index.names),
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # A read-only cache location only costs start-up time.


@lru_cache(maxsize=4)
def load_index(roots: tuple[Path, ...] | None = None) -> Index:
    paths = document_paths(roots or default_roots())
    key = content_key(paths)
    cache_file = cache_dir() / f"index-{key}.json"
    index = _read_cache(cache_file, key)
    if index is None:
        index = build(paths, key)
        _write_cache(cache_file, index)
    return index
