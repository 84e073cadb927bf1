"""The deps docs as answers: search hits after the curated ones, a module's docs as markdown (the
`liveview://deps/{package}/{module}` resource), and the installed doc of one name. Names are looked up in
the index, never joined onto paths."""

from __future__ import annotations

import difflib
import re

from ..errors import InputError
from ..models import ApiLookupResult, DepsDoc, DepsDocLookup, SearchHit, SearchResult
from ..versions import parse_version
from . import background
from .answers import AnswerContext
from .deps_files import PACKAGES
from .deps_index import DepDoc, DepsIndex
from .locate import Project

URI_PREFIX = "liveview://deps/"
RELATIVE_FLOOR = 0.05
MAX_HIT_CHARS = 4000
MODULE_RE = re.compile(r"^[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*$")
SYMBOL_RE = re.compile(r"^(?:c:)?([A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*)(?:\.([a-z_][A-Za-z0-9_]*[?!]?)(?:/(\d+))?)?$")


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def deps_hit_count(limit: int) -> int:
    """How many deps hits follow the curated ones: half the limit, at least one."""
    return max(1, (limit + 1) // 2)


def _hit(index: DepsIndex, passage, score: float, asked_line: str | None) -> SearchHit:
    doc = index.docs[passage.doc]
    text = index.passage_text(passage)
    uri = f"{URI_PREFIX}{doc.package}/{doc.module}"
    if len(text) > MAX_HIT_CHARS:
        text = text[:MAX_HIT_CHARS].rsplit("\n", 1)[0] + f"\n\n(cut here; the whole module: {uri})"
    name = doc.symbol.removeprefix(doc.module + ".") if doc.kind != "module" else doc.module
    section = passage.section or name
    note = None
    if doc.package == "phoenix_live_view" and asked_line and parse_version(doc.package_version).line != asked_line:
        note = f"From phoenix_live_view {doc.package_version} as installed; the answer is for LiveView {asked_line}."
    return SearchHit(
        id=f"deps:{doc.package}/{doc.symbol}" + (f"#{_slug(passage.section)}" if passage.section else ""),
        title=f"{doc.module} ({doc.package} {doc.package_version})", doc=doc.module, section=section,
        score=round(score, 4), uri=uri, text=text, version_note=note, source="deps", package=doc.package,
        package_version=doc.package_version, symbol=doc.symbol,
    )


def with_deps_hits(result: SearchResult, context: AnswerContext, limit: int) -> SearchResult:
    """The curated result followed by the best matching deps docs of the context's project (if its index is
    ready; otherwise a note says why not, and the build starts)."""
    if context.project is None:
        return result
    index, note = background.current(context.project)
    notes = [*result.notes, note] if note else result.notes
    if index is None:
        return result.model_copy(update={"notes": notes})
    from ..knowledge.search import query_tokens

    tokens = query_tokens(result.query)
    scores = index.bm25.scores(tokens) if tokens and index.passages else []  # no passages: one placeholder length
    ranked = sorted(((s, p) for s, p in zip(scores, index.passages, strict=True) if s > 0),
                    key=lambda item: (-item[0], item[1].doc, item[1].start))
    if ranked:
        floor = ranked[0][0] * RELATIVE_FLOOR
        ranked = [item for item in ranked if item[0] >= floor]
    asked_line = parse_version(result.liveview_version).line if result.version_source == "argument" else None
    hits = [_hit(index, passage, score, asked_line) for score, passage in ranked[:deps_hit_count(limit)]]
    return result.model_copy(update={"hits": [*result.hits, *hits], "notes": notes})


def _index_for(project: Project | None) -> DepsIndex:
    """The deps index to read a resource from: the project's, else the one used last."""
    if project is None:
        index = background.latest()
        if index is None:
            raise InputError("no project's deps docs are indexed: start the server with --project DIR, or use a "
                             "client that shares its roots, and search once")
        return index
    index, note = background.current(project)
    if index is None:
        raise InputError(note or f"{project.root} has no deps docs")
    return index


def module_markdown(project: Project | None, package: str, module: str) -> str:
    """A module's installed docs: its @moduledoc, then each documented function with its symbol."""
    if package not in PACKAGES:
        raise InputError(f"unknown package {package[:60]!r}; deps docs cover {', '.join(PACKAGES)}")
    if not MODULE_RE.match(module or ""):
        raise InputError(f"{module[:80]!r} is not a module name; send one such as Phoenix.LiveView.JS")
    index = _index_for(project)
    if package not in index.packages:
        raise InputError(f"{package} is not installed in the project's deps/ (indexed: {', '.join(index.packages)})")
    docs = index.module_docs(package, module)
    if not docs:
        known = sorted({d.module for d in index.docs if d.package == package})
        close = difflib.get_close_matches(module, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"no documented module {module} in {package} {index.packages[package]}{hint}")
    return _markdown(docs, package, index.packages[package], module)


def _markdown(docs: list[DepDoc], package: str, version: str, module: str) -> str:
    parts = [f"# {module}\n\n_{package} {version}, as installed in the project's deps/_"]
    parts += [d.text for d in docs if d.kind == "module"]
    functions = [d for d in docs if d.kind != "module"]
    if functions:
        parts.append("---\n\n## Functions")
        parts += [f"### `{d.symbol}`" + (f" ({d.kind})" if d.kind != "function" else "") + f"\n\n{d.text}"
                  for d in functions]
    return "\n\n".join(parts) + "\n"


def docs_for(project: Project | None, symbol: str) -> DepsDocLookup:
    """The installed docs of `Phoenix.LiveView.stream/4`, `Phoenix.LiveView.stream` (every arity) or a
    module. Never waits: when the index is not ready the notes say so (and the build starts)."""
    if not isinstance(symbol, str) or not (match := SYMBOL_RE.match(symbol.strip())):
        raise InputError("symbol must name a module or function, e.g. Phoenix.LiveView.stream/4")
    if project is None:
        return DepsDocLookup(symbol=symbol, docs=[], notes=["No project is known, so there are no installed docs."])
    index, note = background.current(project)
    if index is None:
        return DepsDocLookup(symbol=symbol, docs=[], notes=[note] if note else [])
    module, name, arity = match.groups()
    found = [d for d in index.docs if d.module == module and (
        (name is None and d.kind == "module")
        or (name is not None and d.kind != "module" and d.symbol.rsplit("/", 1)[0] == f"{module}.{name}"
            and (arity is None or d.symbol.endswith(f"/{arity}"))))]
    docs = [DepsDoc(package=d.package, package_version=d.package_version, module=d.module, symbol=d.symbol,
                    kind=d.kind, text=d.text) for d in found]
    notes = [] if docs else [f"No installed doc for {symbol.strip()} in {', '.join(sorted(index.packages))}."]
    return DepsDocLookup(symbol=symbol.strip(), docs=docs, notes=notes)


def with_installed_docs(result: ApiLookupResult, project: Project | None) -> ApiLookupResult:
    """lookup_api facts with a link to the doc the project has installed (`liveview://deps/{package}/{module}`)
    for every function, callback or module that its deps document. Never waits for the deps index."""
    if project is None:
        return result
    index, note = background.current(project)
    if index is None:
        return result.model_copy(update={"notes": [*result.notes, note] if note else result.notes})
    documented = {(d.module, d.symbol.rsplit("/", 1)[0] if d.kind != "module" else None): d for d in index.docs}
    facts = []
    for fact in result.results:
        owner = fact.parent or fact.name
        module = fact.module or (owner if owner and owner[:1].isupper() else None)
        name = owner.rsplit(".", 1)[-1] if owner and module and owner != module else None
        doc = documented.get((module, f"{module}.{name}" if name else None)) if module else None
        if doc is not None:
            fact = fact.model_copy(update={
                "installed_doc": f"liveview://deps/{doc.package}/{doc.module}",
                "notes": [*fact.notes, f"Installed doc: {doc.symbol} in {doc.package} {doc.package_version}."]})
        facts.append(fact)
    return result.model_copy(update={"results": facts})
