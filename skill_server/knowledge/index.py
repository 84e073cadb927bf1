"""The BM25 index over knowledge chunks, built once and cached on disk keyed by a content hash.

The cache holds the chunks and their tokens as JSON (never pickle), so a warm start skips markdown
parsing and tokenizing; a change to any document or to the tokenizer makes a new key."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import cache_dir
from . import tokenizer
from .corpus import Chunk, chunk_document, default_roots, document_paths, load_document

INDEX_FORMAT = 3
# Field weights: how many times a field's tokens count in a chunk's bag of words.
HEADING_WEIGHT = 3
TITLE_WEIGHT = 2
ALIAS_WEIGHT = 2


@dataclass
class Index:
    chunks: list[Chunk]
    bm25: object  # rank_bm25.BM25Okapi
    key: str


def chunk_tokens(chunk: Chunk) -> list[str]:
    tokens = tokenizer.tokenize(chunk.section) * HEADING_WEIGHT
    tokens += tokenizer.tokenize(chunk.title) * TITLE_WEIGHT
    tokens += tokenizer.tokenize(" ".join(chunk.aliases)) * ALIAS_WEIGHT
    tokens += tokenizer.tokenize(" ".join(chunk.doc_aliases + chunk.tags))
    tokens += tokenizer.tokenize(chunk.text)
    return tokens


def content_key(paths: list[Path]) -> str:
    digest = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    digest.update(Path(tokenizer.__file__).read_bytes())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def _read_cache(path: Path) -> list[tuple[Chunk, list[str]]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            (Chunk(**{k: tuple(v) if isinstance(v, list) else v for k, v in item["chunk"].items()}), item["tokens"])
            for item in data["chunks"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, entries: list[tuple[Chunk, list[str]]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"chunks": [{"chunk": asdict(c), "tokens": t} for c, t in entries]}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # A read-only cache location only costs start-up time.


def build_entries(paths: list[Path]) -> list[tuple[Chunk, list[str]]]:
    entries = []
    for path in paths:
        for chunk in chunk_document(load_document(path)):
            entries.append((chunk, chunk_tokens(chunk)))
    return entries


@lru_cache(maxsize=4)
def load_index(roots: tuple[Path, ...] | None = None) -> Index:
    from rank_bm25 import BM25Okapi

    paths = document_paths(roots or default_roots())
    key = content_key(paths)
    cache_file = cache_dir() / f"index-{key}.json"
    entries = _read_cache(cache_file)
    if entries is None:
        entries = build_entries(paths)
        _write_cache(cache_file, entries)
    chunks = [c for c, _ in entries]
    corpus = [t or ["\0empty"] for _, t in entries] or [["\0empty"]]
    return Index(chunks=chunks, bm25=BM25Okapi(corpus), key=key)
