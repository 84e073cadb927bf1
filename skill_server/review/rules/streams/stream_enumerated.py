"""## What it does
Flags code that treats a stream like a list: `Enum.*`, `length`, `hd`, `List.*` or `Stream.*` on
`@streams.name` (called or piped), emptiness checks such as `@streams.name == []`, and `for ... <-
socket.assigns.streams.name` in Elixir code.

## Why is this bad?
A stream is not kept on the server: `@streams.name` only holds the items inserted since the last render,
and they are freed once sent. Only a comprehension in the template (`:for`, or `for` inside `~H`) may read
them; anything else that walks the stream raises, on every release from 0.20 to 1.2: `Enum.filter`,
`Enum.map`, `Enum.any?` or a `for` in Elixir code raise `ArgumentError` (the stream accepts only a template
comprehension), `Enum.empty?`, `Enum.at/2` and `Enum.member?/2` a `RuntimeError` (the stream does not
implement them), `length/1` and `hd/1` an `ArgumentError` (it is not a list). `Enum.count/1` does not raise,
but it counts the pending inserts, not the collection, so it is wrong after the first render. `== []` is
never true.

## Example
```heex
<p :if={Enum.empty?(@streams.messages)}>No messages yet</p>
<span>{length(@streams.messages)} messages</span>
```

## Use instead
Keep a count in its own assign, updated with each insert and delete, and show empty states with CSS
(`<div id="empty" class="hidden only:block">` as the container's only other child). To filter, query again
and re-stream with `reset: true`.

## False positives
`:for={{id, item} <- @streams.messages}` and `<%= for {id, item} <- @streams.messages do %>` in templates
are the intended way to render a stream and are not flagged.

## Severity and confidence
Error: the code raises when it runs (or, for `Enum.count/1`, counts the wrong items). No harm class: the
raise shows on the first render in development. High confidence: the stream is named in the call.

## References
knowledge: streams#streams-are-not-enumerable
"""

import re

from ...helpers import module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="stream_enumerated", code="LV308", family="streams", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="A stream is treated like a list: it only holds pending inserts.",
    fix="Keep counts in their own assign, show empty states with CSS (only:block), re-stream with reset: true.",
    cites="streams#streams-are-not-enumerable",
)
STREAM = r"(?:@|(?:socket\.)?assigns\.)streams\.(\w+)"
LIST_FUNCTION = r"(Enum\.\w+[?!]?|Stream\.\w+|List\.\w+|length|hd|tl|Kernel\.length)"
CALLED = re.compile(r"(?<![\w.])" + LIST_FUNCTION + r"\(\s*" + STREAM + r"(?![\w.\[])")
PIPED = re.compile(STREAM + r"\s*\|>\s*" + LIST_FUNCTION + r"(?![\w.])")
EMPTY = re.compile(STREAM + r"\s*(?:===?|!==?)\s*\[\]|\[\]\s*(?:===?|!==?)\s*" + STREAM)
SERVER_FOR = re.compile(r"<-\s*(?:socket\.)?assigns\.streams\.(\w+)(?![\w.\[])")
RAISES = re.compile(r"^(length|hd|tl|Kernel\.length|Enum\.(at|fetch!?|member\?|slice|take|drop|random)|List\.\w+)$")


def _message(function: str, name: str) -> str:
    if function == "Enum.count":
        return (f"{function} on @streams.{name} counts only the items inserted since the last render, not the "
                "collection.")
    if RAISES.match(function):
        return f"{function} on @streams.{name} raises: a stream is not a list."
    return (f"{function} on @streams.{name} raises: only a comprehension in the template may read a stream "
            "(the server does not keep its items).")


def check(ctx):
    if "streams." not in ctx.source:
        return
    for match, line in module_text_calls(ctx, CALLED):
        yield Hit(line=line, column=1, message=_message(match.group(1), match.group(2)))
    for match, line in module_text_calls(ctx, PIPED):
        yield Hit(line=line, column=1, message=_message(match.group(2), match.group(1)))
    for match, line in module_text_calls(ctx, EMPTY):
        name = match.group(1) or match.group(2)
        yield Hit(line=line, column=1, message=f"@streams.{name} is a struct, never []: this check never sees an "
                                               "empty stream.")
    if ctx.language == "elixir":
        for match, line in module_text_calls(ctx, SERVER_FOR):
            if "~H" in ctx.line(line) or "<%" in ctx.line(line) or ":for=" in ctx.line(line):
                continue
            yield Hit(line=line, column=1, message=f"A for over streams.{match.group(1)} in Elixir code raises: only a "
                                                   "comprehension in the template may read a stream.")
