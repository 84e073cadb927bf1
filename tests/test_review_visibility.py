"""Harm decides visibility: a medium-confidence finding whose true positive is a security hole, lost data or a
crash shows in the default output, marked with its harm; medium findings of harmless rules and every low one
stay strict-only. Findings, --fail-on and SARIF follow severity, then harm."""

from __future__ import annotations

import json

from skill_server.cli import main
from skill_server.models import ReviewResult, compact_json_schema
from skill_server.review.engine import review_source
from skill_server.review.registry import all_rules
from skill_server.review.rule import HARMS, visible

# A LiveView with no handle_event/3 at all whose template sends an event: medium and harmful (a crash). It
# also annotates no callback with @impl: a house style, medium and harmless.
HARMFUL_MEDIUM = '''defmodule MyAppWeb.CounterLive do
  use MyAppWeb, :live_view

  def mount(_params, _session, socket), do: {:ok, assign(socket, :count, 0)}

  def render(assigns) do
    ~H"""
    <button phx-click="inc">+</button>
    """
  end
end
'''


def _rules(result) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.confidence, f.harm) for f in result.findings]


def test_visible_is_high_or_harmful_medium_by_default():
    assert visible("high", None, strict=False)
    assert visible("medium", "crash", strict=False)
    assert not visible("medium", None, strict=False)
    assert not visible("low", "security", strict=False)
    assert visible("low", None, strict=True)


def test_a_harmful_medium_finding_shows_by_default_and_a_harmless_one_does_not():
    default = review_source(HARMFUL_MEDIUM, filename="counter_live.ex")
    strict = review_source(HARMFUL_MEDIUM, filename="counter_live.ex", strict=True)
    assert ("event_without_handler", "medium", "crash") in _rules(default)
    # The module annotates no callback with @impl: a house style, medium and harmless, so strict only.
    assert "missing_impl_true" not in {f.rule for f in default.findings}
    assert "missing_impl_true" in {f.rule for f in strict.findings}


def test_every_harmful_rule_is_an_error_and_names_a_known_harm():
    harmful = [loaded.rule for loaded in all_rules() if loaded.rule.harm]
    assert len(harmful) >= 10
    for rule in harmful:
        assert rule.harm in HARMS, rule.slug
        assert rule.severity == "error", f"{rule.slug}: a harmful rule must be an error so --fail-on and SARIF see it"


def test_findings_come_most_severe_first():
    code = '''defmodule MyAppWeb.ShopLive do
  use MyAppWeb, :live_view

  def handle_event("buy", %{"price" => price}, socket) do
    IO.inspect(price)
    Orders.create_order(%{price: price})
    {:noreply, socket}
  end
end
'''
    result = review_source(code, filename="shop_live.ex")
    order = [(f.severity, f.harm is None) for f in result.findings]
    rank = {"error": 0, "warning": 1, "info": 2}
    assert order == sorted(order, key=lambda o: (rank[o[0]], o[1]))
    assert result.findings[0].severity == "error" and result.findings[-1].rule == "debug_io_inspect"


def test_text_output_marks_medium_confidence_and_harm(tmp_path, capsys):
    path = tmp_path / "counter_live.ex"
    path.write_text(HARMFUL_MEDIUM)
    assert main(["review", str(path), "--fail-on", "error"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "medium confidence" in out and "harm: crash" in out


def test_sarif_level_and_rank_follow_severity_then_harm(tmp_path, capsys):
    path = tmp_path / "counter_live.ex"
    path.write_text(HARMFUL_MEDIUM)
    main(["review", str(path), "--format", "sarif", "--fail-on", "never"])
    sarif = json.loads(capsys.readouterr().out)
    run = sarif["runs"][0]
    result = next(r for r in run["results"] if r["properties"]["rule"] == "event_without_handler")
    assert result["level"] == "error" and result["properties"]["harm"] == "crash"
    descriptors = {d["name"]: d for d in run["tool"]["driver"]["rules"]}
    security = descriptors["raw_html_user_content"]["properties"]
    assert "security" in security["tags"] and float(security["security-severity"]) >= 7
    from skill_server.review.sarif import rank

    assert rank("error", "low", None) > rank("warning", "high", "crash") > rank("info", "high", None)
    assert rank("error", "medium", "crash") > rank("error", "medium", None)


def test_the_published_schema_accepts_a_finding_with_and_without_harm():
    import jsonschema

    schema = compact_json_schema(ReviewResult.model_json_schema())
    result = review_source(HARMFUL_MEDIUM, filename="counter_live.ex", strict=True).model_dump(mode="json")
    jsonschema.validate(result, schema)
    assert {f["harm"] for f in result["findings"]} >= {None, "crash"}
    result["findings"][0]["harm"] = "boredom"
    try:
        jsonschema.validate(result, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("an unknown harm validated")
