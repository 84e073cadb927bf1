"""The SARIF that the documented GitHub Actions step writes (docs/github-actions.yml), checked for what GitHub
code scanning needs beyond SARIF 2.1.0 basics: rule descriptors for every result, a ruleIndex that points at
the result's own rule, locations relative to the repository root that name real files, regions code scanning
can place, and the same paths however the review is started (alerts are matched across runs by path). With
the SARIF Multitool installed (scripts/install-e2e.sh) the file is also validated against the SARIF schema and
the multitool's GitHub ingestion rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((REPO / "docs/github-actions.yml").read_text())
MULTITOOL = REPO / ".e2e/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
LEVELS = {"none", "note", "warning", "error"}
APP = {
    "mix.exs": "defmodule App.MixProject do\n  use Mix.Project\nend\n",
    "mix.lock": '%{\n  "phoenix_live_view": {:hex, :phoenix_live_view, "1.0.17", "abc", [:mix], [], "hexpm", "def"},\n}\n',
    "lib/app_web/live/chart_live.ex": (
        'defmodule AppWeb.ChartLive do\n  use AppWeb, :live_view\n\n  def mount(_params, _session, socket), '
        'do: {:ok, socket}\n\n  def render(assigns) do\n    ~H"""\n    <div phx-hook="Chart"></div>\n'
        '    """\n  end\nend\n'),
    "lib/app_web/live/board_live.html.heex": '<ul phx-hook="Sortable"><li>one</li></ul>\n',
    "assets/js/hooks/clock.js": "export const Clock = {\n  mounted() {\n    this.timer = setInterval(() => this.tick(), 1000)\n  }\n}\n",
    "assets/css/app.css": ".slide-out {\n  transition: transform 300ms ease-out;\n  transform: translateX(100%);\n}\n",
}


def workflow_steps() -> list[dict]:
    [job] = WORKFLOW["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    return job["steps"]


def review_command() -> str:
    [step] = [s for s in workflow_steps() if "liveview-skill review" in s.get("run", "")]
    return step["run"]


@pytest.fixture
def app(tmp_path) -> Path:
    root = tmp_path / "app"
    for name, text in APP.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def run_documented_step(app: Path) -> dict:
    """The workflow's review step as the runner runs it: a shell in the repository root."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(["sh", "-c", review_command()], cwd=app, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads((app / "liveview.sarif").read_text())


def test_the_workflow_uploads_the_file_the_review_step_writes():
    steps = workflow_steps()
    command = review_command()
    assert command.startswith("liveview-skill review . --format sarif") and command.endswith("> liveview.sarif")
    [upload] = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "liveview.sarif"
    assert steps.index(upload) > steps.index(next(s for s in steps if s.get("run") == command))
    assert any("pip install" in s.get("run", "") and "liveview-skill" in s["run"] for s in steps)
    readme = (REPO / "README.md").read_text()
    assert "docs/github-actions.yml" in readme and "upload-sarif" in readme


def test_the_sarif_has_what_code_scanning_needs(app):
    sarif = run_documented_step(app)
    assert sarif["version"] == "2.1.0" and "sarif" in sarif["$schema"]
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "liveview-skill" and driver["version"]
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
        assert all(isinstance(tag, str) for tag in rule.get("properties", {}).get("tags", []))
    security = [rule for rule in rules if "security" in rule["properties"]["tags"]]
    assert security  # code scanning grades these by security-severity, a number from 0 to 10 in a string
    assert all(0.0 <= float(rule["properties"]["security-severity"]) <= 10.0 for rule in security)
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"LV401", "LV403", "LV707"}  # a module, a template, a hook, CSS
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS and result["message"]["text"].strip()
        assert 1 <= len(result["locations"]) <= 10
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert ":" not in uri and not uri.startswith("/") and "\\" not in uri and ".." not in uri.split("/")
        assert (app / uri).is_file()  # relative to the repository root, where the step runs
        region = physical["region"]
        assert region["startLine"] >= 1 and region.get("startColumn", 1) >= 1
        assert region.get("endLine", region["startLine"]) >= region["startLine"]
        assert region["startLine"] <= len((app / uri).read_text().splitlines())


def test_paths_are_the_same_however_the_review_is_started(app, tmp_path):
    """Code scanning matches alerts across runs by path: `review .` in the root and `review /abs/root` from
    elsewhere must name the same files."""
    in_root = run_documented_step(app)
    elsewhere = subprocess.run([str(Path(sys.executable).parent / "liveview-skill"), "review", str(app), "--format",
                                "sarif", "--fail-on", "never"], cwd=tmp_path, capture_output=True, text=True,
                               timeout=300)
    assert elsewhere.returncode == 0, elsewhere.stderr

    def placed(sarif: dict) -> set[tuple]:
        return {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif["runs"][0]["results"]}

    assert placed(in_root) == placed(json.loads(elsewhere.stdout)) and placed(in_root)


@pytest.mark.e2e
@pytest.mark.skipif(not MULTITOOL.exists(), reason="SARIF Multitool not installed (scripts/install-e2e.sh)")
def test_the_sarif_multitool_finds_no_errors_against_the_schema_and_the_github_rules(app, tmp_path):
    run_documented_step(app)
    log = tmp_path / "validation.sarif"
    done = subprocess.run([str(MULTITOOL), "validate", "--rule-kind", "Gh;Sarif", "--output", str(log),
                           str(app / "liveview.sarif")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    findings = json.loads(log.read_text())["runs"][0]["results"]
    errors = [f"{r['ruleId']}: {r['message'].get('text', r['message'])}" for r in findings if r.get("level") == "error"]
    assert not errors, "\n".join(errors)
    assert "Done. 1 files scanned." in done.stdout
