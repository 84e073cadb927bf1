"""The role a concept's words play in their sentence: the action a request asks for, or only a name of something.

A word that names an action (delete, reorder, archive, toggle, vote) often sits in a request that asks for
something else. These shapes of the sentence say so, whatever the word:

- a quoted label ('the "Reorder" menu item', 'the "Recently removed" list'), unless the label sits on a control
  the sentence asks for and does not restyle, move or hide ('add a "Like" button', 'click "Cancel refill"');
- part of a name, before a noun such as key, tab, textarea, dialog ('the Delete key', 'the AI chat textarea');
- a verb whose object is a part of the page's markup or of the code ('toggle the panels', 'update the badge',
  'create a search LiveView');
- an attempt the request reacts to ('when someone tries to delete a project they don't own');
- the condition of a side effect the request asks for ('log a warning when a member removes a guest');
- a measure right after it ('sorted by upvote count'), or a past participle that says which items are meant ('the archived sessions', 'completed (archived) items',
  'anything that gets deleted'): a state or an event the items went through, not an act asked for.

The word classes are data in roles.toml, each with its reason; `role` says which shape holds and why."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .concepts import Hit
from .lexicon import ARTICLES, stem

WORD = re.compile(r"[A-Za-z0-9_]+(?:['’][A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
# A quoted label: the opening quote after a space or the sentence start (not `="delete"` or `("delete"`), the
# closing one not inside a word; apostrophes between letters ("I'm going") stay inside.
QUOTED = re.compile(r"""(?:(?<=\s)|^)(['"“‘])((?:[^'"“”‘’\n]|(?<=\w)['’](?=\w)){1,60}?)(['"”’])(?!\w)""")
JOINS_A_NAME = re.compile(r"\s*[/-]?\s*")  # what may sit between the words of one name: 'Cancel/Ok dialog'


@dataclass(frozen=True)
class Word:
    stem: str
    start: int
    end: int


@lru_cache(maxsize=1)
def classes() -> dict[str, frozenset[str]]:
    """roles.toml's word classes as sets of stems."""
    data = tomllib.loads(Path(__file__).with_name("roles.toml").read_text(encoding="utf-8"))
    return {name: frozenset(stem(w) for w in words) for name, words in data.items()}


def _words(text: str, start: int, end: int) -> list[Word]:
    return [Word(stem(m.group()), start + m.start(), start + m.end()) for m in WORD.finditer(text[start:end])]


def _sentence(text: str, offset: int) -> tuple[int, int]:
    starts = [m.end() for m in SENTENCE_END.finditer(text, 0, offset)]
    following = SENTENCE_END.search(text, offset)
    return (starts[-1] if starts else 0), (following.start() if following else len(text))


def _quoted(text: str, sentence: tuple[int, int], words: list[Word], i: int) -> str:
    """A quoted label is a name, unless it is a control the sentence asks for without restyling it."""
    start, end = sentence
    quotes = list(QUOTED.finditer(text, start, end))
    quote = next((m for m in quotes if m.start(2) <= words[i].start < m.end(2)), None)
    if not quote:
        return ""
    word_class = classes()
    after = [w for w in words if w.start >= quote.end()][:2]
    before = [w for w in words if w.end <= quote.start()][-2:]
    is_control = any(w.stem in word_class["controls"] for w in after) or any(
        w.stem in word_class["presses"] | word_class["controls"] for w in before)
    if not is_control:
        return f"a quoted name ({quote.group()})"
    clause = _clause(text, words, quote.start())
    restyle = next((w for w in clause if w.stem in word_class["appearance"]
                    and not any(q.start() <= w.start < q.end() for q in quotes)), None)
    return f"a quoted control being restyled ({quote.group()}, {text[restyle.start:restyle.end]!r})" if restyle else ""


def _clause(text: str, words: list[Word], offset: int) -> list[Word]:
    """The words of the clause around `offset`: up to a comma, colon, dash or a word that opens another clause."""
    breaks = [n for n, w in enumerate(words) if w.stem in classes()["clause_breaks"]
              or (n and re.search(r"[,:()–—]| - ", text[words[n - 1].end:w.start]))]
    at = next((n for n, w in enumerate(words) if w.end > offset), len(words))
    first = max((n for n in breaks if n <= at), default=0)
    last = min((n for n in breaks if n > at), default=len(words))
    return words[first:last]


def _part_of_a_name(text: str, words: list[Word], i: int, after: int) -> str:
    """The action word modifies a noun that names a thing: 'the Delete key', 'the chat textarea'."""
    word_class = classes()
    for previous, word in zip(words[after - 1:], words[after:after + 3]):
        if word.stem in word_class["stops"] or not JOINS_A_NAME.fullmatch(text[previous.end:word.start]):
            return ""
        if word.stem in word_class["named_parts"]:
            return f"part of the name {text[words[i].start:word.end]!r}"
    return ""


def _acts_on_markup(text: str, words: list[Word], i: int) -> str:
    """A verb whose object is a part of the page or the code: 'toggle the panels', 'create a search LiveView'."""
    word_class = classes()
    rest = words[i + 1:i + 5]
    determiner = bool(rest) and rest[0].stem in ARTICLES
    lead = i > 0 and words[i - 1].stem in word_class["verb_leads"] and not text[words[i - 1].end:words[i].start].strip()
    if not rest or not (lead or determiner) or words[i].stem in word_class["presses"]:
        return ""  # pressing a part of the page ('tap the star icon') uses it
    obj = rest[1:] if determiner else rest
    for previous, word in zip([rest[0] if determiner else words[i], *obj], obj[:3]):
        if word.stem in word_class["stops"] or not JOINS_A_NAME.fullmatch(text[previous.end:word.start]):
            return ""
        if word.stem in word_class["ui_parts"] | word_class["code_parts"]:
            return f"acts on a part of the page or the code ({text[words[i].start:word.end]!r})"
    return ""


def _attempted(text: str, words: list[Word], i: int) -> str:
    attempt = next((w for w in words[max(0, i - 2):i] if w.stem in classes()["attempts"]), None)
    return f"an attempt the request reacts to ({text[attempt.start:words[i].end]!r})" if attempt else ""


def _condition_of_a_side_effect(text: str, words: list[Word], i: int) -> str:
    word_class = classes()
    if not words or words[0].stem not in word_class["side_effects"]:
        return ""
    opener = next((w for w in words[1:i] if w.stem in word_class["openers"]), None)
    return f"the condition of {text[words[0].start:words[0].end]!r} ({text[opener.start:words[i].end]!r})" if opener else ""


def _describes_items(text: str, words: list[Word], i: int, after: int) -> str:
    """A measure after the word ('upvote count'), or a past participle before a noun, in parentheses or after
    'that gets': which items or how many, not an act."""
    word_class = classes()
    word = words[i]
    noun = words[after] if after < len(words) else None
    if noun and noun.stem in word_class["measures"] and not text[words[after - 1].end:noun.start].strip():
        return f"a measure of the action, read ({text[word.start:noun.end]!r})"
    if not text[word.start:word.end].lower().endswith("ed"):
        return ""
    if re.search(r"\(\s*$", text[:word.start]) and re.match(r"\s*\)", text[word.end:]):
        return f"a state naming items ({text[word.start - 1:word.end + 1]!r})"
    lead = words[i - 1] if i else None
    if lead and lead.stem in word_class["passive_leads"] and i > 1 and (
            words[i - 2].stem in word_class["relatives"] or lead.stem in {"been", "being"} and i > 2
            and words[i - 3].stem in word_class["relatives"]):
        return f"an event the items went through ({text[words[i - 2].start:word.end]!r})"
    opens = lead is not None and (lead.stem in word_class["item_leads"]
                                   or bool(re.search(r"[,:(]\s*$", text[lead.end:word.start])))
    if noun and opens and noun.stem not in word_class["stops"] and not text[words[after - 1].end:noun.start].strip():
        return f"a state naming items ({text[word.start:noun.end]!r})"
    return ""


def role(text: str, hit: Hit, on_items: bool = True) -> str:
    """Why the hit's words are only a name in their sentence, not the action it asks for ("" when nothing says
    so). A phrase is one unit (the noun after it can make it a name); a pattern's hit is read from its first
    word, since patterns often take in the object ('cancel the event'). `on_items`: the concept acts on items
    (delete, toggle, edit...), so a verb of it whose object is a part of the page is not it, and its participle
    before a noun names items in a state ('connected players' stays a live list)."""
    sentence = _sentence(text, hit.start)
    words = _words(text, *sentence)
    i = next((n for n, w in enumerate(words) if w.end > hit.start), None)
    if i is None or words[i].start >= hit.end:
        return ""
    after = next((n for n, w in enumerate(words) if w.start >= hit.end), len(words)) if hit.is_phrase else i + 1
    return (_quoted(text, sentence, words, i) or _part_of_a_name(text, words, i, after)
            or (_acts_on_markup(text, words, i) if on_items else "")
            or _attempted(text, words, i) or _condition_of_a_side_effect(text, words, i)
            or (_describes_items(text, words, i, after) if on_items else ""))


def named_only(hits: list[Hit], text: str, on_items: bool = True) -> list[Hit]:
    """The hits, each one its sentence shows to be only a name vetoed (its trap says which shape and why)."""
    return [replace(h, trap=f"role: {why}") if not h.trap and (why := role(text, h, on_items)) else h for h in hits]
