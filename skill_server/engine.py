"""The core API: one function per capability, returning the pydantic models in models.py.

The MCP server (server.py), the CLI (cli.py) and the eval harness (evals/) are thin adapters over
these functions. Heavy modules are imported on first use so the server starts fast."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .errors import check_text
from .models import (
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

if TYPE_CHECKING:
    from .limits import Limits


def _text_arguments(fn):
    """Every argument must be valid Unicode text before a capability sees it (InputError otherwise)."""
    signature = inspect.signature(fn)

    def check(args, kwargs) -> None:
        for name, value in signature.bind_partial(*args, **kwargs).arguments.items():
            if name not in ("progress", "limits"):
                check_text(value, name)

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def checked_async(*args, **kwargs):
            check(args, kwargs)
            return await fn(*args, **kwargs)

        return checked_async

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        check(args, kwargs)
        return fn(*args, **kwargs)

    return checked


@_text_arguments
def search_guidance(query: str, limit: int = 5, liveview_version: str | None = None) -> SearchResult:
    from .knowledge.search import search

    return search(query, limit=limit, liveview_version=liveview_version)


@_text_arguments
def clarify_request(request: str, liveview_version: str | None = None) -> ClarifyResult:
    from .clarify import clarify

    return clarify(request, liveview_version=liveview_version)


@_text_arguments
def recommend_patterns(
    scenario: str, liveview_version: str | None = None, limit: int = 3, answers: dict[str, str] | None = None
) -> RecommendResult:
    """`answers` maps clarify dimensions to chosen option keys (from elicitation or the user)."""
    from .patterns.recommend import recommend

    return recommend(scenario, liveview_version=liveview_version, limit=limit, answers=answers)


def list_patterns() -> list[PatternInfo]:
    from .patterns.snippets import catalogue_info

    return catalogue_info()


@_text_arguments
def pattern_details(pattern: str) -> dict:
    from .patterns.snippets import pattern_details as _details

    return _details(pattern)


@_text_arguments
def generate_snippet(pattern: str, params: dict | None = None, liveview_version: str | None = None) -> SnippetResult:
    from .patterns.snippets import generate

    return generate(pattern, params or {}, liveview_version=liveview_version)


@_text_arguments
def review_code(
    code: str, filename: str | None = None, liveview_version: str | None = None, strict: bool = False
) -> ReviewResult:
    from .review.engine import review_source

    return review_source(code, filename=filename, liveview_version=liveview_version, strict=strict)


@_text_arguments
async def review_code_isolated(
    code: str, filename: str | None = None, liveview_version: str | None = None, strict: bool = False,
    limits: Limits | None = None,
) -> ReviewResult:
    """review_code with the rules in a worker process under `limits` (wall time, memory), awaited without
    holding the event loop. Cancelling the awaiting task (a cancelled request, a client that left) kills
    the worker; a review a limit cut short says so (complete=False, rules_not_run, a note)."""
    import threading

    import anyio

    from .review.worker import review_isolated

    cancel = threading.Event()
    try:
        return await anyio.to_thread.run_sync(
            lambda: review_isolated(code, filename, liveview_version, strict, limits, cancel), abandon_on_cancel=True
        )
    except anyio.get_cancelled_exc_class():
        cancel.set()
        raise


def review_paths(
    paths: Sequence[str],
    liveview_version: str | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
) -> ProjectReview:
    """Reviews files and project folders, each file in a worker process under `limits`."""
    from .review.project import review_project

    return review_project(paths, liveview_version=liveview_version, strict=strict, progress=progress, limits=limits)


def list_rules() -> list[RuleInfo]:
    from .review.registry import rule_infos

    return rule_infos()


@_text_arguments
def rule_doc(slug: str) -> RuleDoc:
    from .review.registry import rule_doc as _rule_doc

    return _rule_doc(slug)


def list_documents() -> list[dict]:
    from .knowledge.corpus import document_list

    return document_list()


@_text_arguments
def read_document(name: str) -> str:
    from .knowledge.corpus import document_text

    return document_text(name)
