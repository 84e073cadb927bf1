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


@lru_cache(maxsize=1)
def _words() -> list[tuple[re.Pattern, str]]:
    data = tomllib.loads(Path(__file__).with_name("translations.toml").read_text(encoding="utf-8"))
    phrases = sorted(data["words"].items(), key=lambda item: -len(item[0]))
    return [(re.compile(r"(?<![\w-])" + re.escape(fold(phrase)) + r"(?![\w-])"), english) for phrase, english in phrases]


def in_english(text: str) -> str:
    """The English words for the non-English everyday words in `text` ('' when there are none)."""
    folded = fold(text)
    found = []
    for pattern, english in _words():
        for match in pattern.finditer(folded):
            found.append((match.start(), english))
        # blank the phrase out (same length, positions kept) so its words are not matched again alone
        folded = pattern.sub(lambda m: " " * len(m.group()), folded)
    return " ".join(english for _, english in sorted(found))  # in the question's word order
