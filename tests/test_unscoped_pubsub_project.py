"""LV603 in project review: a LiveView that subscribes or broadcasts through the app's own context function
(`Notifications.subscribe()`) is judged by the topic that function passes to Phoenix.PubSub, read from the
project's source; a context topic naming the user, or one the caller passes, is judged as such."""

from __future__ import annotations

from pathlib import Path

from skill_server.review.project import review_project

LIVE_VIEW = '''defmodule AppWeb.BellLive do
  use AppWeb, :live_view

  def mount(_params, _session, socket) do
    user = socket.assigns.current_user
    if connected?(socket), do: {call}
    {{:ok, assign(socket, :items, Notifications.list(user))}}
  end
end
'''
CONTEXT = '''defmodule App.Notifications do
  alias Phoenix.PubSub
  @topic "notifications"

  def list(_user), do: []
{functions}
end
'''


def findings(tmp_path: Path, call: str, functions: str) -> list[tuple[int, str, str]]:
    root = tmp_path / "app"
    (root / "lib/app_web/live").mkdir(parents=True)
    # a Mix project: only inside one are other files read (audit 13 A13-24)
    (root / "mix.exs").write_text("defmodule App.MixProject do\n  use Mix.Project\n  def project, do: [app: :app]\nend\n")
    (root / "lib/app_web/live/bell_live.ex").write_text(LIVE_VIEW.format(call=call))
    (root / "lib/app/notifications.ex").parent.mkdir(parents=True)
    (root / "lib/app/notifications.ex").write_text(CONTEXT.format(functions=functions))
    review = review_project([str(root)])
    assert review.complete
    return [(f.line, f.confidence, f.message) for file in review.files if file.path.endswith("bell_live.ex")
            for f in file.result.findings if f.code == "LV603"]


def test_a_fixed_topic_behind_the_context_subscribe_is_reported_at_the_liveview_call(tmp_path):
    found = findings(tmp_path, "Notifications.subscribe()",
                     '  def subscribe, do: Phoenix.PubSub.subscribe(App.PubSub, "notifications")')
    assert [(line, confidence) for line, confidence, _ in found] == [(6, "high")]
    assert "Notifications.subscribe/0" in found[0][2]


def test_the_context_topic_may_sit_in_its_attribute_or_a_private_function(tmp_path):
    functions = ('  def subscribe(_user), do: PubSub.subscribe(App.PubSub, @topic)\n'
                 '  def broadcast_change(msg), do: PubSub.broadcast(App.PubSub, topic(), msg)\n'
                 '  defp topic do\n    "notifications"\n  end')
    assert [c for _, c, _ in findings(tmp_path, "Notifications.subscribe(user)", functions)] == ["high"]
    assert [c for _, c, _ in findings(tmp_path / "b", "Notifications.broadcast_change(:new)", functions)] == ["high"]


def test_a_context_topic_naming_the_user_is_not_reported(tmp_path):
    functions = '  def subscribe(user), do: PubSub.subscribe(App.PubSub, "notifications:#{user.id}")'
    assert findings(tmp_path, "Notifications.subscribe(user)", functions) == []


def test_a_topic_the_context_takes_is_the_callers_argument(tmp_path):
    functions = '  def subscribe(topic), do: PubSub.subscribe(App.PubSub, topic)'
    assert findings(tmp_path, 'Notifications.subscribe("notifications:#{user.id}")', functions) == []
    assert [c for _, c, _ in findings(tmp_path / "b", 'Notifications.subscribe("inbox")', functions)] == ["high"]


def test_a_context_the_project_does_not_define_is_not_guessed(tmp_path):
    functions = '  def subscribe, do: Phoenix.PubSub.subscribe(App.PubSub, "notifications")'
    assert findings(tmp_path, "Alerts.subscribe()", functions) == []
