"""Project mode: walking a Phoenix tree, the LiveView version from mix.lock (or why not), parallel review
matching the sequential one, and the CLI's grouped, JSON and SARIF output with --fail-on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill_server.cli import main
from skill_server.errors import InputError
from skill_server.review.engine import review_source
from skill_server.review.project import review_project

LIVE_VIEW = '''defmodule MyAppWeb.{name}Live do
  use MyAppWeb, :live_view

  @impl true
  def mount(_params, _session, socket), do: {{:ok, assign(socket, :open, false)}}

  @impl true
  def render(assigns) do
    ~H"""
    <details id="menu" phx-mounted={{JS.ignore_attributes(["open"])}}><summary>Menu</summary></details>
    <form phx-change="validate"><input id="q" name="q" aria-label="Search" /></form>
    """
  end
end
'''
HOOK = "export const Chart = {mounted() { window.addEventListener('resize', () => this.draw()) }}\n"
LOCK_HEX = ('%{\n  "phoenix_live_view": {:hex, :phoenix_live_view, "0.20.17", "abc", [:mix], [], "hexpm", "def"},\n}\n')
LOCK_GIT = ('%{\n  "phoenix_live_view": {:git, "https://github.com/phoenixframework/phoenix_live_view.git", '
            '"02bc543", []},\n}\n')


def make_app(root: Path, lock: str | None, views: int = 2) -> Path:
    for n in range(views):
        path = root / "lib/my_app_web/live" / f"page{n}_live.ex"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LIVE_VIEW.format(name=f"Page{n}"))
    (root / "assets/js").mkdir(parents=True)
    (root / "assets/js/app.js").write_text(HOOK)
    (root / "assets/vendor").mkdir(parents=True)
    (root / "assets/vendor/topbar.js").write_text("window.addEventListener('x', () => {})\n")
    (root / "deps/phoenix").mkdir(parents=True)
    (root / "deps/phoenix/ignored.ex").write_text("IO.inspect(:not_ours)\n")
    if lock is not None:
        (root / "mix.lock").write_text(lock)
    return root


def rules_by_file(review) -> dict[str, list[str]]:
    return {f.path: sorted(x.rule for x in f.result.findings) for f in review.files}


@pytest.mark.parametrize("folder", ["tmp", "deps", "cover", "priv", "node_modules", "_build"])
def test_a_folder_under_lib_is_reviewed_whatever_its_name(tmp_path, folder):
    root = make_app(tmp_path, LOCK_HEX, views=1)
    hidden = root / "lib/my_app_web/live" / folder / "evil_live.ex"
    hidden.parent.mkdir(parents=True)
    hidden.write_text(LIVE_VIEW.format(name="Evil").replace("assign(socket, :open, false)",
                                                            "assign(socket, String.to_atom(_params[\"k\"]), 1)"))
    (root / "tmp/cache").mkdir(parents=True)
    (root / "tmp/cache/stale_live.ex").write_text(LIVE_VIEW.format(name="Stale"))

    paths = {f.path for f in review_project([str(root)]).files}

    assert f"lib/my_app_web/live/{folder}/evil_live.ex" in paths  # Mix compiles it: a gate must see it
    assert "tmp/cache/stale_live.ex" not in paths and not any(p.startswith("deps/") for p in paths)


@pytest.mark.parametrize("folder", ["test", "tmp"])
def test_reviewing_lib_alone_judges_folders_by_their_place_in_the_project(tmp_path, folder):
    root = make_app(tmp_path, LOCK_HEX, views=1)
    (root / "mix.exs").write_text("defmodule MyApp.MixProject do\nend\n")
    hidden = root / "lib/my_app_web" / folder / "evil_live.ex"
    hidden.parent.mkdir(parents=True)
    hidden.write_text(LIVE_VIEW.format(name="Evil"))

    paths = {f.path for f in review_project([str(root / "lib")]).files}

    assert any(p.endswith(f"my_app_web/{folder}/evil_live.ex") for p in paths)


def test_the_text_gate_says_what_suppression_comments_hid(tmp_path, capsys):
    root = make_app(tmp_path, LOCK_HEX, views=1)
    hiding = root / "lib/my_app_web/live/hiding_live.ex"
    hiding.write_text("# lvr:disable-file\n" + LIVE_VIEW.format(name="Hiding").replace(
        "assign(socket, :open, false)", "assign(socket, String.to_atom(_params[\"k\"]), 1)"))

    main(["review", str(root), "--fail-on", "info"])
    out = " ".join(capsys.readouterr().out.split())

    assert "hidden by lvr:disable comments" in out and "hiding_live.ex" in out and "hid" in out


def test_walks_the_project_and_reads_the_locked_version(tmp_path):
    review = review_project([str(make_app(tmp_path, LOCK_HEX))])
    assert review.version_source == "project" and review.liveview_version.startswith("0.20")
    assert any(str(tmp_path / "mix.lock") in note for note in review.notes)
    assert {f.result.version_source for f in review.files} == {"project"}
    paths = {f.path for f in review.files}
    assert paths == {"lib/my_app_web/live/page0_live.ex", "lib/my_app_web/live/page1_live.ex", "assets/js/app.js"}
    found = rules_by_file(review)
    # On 0.20 JS.ignore_attributes (1.1) does not exist; the form has no id; the hook never removes its listener.
    assert "version_gated_api" in found["lib/my_app_web/live/page0_live.ex"]
    assert "form_missing_id" in found["lib/my_app_web/live/page0_live.ex"]
    assert found["assets/js/app.js"] == ["hook_missing_destroyed_cleanup"]
    assert review.stats["files"] == 3 and review.stats["findings"] == sum(len(v) for v in found.values())


def test_a_file_named_from_outside_its_project_is_read_for_the_projects_version(tmp_path):
    """`review ../app/lib/.../x_live.ex` from another folder: the version is the Mix project's, not the default
    (only the file's own folder was looked at, and it holds no mix.lock)."""
    make_app(tmp_path, LOCK_HEX)
    (tmp_path / "mix.exs").write_text("defmodule MyApp.MixProject do\n  use Mix.Project\nend\n")
    review = review_project([str(tmp_path / "lib/my_app_web/live/page0_live.ex")])
    assert review.version_source == "project" and review.liveview_version.startswith("0.20")


def test_the_version_argument_wins_and_changes_the_answer(tmp_path):
    review = review_project([str(make_app(tmp_path, LOCK_HEX))], liveview_version="1.2")
    assert review.version_source == "argument"
    assert "version_gated_api" not in rules_by_file(review)["lib/my_app_web/live/page0_live.ex"]


def test_a_git_dependency_says_why_the_version_is_assumed(tmp_path):
    review = review_project([str(make_app(tmp_path, LOCK_GIT))])
    assert review.version_source == "default" and any("git dependency" in note for note in review.notes)
    assert review.liveview_version == "1.2"


def test_a_mix_exs_requirement_is_used_when_the_lock_has_no_version(tmp_path):
    root = make_app(tmp_path, LOCK_GIT)
    (root / "mix.exs").write_text('defp deps, do: [{:phoenix_live_view, "~> 1.0.4"}]\n')
    review = review_project([str(root)])
    assert review.version_source == "project" and review.liveview_version.startswith("1.0")
    assert any("requirement" in note and "mix.exs" in note for note in review.notes)


def test_the_review_in_worker_processes_matches_the_one_in_process(tmp_path):
    views = 12
    root = make_app(tmp_path, LOCK_HEX, views=views)
    in_workers = review_project([str(root)])
    in_process = {f.path: sorted(x.rule for x in review_source((root / f.path).read_text(), filename=f.path,
                                                                 liveview_version="0.20.17").findings)
                  for f in in_workers.files}
    assert rules_by_file(in_workers) == in_process
    assert len(in_workers.files) == views + 1 and in_workers.complete and not in_workers.skipped


def test_missing_paths_are_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        review_project([str(tmp_path / "nope")])


def test_cli_project_output_sarif_and_fail_on(tmp_path, capsys):
    root = make_app(tmp_path / "app", LOCK_HEX)
    assert main(["review", str(root), "--fail-on", "never"]) == 0
    grouped = capsys.readouterr().out
    assert "page0_live.ex" in grouped and "form_missing_id" in grouped
    assert main(["review", str(root), "--fail-on", "warning"]) == 1
    capsys.readouterr()
    main(["review", str(root), "--format", "sarif", "--fail-on", "never"])
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    results = run["results"]
    assert results and {r["ruleId"] for r in results} <= rule_ids
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] and location["region"]["startLine"] >= 1


def test_a_project_older_than_0_20_is_a_clear_error_not_an_empty_review(tmp_path, capsys):
    old_lock = LOCK_HEX.replace('"0.20.17"', '"0.18.18"')
    root = make_app(tmp_path, old_lock)
    with pytest.raises(InputError, match="0.18.18.*0.20 to 1.2"):
        review_project([str(root)])
    assert main(["review", str(root)]) == 2
    assert "0.18.18" in capsys.readouterr().err
    assert review_project([str(root)], liveview_version="0.20").files


def test_a_folder_with_nothing_to_review_says_so(tmp_path, capsys):
    (tmp_path / "installer/templates").mkdir(parents=True)
    (tmp_path / "installer/templates/core_components.ex.eex").write_text("<%= @web_namespace %>\n")
    with pytest.raises(InputError, match="no files to review"):
        review_project([str(tmp_path)])
    assert main(["review", str(tmp_path)]) == 2
    assert "no files to review" in capsys.readouterr().err


def test_a_separate_template_is_read_with_the_module_beside_it(tmp_path):
    # The filter form's handler lives in orders_live.ex and patches the URL, so the form needs no id; the
    # same template with no module beside it (or reviewed alone) is flagged.
    live = tmp_path / "lib" / "shop_web" / "live"
    live.mkdir(parents=True)
    (live / "orders_live.html.heex").write_text(
        '<form phx-change="filter"><input name="q" phx-debounce="300" /></form>\n')
    (live / "drafts_live.html.heex").write_text(
        '<form phx-change="filter"><input name="q" phx-debounce="300" /></form>\n')
    (live / "orders_live.ex").write_text('''defmodule ShopWeb.OrdersLive do
  use ShopWeb, :live_view

  @impl true
  def handle_event("filter", params, socket), do: {:noreply, push_patch(socket, to: "/orders?q=#{params["q"]}")}
end
''')
    review = review_project([str(tmp_path)], liveview_version="1.2")
    flagged = {Path(f.path).name for f in review.files if f.result
               and any(x.rule == "form_missing_id" for x in f.result.findings)}
    assert flagged == {"drafts_live.html.heex"}
