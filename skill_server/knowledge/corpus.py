"""Loads the knowledge documents (markdown with YAML front matter) and splits them into search chunks.

A document is `knowledge/<name>.md` or `references/<name>.md`. Each `##` section is one chunk (deeper
headings stay inside it; code blocks stay with their prose); the text before the first `##` is the
document's intro chunk. A section may open with a meta comment:
`<!-- since: 1.1.5; until: 1.2.0; aliases: a, b; sources: x -->`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..paths import KNOWLEDGE_DIR, REFERENCES_DIR

DOC_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
META_RE = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)
URI_PREFIX = "liveview://knowledge/"


@dataclass(frozen=True)
class Chunk:
    id: str
    doc: str
    title: str
    section: str
    text: str
    since: str | None
    until: str | None
    aliases: tuple[str, ...]
    doc_aliases: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def uri(self) -> str:
        return URI_PREFIX + self.doc


@dataclass(frozen=True)
class Document:
    name: str
    path: Path
    title: str
    kind: str  # "knowledge" or "reference"
    meta: dict = field(hash=False)
    body: str = field(hash=False)


def default_roots() -> tuple[Path, ...]:
    return (KNOWLEDGE_DIR, REFERENCES_DIR)


def document_paths(roots: tuple[Path, ...]) -> list[Path]:
    """Markdown documents under the roots, in a stable order; README files and dotfiles are not documents."""
    paths = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.glob("*.md")):
            if path.name.lower() == "readme.md" or path.name.startswith((".", "_")):
                continue
            paths.append(path)
    return paths


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    import yaml

    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of keys to values")
    body = text[end + 4 :].lstrip("\n")
    return meta, body


def parse_meta_comment(comment: str) -> dict[str, str]:
    """`since: 1.1.5; aliases: a, b` → {"since": "1.1.5", "aliases": "a, b"}."""
    values = {}
    for part in comment.split(";"):
        key, sep, value = part.partition(":")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values


def _as_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def _slug(heading: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")
    return slug or "section"


def load_document(path: Path) -> Document:
    """Raises ValueError naming the file when its front matter is broken (tests/test_knowledge_format.py
    keeps every shipped document loadable)."""
    text = path.read_text(encoding="utf-8")
    try:
        meta, body = split_front_matter(text)
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    kind = "reference" if path.parent.name == "references" else "knowledge"
    title = str(meta.get("title") or path.stem.replace("-", " ").capitalize())
    return Document(path.stem, path, title, kind, meta, body)


def _sections(body: str) -> list[tuple[str | None, int, int]]:
    """(heading or None for the intro, start line, end line) for each `##` section, using markdown-it so
    that `##` inside code blocks is not a heading."""
    from markdown_it import MarkdownIt

    lines = body.splitlines()
    tokens = MarkdownIt("commonmark").parse(body)
    starts = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.map:
            starts.append((tokens[i + 1].content.strip(), token.map[0]))
    sections = []
    first = starts[0][1] if starts else len(lines)
    sections.append((None, 0, first))
    for n, (heading, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(lines)
        sections.append((heading, start, end))
    return sections


def chunk_document(doc: Document) -> list[Chunk]:
    lines = doc.body.splitlines()
    doc_aliases = _as_list(doc.meta.get("aliases"))
    tags = _as_list(doc.meta.get("tags"))
    doc_since = str(doc.meta["since"]) if doc.meta.get("since") else None
    chunks = []
    seen_ids: set[str] = set()
    for heading, start, end in _sections(doc.body):
        section_lines = lines[start:end]
        if heading is None:
            # Drop the `# Title` line of the intro; the title is carried separately.
            section_lines = [l for l in section_lines if not re.match(r"^#\s", l)]
        meta: dict[str, str] = {}
        body_lines = []
        seen_content = False
        for line in section_lines:
            match = META_RE.match(line)
            if match and not seen_content and not meta:
                meta = parse_meta_comment(match.group(1))
                continue
            if line.strip() and not line.startswith("## "):
                seen_content = True
            body_lines.append(line)
        text = "\n".join(body_lines).strip()
        if not text:
            continue
        section = heading or doc.title
        base_id = f"{doc.name}#{_slug(heading) if heading else 'intro'}"
        chunk_id, n = base_id, 2
        while chunk_id in seen_ids:
            chunk_id, n = f"{base_id}-{n}", n + 1
        seen_ids.add(chunk_id)
        chunks.append(
            Chunk(
                id=chunk_id,
                doc=doc.name,
                title=doc.title,
                section=section,
                text=text,
                since=meta.get("since") or doc_since,
                until=meta.get("until") or None,
                aliases=_as_list(meta.get("aliases")),
                doc_aliases=doc_aliases,
                tags=tags,
            )
        )
    return chunks


@lru_cache(maxsize=8)
def documents(roots: tuple[Path, ...] | None = None) -> dict[str, Document]:
    docs = {}
    for path in document_paths(roots or default_roots()):
        doc = load_document(path)
        docs.setdefault(doc.name, doc)
    return docs


def document_list(roots: tuple[Path, ...] | None = None) -> list[dict]:
    return [
        {"name": d.name, "title": d.title, "kind": d.kind, "uri": URI_PREFIX + d.name}
        for d in documents(roots).values()
    ]


def document_text(name: str, roots: tuple[Path, ...] | None = None) -> str:
    """The full markdown of a document, by name only: names are looked up in the loaded set, never
    joined onto a path, so `..`, absolute paths and encoded separators cannot reach other files."""
    if not isinstance(name, str) or not DOC_NAME_RE.fullmatch(name):
        raise InputError(
            f"unknown document {str(name)[:60]!r}: document names are lowercase words joined by '-', "
            "e.g. 'loading-states'; list them with the resources/list call"
        )
    docs = documents(roots)
    if name not in docs:
        close = [n for n in docs if name.split("-")[0] in n][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(docs))}"
        raise InputError(f"unknown document {name!r}{hint}")
    return docs[name].path.read_text(encoding="utf-8")
