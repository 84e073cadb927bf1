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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .concepts import Hit
from .lexicon import ARTICLES, stem

WORD = re.compile(r"[A-Za-z0-9_]+(?:['’][A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
# A quoted label: the opening quote after a space or the sentence start (not `="delete"` or `("delete"`), the
# closing one not inside a word; apostrophes between letters ("I'm going") stay inside.
QUOTED = re.compile(r"""(?:(?<=\s)|^)(['"“‘])((?:[^'"“”‘’\n]|(?<=\w)['’](?=\w)){1,60}?)(['"”’])(?!\w)""")
CLOSING_PARENTHESIS = re.compile(r"\s*\)")
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


@dataclass
class Sentence:
    """One sentence, tokenised and stemmed once, with what every hit in it looks up (by bisection, so a sentence
    of n cue words costs n log n, not n squared)."""
    start: int
    end: int
    words: list[Word]
    quotes: list[re.Match]
    breaks: list[int]  # indexes of the words that open a clause
    first_opener: int  # index of the first word (after the first) that opens a condition; len(words) if none
    restyles: dict[tuple[int, int], Word | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [w.start for w in self.words]
        self.ends = [w.end for w in self.words]
        self.quote_starts = [q.start(2) for q in self.quotes]
        self.quote_opens = [q.start() for q in self.quotes]

    def in_quote(self, offset: int) -> bool:
        at = bisect_right(self.quote_opens, offset) - 1
        return at >= 0 and offset < self.quotes[at].end()


@dataclass
class Reading:
    """A text's sentence bounds, found once, and its sentences as they are first asked for (one per call of
    named_only: each hit looks its sentence up instead of tokenising it again)."""
    text: str
    end_starts: list[int] = field(init=False)
    end_ends: list[int] = field(init=False)
    sentences: dict[tuple[int, int], Sentence] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ends = list(SENTENCE_END.finditer(self.text))
        self.end_starts = [m.start() for m in ends]
        self.end_ends = [m.end() for m in ends]

    def bounds(self, offset: int) -> tuple[int, int]:
        """The sentence around `offset`: after the last end before it (a stop right before `offset` counts, as
        in 'foo.delete'), up to the next end."""
        text = self.text
        before = bisect_right(self.end_ends, offset)
        start = self.end_ends[before - 1] if before else 0
        if offset and text[offset - 1] in ".;!?":
            start = offset
        following = bisect_left(self.end_starts, offset)
        return start, (self.end_starts[following] if following < len(self.end_starts) else len(text))

    def sentence(self, offset: int) -> Sentence:
        bounds = self.bounds(offset)
        if bounds not in self.sentences:
            self.sentences[bounds] = _read_sentence(self.text, *bounds)
        return self.sentences[bounds]


def _read_sentence(text: str, start: int, end: int) -> Sentence:
    words = _words(text, start, end)
    word_class = classes()
    breaks = [n for n, w in enumerate(words) if w.stem in word_class["clause_breaks"]
              or (n and re.search(r"[,:()–—]| - ", text[words[n - 1].end:w.start]))]
    first_opener = next((n for n, w in enumerate(words) if n and w.stem in word_class["openers"]), len(words))
    return Sentence(start, end, words, list(QUOTED.finditer(text, start, end)), breaks, first_opener)


def _quoted(text: str, sentence: Sentence, i: int) -> str:
    """A quoted label is a name, unless it is a control the sentence asks for without restyling it."""
    words = sentence.words
    at = bisect_right(sentence.quote_starts, words[i].start) - 1
    quote = sentence.quotes[at] if at >= 0 and words[i].start < sentence.quotes[at].end(2) else None
    if not quote:
        return ""
    word_class = classes()
    after = words[bisect_left(sentence.starts, quote.end()):][:2]
    before_end = bisect_right(sentence.ends, quote.start())
    before = words[max(0, before_end - 2):before_end]
    is_control = any(w.stem in word_class["controls"] for w in after) or any(
        w.stem in word_class["presses"] | word_class["controls"] for w in before)
    if not is_control:
        return f"a quoted name ({quote.group()})"
    restyle = _restyle(text, sentence, quote.start())
    return f"a quoted control being restyled ({quote.group()}, {text[restyle.start:restyle.end]!r})" if restyle else ""


def _restyle(text: str, sentence: Sentence, offset: int) -> Word | None:
    """The first word of the clause around `offset` (up to a comma, colon, dash or a word that opens another
    clause) that changes how something looks, outside every quote; found once per clause."""
    at = bisect_right(sentence.ends, offset)
    breaks = sentence.breaks
    first = breaks[bisect_right(breaks, at) - 1] if breaks and breaks[0] <= at else 0
    following = bisect_right(breaks, at)
    last = breaks[following] if following < len(breaks) else len(sentence.words)
    if (first, last) not in sentence.restyles:
        appearance = classes()["appearance"]
        sentence.restyles[first, last] = next(
            (w for w in sentence.words[first:last] if w.stem in appearance and not sentence.in_quote(w.start)), None)
    return sentence.restyles[first, last]


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


def _condition_of_a_side_effect(text: str, sentence: Sentence, i: int) -> str:
    words = sentence.words
    if not words or words[0].stem not in classes()["side_effects"]:
        return ""
    opener = words[sentence.first_opener] if sentence.first_opener < i else None
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
    if _after_open_parenthesis(text, word.start) and CLOSING_PARENTHESIS.match(text, word.end):
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


def _after_open_parenthesis(text: str, offset: int) -> bool:
    """'(' and only spaces before `offset` (read back from it, not by searching the text before it)."""
    while offset and text[offset - 1].isspace():
        offset -= 1
    return offset > 0 and text[offset - 1] == "("


def role(text: str, hit: Hit, on_items: bool = True, reading: Reading | None = None) -> str:
    """Why the hit's words are only a name in their sentence, not the action it asks for ("" when nothing says
    so). A phrase is one unit (the noun after it can make it a name); a pattern's hit is read from its first
    word, since patterns often take in the object ('cancel the event'). `on_items`: the concept acts on items
    (delete, toggle, edit...), so a verb of it whose object is a part of the page is not it, and its participle
    before a noun names items in a state ('connected players' stays a live list). `reading`: the text's sentences
    read so far (named_only passes one for all its hits)."""
    sentence = (reading or Reading(text)).sentence(hit.start)
    words = sentence.words
    i = bisect_right(sentence.ends, hit.start)
    if i == len(words) or words[i].start >= hit.end:
        return ""
    after = bisect_left(sentence.starts, hit.end) if hit.is_phrase else i + 1
    return (_quoted(text, sentence, i) or _part_of_a_name(text, words, i, after)
            or (_acts_on_markup(text, words, i) if on_items else "")
            or _attempted(text, words, i) or _condition_of_a_side_effect(text, sentence, i)
            or (_describes_items(text, words, i, after) if on_items else ""))


def named_only(hits: list[Hit], text: str, on_items: bool = True) -> list[Hit]:
    """The hits, each one its sentence shows to be only a name vetoed (its trap says which shape and why)."""
    reading = Reading(text)
    return [replace(h, trap=f"role: {why}") if not h.trap and (why := role(text, h, on_items, reading)) else h
            for h in hits]
