"""Questions in Spanish, Portuguese, French or German: the English words their everyday words mean, so
search and recommend (whose knowledge and signals are English) still understand them."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..paths import cache_dir

# Bump when fold() or TOKEN change: the cached phrases are folded and split with them.
PHRASES_FORMAT = 1


def fold(text: str) -> str:
    """Lower case without accents: 'Cómo' and 'como' meet. At most about twice the text's length comes out: an
    accent decomposes into two characters, but a compatibility character such as U+FDFA into 18, and a request of
    them at the length cap cost every later step 18 times over (audit 13 A13-16)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())[: 2 * len(text) + 16]
    return "".join(c for c in decomposed if not unicodedata.combining(c))


TOKEN = re.compile(r"[\w-]+|'")


@lru_cache(maxsize=1)
def _words() -> tuple[dict[tuple[str, ...], str], int]:
    """Phrase (as tokens) -> English, and the longest phrase's length in tokens. Parsing the TOML and folding its
    phrases costs about 50 ms, on the first query of every process; the folded phrases are kept as JSON in the
    cache directory, keyed by the file's contents, so later processes load them in a few milliseconds."""
    source = Path(__file__).with_name("translations.toml").read_bytes()
    key = hashlib.sha256(source + str(PHRASES_FORMAT).encode()).hexdigest()[:16]
    cached = cache_dir() / f"translations-{key}.json"
    try:
        phrases = {tuple(tokens): english for tokens, english in json.loads(cached.read_text(encoding="utf-8"))}
    except (OSError, ValueError, TypeError):
        data = tomllib.loads(source.decode("utf-8"))
        phrases = {tuple(TOKEN.findall(fold(phrase))): english for phrase, english in data["words"].items()}
        _write_phrases(cached, phrases)
    return phrases, max(len(p) for p in phrases)


def _write_phrases(path: Path, phrases: dict[tuple[str, ...], str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([[list(tokens), english] for tokens, english in phrases.items()], handle)
        os.replace(tmp, path)
    except OSError:
        pass  # A read-only cache location only costs start-up time.


def _translated(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, English) for each non-English phrase in folded text; the longest phrase wins."""
    phrases, longest = _words()
    words = list(TOKEN.finditer(folded))
    found, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            english = phrases.get(tuple(m.group() for m in words[i : i + n]))
            if english:
                found.append((words[i].start(), words[i + n - 1].end(), english))
                i += n
                break
        else:
            i += 1
    return found


def gloss(text: str) -> str:
    """The text (folded) with each non-English phrase replaced by its English in place, so phrase cues
    ('mostrar una notificacion' -> 'show una notification') still see their words side by side; ''
    when nothing was translated."""
    folded = fold(text)
    found = _translated(folded)
    if not found:
        return ""
    parts, last = [], 0
    for start, end, english in found:
        parts += [folded[last:start], english]
        last = end
    return "".join(parts + [folded[last:]])


def in_english(text: str) -> str:
    """The English words for the non-English everyday words in `text` ('' when there are none), in the
    text's word order; where phrases overlap the longest one wins and its words are not read again alone."""
    return " ".join(english for _, _, english in _translated(fold(text)))
