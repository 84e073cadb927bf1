"""The phrase lexicon clarify() reads (stems, fillers, wildcards, traps, sentence ends) and the translation
table it shares with search and recommend."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from skill_server.clarify import lexicon
from skill_server.knowledge.languages import fold, gloss, in_english

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("words", [("delete", "deleting", "deleted", "deletes"), ("drop", "dropped", "dropping"),
                                   ("pin", "pinned", "pins"), ("reply", "replies"), ("like", "likes", "liked")])
def test_inflections_share_a_stem(words):
    assert len({lexicon.stem(w) for w in words}) == 1


@pytest.mark.parametrize(("concept", "text", "found"), [
    ("delete_item", "Patrons can cancel their appointment from the list", True),  # a possessive between the words
    ("delete_item", "admins kick the old member out of the team", True),  # '*' stands for up to three words
    ("delete_item", "remove the spinner once the page has loaded", False),  # a trap
    ("failure_error_only", "show the error under the field", True),  # the phrase's article is a filler
    ("notification", "show a flash; the notifications are a stream", False),  # no phrase spans a sentence end
    ("toggle_saved_state", "I'd like the button to read 'Placing order...'", False),  # 'I'd like' is not a like
    ("client_only_ui", "the cell saves when the user tabs out", False),
])
def test_find(concept, text, found):
    assert (lexicon.find(concept, text) is not None) is found


def test_every_phrase_is_usable():
    data = tomllib.loads((ROOT / "skill_server/clarify/lexicon.toml").read_text(encoding="utf-8"))
    for name, entry in data.items():
        assert entry["phrases"], name
        for text in entry["phrases"] + entry.get("traps", []):
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
