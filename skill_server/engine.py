"""The core API: one function per capability, returning the pydantic models in models.py.

The MCP server (server.py), the CLI (cli.py) and the eval harness (evals/) are thin adapters over
these functions. Heavy modules are imported on first use so the server starts fast."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .models import (
    ApiLookupResult,
    ClarifyResult,
    PatternInfo,
    ProjectReview,
    RecommendResult,
    ReviewResult,
    RuleDoc,
    RuleInfo,
    SearchResult,
    SnippetResult,
)


def search_guidance(query: str, limit: int = 5, liveview_version: str | None = None) -> SearchResult:
    from .knowledge.search import search

    return search(query, limit=limit, liveview_version=liveview_version)


def clarify_request(request: str, liveview_version: str | None = None) -> ClarifyResult:
    from .clarify import clarify

    return clarify(request, liveview_version=liveview_version)


def recommend_patterns(
    scenario: str, liveview_version: str | None = None, limit: int = 3, answers: dict[str, str] | None = None
) -> RecommendResult:
    """`answers` maps clarify dimensions to chosen option keys (from elicitation or the user)."""
    from .patterns.recommend import recommend

    return recommend(scenario, liveview_version=liveview_version, limit=limit, answers=answers)


def list_patterns() -> list[PatternInfo]:
    from .patterns.snippets import catalogue_info

    return catalogue_info()


def pattern_details(pattern: str) -> dict:
    from .patterns.snippets import pattern_details as _details

    return _details(pattern)


def generate_snippet(pattern: str, params: dict | None = None, liveview_version: str | None = None) -> SnippetResult:
    from .patterns.snippets import generate

    return generate(pattern, params or {}, liveview_version=liveview_version)


def review_code(
    code: str, filename: str | None = None, liveview_version: str | None = None, strict: bool = False
) -> ReviewResult:
    from .review.engine import review_source

    return review_source(code, filename=filename, liveview_version=liveview_version, strict=strict)


def review_paths(
    paths: Sequence[str],
    liveview_version: str | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ProjectReview:
    from .review.project import review_project

    return review_project(paths, liveview_version=liveview_version, strict=strict, progress=progress)


def lookup_api(
    names: Sequence[str] | str, liveview_version: str | None = None, project_version: str | None = None
) -> ApiLookupResult:
    """Exact facts about LiveView names; `project_version` is the version of the user's project (mix.lock), used
    when no `liveview_version` is given."""
    from .api_lookup import lookup

    return lookup(list(names) if isinstance(names, tuple) else names, liveview_version=liveview_version,
                  project_version=project_version)


def list_rules() -> list[RuleInfo]:
    from .review.registry import rule_infos

    return rule_infos()


def rule_doc(slug: str) -> RuleDoc:
    from .review.registry import rule_doc as _rule_doc

    return _rule_doc(slug)


def list_documents() -> list[dict]:
    from .knowledge.corpus import document_list

    return document_list()


def read_document(name: str) -> str:
    from .knowledge.corpus import document_text

    return document_text(name)
