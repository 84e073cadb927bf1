"""Rules that once walked up from every node (issue 17) read the same on deep nesting: what holds a node (a clause,
a spawned function, a socket update, a pipe) is found from spans and one pass down, and still decides the finding."""

from __future__ import annotations

from skill_server.review.engine import review_source

LIVE = "defmodule AppWeb.PageLive do\n  use AppWeb, :live_view\n"
DEEP = 120  # levels of list around the code under test (real code stays under 60, the review reads up to 400)


def _lines(code: str, rule: str) -> list[int]:
    result = review_source(code, filename="lib/app_web/live/page_live.ex", strict=True)
    assert result.complete
    return sorted(f.line for f in result.findings if f.rule == rule)


def _deep(inner: str) -> str:
    return "[" * DEEP + inner + "]" * DEEP


def test_a_deep_map_change_counts_only_inside_a_socket_update():
    code = (LIVE + "  def handle_event(\"e\", _, socket) do\n"
            f"    socket = %{{socket | assigns: {_deep('Map.put(socket.assigns, :a, f(1))')}}}\n"
            f"    y = {_deep('Map.put(socket.assigns, :b, f(1))')}\n"
            f"    Map.put(socket, :assigns, {_deep('Map.merge(socket.assigns, f(2))')})\n"
            "    {:noreply, socket}\n  end\nend\n")
    assert _lines(code, "assigns_map_put") == [4, 6]


def test_a_deep_send_to_self_is_judged_by_the_spawned_function_around_it():
    code = (LIVE + "  def handle_info(:x, s), do: {:noreply, s}\n  def f do\n"
            f"    Task.start(fn -> {_deep('send(self(), :y)')} end)\n"
            f"    {_deep('send(self(), :z)')}\n  end\nend\n")
    assert _lines(code, "unhandled_info_message") == [6]


def test_a_deep_sleep_is_found_in_its_callback_but_not_in_a_task():
    code = (LIVE + "  def handle_event(\"e\", _, s) do\n"
            f"    x = {_deep('Process.sleep(10)')}\n"
            f"    Task.start(fn -> {_deep('Process.sleep(10)')} end)\n"
            "    {:noreply, s}\n  end\nend\n")
    assert _lines(code, "blocking_call_in_callback") == [4]


def test_a_deep_payload_id_is_written_only_when_the_call_around_it_writes():
    code = (LIVE + '  def handle_event("give", %{"owner_id" => owner_id}, socket) do\n'
            f"    Boards.transfer({_deep('String.to_integer(owner_id)')})\n    {{:noreply, socket}}\n  end\n"
            '  def handle_event("look", %{"owner_id" => owner_id}, socket) do\n'
            f"    Boards.get_board!({_deep('String.to_integer(owner_id)')})\n    {{:noreply, socket}}\n  end\nend\n")
    result = review_source(code, filename="lib/app_web/live/page_live.ex", strict=True)
    found = sorted((f.line, f.confidence) for f in result.findings if f.rule == "trusts_client_payload")
    assert found == [(3, "high"), (7, "low")]  # handed to a writer through a conversion / only looked up


def test_ids_read_from_any_of_many_client_maps_are_found_in_one_pass():
    """audit 12 P5: a regex per map of the payload was built and run over the body; one pass finds the same."""
    from skill_server.review.rules.security.missing_authorization import _given_as_id, _ids_read_from_params

    payload = "%{" + ", ".join(f'"k{i}" => a{i}' for i in range(300)) + "}"
    body = 'x = a17["post_id"]\n{:ok, y} = Map.fetch(a3, "item_id")\nz = Map.get(b, "id")\nBlog.delete(a9["id"])\n'
    assert _ids_read_from_params(payload, body) == {"x", "y", 'a9["id"]', 'a17["post_id"]'}
    assert _given_as_id(payload, "Blog.get_post!(a5)\nRepo.get(Post, a6)\nget_by(User, email: a7)", set()) == {"a5", "a6"}
