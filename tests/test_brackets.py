"""plain_expression: the text of an expression as the code means it, for rules that judge arguments by text."""

from __future__ import annotations

import pytest

from skill_server.brackets import plain_expression


@pytest.mark.parametrize(("written", "plain"), [
    ('"#{x} #y"', '"#{x} #y"'),  # inside a string `#` is text
    ("~s(<a>#{@link.title}</a>)", "~s(<a>#{@link.title}</a>)"),  # interpolation in a sigil, not a comment
    ("?#", "?#"),  # the character literal
    ("(a + b) |> f()", "(a + b) |> f()"),  # parentheses around an operation are kept
    ("&(&1.id)", "&(&1.id)"),  # a capture's
    ("foo.(x)", "foo.(x)"),  # an anonymous function's call
    ("f(a, b)", "f(a, b)"),
])
def test_code_that_means_what_it_shows_is_kept(written, plain):
    assert plain_expression(written) == plain


@pytest.mark.parametrize(("written", "plain"), [
    ("raw((@comment.body))", "raw(@comment.body)"),
    ("( ( x ) )", "x"),
    ("# rendered as is\n  @comment.body", "@comment.body"),
    ("Jason.encode!(# who\n @current_user)", "Jason.encode!(@current_user)"),
    ("Blog.get!(  id  )", "Blog.get!(id)"),
    ("f((a), b)", "f(a, b)"),
    ("(@current_user) |> Jason.encode!()", "@current_user |> Jason.encode!()"),
])
def test_comments_whitespace_and_redundant_parentheses_are_left_out(written, plain):
    assert plain_expression(written) == plain
