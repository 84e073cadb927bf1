"""Version strings: release lines, patch releases and release candidates."""

from __future__ import annotations

from skill_server.review.engine import review_source
from skill_server.versions import NEWEST, Version, parse_version, resolve

USES_USED_INPUT = '''defmodule MyAppWeb.CoreComponents do
  use Phoenix.Component

  def input(assigns) do
    assigns = assign(assigns, :errors, if(Phoenix.Component.used_input?(assigns.field), do: [], else: []))
    ~H"<input name={@field.name} />"
  end
end
'''


def test_a_release_candidate_is_answered_as_the_release_before_it():
    assert parse_version("1.0.0-rc.6") == Version(0, 20, 17)
    assert resolve("1.0.0-rc.6").pre_release and not resolve("1.0.0").pre_release


def rules(version: str, strict: bool = False) -> set[str]:
    return {f.rule for f in review_source(USES_USED_INPUT, "core_components.ex", version, strict=strict).findings}


def test_an_api_new_in_the_release_is_not_proven_missing_from_its_candidates():
    # used_input? shipped in 1.0.0-rc.0: on a 1.0 release candidate only strict reports it, on 0.20 it is an error.
    assert "version_gated_api" not in rules("1.0.0-rc.6")
    assert "version_gated_api" in rules("1.0.0-rc.6", strict=True)
    assert "version_gated_api" in rules("0.20.17")


def test_version_source_prefers_argument_then_project_then_default():
    from skill_server.versions import resolve_with_source

    assert resolve_with_source("1.0", project_version="1.1.5")[1] == "argument"
    resolved, source = resolve_with_source(None, project_version="1.0.19")
    assert (str(resolved.version), source) == ("1.0.19", "project")
    resolved, source = resolve_with_source("  ", project_version=None)
    assert source == "default" and resolved.version == NEWEST
