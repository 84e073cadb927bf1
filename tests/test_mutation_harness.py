"""The mutation recall harness (evals/mutations/run.py) on a tiny LiveView written here: edits and their line
map, anchors, case validation, scoring against the real reviewer (a finding the original already had never
counts), and a whole run from a local git repository standing in for a fetched mirror. No network."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("mutation_run", REPO / "evals/mutations/run.py")
run = importlib.util.module_from_spec(SPEC)
sys.modules["mutation_run"] = run
SPEC.loader.exec_module(run)

ORIGINAL = '''defmodule DemoWeb.NoteLive do
  use DemoWeb, :live_view

  @impl true
  def mount(_params, _session, socket) do
    {:ok, assign(socket, notes: Notes.list_notes(socket.assigns.current_user))}
  end

  @impl true
  def handle_event("archive", %{"id" => id}, socket) do
    note = Notes.get_note!(socket.assigns.current_user, id)
    IO.inspect(note, label: "archiving")
    {:ok, _} = Notes.archive_note(note)
    {:noreply, socket}
  end

  @impl true
  def render(assigns) do
    ~H"""
    <ul id="notes">
      <li :for={note <- @notes} id={"note-#{note.id}"}>{note.title}</li>
    </ul>
    """
  end
end
'''
FILE = "lib/demo_web/live/note_live.ex"
KINDS = {"debug_io_inspect": ("debug_io_inspect",), "socket_assigns_mutation": ()}


def case(edits, expect, kind="debug_io_inspect", case_id="t-1"):
    return run.Case(id=case_id, app="acme/demo", file=FILE, kind=kind, edits=tuple(edits),
                    expect_lines=tuple(expect))


def test_replace_and_inserts_keep_a_line_map():
    edits = [run.Edit(line=13, anchor="{:ok, _} = Notes.archive_note", code="    Notes.archive_note(note)\n"),
             run.Edit(line=6, anchor="Notes.list_notes", op="insert_after", code="  # one\n  # two\n"),
             run.Edit(line=20, anchor='<ul id="notes">', op="insert_before", code="    <p>Notes</p>\n")]
    mutated, moved = run.apply_mutation(ORIGINAL, case(edits, [15]))
    lines = mutated.splitlines()
    assert lines[6:8] == ["  # one", "  # two"]
    assert lines[14] == "    Notes.archive_note(note)"
    assert lines[21] == "    <p>Notes</p>" and lines[22] == '    <ul id="notes">'
    assert [moved.moved(n) for n in (5, 7, 13, 14, 20)] == [5, 9, None, 16, 23]
    assert moved.block(13) == range(15, 16) and moved.block(14) == range(0)


def test_deleting_lines_and_checking_anchors():
    mutated, moved = run.apply_mutation(ORIGINAL, case([run.Edit(line=12, anchor="IO.inspect", code="")], [11]))
    assert "IO.inspect" not in mutated and moved.moved(13) == 12 and moved.moved(12) is None
    assert moved.block(12) == range(12, 12)
    with pytest.raises(run.HarnessError, match="does not contain"):
        run.apply_mutation(ORIGINAL, case([run.Edit(line=11, anchor="IO.inspect", code="x\n")], [11]))
    with pytest.raises(run.HarnessError, match="outside"):
        run.apply_mutation(ORIGINAL, case([run.Edit(line=99, anchor="x", code="x\n")], [1]))


def test_a_new_finding_on_an_expected_line_catches_and_an_old_one_does_not(tmp_path):
    def findings(source):
        return run.review(source, FILE, "1.2.10", False, None)

    before = findings(ORIGINAL)
    assert [(f.rule, f.line) for f in before if f.rule == "debug_io_inspect"] == [("debug_io_inspect", 12)]

    injected = case([run.Edit(line=10, anchor='def handle_event("archive"', op="insert_after",
                              code='    IO.inspect(socket.assigns, label: "assigns")\n')], [11])
    mutated, moved = run.apply_mutation(ORIGINAL, injected)
    fresh = run.new_findings(findings(mutated), before, moved)
    caught, near, _ = run.score(injected, KINDS["debug_io_inspect"], fresh)
    assert caught and near == ["debug_io_inspect@11"]

    # The original's own IO.inspect moves to line 13: it is not new, so a case expecting it there is not caught.
    stale = case(injected.edits, [13], case_id="t-2")
    caught, near, elsewhere = run.score(stale, KINDS["debug_io_inspect"], fresh)
    assert not caught and near == [] and elsewhere == ["debug_io_inspect@11"]

    # Rewriting the line that holds the original's IO.inspect keeps that finding: it is carried, not new.
    rewritten = case([run.Edit(line=12, anchor="IO.inspect",
                               code='    note |> IO.inspect(label: "archiving note")\n')], [12], case_id="t-3")
    mutated, moved = run.apply_mutation(ORIGINAL, rewritten)
    assert not run.score(rewritten, KINDS["debug_io_inspect"],
                         run.new_findings(findings(mutated), before, moved))[0]

    # A kind with no accepted rule is never caught, whatever fires near it.
    caught, near, _ = run.score(case(injected.edits, [11], kind="socket_assigns_mutation"), (), fresh)
    assert not caught and near == ["debug_io_inspect@11"]


def test_set_files_are_validated(tmp_path):
    apps = {"acme/demo": run.App("acme/demo", "a" * 40, "1.2.10")}
    bad = tmp_path / "set.toml"
    bad.write_text('[[case]]\nid = "x"\napp = "acme/demo"\nfile = "a.ex"\nkind = "nope"\nline = 1\n'
                   'anchor = "a"\ncode = "b"\nexpect_lines = [1]\n', encoding="utf-8")
    with pytest.raises(run.HarnessError, match="kind nope"):
        run.load_cases(bad, apps, KINDS)
    overlap = tmp_path / "overlap.toml"
    overlap.write_text('[[case]]\nid = "x"\napp = "acme/demo"\nfile = "a.ex"\nkind = "debug_io_inspect"\n'
                       'expect_lines = [1]\n[[case.edit]]\nline = 2\nend_line = 4\nanchor = "a"\ncode = ""\n'
                       '[[case.edit]]\nline = 3\nanchor = "b"\nop = "insert_after"\ncode = "c"\n', encoding="utf-8")
    with pytest.raises(run.HarnessError, match="overlap"):
        run.load_cases(overlap, apps, KINDS)


def test_a_missing_mirror_is_a_clear_error(tmp_path):
    with pytest.raises(run.HarnessError, match="fetch github:acme/demo"):
        run.mirror_dir("acme/demo", tmp_path)


def test_a_whole_run_from_a_local_mirror(tmp_path):
    work = tmp_path / "src"
    (work / "lib/demo_web/live").mkdir(parents=True)
    (work / FILE).write_text(ORIGINAL, encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "demo"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    mirrors = tmp_path / "mirrors"
    (mirrors / "acme+demo").mkdir(parents=True)
    (mirrors / "acme+demo/repo").symlink_to(work / ".git")

    apps = {"acme/demo": run.App("acme/demo", commit, "1.2.10")}
    cases = [case([run.Edit(line=10, anchor='def handle_event("archive"', op="insert_after",
                            code="    IO.inspect(id)\n")], [11]),
             case([run.Edit(line=14, anchor="{:noreply, socket}",
                            code="    {:noreply, %{socket | assigns: Map.put(socket.assigns, :last, id)}}\n")],
                  [14], kind="socket_assigns_mutation", case_id="t-2")]
    outcomes, sources = run.run(cases, apps, KINDS, mirrors, tmp_path / "export")
    assert (tmp_path / "export/acme+demo" / FILE).read_text(encoding="utf-8") == ORIGINAL
    assert [o.caught["default"] for o in outcomes] == [True, False]
    report = run.summarize(outcomes, sources)
    assert report["caught"] == {"default": 1, "strict": 1}
    assert report["per_kind"]["socket_assigns_mutation"]["accepted"] == []
    assert report["originals"]["files"] == 1 and report["originals"]["default_findings"] >= 1
    assert "t-2 (socket_assigns_mutation" in run.markdown(report, cases, "demo")
    assert "overall: 2 cases from 1 apps" in run.table(report)
