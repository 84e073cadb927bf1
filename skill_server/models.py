"""The pydantic records every face returns: the MCP tools' structured content, the CLI's --json, the eval harness.

Field names here are the outside contract of ../shared/spec/interface.md: add fields freely, never rename."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .versions import VersionSource

Severity = Literal["error", "warning", "info"]
Confidence = Literal["high", "medium", "low"]
Harm = Literal["security", "data_loss", "crash"]
Language = Literal["elixir", "heex", "javascript", "css"]
HitSource = Literal["guidance", "deps"]
Dimension = Literal[
    "liveview_version", "collection_kind", "failure_ux", "concurrency", "scope", "persistence", "accessibility"
]


def _drop_titles(schema: dict) -> None:
    """JSON schemas without the auto-generated titles: they repeat the field names and cost an assistant's
    context in every tools/list."""
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


def without_titles(schema: dict) -> dict:
    """The schema without the titles pydantic derives from names ("Liveview Version", "search_guidanceArguments"):
    the field names say the same, and tools/list carries every byte into an assistant's context."""
    if isinstance(schema, list):
        return [without_titles(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: without_titles(v) for k, v in schema.items() if k != "title" or not isinstance(v, str)}


def compact_json_schema(schema: dict) -> dict:
    """The same schema in the shape cheapest for a client to validate on every call: `$defs` inlined and
    nullable fields written as a type list (`{"type": ["string", "null"]}`) instead of an `anyOf`.

    MCP clients check each tool result against the published output schema; with `jsonschema` a `$ref`
    costs a resolver lookup and an `anyOf` a trial of each branch, for every hit of every result. Our
    records are not recursive, so inlining always terminates; a cycle is a programming error."""
    definitions = schema.get("$defs", {})

    def compact(node, seen: tuple[str, ...] = ()):
        if isinstance(node, list):
            return [compact(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in seen:
                raise ValueError(f"recursive schema at {name}: cannot inline")
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**compact(definitions[name], (*seen, name)), **compact(siblings, seen)}
        node = {k: compact(v, seen) for k, v in node.items() if k != "$defs"}
        branches = node.get("anyOf")
        if (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches
                and all(set(b) in ({"type"}, {"type", "enum"}) and isinstance(b["type"], str) for b in branches)):
            del node["anyOf"]
            node["type"] = [b["type"] for b in branches if b["type"] != "null"] + ["null"]
            enum = next((b["enum"] for b in branches if "enum" in b), None)
            if enum is not None:  # an optional Literal: its values, or null
                node["enum"] = [*enum, None]
        elif (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches
                and any(b.get("type") == "object" for b in branches)):
            # A nullable record: `properties`/`required` only constrain objects, so null still validates.
            record = next(b for b in branches if b.get("type") == "object")
            del node["anyOf"]
            node = {**record, **node, "type": ["object", "null"]}
        return node

    return compact(schema)


class Record(BaseModel):
    model_config = ConfigDict(json_schema_extra=_drop_titles)


# --- search_guidance -------------------------------------------------------------------------------------------
class SearchHit(Record):
    id: str = Field(description="Chunk id: '<doc>#<section-slug>'.")
    title: str = Field(description="Document title.")
    doc: str = Field(description="Document name (file stem).")
    section: str = Field(description="Section heading.")
    score: float
    uri: str = Field(description="MCP resource of the whole document.")
    since: str | None = Field(default=None, description="Lowest LiveView version the chunk needs.")
    until: str | None = Field(default=None, description="First LiveView version where the chunk no longer applies.")
    text: str = Field(description="The chunk's markdown, prose and code.")
    version_note: str | None = Field(default=None, description="Why this chunk may not fit the asked version.")
    coverage: float | None = Field(default=None, description="Share of the question's informative terms in the chunk.")
    weak: bool = Field(default=False, description="The chunk shares the question's words, not its subject.")
    source: HitSource = "guidance"  # "deps": the docs of a package installed in the project's deps/
    package: str | None = None  # deps hits: e.g. phoenix_live_view, its installed version and the symbol
    package_version: str | None = None
    symbol: str | None = None  # "Phoenix.LiveView.stream/4", or a module


class SearchResult(Record):
    query: str
    liveview_version: str
    hits: list[SearchHit]
    notes: list[str] = Field(default_factory=list)
    weak: bool = Field(default=False, description="No hit covers the question: the knowledge may not answer it.")
    version_source: VersionSource = "default"  # where liveview_version came from; notes say more


# --- clarify_request --------------------------------------------------------------------------------------------
class QuestionOption(Record):
    key: str
    label: str
    recommended: bool = False


class Question(Record):
    dimension: Dimension
    question: str
    options: list[QuestionOption]
    uri: str | None = Field(default=None, description="Knowledge that explains the trade-off.")


class ClarifyResult(Record):
    request: str
    underspecified: bool
    missing: list[Dimension]
    questions: list[Question]
    assumptions: list[str]
    reply_hint: str | None = Field(default=None, description="Compact answer form, e.g. '1b 2a' or 'defaults'.")


# --- recommend_patterns -----------------------------------------------------------------------------------------
class PatternMatch(Record):
    id: str
    title: str
    summary: str
    why: list[str] = Field(description="Signals in the scenario that matched.")
    tradeoffs: list[str]
    since: str | None
    snippet: str | None = Field(description="Pattern id to pass to generate_snippet, or null.")
    uri: str | None = Field(description="Knowledge section the pattern rests on.")
    score: float = 0.0
    fallback: str | None = Field(default=None, description="What is used instead on the asked version, if anything.")


class ClarifyTrace(BaseModel):
    """clarify_request with its reasons (`liveview-skill clarify --explain`): what the concept data and the
    overrides found, and what the rules alone would ask before the learned model's blend."""

    result: ClarifyResult
    interactions: list[str] = Field(description="Interaction kinds found, after the overrides.")
    settled: dict[str, str] = Field(description="Decisions the request settles: dimension -> option key.")
    rules_missing: list[str] = Field(description="What the rules alone would ask.")
    fired: list[str] = Field(description="Every hit (concept, words, phrase or pattern and its why, the trap that "
                             "vetoed it) and every override's change, in order.")


class RejectedPattern(Record):
    id: str
    reason: str


class RecommendResult(Record):
    scenario: str
    liveview_version: str
    needs_clarification: bool
    questions: list[Question]
    patterns: list[PatternMatch]
    rejected: list[RejectedPattern] = Field(default_factory=list)
    decide: list[str] = Field(default_factory=list, description="What the user must still decide.")
    assumptions: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    version_source: VersionSource = "default"  # where liveview_version came from; notes say more


# --- generate_snippet / patterns catalogue ---------------------------------------------------------------------
class PatternParam(Record):
    name: str
    type: str
    default: object | None = None
    description: str


class PatternInfo(Record):
    id: str
    title: str
    summary: str
    since: str | None
    params: list[PatternParam]


class SnippetFile(Record):
    path: str
    language: Language
    content: str


class FileCheck(Record):
    path: str
    parser: str
    parsed: bool
    elixir: str | None = Field(default=None, description="'ok' when string_to_quoted and format passed, else why not.")
    errors: list[str] = Field(default_factory=list)


class SnippetChecks(Record):
    parsed: bool
    parser: str = Field(description="Parsers used, e.g. 'tree-sitter-elixir, tree-sitter-heex'.")
    elixir: bool = Field(description="True when a real Elixir toolchain also checked the Elixir files.")
    files: list[FileCheck] = Field(default_factory=list)


class SnippetResult(Record):
    pattern: str
    liveview_version: str
    files: list[SnippetFile]
    notes: list[str]
    checks: SnippetChecks
    params: dict[str, object] = Field(default_factory=dict, description="The parameters used, defaults filled in.")
    version_source: VersionSource = "default"  # where liveview_version came from; notes say more


# --- review_code -------------------------------------------------------------------------------------------------
class Finding(Record):
    rule: str
    code: str
    severity: Severity
    confidence: Confidence
    harm: Harm | None = None  # what a true finding costs; such findings show by default at medium confidence
    line: int
    column: int
    end_line: int
    end_column: int | None = None
    message: str
    fix: str
    uri: str
    file: str | None = None


class ReviewResult(Record):
    liveview_version: str
    language: Language
    parse_ok: bool
    findings: list[Finding]
    stats: dict[str, object] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    complete: bool = Field(True, description="False when a limit cut the review short: some rules or part of "
                           "the file were not checked (notes say which and why); a gate must not pass it.")
    rules_not_run: list[str] = Field(default_factory=list, description="Slugs of the rules that did not run.")
    version_source: VersionSource = "default"  # where liveview_version came from; notes say more


class FileReview(Record):
    path: str
    result: ReviewResult


class SkippedFile(Record):
    path: str
    reason: str = Field(description="Why it was not reviewed: not a regular file, over the size limit, binary...")


class ProjectReview(Record):
    root: str
    liveview_version: str
    version_source: VersionSource
    files: list[FileReview]
    stats: dict[str, object] = Field(default_factory=dict)
    skipped: list[SkippedFile] = Field(default_factory=list, description="Candidates that were not reviewed, with why.")
    complete: bool = Field(True, description="False when a file was skipped or a review was cut short.")
    notes: list[str] = Field(default_factory=list)


# --- the docs of the project's installed deps ------------------------------------------------------------------
class DepsDoc(Record):
    package: str
    package_version: str = Field(description="The version installed in the project's deps/.")
    module: str
    symbol: str = Field(description="'Phoenix.LiveView.stream/4', or the module name for its module doc.")
    kind: Literal["module", "function", "macro", "guard", "callback"]
    text: str = Field(description="The @moduledoc or @doc markdown as installed.")


class DepsDocLookup(Record):
    symbol: str
    docs: list[DepsDoc] = Field(description="Every installed doc for the name (each arity of a function).")
    notes: list[str] = Field(default_factory=list, description="Why nothing was found, when nothing was.")


class RuleInfo(Record):
    slug: str
    code: str
    family: str
    severity: Severity
    confidence: Confidence
    harm: Harm | None = None
    languages: list[Language]
    since: str | None = None
    until: str | None = None
    summary: str
    uri: str


class RuleDoc(RuleInfo):
    explanation: str = Field(description="Markdown: what it does, why it is bad, example, use instead, false positives.")


# --- lookup_api --------------------------------------------------------------------------------------------------
# Few field descriptions: tools/list carries this schema into every assistant's context (see interface.md).
class ApiArity(Record):
    arity: int
    since: str | None
    until: str | None = None


class ApiOption(Record):
    name: str
    since: str | None
    until: str | None = None


class ApiDeprecation(Record):
    since: str | None
    use_instead: str | None


class ApiFact(Record):
    query: str
    exists: bool = Field(description="Some LiveView release had it.")
    available: bool = Field(description="The asked version has it.")
    kind: str | None
    name: str | None
    module: str | None
    parent: str | None = Field(default=None, description="The function or component an option belongs to.")
    since: str | None
    until: str | None = Field(description="First release without it.")
    deprecated: ApiDeprecation | None
    arities: list[ApiArity] = Field(default_factory=list)
    options: list[ApiOption] = Field(default_factory=list)
    signature: str | None
    summary: str | None
    uri: str | None
    sections: list[str] = Field(default_factory=list)
    installed_doc: str | None = None  # liveview://deps/{package}/{module}: the doc as installed in the project
    did_you_mean: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ApiLookupResult(Record):
    liveview_version: str
    version_source: str
    results: list[ApiFact]
    notes: list[str] = Field(default_factory=list)
