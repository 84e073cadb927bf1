"""The matcher clarify() reads (stems, fillers, wildcards, traps over phrases and patterns, sentence ends) and
the translation table it shares with search and recommend."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from skill_server.clarify import cues
from skill_server.matching import lexicon
from skill_server.knowledge.languages import fold, gloss, in_english

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("words", [("delete", "deleting", "deleted", "deletes"), ("drop", "dropped", "dropping"),
                                   ("pin", "pinned", "pins"), ("reply", "replies"), ("like", "likes", "liked")])
def test_inflections_share_a_stem(words):
    assert len({lexicon.stem(w) for w in words}) == 1


def _interaction(kind):
    return next(c for c in cues.interactions() if c.name == kind)


@pytest.mark.parametrize(("concept", "text", "found"), [
    (lambda: _interaction("delete"), "Patrons can cancel their appointment from the list", True),  # a possessive between the words
    (lambda: _interaction("delete"), "admins kick the old member out of the team", True),  # '*' stands for up to three words
    (lambda: _interaction("delete"), "remove the spinner once the page has loaded", False),  # a trap
    (lambda: cues.decisions()["failure_ux"]["cues"]["error_only"], "show the error under the field", True),  # the phrase's article is a filler
    (lambda: _interaction("notify"), "show a flash; the notifications are a stream", False),  # no phrase spans a sentence end
    (lambda: _interaction("toggle"), "I'd like the button to read 'Placing order...'", False),  # 'I'd like' is not a like
    (lambda: _interaction("client_toggle"), "the cell saves when the user tabs out", False),
])
def test_find(concept, text, found):
    assert bool(concept().found(text)) is found


def _entries():
    for path in sorted((ROOT / "skill_server/clarify/concepts").rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        yield path.stem, data
        for key, option in data.get("options", {}).items():
            yield f"{path.stem}.{key}", option


def test_every_phrase_is_usable():
    for name, entry in _entries():
        for text in entry.get("phrases", []) + entry.get("traps", []):
            phrase = lexicon._phrase(text)
            assert phrase and phrase[0] != "*" and phrase[-1] != "*", (name, text)
            written = re.findall(r"\*|[a-z0-9_]+(?:'[a-z]+)?", text.lower())
            # 'notification that' would shrink to a bare 'notification' once its filler is dropped
            assert len(written) == 1 or len([p for p in phrase if p != "*"]) > 1, (name, text)


def test_gloss_keeps_words_side_by_side():
    assert "show une notification" in gloss("Je veux afficher une notification quand l'export est prêt")
    assert gloss("Show a toast when the export is ready") == ""


def test_translation_keys_are_not_english_words():
    """An English request must not be 'translated': 'element' once became 'item' and moved search results."""
    english = set()
    for doc in (ROOT / "knowledge").rglob("*.md"):
        english |= set(re.findall(r"[a-z]+", doc.read_text(encoding="utf-8").lower()))
    words = tomllib.loads((ROOT / "skill_server/knowledge/translations.toml").read_text(encoding="utf-8"))["words"]
    clashes = [key for key, value in words.items()
               if fold(key) in english and lexicon.stem(fold(key)) not in {lexicon.stem(w) for w in value.split()}]
    assert not clashes
    assert in_english("details element closes after every patch") == ""
