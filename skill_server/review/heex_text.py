"""The text of a HEEx template that Phoenix does not interpolate, found the way its tokenizer finds it
(`Phoenix.LiveView.TagEngine.Tokenizer`, v0.20 to v1.2): the body of a `<script>` or `<style>` start tag (lower case,
not self-closing) up to exactly `</script>` or `</style>`, and the text after a `phx-no-curly-interpolation`
attribute until the tags opened after it are closed again. A `{` there is text to Phoenix but opens an expression
to the HEEx grammar, so `blank_uninterpolated` turns such text into spaces (offsets and newlines kept) before the
tree is parsed.

Only real tags count: `<script>` inside an HTML or EEx comment, an attribute value, an EEx tag or a `{...}`
expression, a self-closing `<script ... />` and a custom element such as `<script-island>` start nothing (audit 9
N1: such a mention blanked every element up to the next `</script>`). One pass, left to right; where the template
is not valid HEEx (an unclosed comment, quote or expression) the pass stops, so its cost is linear in any case."""

from __future__ import annotations

import re

# What the pass stops at: comments, EEx tags, close tags, start tags (an HTML tag, `<.component>`, `<:slot>`,
# `<Remote.component>`) and curly braces.
NEXT = re.compile(rb"<!--|<%!--|<%|</|<(?=[A-Za-z.:])|[{}]")
# A tag name runs to the characters Phoenix's tokenizer stops at (space, tab, newlines, form feed, `/`, `>`, `=`,
# quotes), so `<scriptä-x>` or `<script+x>` is a custom name, not a script (audit 10 M2).
TAG_NAME = re.compile(rb"[A-Za-z.:][^ \t\r\n\f/>=\"']*")
ATTR_NAME = re.compile(rb"[^\s=>/\"'{}<]+")
SPACE = re.compile(rb"\s*")
CURLY = re.compile(rb"\\[{}]|[{}]")  # `\{` and `\}` inside an expression open and close nothing
RAW_TEXT_TAGS = (b"script", b"style")
NO_CURLY = b"phx-no-curly-interpolation"
ALL_AS_SPACES = bytes(0x0A if byte == 0x0A else 0x20 for byte in range(256))  # newlines kept, so lines stay
BRACES_AS_SPACES = bytes.maketrans(b"{}", b"  ")


def blank_uninterpolated(data: bytes) -> bytes:
    """`data` with the text Phoenix does not interpolate blanked: a script or style body wholly (its EEx tags
    kept), the braces of text under phx-no-curly-interpolation (attribute values there are still expressions)."""
    out = bytearray(data)
    position, size = 0, len(data)
    braces: int | None = None  # None: text braces interpolate; a count: tags opened since phx-no-curly-interpolation
    while position < size and (match := NEXT.search(data, position)) is not None:
        token, at = match.group(), match.start()
        if braces is not None and at > position:  # text under phx-no-curly-interpolation
            out[position:at] = data[position:at].translate(BRACES_AS_SPACES)
        if token in (b"{", b"}"):
            if braces is not None:
                out[at:at + 1] = b" "
                position = at + 1
            elif token == b"}":
                position = at + 1
            else:
                position = _curly_end(data, at)
            continue
        if token in (b"<!--", b"<%!--", b"<%"):
            end_mark = {b"<!--": b"-->", b"<%!--": b"--%>", b"<%": b"%>"}[token]
            end = data.find(end_mark, at + len(token))
            position = size if end < 0 else end + len(end_mark)
            continue
        if token == b"</":
            end = data.find(b">", at)
            position = size if end < 0 else end + 1
            if braces is not None:  # as the tokenizer counts: only the pop at 1 ends the region; below 0 it stays
                braces = None if braces == 1 else braces - 1
            continue
        name, end, self_closing, no_curly = _start_tag(data, at)
        if end < 0:  # not a tag Phoenix would accept: the template does not parse; nothing more is read
            break
        position = end
        if no_curly and braces is None and name not in RAW_TEXT_TAGS:
            braces = 0
        if self_closing:
            continue
        if name in RAW_TEXT_TAGS:
            close = _raw_text_close(data, end, name)
            if close < 0:
                break
            _blank_body(data, out, end, close)
            # past the close tag: it pops no brace count (Phoenix leaves raw text straight back to text)
            position = close + len(name) + 3
            continue
        if braces is not None:
            braces += 1
    return bytes(out)


def _raw_text_close(data: bytes, start: int, name: bytes) -> int:
    """The offset of the `</script>` (`</style>`) ending a raw-text body, EEx tags skipped (a `</script>` inside
    `<%= "</script>" %>` is Elixir, not text: audit 10 M1), or -1."""
    closer, position = b"</" + name + b">", start
    close = data.find(closer, position)
    while close >= 0:
        opened = data.find(b"<%", position, close)
        if opened < 0:
            return close
        if data.startswith(b"<%%", opened):  # `<%%` is a literal `<%` (EEx's escape), not a tag (audit 11 M4)
            position = opened + 3
            continue
        ended = data.find(b"%>", opened + 2)
        if ended < 0:
            return close  # an EEx tag never closed (invalid EEx): the body is read as text up to the close tag
        position = ended + 2
        if position > close:  # the close tag found was inside this EEx tag: look again past it (each byte once)
            close = data.find(closer, position)
    return -1


def _curly_end(data: bytes, at: int) -> int:
    """The offset after the `}` closing the expression opened at `at`, or the end of `data`."""
    depth = 0
    for brace in CURLY.finditer(data, at):
        if brace.group() == b"{":
            depth += 1
        elif brace.group() == b"}":
            depth -= 1
            if depth == 0:
                return brace.end()
    return len(data)


def _start_tag(data: bytes, at: int) -> tuple[bytes, int, bool, bool]:
    """(name, offset after the tag, self-closing, has phx-no-curly-interpolation) of the start tag at `at`; the
    offset is -1 when the tag is not closed as HEEx requires."""
    name_match = TAG_NAME.match(data, at + 1)
    if name_match is None:
        return b"", -1, False, False
    position, no_curly = name_match.end(), False
    while True:
        position = SPACE.match(data, position).end()
        if data.startswith(b"/>", position):
            return name_match.group(), position + 2, True, no_curly
        if data.startswith(b">", position):
            return name_match.group(), position + 1, False, no_curly
        if data.startswith(b"{", position):  # a root attribute: `<div {@rest}>`
            position = _curly_end(data, position)
            continue
        attr = ATTR_NAME.match(data, position)
        if attr is None:
            return b"", -1, False, False
        no_curly = no_curly or attr.group() == NO_CURLY
        position = SPACE.match(data, attr.end()).end()
        if not data.startswith(b"=", position):
            continue
        position = SPACE.match(data, position + 1).end()
        quote = data[position:position + 1]
        if quote in (b'"', b"'"):
            end = data.find(quote, position + 1)
            if end < 0:
                return b"", -1, False, False
            position = end + 1
        elif quote == b"{":
            position = _curly_end(data, position)
        else:
            return b"", -1, False, False


def _blank_body(data: bytes, out: bytearray, start: int, close: int) -> None:
    """A script or style body as spaces, but for the EEx tags in it (Phoenix evaluates those)."""
    text_from = start
    for eex_start, eex_end in [*_eex_tags(data, start, close), (close, close)]:
        out[text_from:eex_start] = data[text_from:eex_start].translate(ALL_AS_SPACES)
        text_from = eex_end


def _eex_tags(data: bytes, start: int, close: int) -> list[tuple[int, int]]:
    """(start, end) of the `<% ... %>` tags between start and close, in one left-to-right scan: each `<%` looks for
    its `%>` once, and with none left the rest is text (a regex retried from every unclosed `<%` was quadratic:
    audit 10 M3)."""
    tags, at = [], start
    while (opened := data.find(b"<%", at, close)) >= 0:
        if data.startswith(b"<%%", opened):  # `<%%` is EEx's escape for a literal `<%`: text, no tag
            at = opened + 3
            continue
        ended = data.find(b"%>", opened + 2, close)
        if ended < 0:
            break
        tags.append((opened, ended + 2))
        at = ended + 2
    return tags
