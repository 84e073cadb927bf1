"""Text HEEx does not interpolate is found as Phoenix's tokenizer finds it (review/heex_text.py): only a real
`<script>`/`<style>` start tag or a phx-no-curly-interpolation attribute starts it, so a mention of the tag in a
comment, an attribute value, a string, a self-closing tag or a custom element's name hides no element from the tree
rules (audit 9 N1)."""

from __future__ import annotations

import pytest

from skill_server.review.engine import review_source
from skill_server.review.heex_text import blank_uninterpolated

ELEMENTS = ('<div id="u" phx-hook="U" data-user={Jason.encode!(@current_user)}></div>\n'
            '<p data-key={@account.api_key}>x</p>\n')
LATER_SCRIPT = '<script>window.a = 1;</script>\n'

HEADS = {
    "html comment": '<!-- the <script> below sets window.a -->\n',
    "heex comment": '<%!-- <script> --%>\n',
    "attribute value": '<p title="no <script> here">hi</p>\n',
    "eex string": '<%= "<script>" %>\n',
    "curly string": '{"<script>"}\n',
    "self-closing script": '<script defer src={~p"/assets/app.js"} />\n',
    "self-closing style": '<style />\n',
    "custom element": '<script-island src="x"></script-island>\n<style-guide>\n',
    "custom element, non-ASCII name (audit 10 M2)": '<scriptä-x></scriptä-x>\n',
    "custom element, punctuation in the name": '<script+x></script+x>\n',
    "no-curly named in text": '<p>Mark a block phx-no-curly-interpolation to show {braces}</p>\n<pre>\n',
    "self-closing no-curly": '<div phx-no-curly-interpolation />\n<div>\n',
    "many script blocks": '<script>a</script>\n' * 201 + '<script>if (a) {</script>\n',
}


@pytest.mark.parametrize("head", HEADS.values(), ids=HEADS.keys())
def test_a_mention_of_a_raw_text_tag_hides_no_element(head):
    tail = "</style-guide>\n" if "style-guide" in head else "</pre>\n" if head.endswith("<pre>\n") else \
        "</div>\n" if head.endswith("<div>\n") else ""
    result = review_source(head + ELEMENTS + tail + LATER_SCRIPT, filename="x.html.heex", strict=True)
    codes = {f.code for f in result.findings}
    assert {"LV606", "LV607"} <= codes, codes


def test_a_script_body_is_text_but_its_eex_tags_are_kept():
    data = b'<!-- <script> --><script>if (a) { <%= @x %> }</script><p>{@y}</p>'
    blanked = blank_uninterpolated(data)
    assert len(blanked) == len(data)
    assert b"<!-- <script> -->" in blanked and b"<%= @x %>" in blanked and b"{@y}" in blanked
    assert b"if (a)" not in blanked and blanked.count(b"{") == 1


def test_under_no_curly_interpolation_text_braces_are_text_and_attribute_values_expressions():
    data = b'<pre phx-no-curly-interpolation>if (a) { <b data-x={@x}>}</b></pre><i>{@y}</i>'
    blanked = blank_uninterpolated(data)
    assert b"data-x={@x}" in blanked and b"{@y}" in blanked
    assert b"if (a)  " in blanked and b">}<" not in blanked


def test_an_unclosed_tag_or_comment_stops_the_pass_without_blanking_what_follows():
    data = b'<!-- <script> \n<p data-x={@x}></p><script>{</script>'
    assert blank_uninterpolated(data) == data


def test_eex_in_a_script_body_is_found_in_one_scan_and_its_close_tag_is_not_the_body_s():
    # audit 10 M3: each unclosed `<%` used to restart a search to the end of the body (quadratic); an EEx tag that
    # never closes is invalid EEx, and the body is read as text up to its close tag, in one scan.
    data = b"<script>" + b"<%" * 2000 + b"</script><div>{raw(@comment.body)}</div>"
    blanked = blank_uninterpolated(data)
    assert blanked.endswith(b"</script><div>{raw(@comment.body)}</div>")
    assert set(blanked[len(b"<script>"):len(b"<script>") + 4000]) == {ord(" ")}
    kept = blank_uninterpolated(b"<script>x <%= @a %> y</script><p>{@b}</p>")
    assert b"<%= @a %>" in kept and b"x" not in kept[:12] and b"{@b}" in kept
    # audit 10 M1: a `</script>` inside an EEx string does not end the body
    inner = blank_uninterpolated(b'<script><%= "</script>" %> if (a) { b }</script><p>{@y}</p>')
    assert b"if (a)" not in inner and inner.endswith(b"</script><p>{@y}</p>")


def test_a_raw_text_close_pops_no_brace_count_under_no_curly_interpolation():
    # audit 10 M1: Phoenix leaves a script or style body straight back to text; the region ends at its own tag
    data = (b"<section phx-no-curly-interpolation>\n  <style>pre { margin: 0 }</style>\n"
            b"  <pre><code>def f(x), do: %{a: x</code></pre>\n</section>\n<p data-k={@key}>x</p>")
    blanked = blank_uninterpolated(data)
    assert b"%{a: x" not in blanked and b"data-k={@key}" in blanked


def test_an_escaped_eex_opener_in_a_script_body_is_text():
    # audit 11 M4: `<%%` renders a literal `<%`; read as a tag opener it carried the body past its close tag
    data = b'<script>a = "<%%";</script><p data-k={@key}>x</p><style>b{}</style>'
    blanked = blank_uninterpolated(data)
    assert b"data-k={@key}" in blanked and b'a = "' not in blanked
