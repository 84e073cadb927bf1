"""Every knowledge section lists the claims it rests on (knowledge/claims/<doc>.toml, references/claims/<doc>.toml),
every named API and option exists in the manifest for the section's versions, and, when a git copy of the
LiveView source is on this machine, every evidence line exists at its tag."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from skill_server.api_facts import manifest
from skill_server.knowledge.claims import (
    FUNCTION_RE,
    api_problems,
    evidence_problem,
    load_sidecar,
    parse_evidence,
    sidecar_path,
)
from skill_server.knowledge.corpus import chunk_document, default_roots, document_paths, load_document
from skill_server.versions import parse_version

GENERATED = {"api"}  # references/api.md is rendered from the manifest; it has no sidecar
DOCS = [p for p in document_paths(default_roots()) if p.stem not in GENERATED]
DEFAULT_MIRROR = Path("/work/.mirror/phoenixframework+phoenix_live_view/repo")


def _chunks(path: Path) -> dict:
    return {c.id: c for c in chunk_document(load_document(path))}


def _sections(path: Path):
    sidecar = sidecar_path(path)
    assert sidecar.is_file(), f"{path.name} has no claims sidecar {sidecar.parent.name}/{sidecar.name}"
    return load_sidecar(sidecar)


def _all_claims():
    for path in DOCS:
        if not sidecar_path(path).is_file():
            continue
        chunks = _chunks(path)
        for section in load_sidecar(sidecar_path(path)):
            for claim in section.claims:
                yield path, chunks.get(section.id), section, claim


def _source_dir(repo: str) -> Path | None:
    """The git copy of a repository (LIVEVIEW_SOURCE, or the mirror folder of this machine; other repositories
    are looked up beside it as `<owner>+<repo>/repo`), or None."""
    liveview = Path(os.environ.get("LIVEVIEW_SOURCE") or DEFAULT_MIRROR)
    if repo == "phoenix_live_view":
        candidates = [liveview]
    else:
        candidates = sorted(liveview.parent.parent.glob(f"*+{repo}/repo"))
    for path in candidates:
        if (path / "HEAD").is_file() or (path / ".git").exists():
            return path
    return None


def _evidence_repos() -> list[str]:
    """The repositories the sidecars cite (at collection time; a broken sidecar is reported by the tests above)."""
    try:
        repos = {parse_evidence(claim.evidence).repo for _path, _chunk, _section, claim in _all_claims()}
    except ValueError:
        repos = set()
    return sorted(repos | {"phoenix_live_view"})


def _highest_tag(until: str | None) -> str:
    if until is None:
        return f"v{manifest()['liveview_version']}"
    end = parse_version(until)
    stable = [r["version"] for r in manifest()["releases"] if re.fullmatch(r"\d+\.\d+\.\d+", r["version"])]
    return "v" + max((v for v in stable if parse_version(v) < end), key=parse_version)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_section_has_its_claims(path):
    chunks = _chunks(path)
    sections = _sections(path)
    ids = [s.id for s in sections]
    assert len(ids) == len(set(ids)), f"{path.name}: a section is listed twice"
    missing_chunks = [i for i in ids if i not in chunks]
    assert missing_chunks == [], f"{path.name}: claims for sections that do not exist: {missing_chunks}"
    by_id = {s.id: s for s in sections}
    for chunk_id in chunks:
        if chunk_id.endswith("#intro"):
            continue
        assert chunk_id in by_id, f"{chunk_id}: no [[section]] entry in the claims sidecar"
        assert by_id[chunk_id].claims, f"{chunk_id}: a section needs at least one claim"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_sections_were_checked_at_their_lowest_and_highest_version(path):
    chunks = _chunks(path)
    for section in _sections(path):
        chunk = chunks[section.id]
        assert section.checked_by.strip(), (
            f"{section.id}: not checked yet; someone who did not write it checks it against the source "
            "(CONTRIBUTING.md, 'Claims sidecars') and fills checked_by"
        )
        if chunk.since is None:  # an intro chunk of a document without a since
            continue
        needed = [f"v{chunk.since}", _highest_tag(chunk.until)]  # more tags (a release in between) are welcome
        missing = [tag for tag in needed if tag not in section.checked]
        assert missing == [], f"{section.id}: checked {list(section.checked)}, also needs {missing}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_api_claims_exist_for_the_section_versions(path):
    problems = []
    chunks = _chunks(path)
    for section in _sections(path):
        chunk = chunks[section.id]
        for claim in section.claims:
            for problem in api_problems(claim, chunk.since or "0.20.0", chunk.until, chunk.text):
                problems.append(f"{section.id}: {problem}")
    assert problems == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_api_claims_are_about_names_the_section_uses(path):
    problems = []
    chunks = _chunks(path)
    for section in _sections(path):
        text = chunks[section.id].text
        for claim in section.claims:
            if not claim.api:
                continue
            match = FUNCTION_RE.match(claim.api)
            name = match["name"] if match else claim.api
            if name not in text:
                problems.append(f"{section.id}: claims {claim.api} but the section never names {name}")
            if claim.option and claim.option not in text:
                problems.append(f"{section.id}: claims option {claim.option} but the section never names it")
    assert problems == []


def test_claim_checks_flag_wrong_names_options_and_versions():
    from skill_server.knowledge.claims import Claim

    def problems(api, option=None, since=None, section_since="0.20.0", until=None, text=""):
        return api_problems(Claim(api, option, since, "x", None, "v1.0.0:a:1"), section_since, until, text)

    assert problems("Phoenix.LiveView.stream_insert/4") == []
    assert problems("Phoenix.LiveView.stream_insert/9")  # no such arity
    assert problems("Phoenix.LiveView.stream_everything/2")  # no such function
    assert problems("Phoenix.LiveView.stream_async/4")  # 1.1.5, the section claims 0.20.0
    assert problems("Phoenix.LiveView.stream_async/4", since="1.1.5", text="added in 1.1.5") == []
    assert problems("Phoenix.LiveView.stream_async/4", since="1.1.0", text="since 1.1")  # wrong since
    assert problems("Phoenix.LiveView.stream_async/4", since="1.1.5", text="no version here")  # text silent
    assert problems("Phoenix.LiveView.JS.push/3", option="loading") == []
    assert problems("Phoenix.LiveView.JS.push/3", option="loadin")  # no such option
    assert problems("Phoenix.LiveView.JS.hide/1", option="blocking")  # 1.0.0, the section claims 0.20.0
    assert problems("Phoenix.LiveView.JS.hide/1", option="blocking", section_since="1.0.0") == []
    assert problems("phx-feedback-for")  # removed in 1.0.0, inside an open-ended 0.20 section
    assert problems("phx-feedback-for", until="1.0.0") == []
    assert problems(":key")  # 1.1.0
    assert problems("phx-click-loading") == []


@pytest.mark.parametrize(
    "text",
    ["v1.0.0:lib/a.ex", "1.0.0:lib/a.ex:3", "v1.0.0:lib/a.ex:0", "v1.0.0:lib/a.ex:9-3", "Ecto@v3.0.0:lib/a.ex:1",
     "@v3.0.0:lib/a.ex:1", "v1.0.0:lib/a.ex:3 "],
)
def test_evidence_syntax_is_enforced(text):
    with pytest.raises(ValueError):
        parse_evidence(text)


def test_evidence_syntax_accepts_tags_ranges_and_other_repositories():
    assert parse_evidence("v1.0.0-rc.3:assets/js/phoenix_live_view/dom_patch.js:211").tag == "v1.0.0-rc.3"
    assert parse_evidence("v0.20.0:lib/a.ex:3-9").last == 9
    assert parse_evidence("phoenix_ecto@v4.5.0:lib/phoenix_ecto/html.ex:12").repo == "phoenix_ecto"


@pytest.fixture(scope="module")
def tiny_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("source")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    (repo / "lib").mkdir()
    (repo / "lib" / "a.ex").write_text("line 1\nline 2\ndef stream_insert\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "one"], ["tag", "v9.9.9"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)
    return repo


def test_mirror_check_accepts_a_line_that_exists(tiny_repo):
    assert evidence_problem(parse_evidence("v9.9.9:lib/a.ex:3"), tiny_repo) is None
    assert evidence_problem(parse_evidence("v9.9.9:lib/a.ex:2-3"), tiny_repo) is None


@pytest.mark.parametrize(
    ("evidence", "problem"),
    [("v9.9.9:lib/b.ex:1", "does not exist"), ("v9.9.9:lib/a.ex:4", "has 3 lines"),
     ("v9.9.8:lib/a.ex:1", "does not exist"), ("v9.9.9:lib/a.ex:2-7", "has 3 lines")],
)
def test_mirror_check_catches_a_wrong_path_tag_or_line(tiny_repo, evidence, problem):
    assert problem in (evidence_problem(parse_evidence(evidence), tiny_repo) or "")


def _claims_for(repo: str):
    return [(path, section, claim) for path, _chunk, section, claim in _all_claims()
            if parse_evidence(claim.evidence).repo == repo]


@pytest.mark.parametrize("repo", _evidence_repos())
def test_evidence_lines_exist_in_the_source(repo):
    source = _source_dir(repo)
    if source is None:
        pytest.skip(f"no git copy of {repo} here (set LIVEVIEW_SOURCE to a phoenix_live_view clone with tags; "
                    "the other repositories are looked up beside it); the manifest checks above still ran")
    problems = []
    for _path, section, claim in _claims_for(repo):
        problem = evidence_problem(parse_evidence(claim.evidence), source)
        if problem:
            problems.append(f"{section.id}: {claim.evidence}: {problem}")
    assert problems == []


def test_checked_tags_exist_in_the_source():
    source = _source_dir("phoenix_live_view")
    if source is None:
        pytest.skip("no git copy of phoenix_live_view here (set LIVEVIEW_SOURCE)")
    tags = set(subprocess.run(["git", "-C", str(source), "tag"], capture_output=True, text=True, check=True).stdout.split())
    missing = sorted({(s.id, t) for path in DOCS for s in _sections(path) for t in s.checked if t not in tags})
    assert missing == []
