"""The deps docs index of one project: every documented module and function of its installed deps (see
deps_files.py), the passages search ranks (a function's doc, or one `##` section of a module's doc) and
their BM25 statistics, cached as JSON outside the project under a key made of the lockfile's contents
and the installed versions.

Everything is bounded: what is read (deps_files.Budget), the docs kept (MAX_DOCS) and the tokens indexed
per passage (MAX_PASSAGE_TOKENS); an index whose JSON would pass MAX_CACHE_BYTES is refused, a cache file
over it is neither loaded nor kept, a cache is checked before it is used, and only the CACHE_KEEP most
recently used cache files are kept. The index's `notes` say what the bounds left out.

rank-bm25 (`BM25Okapi`) computes the statistics at build time; they are kept as postings (term → its idf
and the passages holding it, with the term's count in each), the shape that is both quick to read back
(a server reads the cache on its first call) and quick to score, since a query visits only its terms."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..knowledge import tokenizer
from ..knowledge.index import B, HEADING_WEIGHT, K1
from ..paths import cache_dir
from .deps_files import Budget, InstalledDep, Skips, listing, sources


class CacheTooLarge(Exception):
    """An index whose JSON is over MAX_CACHE_BYTES: it is neither written nor used."""

INDEX_FORMAT = 3
MAX_DOCS = 20_000  # documented modules and functions of one project (a real app's deps: 830)
MAX_PASSAGE_TOKENS = 4000  # tokens of one passage that are indexed (the text is kept whole)
MAX_CACHE_BYTES = 24 * 1024 * 1024  # one index as JSON (a real app's: 1.7 MB)
CACHE_KEEP = 8  # cache files kept (most recently used first); older ones are deleted
STALE_TEMP_S = 3600  # a temp file this old is a write that died; a lock file this old, a build long over
LOCK_POLL_S = 0.1  # how often a build waiting for another process's build of its key tries the lock
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
    notes: list[str] = field(default_factory=list)  # what the bounds left out, and why

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
    """The index's name in the cache: this code, the lockfile, and each package's version and real lib folder
    with its inode and modification time, and the size and times of every .ex file under it. The folder keeps
    two checkouts with one lockfile (a fork's branch with committed deps/ and the user's own project) from
    ever sharing an index; the folder's identity changes when `mix deps.get` fetches the package again, the
    files' when one is edited in place (a path or git dependency, a patched dep)."""
    digest = hashlib.sha256(_code_digest())
    digest.update(hashlib.sha256(lock).digest())
    for dep in deps:
        real = os.path.realpath(dep.lib)
        try:
            info = os.stat(real)
            identity = f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}"
        except OSError:
            identity = "-"
        digest.update(f"\0{dep.package}={dep.version}\0{real}\0{identity}".encode("utf-8", "surrogateescape"))
        for path, size, mtime_ns, ctime_ns in listing(Path(real)):
            digest.update(f"\0{path}:{size}:{mtime_ns}:{ctime_ns}".encode("utf-8", "surrogateescape"))
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


def build(key: str, deps: list[InstalledDep], budget: Budget | None = None) -> DepsIndex:
    """Reads and indexes the deps' docs (tree-sitter parsing; nothing is compiled or run), within `budget`
    and MAX_DOCS. Run it in a worker process (deps_worker.build_isolated), not in the server."""
    from . import elixir_docs

    budget = budget or Budget.current()
    docs: list[DepDoc] = []
    skips = Skips()
    used = [0, 0]
    for dep in deps:
        for path, data in sources(dep, budget, used, skips):
            if len(docs) >= MAX_DOCS:
                skips.add(f"over the {MAX_DOCS:,}-doc limit", path)
                continue
            for entry in elixir_docs.file_docs(data)[:MAX_DOCS - len(docs)]:
                docs.append(DepDoc(dep.package, dep.version, entry.module, entry.symbol, entry.kind, entry.text,
                                   path, entry.line))
    passages = []
    for n, doc in enumerate(docs):
        if doc.kind == "module":
            passages += [Passage(n, heading, start, end) for heading, start, end in _sections(doc.text)]
        elif doc.text.strip():
            passages.append(Passage(n, None, 0, len(doc.text)))
    corpus = [_passage_tokens(docs[p.doc], p, docs[p.doc].text[p.start:p.end])[:MAX_PASSAGE_TOKENS]
              for p in passages] or [["\0empty"]]
    return DepsIndex(key, {dep.package: dep.version for dep in deps}, docs, passages, bm25_statistics(corpus),
                     skips.notes())


def to_json(index: DepsIndex) -> bytes:
    """The cache file's bytes; CacheTooLarge over MAX_CACHE_BYTES."""
    payload = {
        "format": INDEX_FORMAT, "key": index.key, "packages": index.packages, "notes": index.notes,
        "docs": index.docs, "passages": index.passages,
        "terms": index.bm25.terms, "lengths": index.bm25.lengths, "average_length": index.bm25.average_length,
    }
    data = json.dumps(payload, separators=(",", ":")).encode("utf-8", "replace")
    if len(data) > MAX_CACHE_BYTES:
        raise CacheTooLarge(f"the index came to {len(data):,} bytes, over the {MAX_CACHE_BYTES:,}-byte limit")
    return data


def _checked(data: dict, key: str) -> DepsIndex:
    """The index a cache file holds, after checking its shape (TypeError/ValueError/KeyError when it is off)."""
    if data["format"] != INDEX_FORMAT or data["key"] != key:
        raise ValueError("another format or key")
    docs = [DepDoc._make(row) for row in data["docs"]]
    passages = [Passage._make(row) for row in data["passages"]]
    lengths, average = data["lengths"], float(data["average_length"])
    if not all(len(d) == 8 and all(isinstance(v, str) for v in d[:7]) and isinstance(d[7], int) for d in docs):
        raise ValueError("a doc row is malformed")
    if not all(isinstance(p.doc, int) and 0 <= p.doc < len(docs) and isinstance(p.start, int)
               and isinstance(p.end, int) for p in passages):
        raise ValueError("a passage row is malformed")
    if len(lengths) != max(len(passages), 1) or not all(isinstance(n, int) for n in lengths) or average <= 0:
        raise ValueError("the passage lengths do not match")
    terms = data["terms"]
    for entry in terms.values():
        if type(entry) is not list or len(entry) < 3 or len(entry) % 2 != 1 or not (
                0 <= min(entry[1::2]) and max(entry[1::2]) < len(lengths)):  # min/max: C speed, a few ms
            raise ValueError("a posting is malformed")
    packages = {str(k): str(v) for k, v in dict(data["packages"]).items()}
    notes = [str(n) for n in data.get("notes", [])]
    return DepsIndex(key, packages, docs, passages, Bm25(terms, lengths, average), notes)


def from_json(data: bytes, key: str) -> DepsIndex | None:
    """The index in a cache file's bytes, or None when they are not a valid index for `key`."""
    if len(data) > MAX_CACHE_BYTES:
        return None
    try:
        return _checked(json.loads(data), key)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def write_cache(index: DepsIndex, data: bytes | None = None) -> None:
    """Best effort: a cache folder that cannot be written only costs a rebuild next time. Then prunes."""
    path = cache_path(index.key)
    try:
        data = data if data is not None else to_json(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except (OSError, CacheTooLarge):
        return
    prune(path.parent)


@contextmanager
def build_lock(key: str, wait_s: float):
    """Held while the key's index is built: another process building the same key (two CLI runs in one
    checkout, two servers) waits for it, up to `wait_s`, and then finds the cache. Best effort: without a
    writable cache folder or file locks (Windows) the build goes ahead unlocked."""
    try:
        import fcntl

        path = cache_path(key).with_suffix(".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - closed below, after the lock is released
    except (ImportError, OSError):
        yield
        return
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break  # the other build is past its own limit: build here rather than wait on
                time.sleep(LOCK_POLL_S)
        os.utime(path)  # in use: prune leaves it
        yield
    finally:
        handle.close()  # releases the lock


def prune(folder: Path) -> None:
    """Keeps the CACHE_KEEP most recently used cache files and deletes the rest, and dead temp files."""
    try:
        entries = [(entry.stat().st_mtime, Path(entry.path)) for entry in os.scandir(folder)
                   if entry.is_file(follow_symlinks=False)]
    except OSError:
        return
    now = time.time()
    caches = sorted((e for e in entries if e[1].suffix == ".json"), reverse=True)
    doomed = [path for _, path in caches[CACHE_KEEP:]]
    doomed += [path for mtime, path in entries if path.suffix in (".tmp", ".lock") and now - mtime > STALE_TEMP_S]
    for path in doomed:
        try:
            path.unlink()
        except OSError:
            pass


def cache_size(key: str) -> int | None:
    """The size of the key's cache file, or None when there is none."""
    try:
        return cache_path(key).stat().st_size
    except OSError:
        return None


def read_cache(key: str) -> DepsIndex | None:
    """The cached index, when its file is at most MAX_CACHE_BYTES and valid (a file over the cap or
    invalid is deleted). Marks it used, for pruning."""
    path = cache_path(key)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_CACHE_BYTES:
                index = None
            else:
                index = from_json(handle.read(MAX_CACHE_BYTES + 1), key)
    except OSError:
        return None
    try:
        if index is None:
            path.unlink()
        else:
            os.utime(path)
    except OSError:
        pass
    return index
