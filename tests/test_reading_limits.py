"""Audit 13: no cap or budget a rule stops at may end silently. Either every candidate is read (callers of a raw/1
helper, clauses of a helper, verdict keys, project files Mix compiles) or the review says which limit it stopped at
and is marked incomplete, so a gate fails instead of passing what it did not read (reading_limits.py)."""

from __future__ import annotations

from pathlib import Path

from skill_server import engine
from skill_server.review.project import review_project

HEAD = "defmodule AppWeb.PageLive do\n  use AppWeb, :live_view\n\n"


def rules_of(result) -> list[str]:
    return [f.rule for f in result.findings]


def review(code: str, filename: str = "lib/app_web/live/page_live.ex"):
    return engine.review_code(code, filename=filename, liveview_version="1.0")


# Should NOT report: limits that real code does not reach leave the review complete.

def test_a_long_constant_raw_call_leaves_the_review_complete():
    svg = '<svg viewBox=\\"0 0 24 24\\">' + '<path d=\\"M12 2L2 7l10 5 10-5-10-5z\\"/>' * 200
    result = review(HEAD + f'  def logo, do: raw("{svg}" <> "</svg>")\nend\n')
    assert result.complete and "raw_html_user_content" not in rules_of(result)


def test_twenty_five_harmless_calls_of_a_raw_helper_are_not_findings():
    calls = "".join(f'      {{show("static {n}")}}\n' for n in range(25))
    code = HEAD + '  defp show(text), do: raw(text)\n\n  def render(assigns) do\n    ~H"""\n' + calls + '    """\n  end\nend\n'
    result = review(code)
    assert result.complete and "raw_html_user_content" not in rules_of(result)


# Should report: what sits past a cap is still read.

def test_user_text_in_raw_is_found_after_a_constant_that_used_to_spend_the_allowance():
    svg = '<svg viewBox=\\"0 0 24 24\\">' + '<path d=\\"M12 2L2 7l10 5 10-5-10-5z\\"/>' * 200
    code = (HEAD + f'  def logo, do: raw("{svg}" <> "</svg>")\n\n  def render(assigns) do\n    ~H"""\n'
            '    {raw("<div class=\\"note\\">" <> @note.text <> "</div>")}\n    """\n  end\nend\n')
    assert "raw_html_user_content" in rules_of(review(code))


def test_the_twenty_sixth_caller_of_a_raw_helper_is_judged():
    calls = "".join(f'      {{show("static {n}")}}\n' for n in range(25)) + "      {show(@note.text)}\n"
    code = HEAD + '  defp show(text), do: raw(text)\n\n  def render(assigns) do\n    ~H"""\n' + calls + '    """\n  end\nend\n'
    assert "raw_html_user_content" in rules_of(review(code))


def test_the_twenty_sixth_use_of_a_raw_component_is_judged():
    uses = "".join(f'      <.rich body="static {n}" />\n' for n in range(25)) + "      <.rich body={@note.text} />\n"
    code = (HEAD + '  def rich(assigns), do: ~H"{raw(@body)}"\n\n  def render(assigns) do\n    ~H"""\n' + uses
            + '    """\n  end\nend\n')
    assert "raw_html_user_content" in rules_of(review(code))


def test_a_helper_clause_past_the_sixteenth_is_followed_for_a_client_id():
    clauses = "".join(f'  defp remove(socket, "kind{n}", _id), do: socket\n' for n in range(20))
    code = (HEAD + '  def handle_event("remove", %{"id" => id, "kind" => kind}, socket) do\n'
            "    {:noreply, remove(socket, kind, id)}\n  end\n\n" + clauses
            + '  defp remove(socket, "note", id) do\n    note = Repo.get!(Note, id)\n    {:ok, _} = Repo.delete(note)\n'
            "    socket\n  end\nend\n")
    assert "missing_authorization" in rules_of(review(code))


def test_a_client_verdict_after_sixty_literal_scores_is_found():
    scores = ", ".join(f"score: {n}" for n in range(60))
    code = (HEAD + '  def handle_event("answer", params, socket) do\n    user = socket.assigns.current_user\n'
            f"    Logger.debug(inspect([{scores}]))\n"
            '    attrs = %{user_id: user.id, question_id: params["question_id"], correct?: params["correct"] == "true"}\n'
            "    {:ok, _} = Answers.create_answer(attrs)\n    {:noreply, socket}\n  end\nend\n")
    assert "trusts_client_payload" in rules_of(review(code))


def test_a_long_literal_helper_does_not_hide_a_later_write_of_the_client_id():
    atoms = ", ".join(f":a{n}" for n in range(2100))
    code = (HEAD + '  def handle_event("save", params, socket) do\n    socket = pad(socket, params)\n'
            "    {:noreply, save(socket, params)}\n  end\n\n"
            f"  defp pad(socket, _params) do\n    _ = [{atoms}]\n    socket\n  end\n\n"
            '  defp save(socket, params) do\n    {:ok, _} = Posts.create_post(%{title: params["title"], user_id: params["user_id"]})\n'
            "    socket\n  end\nend\n")
    assert "trusts_client_payload" in rules_of(review(code))


# Fail closed: a limit that is reached is said, and the review is incomplete.

def test_a_raw_argument_nested_past_the_allowance_makes_the_review_incomplete():
    nested = "to_string(" * 300 + "@note.text" + ")" * 300
    result = review(HEAD + '  def render(assigns) do\n    ~H"""\n    {raw(' + nested + ')}\n    """\n  end\nend\n')
    assert not result.complete
    assert any("stopped reading at a limit" in note for note in result.notes)


def test_helpers_past_the_node_budget_make_the_review_incomplete():
    atoms = ", ".join(f":a{n}" for n in range(30_000))
    code = (HEAD + '  def handle_event("save", params, socket) do\n    socket = pad(socket, params)\n'
            "    {:noreply, socket}\n  end\n\n"
            f"  defp pad(socket, _params) do\n    _ = [{atoms}]\n    socket\n  end\nend\n")
    result = review(code)
    assert not result.complete
    assert any("trusts_client_payload stopped reading at a limit" in note for note in result.notes)


def test_colocated_hooks_past_the_cap_are_named_as_not_reviewed():
    hook = '<script :type={Phoenix.LiveView.ColocatedHook} name=".H%d">\n  export default { mounted() { } }\n</script>\n'
    template = "".join(hook % n for n in range(51))
    result = review(template, filename="lib/app_web/live/page_live.html.heex")
    assert not result.complete
    assert any("colocated hook script" in note for note in result.notes)


# Project review: what Mix compiles, and only that, is read.

MIX = 'defmodule App.MixProject do\n  use Mix.Project\n  def project, do: [app: :app, elixirc_paths: ["lib"]]\nend\n'
COMMENT_LIVE = ('defmodule AppWeb.CommentLive do\n  use AppWeb, :live_view\n  def render(assigns) do\n'
                '    ~H"""\n    <div>{raw(@comment.body)}</div>\n    """\n  end\nend\n')


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def project_rules(root: Path) -> list[str]:
    review = review_project([str(root)], liveview_version="1.0")
    return [f.rule for file in review.files for f in file.result.findings]


def test_an_unreadable_mix_exs_is_listed_as_skipped(tmp_path):
    root = write(tmp_path, {"mix.exs": "# " + "x" * 1_100_000 + "\n" + MIX, "lib/app_web/live/comment_live.ex": COMMENT_LIVE})
    review = review_project([str(root)], liveview_version="1.0")
    assert any(skip.path == "mix.exs" for skip in review.skipped)
    assert not review.complete


def test_an_html_eex_template_is_reviewed(tmp_path):
    root = write(tmp_path, {"mix.exs": MIX,
                            "lib/app_web/components/page_html.ex": 'defmodule AppWeb.PageHTML do\n  use AppWeb, :html\n'
                                                                   '  embed_templates "page_html/*"\nend\n',
                            "lib/app_web/components/page_html/comment.html.eex": "<p><%= raw @comment.body %></p>\n"})
    review = review_project([str(root)], liveview_version="1.0")
    eex = [f for f in review.files if f.path.endswith("comment.html.eex")]
    assert eex and "raw_html_user_content" in [f.rule for f in eex[0].result.findings]
    assert "eex_syntax_in_heex" not in [f.rule for f in eex[0].result.findings]


def test_a_separate_template_over_256_kb_is_still_read_beside_its_module(tmp_path):
    # The template shows the delete only to moderators; the handler deletes without checking: the gated control is
    # read from the separate template, which a long comment pushed past the old 256 KB cap.
    component = ('defmodule AppWeb.IdeaLive.CardComponent do\n  use AppWeb, :live_component\n\n'
                 '  def handle_event("delete_idea", _params, socket) do\n    {:ok, _} = Ideas.delete_idea(socket.assigns.idea)\n'
                 "    {:noreply, socket}\n  end\nend\n")
    template = ('<div id={"idea-#{@idea.id}"}>\n  <%= if can_moderate?(@board, @current_user) do %>\n'
                '    <.link phx-click="delete_idea" phx-target={@myself}>Delete</.link>\n  <% end %>\n</div>\n')
    folder = "lib/app_web/live/idea_live/"
    small = write(tmp_path / "small", {"mix.exs": MIX, folder + "card_component.ex": component,
                                        folder + "card_component.html.heex": template})
    large = write(tmp_path / "large", {"mix.exs": MIX, folder + "card_component.ex": component,
                                        folder + "card_component.html.heex": template + "<%!-- " + "x" * 270_000 + " --%>\n"})
    assert "missing_authorization" in project_rules(small)
    assert "missing_authorization" in project_rules(large)


EVIL_LIVE = ('defmodule Web.EvilLive do\n  use Web, :live_view\n  def handle_event("sort", %{"by" => by}, socket) do\n'
             "    {:noreply, assign(socket, :sort, String.to_atom(by))}\n  end\nend\n")


def test_an_umbrella_whose_apps_path_is_named_like_a_build_folder_is_reviewed(tmp_path):
    root = write(tmp_path, {"mix.exs": 'defmodule Umb.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: '
                                       '"tmp", deps: []]\nend\n',
                            "tmp/web/mix.exs": 'defmodule Web.MixProject do\n  use Mix.Project\n  def project, do: '
                                               '[app: :web]\nend\n',
                            "tmp/web/lib/web/evil_live.ex": EVIL_LIVE})
    assert "unsafe_atom_creation" in project_rules(root)


def test_a_path_dependency_named_by_an_attribute_is_reviewed(tmp_path):
    mix = ('defmodule App.MixProject do\n  use Mix.Project\n  @admin_path "priv/admin"\n'
           '  def project, do: [app: :app, deps: [{:admin, path: @admin_path}]]\nend\n')
    root = write(tmp_path, {"mix.exs": mix, "priv/admin/lib/evil_live.ex": EVIL_LIVE})
    assert "unsafe_atom_creation" in project_rules(root)


def test_a_folder_listed_after_many_others_in_elixirc_paths_is_reviewed(tmp_path):
    folders = ", ".join(f'"src/part_{n:03}"' for n in range(40)) + ', "priv/plugins"'
    mix = f'defmodule App.MixProject do\n  use Mix.Project\n  def project, do: [app: :app, elixirc_paths: [{folders}]]\nend\n'
    root = write(tmp_path, {"mix.exs": mix, "priv/plugins/evil_live.ex": EVIL_LIVE})
    assert "unsafe_atom_creation" in project_rules(root)


def test_bindings_after_a_long_translated_text_are_read():
    text = "Read the community guidelines before you post. " * 30
    code = (HEAD + '  def render(assigns) do\n    ~H"""\n'
            f'    {{raw(gettext("{text} Posted by %{{name}}", name: @comment.author_name))}}\n    """\n  end\nend\n')
    assert "raw_html_user_content" in rules_of(review(code))


def test_an_ash_policy_with_a_long_description_is_read_to_its_end(tmp_path):
    description = "Only members of the board may reorder its lanes. " * 70
    resource = ('defmodule Kanban.Board do\n  use Ash.Resource, authorizers: [Ash.Policy.Authorizer]\n  policies do\n'
                '    policy action(:reorder_lanes) do\n      authorize_if expr(team.members.user_id == ^actor(:id))\n'
                f'      description "{description}"\n      authorize_if actor_present()\n    end\n  end\nend\n')
    live = ('defmodule KanbanWeb.BoardLive do\n  use KanbanWeb, :live_view\n'
            '  def handle_event("rename", %{"name" => name}, socket) do\n'
            "    if Kanban.can_edit?(socket.assigns.current_user, socket.assigns.board) do\n"
            "      {:ok, board} = Ash.Changeset.for_update(socket.assigns.board, :rename, %{name: name})\n"
            "        |> Ash.update(actor: socket.assigns.current_user)\n      {:noreply, assign(socket, :board, board)}\n"
            "    else\n      {:noreply, socket}\n    end\n  end\n\n"
            '  def handle_event("move_lane", %{"from" => from, "to" => to}, socket) do\n    {:ok, board} =\n'
            "      Ash.Changeset.for_update(socket.assigns.board, :reorder_lanes, %{from: from, to: to})\n"
            "      |> Ash.update(actor: socket.assigns.current_user)\n    {:noreply, assign(socket, :board, board)}\n"
            "  end\nend\n")
    root = write(tmp_path, {"mix.exs": MIX, "lib/kanban/board.ex": resource, "lib/kanban_web/live/board_live.ex": live})
    assert "missing_authorization" in project_rules(root)


def test_a_permission_gate_many_lines_above_its_control_is_seen(tmp_path):
    component = ('defmodule AppWeb.IdeaLive.CardComponent do\n  use AppWeb, :live_component\n\n'
                 '  def handle_event("delete_idea", _params, socket) do\n    {:ok, _} = Ideas.delete_idea(socket.assigns.idea)\n'
                 "    {:noreply, socket}\n  end\nend\n")
    hints = "".join(f'    <p class="hint">Hint number {n}</p>\n' for n in range(45))
    template = ('<div id={"idea-#{@idea.id}"}>\n  <%= if can_moderate?(@board, @current_user) do %>\n' + hints
                + '    <.link phx-click="delete_idea" phx-target={@myself}>Delete</.link>\n  <% end %>\n</div>\n')
    folder = "lib/app_web/live/idea_live/"
    root = write(tmp_path, {"mix.exs": MIX, folder + "card_component.ex": component,
                            folder + "card_component.html.heex": template})
    assert "missing_authorization" in project_rules(root)


def test_templates_embedded_from_a_folder_the_walk_leaves_out_are_reviewed(tmp_path):
    root = write(tmp_path, {"mix.exs": MIX,
                            "lib/app_web/components/page_html.ex": 'defmodule AppWeb.PageHTML do\n  use AppWeb, :html\n'
                                                                   '  embed_templates "*", root: "../../../priv/tpl"\nend\n',
                            "priv/tpl/comment.html.heex": "<p>{raw(@comment.body)}</p>\n"})
    assert "raw_html_user_content" in project_rules(root)


def test_hooks_in_jsx_tsx_and_cjs_files_are_reviewed(tmp_path):
    hook = "export default {\n  mounted() {\n    this.timer = setInterval(() => this.pushEvent('tick', {}), 1000)\n  }\n}\n"
    root = write(tmp_path, {"mix.exs": MIX, **{f"assets/js/hooks/tick.{ext}": hook for ext in ("jsx", "tsx", "cjs")}})
    review = review_project([str(root)], liveview_version="1.0")
    reviewed = {f.path.rsplit(".", 1)[-1]: [x.rule for x in f.result.findings] for f in review.files}
    assert all("hook_timer_leak" in reviewed.get(ext, []) for ext in ("jsx", "tsx", "cjs"))


def test_an_encoded_record_under_deep_wrappers_makes_the_review_say_where_it_stopped():
    template = "<div :for={u <- @users}>\n" + "<div>" * 70 + "<div data-user={Jason.encode!(u)}></div>" + "</div>" * 70 + "\n</div>\n"
    result = review(template, filename="lib/app_web/live/page_live.html.heex")
    assert "record_json_in_data_attribute" in rules_of(result) or not result.complete


def test_raw_arguments_past_the_files_reading_budget_make_the_review_incomplete():
    padding = "".join(f'  def b{n}, do: raw(raw("{"x" * 1000}"))\n' for n in range(120))
    code = (HEAD + padding + "  defp show(comment) do\n    comment.body\n"
            + "".join(f'    |> String.replace("{"a" * 300}", "b")\n' for _ in range(4)) + "    |> raw()\n  end\nend\n")
    result = review(code)
    assert "raw_html_user_content" in rules_of(result) or not result.complete
