"""A LiveComponent's separate template (`item_component.html.heex`) is reviewed with the module beside it: its
events sent without phx-target={@myself} go to the parent (missing_phx_target), as they would in a ~H."""

from __future__ import annotations

from pathlib import Path

from skill_server.review.project import review_project

TEMPLATE = '''<div>
  <.form for={@form} id="item-form" phx-submit="save">
    <.input field={@form[:name]} />
  </.form>
</div>
'''
MODULE = '''defmodule ShopWeb.{name} do
  use ShopWeb, :{kind}

  def handle_event("save", _params, socket), do: {{:noreply, socket}}
end
'''


def _flagged(tmp_path: Path, rule: str) -> set[str]:
    review = review_project([str(tmp_path)], liveview_version="1.2")
    return {Path(f.path).name for f in review.files if f.result and any(x.rule == rule for x in f.result.findings)}


def test_a_live_component_template_beside_its_module_needs_phx_target(tmp_path):
    live = tmp_path / "lib" / "shop_web" / "live"
    live.mkdir(parents=True)
    (live / "item_component.html.heex").write_text(TEMPLATE)
    (live / "item_component.ex").write_text(MODULE.format(name="ItemComponent", kind="live_component"))
    (live / "item_live.html.heex").write_text(TEMPLATE)  # a LiveView's own events need no target
    (live / "item_live.ex").write_text(MODULE.format(name="ItemLive", kind="live_view"))
    assert _flagged(tmp_path, "missing_phx_target") == {"item_component.html.heex"}
