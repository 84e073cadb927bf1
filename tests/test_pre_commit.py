"""The pre-commit hook (.pre-commit-hooks.yaml) in a test repository: pre-commit installs this checkout from a
git repository at a commit, as a user's `.pre-commit-config.yaml` names it, and the hook fails a commit that
stages a LiveView with a finding and passes it once the file is fixed.

pre-commit builds the hook's environment with pip (`language: python`). A user's machine gets the dependencies
from the package registry once per rev; this test stays offline (PIP_NO_INDEX) and lets that pip find them
already installed in the test environment, on PYTHONPATH, while this checkout itself is built and installed
into the hook's own environment. Set LIVEVIEW_SKILL_REGISTRY_TESTS=1 to install from the registry instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
LOCK = '%{\n  "phoenix_live_view": {:hex, :phoenix_live_view, "1.0.17", "abc", [:mix], [], "hexpm", "def"},\n}\n'
CHART_LIVE = '''defmodule AppWeb.ChartLive do
  use AppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {:ok, socket}

  @impl true
  def render(assigns) do
    ~H"""
    <div phx-hook="Chart"></div>
    """
  end
end
'''
STATUS_LIVE = '''defmodule AppWeb.StatusLive do
  use AppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {:ok, assign(socket, :status, "ready")}

  @impl true
  def render(assigns) do
    ~H"""
    <p id="status" role="status">{@status}</p>
    """
  end
end
'''


def test_the_hook_runs_the_review_on_the_staged_liveview_files():
    [hook] = HOOKS
    assert hook["id"] == "liveview-skill" and hook["language"] == "python"
    assert hook["entry"] == "liveview-skill review --fail-on warning" and hook.get("pass_filenames", True)
    selected = re.compile(hook["files"])
    excluded = re.compile(hook["exclude"])

    def chosen(path: str) -> bool:
        return bool(selected.search(path)) and not excluded.search(path)

    for path in ("lib/app_web/live/page_live.ex", "lib/app_web/components/core_components.ex",
                 "lib/app_web/live/page_live.html.heex", "test/app_web/live/page_live_test.exs",
                 "assets/js/hooks/chart.js", "assets/js/app.ts", "assets/css/app.css", "apps/web/assets/js/app.js",
                 "lib/app_web/live/priv/admin_live.ex", "lib/app/deps/graph_live.ex", "apps/web/lib/web/vendor/x_live.ex",
                 "priv/extra/evil_live.ex", "apps/web/priv/extra/evil_live.html.heex"):
        assert chosen(path), path
    for path in ("README.md", "mix.lock", "assets/vendor/topbar.js", "priv/static/assets/app.js",
                 "deps/phoenix_live_view/lib/phoenix_live_view.ex", "scripts/seed.py", "lib/app/notes.txt",
                 "apps/web/deps/x/lib/y.ex", "apps/web/assets/node_modules/lib/z.js",
                 "priv/static/assets/app.css", "apps/web/priv/static/assets/app.js"):
        assert not chosen(path), path


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def snapshot_of_this_checkout(target: Path) -> str:
    """This checkout's files (committed or not, minus what git ignores) committed in a new repository: the
    commit a user's config would pin with `rev:`."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD").strip()


def pre_commit_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    if os.environ.get("LIVEVIEW_SKILL_REGISTRY_TESTS") != "1":
        (tmp_path / "no-wheels").mkdir()
        env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp_path / "no-wheels"),
                   PIP_NO_BUILD_ISOLATION="0",  # pip reads this variable inverted: "0" turns build isolation off
                   PYTHONPATH=sysconfig.get_paths()["purelib"])
    return env


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout")
def test_pre_commit_blocks_a_commit_with_a_liveview_finding_in_a_test_repository(tmp_path):
    hooks_repo = tmp_path / "liveview-skill"
    hooks_repo.mkdir()
    rev = snapshot_of_this_checkout(hooks_repo)
    app = tmp_path / "app"
    files = {
        ".pre-commit-config.yaml": f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n      - id: liveview-skill\n",
        "mix.exs": "defmodule App.MixProject do\n  use Mix.Project\nend\n",
        "mix.lock": LOCK,
        "lib/app_web/live/chart_live.ex": CHART_LIVE,
        "lib/app_web/live/status_live.ex": STATUS_LIVE,
        "README.md": '# App\n\n<div phx-hook="Chart"></div>\n',
        "assets/vendor/topbar.js": "window.setInterval(() => {}, 100)\n",
    }
    for name, text in files.items():
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        (app / name).write_text(text)
    git(app, "init", "-q")
    git(app, "add", "-A")
    env = pre_commit_env(tmp_path)

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=app, env=env, capture_output=True,
                              text=True, timeout=600)

    both = pre_commit("run", "--files", "lib/app_web/live/chart_live.ex", "lib/app_web/live/status_live.ex")
    assert both.returncode == 1, both.stdout + both.stderr
    assert "liveview-skill review" in both.stdout and "Failed" in both.stdout
    assert "chart_live.ex:10:5 error LV401 hook_missing_id" in both.stdout
    assert "for LiveView 1.0.17" in both.stdout  # the project's mix.lock
    clean = pre_commit("run", "--files", "lib/app_web/live/status_live.ex")
    assert clean.returncode == 0 and "Passed" in clean.stdout, clean.stdout + clean.stderr
    others = pre_commit("run", "--files", "README.md", "assets/vendor/topbar.js")
    assert others.returncode == 0 and "(no files to check)Skipped" in others.stdout, others.stdout

    installed = pre_commit("install")
    assert installed.returncode == 0, installed.stderr
    blocked = subprocess.run(["git", "commit", "-q", "-m", "add views"], cwd=app, env=env, capture_output=True,
                             text=True, timeout=600)
    assert blocked.returncode != 0 and "hook_missing_id" in blocked.stdout + blocked.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=app, capture_output=True).returncode != 0
    (app / "lib/app_web/live/chart_live.ex").write_text(CHART_LIVE.replace('<div phx-hook', '<div id="chart" phx-hook'))
    git(app, "add", "-A")
    committed = subprocess.run(["git", "commit", "-q", "-m", "add views"], cwd=app, env=env, capture_output=True,
                               text=True, timeout=600)
    assert committed.returncode == 0, committed.stdout + committed.stderr
