"""Hostile input to the reviewer: oversize, binary, wrong language, pathological nesting, and the time
budget that returns partial results with a note instead of hanging."""

from __future__ import annotations

import pytest

from skill_server.errors import InputError
from skill_server.review import engine
from skill_server.review.engine import review_source


@pytest.mark.parametrize(
    ("source", "filename"),
    [
        ("<div>" * 5000 + "x" + "</div>" * 5000, "deep.heex"),
        ("defmodule A do\n  def f, do: " + "[" * 5000 + "]" * 5000 + "\nend\n", "deep.ex"),
        ("defmodule A do\n use Phoenix.Component\n def f(assigns) do\n ~H\"\"\"\n" + "<span>" * 4000 + "{@x}"
         + "</span>" * 4000 + "\n\"\"\"\n end\nend\n", "deep_sigil.ex"),
        ("const a = " + "[" * 3000 + "]" * 3000, "deep.js"),
        ("a{" * 2000 + "}" * 2000, "deep.css"),
    ],
)
def test_pathological_nesting_is_reviewed_without_crashing(source, filename):
    result = review_source(source, filename=filename, strict=True)
    assert result.language in ("heex", "elixir", "javascript", "css")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("x" * (engine.MAX_REVIEW_BYTES + 1), "MB"),
        ("defmodule A do\x00\x01\x02 end", "NUL"),
        ("".join(chr(i % 8 + 1) for i in range(4000)), "binary"),
    ],
)
def test_bad_input_is_a_clear_error(source, message):
    with pytest.raises(InputError, match=message):
        review_source(source, filename="x.ex")


def test_wrong_language_is_reviewed_as_far_as_possible():
    result = review_source("def handler(event):\n    return {'ok': True}\n", filename="views.py")
    assert any("not a LiveView file type" in note for note in result.notes)
    assert result.parse_ok is False or result.findings == []


HARMFUL = ('  def handle_event("go", %{"n" => n}, socket), do: {:noreply, assign(socket, String.to_atom(n), 1)}\n'
           '  def render(assigns) do\n    ~H"""\n    {TEXT}<p>{raw(@comment.body)}</p>\n    """\n  end\nend\n')


def _module(before: str, text: str = "") -> str:
    return "defmodule AppWeb.EvilLive do\n  use AppWeb, :live_view\n" + before + HARMFUL.replace("{TEXT}", text)


@pytest.mark.parametrize("before", [
    '  @moduledoc """\n  Links: see https://lvr:disable-file\n  """\n',
    '  @moduledoc """\n  # lvr:disable-file\n  """\n',
    '  @note "#lvr:disable-file"\n',
    "  @note ~s(// lvr:disable-file)\n",
])
def test_directive_text_outside_a_comment_suppresses_nothing(before):
    result = review_source(_module(before), filename="evil_live.ex")
    assert {"unsafe_atom_creation", "raw_html_user_content"} <= {f.rule for f in result.findings}
    assert result.stats["suppressed"] == 0


@pytest.mark.parametrize("text", ["# lvr:disable-file ", "* ", '<p title="// lvr:disable-file"></p>', "{\"# lvr:disable-file\"}"])
def test_directive_text_in_a_templates_html_or_expressions_suppresses_nothing(text):
    result = review_source(_module("", text), filename="evil_live.ex")
    assert "raw_html_user_content" in {f.rule for f in result.findings}


def test_a_file_wide_suppression_in_a_comment_works_and_says_what_it_hid():
    result = review_source(_module("  # lvr:disable-file\n"), filename="evil_live.ex")
    assert result.findings == [] and result.stats["suppressed"] >= 2
    assert any("lvr:disable-file (every rule)" in note and "hid" in note for note in result.notes)
    heex_comment = review_source(_module("", "<%!-- lvr:disable-next-line raw_html_user_content --%>\n    "),
                                 filename="evil_live.ex")
    assert "raw_html_user_content" not in {f.rule for f in heex_comment.findings}


def test_time_budget_returns_partial_results_with_a_note(monkeypatch):
    monkeypatch.setattr(engine, "TIME_BUDGET_S", 0.0)
    result = review_source("<div phx-hook=\"Chart\"></div>\n", filename="c.heex")
    assert any("budget ran out" in note for note in result.notes)
    assert result.stats["rules_run"] == 0


def test_suppressions_and_unused_suppressions():
    source = (
        "<%!-- lvr:disable-next-line hook_missing_id --%>\n<div phx-hook=\"Chart\"></div>\n"
        "<%!-- lvr:disable-next-line form_missing_id --%>\n<p>nothing to suppress</p>\n"
    )
    result = review_source(source, filename="c.heex")
    assert result.findings == [] and result.stats["suppressed"] == 1
    assert any("suppresses nothing" in note and "line 3" in note for note in result.notes)
    elixir = "# lvr:disable-file LV101\ndefmodule A do\n  use MyAppWeb, :live_view\n  def mount(_, _, s), do: {:ok, s}\nend\n"
    assert review_source(elixir, filename="a.ex").findings == []
    js = "// lvr:disable-next-line hook_timer_leak\nconst t = setInterval(() => 1, 10)\n"
    assert review_source(js, filename="h.js").findings == []


@pytest.mark.parametrize("setting", ["REVIEW_MAX_DEPTH=abc", "REVIEW_MAX_NODES=-5", "REVIEW_PARSE_S=nan",
                                     "MAX_REVIEW_BYTES=1e99x"])
def test_a_bad_module_setting_in_the_environment_is_ignored_with_a_warning_not_a_traceback(setting):
    import os
    import subprocess
    import sys

    name, value = setting.split("=")
    env = dict(os.environ, **{f"LIVEVIEW_SKILL_{name}": value})
    done = subprocess.run([sys.executable, "-m", "skill_server.cli", "review", "-"], input="defmodule A do\nend\n",
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr and f"ignoring LIVEVIEW_SKILL_{name}" in done.stderr
    assert done.returncode == 0
