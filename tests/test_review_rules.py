"""Every review rule against its fixtures: the cases it must flag (exact lines) and the traps it must not
flag. Fixtures live beside the rules: skill_server/review/rules/<family>/fixtures/<slug>.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from skill_server.review.engine import review_source
from skill_server.review.registry import all_rules

RULES_DIR = Path(__file__).resolve().parents[1] / "skill_server" / "review" / "rules"


def _cases():
    for loaded in all_rules():
        rule = loaded.rule
        path = RULES_DIR / rule.family / "fixtures" / f"{rule.slug}.toml"
        data = tomllib.loads(path.read_text()) if path.exists() else {}
        for kind in ("flag", "pass"):
            for n, case in enumerate(data.get(kind, []), 1):
                yield pytest.param(rule.slug, kind, case, id=f"{rule.slug}-{kind}-{n}")


def _project(tmp_path: Path, case: dict) -> tuple[str | None, str | None]:
    """(filename, project root): a case with `files` (path -> source, the project's other files) is reviewed
    as project review sees it, inside a Mix project holding those files."""
    if "files" not in case:
        return case.get("filename"), None
    (tmp_path / "mix.exs").write_text("defmodule Fixture.MixProject do\nend\n")
    for relative, source in {**case["files"], case["filename"]: case["code"]}.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.lstrip("\n"))
    return str(tmp_path / case["filename"]), str(tmp_path)


@pytest.mark.parametrize(("slug", "kind", "case"), list(_cases()))
def test_rule_fixture(slug, kind, case, tmp_path):
    strict = case.get("strict", kind == "pass")
    filename, project_root = _project(tmp_path, case)
    # A separate template is reviewed with the module beside it, as project review hands it (`x_live.html.heex`).
    beside = case["filename"][: -len(".html.heex")] + ".ex" if case["filename"].endswith(".html.heex") else None
    companion = case.get("files", {}).get(beside, "").lstrip("\n") or None
    result = review_source(case["code"].lstrip("\n"), filename=filename, liveview_version=case.get("version"),
                           strict=strict, companion=companion, project_root=project_root)
    lines = sorted(f.line for f in result.findings if f.rule == slug)
    if kind == "flag":
        assert lines == sorted(case["lines"]), case.get("note", "")
    else:
        assert lines == [], case.get("note", "")


@pytest.mark.parametrize("loaded", all_rules(), ids=lambda r: r.rule.slug)
def test_every_rule_has_fixtures_and_an_explanation(loaded):
    rule = loaded.rule
    path = RULES_DIR / rule.family / "fixtures" / f"{rule.slug}.toml"
    assert path.exists(), f"{rule.slug} has no fixtures"
    data = tomllib.loads(path.read_text())
    assert data.get("flag") and len(data.get("pass", [])) >= 1
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## False positives",
                    "## Severity and confidence"):
        assert section in loaded.explanation, f"{rule.slug}: explanation lacks {section}"


def test_slugs_and_codes_are_unique_and_cover_the_catalogue():
    rules = [r.rule for r in all_rules()]
    assert len({r.slug for r in rules}) == len(rules)
    assert len({r.code for r in rules}) == len(rules)
    catalogue = Path(__file__).resolve().parents[2] / "shared" / "spec" / "review-rules.md"
    if catalogue.exists():
        import re

        listed = set(re.findall(r"^\| `([a-z_]+)` \|", catalogue.read_text(), re.M))
        assert listed - {r.slug for r in rules} == set()


def test_every_rule_says_why_it_sits_where_it_does():
    """The severity section names the rule's severity (and harm, when it has one) in its first words."""
    for loaded in all_rules():
        rule = loaded.rule
        section = loaded.explanation.split("## Severity and confidence", 1)[1].split("##", 1)[0].strip()
        assert section.lower().startswith(rule.severity), rule.slug
        if rule.harm:
            assert f"harm {rule.harm.replace('_', ' ')}" in section, rule.slug


def test_every_rule_cites_a_knowledge_section_that_exists():
    from skill_server.knowledge.corpus import chunk_document, documents

    ids = {chunk.id for doc in documents().values() for chunk in chunk_document(doc)}
    for loaded in all_rules():
        assert loaded.rule.cites in ids, f"{loaded.rule.slug} cites {loaded.rule.cites}, which is no section"


def test_rule_docs_keep_the_markup_their_fix_names():
    """A fix naming an element (`Use <button type="button"> for actions.`) reaches the page whole: rendered as
    Markdown, an unescaped `<button ...>` was dropped as an HTML tag ("Fix: Use  for actions.")."""
    from markdown_it import MarkdownIt

    from skill_server.review.registry import rule_doc

    rendered = MarkdownIt().render(rule_doc("link_used_as_button").explanation)
    assert '&lt;button type="button"&gt; for actions' in rendered or "&lt;button type=&quot;button&quot;&gt; for actions" in rendered
