"""The Claude Code PostToolUse hook (`liveview-skill hook post-tool-use`), fed the JSON payloads Claude Code sends
after Write, Edit and MultiEdit: in a subprocess through the console script and through the plugin's
hooks/hooks.json command, and in-process through the CLI for the many silent cases. Findings come back on
stderr with exit 2; clean files, files that are not LiveView code, files outside the project and missing
files are silent with exit 0; a payload that is not JSON is a one-line, non-blocking exit 1."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skill_server import engine
from skill_server.cli import main
from skill_server.errors import InputError

REPO = Path(__file__).resolve().parents[1]
CONSOLE = Path(sys.executable).parent / "liveview-skill"
LOCK = '%{{\n  "phoenix_live_view": {{:hex, :phoenix_live_view, "{version}", "abc", [:mix], [], "hexpm", "def"}},\n}}\n'

CHART_LIVE = '''defmodule AppWeb.ChartLive do
  use AppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {:ok, assign(socket, :points, [])}

  @impl true
  def render(assigns) do
    ~H"""
    <div phx-hook="Chart" data-points={Jason.encode!(@points)}></div>
    """
  end
end
'''
# Clean on LiveView 1.x; its {...} interpolation in tag bodies needs 1.0, so on 0.20 it has findings.
STATUS_LIVE = '''defmodule AppWeb.StatusLive do
  use AppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {:ok, assign(socket, status: "ready", count: 0)}

  @impl true
  def render(assigns) do
    ~H"""
    <p id="status" role="status">{@status}</p>
    <p id="count">{@count} items</p>
    """
  end
end
'''
BIO_LIVE = '''defmodule AppWeb.BioLive do
  use AppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {:ok, assign(socket, :user, socket.assigns.current_user)}

  @impl true
  def render(assigns) do
    ~H"""
    <div id="bio">{raw(@user.bio)}</div>
    """
  end
end
'''
COMPONENT = '''defmodule AppWeb.Badges do
  use Phoenix.Component

  def badge(assigns) do
    ~H"""
    <span phx-hook="Tooltip">{@label}</span>
    """
  end
end
'''
PLAIN_MODULE = '''defmodule App.Catalog do
  def sort_by(items, params) do
    field = String.to_atom(params["sort"])
    Enum.sort_by(items, &Map.get(&1, field))
  end
end
'''
ON_MOUNT = '''defmodule AppWeb.RequireUser do
  import Phoenix.Component, only: [assign_new: 3]

  def on_mount(:default, _params, session, socket) do
    {:cont, assign_new(socket, :current_user, fn -> App.Accounts.get_user(session["user_id"]) end)}
  end
end
'''
LIVE_TEST = '''defmodule AppWeb.ChartLiveTest do
  use AppWeb.ConnCase
  import Phoenix.LiveViewTest

  test "renders", %{conn: conn} do
    {:ok, _view, html} = live(conn, "/chart")
    assert html =~ ~s(phx-hook="Chart")
  end
end
'''
README = '# App\n\nA hook element: <div phx-hook="Chart"></div>\n'
HOOK_JS = "export const Clock = {\n  mounted() {\n    this.timer = setInterval(() => this.tick(), 1000)\n  }\n}\n"
SLIDE_CSS = ".slide-out {\n  transition: transform 300ms ease-out;\n  transform: translateX(100%);\n}\n"


def make_app(root: Path, liveview: str = "1.0.17") -> Path:
    files = {
        "mix.exs": "defmodule App.MixProject do\n  use Mix.Project\nend\n",
        "mix.lock": LOCK.format(version=liveview),
        "lib/app_web/live/chart_live.ex": CHART_LIVE,
        "lib/app_web/live/status_live.ex": STATUS_LIVE,
        "lib/app_web/live/bio_live.ex": BIO_LIVE,
        "lib/app_web/components/badges.ex": COMPONENT,
        "lib/app/catalog.ex": PLAIN_MODULE,
        "lib/app_web/require_user.ex": ON_MOUNT,
        "test/app_web/live/chart_live_test.exs": LIVE_TEST,
        "README.md": README,
        "scripts/seed.py": "print('seed')\n",
        "assets/js/hooks/clock.js": HOOK_JS,
        "assets/css/app.css": SLIDE_CSS,
        "assets/vendor/clock.js": HOOK_JS,
        "deps/some_dep/lib/some_live.ex": CHART_LIVE,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def app(tmp_path) -> Path:
    return make_app(tmp_path / "app")


def payload(tool: str, path: Path | str, cwd: Path) -> dict:
    """What Claude Code sends after each edit tool (fields as its hooks reference documents them)."""
    common = {"session_id": "0b6b2f4e", "transcript_path": str(cwd / ".claude/transcript.jsonl"), "cwd": str(cwd),
              "permission_mode": "default", "hook_event_name": "PostToolUse", "tool_name": tool,
              "tool_use_id": "toolu_01ABC"}
    if tool == "Write":
        return {**common, "tool_input": {"file_path": str(path), "content": "..."},
                "tool_response": {"type": "create", "filePath": str(path), "content": "...", "structuredPatch": []}}
    if tool == "Edit":
        return {**common, "tool_input": {"file_path": str(path), "old_string": "a", "new_string": "b",
                                         "replace_all": False},
                "tool_response": {"filePath": str(path), "oldString": "a", "newString": "b", "replaceAll": False,
                                  "structuredPatch": [], "userModified": False}}
    return {**common, "tool_input": {"file_path": str(path), "edits": [{"old_string": "a", "new_string": "b"},
                                                                       {"old_string": "c", "new_string": "d"}]},
            "tool_response": {"filePath": str(path), "edits": [], "structuredPatch": []}}


def run_process(argv: list[str], stdin: str, cwd: Path, project_dir: Path | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CLAUDE_PROJECT_DIR", "PYTHONPATH")}
    if project_dir is not None:
        env["CLAUDE_PROJECT_DIR"] = str(project_dir)
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def run_inprocess(capsys, monkeypatch, stdin: str | bytes, project_dir: Path | None) -> tuple[int, str, str]:
    data = stdin if isinstance(stdin, bytes) else stdin.encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    if project_dir is None:
        monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    else:
        monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project_dir))
    code = main(["hook", "post-tool-use"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def reviewed(monkeypatch) -> list[list[str]]:
    """The paths of every review the hook asks the engine for."""
    calls: list[list[str]] = []
    review_paths = engine.review_paths

    def spy(paths, **kwargs):
        calls.append(list(paths))
        return review_paths(paths, **kwargs)

    monkeypatch.setattr(engine, "review_paths", spy)
    return calls


def hook(capsys, monkeypatch, app: Path, relative: str, tool: str = "Edit") -> tuple[int, str]:
    code, out, err = run_inprocess(capsys, monkeypatch, json.dumps(payload(tool, app / relative, app)), app)
    assert out == ""  # stdout is for JSON decisions, which this hook never makes
    return code, err


# --- end to end, in a subprocess -----------------------------------------------------------------------------------
@pytest.mark.parametrize("tool", ["Write", "Edit", "MultiEdit"])
def test_a_liveview_with_a_finding_is_fed_back_with_exit_2(app, tool):
    done = run_process([str(CONSOLE), "hook", "post-tool-use"],
                       json.dumps(payload(tool, app / "lib/app_web/live/chart_live.ex", app)), app, app)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "lib/app_web/live/chart_live.ex:10 hook_missing_id (error, harm: crash) `<div>` has phx-hook but no id." in done.stderr
    assert "fix: Give the element a unique, stable id." in done.stderr
    assert "LiveView 1.0.17, from the project's mix.lock or mix.exs" in done.stderr
    assert "<%!-- lvr:disable-next-line hook_missing_id --%>" in done.stderr


def test_a_payload_that_is_not_json_is_a_non_blocking_one_line_error(app):
    done = run_process([str(CONSOLE), "hook", "post-tool-use"], '{"tool_name": "Edit", "tool_input": ', app, app)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("liveview-skill hook: ") and done.stderr.count("\n") == 1


def plugin_hook_command() -> str:
    config = json.loads((REPO / "hooks/hooks.json").read_text())
    [entry] = config["hooks"]["PostToolUse"]
    assert entry["matcher"] == "Write|Edit|MultiEdit"
    [command] = entry["hooks"]
    assert command["type"] == "command" and "${CLAUDE_PLUGIN_ROOT}" in command["command"]
    return command["command"]


@pytest.mark.skipif(not (REPO / ".venv/bin/liveview-skill").exists(), reason="the launcher's .venv is not installed")
def test_the_plugin_hooks_json_command_runs_the_hook_through_the_launcher(app):
    command = plugin_hook_command()
    env_root = {"CLAUDE_PLUGIN_ROOT": str(REPO)}

    def run(relative: str) -> subprocess.CompletedProcess:
        # Claude Code runs the command through a shell with CLAUDE_PLUGIN_ROOT and CLAUDE_PROJECT_DIR set.
        env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **env_root,
               "CLAUDE_PROJECT_DIR": str(app)}
        return subprocess.run(["sh", "-c", command], input=json.dumps(payload("Edit", app / relative, app)),
                               capture_output=True, text=True, cwd=app, env=env, timeout=120)

    found = run("lib/app_web/live/chart_live.ex")
    assert found.returncode == 2 and "hook_missing_id" in found.stderr, found.stderr
    clean = run("lib/app_web/live/status_live.ex")
    assert (clean.returncode, clean.stderr) == (0, "")


def test_the_launcher_never_installs_for_a_hook(tmp_path):
    """Without .venv the hook is silent (exit 0) instead of running the install, which other commands do."""
    shutil.copy(REPO / "liveview-skill", tmp_path / "liveview-skill")
    (tmp_path / "scripts").mkdir()
    bootstrap = tmp_path / "scripts/bootstrap.sh"
    bootstrap.write_text(f"#!/bin/sh\ntouch {tmp_path}/installed\nexit 2\n")
    bootstrap.chmod(0o755)
    done = run_process([str(tmp_path / "liveview-skill"), "hook", "post-tool-use"], "{}", tmp_path, None)
    assert (done.returncode, done.stderr) == (0, "") and not (tmp_path / "installed").exists()
    done = run_process([str(tmp_path / "liveview-skill"), "--version"], "", tmp_path, None)
    assert done.returncode == 2 and (tmp_path / "installed").exists()


# --- what is reviewed --------------------------------------------------------------------------------------------
def test_a_clean_liveview_is_silent(app, capsys, monkeypatch, reviewed):
    assert hook(capsys, monkeypatch, app, "lib/app_web/live/status_live.ex") == (0, "")
    assert reviewed == [[str(app / "lib/app_web/live/status_live.ex")]]


def test_a_harmful_finding_says_what_it_costs(app, capsys, monkeypatch):
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/bio_live.ex")
    assert code == 2 and "bio_live.ex:10 raw_html_user_content (error, harm: security) `raw(@user.bio)`" in err


def test_a_function_component_module_is_liveview_code(app, capsys, monkeypatch):
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/components/badges.ex", tool="Write")
    assert code == 2 and "lib/app_web/components/badges.ex:6 hook_missing_id" in err


@pytest.mark.parametrize(("relative", "rule"), [("assets/js/hooks/clock.js", "hook_timer_leak"),
                                                 ("assets/css/app.css", "missing_reduced_motion_guard")])
def test_hooks_and_css_under_assets_are_reviewed(app, capsys, monkeypatch, relative, rule):
    code, err = hook(capsys, monkeypatch, app, relative)
    assert code == 2 and f"{relative}:" in err and f" {rule} " in err
    comment = "// lvr:disable-next-line" if relative.endswith(".js") else "/* lvr:disable-next-line"
    assert comment in err


def test_a_hook_beside_the_liveview_under_lib_is_reviewed(app, capsys, monkeypatch):
    colocated = app / "lib/app_web/live/clock_hook.js"
    colocated.write_text(HOOK_JS)
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/clock_hook.js")
    assert code == 2 and "hook_timer_leak" in err


def test_an_on_mount_hook_is_liveview_code(app, capsys, monkeypatch, reviewed):
    assert hook(capsys, monkeypatch, app, "lib/app_web/require_user.ex") == (0, "")
    assert reviewed == [[str(app / "lib/app_web/require_user.ex")]]


@pytest.mark.parametrize("use", ["use(AppWeb, :live_view)", "use AppWeb, # the LiveView flavour\n    :live_view",
                                 "use AppWeb, :admin_live", 'use AppWeb, :"live_view"'])
def test_a_liveview_is_reviewed_however_its_use_is_written(app, capsys, monkeypatch, use):
    # the reviewer's reading of the module decides (audit 8 D3), not the quick pattern that misses these forms
    (app / "lib/app_web/live/tag_live.ex").write_text(
        f'defmodule AppWeb.TagLive do\n  {use}\n  def handle_event("go", %{{"name" => name}}, socket) do\n'
        '    {:noreply, assign(socket, String.to_atom(name), true)}\n  end\nend\n')
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/tag_live.ex", tool="Write")
    assert code == 2 and "unsafe_atom_creation" in err


@pytest.mark.parametrize("declared", ["@behaviour Phoenix.LiveView\n  import Phoenix.Component", "use AppWeb.Live",
                                      "use AppWeb.LiveBase, layout: false"])
def test_a_liveview_made_by_behaviour_or_the_apps_own_macro_is_reviewed(app, capsys, monkeypatch, declared):
    # audit 8 section 8: no `use AppWeb, :live_view` and no ~H, but LiveView's callbacks taking the socket
    (app / "lib/app_web/live/tag_live.ex").write_text(
        f'defmodule AppWeb.TagLive do\n  {declared}\n  def mount(_params, _session, socket), do: {{:ok, socket}}\n'
        '  def handle_event("go", %{"name" => name}, socket) do\n'
        '    {:noreply, assign(socket, String.to_atom(name), true)}\n  end\nend\n')
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/tag_live.ex", tool="Write")
    assert code == 2 and "unsafe_atom_creation" in err


def test_a_plain_module_with_a_mount_function_of_its_own_is_not_liveview_code(app, capsys, monkeypatch, reviewed):
    (app / "lib/app/storage.ex").write_text(
        'defmodule App.Storage do\n  def mount(volume, path), do: System.cmd("mount", [volume, path])\nend\n')
    assert hook(capsys, monkeypatch, app, "lib/app/storage.ex", tool="Write") == (0, "")
    assert reviewed == []


@pytest.mark.parametrize("relative", ["lib/app/catalog.ex", "test/app_web/live/chart_live_test.exs", "README.md",
                                      "scripts/seed.py"])
def test_files_that_are_not_liveview_code_are_silent(app, capsys, monkeypatch, relative, reviewed):
    assert hook(capsys, monkeypatch, app, relative, tool="Write") == (0, "")
    assert reviewed == []  # silent because it is not reviewed (the README alone would have a finding)


def test_a_liveview_in_a_folder_named_like_a_skipped_one_under_lib_is_reviewed(app, capsys, monkeypatch):
    moved = app / "lib/app_web/live/tmp/bio_live.ex"
    moved.parent.mkdir()
    moved.write_text((app / "lib/app_web/live/bio_live.ex").read_text())
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/tmp/bio_live.ex")
    assert code == 2 and "raw_html_user_content" in err


@pytest.mark.parametrize("relative", ["deps/some_dep/lib/some_live.ex", "assets/vendor/clock.js"])
def test_dependencies_and_vendored_files_are_silent(app, capsys, monkeypatch, relative, reviewed):
    assert hook(capsys, monkeypatch, app, relative) == (0, "") and reviewed == []


def test_a_file_outside_the_project_is_silent(app, tmp_path, capsys, monkeypatch, reviewed):
    elsewhere = tmp_path / "elsewhere/chart_live.ex"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CHART_LIVE)
    code, out, err = run_inprocess(capsys, monkeypatch, json.dumps(payload("Write", elsewhere, app)), app)
    assert (code, out, err) == (0, "", "") and reviewed == []


def test_a_missing_file_is_silent(app, capsys, monkeypatch):
    assert hook(capsys, monkeypatch, app, "lib/app_web/live/deleted_live.ex") == (0, "")


def test_the_projects_liveview_version_decides(tmp_path, capsys, monkeypatch):
    old = make_app(tmp_path / "old", liveview="0.20.17")
    code, err = hook(capsys, monkeypatch, old, "lib/app_web/live/status_live.ex")
    assert code == 2 and "version_gated_api" in err and "LiveView 0.20.17" in err
    new = make_app(tmp_path / "new", liveview="1.2.5")
    assert hook(capsys, monkeypatch, new, "lib/app_web/live/status_live.ex") == (0, "")


def test_the_project_is_claude_project_dir_else_the_payload_cwd(app, capsys, monkeypatch):
    sent = payload("Edit", "lib/app_web/live/chart_live.ex", app)  # a relative path is read from cwd
    code, _, err = run_inprocess(capsys, monkeypatch, json.dumps(sent), None)
    assert code == 2 and "hook_missing_id" in err
    other = app.parent / "other"
    other.mkdir()
    sent = payload("Edit", app / "lib/app_web/live/chart_live.ex", other)
    assert run_inprocess(capsys, monkeypatch, json.dumps(sent), None) == (0, "", "")
    assert run_inprocess(capsys, monkeypatch, json.dumps(sent), app)[0] == 2


def test_many_findings_are_counted_not_all_written(app, capsys, monkeypatch):
    many = app / "lib/app_web/live/many_live.ex"
    many.write_text(CHART_LIVE.replace('<div phx-hook="Chart" data-points={Jason.encode!(@points)}></div>',
                                       "\n".join(f'<div phx-hook="Chart{n}"></div>' for n in range(30))))
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/many_live.ex")
    assert code == 2 and "30 finding(s)" in err and "... and 10 more" in err
    assert err.count(" hook_missing_id (error, harm: crash) ") == 20


# --- payloads the hook does not act on, and failures ---------------------------------------------------------------
@pytest.mark.parametrize("sent", [
    {"hook_event_name": "PostToolUse", "tool_name": "Read", "tool_input": {"file_path": "lib/app_web/live/chart_live.ex"}},
    {"hook_event_name": "PostToolUse", "tool_name": "Edit"},
    {"hook_event_name": "PostToolUse", "tool_name": "Edit", "tool_input": {"file_path": 42}},
    {"hook_event_name": "PostToolUse", "tool_name": "Edit", "tool_input": "lib/app_web/live/chart_live.ex"},
])
def test_payloads_that_name_no_written_file_are_silent(app, capsys, monkeypatch, sent):
    assert run_inprocess(capsys, monkeypatch, json.dumps({**sent, "cwd": str(app)}), app) == (0, "", "")


@pytest.mark.parametrize("stdin", ["", "[]", "null", "not json", b"\xff\xfe{"])
def test_malformed_payloads_are_one_line_exit_1(app, capsys, monkeypatch, stdin):
    code, out, err = run_inprocess(capsys, monkeypatch, stdin, app)
    assert code == 1 and out == "" and err.startswith("liveview-skill hook: ") and err.count("\n") == 1


@pytest.mark.parametrize(("error", "said"), [
    (RuntimeError("tree-sitter exploded"), "internal error (RuntimeError: tree-sitter exploded)"),
    (InputError("mix.lock pins phoenix_live_view 0.14.8"), "mix.lock pins phoenix_live_view 0.14.8"),
])
def test_a_failure_inside_the_review_never_blocks_the_edit(app, capsys, monkeypatch, error, said):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(engine, "review_paths", broken)
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/chart_live.ex")
    assert code == 1 and err == f"liveview-skill hook: {said}; nothing was reviewed.\n"


def test_the_written_file_is_read_with_the_review_cap(app, capsys, monkeypatch):
    """The hook reads the file like the reviewer (regular file, at most the review cap), never whole."""
    read_bytes, read_text = Path.read_bytes, Path.read_text

    def unbounded(read):
        def guarded(self, *args, **kwargs):
            assert app not in Path(os.path.realpath(self)).parents, f"{self} read whole"
            return read(self, *args, **kwargs)
        return guarded

    monkeypatch.setattr(Path, "read_bytes", unbounded(read_bytes))
    monkeypatch.setattr(Path, "read_text", unbounded(read_text))
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/chart_live.ex")
    assert code == 2 and "hook_missing_id" in err, err
    big = app / "lib/app_web/live/big_live.ex"
    big.write_bytes(b"defmodule AppWeb.BigLive do\n  use AppWeb, :live_view\n" + b"#" * (3 * 1024 * 1024) + b"\nend\n")
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/big_live.ex")
    assert code == 1 and err.count("\n") == 1, err  # not read, and said so (audit 2, E5)
    assert err.startswith("liveview-skill hook: lib/app_web/live/big_live.ex was not reviewed: ") and "MB" in err


# --- audit 2, E5-E7: partial reviews said, paths inert, payloads bounded --------------------------------------------
def test_a_file_over_the_review_cap_is_said_not_reviewed_without_blocking(app, capsys, monkeypatch):
    big = app / "lib/app_web/live/big.html.heex"
    big.write_text("<div>{raw(@x)}</div>\n" + "<p>x</p>\n" * 300_000)
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/big.html.heex")
    assert code == 1 and err.count("\n") == 1
    assert "big.html.heex was not reviewed: " in err and "nothing" not in err


def test_a_review_cut_short_by_a_limit_is_said_with_the_rules_that_did_not_run(app, capsys, monkeypatch):
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_TIMEOUT_S", "0.001")
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/chart_live.ex")
    assert code == 1 and err.count("\n") == 1, err
    assert "the review of lib/app_web/live/chart_live.ex was cut short by a limit (" in err
    assert "liveview-skill review lib/app_web/live/chart_live.ex" in err


def test_file_paths_are_echoed_inert(app, capsys, monkeypatch):
    name = "lib/app_web/live/x\x1b[2J\x1b]8;;https:e\x07[link=https:e]\u202e_live.ex"
    (app / name).write_text(CHART_LIVE)
    code, err = hook(capsys, monkeypatch, app, name)
    assert code == 2 and "hook_missing_id" in err
    assert not any(c in err for c in "\x1b\x07\u202e"), err
    assert "x\\x1b[2J\\x1b]8;;https:e\\x07[link=https:e]\\u202e_live.ex:" in err


def test_deeply_nested_json_is_a_one_line_error_not_a_traceback(app, capsys, monkeypatch):
    code, out, err = run_inprocess(capsys, monkeypatch, "[" * 100_000 + "]" * 100_000, app)
    assert (code, out) == (1, "")
    assert err == "liveview-skill hook: the PostToolUse payload on stdin is JSON nested too deeply to read; nothing was reviewed.\n"


def test_a_payload_over_the_cap_is_refused_unread(app, capsys, monkeypatch):
    from skill_server import edit_hook

    monkeypatch.setattr(edit_hook, "MAX_PAYLOAD_BYTES", 1024)
    sent = json.dumps(payload("Write", app / "lib/app_web/live/chart_live.ex", app))
    code, out, err = run_inprocess(capsys, monkeypatch, sent + " " * 2048, app)
    assert (code, out) == (1, "") and "is over the 1 KB limit; nothing was reviewed" in err and err.count("\n") == 1
    assert run_inprocess(capsys, monkeypatch, sent, app)[0] == 2  # under the cap: reviewed


def test_a_liveview_reached_through_a_symlinked_folder_is_judged_where_the_editor_wrote_it(app, capsys, monkeypatch):
    """lib/app_web/live/extra -> priv/extra: Mix compiles it from lib/, so the hook reviews it (it used to judge
    the real path under priv/ as not compiled and stay silent); a link out of the project says it was not read."""
    hidden = app / "priv/extra"
    hidden.mkdir(parents=True)
    shutil.copy(app / "lib/app_web/live/bio_live.ex", hidden / "evil_live.ex")
    (app / "lib/app_web/live/extra").symlink_to(hidden)
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/extra/evil_live.ex")
    assert code == 2 and "lib/app_web/live/extra/evil_live.ex" in err
    outside = app.parent / "elsewhere"
    outside.mkdir()
    shutil.copy(app / "lib/app_web/live/bio_live.ex", outside / "away_live.ex")
    (app / "lib/app_web/live/away").symlink_to(outside)
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/away/away_live.ex")
    assert code == 1 and "not reviewed" in err and "outside the project" in err


def test_a_fifo_named_like_a_liveview_is_said_not_reviewed(app, capsys, monkeypatch):
    os.mkfifo(app / "lib/app_web/live/pipe_live.ex")
    code, err = hook(capsys, monkeypatch, app, "lib/app_web/live/pipe_live.ex")
    assert code == 1 and "not a regular file" in err


def test_a_large_elixir_file_with_no_liveview_word_is_decided_without_parsing_it(app, capsys, monkeypatch, reviewed):
    # audit 9 L2: deciding whether a plain module is LiveView code parsed all of it in the hook's own process
    import skill_server.edit_hook as edit_hook

    (app / "lib/app/numbers.ex").write_text("defmodule App.Numbers do\n" + "  def n, do: 1\n" * 20_000 + "end\n")
    monkeypatch.setattr(edit_hook, "_liveview_module", lambda source: pytest.fail("parsed"))
    assert hook(capsys, monkeypatch, app, "lib/app/numbers.ex", tool="Write") == (0, "")
    assert reviewed == []
