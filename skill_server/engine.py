"""The core API: one function per capability, returning the pydantic models in models.py.

The MCP server (server.py), the CLI (cli.py) and the eval harness (evals/) are thin adapters over
these functions. Heavy modules are imported on first use so the server starts fast.

`project` (a folder of the user's Mix project, or None) makes an answer project-aware: its LiveView version
from mix.lock becomes the default, `version_source` says where the version came from, and search adds the
docs of the project's installed deps (skill_server/project/)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import check_text
from .models import (
    ApiLookupResult,
    ClarifyResult,
    ClarifyTrace,
    DepsDocLookup,
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
            if name not in ("progress", "limits", "decision"):
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


Project = str | Path | None


@_text_arguments
def search_guidance(query: str, limit: int = 5, liveview_version: str | None = None,
                    project: Project = None) -> SearchResult:
    """Curated sections first, then (with a project whose deps index is ready) matching deps docs."""
    from .knowledge.search import search
    from .project.answers import answer_context
    from .project.deps_search import with_deps_hits

    context = answer_context(project, liveview_version)
    result = context.stamp(search(query, limit=limit, liveview_version=context.liveview_version))
    return with_deps_hits(result, context, limit)


@_text_arguments
def clarify_request(request: str, liveview_version: str | None = None, project: Project = None) -> ClarifyResult:
    """A project that pins a LiveView version answers the version question."""
    from .clarify import clarify
    from .project.answers import answer_context

    context = answer_context(project, liveview_version)
    return clarify(request, liveview_version=context.liveview_version)


@_text_arguments
def clarify_explain(request: str, liveview_version: str | None = None, project: Project = None) -> ClarifyTrace:
    """clarify_request with its reasons: every concept hit (phrase or pattern), trap, negation and override."""
    from .clarify.decide import explain
    from .project.answers import answer_context

    return explain(request, liveview_version=answer_context(project, liveview_version).liveview_version)


def clarify_cues() -> dict:
    """The concepts clarify reads (phrases, patterns with their reasons, traps, case counts) and its overrides."""
    from .clarify.cues import describe
    from .clarify.overrides import describe as describe_overrides

    return {"concepts": describe(), "overrides": describe_overrides()}


@_text_arguments
def clarify_decision(request: str, liveview_version: str | None = None, project: Project = None):
    """clarify's decision (the result and what the request settles), to pass to recommend_patterns."""
    from .clarify.decide import decide
    from .project.answers import answer_context

    return decide(request, liveview_version=answer_context(project, liveview_version).liveview_version)


@_text_arguments
def recommend_patterns(
    scenario: str, liveview_version: str | None = None, limit: int = 3, answers: dict[str, str] | None = None,
    project: Project = None, decision=None, form: dict | None = None, declined: str | None = None,
) -> RecommendResult:
    """`answers` maps clarify dimensions to chosen option keys; `decision` is clarify_decision's on the same
    scenario (made here when absent); `form` is accepted elicitation content, `declined` "decline" or "cancel"."""
    from .patterns.recommend import recommend_answered
    from .project.answers import answer_context

    context = answer_context(project, liveview_version)
    return context.stamp(recommend_answered(scenario, context.liveview_version, limit, answers, decision, form, declined))


def list_patterns() -> list[PatternInfo]:
    from .patterns.snippets import catalogue_info

    return catalogue_info()


@_text_arguments
def pattern_details(pattern: str) -> dict:
    from .patterns.snippets import pattern_details as _details

    return _details(pattern)


@_text_arguments
def generate_snippet(pattern: str, params: dict | None = None, liveview_version: str | None = None,
                     project: Project = None) -> SnippetResult:
    """`project` (a folder of the user's Mix project) supplies the app, web module, context and paths."""
    from .patterns.project_names import project_names
    from .patterns.snippets import generate
    from .project.answers import answer_context

    context = answer_context(project, liveview_version)
    names = project_names(context.project.root) if context.project else None
    return context.stamp(generate(pattern, params or {}, liveview_version=context.liveview_version, project=names))


@_text_arguments
def review_code(
    code: str, filename: str | None = None, liveview_version: str | None = None, strict: bool = False,
    project: Project = None,
) -> ReviewResult:
    from .project.answers import answer_context
    from .review.engine import review_source

    context = answer_context(project, liveview_version)
    return context.stamp(review_source(code, filename=filename, liveview_version=context.liveview_version,
                                       strict=strict))


@_text_arguments
async def review_code_isolated(
    code: str, filename: str | None = None, liveview_version: str | None = None, strict: bool = False,
    limits: Limits | None = None, project: Project = None,
) -> ReviewResult:
    """review_code with the rules in a worker process under `limits` (wall time, memory), awaited without
    holding the event loop. Cancelling the awaiting task (a cancelled request, a client that left) kills
    the worker; a review a limit cut short says so (complete=False, rules_not_run, a note)."""
    import threading

    import anyio

    from .project.answers import answer_context
    from .limits import Limits
    from .review.worker import ADMISSION, review_isolated

    cancel = threading.Event()
    limits = limits or Limits.from_env()

    def review() -> ReviewResult:
        context = answer_context(project, liveview_version)
        return context.stamp(review_isolated(code, filename, context.liveview_version, strict, limits, cancel))

    with ADMISSION.ticket(limits):  # a flood is refused here, before it takes a thread (ServerBusy)
        try:
            return await anyio.to_thread.run_sync(review, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            cancel.set()
            raise


def review_paths(
    paths: Sequence[str],
    liveview_version: str | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
    project: Project = None,
) -> ProjectReview:
    """Reviews files and project folders, each file in a worker process under `limits`. Without an argument
    the version is the project's when the reviewed files are inside it, else the reviewed folder's own
    mix.lock (at that folder only), else the default."""
    from .project.answers import review_context
    from .review.project import review_project

    context = review_context(paths, project, liveview_version)
    if context is None:
        return review_project(paths, liveview_version=liveview_version, strict=strict, progress=progress,
                              limits=limits)
    return context.stamp_review(review_project(paths, liveview_version=context.liveview_version, strict=strict,
                                               progress=progress, limits=limits))


@_text_arguments
def lookup_api(
    names: Sequence[str] | str, liveview_version: str | None = None, project_version: str | None = None,
    project: Project = None,
) -> ApiLookupResult:
    """Exact facts about LiveView names; `project_version` is the version of the user's project (mix.lock), used
    when no `liveview_version` is given. A `project` folder supplies that version (and its notes)."""
    from .api_lookup import lookup
    from .project.answers import answer_context

    names = list(names) if isinstance(names, tuple) else names
    if project is None:
        return lookup(names, liveview_version=liveview_version, project_version=project_version)
    from .project.deps_search import with_installed_docs
    from .project.locate import load_project

    context = answer_context(project, liveview_version)
    from_project = context.liveview_version if context.version_source == "project" else None
    result = lookup(names, liveview_version=liveview_version, project_version=from_project)
    return context.stamp(with_installed_docs(result, load_project(project)))


def list_rules() -> list[RuleInfo]:
    from .review.registry import rule_infos

    return rule_infos()


@_text_arguments
def rule_doc(slug: str) -> RuleDoc:
    from .review.registry import rule_doc as _rule_doc

    return _rule_doc(slug)


@_text_arguments
def deps_module_doc(package: str, module: str, project: Project = None) -> str:
    """Markdown: a module's docs as installed in the project's deps/ (the project's index, else the one used
    last). Unknown names and a missing or unfinished index are InputErrors."""
    from .project.deps_search import module_markdown
    from .project.locate import load_project

    return module_markdown(load_project(project) if project is not None else None, package, module)


@_text_arguments
def deps_doc_for(project: Project, symbol: str) -> DepsDocLookup:
    """The installed doc of a name (`Phoenix.LiveView.stream/4`, every arity of `Phoenix.LiveView.stream`, or
    a module) in the project's deps. Never waits for the deps index: until it is ready, notes say so."""
    from .project.deps_search import docs_for
    from .project.locate import load_project

    return docs_for(load_project(project) if project is not None else None, symbol)


def preload_project(project: Project) -> None:
    """Starts reading (or building) the project's deps index in the background: a server calls this at
    start-up, so no answer waits for the index; a missing or unreadable project is left to the calls."""
    from .errors import InputError
    from .project.background import preload
    from .project.locate import load_project

    try:
        found = load_project(project) if project is not None else None
    except InputError:
        return
    if found is not None:
        preload(found)


def project_info(project: Project):
    """The project's OTP app, web module and context modules (for snippets), or None without a project."""
    from .project.info import project_info as _project_info
    from .project.locate import find_root

    root = find_root(Path(project)) if project is not None else None
    return _project_info(root) if root is not None else None


def list_documents() -> list[dict]:
    from .knowledge.corpus import document_list

    return document_list()


@_text_arguments
def read_document(name: str) -> str:
    from .knowledge.corpus import document_text

    return document_text(name)
