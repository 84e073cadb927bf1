"""Claims sidecars: for each knowledge section, the API names, options and behaviours it rests on, and the
source line that settles each one (`knowledge/claims/<doc>.toml`, `references/claims/<doc>.toml`).

They make the fact-check repeatable: `tests/test_knowledge_claims.py` checks every claim against the API
manifest for the section's version range, and its evidence (`v<tag>:<path>:<line>`) against a git copy of
the source when one is on the machine. The format is described in CONTRIBUTING.md."""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..api_facts import manifest
from ..versions import Version, parse_version

CLAIMS_DIR = "claims"
# `v1.1.0:lib/phoenix_live_view.ex:1890`, `v0.20.0:assets/js/x.js:10-12`, `phoenix_ecto@v4.5.0:lib/a.ex:3`
# (a prefix names another repository by its GitHub name)
EVIDENCE_RE = re.compile(
    r"^(?:(?P<repo>[a-z][a-z0-9_]*)@)?"
    r"(?P<tag>v\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?):(?P<path>[^:\s]+):(?P<first>\d+)(?:-(?P<last>\d+))?$"
)
FUNCTION_RE = re.compile(r"^(?P<module>[A-Z]\w*(?:\.[A-Z]\w*)*)\.(?P<name>[a-z_]\w*[?!]?)/(?P<arity>\d+)$")
SECTION_KEYS = {"id", "checked", "checked_by", "claim"}
CLAIM_KEYS = {"api", "option", "since", "says", "behaviour", "evidence"}


@dataclass(frozen=True)
class Evidence:
    repo: str  # "phoenix_live_view" (no prefix), or the prefix: "phoenix", "phoenix_html", "phoenix_ecto", "ecto"...
    tag: str
    path: str
    first: int
    last: int


@dataclass(frozen=True)
class Claim:
    api: str | None
    option: str | None
    since: str | None
    says: str | None
    behaviour: str | None
    evidence: str


@dataclass(frozen=True)
class SectionClaims:
    id: str
    checked: tuple[str, ...]
    checked_by: str
    claims: tuple[Claim, ...]


def sidecar_path(document: Path) -> Path:
    """`knowledge/streams.md` → `knowledge/claims/streams.toml`."""
    return document.parent / CLAIMS_DIR / f"{document.stem}.toml"


def parse_evidence(text: str) -> Evidence:
    match = EVIDENCE_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"evidence {text!r} is not [repo@]v<tag>:<path>:<line>[-<line>]")
    first = int(match["first"])
    last = int(match["last"] or first)
    if first < 1 or last < first:
        raise ValueError(f"evidence {text!r}: lines must be a range from 1 upwards")
    return Evidence(match["repo"] or "phoenix_live_view", match["tag"], match["path"], first, last)


def load_sidecar(path: Path) -> list[SectionClaims]:
    """The sections of one sidecar; raises ValueError naming the file and the entry when a key, a type or an
    evidence string is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: not valid TOML: {exc}") from exc
    if set(data) - {"section"}:
        raise ValueError(f"{path.name}: only [[section]] tables are allowed, found {sorted(set(data) - {'section'})}")
    sections = []
    for entry in data.get("section", []):
        where = f"{path.name}: section {entry.get('id', '?')!r}"
        if set(entry) - SECTION_KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(set(entry) - SECTION_KEYS)}")
        if not isinstance(entry.get("id"), str):
            raise ValueError(f"{where}: needs an id")
        checked = entry.get("checked", [])
        if not isinstance(checked, list) or not all(isinstance(t, str) for t in checked):
            raise ValueError(f"{where}: checked must be a list of tags")
        claims = []
        for n, raw in enumerate(entry.get("claim", []), 1):
            if set(raw) - CLAIM_KEYS:
                raise ValueError(f"{where}, claim {n}: unknown keys {sorted(set(raw) - CLAIM_KEYS)}")
            if not all(isinstance(v, str) for v in raw.values()):
                raise ValueError(f"{where}, claim {n}: every value is a string")
            if bool(raw.get("api")) == bool(raw.get("behaviour")):
                raise ValueError(f"{where}, claim {n}: a claim has either api or behaviour")
            if raw.get("api") and not raw.get("says"):
                raise ValueError(f"{where}, claim {n}: an api claim says what the section relies on (says)")
            if not raw.get("api") and (raw.get("option") or raw.get("since")):
                raise ValueError(f"{where}, claim {n}: option and since belong to api claims")
            try:
                parse_evidence(raw.get("evidence"))
            except ValueError as exc:
                raise ValueError(f"{where}, claim {n}: {exc}") from exc
            claims.append(Claim(raw.get("api"), raw.get("option"), raw.get("since"), raw.get("says"),
                                raw.get("behaviour"), raw["evidence"]))
        sections.append(SectionClaims(entry["id"], tuple(checked), str(entry.get("checked_by", "")), tuple(claims)))
    return sections


# --- the manifest ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApiFact:
    since: Version
    removed: Version | None  # first release without it
    options: dict[str, Version] | None  # None: the manifest lists no options for it


def _version_or_none(text: str | None) -> Version | None:
    return parse_version(text.split("/")[0].strip()) if text else None


@lru_cache(maxsize=1)
def _api_facts() -> dict[str, ApiFact]:
    """Every name a claim's `api` may use, keyed as claims write it."""
    data = manifest()
    facts: dict[str, ApiFact] = {}
    js_options = data.get("js_command_options", {})
    function_options = data.get("function_options")
    for entry in data["entries"]:
        key = f"{entry['module']}.{entry['name']}"
        if entry["module"] == "Phoenix.LiveView.JS":
            raw = js_options.get(entry["name"], {})
            options = {name: parse_version(info["since"]) for name, info in raw.items()}
        elif function_options is not None and key in function_options:
            options = {name: parse_version(info["since"]) for name, info in function_options[key].items()}
        else:
            options = None
        for arity in entry["arities"]:
            facts[f"{key}/{arity}"] = ApiFact(parse_version(entry["since"]), None, options)
    oldest = parse_version(data["history"]["oldest_tag"])
    for binding in data["bindings"]:
        facts[binding["name"]] = ApiFact(
            _version_or_none(binding.get("introduced_in")) or oldest, _version_or_none(binding.get("removed_in")), None
        )
    classes = data["css_classes"]
    for item in classes["event_loading_classes"]:
        facts[item["class"]] = ApiFact(parse_version(item["since"]), None, None)
    for name in classes["connection_classes"]:
        facts[name] = ApiFact(oldest, None, None)
    for item in classes.get("other_classes", []) + classes.get("removed_classes", []):
        facts[item["name"]] = ApiFact(
            _version_or_none(item.get("introduced_in")) or oldest, _version_or_none(item.get("removed_in")), None
        )
    for item in data["heex_special_attributes"]:
        facts[item["attribute"]] = ApiFact(parse_version(item["since"]), None, None)
    return facts


def api_problems(claim: Claim, since: str, until: str | None, section_text: str) -> list[str]:
    """What is wrong with an api claim for a section that claims versions [since, until): an unknown name or
    option, one that arrived after `since` without the claim (and the section) saying when, one removed
    inside the range, or a `since` that differs from the manifest's."""
    if not claim.api:
        return []
    fact = _api_facts().get(claim.api)
    if fact is None:
        hint = "" if FUNCTION_RE.match(claim.api) or not claim.api[:1].isupper() else " (functions need /arity)"
        return [f"{claim.api}: not in the manifest{hint}"]
    name, arrived = claim.api, fact.since
    problems = []
    if claim.option:
        if fact.options is None:
            if claim.api.startswith("Phoenix.LiveView.JS."):
                problems.append(f"{name}: the manifest lists no options for it")
            return problems  # function options are checked once the manifest lists them
        if claim.option not in fact.options:
            return [f"{name} has no option {claim.option!r} (known: {', '.join(sorted(fact.options)) or 'none'})"]
        name, arrived = f"{claim.api} {claim.option}:", max(fact.options[claim.option], fact.since)
    floor = parse_version(since)
    if claim.since is not None:
        if parse_version(claim.since) != arrived:
            problems.append(f"{name}: claim says since {claim.since}, the manifest says {arrived}")
        elif arrived > floor and not _mentions(section_text, arrived):
            problems.append(f"{name}: arrived in {arrived} but the section never says so")
    elif arrived > floor:
        problems.append(f"{name}: arrived in {arrived}, after the section's {floor}; give since and say it in the text")
    if fact.removed and (until is None or parse_version(until) > fact.removed):
        problems.append(f"{name}: removed in {fact.removed}, inside the section's range; make it a behaviour claim")
    return problems


def _mentions(text: str, version: Version) -> bool:
    return str(version) in text or re.search(rf"\b{re.escape(version.line)}(?:\+|\b)", text) is not None


# --- the source ------------------------------------------------------------------------------------------------
def evidence_problem(evidence: Evidence, repo_dir: Path) -> str | None:
    """None when `path` exists at `tag` in the git repository `repo_dir` and has at least `last` lines."""
    text = file_at(repo_dir, evidence.tag, evidence.path)
    if text is None:
        return f"{evidence.path} does not exist at {evidence.tag}"
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if evidence.last > lines:
        return f"{evidence.path} at {evidence.tag} has {lines} lines, the evidence cites line {evidence.last}"
    return None


@lru_cache(maxsize=4096)
def file_at(repo_dir: Path, tag: str, path: str) -> str | None:
    """The file's text at the tag, or None when the tag or the file does not exist."""
    done = subprocess.run(
        ["git", "-C", str(repo_dir), "show", f"{tag}:{path}"],
        capture_output=True, check=False,
    )
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None
