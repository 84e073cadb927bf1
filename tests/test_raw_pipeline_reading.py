"""How `raw_html_user_content` reads a pipeline that ends in `raw()` (issue 17, audit 11 H1): the whole pipeline,
however long, with brackets inside strings and regexes not counted, and within the file's argument budget."""

from __future__ import annotations

from skill_server.review.rules.security.raw_html_user_content import (
    PIPE_CHARS,
    LineMarks,
    _piped_value,
    _pipeline_expression,
    unpiped,
)

STEP = '    |> String.replace(~r/(https?:\\/\\/[^\\s<>")\\]]+)/u, "<a href=\\"\\\\1\\">\\\\1</a>")\n'


def _pipeline(steps: int) -> str:
    return "  defp body(post) do\n    post.body\n" + STEP * steps + "    |> raw()\n  end\n"


def test_the_head_of_a_long_pipeline_is_read_however_many_steps_it_has():
    for steps in (1, 7, 40, 300):
        source = _pipeline(steps)
        value = _piped_value(source, source.index("|> raw()") + 2, [1_000_000])
        assert value.startswith("post.body |> String.replace(")
        assert unpiped(value).count("String.replace(") == steps
        assert "String.replace(post.body," in unpiped(value)


def test_past_the_budget_a_walk_reads_about_the_window_and_judges_its_last_characters():
    source = _pipeline(40)
    budget = [100]
    value = _piped_value(source, source.index("|> raw()") + 2, budget)
    assert budget == [0]
    assert not value.startswith("post.body") and len(value) <= PIPE_CHARS


def test_many_pipelines_walk_no_more_than_the_budget_in_all():
    """audit 12 P1: 2,000 padded `|> raw()` lines, each a pipeline's last step, walked 400 lines each before."""
    source = "@x \"\"\"\n" + ("|>" + " " * 90 + "raw()\n") * 2000 + "\"\"\"\n"
    budget = [50_000]
    walked = 0
    for offset in range(len(source)):
        if source.startswith("raw()", offset):
            before = budget[0]
            _piped_value(source, offset, budget)
            walked += before - budget[0]
    assert budget == [0] and walked == 50_000


def test_a_trailing_pipe_layout_is_read():
    """audit 12 G3: `c.body |>` at the end of a line, `raw()` on the next (blank and comment lines between)."""
    source = "  def f(c) do\n    c.body |>\n\n    # the body\n    raw()\n  end\n"
    assert _piped_value(source, source.index("raw()"), [10_000]) == "c.body"
    source = "  {@comment.body |>\n   String.trim() |>\n   raw()}\n"
    assert _piped_value(source, source.index("raw()"), [10_000]) == "@comment.body |> String.trim()"
    source = "  x = y\n  raw()\n"  # nothing piped in
    assert _piped_value(source, source.index("raw()"), [10_000]) == ""


def test_a_hash_in_a_regex_or_character_literal_is_no_comment():
    """audit 12 G1: a hashtag linkify's `~r/#(\\w+)/` cut the line as if a comment started there."""
    source = '  comment.body |> String.replace(~r/#(\\w+)/, "<a href=\\"/tags/\\1\\">#\\1</a>") |> f(?#) |> raw()\n'
    value = _piped_value(source, source.index("raw()"), [10_000])
    assert value.startswith("comment.body |> String.replace(~r/#(") and value.endswith("|> f(?#)")
    source = "  comment.body # the text\n  |> raw()\n"
    assert _piped_value(source, source.index("raw()"), [10_000]) == "comment.body"


def test_the_budget_is_charged_once_per_pipeline_read():
    source = _pipeline(3)
    budget = [1_000_000]
    _piped_value(source, source.index("|> raw()") + 2, budget)
    assert 0 < 1_000_000 - budget[0] < len(source)


def test_where_the_pipeline_starts():
    assert _pipeline_expression("html = comment.body |> linkify() |>") == "comment.body |> linkify()"
    assert _pipeline_expression("<%= @message.content |>") == "@message.content"
    assert _pipeline_expression("{@post.body |>") == "@post.body"
    assert _pipeline_expression("defp f(text), do: text |> Earmark.as_html!() |>") == "text |> Earmark.as_html!()"
    assert _pipeline_expression("Enum.map(items, fn item -> item.note |>") == "item.note"
    assert _pipeline_expression('if a == b do msg.body |> String.replace("(", "[") |>') == \
        'msg.body |> String.replace("(", "[")'
    # brackets and commas inside a regex, a string or a character literal are not the code's
    assert _pipeline_expression('x = msg.body |> String.replace(~r/[,)(=]/, ")") |> f(?() |>') == \
        'msg.body |> String.replace(~r/[,)(=]/, ")") |> f(?()'
    # an apostrophe in markup before the tag is prose, not a charlist
    assert _pipeline_expression("<p>Don't miss: <%= @post.body |>") == "@post.body"
    assert _pipeline_expression("no pipe here") == ""


def test_a_sanitizer_is_a_call_or_option_in_the_code_not_a_word_in_text_or_a_name_saying_the_opposite():
    from skill_server.review.rules.security.raw_html_user_content import SANITIZED, _code_only

    def sanitized(argument: str) -> bool:
        return bool(SANITIZED.search(_code_only(argument)))

    for argument in ("HtmlSanitizeEx.basic_html(c.body)", "sanitize(c.body)", "html_escape(c.body)",
                     "Jason.encode!(c, escape: :html_safe)", "safe_to_string(html_escape(c.body))"):
        assert sanitized(argument), argument
    for argument in ('String.replace(c.body, "x", "<a class=\\"unsafe_link\\">")', "c.body_unescaped",
                     "unsafe_html(c.body)", "Earmark.as_html!(c.body, escape: false)",
                     'String.replace(c.body, ~r/escape/, "")', "c.body # sanitized upstream",
                     "Earmark.as_html!(c.body, escape_html: false)", "HTMLEscape.unescape(c.body)"):
        assert not sanitized(argument), argument


def test_a_helpers_raw_calls_are_judged_with_its_callers_values_once(monkeypatch):
    """audit 12 P2: 300 `raw(text)` in one helper with 20 callers were judged 300 x 20 times."""
    from skill_server.review.engine import review_source
    from skill_server.review.rules.security import raw_html_user_content as rule

    judged = []
    original = rule.judge_parts
    monkeypatch.setattr(rule, "judge_parts", lambda *args: judged.append(1) or original(*args))
    code = ("defmodule AWeb.M do\n  use AWeb, :html\n  defp m(text) do\n" + "    raw(text)\n" * 300 + "  end\n"
            "  def f(c) do\n" + "    m(c.title)\n" * 19 + "    m(c.body)\n  end\nend\n")
    result = review_source(code, filename="lib/a_web/m.ex", strict=True)
    lines = [f.line for f in result.findings if f.rule == "raw_html_user_content"]
    assert len(lines) == 300 and all(f.confidence == "medium" for f in result.findings if f.line in lines[:1])
    assert len(judged) <= 300 + 20


def test_a_call_no_pipe_precedes_reads_nothing_and_each_lines_comment_is_found_once():
    """audit 12 P7: every `raw()` re-read its line up to the call, per character past a quote."""
    marks = LineMarks()
    budget = [1_000_000]
    text = 'x = "a' + "x" * 5000 + '" # '
    for line in (text + "raw() " * 200, text + "|> raw() " * 200):
        for offset in range(len(line)):
            if line.startswith("raw()", offset):
                assert _piped_value(line, offset, budget, marks) == ""  # no pipe before it, or in a comment
    assert list(marks.comments) == [0] and budget == [1_000_000]  # the second line's comment found once, nothing charged
