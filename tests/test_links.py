"""Every cross-reference of the catalogue resolves: a pattern's `knowledge` sections, its `alternatives` and
rejections, a rule's `cites`. A link is 'doc#section' (doc = the document's name, as liveview://knowledge/<doc>
serves it; section = the chunk id search gives the heading)."""

from __future__ import annotations

import pytest

from skill_server.knowledge.corpus import chunk_document, documents
from skill_server.patterns.catalogue import load_patterns
from skill_server.review.registry import all_rules

SECTIONS = {chunk.id for doc in documents().values() for chunk in chunk_document(doc)}
PATTERNS = list(load_patterns().values())


def _resolves(link: str) -> bool:
    return link.split("#")[0] in documents() and ("#" not in link or link in SECTIONS)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_pattern_links_resolve(pattern):
    assert pattern.knowledge, f"{pattern.id} cites no knowledge"
    assert [k for k in pattern.knowledge if not _resolves(k)] == []
    assert set(pattern.alternatives) <= set(load_patterns()), "an alternative that is not a pattern"


@pytest.mark.parametrize("loaded", all_rules(), ids=lambda r: r.rule.slug)
def test_rule_citations_resolve(loaded):
    assert _resolves(loaded.rule.cites), loaded.rule.cites
