"""The deps docs index of one project: every documented module and function of its installed deps (see
deps_files.py), the passages search ranks (a function's doc, or one `##` section of a module's doc) and
their BM25 statistics, cached as JSON outside the project under a key made of the lockfile's contents
and the installed versions.

rank-bm25 (`BM25Okapi`) computes the statistics at build time; they are kept as postings (term → its idf
and the passages holding it, with the term's count in each), the shape that is both quick to read back
(a server reads the cache on its first call) and quick to score, since a query visits only its terms."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..knowledge import tokenizer
from ..knowledge.index import B, HEADING_WEIGHT, K1
from ..paths import cache_dir
from .deps_files import InstalledDep, sources

INDEX_FORMAT = 2
HEADING_RE = re.compile(r"^## +(.+?)\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


class DepDoc(NamedTuple):  # tuples: a cache of a few thousand reads back in a few ms
    """One documented module (its @moduledoc) or function, macro, guard or callback (its @doc)."""

    package: str
    package_version: str
    module: str
    symbol: str
    kind: str
    text: str
    path: str  # relative to deps/, e.g. phoenix_live_view/lib/phoenix_live_view.ex
    line: int


class Passage(NamedTuple):
    """What search ranks: docs[doc].text[start:end], under a moduledoc heading (or none)."""

    doc: int
    section: str | None
    start: int
    end: int


@dataclass
class Bm25:
    """BM25Okapi's statistics as postings: term → [idf, passage, count, passage, count, ...]."""

    terms: dict[str, list]
    lengths: list[int]
    average_length: float

    def scores(self, query: list[str]) -> list[float]:
        """BM25Okapi.get_scores, from the postings of the query's terms."""
        totals = [0.0] * len(self.lengths)
        for term in query:
            entry = self.terms.get(term)
            if not entry:
                continue
            idf = entry[0]
            for k in range(1, len(entry), 2):
                passage, count = entry[k], entry[k + 1]
                norm = K1 * (1 - B + B * self.lengths[passage] / self.average_length)
                totals[passage] += idf * count * (K1 + 1) / (count + norm)
        return totals


def bm25_statistics(corpus: list[list[str]]) -> Bm25:
    from rank_bm25 import BM25Okapi

    okapi = BM25Okapi(corpus, k1=K1, b=B)
    terms: dict[str, list] = {}
    for passage, counts in enumerate(okapi.doc_freqs):
        for term, count in counts.items():
            terms.setdefault(term, [float(okapi.idf[term])]).extend((passage, count))
    return Bm25(terms, [int(n) for n in okapi.doc_len], float(okapi.avgdl))


@dataclass
class DepsIndex:
    key: str
    packages: dict[str, str]  # package → installed version
    docs: list[DepDoc]
    passages: list[Passage]
    bm25: Bm25

    def passage_text(self, passage: Passage) -> str:
        return self.docs[passage.doc].text[passage.start:passage.end]

    def module_docs(self, package: str, module: str) -> list[DepDoc]:
        return [d for d in self.docs if d.package == package and d.module == module]


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """Changes when the tokenizer or the doc reader changes, so their old caches are not reused."""
    digest = hashlib.sha256(f"deps-format={INDEX_FORMAT}".encode())
    for path in (Path(tokenizer.__file__), Path(__file__).with_name("elixir_docs.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def cache_key(lock: bytes, deps: list[InstalledDep]) -> str:
    digest = hashlib.sha256(_code_digest())
    digest.update(hashlib.sha256(lock).digest())
    for dep in deps:
        digest.update(f"\0{dep.package}={dep.version}".encode())
    return digest.hexdigest()[:32]


def cache_path(key: str) -> Path:
    return cache_dir() / "deps" / f"{key}.json"


def _sections(text: str) -> list[tuple[str | None, int, int]]:
    """(heading, start, end) of a module doc's intro and each of its `##` sections (not inside code)."""
    cuts: list[tuple[str | None, int]] = [(None, 0)]
    offset, fenced = 0, False
    for line in text.splitlines(keepends=True):
        if FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING_RE.match(line)):
            cuts.append((match.group(1), offset))
        offset += len(line)
    bounds = [(heading, start, cuts[i + 1][1] if i + 1 < len(cuts) else len(text))
              for i, (heading, start) in enumerate(cuts)]
    return [(heading, start, end) for heading, start, end in bounds if text[start:end].strip()]


def _passage_tokens(doc: DepDoc, passage: Passage, text: str) -> list[str]:
    name = doc.symbol.removeprefix(doc.module + ".") if doc.kind != "module" else doc.module
    tokens = tokenizer.tokenize(f"{doc.symbol} {name}") * HEADING_WEIGHT
    if passage.section:
        tokens += tokenizer.tokenize(passage.section) * HEADING_WEIGHT
    tokens += tokenizer.tokenize(doc.module)
    tokens += tokenizer.tokenize(text)
    return tokens or ["\0empty"]


def build(key: str, deps: list[InstalledDep], budget_bytes: int) -> DepsIndex:
    """Reads and indexes the deps' docs (tree-sitter parsing; nothing is compiled or run)."""
    from . import elixir_docs

    docs: list[DepDoc] = []
    budget = [budget_bytes]
    for dep in deps:
        for path, data in sources(dep, budget):
            for entry in elixir_docs.file_docs(data):
                docs.append(DepDoc(dep.package, dep.version, entry.module, entry.symbol, entry.kind, entry.text,
                                   path, entry.line))
    passages = []
    for n, doc in enumerate(docs):
        if doc.kind == "module":
            passages += [Passage(n, heading, start, end) for heading, start, end in _sections(doc.text)]
        elif doc.text.strip():
            passages.append(Passage(n, None, 0, len(doc.text)))
    corpus = [_passage_tokens(docs[p.doc], p, docs[p.doc].text[p.start:p.end]) for p in passages] or [["\0empty"]]
    return DepsIndex(key, {dep.package: dep.version for dep in deps}, docs, passages, bm25_statistics(corpus))


def write_cache(index: DepsIndex) -> None:
    """Best effort: a cache folder that cannot be written only costs a rebuild next time."""
    path = cache_path(index.key)
    payload = {
        "format": INDEX_FORMAT, "key": index.key, "packages": index.packages,
        "docs": index.docs, "passages": index.passages,
        "terms": index.bm25.terms, "lengths": index.bm25.lengths, "average_length": index.bm25.average_length,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass


def read_cache(key: str) -> DepsIndex | None:
    try:
        data = json.loads(cache_path(key).read_text(encoding="utf-8"))
        if data["format"] != INDEX_FORMAT or data["key"] != key:
            return None
        docs = [DepDoc._make(row) for row in data["docs"]]
        passages = [Passage._make(row) for row in data["passages"]]
        bm25 = Bm25(data["terms"], data["lengths"], data["average_length"])
        return DepsIndex(key, dict(data["packages"]), docs, passages, bm25)
    except (OSError, ValueError, KeyError, TypeError):
        return None
