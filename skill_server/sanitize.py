"""Output is inert: text echoed from input (file paths, code in messages, question words) can neither drive
a terminal nor be read as markup by whoever shows it.

- `terminal_text`: control characters (ESC, C1, DEL...) and bidirectional overrides shown as visible
  escapes (`\\x1b`), so a reviewed file cannot move the cursor, erase a finding or print a fake result.
- `code_span`: a piece of code quoted for markdown (a backtick fence longer than any backtick run inside,
  one line, bounded length), so `raw(![x](https://evil/))` stays text instead of becoming an image.
- `inert_markdown`: finding messages and notes as markdown that renders as the same text: code spans are
  kept, and outside them the characters that start links, images and HTML are backslash-escaped.
- `fence`: a code fence for a prompt that the code inside cannot close.
The CLI prints echoed text as rich `Text` (never parsed as rich markup)."""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
BACKTICKS = re.compile(r"`+")
MARKUP = re.compile(r"[\\<>\[\]]")
MAX_MESSAGE = 500


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str, newlines: bool = True) -> str:
    """`text` with control characters (and, unless `newlines`, line breaks and tabs) made visible."""
    return (CONTROL if newlines else CONTROL_OR_NEWLINE).sub(_visible, text)


def code_span(code: str, limit: int = 80) -> str:
    """`code` as one markdown inline code span, at most `limit` characters of it."""
    code = terminal_text(" ".join(code.split()), newlines=False)
    if len(code) > limit:
        code = code[: limit - 1] + "…"
    longest = max((len(run) for run in BACKTICKS.findall(code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") or not code.strip() else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def inert_markdown(text: str) -> str:
    """`text` as markdown that renders as itself: complete code spans are kept as they are, and outside
    them `\\ < > [ ]` and stray backticks are escaped; control characters are made visible and the
    length is bounded."""
    text = terminal_text(text, newlines=False)
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    pieces, position = [], 0
    runs = list(BACKTICKS.finditer(text))
    n = 0
    while n < len(runs):
        opening = runs[n]
        closing = next((m for m in runs[n + 1 :] if len(m.group()) == len(opening.group())), None)
        if closing is None:  # a stray run: escape its backticks
            pieces.append(MARKUP.sub(r"\\\g<0>", text[position : opening.start()]) + "\\`" * len(opening.group()))
            position = opening.end()
            n += 1
            continue
        pieces.append(MARKUP.sub(r"\\\g<0>", text[position : opening.start()]))
        pieces.append(text[opening.start() : closing.end()])
        position = closing.end()
        n = runs.index(closing) + 1
    pieces.append(MARKUP.sub(r"\\\g<0>", text[position:]))
    return "".join(pieces)


def fence(code: str, info: str = "") -> tuple[str, str]:
    """(opening, closing) of a fenced code block that `code` cannot close: longer than any backtick run in it."""
    longest = max((len(run) for run in BACKTICKS.findall(code)), default=0)
    marks = "`" * max(3, longest + 1)
    return marks + info, marks
