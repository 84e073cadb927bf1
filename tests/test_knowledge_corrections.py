"""The wrong claims the December fact-check found (issue 19) do not come back: not in the knowledge, the
references, pattern notes and templates, rule docs, the skill or the commands. Each check is narrow enough
that the corrected wording passes it; tests/data/misconceptions.toml checks that search answers with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill_server.knowledge.corpus import chunk_document, default_roots, document_paths, load_document
from skill_server.versions import parse_version

ROOT = Path(__file__).resolve().parents[1]
SCANNED = (
    sorted((ROOT / "knowledge").glob("*.md"))
    + sorted((ROOT / "references").glob("*.md"))
    + sorted((ROOT / "skill_server/patterns/library").glob("*/pattern.toml"))
    + sorted((ROOT / "skill_server/patterns/library").glob("*/templates/*.j2"))
    + sorted((ROOT / "skill_server/review/rules").glob("*/*.py"))
    + sorted((ROOT / "skills").glob("**/*.md"))
    + sorted((ROOT / "commands").glob("*.md"))
    + [ROOT / "README.md"]
)
CHUNKS = [c for p in document_paths(default_roots()) for c in chunk_document(load_document(p))]
NEGATION = re.compile(r"\b(never|not|no|raises?|ArgumentError|fails?|failed)\b")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z`(])", _flat(text))


def _older_than(chunk, version: str) -> bool:
    return chunk.since is not None and parse_version(chunk.since) < parse_version(version)


# (fact-check number, what was wrong, a pattern only the wrong wording matches)
FORBIDDEN = [
    (2, "release history: 1.1.5 'let assign_async return a keyword list' as if it worked",
     re.compile(r"let `?assign_async`? return a keyword list")),
    (7, "ignore_attributes wildcards date from 1.1.0, not 1.1.13",
     re.compile(r"(wildcard|`\*`)[^.]{0,60}\b(work|works|supported|allowed) (from|since|in) 1\.1\.13")),
    (10, "200 ms into a 300 ms fade is two thirds of the way, not a third",
     re.compile(r"200 ms,? a third of the way")),
    (12, "push_focus pushes the element the command runs on, not the focused one",
     re.compile(r"push_focus[^.]{0,40}\b(currently|already) focused")),
    (13, "only tr and td get table display defaults; th and the others get block",
     re.compile(r"table rows and cells get")),
    (14, "max_entries is enforced on the server too; :accept is the check that trusts the client",
     re.compile(r"only the size limit is enforced")),
    (17, ":ignore is an action that shows no errors",
     re.compile(r"\(or any action\)")),
]


@pytest.mark.parametrize(("number", "reason", "pattern"), FORBIDDEN, ids=[f"#{n}" for n, _, _ in FORBIDDEN])
def test_wrong_wording_does_not_come_back(number, reason, pattern):
    hits = [p.relative_to(ROOT).as_posix() for p in SCANNED if pattern.search(_flat(p.read_text(encoding="utf-8")))]
    assert hits == [], f"fact-check #{number} ({reason}) is back in {hits}"


def _texts_about_assign_async():
    """Knowledge sections one by one, every other scanned file whole, when they mention assign_async."""
    for chunk in CHUNKS:
        if "assign_async" in chunk.text:
            yield chunk.id, chunk.text
    for path in SCANNED:
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".md" and "assign_async" in text:
            yield path.relative_to(ROOT).as_posix(), text


def test_no_text_says_assign_async_accepts_a_keyword_list():
    """#1: every release needs {:ok, map}; where assign_async is discussed, a sentence about returning a
    keyword list may only say that it fails."""
    bad = [
        f"{where}: {s}" for where, text in _texts_about_assign_async() for s in _sentences(text)
        if "keyword list" in s and "return" in s and not NEGATION.search(s)
    ]
    assert bad == []


def test_sections_before_1_0_say_loading_targets_are_locked_only_from_1_0():
    """#4: the lock on loading: targets arrived in 1.0.0-rc.3."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "1.0.0")
        for s in _sentences(c.text)
        if re.search(r"\block(ed|s)?\b", s) and ("loading:" in s or "loading target" in s) and "1.0" not in s
    ]
    assert bad == []


def _heex_blocks(text: str) -> list[str]:
    return re.findall(r"```heex\n(.*?)```", text, re.S)


def test_heex_examples_keep_phx_change_inputs_inside_a_form():
    """#5: phx-change on an input outside a form sends nothing."""
    bad = []
    for chunk in CHUNKS:
        for block in _heex_blocks(chunk.text):
            for match in re.finditer(r"<(input|select|textarea|\.input)\b[^>]*\bphx-change=", block, re.S):
                before = block[: match.start()]
                opened = len(re.findall(r"<\.?form\b", before))
                closed = len(re.findall(r"</\.?form>", before))
                if opened <= closed:
                    bad.append(f"{chunk.id}: {match.group(0)[:60]}")
    assert bad == []


def test_the_form_check_catches_a_bare_input():
    block = '<input type="search" name="q" phx-change={JS.push("search")} />\n'
    assert re.search(r"<(input|select|textarea|\.input)\b[^>]*\bphx-change=", block)
    assert not re.findall(r"<\.?form\b", block)


def test_sections_before_1_0_tie_to_form_action_to_phoenix_ecto():
    """#6: phoenix_ecto honours to_form's :action only from 4.5; 0.20 apps often have an older one."""
    bad = [c.id for c in CHUNKS if _older_than(c, "1.0.0") and "action: :validate" in c.text and "phoenix_ecto" not in c.text]
    assert bad == []


def test_sections_before_0_20_4_say_when_reinserts_stopped_moving_items():
    """#8: on 0.20.0 to 0.20.3 an explicit at: moved an existing stream item."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "0.20.4")
        for s in _sentences(c.text) if re.search(r"`?:at`? is ignored", s) and "0.20.4" not in c.text
    ]
    assert bad == []


def test_sections_before_0_20_4_say_when_cancelled_tasks_started_to_report():
    """#9: cancel_async delivers {:exit, _} only from 0.20.4."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "0.20.4")
        for s in _sentences(c.text)
        if re.search(r"\bcancel", s) and "{:exit" in s and "0.20.4" not in s and "not delivered" not in s
    ]
    assert bad == []


def test_sections_before_1_0_do_not_use_curly_body_interpolation_unexplained():
    """#18: {expr} in tag bodies needs 1.0; a 0.20 section must say so where it uses it."""
    bad = []
    for chunk in CHUNKS:
        if not _older_than(chunk, "1.0.0"):
            continue
        for block in _heex_blocks(chunk.text):
            body = re.sub(r"[\w:.-]+=\{(?:[^{}]|\{[^{}]*\})*\}", "", block)  # attribute values may use {}
            body = re.sub(r"<[^>]*>", "<>", body)
            if re.search(r"\{[^%]", body) and "<%=" not in chunk.text:
                bad.append(chunk.id)
    assert bad == []
