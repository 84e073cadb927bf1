"""## What it does
Flags `raw/1` (or `Phoenix.HTML.raw/1`, `HTML.raw/1` with the module aliased, any alias of `Phoenix.HTML`, a value
piped into `raw()`, the `{:safe, value}` tuple raw/1 builds) applied to content in a template or module, with or
without parentheses (`<%= raw @comment.body %>`, `{raw @comment.body}`, `@comment.body |> raw`); the capture
`&raw/1` is reported at low confidence, since what it is mapped over is not read.

## Why is this bad?
`raw/1` turns off HTML escaping. On content a user wrote (comments, profiles, messages) it is a stored
XSS: their HTML and scripts run in every other visitor's browser.

## Example
```heex
<div>{raw(@comment.body)}</div>
```

## Use instead
Render text normally (`{@comment.body}`), or sanitize with an allow-list (e.g. HtmlSanitizeEx) before
`raw/1`.

## False positives
Literals and visibly sanitized content are not flagged. High confidence needs a field named like user
text (`body`, `content`, `comment`, `message`, `bio`, `description`, `text`) rendered as is
(`raw(@comment.body)`); a `{:safe, x}` tuple that is matched, not built (a function head, a clause, a match's
left side), renders nothing, and a helper wrapping a value it calls `value` (`{:safe, value}` in a renderer) stays
low like any parameter; through a function (a markdown renderer, a sanitizer this file cannot show), a
bare assign (`raw(@content)`, maybe rendered from the repository's own files), a record the developers
write (`raw(@doc.body)`: rendered module docs, a changelog; `raw(site_config.description)`: the description
of a setting registered in code) or other data it may be safe, so those are low confidence (strict only). In
project review, a record this module assigns from a project function that reads files (`case
Content.load_content("blog", slug) do {:ok, post} -> assign(socket, post: post)` where `load_content` does
`File.read`: markdown kept under `priv/`) is low, and so is a record that a module using NimblePublisher builds (`build: Blog.Article` makes
`raw(@article.body)` the repository's own markdown, compiled at build time) is low too. So is a record only
operators write: when every module that builds the schema's structs or changesets (`%Banner{message: m}`) is one
no controller, LiveView or component calls (an ops module run from a console), its text is theirs, not a
visitor's. User text through a
`String` function (`raw(String.replace(msg.body, ...))`) escapes nothing: medium, shown by default because
a true finding is a hole. A record's error text rendered as is (`raw(@occurrence.reason)`,
`raw(job.error)`) is medium too, shown for the same reason: exception messages often quote the value or
query that caused them, so a request's data reaches the page unescaped. So are a bare variable or assign
named for what a user typed (`raw(@value)` in a textarea, `raw(@query)`, `raw(@comment)`) and flash messages
(`raw(msg)`, `raw(Phoenix.Flash.get(@flash, :info))`): flash text often quotes a name the user entered. Such a
name on a function component's attribute (`{raw(@value)}`) is low when its callers are in view (this file, and in
project review the project's others) and every one hands it something judged safe or low (HTML a sanitizer made,
a markdown renderer's output): the callers decide what the attribute holds (blind judge round 10).
Calls that escape nothing are followed, medium: a JSON encoding or `inspect/1` of data (`raw(Jason.encode!(entry.payload))`;
`escape: :html_safe` is safe), Earmark's HTML of a user-text field (`raw(Earmark.as_html!(@thread.title))`; Earmark
keeps any HTML in the markdown), a translation that interpolates what a user typed or a record's user-text field
(`raw(ngettext("... at %{name}", ..., name: get_field(@changeset, :name)))`, reported at the binding; counts, paths
and URLs are not), and a bare assign this module fills with a user-text field or Earmark's HTML of one
(`assign(socket, :body_html, Earmark.as_html!(comment.body))`, then `raw(@body_html)`). A pipe is judged as
the nested calls it stands for (`@post.body |> Earmark.as_html!() |> raw()` is `raw(Earmark.as_html!(@post.body))`).
A helper that hands its parameter to raw/1 (`defp markdown(text), do: text |> Earmark.as_html!() |> raw()`) and a
function component that renders an attribute with it (`{raw(@content)}`) are judged again with what their callers
pass (`markdown(@post.body)`, or each element a capture is mapped over: `Enum.map(@comments, &markdown(&1.body))`;
`<.html_content content={@comment.body} />`, in project review from any file, or `html_content(%{content: ...})`):
medium when a caller passes user text, reported at the raw/1 call and naming the caller. Markup built around a value
is judged by the value: each part interpolated into a string or joined with `<>`
(`raw("<b>#{@user.name}</b>")` renders the name unescaped), the value before a `||` default, under `to_string/1`,
read by key (`@comment["body"]`, `get_in(@comment, [:body])`, `assigns[:comment].body`), either value of an `if`, each
value of a `case` or a `cond` and a `with`'s do value (`case @comment do %{body: b} -> b end` and
`with %{body: b} <- @comment, do: b` render `@comment.body`), or taken from each record by
`Enum.map_join`. (`{:safe, Phoenix.HTML.Safe.to_iodata(text)}` is escaped: to_iodata/1 escapes a string.) `text_to_html(text, escape: false)`
(Phoenix.HTML.Format, PhoenixHTMLHelpers.Format) turns escaping off like raw/1 and is judged the same way.
A linkify-style helper is followed too, medium: a function of the file (or, in project review, the named module's)
that replaces parts of its text with tags (`Regex.replace(url_pattern, text, ~s(<a href="\\1">\\1</a>))`,
or a `fn` returning `"<strong>#{name}</strong>"`) and escapes nothing, given a record's user-text field
(`raw(linkify(m.body))`, piped, or assigned and rendered as `raw(@bio_html)`): the user's text, and the match put
inside the tag, run as HTML. One whose every clause escapes or sanitizes first (`html_escape |> safe_to_string`,
`HtmlSanitizeEx`) is not flagged at all.

## Severity and confidence
Error, harm security: stored XSS runs in other users' browsers. High for a user-text field rendered raw;
medium (shown) for user text through a `String` function and for error text; low when a function or an
unseen source may sanitize it.

## References
knowledge: security#raw-1-and-user-content
"""

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace

from ....brackets import HASH, bracket_index, code_characters, code_text, plain_expression, split_top_level, word_char
from ....sanitize import code_span
from ...elixir_tree import text as node_text
from ...helpers import in_leading_comment
from ...operator_records import operator_only_record
from ...project_sources import (
    COMPONENT_TAG,
    component_attribute_values,
    function_bodies,
    helper_call_arguments,
    passed_values,
    published_records,
)
from ...reading_limits import reached
from ...rule import Hit, Rule

RULE = Rule(
    slug="raw_html_user_content", code="LV605", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="raw/1 on content that may come from users (stored XSS).",
    fix="Render it escaped, or sanitize it with an allow-list before raw/1.", cites="security#raw-1-and-user-content",
    harm="security",
)
# `raw(x)`, `Phoenix.HTML.raw(x)` or `HTML.raw(x)` (the module aliased), and the safe tuple `{:safe, x}` raw/1 builds;
# a space before the parenthesis is still the call.
RAW = re.compile(r"(?<![\w.])(?:(?:Phoenix\.)?HTML\.)?raw\s*\(|\{\s*:safe\s*,")
# The same calls without parentheses, the EEx way: `<%= raw @comment.body %>`, `{raw @comment.body}`, `@c.body |> raw`,
# and the capture `&raw/1`. A bare `raw` counts where an expression or operand starts (after `<%=`, `{`, `(`, `,`,
# `=`, `->`, `do:`, `else:`, `&&`, `||`; after `and`/`or`/`not` only before a dotted path) or when an assign follows
# it (`raw @x`, `body: raw @x`), so the word in a template's text ("show raw data") is not a call.
RAW_BARE = re.compile(r"(?:<%=?|[{(,=\[]|->|\b(?:do|else):|&&|\|\|)[ \t]*(?:(?:Phoenix\.)?HTML\.)?raw[ \t]+(?=[@a-z_\"]|[A-Z]\w{0,60}\.)"
                      r"|\b(?:and|or|not)[ \t]+(?:(?:Phoenix\.)?HTML\.)?raw[ \t]+(?=[a-z_]\w*\.[a-z_])"
                      r"|(?<![\w.])(?:(?:Phoenix\.)?HTML\.)?raw[ \t]+(?=@\w)"
                      r"|\|>[ \t]*(?:(?:Phoenix\.)?HTML\.)?raw\b(?![ \t]*[(\w])|&(?:(?:Phoenix\.)?HTML\.)?raw/1")
# A paren-less call's argument: a dotted path or a call on one line (`@comment.body`, `Markdown.to_html(@post.body)`).
BARE_ARGUMENT = re.compile(r"@?[A-Za-z_][\w.]{0,200}[?!]?|\"(?:[^\"\\\n]|\\.){0,400}\"")
# Sanitized or escaped on the way: `HtmlSanitizeEx`, `html_escape`, `escape: :html_safe`, `safe_to_string`. Earmark's
# `escape: false` turns its escaping off, so it is no such sign. Read in the code only: the word in a string or a
# regex of the argument (`class="unsafe_link"`) is no sanitizer, nor a name that says the opposite (`body_unescaped`,
# `unsafe_html`); a capitalized part of a name is (`HtmlSanitizeEx`) (audit 12 G11). An escaping option set to false
# (`escape_html: false`) or an unescaping call (`HTMLEscape.unescape`) is no sign either (audit 12 G18).
SANITIZED = re.compile(r"(?:(?<![A-Za-z])[sS]anitiz|Sanitiz|(?<![A-Za-z])safe_|(?<![A-Za-z])[eE]scape|Escape|ESCAPE)"
                       r"(?!\w{0,20}\s{0,4}:\s{0,4}false)(?!\w{0,40}\.\s{0,4}unescape)")


@lru_cache(maxsize=64)
def _code_only(argument: str) -> str:
    """The argument's code, its strings, sigils, charlists and comments left out."""
    return code_text(argument)


def _bare_argument(source: str, start: int, closer: dict[int, int], budget: list[int]) -> tuple[str, int] | None:
    """A paren-less call's argument and where it ends: a dotted path or a string, a call on one (its parentheses
    read to their closing bracket, within the file's argument budget), and fields read off the result:
    `@comment.body`, `Markdown.to_html(@post.body)`, `Earmark.as_html!(@c.body).x` (audit 12 G5: a module's
    call after `raw ` was not read at all)."""
    head = BARE_ARGUMENT.match(source, start)
    if head is None:
        return None
    end = head.end()
    if head.group().startswith('"') or source[end:end + 1] != "(" or closer.get(end) is None:
        return head.group(), end
    end = _argument_end(end, closer[end], budget) + 1
    fields = re.compile(r"(?:\.\w{1,60})*").match(source, end)
    return plain_expression(source[start:fields.end()]), fields.end()


# `alias Phoenix.HTML, as: H` makes `H.raw(x)` the same call: any `Name.raw(`, kept when Name is such an alias.
TEXT_TO_HTML = re.compile(r"(?<![\w.])(?:(?:Phoenix\.HTML|PhoenixHTMLHelpers)\.Format\.|Format\.)?text_to_html\s*\(")
HTML_ALIAS = re.compile(r"\balias\s+Phoenix\.HTML\s*,\s*as:\s*([A-Z]\w*)")
ALIASED_RAW = re.compile(r"(?<![\w.])([A-Z]\w{0,60})\.raw\s*\(")


def _code_matches(ctx, pattern: re.Pattern):
    """module_text_calls, except that an HTML comment line holding an EEx tag counts: `<!-- <%= raw x %> -->`
    is rendered (and a body holding `-->` breaks out of the comment)."""
    for match, line in ctx.text.matches(pattern, ctx.unit):
        if ctx.in_doc(match.start(), line):
            continue
        if not in_leading_comment(ctx, match, line) or ("<!--" in ctx.line(line) and "<%=" in ctx.line(line)):
            yield match, line
# Records whose text the developers write (rendered module docs, a changelog, the descriptions of settings
# registered in code): not proven to be user text.
DEVELOPER_TEXT = re.compile(r"docs?|documentation|moduledoc|readme|changelog|guide|release_notes?|"
                            r"(?:\w{1,40}_)?(?:configs?|settings?|preferences?)")
# `String.replace(msg.body, ...)` or `msg.body |> String.replace(...)`: the dotted path of the text, through any number
# of String steps, `then/2` wrappers and joins of its split parts (a linkify pipeline,
# `String.replace(String.replace(msg.body, ...), ...)`; `Enum.join(String.split(msg.body, "\n"), "<br>")`).
STRING_TRANSFORM = re.compile(r"(?:(?:String\.\w+[?!]?|then|Enum\.(?:join|intersperse)|IO\.iodata_to_binary|binary_part)\(\s*){1,64}@?([\w.]{1,120})\s*[,)]|@?([\w.]{1,120})\s*\|>\s*String\.")
# Error text: an exception's message or reason often echoes request data (the bad value, the query), so it is
# user text the developers did not write.
ERROR_TEXT = re.compile(r"reason|error|exception|error_message|exception_message")
# A bare variable or assign named for what a user typed or a flash message (flash text often quotes what a user
# entered: "Saved #{name}"): `raw(@value)`, `raw(msg)`, `raw(Phoenix.Flash.get(@flash, :info))`.
TYPED_OR_FLASH = re.compile(r"@?(?:msg|message|flash|flash_message|value|input|query|search|comment)|"
                            r"(?:Phoenix\.Flash\.get|live_flash)\(.{1,120}")
USER_TEXT = re.compile(r"\b(body|content|comment|message|bio|description|text|note|title|name|params|input|username|"
                       r"display_name|full_name|first_name|last_name|nickname|subject|summary|caption|headline|"
                       r"signature|about)\b")


def _published(record: str, published: frozenset[str]) -> bool:
    return record in published or any(record.endswith("_" + name) for name in published)


# raw/1's argument is read to its closing bracket, so a long class string, padding or a comment before the value
# cannot push the value out of sight (audit 10 H2: only the first 200 characters were read). The whole arguments
# of one file share a budget so many long calls stay linear; past it each argument is read to 200 characters.
ARGUMENT_BUDGET = 200_000


def _argument_end(start: int, close: int, budget: list[int]) -> int:
    whole = close - start
    if whole <= 200:
        return close
    if whole <= budget[0]:
        budget[0] -= whole
        return close
    reached("raw/1 arguments past the file's reading budget (each read to its first 200 characters)")  # audit 13
    return start + 200


def calls(ctx):
    """(line, the argument's text, where it ends, whether it is the {:safe, x} tuple, where it starts) for every
    raw/1 call in the module: with parentheses, without them, piped, captured, or through an alias of Phoenix.HTML."""
    closer = bracket_index(ctx.source).closer
    # characters of arguments read whole in this file; past it, the first 200 of each. At least the file's length:
    # arguments that do not nest cannot spend it, and of nested ones the outermost, read first, holds the value.
    budget = [max(ARGUMENT_BUDGET, len(ctx.source))]
    marks = LineMarks()  # what _piped_value learns of the file's lines, kept across its calls
    aliases = set(HTML_ALIAS.findall(ctx.source)) if ctx.text.has("alias Phoenix.HTML") else set()
    for pattern in (RAW, RAW_BARE, ALIASED_RAW) if aliases else (RAW, RAW_BARE):
        for match, line in _code_matches(ctx, pattern):
            if pattern is ALIASED_RAW and match.group(1) not in aliases:
                continue
            found = match.group()
            if found.endswith("(") or found.startswith("{"):
                safe_tuple = found.startswith("{")
                close = closer.get(match.start() if safe_tuple else match.end() - 1)
                if close is not None:  # never closed: not a call
                    argument = plain_expression(ctx.source[match.end(): _argument_end(match.end(), close, budget)])
                    piped = "" if argument or safe_tuple else _piped_value(ctx.source, match.start(), budget, marks)
                    yield line, argument or piped, close, safe_tuple, match.end()
            elif found.endswith("raw/1"):
                yield line, "&raw/1", match.end(), False, match.end()
            elif found.startswith("|>"):
                yield line, _piped_value(ctx.source, match.start() + 2, budget, marks), match.end(), False, match.end()
            else:
                argument = _bare_argument(ctx.source, match.end(), closer, budget)
                if argument:
                    yield line, argument[0], argument[1], False, match.end()
    # `text_to_html(text, escape: false)` (Phoenix.HTML.Format, PhoenixHTMLHelpers.Format) skips escaping too: raw/1.
    for match, line in _code_matches(ctx, TEXT_TO_HTML) if "text_to_html" in ctx.source else ():
        close = closer.get(match.end() - 1)
        whole = ctx.source[match.end(): _argument_end(match.end(), close, budget)] if close is not None else ""
        if re.search(r"\bescape:\s{0,4}false\b", whole):
            yield line, split_top_level(whole, ",")[0], close, False, match.end()


def unpiped(argument: str) -> str:
    """A pipe written as the nested calls it means: `@post.body |> Earmark.as_html!()` -> `Earmark.as_html!(@post.body)`,
    so a chain piped into raw() is judged as the same expression written nested. Other text is returned as is."""
    steps, depth, start = [], 0, 0
    for index, char in code_characters(argument, PIPE_OR_BRACKET):  # brackets in a string or a regex are not the code's
        depth += (char in "([{") - (char in ")]}")
        if depth == 0 and char == "|" and argument.startswith("|>", index):
            steps.append(argument[start:index].strip())
            start = index + 2
    if not steps or steps[0].startswith(('"', "~")):
        return argument  # no pipe, or a literal piped through functions: judged as written
    value = steps[0]
    for step in [*steps[1:], argument[start:].strip()]:
        call = re.fullmatch(r"([\w.!?]+)\s*(?:\((.*)\))?", step, re.S)
        if call is None:
            return argument
        rest = (call.group(2) or "").strip()
        value = f"{call.group(1)}({value}{', ' + rest if rest else ''})"
    return value


# What follows a tuple that is matched, not built: a function head's closing parenthesis (`defp f({:safe, v}) do`,
# `when ...`), a case or fn clause's arrow, a match's `=`.
MATCHED_AFTER = re.compile(r"\s{0,8}(?:(?:,[^()\n]{0,160}?)?\)\s{0,8}(?:when\b[^\n]{0,200}?)?(?:,\s{0,4}do:|\bdo\b)|(?:when\b[^\n]{0,200}?)?->|=(?![=~>]))")
# Generic names a helper gives the value it wraps (`{:safe, value}` in a renderer or a protocol implementation).
PLUMBING = frozenset({"value", "input"})


def _matched_tuple(source: str, close: int) -> bool:
    """The `{:safe, x}` tuple ending at `close` is a pattern (a function head, a clause, a match): nothing renders."""
    return MATCHED_AFTER.match(source, close + 1, min(len(source), close + 300)) is not None


def check(ctx):
    assigned: list[dict[str, str]] = []  # the assigns filled with user text, read once when a bare assign is found
    # Characters rendered_parts may scan in this file: every raw/1 argument read RENDERED_PARTS_LEVELS levels deep.
    # A constant argument as long as the file (an inline SVG) costs two levels, so no real file spends it (audit 13
    # A13-5: at one level's worth, one long constant made every later argument be judged as written, silently).
    allowance = [RENDERED_PARTS_SCANS * RENDERED_PARTS_LEVELS * (len(ctx.source) + 2_000)]
    callers = ctx.text.once("raw_callers", lambda: Callers(ctx))  # the file's index, not one per module unit (A13-14)
    # Characters of callers' values judged: the file's own, and what uses of its components elsewhere pass.
    caller_allowance = [CALLER_SCANS * (len(ctx.source) + 2_000) + PROJECT_VALUES_READ]
    rejudged: dict[tuple, tuple[Hit, int] | None] = {}  # a helper's low raw/1 judged with its callers' values
    for line, written, close, safe_tuple, start in calls(ctx):
        if safe_tuple and _matched_tuple(ctx.source, close):
            continue  # `defp render({:safe, value})`: matched, not rendered
        if not written:
            continue  # `raw()` with nothing piped in renders nothing
        argument = unpiped(written)
        hit = judge_parts(ctx, line, argument, close, safe_tuple, start, assigned, allowance)
        if hit is not None and safe_tuple and argument.strip() in PLUMBING and hit.confidence == "medium":
            hit = replace(hit, confidence="low")  # `{:safe, value}` in a renderer: a parameter's generic name, not typed text
        if hit is not None and hit.confidence == "medium" and TYPED_ATTRIBUTE.fullmatch(argument.strip()):
            hit = _typed_attribute_callers(ctx, callers, argument, line, close, safe_tuple, start, assigned,
                                           allowance, hit)
        if hit is not None and hit.confidence == "low":
            # raw/1 of a parameter in a helper (`defp markdown(text), do: raw(Earmark.as_html!(text))`) or of an
            # attribute in a function component (`{raw(@content)}`): judged again with what its callers pass.
            # The raw/1 calls of one helper that read the same text are judged with its callers' values once
            # (audit 12 P2: every low call judged again per caller made the rule quadratic).
            key = (argument, callers.enclosing(start), ctx.source[start:min(close, start + WHOLE_ARGUMENT)], safe_tuple)
            if key not in rejudged:
                rejudged[key] = _through_callers(ctx, callers, argument, line, close, safe_tuple, start, assigned,
                                                 allowance, caller_allowance)
            if rejudged[key] is not None:
                through, offset = rejudged[key]
                hit = replace(through, line=line + offset)
        if hit is not None:
            yield hit


def _through_callers(ctx, callers, argument, line, close, safe_tuple, start, assigned, allowance, caller_allowance):
    """(the finding, its line offset from the call) for the first caller whose value makes a low raw/1 call in a
    helper or a function component more than low, or None. Every caller is read while `caller_allowance` lasts."""
    judged = set()
    for value, passed, call_line in callers.values(argument, start):
        if value in judged:
            continue  # the same text passed again (`<.icon name="x" />` in every row): judged once
        judged.add(value)
        caller_allowance[0] -= len(value)
        if caller_allowance[0] < 0:
            reached("callers of raw/1 helpers and components past the file's reading allowance")
            return None
        through = judge_parts(ctx, line, value, close, safe_tuple, start, assigned, allowance)
        if through is not None and through.confidence != "low":
            return replace(through, confidence="medium", message=(
                f"{code_span(shown_raw(argument)[:60])} is given {code_span(passed[:60])} ({call_line}): "
                f"{through.message}")), through.line - line
    return None


# A function component's attribute named for what a user typed (`raw(@value)`): medium on its name alone.
TYPED_ATTRIBUTE = re.compile(r"@(?:msg|message|value|input|query|search|comment)")
CALLERS_LOWERING = 20  # callers read to lower such a finding; with more the finding stays as it is (the safe side)


def _typed_attribute_callers(ctx, callers, argument, line, close, safe_tuple, start, assigned, allowance, hit):
    """`raw(@value)` in a function component is medium on the attribute's name alone; when its callers are in view
    (this file, and in project review the project's other files) and every one hands it something judged safe or
    low (HTML a sanitizer made, `Markdown.render(...)` of a record), the name says nothing more: low (blind judge
    round 10: an MDEx-sanitized description passed to a `markdown` component). No caller in view: unchanged."""
    seen = 0
    for value, _passed, _where in callers.values(argument, start):
        seen += 1
        through = judge_parts(ctx, line, value, close, safe_tuple, start, assigned, allowance)
        if seen > CALLERS_LOWERING or (through is not None and through.confidence != "low"):
            return hit
    return replace(hit, confidence="low") if seen else hit


RANK = {None: 3, "medium": 2, "low": 1}  # a finding's confidence, strongest first (None is the rule's: high)


def judge_parts(ctx, line, argument, close, safe_tuple, start, assigned, allowance) -> Hit | None:
    """judge() of what raw/1 really renders: each value interpolated into a string or joined with `<>`
    (`raw("<b>#{@user.name}</b>")`: the name is rendered unescaped), the value before a `||` default, the
    text under `to_string/1`, a field read by key (`@comment["body"]`, `Map.get(c, :body)`), the field
    `Enum.map_join` takes from each record. The strongest finding of the parts, shown as written."""
    parts = rendered_parts(argument, allowance)
    if parts == [argument]:
        return judge(ctx, line, argument, close, safe_tuple, start, assigned)
    judged = [(h, part) for part in parts if (h := judge(ctx, line, part, close, safe_tuple, start, assigned))]
    if not judged:
        return None
    strongest, part = max(judged, key=lambda pair: RANK[pair[0].confidence])
    return replace(strongest, message=f"{code_span(shown_raw(argument)[:60])} renders {code_span(part[:60])} unescaped "
                                      "inside it: a user's text runs as HTML.")


INTERPOLATION = re.compile(r"#\{((?:[^{}]|\{[^{}]*\})*)\}")
STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|~[sS]\((?:[^()]|\([^()]*\))*\)|~[sS]"[^"]*"', re.S)


ASSIGNS_READ = re.compile(r"(?<![\w.@])assigns(?:\[:([a-z_]\w{0,60})\]|\.([a-z_]\w{0,60}))")
IF_KEYWORDS = re.compile(r"(?:if|unless)\s{0,4}\(?(.*?),\s{0,4}do:\s{0,4}(.*?)(?:,\s{0,4}else:\s{0,4}(.*?))?\)?", re.S)
IF_BLOCK = re.compile(r"(?:if|unless)\s(.*?)\sdo\s(.*?)(?:\selse\s(.*?))?\send", re.S)
CASE_BLOCK = re.compile(r"case\s(.*?)\sdo\s(.*)\send", re.S)
# A case clause whose value is a name its pattern binds to a field: `%{body: b} -> b`, `%{"body" => b} -> b`.
FIELD_BINDING = r"(?:(?<![\w\"])([a-z_]\w{{0,60}}):\s{{0,4}}|\"([a-z_]\w{{0,60}})\"\s{{0,4}}=>\s{{0,4}}){name}\b"


COND_BLOCK = re.compile(r"cond\s{0,4}do\s(.*)\send", re.S)
WITH_KEYWORDS = re.compile(r"with\s(.*?),\s{0,4}do:\s{0,4}(.*?)(?:,\s{0,4}else:\s{0,4}(.*))?", re.S)
WITH_BLOCK = re.compile(r"with\s(.*?)\sdo\s(.*?)(?:\selse\s(.*?))?\send", re.S)
JOINING = frozenset({"<>", "||", "&&", "and", "or", "++"})  # operators that keep a cond clause's value going


def _cond_values(body: str) -> list[str]:
    """Each clause's value of a `cond` block's body (`@preview -> @comment.body; true -> ""`). The words between one
    arrow and the next are a value then the next condition: the value is the first operand, with the operands
    joined to it (`a <> b`); the rest is the condition (audit 12 G13: a cond was judged as written)."""
    pieces = split_top_level(body.replace(";", " "), "->")
    values = []
    for index, piece in enumerate(pieces[1:], 1):
        chunks = [c for c in split_top_level(piece, " ") if c]
        if index == len(pieces) - 1:
            values.append(" ".join(chunks))
            continue
        taken = 1
        while taken + 1 < len(chunks) and chunks[taken] in JOINING:
            taken += 2
        values.append(" ".join(chunks[:taken]))
    return [v for v in values if v]


def _with_values(clauses: str, value: str) -> list[str]:
    """The value of a `with`'s do, a name a clause's map pattern binds read as that field of the clause's
    expression (`with %{body: b} <- @comment, do: b` renders `@comment.body`), a name bound whole read as the
    expression (`with c <- @comment, do: c.body`) (audit 12 G13)."""
    value = value.strip()
    name = re.fullmatch(r"([a-z_]\w{0,60})((?:\.\w{1,60}){0,4})", value)
    if name:
        for clause in split_top_level(clauses, ","):
            bound = split_top_level(clause, "<-")
            if len(bound) != 2:
                continue
            pattern, expression = bound[0].strip(), bound[1].strip()
            if pattern == name.group(1):
                return [expression + name.group(2)]
            field = re.search(FIELD_BINDING.format(name=re.escape(name.group(1))), pattern)
            if field:
                return [f"{expression}.{field.group(1) or field.group(2)}{name.group(2)}"]
    return [value] if value else []


def _branch_values(text_: str) -> list[str] | None:
    """What a conditional raw/1 renders: both values of `if c, do: a, else: b` (or the block form), each clause's
    value of a `case`, a name its pattern binds to a field read as that field of the subject (`case @comment do
    %{body: b} -> b end` renders `@comment.body`), each clause's value of a `cond`, and a `with`'s do value read
    the same way through its clauses' patterns. None for other text."""
    keywords = IF_KEYWORDS.fullmatch(text_) or IF_BLOCK.fullmatch(text_)
    if keywords:
        return [v.strip() for v in keywords.groups()[1:] if v and v.strip()]
    cond = COND_BLOCK.fullmatch(text_)
    if cond:
        return _cond_values(cond.group(1)) or None
    with_ = WITH_KEYWORDS.fullmatch(text_) or WITH_BLOCK.fullmatch(text_)
    if with_:
        return _with_values(with_.group(1), with_.group(2)) or None
    case = CASE_BLOCK.fullmatch(text_)
    if not case:
        return None
    subject, values = case.group(1).strip(), []
    pieces = split_top_level(case.group(2).replace(";", " "), "->")
    # Each piece but the first and last is one clause's value then the next clause's pattern (its last chunk).
    patterns, bodies = [pieces[0]], []
    for piece in pieces[1:-1]:
        chunks = [c for c in split_top_level(piece, " ") if c]
        patterns.append(chunks[-1] if chunks else "")
        bodies.append(" ".join(chunks[:-1]))
    bodies.append(pieces[-1] if len(pieces) > 1 else "")
    for pattern, value in zip(patterns, bodies):
        value = value.strip()
        bound = re.search(FIELD_BINDING.format(name=re.escape(value)), pattern) if re.fullmatch(r"[a-z_]\w{0,60}", value) \
            else None
        if value:
            values.append(f"{subject}.{bound.group(1) or bound.group(2)}" if bound else value)
    return values or None


RENDERED_PARTS_SCANS = 4  # scans of its text one level of rendered_parts makes, at most
RENDERED_PARTS_LEVELS = 8  # levels of every argument of a file the reading of that file may afford


def rendered_parts(argument: str, allowance: list[int] | None = None) -> list[str]:
    """The values raw/1's argument renders, when the argument is built from them; [argument] otherwise.

    Each level of the reading scans its text a few times again, so the readings of one file share `allowance`,
    characters a few times the file's length (check() makes it): past it, an argument is judged as written and the
    review says it stopped at a limit (reading_limits.py). Without it, a deep nesting such as a long linkify chain
    of `String.replace`, judged once per caller, cost the square of its length."""
    if allowance is None:
        allowance = [RENDERED_PARTS_SCANS * RENDERED_PARTS_LEVELS * len(argument) + 2_000]
    allowance[0] -= RENDERED_PARTS_SCANS * len(argument)
    if allowance[0] < 0:
        reached("raw/1 arguments nested deeper than the file's reading allowance")
        return [argument]
    text_ = ASSIGNS_READ.sub(lambda m: "@" + (m.group(1) or m.group(2)), argument.strip())
    if text_ != argument.strip():
        return rendered_parts(text_, allowance)  # `assigns[:comment].body` is `@comment.body`
    branches = _branch_values(text_)
    if branches:
        return [p for value in branches for p in rendered_parts(value, allowance)]
    path = re.fullmatch(r"get_in\(\s{0,4}(@?[a-z_][\w.]*)\s{0,4},\s{0,4}\[([^\[\]]{1,200})\]\s{0,4}\)", text_)
    if path:
        keys = [k.strip().lstrip(":").strip('"') for k in path.group(2).split(",")]
        if all(re.fullmatch(r"[a-z_]\w{0,60}", k) for k in keys):
            return [".".join([path.group(1), *keys])]  # `get_in(@comment, [:body])` is `@comment.body`
    joined = split_top_level(text_, "<>")
    if len(joined) > 1:
        return [p for part in joined for p in rendered_parts(part, allowance)]
    if STRING_LITERAL.fullmatch(text_):
        return [p for inner in INTERPOLATION.findall(text_) for p in rendered_parts(inner, allowance)] or [text_]
    default = split_top_level(text_, "||")
    if len(default) > 1:
        return rendered_parts(default[0], allowance)
    guarded = split_top_level(text_, "&&")  # `@comment && @comment.body`: the right operand is what renders
    guarded = guarded if len(guarded) > 1 else split_top_level(text_, " and ")
    if len(guarded) > 1:
        return rendered_parts(guarded[-1], allowance)
    wrapped = re.fullmatch(r"(?:(?:Kernel\.)?to_string|IO\.iodata_to_binary|IO\.chardata_to_string)\((.*)\)", text_, re.S)
    if wrapped:
        return rendered_parts(wrapped.group(1), allowance)
    if text_.startswith("[") and text_.endswith("]"):  # iodata: `["<b>", @user.name, "</b>"]`
        return [p for item in split_top_level(text_[1:-1], ",") if item for p in rendered_parts(item, allowance)] or [argument]
    joined_list = re.fullmatch(r"Enum\.join\(\s{0,4}(\[.*\])\s{0,4}(?:,[^()]*)?\)", text_, re.S)
    if joined_list:
        return rendered_parts(joined_list.group(1), allowance)
    replaced = re.fullmatch(r"String\.replace\((.*)\)", text_, re.S)
    if replaced:  # the text and what is put into it: `String.replace(@template, "{name}", @user.name)`
        arguments = split_top_level(replaced.group(1), ",")
        if len(arguments) >= 3 and not STRING_LITERAL.fullmatch(arguments[2].strip()):
            return [argument, *rendered_parts(arguments[2], allowance)]
    by_key = re.fullmatch(r"(@?[a-z_][\w.]*)\[\s{0,4}[\":]([a-z_]\w*)\"?\s{0,4}\]", text_) or re.fullmatch(
        r"Map\.get\(\s{0,4}(@?[a-z_][\w.]*)\s{0,4},\s{0,4}[\":]([a-z_]\w*)\"?\s{0,4}(?:,[^()]*)?\)", text_)
    if by_key:
        return [f"{by_key.group(1)}.{by_key.group(2)}"]
    each = re.fullmatch(r"Enum\.map_join\(\s{0,4}@?([a-z_]\w*?)s?\s{0,4},[^,]*,\s{0,4}(?:&\s{0,4}&1|fn\s+(\w+)\s*->\s*\2)"
                        r"\.([a-z_]\w*)\s*(?:end\s*)?\)", text_, re.S)
    if each:
        return [f"{each.group(1)}.{each.group(3)}"]
    comprehension = re.fullmatch(r"Enum\.join\(\s{0,4}for\(?\s{0,4}([a-z_]\w{0,60})\s{0,4}<-\s{0,4}@?([a-z_]\w{0,60}?)s?"
                                 r"\s{0,4},\s{0,4}do:\s{0,4}\1\.([a-z_]\w{0,60})\s{0,4}\)?\s{0,4}(?:,[^()]*)?\)", text_, re.S)
    if comprehension:  # `Enum.join(for(c <- @comments, do: c.body), "<br>")`: each comment's body
        return [f"{comprehension.group(2)}.{comprehension.group(3)}"]
    return [argument]


# What really sanitizes or escapes HTML, read in the body of a local function whose name promises it.
KNOWN_SANITIZER = re.compile(r"HtmlSanitizeEx|html_escape|Phoenix\.HTML\.Safe|safe_to_string|Plug\.HTML|"
                             r"Floki\.text|strip_tags|HTMLSanitize|Sanitize\.|escape_html|\bescape\(")
WRAPPED = re.compile(r"([a-z_]\w{0,60}[?!]?)\((.*)\)", re.S)


def _unkept_promise(ctx, argument: str) -> str | None:
    """The wrapped value when the argument is a call of this module's own function named like a sanitizer whose
    clauses reach no sanitizer or escaper (`defp sanitize(x), do: x`): its name promises what it does not do (audit
    13 A13-27: the name alone was trusted)."""
    wrapped = WRAPPED.fullmatch(argument.strip())
    if wrapped is None or ctx.module is None or not SANITIZED.search(wrapped.group(1)):
        return None
    clauses = [c for c in ctx.module.clauses if c.name == wrapped.group(1)]
    if not clauses or any(KNOWN_SANITIZER.search(node_text(c.body)) for c in clauses if c.body is not None):
        return None
    inner = split_top_level(wrapped.group(2), ",")
    return inner[0].strip() if inner and inner[0].strip() else None


def judge(ctx, line, argument, close, safe_tuple, start, assigned) -> Hit | None:
    """The finding for one raw/1 call given what it renders (None when the argument is a literal or sanitized)."""
    if argument and SANITIZED.search(_code_only(argument)):
        argument = _unkept_promise(ctx, argument)
    if not argument or argument.startswith('"') or SANITIZED.search(_code_only(argument)):
        return None
    # Proven only for a record's user-text field rendered as is (`raw(@comment.body)`); through a
    # function (a markdown renderer, a sanitizer we cannot see), or a bare assign whose source this
    # file does not show (`raw(@content)`), it may be safe: low (strict only; medium would show, as harm).
    field = re.fullmatch(r"@?(\w+)(\.\w+)*\.(\w+)", argument)
    confidence = None if field and USER_TEXT.fullmatch(field.group(3)) and not DEVELOPER_TEXT.fullmatch(
        field.group(1)) else "low"
    if confidence is None and ctx.project_root and _published(field.group(1), published_records(ctx.project_root)):
        confidence = "low"  # a record NimblePublisher builds from the repository's own markdown
    # String functions change text but escape nothing: user text through them is still raw (medium, shown
    # because a true finding is a hole).
    transformed = STRING_TRANSFORM.match(argument)
    path = (transformed.group(1) or transformed.group(2)).split(".") if transformed else []
    if confidence and len(path) > 1 and USER_TEXT.fullmatch(path[-1]) and not DEVELOPER_TEXT.fullmatch(path[0]):
        confidence = "medium"
    if confidence and field and ERROR_TEXT.fullmatch(field.group(3)) and not DEVELOPER_TEXT.fullmatch(field.group(1)):
        confidence = "medium"  # error text may echo a request's data: likely, not proven
    if confidence and TYPED_OR_FLASH.fullmatch(argument):
        confidence = "medium"  # what a user typed, or a flash that may quote it: likely, not proven
    if confidence is None and argument.startswith("@") and ctx.project_root and \
            _loaded_from_files(ctx, field.group(1)):
        confidence = "low"  # the record is read from the repository's own files (priv/content/*.md)
    if confidence != "low" and field and ctx.project_root and operator_only_record(ctx.project_root, field.group(1)):
        confidence = "low"  # only an ops module no web code calls builds these records: the operators' text
    bare = re.fullmatch(r"@([a-z_]\w{0,60})", argument)
    if confidence == "low" and bare and ("assign" in ctx.source or ctx.companion_source):
        if not assigned:
            assigned.append(_assigned_user_text(ctx))
        source = assigned[0].get(bare.group(1))
        if source is not None:
            return Hit(line=line, column=1, confidence="medium",
                       message=f"{code_span(shown_raw(argument))} renders {code_span(source)} (assigned in this module) "
                               "unescaped: a user's text, or markdown HTML of it, runs as HTML.")
    built = BUILDER_CALL.fullmatch(argument) if confidence == "low" else None
    if built and built.group(1) is None and built.group(2) in _escapers(ctx):
        return None  # `raw(linkify(m.body))` where this file's linkify escapes the text before adding its tags
    if built and USER_TEXT.fullmatch(built.group(3).rsplit(".", 1)[-1]) \
            and not DEVELOPER_TEXT.fullmatch(built.group(3).lstrip("@").split(".", 1)[0]) \
            and _builds_markup(ctx, built.group(1), built.group(2)):
        helper = f"{built.group(1)}.{built.group(2)}" if built.group(1) else built.group(2)
        return Hit(line=line, column=1, confidence="medium",
                   message=f"{code_span(shown_raw(argument)[:60])}: {code_span(helper)} builds markup by replacing "
                           f"parts of {code_span(built.group(3)[:60])} and escapes nothing, so the rest of the user's "
                           "text, and what the pattern matched, run as HTML.")
    if confidence == "low":
        # The call read to its close (audit 13 A13-17: a translation read to 1,200 characters hid the bindings after
        # a long msgid); past TRANSLATION_READ the review says it stopped there.
        if close - start > TRANSLATION_READ:
            reached(f"a raw/1 argument longer than {TRANSLATION_READ:,} characters read for its translation bindings")
        whole = ctx.source[start: min(close, start + TRANSLATION_READ)]
        through = _unescaping_call(ctx, argument, whole)
        if through is not None:
            offset, message = through
            return Hit(line=line + whole.count("\n", 0, offset), column=1, confidence="medium",
                       message=f"{code_span(('raw(' + argument)[:60] + ('…' if len(argument) > 55 else ''))} {message}")
    shown = f"{{:safe, {argument}}}" if safe_tuple else argument if argument == "&raw/1" else f"raw({argument})"
    return Hit(line=line, column=1, message=f"{code_span(shown)} renders unescaped HTML.", confidence=confidence)


# The function a raw/1 call sits in: `defp markdown(text), do: ...`, `def html_content(assigns) do`.
FUNCTION_HEAD = re.compile(r"^[ \t]{0,20}defp?\s+([a-z_]\w{0,60}[?!]?)\(([^()\n]{0,200})\)", re.M)
# Characters of callers' values judged through helpers and components, per character of the file: every call of
# every helper is read (audit 13 A13-2: only the first 20 were, so 20 harmless calls hid the 21st); a file whose
# helpers have so many raw/1 calls and callers that this runs out says it stopped at a limit.
CALLER_SCANS = 8
PROJECT_VALUES_READ = 200_000  # characters of values other files' component tags pass, beyond the file's own


# A call of a local function (`markdown(`) and a function component's tag (`<.html_content ...`).
LOCAL_CALL = re.compile(r"(?:(?<![\w.:@])|(?<=__MODULE__\.))([a-z_]\w{0,60}[?!]?)\(")


# A local helper captured by name (`&md/1`, `&__MODULE__.md/1`), and a capture's first argument (`&1`).
CAPTURE = re.compile(r"&\s{0,4}(?:__MODULE__\.)?([a-z_]\w{0,60}[?!]?)/(\d)")
CAPTURED = re.compile(r"&1(?!\d)")
# What a capture is mapped over, just before it: `Enum.map(@comments, ` or `@comments |> Enum.map(` (a list literal
# too, `Enum.map([@comment.body], `).
MAPPED_OVER = re.compile(r"(?:(?:Enum|Stream)\.\w{1,20}\(\s{0,40}(@?[a-z_][\w.]{0,120}|\[[^\[\]]{0,300}\])\s{0,40},\s{0,40}"
                         r"(?:\"[^\"\n]{0,60}\"\s{0,40},\s{0,40})?"
                         r"|(@?[a-z_][\w.]{0,120})\s{0,40}\|>\s{0,40}(?:Enum|Stream)\.\w{1,20}\(\s{0,40}(?:\"[^\"\n]{0,60}\"\s{0,40},\s{0,40})?)$")


def _elements(source: str, capture: int) -> list[str]:
    """The elements of what the capture at `capture` is mapped over: a list literal's items, or one record of a
    collection named in the plural (`@comments`, `post.comments`: `comment`). Read in the few hundred characters
    before the capture only."""
    mapped = MAPPED_OVER.search(source[max(0, capture - 400):capture])
    if mapped is None:
        return []
    collection = mapped.group(1) or mapped.group(2)
    if collection.startswith("["):
        return [item.strip() for item in split_top_level(collection[1:-1], ",") if item.strip()]
    last = collection.lstrip("@").rsplit(".", 1)[-1]
    return [last[:-1]] if last.endswith("s") and len(last) > 1 else []


class Callers:
    """What callers pass to the function a raw/1 call sits in, for each raw/1 judged low: (argument with the
    parameter replaced by what a caller passes, what it passes, where). A parameter of a helper
    (`markdown(@post.body)` for `defp markdown(text)`), or an attribute of a function component
    (`<.html_content content={@comment.body} />` for `{raw(@content)}`). The file's function heads, local calls
    and component tags are each indexed in one pass, the first time a raw/1 call needs them."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.heads: list | None = None
        self.defined_at: set[int] = set()
        self.starts: list[int] = []
        self.calls: dict[str, list[tuple[str, int, str]]] | None = None
        self.tags: dict[str, list[tuple[str, int]]] | None = None
        self.captures: dict[str, list[tuple[int, int]]] | None = None  # `&md/1`: name -> (arity, where), read once
        self.newlines: list[int] | None = None  # where the file's lines end, read once when a caller's line is named
        self.passed: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (component, attribute) -> values passed

    def enclosing(self, start: int) -> int:
        """The index of the function head before `start` (0: none), which decides whose callers are read."""
        if self.heads is None:
            self.heads = list(FUNCTION_HEAD.finditer(self.ctx.source))
            self.starts = [h.start() for h in self.heads]
            self.defined_at = {h.start(1) for h in self.heads}  # where a function's name is defined, not called
        return bisect.bisect_left(self.starts, start)

    def values(self, argument: str, start: int):
        index = self.enclosing(start)
        if index == 0:
            return
        head = self.heads[index - 1]
        name, params = head.group(1), split_top_level(head.group(2), ",")
        if params == ["assigns"]:
            attribute = re.search(r"@([a-z_]\w{0,60})", argument)
            if attribute is None:
                return
            for value, where in self._passed_attribute(name, attribute.group(1)):
                yield argument.replace("@" + attribute.group(1), value), value, where
            return
        # A parameter is a name (`text`), a name with a default (`text, opts \\ []`: calls of every arity it
        # allows count), or a map pattern whose fields name it (`%{body: body}`: the caller's value's field).
        required = sum("\\\\" not in p for p in params)
        names = [re.sub(r"\s*\\\\.*", "", p) for p in params]
        used = {}
        for i, param in enumerate(names):
            if re.fullmatch(r"[a-z_]\w{0,60}", param):
                used[i] = [(param, "")]
            elif param.startswith("%{"):
                used[i] = [(var, "." + key) for key, var in re.findall(r"([a-z_]\w{0,60}):\s{0,20}([a-z_]\w{0,60})", param)]
            used[i] = [(var, field) for var, field in used.get(i, []) if re.search(r"(?<![@.\w])" + var + r"\b", argument)]
            if not used[i]:
                del used[i]
        passed = [(values, self._where(position)) for values, position in self._passed(name)] if used else []
        if used and self.ctx.project_root and re.match(r"\s*def\s", head.group(0)):
            # A public helper is imported and called from other files (`{render_raw(message.body)}` in a
            # template): their values are read too (blind judge round 11: a linkify helper's callers were all there).
            passed += [([v.strip() for v in split_top_level(arguments) if v.strip()], where)
                       for arguments, where in helper_call_arguments(self.ctx.project_root, name)]
        for values, where in passed:
            if not required <= len(values) <= len(params):
                continue
            values = values + [re.sub(r".*?\\\\\s*", "", param) for param in params[len(values):]]  # the defaults
            value = argument
            for i, bound in used.items():
                for var, field in bound:
                    value = re.sub(r"(?<![@.\w])" + var + r"\b", lambda _, v=values[i] + field: v, value)
            yield value, ", ".join(values[i] for i in used), where

    def _passed(self, name: str):
        """(the values passed, where) for each call of the helper `name`: written out (`md(@c.body)`, piped
        `@c.body |> md()`), or a capture mapped over a collection, which passes each element
        (`Enum.map(@comments, &md(&1.body))` passes `comment.body`; `Enum.map(comments, &md/1)`, `comment`)
        (audit 12 G8: a capture's argument was not followed)."""
        source = self.ctx.source
        for arguments, position, piped in self._calls_of(name):
            if position in self.defined_at:
                continue  # a definition (this clause's or another's), not a call
            values = [v.strip() for v in split_top_level(arguments) if v.strip()]
            values = [piped, *values] if piped else values  # `@comment.body |> md()`: the piped value comes first
            ampersand = source.rfind("&", max(0, position - 20), position)
            if ampersand >= 0 and not source[ampersand + 1:position].replace("__MODULE__.", "").strip() \
                    and any(CAPTURED.search(v) for v in values):
                for element in _elements(source, ampersand):
                    yield [CAPTURED.sub(lambda _, e=element: e, v) for v in values], position
                continue
            yield values, position
        if self.captures is None:
            self.captures = {}
            for match in CAPTURE.finditer(source):
                found = self.captures.setdefault(match.group(1), [])
                found.append((int(match.group(2)), match.start()))
        for arity, position in self.captures.get(name, []):
            if arity == 1:
                for element in _elements(source, position):
                    yield [element], position

    def _where(self, position: int) -> str:
        if self.newlines is None:
            self.newlines = [match.start() for match in re.finditer("\n", self.ctx.source)]
        return f"line {bisect.bisect_left(self.newlines, position) + 1}"

    def _calls_of(self, name: str) -> list[tuple[str, int, str]]:
        if self.calls is None:
            source, self.calls = self.ctx.source, {}
            closer = bracket_index(source).closer
            budget = [len(source)]  # characters of pipelines read into helpers' calls, as raw/1's are
            marks = LineMarks()  # what _piped_value learns of the file's lines
            for match in LOCAL_CALL.finditer(source):
                found = self.calls.setdefault(match.group(1), [])
                close = closer.get(match.end() - 1)
                if close is not None:
                    piped = _piped_value(source, match.start(), budget, marks)
                    found.append((source[match.end(): min(close, match.end() + 400)], match.start(), piped))
        return self.calls.get(name, [])

    def _passed_attribute(self, component: str, attribute: str) -> list[tuple[str, str]]:
        """What the uses of `component` pass as `attribute`, read once per pair however many raw/1 calls of the
        component read it (audit 13 A13-14: every call re-read every use)."""
        key = (component, attribute)
        if key not in self.passed:
            self.passed[key] = self._read_passed_attribute(component, attribute)
        return self.passed[key]

    def _read_passed_attribute(self, component: str, attribute: str) -> list[tuple[str, str]]:
        if self.tags is None:
            self.tags = {}
            for match in COMPONENT_TAG.finditer(self.ctx.source):
                found = self.tags.setdefault(match.group(1), [])
                found.append((match.group(2), match.start()))
        found = [(value, self._where(position)) for text, position in self.tags.get(component, [])
                 for value in passed_values(text, attribute)]
        # The function-call form of the component, `{html_content(%{content: @comment.body})}`: the literal map's key
        # (audit 12 G9: only tags were read).
        self.enclosing(0)  # the function heads, so a definition is not read as a call
        found += [(value, self._where(position)) for arguments, position, _ in self._calls_of(component)
                  if position not in self.defined_at and arguments.lstrip().startswith("%{")
                  for value in passed_values(arguments, attribute)]
        if self.ctx.project_root:  # a component's callers are usually in other files
            found += component_attribute_values(self.ctx.project_root, component, attribute)
        return found


def shown_raw(argument: str) -> str:
    return f"raw({argument})"


# An assign filled with a record's user-text field, or Earmark's HTML of it: `assign(socket, :body_html,
# Earmark.as_html!(comment.body))`, `assign(assigns, html: post.content)`.
ASSIGNED_TEXT = re.compile(r"(?:\bassign\(\s{0,120}(?:\w{1,40},\s{0,120})?:([a-z_]\w{0,60}),|[(,\s]([a-z_]\w{0,60}):)\s{0,120}"
                           r"(?:Earmark\.as_html!?\(\s{0,120})?((?:assigns\.)?([a-z_]\w{0,60})(?:\.\w{1,60}){0,3}\.(\w{1,40}))\s{0,120}[,)\]]")


# A linkify-style helper of this file: a function that replaces parts of its text with markup (`Regex.replace(~r/(https?:
# \/\/\S+)/, text, "<a href=\"\\1\">\\1</a>")`, a `fn` returning `"<a href=\"/u/#{name}\">"`) with no escaping in
# sight. Every clause is read from its head to the next function's head, bounded.
LOCAL_DEF = re.compile(r"^[ \t]{0,20}defp?[ \t]+([a-z_]\w{0,60}[?!]?)", re.M)
REPLACING = re.compile(r"\b(?:Regex|String)\.replace\w{0,20}\(|\|>[ \t]{0,8}(?:Regex|String)\.replace\w{0,20}\b")
MARKUP = re.compile(r"<(?:a|span|strong|em|b|i|u|br|mark|code|img|p|div|pre|ul|ol|li|h[1-6]|button|iframe)\b")
MAX_BUILDER_BODY = 4000  # characters of one clause read
# A call of such a helper given a record's field (`linkify(m.body)`, `autolink(@post.content, opts)`).
BUILDER_CALL = re.compile(r"(?:([A-Z][\w.]{0,80})\.)?([a-z_]\w{0,60}[?!]?)\(\s{0,8}(@?[a-z_]\w{0,60}(?:\.\w{1,60}){1,4})\s{0,8}(?:,[^()]{0,200})?\)")


def _local_bodies(ctx) -> list[tuple[str, str]]:
    """(name, the first MAX_BUILDER_BODY characters of its body) of each function clause the file defines, in order:
    one slice per function head, read once per file for the builders and the escapers."""
    def compute() -> list[tuple[str, str]]:
        heads = ctx.text.every(LOCAL_DEF)
        bodies = []
        for index, (match, _) in enumerate(heads):
            end = heads[index + 1][0].start() if index + 1 < len(heads) else len(ctx.source)
            bodies.append((match.group(1), ctx.source[match.end(): min(end, match.end() + MAX_BUILDER_BODY)]))
        return bodies
    return ctx.text.once("raw_html_user_content:bodies", compute)


def _markup_builders(ctx) -> frozenset[str]:
    """Names of this file's functions that build markup out of their text by replacement and escape nothing: a clause
    with a `Regex.replace`/`String.replace` and a tag in the code, none with an escape or a sanitizer. Read once per
    file: one slice per function head."""
    def compute() -> frozenset[str]:
        building: dict[str, bool] = {}
        for name, body in _local_bodies(ctx):
            if SANITIZED.search(_code_only(body)):
                building[name] = False
            elif REPLACING.search(body) and MARKUP.search(body):
                building.setdefault(name, True)
        return frozenset(name for name, builds in building.items() if builds)
    return ctx.text.once("raw_html_user_content:builders", compute)


def _escapers(ctx) -> frozenset[str]:
    """Names of this file's functions whose every clause escapes or sanitizes in its code (`text |> html_escape() |>
    safe_to_string() |> String.replace(...)`, `HtmlSanitizeEx.basic_html(text)`): what they return is escaped."""
    def compute() -> frozenset[str]:
        escaping: dict[str, bool] = {}
        for name, body in _local_bodies(ctx):
            escaping[name] = escaping.get(name, True) and SANITIZED.search(_code_only(body)) is not None
        return frozenset(name for name, escapes in escaping.items() if escapes)
    return ctx.text.once("raw_html_user_content:escapers", compute)


def _builds_markup(ctx, module: str | None, name: str) -> bool:
    """Whether the helper called builds markup from its text without escaping: a function of this file, or in project
    review the named module's public function (`Format.linkify`, read from the project)."""
    if name in _markup_builders(ctx):
        return True
    if module is None or not ctx.project_root:
        return False
    bodies = function_bodies(ctx.project_root, module, name) or []
    return any(REPLACING.search(b) and MARKUP.search(b) for b in bodies) and \
        not any(SANITIZED.search(_code_only(b)) for b in bodies)


# An assign filled with such a helper's markup of a record's field (`assign(socket, :topic_html, linkify(room.topic))`).
ASSIGNED_BUILT = re.compile(r"(?:\bassign\(\s{0,120}(?:\w{1,40},\s{0,120})?:([a-z_]\w{0,60}),|[(,\s]([a-z_]\w{0,60}):)\s{0,120}"
                            r"([a-z_]\w{0,60}[?!]?)\(\s{0,120}((?:socket\.)?(?:assigns\.)?([a-z_]\w{0,60})(?:\.\w{1,60}){0,3}\.(\w{1,40}))"
                            r"\s{0,120}[,)]")


def _assigned_user_text(ctx) -> dict[str, str]:
    """assign -> the expression it is filled with, for assigns this module (or, for a separate template, the module
    beside it) fills with a user-text field of a record
    (not a developer's: docs, settings; not, in project review, one built from the repository's files)."""
    found = {}
    # A separate template's assigns are filled by the module beside it (audit 12 G20: `comment_live.html.heex`).
    companion = ASSIGNED_TEXT.finditer(ctx.companion_source) if ctx.companion_source else ()
    for match in [*(m for m, _ in ctx.text.every(ASSIGNED_TEXT)), *companion]:
        record, field = match.group(4), match.group(5)
        if record == "assigns" or not USER_TEXT.fullmatch(field) or DEVELOPER_TEXT.fullmatch(record) or record == "socket":
            continue
        if ctx.project_root and (_published(record, published_records(ctx.project_root))
                                 or operator_only_record(ctx.project_root, record)):
            continue
        found.setdefault(match.group(1) or match.group(2), match.group(3))
    builders = _markup_builders(ctx) if "replace" in ctx.source else frozenset()
    for match, _ in ctx.text.every(ASSIGNED_BUILT) if builders else ():
        record, field = match.group(5), match.group(6)
        if match.group(3) in builders and USER_TEXT.fullmatch(field) and not DEVELOPER_TEXT.fullmatch(record):
            found.setdefault(match.group(1) or match.group(2), f"{match.group(3)}({match.group(4)})")
    return found


WHOLE_ARGUMENT = 1200  # characters of raw/1's argument that tell its calls apart when a helper's callers are read
TRANSLATION_READ = 65_536  # characters of raw/1's argument read for a translation's bindings or an encoder's options
# Calls that make text without escaping it: a JSON encoder (`<` stays `<` unless asked for `escape: :html_safe`),
# `inspect/2`, and Earmark, which passes any HTML in the markdown through.
ENCODED = re.compile(r"(?:Jason|Poison|JSON)\.encode!?\(|inspect\(")
# Earmark's HTML of a field, through String steps before it (`Earmark.as_html!(String.trim(@c.body))`) and under an
# alias (`alias Earmark, as: Md`: `Md.as_html!(...)`) (audit 12 G19).
MARKDOWN = r"(?:{names})\.as_html!?\(\s{{0,8}}(?:String\.\w{{1,40}}[?!]?\(\s{{0,8}}){{0,8}}(@?[a-z_]\w{{0,60}}(?:\.\w{{1,60}}){{0,4}})\s{{0,8}}[,)]"
EARMARK_ALIAS = re.compile(r"\balias\s+Earmark\s*,\s*as:\s*([A-Z]\w{0,60})")


@lru_cache(maxsize=8)
def _markdown(source: str) -> re.Pattern:
    """MARKDOWN for a file: Earmark and the names the file aliases it as."""
    names = ["Earmark", *EARMARK_ALIAS.findall(source)] if "alias Earmark" in source else ["Earmark"]
    return re.compile(MARKDOWN.format(names="|".join(dict.fromkeys(names))))


# Linkify (and AutoLinker, its ancestor) turn URLs in a text into links and pass every other tag through: of a
# user's text, what raw/1 then renders is that text's HTML (blind judge round 11: inbound SMS shown this way).
LINKIFIED = re.compile(r"(?:Linkify|AutoLinker)\.link\(\s{0,8}(@?[a-z_]\w{0,60}(?:\.\w{1,60}){0,4})\s{0,8}[,)]")
TRANSLATION = re.compile(r"^(?:Gettext\.)?d?n?p?gettext\(")
# A translation's binding (`name: changeset_name`): interpolated as is, so raw/1 renders it as HTML.
BINDING = re.compile(r"(?:[,(]|^)[ \t]{0,40}([a-z_]\w{0,40}):[ \t]{1,8}([^\n]{1,200}?)[ \t]{0,8}(?=,[ \t]{0,8}[a-z_]\w{0,40}:\s|\n|$)",
                     re.M)
# Values the server makes: paths and URLs (`page_path(...)`, `~p"/..."`, `url: reuser_space_path`), dates.
SERVER_MADE = re.compile(r"_(?:path|url)\b|~p\"|\bRoutes\.|\b(?:url|path|static_path)\(|\b(?:Date|DateTime|Calendar|Cldr)\w{0,20}\.")
# What a user typed: a form's value or params, or a record's user-text field (`@thread.title`, `user.name`).
FORM_VALUE = re.compile(r"\bget_field\(|\bget_change\(|\binput_value\(|\bparams\b|@form\[|\.value\b")
USER_FIELD = re.compile(r"[\w@]\.(?:body|content|comment|message|bio|description|text|note|title|name|username|display_name)\b")
COUNT_KEY = re.compile(r"count|n|num|number|total|size|amount|\w+_count")


def _unescaping_call(ctx, argument: str, whole: str) -> tuple[int, str] | None:
    """(offset in the argument, message) when raw/1 is given data through a call that escapes nothing: a JSON
    encoding or `inspect/1` of a variable or field, Earmark's HTML of a user-text field, or a translation that
    interpolates a value other than a count (`ngettext("... at %{name}", ..., name: get_field(@changeset, :name))`)."""
    encoded = ENCODED.match(argument)
    if encoded and "html_safe" not in whole and re.match(r"\s{0,8}[@a-z_]", whole[encoded.end():]):
        return 0, "renders JSON or inspected data unescaped: a `<` in any string of it opens a tag."
    markdown = _markdown(ctx.source).match(argument)
    if markdown:
        path = markdown.group(1).split(".")
        record = path[0].lstrip("@")
        if len(path) > 1 and USER_TEXT.fullmatch(path[-1]) and not DEVELOPER_TEXT.fullmatch(record) and not (
                ctx.project_root and (_published(record, published_records(ctx.project_root))
                                      or (path[0].startswith("@") and _loaded_from_files(ctx, record))
                                      or operator_only_record(ctx.project_root, record))):
            return 0, "renders a record's text as markdown HTML unescaped: Earmark keeps any HTML the text holds."
    linked = LINKIFIED.match(argument)
    if linked:
        path = linked.group(1).split(".")
        if len(path) > 1 and USER_TEXT.fullmatch(path[-1]) and not DEVELOPER_TEXT.fullmatch(path[0].lstrip("@")):
            return 0, ("renders a record's text with its links made into tags, unescaped: Linkify and AutoLinker take "
                       "HTML in and keep any tag the text holds.")
    if TRANSLATION.match(argument):
        for binding in BINDING.finditer(whole):
            key, value = binding.group(1), binding.group(2).strip().rstrip(",) ")
            if COUNT_KEY.fullmatch(key) or re.fullmatch(r'[\d.]+|"[^"]*"|:\w+|@?\w+_count|length\(.*\)', value) \
                    or SERVER_MADE.search(value):
                continue
            if not (USER_TEXT.search(key) or FORM_VALUE.search(value) or USER_FIELD.search(value)):
                continue  # a value whose source says nothing of users (`date: format(@day)`)
            return binding.start(1), (f"interpolates {code_span(key + ': ' + value[:60])} into a translation rendered as "
                                      "HTML: the value is not escaped.")
    return None


# A loader that reads the repository's own files (markdown under priv/, docs pages): text the developers wrote.
READS_FILES = re.compile(r"\bFile\.(?:read!?|stream!)\(|\bPath\.wildcard\(|:code\.priv_dir\(|Application\.app_dir\(")
LOADER_CALL = r"([A-Z][\w.]{0,120})\.(\w{1,80}[?!]?)\("


def _loaded_from_files(ctx, assign: str) -> bool:
    """In project review: this module assigns `assign` from a variable that a project function fills by reading
    files (`case Content.load_content("blog", slug) do {:ok, content} -> assign(socket, content: content)`,
    where load_content does `File.read`): the repository's own pages, not a visitor's text."""
    for bound in re.finditer(r"(?:\b" + assign + r":|:" + assign + r",)\s{0,20}([a-z_]\w{0,60})\b", ctx.source):
        name = re.escape(bound.group(1))
        loader = re.search(r"\bcase\s{1,8}" + LOADER_CALL + r"[^\n]{0,200}\bdo\s{0,20}\n\s{0,40}\{:ok,\s{0,8}" + name +
                           r"\s{0,8}\}\s{0,8}->|(?:\{:ok,\s{0,8}" + name + r"\s{0,8}\}|\b" + name +
                           r")\s{0,8}(?:<-|=)\s{0,8}" + LOADER_CALL, ctx.source)
        if loader is None:
            continue
        module, function = (loader.group(1), loader.group(2)) if loader.group(1) else (loader.group(3), loader.group(4))
        bodies = function_bodies(ctx.project_root, module, function)
        if bodies and any(READS_FILES.search(body) for body in bodies):
            return True
    return False


PIPE_LINES = 400  # `|>` lines above a piped raw() followed: a whole pipeline, however many steps it has
PIPE_CHARS = 300  # past the file's budget, the last characters of the pipeline read (the old window)
MANY_SPACES = re.compile(r"\s{2,}")


@dataclass
class LineMarks:
    """What _piped_value learns of a file's lines, kept across the file's calls: where each line's comment starts
    (by line start), and the last line start it found (position, start)."""
    comments: dict[int, int] = field(default_factory=dict)
    last: tuple[int, int] = (-1, 0)


LITERAL_START = re.compile(r"[\"'~?]")  # where a string, charlist, sigil or character literal may start


def _piped_value(source: str, start: int, budget: list[int], marks: LineMarks | None = None) -> str:
    """The value piped into `raw()` (`@comment.body |> raw()`, or `msg.body` and the steps after it on the lines
    above): '' when raw() is called with nothing piped in.

    The whole pipeline is read, so a long chain of steps (a linkify pipeline of `String.replace` calls with long
    regexes) cannot push its head out of sight (audit 11 H1: the last 300 characters of six lines were read).
    A line belongs to the pipeline when the line below it starts with `|>` or it ends with `|>` itself (the
    trailing-pipe layout: `c.body |>` then `raw()`, audit 12 G3). The characters read are charged to the file's
    argument budget as they are read, which keeps many pipelines linear (audit 12 P1); past it, a walk reads
    about PIPE_CHARS characters and the last PIPE_CHARS of them are judged. Where each line's comment starts is
    found once per line (`marks`, shared by the file's calls), and a call that no `|>` precedes reads nothing
    (audit 12 P7: each call re-read its whole line before it)."""
    marks = LineMarks() if marks is None else marks
    end = start
    while end > 0 and source[end - 1] in " \t":
        end -= 1
    if end > 0 and source[end - 1] != "\n" and source[end - 2:end] != "|>":
        return ""  # something other than a pipe before the call: nothing is piped in (and nothing else is read)
    line_start = _line_start(source, end, marks)
    if _comment_start(source, line_start, marks) < start:
        return ""  # the call is in a comment
    allowed = max(budget[0], PIPE_CHARS)
    before = source[max(line_start, end - allowed):end].strip()
    lines = [before] if before else []
    spent = len(before)
    followed = 0
    while followed < PIPE_LINES and line_start > 0 and spent <= allowed:
        below = lines[-1] if lines else ""
        previous = source.rfind("\n", 0, line_start - 1) + 1
        cut = min(_comment_start(source, previous, marks), line_start - 1)
        code = source[max(previous, cut - (allowed - spent) - 2):cut].strip()
        spent += line_start - previous
        line_start = previous
        followed += 1
        if not code:
            continue  # a blank or comment line inside the pipeline
        if not (below.startswith("|>") or code.endswith("|>")):
            break
        lines.append(code)
    if spent > allowed or (followed >= PIPE_LINES and line_start > 0 and lines):
        reached("pipelines into raw/1 past the file's reading budget or line limit")  # audit 13: said, not silent
    budget[0] = max(0, budget[0] - spent)
    if not lines:
        return ""
    # Runs of spaces count as one, so padding before `|> raw()` adds nothing to judge (audit 10 H2, the piped form).
    joined = MANY_SPACES.sub(" ", " ".join(reversed(lines)))
    head = _pipeline_expression(joined if spent <= allowed else joined[-PIPE_CHARS:])
    return plain_expression(head) if head else ""


def _line_start(source: str, position: int, marks: LineMarks) -> int:
    """Where the line holding `position` starts. The file's calls come in order, so the last answer is extended
    rather than searched for again from the position back (audit 12 P7: many piped calls on one long line each
    searched back to its start)."""
    last_position, last_start = marks.last
    if 0 <= last_position <= position and source.find("\n", last_position, position) < 0:
        start = last_start
    else:
        start = source.rfind("\n", 0, position) + 1
    marks.last = (position, start)
    return start


def _comment_start(source: str, line_start: int, marks: LineMarks) -> int:
    """Where the comment of the line starting at `line_start` begins (its end when it has none), found once per
    line: the first `#` outside strings, charlists, sigils and character literals (`~r/#(\\w+)/` in a hashtag
    linkify is no comment, audit 12 G1)."""
    at = marks.comments.get(line_start)
    if at is None:
        line_end = source.find("\n", line_start)
        line_end = len(source) if line_end < 0 else line_end
        at = source.find("#", line_start, line_end)
        if at < 0:
            at = line_end
        elif LITERAL_START.search(source, line_start, at):  # something before the `#` may open a literal
            found = next(code_characters(source[line_start:line_end], HASH), None)
            at = line_end if found is None else line_start + found[0]
        marks.comments[line_start] = at
    return at


PIPE_OR_BRACKET = re.compile(r"[()\[\]{}|]")
EXPRESSION_MARK = re.compile(r"[()\[\]{},=>d]")  # what _pipeline_expression looks at: brackets, `,`, `=`, `->`, `do`
ASSIGNMENT_NEIGHBOURS = frozenset("=!<>~")  # `==`, `!=`, `<=`, `>=`, `=~`, `=>`: not a match or assignment


def _pipeline_expression(joined: str) -> str:
    """The pipeline that ends at the final `|>` of `joined`: from the bracket that encloses it or, inside that
    bracket, from the last `=`, `,`, `<%=`, `->` or `do` before it. One forward pass over the code's characters,
    so linear in the text's length."""
    text = joined.rstrip()
    if not text.endswith("|>"):
        return ""
    text = text[:-2].rstrip()
    starts = [0]  # per open bracket: where the expression now being read begins
    for index, char in code_characters(text, EXPRESSION_MARK):
        if char in "([{":
            starts.append(index + 1)
        elif char in ")]}":
            if len(starts) > 1:
                starts.pop()
        elif char == ",":
            starts[-1] = index + 1
        elif char == "=" and text[index - 1:index] not in ASSIGNMENT_NEIGHBOURS \
                and text[index + 1:index + 2] not in ASSIGNMENT_NEIGHBOURS:
            starts[-1] = index + 1  # a match or assignment, or the `=` of `<%=`
        elif char == ">" and text[index - 1:index] == "-":
            starts[-1] = index + 1
        elif char == "d" and text.startswith("do", index) and not word_char(text[index - 1:index]) \
                and not word_char(text[index + 2:index + 3]):
            starts[-1] = index + 3 if text[index + 2:index + 3] == ":" else index + 2  # `do: text |>`, `do text |>`
    return text[starts[-1]:].strip()
