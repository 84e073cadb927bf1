"""A function component's form whose change event the LiveViews rendering it handle (review/project_handlers.py):
each file naming the event is parsed once while it is unchanged, however many forms ask (audit 9 N6: every form
parsed the same files again, a review worker's whole time limit for 50 forms), and a changed file is read again."""

from __future__ import annotations

import os

from skill_server.review.project import review_project

FORMS = 40


def _forms_module() -> str:
    forms = "".join(f'      <.form for={{@f}} phx-change="e{i}"><input name="q" /></.form>\n' for i in range(FORMS))
    return ("defmodule AppWeb.Forms do\n  use Phoenix.Component\n\n  def all(assigns) do\n    ~H\"\"\"\n    <div>\n"
            + forms + "    </div>\n    \"\"\"\n  end\nend\n")


def _liveview(n: int, patched: set[int]) -> str:
    heads = "".join(
        f'  def handle_event("e{i}", %{{"q" => q}}, socket), do: {{:noreply, push_patch(socket, to: "/?q=#{{q}}")}}\n'
        if i in patched else f'  def handle_event("e{i}", %{{"q" => q}}, socket), do: {{:noreply, assign(socket, :q, q)}}\n'
        for i in range(FORMS))
    return (f"defmodule AppWeb.L{n}Live do\n  use AppWeb, :live_view\n  alias AppWeb.Forms\n\n"
            f'  def render(assigns), do: ~H"<Forms.all f={{@f}} />"\n' + heads + "end\n")


def _flagged_lines(root) -> list[int]:
    review = review_project([str(root / "lib/app_web/components/forms.ex")], liveview_version="1.2")
    (only,) = review.files
    assert only.result.complete
    return sorted(f.line for f in only.result.findings if f.rule == "form_missing_id")


def test_forms_handled_in_the_liveviews_that_render_them_are_judged_by_those_handlers(tmp_path):
    (tmp_path / "mix.exs").write_text("defmodule App.MixProject do\n  use Mix.Project\nend\n")
    components, live = tmp_path / "lib/app_web/components", tmp_path / "lib/app_web/live"
    components.mkdir(parents=True)
    live.mkdir(parents=True)
    (components / "forms.ex").write_text(_forms_module())
    for n in range(8):
        (live / f"l{n}_live.ex").write_text(_liveview(n, patched=set(range(FORMS)) - {7}))
    first_form_line = 7
    assert _flagged_lines(tmp_path) == [first_form_line + 7]
    changed = live / "l3_live.ex"  # one LiveView's handler of e7 now keeps the change; the others still do not
    changed.write_text(_liveview(3, patched=set(range(FORMS))) + "\n")
    os.utime(changed, (changed.stat().st_atime, changed.stat().st_mtime + 5))
    assert _flagged_lines(tmp_path) == [first_form_line + 7]
    for n in range(8):
        path = live / f"l{n}_live.ex"
        path.write_text(_liveview(n, patched=set(range(FORMS))) + "\n")
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert _flagged_lines(tmp_path) == []
