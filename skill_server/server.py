"""The MCP face: tools, resources, prompts and completions over the core engine (engine.py).

Tools are read-only, idempotent and closed-world, return pydantic models (structured content plus the
JSON text mirror) and are listed in a fixed order. Bad input comes back as an isError result whose
message says what to send instead; the server keeps serving."""

from __future__ import annotations

import functools
import inspect
import json
import logging
from pathlib import Path
from typing import Annotated, Any, NoReturn

from mcp.server.mcpserver import (
    AcceptedElicitation,
    CancelledElicitation,
    Context,
    DeclinedElicitation,
    Elicit,
    ElicitationResult,
    MCPServer,
    Resolve,
)
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import (
    CallToolResult,
    Completion,
    PromptReference,
    ResourceTemplateReference,
    TextContent,
    ToolAnnotations,
)
from pydantic import BaseModel, Field

from . import __version__, engine
from .errors import InputError
from .limits import CallGate, Limits
from .models import (
    ApiLookupResult,
    ClarifyResult,
    RecommendResult,
    ReviewResult,
    SearchResult,
    SnippetResult,
    compact_json_schema,
    without_titles,
)
from .sanitize import fence
from .server_project import ProjectArg, known_project, lifespan_for, listen_for_root_changes
from .versions import RELEASE_LINES, resolve

SERVER_NAME = "liveview-skill"

INSTRUCTIONS = """\
Curated, version-aware Phoenix LiveView guidance (0.20 to 1.2), offline.
- Before answering a LiveView question: search_guidance, and quote its chunks.
- Before writing an interaction (optimistic UI, loading states, deletes, undo, forms, uploads, streams): \
recommend_patterns, then generate_snippet for the chosen pattern.
- When a request is vague about what changes the code: clarify_request, and relay its questions.
- Before finishing a LiveView change: review_code on the module, template, hook or stylesheet.
- Before stating any LiveView name, option or version (a function, phx- binding, hook API, assign): lookup_api; \
it says whether the name exists, since when, and suggests real names for ones that do not.
Answers follow the user's project (--project or the client's roots: mix.lock's version, the installed deps' \
docs); otherwise pass liveview_version (from mix.lock) when known. Not for: non-LiveView Elixir, Ecto or deployment \
questions."""

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

VersionArg = Annotated[
    str | None, Field(description='LiveView version, e.g. "1.0" or "1.1.5" (from mix.lock). Default: newest (1.2).')
]


CALLS = CallGate()  # the server's limits, and the gate every tool call passes (build_server sets the limits)
MAX_URI = 2048  # resource URIs are short names; longer ones are refused without being echoed
MAX_NAME = 256  # prompt and tool names are short words; longer ones are refused before the SDK logs them
MAX_LOGGED = 2_000  # characters of a log line kept (the SDK logs client text such as an unknown prompt's name)


def _tool_errors(fn):
    """Runs the tool through the call gate (a worker thread, a bounded number at once; async tools such as
    review_code run their own way), turns InputError into an isError result carrying its message, and a
    returned record into the structured content plus its JSON text, compact (the SDK's own mirror is
    indented: about 8% more text for an assistant to read in a search result, all of it whitespace)."""

    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        try:
            result = await fn(*args, **kwargs) if inspect.iscoroutinefunction(fn) else await CALLS.run(fn, *args, **kwargs)
        except InputError as exc:
            raise ToolError(str(exc)) from exc
        if isinstance(result, BaseModel):
            return CallToolResult(content=[TextContent(type="text", text=result.model_dump_json())],
                                  structured_content=result.model_dump(mode="json"))
        return result

    return wrapper


def _resource_errors(fn):
    """Turns InputError into "resource not found" (-32602, invalid params) carrying its message."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise ResourceNotFoundError(str(exc)) from exc

    return wrapper


ELICITATION_WAIT_S = 300.0  # how long a call waits for the user's answers to a form (older protocols)
ANSWERED = (AcceptedElicitation, DeclinedElicitation, CancelledElicitation)  # what an elicitation comes back as


def _client_can_elicit(ctx: Context) -> bool:
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    # A bare `elicitation: {}` (before modes existed) means form support; url-only does not.
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def clarified_scenario(scenario: str, liveview_version: str | None, project: ProjectArg):
    """Resolver for recommend_patterns: clarify's decision on the scenario, made once for the question asked
    (if any) and for the ranking; None for a bad scenario (the tool body reports it)."""
    try:
        return engine.clarify_decision(scenario, liveview_version=liveview_version, project=project)
    except InputError:
        return None


async def ask_clarifying_questions(decision: Annotated[object, Resolve(clarified_scenario)],
                                   ctx: Context) -> Elicit | None:
    """Resolver for recommend_patterns: ask the user through form elicitation when the scenario leaves a
    decision open and the client declared elicitation; otherwise resolve to None (no question asked). Before
    the 2026-07-28 protocol the question is a request the call waits on: it is sent here, and a client that has
    not answered within ELICITATION_WAIT_S gets the defaults, as if it had cancelled (the call stayed open
    forever). From 2026-07-28 the answer comes with a later call and nothing waits."""
    import anyio
    from mcp_types.version import is_version_at_least

    from .clarify.elicit import ELICITATION_MESSAGE, elicitation_model

    if decision is None or not decision[0].underspecified or not _client_can_elicit(ctx):
        return None
    ask = Elicit(ELICITATION_MESSAGE, elicitation_model(decision[0]))
    if ctx.protocol_version is not None and is_version_at_least(ctx.protocol_version, "2026-07-28"):
        return ask
    with anyio.move_on_after(ELICITATION_WAIT_S):
        try:
            return await ctx.elicit(ask.message, ask.schema)  # the framework passes it on as the resolved value
        except ValueError as exc:  # no content, or content off the form's schema (as the framework reports it)
            raise ToolError("ask_clarifying_questions: received an invalid elicitation response") from exc
    return CancelledElicitation()


def build_server(project: str | None = None, limits: Limits | None = None,
                 roots_under: tuple[str, ...] | None = None) -> MCPServer:
    """`project`: the folder of the user's Mix project for every call (serve --project); without it the
    client's roots decide (server_project.py), inside `roots_under` when given (HTTP). `limits` apply to
    every call (limits.py)."""
    if limits is not None:
        CALLS.limits = limits
    plain_logging()
    server = MCPServer(
        name=SERVER_NAME, title="LiveView Skill", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING",
        tools=_tools(), lifespan=lifespan_for(project, roots_under),
    )
    _bound_resource_uris(server)
    _bound_names(server)
    listen_for_root_changes(server)
    _add_resources(server)
    _add_prompts(server)
    _add_completions(server)
    return server


def _tools() -> list[Tool]:
    """The tools, in the order tools/list shows them, with compacted output schemas (see
    models.compact_json_schema: clients validate every result against them)."""
    tools: list[Tool] = []

    def tool(*, title: str, description: str):
        def register(fn):
            made = Tool.from_function(fn, title=title, description=description, annotations=READ_ONLY)
            made.fn_metadata.output_schema = compact_json_schema(made.fn_metadata.output_schema)
            made.parameters = compact_json_schema(without_titles(made.parameters))
            tools.append(made)
            return fn
        return register

    @tool(
        title="Search LiveView guidance",
        description="Ranked chunks of curated LiveView guidance (markdown with code) for a question or keywords. "
        "Use before answering any LiveView question; quote the text. Not for reviewing code (use review_code).",
    )
    @_tool_errors
    def search_guidance(
        query: Annotated[str, Field(description="The question or keywords, in the user's words (at most 4,000 "
                                                "characters).")],
        limit: Annotated[int, Field(description="How many chunks (1-20).")] = 5,
        liveview_version: VersionArg = None,
        project: ProjectArg = None,
    ) -> SearchResult:
        return engine.search_guidance(query, limit=limit, liveview_version=liveview_version, project=project)

    @tool(
        title="Recommend LiveView patterns",
        description="Ranked interaction patterns for a described scenario (e.g. 'delete a row and make it feel "
        "instant'), with why, trade-offs and a snippet id. Use before writing an interaction. May ask the user "
        "clarifying questions; otherwise returns them in `questions`.",
    )
    @_tool_errors
    def recommend_patterns(
        scenario: Annotated[str, Field(description="The interaction to build, in the user's words (at most 4,000 "
                                                   "characters).")],
        decision: Annotated[object, Resolve(clarified_scenario)],
        answers: Annotated[ElicitationResult[BaseModel], Resolve(ask_clarifying_questions)],
        liveview_version: VersionArg = None,
        limit: Annotated[int, Field(description="How many patterns (1-16).")] = 3,
        project: ProjectArg = None,
    ) -> RecommendResult:
        if isinstance(answers, AcceptedElicitation) and isinstance(answers.data, ANSWERED):
            answers = answers.data  # asked by the resolver itself (before 2026-07-28), passed on as its value
        accepted = isinstance(answers, AcceptedElicitation) and isinstance(answers.data, BaseModel)
        declined = answers.action if isinstance(answers, (DeclinedElicitation, CancelledElicitation)) else None
        return engine.recommend_patterns(scenario, liveview_version=liveview_version, limit=limit, project=project,
                                         decision=decision, form=answers.data.model_dump() if accepted else None,
                                         declined=declined)

    @tool(
        title="Generate a LiveView snippet",
        description="Version-correct code files for a catalogue pattern (ids from recommend_patterns or the "
        "liveview://patterns resource), with notes and parse checks. Params: resource, context, web_module and "
        "the pattern's own.",
    )
    @_tool_errors
    def generate_snippet(
        pattern: Annotated[str, Field(description="Pattern id, e.g. delete_with_transition.")],
        params: Annotated[dict[str, Any], Field(description="Pattern parameters, e.g. {\"resource\": \"comment\"}.")] = {},  # noqa: B006
        liveview_version: VersionArg = None,
        project: ProjectArg = None,
    ) -> SnippetResult:
        return engine.generate_snippet(pattern, params, liveview_version=liveview_version, project=project)

    @tool(
        title="Review LiveView code",
        description="Reviews a LiveView module, HEEx template, JS hook or stylesheet for LiveView, optimistic-UI, "
        "security and accessibility mistakes. Findings cite rules (liveview://rules/{rule}). Default: high "
        "confidence, plus medium with a harm; strict adds the rest.",
    )
    @_tool_errors
    async def review_code(
        code: Annotated[str, Field(description="The source to review (max 2 MB).")],
        filename: Annotated[str | None, Field(description="File name, used to infer the language.")] = None,
        liveview_version: VersionArg = None,
        strict: Annotated[bool, Field(description="Include medium and low confidence findings.")] = False,
        project: ProjectArg = None,
    ) -> ReviewResult:
        return await engine.review_code_isolated(code, filename=filename, liveview_version=liveview_version,
                                                 strict=strict, limits=CALLS.limits, project=project)

    @tool(
        title="Clarify a LiveView request",
        description="Says whether a request leaves open a decision that changes the code (version, stream vs "
        "assign, failure UX, concurrency, scope, persistence, accessibility) and gives at most 3 multiple-choice "
        "questions with defaults. Use when a request is vague; relay the questions to the user.",
    )
    @_tool_errors
    def clarify_request(
        request: Annotated[str, Field(description="The user's request, verbatim (at most 4,000 characters; longer "
                                                  "is refused with a clear error).")],
        liveview_version: VersionArg = None,
        project: ProjectArg = None,
    ) -> ClarifyResult:
        return engine.clarify_request(request, liveview_version=liveview_version, project=project)

    @tool(
        title="Look up LiveView names",
        description="Exact facts about LiveView names at a version: exists, since, until, deprecation, arities, "
        "options, signature. Functions, options (stream_insert update_only, JS.push loading), phx- bindings and "
        "classes, :key, hook and liveSocket APIs, modules, @assigns. Check every name and version before stating it.",
    )
    @_tool_errors
    def lookup_api(
        names: Annotated[list[str] | str, Field(description='Up to 50, e.g. ["stream_insert update_only", "@myself"].')],
        liveview_version: VersionArg = None,
        project: ProjectArg = None,
    ) -> ApiLookupResult:
        return engine.lookup_api(names, liveview_version=liveview_version, project=project)

    return tools


def _add_resources(server: MCPServer) -> None:
    @server.resource(
        "liveview://knowledge/{doc}",
        name="knowledge",
        title="LiveView knowledge document",
        description="A curated guidance or reference document (markdown).",
        mime_type="text/markdown",
    )
    @_resource_errors
    def knowledge_document(doc: str) -> str:
        return engine.read_document(doc)

    @server.resource(
        "liveview://rules/{rule}",
        name="rule",
        title="Review rule explanation",
        description="What a review rule flags, why, examples and false-positive notes (markdown).",
        mime_type="text/markdown",
    )
    @_resource_errors
    def rule_explanation(rule: str) -> str:
        return engine.rule_doc(rule).explanation

    @server.resource(
        "liveview://clarify/cues",
        name="clarify-cues",
        title="Clarify concepts and overrides",
        description="What clarify_request reads: every concept (phrases, patterns with their reasons, traps) and "
        "override (scope, what it drops, why) (JSON).",
        mime_type="application/json",
    )
    def clarify_cues() -> str:
        return json.dumps(engine.clarify_cues(), indent=2)

    @server.resource(
        "liveview://patterns",
        name="patterns",
        title="Snippet pattern catalogue",
        description="Every pattern id with its title, summary, LiveView version and parameters (JSON).",
        mime_type="application/json",
    )
    def pattern_catalogue() -> str:
        return json.dumps([p.model_dump() for p in engine.list_patterns()], indent=2)

    @server.resource(
        "liveview://patterns/{pattern}",
        name="pattern",
        title="Snippet pattern",
        description="One pattern: what it is, when to use it and not, trade-offs, versions and parameters (JSON).",
        mime_type="application/json",
    )
    @_resource_errors
    def pattern_details(pattern: str) -> str:
        return json.dumps(engine.pattern_details(pattern), indent=2)

    @server.resource(
        "liveview://deps/{package}/{module}",
        name="deps",
        title="Installed deps module docs",
        description="A module's @moduledoc and function docs as installed in the project's deps/ (markdown).",
        mime_type="text/markdown",
    )
    @_resource_errors
    def deps_module(package: str, module: str, ctx: Context) -> str:
        return engine.deps_module_doc(package, module, project=known_project(ctx))


def _invalid_prompt_argument(message: str) -> NoReturn:
    from mcp.shared.exceptions import MCPError
    from mcp.types import INVALID_PARAMS

    raise MCPError(code=INVALID_PARAMS, message=message)


def _prompt_version(liveview_version: str | None) -> str | None:
    """The version a prompt names, checked like the tools' (a bad one is -32602, never pasted in)."""
    if liveview_version is None or not str(liveview_version).strip():
        return None
    try:
        return resolve(liveview_version).label
    except InputError as exc:
        message = str(exc)
    _invalid_prompt_argument(message)


def _bound_resource_uris(server: MCPServer) -> None:
    """resources/read refuses a URI longer than MAX_URI before the SDK echoes it back (twice) in its error."""
    from mcp.shared.exceptions import MCPError
    from mcp.types import INVALID_PARAMS

    lowlevel = server._lowlevel_server
    entry = lowlevel.get_request_handler("resources/read")

    async def read_resource(ctx, params):
        if len(str(params.uri)) > MAX_URI:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown resource: the URI is {len(str(params.uri))} "
                           f"characters; liveview-skill URIs are under {MAX_URI}")
        return await entry.handler(ctx, params)

    lowlevel.add_request_handler("resources/read", entry.params_type, read_resource)


def _bound_names(server: MCPServer) -> None:
    """prompts/get and tools/call refuse a name longer than MAX_NAME before the SDK looks it up, raises and logs
    it (audit 5: a 1 MB unknown prompt name held the event loop for minutes in the log handler)."""
    from mcp.shared.exceptions import MCPError
    from mcp.types import INVALID_PARAMS

    lowlevel = server._lowlevel_server
    for method, what in (("prompts/get", "prompt"), ("tools/call", "tool")):
        entry = lowlevel.get_request_handler(method)

        async def bounded(ctx, params, entry=entry, what=what):
            if len(params.name) > MAX_NAME:
                raise MCPError(code=INVALID_PARAMS, message=f"Unknown {what}: the name is {len(params.name):,} "
                               f"characters; liveview-skill {what} names are under {MAX_NAME}")
            return await entry.handler(ctx, params)

        lowlevel.add_request_handler(method, entry.params_type, bounded)


class ShortLogLines(logging.Formatter):
    """One plain line per record, cut to MAX_LOGGED characters, traceback included: the SDK's default handler
    renders each message in a rich panel, quadratic in its length, on the event loop."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        return line if len(line) <= MAX_LOGGED else f"{line[:MAX_LOGGED]}... ({len(line):,} characters)"


def plain_logging(logger: logging.Logger | None = None) -> None:
    """Gives the root logger (or `logger`) a plain stderr handler with ShortLogLines unless it has one; the
    SDK's own logging setup then leaves it alone (logging.basicConfig does nothing once a handler exists)."""
    logger = logger or logging.getLogger()
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(ShortLogLines("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def _add_prompts(server: MCPServer) -> None:
    @server.prompt(
        name="review-liveview",
        title="Review LiveView code",
        description="Review pasted LiveView code with the review_code tool and explain each finding.",
    )
    def review_liveview(code: str, liveview_version: str | None = None) -> str:
        from .review.engine import MAX_REVIEW_BYTES

        if len(code.encode("utf-8", "surrogatepass")) > MAX_REVIEW_BYTES:
            _invalid_prompt_argument(f"code is over the {MAX_REVIEW_BYTES // 1_048_576} MB review limit; paste one file")
        label = _prompt_version(liveview_version)
        version = f" on LiveView {label}" if label else ""
        opening, closing = fence(code)
        return (
            f"Review this Phoenix LiveView code{version}. Call the review_code tool on it"
            f"{' with liveview_version=' + repr(label) if label else ''}, then for each finding "
            "explain the problem in one or two sentences, show the fix, and cite the rule's resource. If a finding "
            f"looks wrong for this code, say why instead of applying it.\n\n{opening}\n{code}\n{closing}"
        )

    @server.prompt(
        name="plan-optimistic-interaction",
        title="Plan an optimistic interaction",
        description="Plan a LiveView interaction that feels instant: clarify, pick a pattern, generate the code.",
    )
    def plan_optimistic_interaction(scenario: str, liveview_version: str | None = None) -> str:
        from .clarify.decide import MAX_REQUEST_CHARS

        if len(scenario) > MAX_REQUEST_CHARS:
            _invalid_prompt_argument(f"scenario is {len(scenario):,} characters; the limit is {MAX_REQUEST_CHARS:,}")
        label = _prompt_version(liveview_version)
        version = f" The app runs LiveView {label}." if label else ""
        opening, closing = fence(scenario)
        return (
            f"I want to build this LiveView interaction (my words, between the fences):\n{opening}\n{scenario}\n"
            f"{closing}\n{version.strip()}\n"
            "1. Call clarify_request on it; if it is underspecified, ask me its questions (I can answer 'defaults').\n"
            "2. Call recommend_patterns with my answers folded into the scenario, and explain the trade-offs.\n"
            "3. Call generate_snippet for the chosen pattern with my resource and context names, and walk me "
            "through the notes.\n4. Search the guidance for anything the notes leave open."
        )


def _add_completions(server: MCPServer) -> None:
    @server.completion()
    async def complete(ref, argument, context) -> Completion | None:
        prefix = (argument.value or "").lower()
        values: list[str] = []
        if isinstance(ref, ResourceTemplateReference):
            if ref.uri == "liveview://knowledge/{doc}" and argument.name == "doc":
                values = [d["name"] for d in engine.list_documents()]
            elif ref.uri == "liveview://rules/{rule}" and argument.name == "rule":
                values = [r.slug for r in engine.list_rules()]
            elif ref.uri == "liveview://patterns/{pattern}" and argument.name == "pattern":
                values = [p.id for p in engine.list_patterns()]
        elif isinstance(ref, PromptReference) and argument.name == "liveview_version":
            values = list(reversed(RELEASE_LINES))
        matches = [v for v in values if v.lower().startswith(prefix)]
        return Completion(values=matches[:100], total=len(matches), has_more=len(matches) > 100)


def run(transport: str = "stdio", host: str = "127.0.0.1", port: int = 8765, limits: Limits | None = None,
        allow_remote: bool = False, allowed_hosts: tuple[str, ...] = (), project: str | None = None,
        roots_under: tuple[str, ...] = ()) -> None:
    """Serve until stdin ends (stdio) or the process is stopped (HTTP); see transport.py for the limits.
    Over HTTP client roots count only inside `roots_under` (any local process can connect)."""
    from . import transport as transports
    from .review.worker import shutdown_all

    limits = limits or Limits.from_env()
    bind = transports.resolve_bind(host, port, allow_remote, allowed_hosts) if transport == "http" else None
    trusted = tuple(str(Path(folder).resolve()) for folder in roots_under) if bind is not None else None
    server = build_server(project, limits, roots_under=trusted)
    try:
        if bind is not None:
            transports.serve_http(server, bind, limits)
        else:
            import anyio

            try:
                anyio.run(transports.serve_stdio, server, limits)
            except (BrokenPipeError, BaseExceptionGroup) as exc:  # the client closed our stdout: it has gone
                if not transports.client_gone(exc):
                    raise
    finally:
        shutdown_all()
