"""Audit 13: a finding may be silenced only by positive evidence in code that runs, never by a name, a comment, a
decoy in a folder Mix never compiles, or the absence of a mention: an on_mount hook must read as a gate, a sanitizer
must sanitize, a check must be code, a writer the web names in any form writes users' text, and a mount's permission
check gates the page only when its failing branch refuses."""

from __future__ import annotations

from test_reading_limits import COMMENT_LIVE, HEAD, MIX, project_rules, review, rules_of, write

from skill_server.review.project import review_project


COMMENT_SCHEMA = ('defmodule App.Comment do\n  use Ecto.Schema\n  import Ecto.Changeset\n  schema "comments" do\n'
                  "    field :body, :string\n  end\n  def changeset(comment, attrs), do: cast(comment, attrs, [:body])\nend\n")
BLOG = ('defmodule App.Blog do\n  alias App.{Comment, Repo}\n'
        "  def create_comment(attrs), do: %Comment{} |> Comment.changeset(attrs) |> Repo.insert()\n"
        "  def get_comment!(id), do: Repo.get!(Comment, id)\nend\n")


def comment_live(head: str, prefix: str) -> str:
    return ('defmodule AppWeb.CommentLive do\n  use AppWeb, :live_view\n' + head
            + f'  def mount(%{{"id" => id}}, _session, socket), do: {{:ok, assign(socket, :comment, {prefix}get_comment!(id))}}\n'
            + f'  def handle_event("save", %{{"comment" => attrs}}, socket) do\n    {{:ok, comment}} = {prefix}create_comment(attrs)\n'
            + "    {:noreply, assign(socket, :comment, comment)}\n  end\n"
            + '  def render(assigns) do\n    ~H"""\n    <div>{raw(@comment.body)}</div>\n    """\n  end\nend\n')



def test_an_on_mount_hook_that_only_mentions_a_role_does_not_make_a_page_admin_only():
    code = (HEAD + "  on_mount {AppWeb.Nav, :assign_admin_link}\n\n"
            '  def handle_event("delete", %{"id" => id}, socket) do\n    note = Repo.get!(Note, id)\n'
            "    {:ok, _} = Repo.delete(note)\n    {:noreply, socket}\n  end\nend\n")
    assert "missing_authorization" in rules_of(review(code))


def test_an_on_mount_gate_for_a_role_still_makes_a_page_admin_only():
    code = (HEAD + "  on_mount {AppWeb.UserAuth, :require_admin}\n\n"
            '  def handle_event("delete", %{"id" => id}, socket) do\n    note = Repo.get!(Note, id)\n'
            "    {:ok, _} = Repo.delete(note)\n    {:noreply, socket}\n  end\nend\n")
    assert "missing_authorization" not in rules_of(review(code))


def test_a_comment_naming_a_check_does_not_count_as_one(tmp_path):
    component = ('defmodule AppWeb.IdeaLive.CardComponent do\n  use AppWeb, :live_component\n\n'
                 '  def handle_event("delete_idea", _params, socket) do\n    # TODO: authorize(user, idea)\n'
                 "    {:ok, _} = Ideas.delete_idea(socket.assigns.idea)\n    {:noreply, socket}\n  end\nend\n")
    template = ('<div id={"idea-#{@idea.id}"}>\n  <%= if can_moderate?(@board, @current_user) do %>\n'
                '    <.link phx-click="delete_idea" phx-target={@myself}>Delete</.link>\n  <% end %>\n</div>\n')
    folder = "lib/app_web/live/idea_live/"
    root = write(tmp_path, {"mix.exs": MIX, folder + "card_component.ex": component,
                            folder + "card_component.html.heex": template})
    assert "missing_authorization" in project_rules(root)


def test_a_local_function_named_like_a_sanitizer_that_sanitizes_nothing_is_not_trusted():
    for name in ("sanitize", "safe_html", "html_escape"):
        code = (HEAD + f"  defp {name}(text), do: text\n\n"
                f'  def render(assigns), do: ~H"<div>{{raw({name}(@comment.body))}}</div>"\nend\n')
        assert "raw_html_user_content" in rules_of(review(code)), name


def test_a_local_sanitizer_that_calls_a_real_one_is_trusted():
    code = (HEAD + "  defp sanitize(text), do: HtmlSanitizeEx.basic_html(text)\n\n"
            '  def render(assigns), do: ~H"<div>{raw(sanitize(@comment.body))}</div>"\nend\n')
    assert "raw_html_user_content" not in rules_of(review(code))


def test_records_a_context_writes_for_web_code_that_imports_or_aliases_it_are_users_text(tmp_path):
    for name, head, prefix in (("imported", "  import App.Blog\n", ""), ("aliased", "  alias App.Blog, as: B\n", "B.")):
        root = write(tmp_path / name, {"mix.exs": MIX, "lib/app/comment.ex": COMMENT_SCHEMA, "lib/app/blog.ex": BLOG,
                                       "lib/app_web/live/comment_live.ex": comment_live(head, prefix)})
        assert "raw_html_user_content" in project_rules(root), name


def test_a_nimble_publisher_in_a_folder_mix_never_compiles_silences_nothing(tmp_path):
    root = write(tmp_path, {"mix.exs": MIX, "lib/app_web/live/comment_live.ex": COMMENT_LIVE,
                            "examples/blog.ex": 'defmodule Example.Blog do\n  use NimblePublisher, build: Comment, '
                                                'from: "posts/*.md", as: :comments\nend\n'})
    assert "raw_html_user_content" in project_rules(root)


def test_a_router_in_a_folder_mix_never_compiles_does_not_make_a_page_admin_only(tmp_path):
    live = ('defmodule AppWeb.NoteLive do\n  use AppWeb, :live_view\n'
            '  def handle_event("delete", %{"id" => id}, socket) do\n    note = Repo.get!(Note, id)\n'
            "    {:ok, _} = Repo.delete(note)\n    {:noreply, socket}\n  end\nend\n")
    decoy = ('defmodule AppWeb.AdminRouter do\n  use AppWeb, :router\n  scope "/admin", AppWeb do\n'
             '    live_session :admin, on_mount: {AppWeb.UserAuth, :require_admin} do\n      live "/notes", NoteLive\n'
             "    end\n  end\nend\n")
    root = write(tmp_path, {"mix.exs": MIX, "lib/app_web/live/note_live.ex": live, "examples/admin_router.ex": decoy})
    assert "missing_authorization" in project_rules(root)


def test_a_file_outside_any_mix_project_is_not_judged_by_its_neighbours(tmp_path):
    write(tmp_path, {"someone_else/blog.ex": 'defmodule Example.Blog do\n  use NimblePublisher, build: Comment, '
                                             'from: "posts/*.md", as: :comments\nend\n',
                     "comment_live.ex": COMMENT_LIVE})
    review = review_project([str(tmp_path / "comment_live.ex")], liveview_version="1.0")
    assert "raw_html_user_content" in [f.rule for file in review.files for f in file.result.findings]


def test_an_inert_atom_or_binding_named_like_a_check_is_no_check():
    for line in ("_ = :authorized", "authorized? = true"):
        code = (HEAD + '  def handle_event("delete", %{"id" => id}, socket) do\n'
                f"    {line}\n    note = Repo.get!(Note, id)\n    {{:ok, _}} = Repo.delete(note)\n    {{:noreply, socket}}\n"
                "  end\nend\n")
        assert "missing_authorization" in rules_of(engine_strict(code)), line


def engine_strict(code: str):
    from skill_server import engine

    return engine.review_code(code, filename="lib/app_web/live/page_live.ex", liveview_version="1.0", strict=True)


def test_a_permission_check_kept_for_a_button_does_not_gate_the_page():
    code = (HEAD + "  def mount(%{\"id\" => id}, _session, socket) do\n    user = socket.assigns.current_user\n"
            "    case Boards.get_board(id) do\n      nil -> {:ok, push_navigate(socket, to: ~p\"/\")}\n"
            "      board -> {:ok, assign(socket, board: board, can_manage: can?(user, :manage, board))}\n    end\n  end\n\n"
            '  def handle_event("add_member", %{"user_id" => user_id}, socket) do\n'
            "    {:ok, _} = Boards.add_member(socket.assigns.board, %{user_id: user_id, role: \"member\"})\n"
            "    {:noreply, socket}\n  end\nend\n")
    gated = code.replace("    case Boards.get_board(id) do", "    unless can?(user, :manage, id), do: raise(\"forbidden\")\n"
                         "    case Boards.get_board(id) do")
    assert "trusts_client_payload" in rules_of(review(code))
    assert "trusts_client_payload" not in rules_of(review(gated))  # the check's failing branch refuses: an admin page


def test_a_route_outside_any_live_session_counts_as_routed_openly(tmp_path):
    live = ('defmodule AppWeb.PostLive do\n  use AppWeb, :live_view\n'
            '  def handle_event("delete", %{"id" => id}, socket) do\n    post = Repo.get!(Post, id)\n'
            "    {:ok, _} = Repo.delete(post)\n    {:noreply, socket}\n  end\nend\n")
    router = ('defmodule AppWeb.Router do\n  use AppWeb, :router\n  scope "/", AppWeb do\n    pipe_through :browser\n'
              '    live "/posts", PostLive\n  end\nend\n')
    decoy = ('defmodule AppWeb.AdminRouter do\n  use AppWeb, :router\n  scope "/admin", AppWeb do\n'
             '    live_session :admin, on_mount: {AppWeb.UserAuth, :require_admin} do\n      live "/posts", PostLive\n'
             "    end\n  end\nend\n")
    root = write(tmp_path, {"mix.exs": MIX, "lib/app_web/live/post_live.ex": live, "lib/app_web/router.ex": router,
                            "lib/app_web/admin_router.ex": decoy})
    assert "missing_authorization" in project_rules(root)


def test_a_liveview_outside_the_web_folders_is_web_code(tmp_path):
    page = comment_live("  alias App.Blog\n", "Blog.").replace("AppWeb.CommentLive", "App.Pages.CommentPage")
    root = write(tmp_path, {"mix.exs": MIX, "lib/app/comment.ex": COMMENT_SCHEMA, "lib/app/blog.ex": BLOG,
                            "lib/app/pages/comment_page.ex": page})
    assert "raw_html_user_content" in project_rules(root)


def test_a_gate_word_and_a_role_word_in_a_hook_about_something_else_gate_nothing():
    from skill_server.review.project_sources import privileged_hook

    assert not privileged_hook("{AppWeb.Cookies, :ensure_admin_cookie}")
    assert privileged_hook("{AppWeb.UserAuth, :ensure_admin_user}") and privileged_hook("{AppWeb.UserAuth, :require_admin}")


def test_a_facade_that_delegates_to_the_writer_makes_its_records_users_text(tmp_path):
    comments = ('defmodule App.Blog.Comments do\n  alias App.{Comment, Repo}\n'
                "  def create_comment(attrs), do: %Comment{} |> Comment.changeset(attrs) |> Repo.insert()\n"
                "  def get_comment!(id), do: Repo.get!(Comment, id)\nend\n")
    facade = ("defmodule App.Blog do\n  defdelegate create_comment(attrs), to: App.Blog.Comments\n"
              "  defdelegate get_comment!(id), to: App.Blog.Comments\nend\n")
    root = write(tmp_path, {"mix.exs": MIX, "lib/app/comment.ex": COMMENT_SCHEMA, "lib/app/blog/comments.ex": comments,
                            "lib/app/blog.ex": facade,
                            "lib/app_web/live/comment_live.ex": comment_live("  alias App.Blog\n", "Blog.")})
    assert "raw_html_user_content" in project_rules(root)


def test_a_name_holding_policy_is_no_check_of_a_client_written_verdict():
    code = (HEAD + '  def handle_event("confirm", %{"order" => order_params}, socket) do\n    _policy = :refund\n'
            '    {:ok, order} = Orders.update_order(socket.assigns.order, %{paid: order_params["paid"]})\n'
            "    {:noreply, assign(socket, :order, order)}\n  end\nend\n")
    assert "trusts_client_payload" in rules_of(review(code))
