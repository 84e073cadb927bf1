"""Project review facing a hostile tree: symlinks out of it, FIFOs, devices, huge and binary files, deep
folders, a symlinked root; and the gate: whatever was not reviewed is listed in text, JSON and SARIF and
fails `--fail-on` unless `--allow-skipped`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from processes import alive, review_workers, wait_for

from skill_server.cli import main
from skill_server.review import files
from skill_server.review.engine import MAX_REVIEW_BYTES
from skill_server.review.project import review_project


pytestmark = pytest.mark.usefixtures("heavy_inputs_stay_heavy")


EVIL = ('defmodule AppWeb.EvilLive do\n  use AppWeb, :live_view\n  def handle_event("go", %{"name" => name}, socket) do\n'
        '    {:noreply, assign(socket, String.to_atom(name), true)}\n  end\n'
        '  def render(assigns), do: ~H"<div>{raw(@comment.body)}</div>"\nend\n')
REVIEW = [str(Path(sys.executable).with_name("liveview-skill")), "review"]


def project(tmp_path: Path, **extra: str) -> Path:
    root = tmp_path / "app"
    (root / "lib/app_web/live").mkdir(parents=True)
    (root / "lib/app_web/live/page_live.ex").write_text(EVIL)
    for name, content in extra.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def cli(capsys, *args: str) -> tuple[int, str]:
    code = main(["review", *args])
    return code, capsys.readouterr().out


def test_a_symlink_out_of_the_tree_is_not_followed_and_is_listed(tmp_path, capsys):
    outside = tmp_path / "outside" / "secret.heex"
    outside.parent.mkdir()
    outside.write_text('<div phx-hook="Steal">API_KEY=sk-live-OUTSIDE</div>\n')
    root = project(tmp_path)
    (root / "lib/leak.html.heex").symlink_to(outside)
    (root / "lib/inside.html.heex").symlink_to(root / "lib/app_web/live/page_live.ex")
    review = review_project([str(root)])
    assert [s.path for s in review.skipped] == ["lib/leak.html.heex"] and "outside" in review.skipped[0].reason
    assert "lib/inside.html.heex" in {f.path for f in review.files}  # a link inside the tree is fine
    code, out = cli(capsys, str(root), "--fail-on", "never")
    assert "API_KEY" not in out and "leak.html.heex" in out


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a device", "socket"])
def test_special_files_are_never_opened(tmp_path, kind):
    root = project(tmp_path)
    special = root / "lib/special.ex"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "device":
        import stat

        try:
            os.mknod(special, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
        except PermissionError:
            pytest.skip("creating a device node needs CAP_MKNOD")
    elif kind == "link to a device":
        special.symlink_to("/dev/zero")
    else:
        import socket

        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(special))
    done = subprocess.run([*REVIEW, str(root), "--format", "json", "--fail-on", "never"], capture_output=True,
                          text=True, timeout=60)
    review = json.loads(done.stdout)
    assert "lib/special.ex" in {s["path"] for s in review["skipped"]} and review["complete"] is False


def test_size_is_checked_before_reading_and_at_most_the_cap_is_read(tmp_path, monkeypatch):
    root = project(tmp_path)
    with open(root / "lib/huge.ex", "wb") as handle:
        handle.truncate(4 * 1024**3)  # sparse: 4 GB that take no disk
    opened = []
    read_at_most = files._read_at_most
    monkeypatch.setattr(files, "_read_at_most", lambda fd, limit: opened.append((os.fstat(fd).st_size, limit))
                        or read_at_most(fd, limit))
    review = review_project([str(root)])
    assert any(s.path == "lib/huge.ex" and "size limit" in s.reason for s in review.skipped)
    assert opened and all(size < 4 * 1024**3 and limit == MAX_REVIEW_BYTES + 1 for size, limit in opened)


def test_deep_folders_are_reported_not_a_recursion_error(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_DEPTH", 6)
    root = project(tmp_path)
    deep = root / "lib" / "/".join(["d"] * 10)
    deep.mkdir(parents=True)
    (deep / "deep.ex").write_text("defmodule D do\nend\n")
    review = review_project([str(root)])
    assert any("deeper than 6" in s.reason for s in review.skipped) and not review.complete
    (root / "lib/app_web/live/page_live.ex").unlink()  # only the deep file is left: still a failed review
    review = review_project([str(root)])
    assert not review.files and review.skipped and not review.complete


def test_a_symlinked_root_keeps_paths_inside_it(tmp_path, capsys):
    root = project(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(root)
    code, out = cli(capsys, str(link), "--format", "sarif", "--fail-on", "never")
    run = json.loads(out)["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert uris and all(not u.startswith("..") and not u.startswith("/") for u in uris)


def test_sarif_uris_name_files_whose_paths_hold_uri_characters(tmp_path, capsys, monkeypatch):
    from urllib.parse import unquote, urljoin, urlparse

    root = project(tmp_path, **{"lib/a b#c?d%e/x y_live.ex": EVIL})
    (root / "lib/a b#c?d%e/bin.ex").write_bytes(b"\0" * 10)  # a skipped file: a notification names it
    code, out = cli(capsys, str(root), "--format", "sarif", "--fail-on", "never")
    run = json.loads(out)["runs"][0]
    base = run["originalUriBaseIds"]["ROOTPATH"]["uri"]
    assert base.startswith("file:///") and base.endswith("/") and unquote(urlparse(base).path) == f"{root}/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    uris |= {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             for n in run["invocations"][0]["toolExecutionNotifications"]}
    assert "lib/a%20b%23c%3Fd%25e/x%20y_live.ex" in uris and "lib/a%20b%23c%3Fd%25e/bin.ex" in uris
    for uri in uris:  # each resolves, against the base, to the file itself: no fragment, no query
        resolved = urlparse(urljoin(base, uri))
        assert not resolved.fragment and not resolved.query and Path(unquote(resolved.path)).is_file()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(EVIL.encode())))
    code, out = cli(capsys, "-", "--stdin-filename", "lib/x_live.ex", "--format", "sarif", "--fail-on", "never")
    assert json.loads(out)["runs"][0]["originalUriBaseIds"]["ROOTPATH"]["uri"] == tmp_path.as_uri() + "/"


def test_the_gate_fails_on_a_skipped_file_in_every_format(tmp_path, capsys):
    root = project(tmp_path)
    assert cli(capsys, str(root), "--fail-on", "info")[0] == 1  # the findings
    (root / "lib/app_web/live/page_live.ex").write_text(EVIL.replace("end\n", "end\n", 1) + "# \x00\n")
    code, out = cli(capsys, str(root), "--fail-on", "info")
    assert code == 1 and "not reviewed" in out and "page_live.ex" in out and "--allow-skipped" in out
    assert cli(capsys, str(root), "--fail-on", "info", "--allow-skipped")[0] == 0
    code, out = cli(capsys, str(root), "--format", "json", "--fail-on", "info")
    review = json.loads(out)
    assert code == 1 and review["complete"] is False and "NUL" in review["skipped"][0]["reason"]
    code, out = cli(capsys, str(root), "--format", "sarif", "--fail-on", "info")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert code == 1 and invocation["executionSuccessful"] is False
    notification = invocation["toolExecutionNotifications"][0]
    assert "page_live.ex" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("page_live.ex")
    assert cli(capsys, str(root), "--fail-on", "never")[0] == 0


def test_the_gate_fails_on_a_review_cut_short(tmp_path, capsys):
    root = project(tmp_path)
    (root / "lib/app_web/live/page_live.ex").write_text(EVIL + "x = " + "(" * 1_000_000 + "\n")
    code, out = cli(capsys, str(root), "--fail-on", "error", "--review-timeout", "0.3")
    assert code == 1 and "incomplete" in out and "did not run" in out
    code, out = cli(capsys, str(root), "--format", "sarif", "--fail-on", "error", "--review-timeout", "0.3")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False and "not fully reviewed" in json.dumps(invocation)
    assert cli(capsys, str(root), "--fail-on", "error", "--review-timeout", "0.3", "--allow-skipped")[0] == 0


def test_stdin_review_runs_under_the_limits_too(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("x = " + "(" * 1_000_000).encode())))
    code, out = cli(capsys, "-", "--stdin-filename", "a.ex", "--review-timeout", "0.3", "--format", "json")
    review = json.loads(out)
    assert code == 1 and review["complete"] is False and not review["files"][0]["result"]["complete"]


def test_a_killed_review_leaves_no_workers(tmp_path):
    root = project(tmp_path)
    for n in range(40):
        (root / f"lib/app_web/live/m{n}_live.ex").write_text("x = " + "(" * 300_000 + "\n")
    caller = subprocess.Popen([*REVIEW, str(root), "--review-timeout", "60"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    assert wait_for(lambda: review_workers(caller.pid))
    workers = review_workers(caller.pid)
    caller.terminate()
    caller.wait(timeout=20)
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


def test_a_file_name_that_is_not_utf8_is_reviewed_and_shown(tmp_path, capsys):
    root = project(tmp_path)
    with open(os.fsencode(root / "lib") + b"/caf\xe9_live.ex", "w") as handle:
        handle.write(EVIL)
    code, out = cli(capsys, str(root), "--format", "json", "--fail-on", "never")
    paths = {f["path"] for f in json.loads(out)["files"]}
    assert "lib/caf\ufffd_live.ex" in paths and code == 0


def test_stdin_is_read_up_to_the_cap_only():
    done = subprocess.run(f"head -c 100000000 /dev/zero | {REVIEW[0]} review -", shell=True, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "limit" in done.stderr and "Traceback" not in done.stderr


def test_the_whole_review_has_a_time_limit_and_fails_closed(tmp_path, capsys, monkeypatch):
    """Audit 2, E4: each file had its own limit but the review none, so N slow files cost N x the file limit. Past
    --review-total-timeout the files not done are listed as not reviewed and the gate fails."""
    root = project(tmp_path)
    for n in range(6):
        (root / f"lib/app_web/live/slow{n}_live.ex").write_text(EVIL + "x = " + "(" * 1_000_000 + "\n")
    code, out = cli(capsys, str(root), "--format", "json", "--fail-on", "error", "--review-total-timeout", "0.5")
    review = json.loads(out)
    assert code == 1 and review["complete"] is False
    out_of_time = [s for s in review["skipped"] if "whole review's time limit (0.5 s) ran out" in s["reason"]]
    assert out_of_time and len(out_of_time) + len(review["files"]) == 7
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_TOTAL_S", "0.5")
    code, out = cli(capsys, str(root), "--fail-on", "error")
    assert code == 1 and "ran out" in out


def test_a_review_within_its_total_time_is_whole(tmp_path, capsys):
    root = project(tmp_path)
    code, out = cli(capsys, str(root), "--format", "json", "--fail-on", "never", "--review-total-timeout", "300")
    review = json.loads(out)
    assert code == 0 and review["complete"] is True and not review["skipped"]


def test_a_symlinked_folder_is_never_passed_over_silently(tmp_path, capsys):
    """A folder Mix compiles through a symlink (lib/app_web/live/extra -> priv/extra, priv/ itself not reviewed)
    is reviewed through the link; a linked folder leading out of the tree is listed; one whose target is reviewed
    anyway is not reviewed twice; a link cycle ends."""
    root = project(tmp_path)
    hidden = root / "priv/extra"
    hidden.mkdir(parents=True)
    (hidden / "evil_live.ex").write_text(
        'defmodule AppWeb.EvilLive do\n  use AppWeb, :live_view\n\n'
        '  def handle_event("pick", %{"name" => name}, socket) do\n'
        '    {:noreply, assign(socket, :kind, String.to_atom(name))}\n  end\nend\n')
    (root / "lib/app_web/live/extra").symlink_to(hidden)
    (root / "lib/app_web/live/again").symlink_to(root / "lib/app_web/live")  # a cycle, and a target walked anyway
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x_live.ex").write_text("defmodule X do\nend\n")
    (root / "lib/app_web/outside").symlink_to(outside)
    review = review_project([str(root)])
    reviewed = {f.path for f in review.files}
    assert "lib/app_web/live/extra/evil_live.ex" in reviewed
    assert not any(path.startswith("lib/app_web/live/again/") for path in reviewed)
    assert any("lib/app_web/outside" in s.path and "outside" in s.reason for s in review.skipped)
    assert any(f.rule == "unsafe_atom_creation" for r in review.files for f in r.result.findings
               if r.path == "lib/app_web/live/extra/evil_live.ex")
    code, out = cli(capsys, str(root), "--fail-on", "error")
    assert code == 1 and "lib/app_web/outside" in out


def test_a_symlinked_folder_into_a_reviewed_folder_only_is_not_followed_twice(tmp_path):
    root = project(tmp_path)
    (root / "lib/mirror").symlink_to(root / "lib/app_web")
    review = review_project([str(root)])
    assert not any(f.path.startswith("lib/mirror/") for f in review.files) and not review.skipped


def test_folders_mix_compiles_are_reviewed_whatever_their_names(tmp_path):
    """elixirc_paths naming tmp/gen or priv/plugins, and an umbrella app called cover: Mix compiles them, so
    project review reads them (they were skipped by name, silently)."""
    root = tmp_path / "app"
    evil = EVIL
    for folder in ("tmp/gen", "priv/plugins", "apps/cover/lib/cover_web/live"):
        (root / folder).mkdir(parents=True)
        (root / folder / "x_live.ex").write_text(evil)
    (root / "mix.exs").write_text('defmodule App.MixProject do\n  use Mix.Project\n  def project, do: [app: :app, '
                                  'elixirc_paths: elixirc_paths(Mix.env()), apps_path: "apps"]\n'
                                  '  defp elixirc_paths(:test), do: ["lib", "test/support"]\n'
                                  '  defp elixirc_paths(_), do: ["lib", "tmp/gen", "priv/plugins"]\nend\n')
    (root / "apps/cover/mix.exs").write_text("defmodule Cover.MixProject do\n  use Mix.Project\nend\n")
    reviewed = {f.path for f in review_project([str(root)]).files}
    assert {"tmp/gen/x_live.ex", "priv/plugins/x_live.ex", "apps/cover/lib/cover_web/live/x_live.ex"} <= reviewed
    hook_relative = Path("tmp/gen/x_live.ex")
    from skill_server.edit_hook import _liveview_file
    assert _liveview_file(hook_relative, root / hook_relative, root)  # the edit hook judges it the same way


def test_a_test_folder_inside_a_compiled_folder_is_reviewed_like_lib_test(tmp_path):
    """Audit 8 D7: with elixirc_paths ["lib", "web"], Mix compiles web/test/x_live.ex; only lib/ kept `test`
    folders, so the file passed the gate unread. A top-level test/ folder stays left out."""
    root = tmp_path / "app"
    for folder in ("web/test", "test/app_web"):
        (root / folder).mkdir(parents=True)
        (root / folder / "x_live.ex").write_text(EVIL)
    (root / "mix.exs").write_text('defmodule App.MixProject do\n  use Mix.Project\n'
                                  '  def project, do: [app: :app, elixirc_paths: ["lib", "web"]]\nend\n')
    reviewed = {f.path for f in review_project([str(root)]).files}
    assert "web/test/x_live.ex" in reviewed and "test/app_web/x_live.ex" not in reviewed
    from skill_server.edit_hook import _liveview_file
    assert _liveview_file(Path("web/test/x_live.ex"), root / "web/test/x_live.ex", root)


@pytest.mark.parametrize("mix_project", [
    # the clause `mix format` makes of a long list
    '  def project, do: [app: :app, elixirc_paths: elixirc_paths(Mix.env())]\n'
    '  defp elixirc_paths(:test), do: ["lib", "test/support"]\n'
    '  defp elixirc_paths(_),\n    do: [\n      "lib",\n      "tmp/gen"\n    ]\n',
    '  def project, do: [app: :app, elixirc_paths: ~w(lib tmp/gen)]\n',
    '  @paths ["lib", "tmp/gen"]\n  def project, do: [app: :app, elixirc_paths: @paths]\n',
    '  def project, do: [app: :app, elixirc_paths: ["lib"] ++ extra_paths()]\n  defp extra_paths, do: ["tmp/gen"]\n',
    '  def project, do: [app: :app, elixirc_paths: ["lib" | Path.wildcard("tmp/*")]]\n',
    '  def project, do: [app: :app, deps: [{:gen, path: "tmp/gen"}]]\n',
    '  def project, do: [app: :app, elixirc_paths: if(Mix.env() == :test, do: ["lib", "test/support"], '
    'else: ["lib", "tmp/gen"])]\n',
    '  def project, do: [app: :app, elixirc_paths: elixirc_paths(Mix.env())]\n'
    '  defp elixirc_paths(env) do\n    case env do\n      :test -> ["lib", "test/support"]\n'
    '      _ -> ["lib", "tmp/gen"]\n    end\n  end\n',
    '  def project, do: [app: :app, deps: [{:gen, path: Path.expand("tmp/gen", __DIR__)}]]\n',
], ids=["multi-line clause", "sigil w", "attribute", "function", "wildcard", "path dependency", "if", "case",
        "expanded path dependency"])
def test_every_way_mix_exs_names_a_compiled_folder_is_read(tmp_path, mix_project):
    """Audit 7: only a list opened on the elixirc_paths line was read, so compiled code under tmp/ passed the gate."""
    root = tmp_path / "app"
    (root / "tmp/gen").mkdir(parents=True)
    (root / "tmp/gen/x_live.ex").write_text(EVIL)
    (root / "mix.exs").write_text(f"defmodule App.MixProject do\n  use Mix.Project\n{mix_project}end\n")
    assert "tmp/gen/x_live.ex" in {f.path for f in review_project([str(root)]).files}


def test_a_folder_mix_exs_does_not_name_stays_left_out(tmp_path):
    root = tmp_path / "app"
    (root / "tmp/gen").mkdir(parents=True)
    (root / "tmp/gen/x_live.ex").write_text(EVIL)
    (root / "mix.exs").write_text('defmodule App.MixProject do\n  use Mix.Project\n'
                                  '  def project, do: [app: :app, elixirc_paths: ["lib"], deps: [{:jason, "~> 1.4"}]]\nend\n')
    assert "tmp/gen/x_live.ex" not in {f.path for f in review_project([str(root)]).files}


def test_a_mix_exs_names_functions_are_each_read_once_however_often_they_are_mentioned(tmp_path, monkeypatch):
    """audit 12 P4: every elixirc_paths mention searched the whole file once per function it named."""
    from skill_server.review import project

    read = []
    original = project._expression
    monkeypatch.setattr(project, "_expression", lambda source, start, *cut: read.append(start) or original(source, start, *cut))
    mentions = "  elixirc_paths " + " ".join(f"p{i}()" for i in range(50)) + "\n"
    (tmp_path / "mix.exs").write_text("defmodule P.MixProject do\n" + mentions * 200 +
                                      '  defp p7(), do: ["priv/plugins"]\nend\n')
    assert project.compiled_paths(tmp_path) == frozenset({Path("priv/plugins")})
    assert len(read) == 200 + 1  # each mention's expression, and p7's definition once
