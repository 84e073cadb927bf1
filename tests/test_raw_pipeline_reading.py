"""How `raw_html_user_content` reads a pipeline that ends in `raw()` (issue 17, audit 11 H1): the whole pipeline,
however long, with brackets inside strings and regexes not counted, and within the file's argument budget."""

from __future__ import annotations

from skill_server.review.rules.security.raw_html_user_content import (
    PIPE_CHARS,
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


def test_past_the_budget_only_the_last_characters_are_read():
    source = _pipeline(40)
    budget = [100]
    value = _piped_value(source, source.index("|> raw()") + 2, budget)
    assert budget == [100]  # nothing charged: the window is read instead
    assert not value.startswith("post.body") and len(value) <= PIPE_CHARS


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
