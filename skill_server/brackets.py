"""Bracket matching in code text, computed once per text in one linear pass.

A call's arguments are the text between its `(` and the bracket that closes it, as a scan that starts at
that `(` sees it: `"` opens or closes a string unless the character before it is a backslash, brackets
inside strings do not count, and any closing bracket closes any opening one. Scanning again from every
`(` costs the square of the text's length on nested calls (`JS.push(JS.push(...`); this index answers
every `(` of a text from one pass. Whether a position is inside a string depends only on how many
quotes lie between it and the scan's start, so every opening bracket belongs to one of two phases (even
or odd count of quotes before it) and each phase is one stack."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

TOKEN = re.compile(r'[()\[\]{}"]')
OPENER = re.compile(r"[(\[{]")
OPENERS = "([{"


@dataclass(frozen=True)
class BracketIndex:
    closer: dict[int, int]  # index of an opening bracket -> index of its closing bracket
    quotes: list[int]  # indexes of the quotes that open or close a string, ascending

    def phase(self, index: int) -> int:
        return bisect_left(self.quotes, index) & 1


@lru_cache(maxsize=8)
def bracket_index(text: str) -> BracketIndex:
    closer: dict[int, int] = {}
    quotes: list[int] = []
    stacks: tuple[list[int], list[int]] = ([], [])
    for match in TOKEN.finditer(text):
        i = match.start()
        ch = text[i]
        if ch == '"':
            if i == 0 or text[i - 1] != "\\":
                quotes.append(i)
            continue
        stack = stacks[len(quotes) & 1]
        if ch in OPENERS:
            stack.append(i)
        elif stack:
            closer[stack.pop()] = i
    return BracketIndex(closer, quotes)


def balanced_args(text: str, open_index: int, limit: int = 1000) -> str:
    """The text between the bracket at open_index and its closing bracket (the rest of the text when it
    is never closed), at most `limit` characters of it: real arguments are short, and nested calls would
    otherwise copy the rest of the text once per call."""
    end = bracket_index(text).closer.get(open_index, len(text))
    return text[open_index + 1 : min(end, open_index + 1 + limit)]


def top_level_args(text: str, open_index: int, limit: int = 2000) -> str:
    """The arguments of the call whose `(` is at open_index, at most `limit` characters of them, with every
    nested bracket group (a list, a map, another call) left out."""
    index = bracket_index(text)
    phase = index.phase(open_index)
    end = min(index.closer.get(open_index, len(text)), open_index + 1 + limit)
    pieces, position = [], open_index + 1
    while position < end:
        nested = OPENER.search(text, position, end)
        if nested is None:
            pieces.append(text[position:end])
            break
        pieces.append(text[position : nested.start()])
        if index.phase(nested.start()) != phase:  # inside a string, as this call's scan sees it
            pieces.append(text[nested.start()])
            position = nested.start() + 1
            continue
        close = index.closer.get(nested.start())
        if close is None or close >= end:
            break
        pieces.append(" ")
        position = close + 1
    return "".join(pieces)


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """`text` split at `separator` outside brackets and double-quoted strings, parts stripped:
    `a, f(b, c), "d, e"` -> ["a", "f(b, c)", '"d, e"']; `"<b>" <> @x` with "<>" -> ['"<b>"', "@x"]."""
    parts, depth, begin, quoted, index = [], 0, 0, False, 0
    while index < len(text):
        char = text[index]
        if char == '"' and (index == 0 or text[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted:
            depth += (char in "([{") - (char in ")]}")
            if depth == 0 and text.startswith(separator, index):
                parts.append(text[begin:index].strip())
                begin = index = index + len(separator)
                continue
        index += 1
    return [*parts, text[begin:].strip()]


def plain_expression(text: str) -> str:
    """Code text as the code means it, for rules that judge an expression by its text: `#` comments outside strings
    left out, each run of whitespace one space, and parentheses that only wrap another pair or the whole text
    dropped. `raw((@c.body))` and `raw(# as is\n @c.body)` read as `raw(@c.body)`. Bounded: the text is short."""
    kept, position = [], 0
    for index, _ in code_characters(text, HASH):  # `#` in a string, a sigil or `?#` is not a comment
        if text[index + 1:index + 2] != "{":
            kept.append(text[position:index])
            end = text.find("\n", index)
            position = len(text) if end < 0 else end
    kept.append(text[position:])
    plain = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", re.sub(r"\s+", " ", "".join(kept)).strip()))
    for _ in range(8):  # each pass drops the outermost redundant pairs; nesting deeper than this is not real code
        wrapped = _redundant_pairs(plain)
        if not wrapped:
            break
        plain = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", "".join(
            char for index, char in enumerate(plain) if index not in wrapped))).strip()
    return plain


SIMPLE_TERM = re.compile(r"\s*@?[\w.?!]+\s*")  # a variable, an assign or a field path
CALLED = frozenset("?!)]}.&%~_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # before a call's `(`


def _redundant_pairs(text: str) -> set[int]:
    """Positions of parentheses that wrap exactly another pair (`((x))`: the inner one) or the whole text."""
    closer = bracket_index(text).closer
    drop: set[int] = set()
    if text.startswith("(") and closer.get(0) == len(text) - 1:
        return {0, len(text) - 1}
    for open_at, close_at in closer.items():
        if text[open_at] != "(":
            continue
        inner = open_at + 1
        while inner < close_at and text[inner] == " ":
            inner += 1
        before = open_at - 1 - (open_at > 0 and text[open_at - 1] == " ")  # whitespace is one space by now
        if SIMPLE_TERM.fullmatch(text, open_at + 1, close_at) and (before < 0 or text[before] not in CALLED):
            drop |= {open_at, close_at}  # `(@user) |> Jason.encode!()`: a lone value in parentheses (not a call's)
            continue
        if text[inner:inner + 1] != "(" or closer.get(inner) is None:
            continue
        after = closer[inner] + 1
        while after < close_at and text[after] == " ":
            after += 1
        if after == close_at:
            drop |= {inner, closer[inner]}
    return drop


SIGIL_CLOSERS = {"/": "/", "|": "|", '"': '"', "'": "'", "(": ")", "[": "]", "{": "}", "<": ">"}


LITERAL_OR_COMMENT = re.compile(r"[\"'~?#]")  # where a string, charlist, sigil, character literal or comment may start
HASH = re.compile("#")
ANY_CODE = re.compile(r"[\s\S]+")  # every run of code, for code_text()


def code_characters(text: str, wanted: re.Pattern | None = None):
    """(index, text) of the code in `text`, stepping over strings, charlists, sigils, character literals and
    comments (a linkify regex, `~r/(https?:[^)]+)/` or `~r/#(\\w+)/`, holds brackets and `#`s that are not code).
    Each character is yielded, or with `wanted` only its matches (a character class, or a run pattern such as
    ANY_CODE): the code between literals is searched in C, not walked in Python. A comment's `#` is yielded (when
    wanted), then the rest of its line is stepped over. One pass: linear."""
    index, length = 0, len(text)
    while index < length:
        special = LITERAL_OR_COMMENT.search(text, index)
        stop = special.start() if special else length
        if wanted is None:
            yield from ((at, text[at]) for at in range(index, stop))
        else:
            yield from ((match.start(), match.group()) for match in wanted.finditer(text, index, stop))
        if special is None:
            return
        index, char = stop, text[stop]
        if char == '"' or (char == "'" and not word_char(text[index - 1:index])):  # `don't` in markup is no charlist
            index = _literal_end(text, index + 1, char)
            continue
        if char == "~" and index + 2 < length and text[index + 1].isalpha():
            opener = index + 1
            while opener < length and text[opener].isalpha():
                opener += 1
            if opener < length and text[opener] in SIGIL_CLOSERS:
                index = _literal_end(text, opener + 1, SIGIL_CLOSERS[text[opener]])
                while index < length and text[index].isalpha():  # modifiers: `~r/.../iu`
                    index += 1
                continue
        if char == "?" and index + 1 < length and not word_char(text[index - 1:index]):
            index += 2  # a character literal: `?(`
            continue
        if wanted is None or wanted.match(char):
            yield index, char
        if char == "#" and text[index + 1:index + 2] != "{":  # a comment, to the end of its line
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        index += 1


def code_text(text: str) -> str:
    """`text` without its strings, charlists, sigils, character literals and comments' words (a comment's `#`
    stays): what the code itself names."""
    return "".join(part for _, part in code_characters(text, ANY_CODE))


def word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


LITERAL_STOPS = {closer: re.compile("[\\\\#" + re.escape(closer) + "]") for closer in set(SIGIL_CLOSERS.values())}
BRACES = re.compile(r"[{}]")


def _literal_end(text: str, index: int, closer: str) -> int:
    """Where a string, charlist or sigil body that starts at `index` ends (just past `closer`; the text's end
    when it is never closed). A backslash escapes the next character; an interpolation `#{...}` is stepped over
    by its braces. The body between those marks is searched in C."""
    length = len(text)
    stops = LITERAL_STOPS[closer]
    while index < length:
        stop = stops.search(text, index)
        if stop is None:
            return length
        index, char = stop.start(), stop.group()
        if char == "\\":
            index += 2
        elif char == closer:
            return index + 1
        elif text[index + 1:index + 2] == "{":  # `#{`: to its closing brace
            depth, index = 1, index + 2
            while depth:
                brace = BRACES.search(text, index)
                if brace is None:
                    return length
                depth += 1 if brace.group() == "{" else -1
                index = brace.end()
        else:
            index += 1
    return length
