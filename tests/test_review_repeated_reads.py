"""Security findings that once depended on how much else a file held (audit 9): a handler's length, how often it
reads a value or calls a helper, a weaker report of the same finding before it. Behaviour on big inputs, not time
(benchmarks/worst_case.py measures the cost of the same shapes)."""

from __future__ import annotations

from skill_server.review.engine import review_source

LIVE = "defmodule MyAppWeb.PostLive do\n  use MyAppWeb, :live_view\n"
WRITE = '    {:ok, _post} = Blog.create_post(%{user_id: params["post"]["user_id"], body: params["post"]["body"]})\n'


def _line_of(code: str, needle: str) -> int:
    return code[: code.index(needle)].count("\n") + 1


def _shown(code: str, code_name: str = "LV602", filename: str = "lib/my_app_web/live/post_live.ex") -> list:
    result = review_source(code, filename=filename)
    assert result.complete
    return [f for f in result.findings if f.code == code_name]


def test_a_client_value_written_after_a_long_handler_is_still_followed():
    steps = "".join(f'    socket = assign(socket, :step_{i}, Steps.compute(socket.assigns.current_user, {i}, params["page"]))\n'
                    for i in range(230))
    code = LIVE + '  def handle_event("create", params, socket) do\n' + steps + WRITE + "    {:noreply, socket}\n  end\nend\n"
    assert [f.line for f in _shown(code)] == [_line_of(code, "Blog.create_post")]


def test_a_helper_called_many_times_leaves_room_to_follow_the_one_that_writes():
    calls = '    note(params)\n' * 400
    code = (LIVE + '  def handle_event("create", params, socket) do\n' + calls + "    save(params)\n    {:noreply, socket}\n"
            "  end\n  defp note(p), do: Logger.info(inspect(Map.keys(p)))\n"
            '  defp save(p), do: {:ok, _} = Blog.create_post(%{user_id: p["post"]["user_id"]})\nend\n')
    assert [f.line for f in _shown(code)] == [_line_of(code, "Blog.create_post")]


def test_a_weaker_report_of_a_finding_first_does_not_hide_the_stronger_one():
    # Both reads bound in the head, so both reports fall on its line: the one picked from a list the server holds
    # (low) comes first, the one written as the owner (high) second. (A value read in the body is reported where it
    # is read, so the two would no longer share a line.)
    code = (LIVE + '  def handle_event("create", %{"user_id" => uid} = %{"user_id" => owner} = params, socket) do\n'
            "    true = Enum.member?(socket.assigns.allowed_ids, uid)\n"
            '    {:ok, _} = Blog.create_post(%{user_id: owner, body: params["body"]})\n'
            "    {:noreply, socket}\n  end\nend\n")
    assert [(f.line, f.confidence) for f in _shown(code)] == [(3, "high")]


def test_many_reads_of_one_value_report_the_handler_once():
    reads = '    a = Map.get(params, "user_id", socket.assigns.current_user.id)\n' * 300
    code = (LIVE + '  def handle_event("create", params, socket) do\n' + reads
            + "    {:ok, _} = Blog.create_post(%{user_id: a})\n    {:noreply, socket}\n  end\nend\n")
    assert {f.line for f in _shown(code)} == {4}  # once, at the first read (a body read is reported where it is read)


def test_an_admin_only_page_is_judged_per_module_in_a_file_of_many():
    handler = ('  def handle_event("create", %{"user_id" => user_id}, socket) do\n'
               "    {:ok, _} = Blog.create_post(%{user_id: user_id})\n    {:noreply, socket}\n  end\n")
    admin = ("defmodule MyAppWeb.Admin.PostLive do\n  use MyAppWeb, :live_view\n"
             "  on_mount {MyAppWeb.UserAuth, :require_admin}\n" + handler + "end\n")
    code = admin + LIVE + handler + "end\n"
    assert [f.line for f in _shown(code)] == [admin.count("\n") + 3]


def test_a_hook_method_named_for_another_framework_is_judged_by_its_own_object():
    misnamed = "  destroy() { clearInterval(this.t) },\n" * 300
    code = ("const Hooks = {}\nHooks.Chart = {\n  mounted() { this.t = setInterval(() => this.pushEvent('t', {}), 1000) },\n"
            + misnamed + "}\nHooks.Other = {\n  mounted() { this.el.x = 1; this.destroy() },\n  destroy() { this.el.x = 0 },\n}\n")
    lines = [f.line for f in _shown(code, "LV408", "assets/js/app.js")]
    assert lines == list(range(4, 304))



def test_scoped_reads_copy_the_unit_calls_once_however_many_handlers_ask(monkeypatch):
    # audit 12 P3: every client-id lookup of every handler copied all of the unit's calls before the cache check
    from skill_server.review.context import ReviewContext

    copies = []
    real = ReviewContext.calls

    def counted(self, names=None):
        if names is None:
            copies.append(1)
        return real(self, names)

    monkeypatch.setattr(ReviewContext, "calls", counted)
    mount = "  def mount(_p, _s, socket), do: {:ok, assign(socket, me: socket.assigns.current_user)}\n"
    handler = ('  def handle_event("d", %{"id" => id}, s) do\n    post = Blog.get_post!(id)\n'
               "    {:ok, _} = Blog.delete_post(post)\n    {:noreply, s}\n  end\n")
    counts = []
    for handlers in (2, 40):
        copies.clear()
        result = review_source(LIVE + mount + handler * handlers + "end\n", filename="lib/my_app_web/live/post_live.ex")
        assert len([f for f in result.findings if f.rule == "missing_authorization"]) == handlers
        counts.append(len(copies))
    assert counts[0] == counts[1]
