"""Questions in Spanish, Portuguese, French or German: the English words their everyday words mean, so
search and recommend (whose knowledge and signals are English) still understand them."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path


def fold(text: str) -> str:
    """Lower case without accents: 'Cómo' and 'como' meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


TOKEN = re.compile(r"[\w-]+|'")


@lru_cache(maxsize=1)
def _words() -> tuple[dict[tuple[str, ...], str], int]:
    """Phrase (as tokens) -> English, and the longest phrase's length in tokens."""
    data = tomllib.loads(Path(__file__).with_name("translations.toml").read_text(encoding="utf-8"))
    phrases = {tuple(TOKEN.findall(fold(phrase))): english for phrase, english in data["words"].items()}
    return phrases, max(len(p) for p in phrases)


def in_english(text: str) -> str:
    """The English words for the non-English everyday words in `text` ('' when there are none), in the
    text's word order; where phrases overlap the longest one wins and its words are not read again alone."""
    phrases, longest = _words()
    words = TOKEN.findall(fold(text))
    found, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            english = phrases.get(tuple(words[i : i + n]))
            if english:
                found.append(english)
                i += n
                break
        else:
            i += 1
    return " ".join(found)
