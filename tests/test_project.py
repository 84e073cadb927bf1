"""Project awareness in the engine and the CLI: the project's LiveView version (mix.lock at its root only,
git and path deps, umbrellas), where a version came from, the docs of its installed deps (read with
tree-sitter, indexed in the background, cached by lockfile), and files that must not be read."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from skill_server import engine
from skill_server.cli import main
from skill_server.errors import InputError
from skill_server.models import ProjectReview, ReviewResult, SearchResult
from skill_server.project import background, deps_files, deps_index
from skill_server.project.answers import NO_PROJECT
from skill_server.project.elixir_docs import file_docs
from skill_server.project.locate import find_root, load_project, root_from_roots

LEDGER = "marmalade ledger"  # a phrase only the fixture's deps/phoenix_live_view docs contain
LOCK_LINE = '  "phoenix_live_view": {:hex, :phoenix_live_view, "%s", "0", [:mix], [], "hexpm", "0"},\n'
GIT_LOCK = ('%{\n  "phoenix_live_view": {:git, "https://github.com/phoenixframework/phoenix_live_view.git", '
            '"02bc543", []},\n}\n')


def ready(root: Path) -> bool:
    """Starts the project's deps index if needed and waits for it (an event, not a timing)."""
    return background.wait(load_project(root), timeout=60)


def deps_hits(result: SearchResult):
    return [h for h in result.hits if h.source == "deps"]


@pytest.fixture
def held_build(monkeypatch):
    """Deps index builds wait for the returned event: a test sees the index being built, deterministically."""
    release = threading.Event()
    real_build = deps_index.build

    def build(*args):
        release.wait(60)
        return real_build(*args)

    monkeypatch.setattr(deps_index, "build", build)
    yield release
    release.set()


def set_liveview_lock(root: Path, version: str) -> None:
    (root / "mix.lock").write_text("%{\n" + LOCK_LINE % version + "}\n")


# --- the version and where it came from ----------------------------------------------------------------------
def test_the_fixture_project_gets_answers_for_its_locked_version(lv10_project):
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert result.liveview_version == "1.0.4" and result.version_source == "project"
    assert any(str(lv10_project / "mix.lock") in note for note in result.notes)
    for answer in (engine.recommend_patterns("delete a row with a fade out", project=lv10_project),
                   engine.generate_snippet("delete_with_transition", {"resource": "book"}, project=lv10_project),
                   engine.review_code("<div phx-click=\"x\">x</div>", filename="a.html.heex", project=lv10_project)):
        assert answer.liveview_version.startswith("1.0") and answer.version_source == "project"


def test_a_project_answers_the_version_question_of_clarify(lv10_project):
    request = "load the feed with stream_async"
    asked = engine.clarify_request(request)
    known = engine.clarify_request(request, project=lv10_project)
    assert "liveview_version" in asked.missing and "liveview_version" not in known.missing


def test_lookup_api_answers_for_the_project(lv10_project):
    result = engine.lookup_api(["stream_insert"], project=lv10_project)
    assert result.liveview_version == "1.0.4" and result.version_source == "project"
    assert any(str(lv10_project / "mix.lock") in note for note in result.notes)
    assert engine.lookup_api(["stream_insert"], liveview_version="1.2", project=lv10_project).version_source == "argument"


def test_an_explicit_version_always_wins_and_says_the_project_differs(lv10_project):
    result = engine.search_guidance("stream limit", liveview_version="1.2", project=lv10_project)
    assert result.liveview_version == "1.2" and result.version_source == "argument"
    assert any("locks 1.0.4" in note for note in result.notes)


def test_without_a_project_answers_are_as_before_with_a_note():
    from skill_server.knowledge.search import search

    result = engine.search_guidance("stream limit")
    assert result.version_source == "default" and result.notes[0] == NO_PROJECT
    assert result.hits == search("stream limit").hits


def test_a_folder_that_is_no_mix_project_says_so(tmp_path):
    result = engine.search_guidance("stream limit", project=tmp_path)
    assert result.version_source == "default" and any("No Mix project" in note for note in result.notes)
    with pytest.raises(InputError, match="does not exist"):
        engine.search_guidance("stream limit", project=tmp_path / "missing")


@pytest.mark.parametrize("make_unreadable", ["directory", "symlink"])
def test_an_unreadable_lockfile_answers_as_before_and_says_why(lv10_project, tmp_path, make_unreadable):
    lock = lv10_project / "mix.lock"
    outside = tmp_path / "elsewhere.lock"
    outside.write_text(lock.read_text())
    lock.unlink()
    if make_unreadable == "directory":
        lock.mkdir()
    else:
        lock.symlink_to(outside)
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert result.version_source == "default" and result.liveview_version == "1.2"
    assert any("unreadable" in note for note in result.notes)
    assert any("Without a readable mix.lock" in note for note in result.notes) and not deps_hits(result)


def test_a_git_dependency_uses_the_mix_exs_requirement_and_says_so(lv10_project):
    (lv10_project / "mix.lock").write_text(GIT_LOCK)
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert result.version_source == "project" and result.liveview_version == "1.0.0"
    assert any("git dependency" in note and "requirement" in note for note in result.notes)
    (lv10_project / "mix.exs").write_text('defmodule Shelf.MixProject do\n  defp deps, do: [{:phoenix_live_view, '
                                          'github: "phoenixframework/phoenix_live_view"}]\nend\n')
    bare = engine.search_guidance("stream limit", project=lv10_project)
    assert bare.version_source == "default" and any("git dependency" in note for note in bare.notes)


def test_a_path_dependency_without_a_requirement_says_so(lv10_project):
    (lv10_project / "mix.lock").write_text("%{}\n")
    (lv10_project / "mix.exs").write_text("defmodule Shelf.MixProject do\n  defp deps, do: [{:phoenix_live_view, "
                                          'path: "../phoenix_live_view"}]\nend\n')
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert result.version_source == "default" and any("path dependency" in note for note in result.notes)


def test_a_version_older_than_the_knowledge_is_answered_as_the_oldest_covered(lv10_project):
    set_liveview_lock(lv10_project, "0.18.18")
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert result.version_source == "project" and result.liveview_version == "0.20"
    assert any("older than this knowledge covers" in note for note in result.notes)


def test_an_ancestor_mix_lock_is_never_adopted(tmp_path):
    (tmp_path / "mix.lock").write_text("%{\n" + LOCK_LINE % "0.18.0" + "}\n")
    project = tmp_path / "app" / "proj"
    (project / "lib").mkdir(parents=True)
    (project / "mix.exs").write_text("defmodule Proj.MixProject do\nend\n")
    (project / "lib" / "a.ex").write_text("defmodule A do\nend\n")
    assert find_root(project / "lib") == project.resolve()
    result = engine.search_guidance("stream limit", project=project / "lib")
    assert result.version_source == "default" and any("has no mix.lock" in note for note in result.notes)
    (project / "mix.exs").unlink()  # no Mix project at all: the review reads the reviewed folder only
    review = engine.review_paths([str(project)])
    assert review.version_source == "default" and review.liveview_version == "1.2"


def test_an_umbrella_app_answers_for_the_umbrella(tmp_path):
    umbrella = tmp_path / "shop_umbrella"
    app = umbrella / "apps" / "shop_web"
    (app / "lib").mkdir(parents=True)
    (umbrella / "mix.exs").write_text('defmodule Shop.Umbrella.MixProject do\n  def project, do: [apps_path: "apps"]\n'
                                      "end\n")
    (umbrella / "mix.lock").write_text("%{\n" + LOCK_LINE % "1.1.8" + "}\n")
    (app / "mix.exs").write_text('defmodule ShopWeb.MixProject do\n  def project, do: [app: :shop_web, lockfile: '
                                 '"../../mix.lock"]\nend\n')
    assert find_root(app / "lib") == umbrella.resolve()
    assert root_from_roots([app.resolve().as_uri()]) == umbrella.resolve()
    result = engine.search_guidance("stream limit", project=app / "lib")
    assert result.liveview_version == "1.1.8" and result.version_source == "project"


def test_roots_without_a_mix_exs_or_not_files_name_no_project(tmp_path, lv10_project):
    assert root_from_roots(["https://example.com/x", tmp_path.as_uri()]) is None
    assert root_from_roots([tmp_path.as_uri(), lv10_project.as_uri()]) == lv10_project.resolve()


# --- the deps docs ---------------------------------------------------------------------------------------------
def test_deps_hits_follow_the_curated_ones_once_the_index_is_built(lv10_project):
    curated = engine.search_guidance(f"stream {LEDGER}", liveview_version="1.0.4").hits
    assert ready(lv10_project)
    result = engine.search_guidance(f"stream {LEDGER}", project=lv10_project)
    sources = [h.source for h in result.hits]
    assert "deps" in sources and sources == sorted(sources, key=lambda s: s != "guidance")
    top = deps_hits(result)[0]
    assert (top.package, top.package_version, top.symbol) == ("phoenix_live_view", "1.0.4", "Phoenix.LiveView.stream/4")
    assert top.uri == "liveview://deps/phoenix_live_view/Phoenix.LiveView" and LEDGER in top.text
    assert not any("being indexed" in note for note in result.notes)
    assert curated == [h for h in result.hits if h.source == "guidance"]
    other_version = deps_hits(engine.search_guidance(f"stream {LEDGER}", liveview_version="1.2", project=lv10_project))
    assert "as installed" in other_version[0].version_note and top.version_note is None
    phoenix = deps_hits(engine.search_guidance("rhubarb path redirect", project=lv10_project))
    assert phoenix and phoenix[0].package == "phoenix" and phoenix[0].package_version == "1.7.14"


def test_the_first_call_answers_while_the_index_builds(lv10_project, held_build):
    first = engine.search_guidance(f"stream {LEDGER}", project=lv10_project)  # returns while the build is held
    assert not deps_hits(first) and first.hits
    assert any("being indexed in the background" in note for note in first.notes)
    assert not deps_hits(engine.search_guidance(f"stream {LEDGER}", project=lv10_project))
    held_build.set()
    assert ready(lv10_project)
    assert deps_hits(engine.search_guidance(f"stream {LEDGER}", project=lv10_project))


def test_the_index_is_cached_per_lockfile_and_reloaded_without_building(lv10_project, monkeypatch, tmp_path):
    engine.search_guidance(LEDGER, project=lv10_project)
    assert ready(lv10_project)
    cached = list((tmp_path / "cache" / "deps").glob("*.json"))
    assert len(cached) == 1
    background.forget()  # a new process: nothing in memory, the cache on disk

    def no_build(*args):
        raise AssertionError("a cached index must not be rebuilt")

    monkeypatch.setattr(deps_index, "build", no_build)
    again = engine.search_guidance(LEDGER, project=lv10_project)
    assert deps_hits(again) and not any("being indexed" in note for note in again.notes)
    monkeypatch.undo()
    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(tmp_path / "cache"))
    set_liveview_lock(lv10_project, "1.0.5")  # another lockfile: another key
    engine.search_guidance(LEDGER, project=lv10_project)
    assert ready(lv10_project) and len(list((tmp_path / "cache" / "deps").glob("*.json"))) == 2


def test_preload_keeps_the_first_call_off_the_cache_read_and_the_build(lv10_project, held_build, monkeypatch):
    thread = background.preload(load_project(lv10_project))  # no cache yet: it builds (held here)
    first = engine.search_guidance(LEDGER, project=lv10_project)
    assert not deps_hits(first) and any("being indexed" in note for note in first.notes)
    held_build.set()
    thread.join(60)
    assert deps_hits(engine.search_guidance(LEDGER, project=lv10_project))
    background.forget()  # a new server, the cache on disk: the read happens in the preload thread too
    release = threading.Event()
    real_read = deps_index.read_cache

    def held_read(key):
        release.wait(60)
        return real_read(key)

    def no_build(*args):
        raise AssertionError("a cached index must not be rebuilt")

    monkeypatch.setattr(deps_index, "read_cache", held_read)
    monkeypatch.setattr(deps_index, "build", no_build)
    thread = background.preload(load_project(lv10_project))
    assert not deps_hits(engine.search_guidance(LEDGER, project=lv10_project))
    release.set()
    thread.join(60)
    assert deps_hits(engine.search_guidance(LEDGER, project=lv10_project))
    assert background.preload(load_project(lv10_project)) is None  # already there


def test_deps_scores_equal_bm25_okapi():
    from rank_bm25 import BM25Okapi

    corpus = [["stream", "limit", "client"], ["stream", "stream", "insert"], ["upload", "entries"], ["limit"]]
    ours = deps_index.bm25_statistics(corpus)
    for query in (["stream"], ["limit", "client", "stream"], ["upload", "nothing"], ["stream", "stream"]):
        assert ours.scores(query) == pytest.approx(list(BM25Okapi(corpus, k1=1.5, b=0.75).get_scores(query)))


def test_a_cache_folder_that_cannot_be_written_is_not_an_error(lv10_project, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(blocker))
    engine.search_guidance(LEDGER, project=lv10_project)
    assert ready(lv10_project)
    assert deps_hits(engine.search_guidance(LEDGER, project=lv10_project))


def test_a_project_without_deps_says_so(lv10_project):
    import shutil

    shutil.rmtree(lv10_project / "deps")
    result = engine.search_guidance(LEDGER, project=lv10_project)
    assert result.version_source == "project" and not deps_hits(result)
    assert any("mix deps.get" in note for note in result.notes)


def test_symlinks_out_of_the_project_and_oversized_files_are_not_read(lv10_project, tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    (outside / "lib").mkdir(parents=True)
    planted = '@doc "Planted doc: quince smuggler."\ndef planted, do: 1\n'
    (outside / "lib" / "planted.ex").write_text(f"defmodule Planted do\n{planted}end\n")
    (lv10_project / "deps/phoenix_live_view/lib/planted.ex").symlink_to(outside / "lib" / "planted.ex")
    (lv10_project / "deps/phoenix_live_view/lib/linked_dir").symlink_to(outside / "lib")
    (lv10_project / "deps/phoenix_ecto").symlink_to(outside)
    big = lv10_project / "deps/phoenix_live_view/lib/big.ex"
    big.write_text("defmodule Big do\n  @moduledoc \"Oversized: quince giant.\"\nend\n" + "#" * 2000 + "\n")
    monkeypatch.setattr(deps_files, "MAX_SOURCE_BYTES", 1500)
    engine.search_guidance("quince", project=lv10_project)
    assert ready(lv10_project)
    result = engine.search_guidance("quince smuggler giant", project=lv10_project)
    assert not deps_hits(result)
    index, _ = background.current(load_project(lv10_project))
    assert set(index.packages) == {"phoenix_live_view", "phoenix"}
    assert {d.path for d in index.docs} == {"phoenix_live_view/lib/phoenix_live_view.ex",
                                            "phoenix_live_view/lib/phoenix_live_view/js.ex",
                                            "phoenix/lib/phoenix/controller.ex"}


def test_docs_are_read_as_elixir_declares_them():
    source = (Path(__file__).parent / "data/project_lv10/deps/phoenix_live_view/lib/phoenix_live_view.ex").read_bytes()
    docs = {d.symbol: d for d in file_docs(source)}
    assert set(docs) == {"Phoenix.LiveView", "Phoenix.LiveView.mount/3", "Phoenix.LiveView.stream/4",
                         "Phoenix.LiveView.stream_insert/4", "Phoenix.LiveView.sigil_fixture/2"}
    assert docs["Phoenix.LiveView.mount/3"].kind == "callback"
    assert docs["Phoenix.LiveView.sigil_fixture/2"].kind == "macro"
    assert docs["Phoenix.LiveView.sigil_fixture/2"].text.startswith("Fixture doc written as a ~S sigil: #{not_")
    stream = docs["Phoenix.LiveView.stream/4"].text  # `@doc since:` after the text does not replace it
    assert stream.startswith("Fixture doc for stream/4") and "\n    stream(socket, :books" in stream
    nested = file_docs(b'defmodule A do\n  defmodule B do\n    @moduledoc "b"\n  end\n  @doc "x\\ty \\"q\\""\n'
                       b"  def f, do: 1\n  @doc \"lost\"\n  defp g, do: 2\n  def h, do: 3\n  @doc \"also lost\"\n"
                       b"  if true do\n    def i, do: 4\n  end\n  def j, do: 5\nend\n")
    assert [(d.symbol, d.text) for d in nested] == [("A.B", "b"), ("A.f/0", 'x\ty "q"')]


# --- the deps resource and the lookup for other tools --------------------------------------------------------------
def test_a_module_resource_serves_its_installed_docs(lv10_project, held_build):
    with pytest.raises(InputError, match="being indexed"):
        engine.deps_module_doc("phoenix_live_view", "Phoenix.LiveView", project=lv10_project)
    held_build.set()
    assert ready(lv10_project)
    text = engine.deps_module_doc("phoenix_live_view", "Phoenix.LiveView", project=lv10_project)
    assert text.startswith("# Phoenix.LiveView") and "phoenix_live_view 1.0.4" in text
    assert "periwinkle" in text and "### `Phoenix.LiveView.stream/4`" in text and LEDGER in text
    assert "hidden_helper" not in text and "zucchini" not in text
    for package, module, expect in [("no_such_pkg", "Phoenix.LiveView", "unknown package"),
                                    ("phoenix_live_view", "Phoenix.LiveViw", "did you mean Phoenix.LiveView"),
                                    ("phoenix_live_view", "../../etc/passwd", "not a module name"),
                                    ("phoenix_html", "Phoenix.HTML", "not installed")]:
        with pytest.raises(InputError, match=expect):
            engine.deps_module_doc(package, module, project=lv10_project)


def test_deps_doc_for_finds_a_function_every_arity_or_a_module_without_waiting(lv10_project, held_build):
    waiting = engine.deps_doc_for(lv10_project, "Phoenix.LiveView.stream/4")
    assert waiting.docs == [] and any("being indexed" in note for note in waiting.notes)
    held_build.set()
    assert ready(lv10_project)
    exact = engine.deps_doc_for(lv10_project, "Phoenix.LiveView.stream/4")
    assert [d.symbol for d in exact.docs] == ["Phoenix.LiveView.stream/4"] and LEDGER in exact.docs[0].text
    assert exact.docs[0].package_version == "1.0.4"
    assert [d.symbol for d in engine.deps_doc_for(lv10_project, "Phoenix.LiveView.stream").docs] == [
        "Phoenix.LiveView.stream/4"]
    assert engine.deps_doc_for(lv10_project, "Phoenix.LiveView.JS").docs[0].kind == "module"
    missing = engine.deps_doc_for(lv10_project, "Phoenix.LiveView.stream/9")
    assert missing.docs == [] and missing.notes
    assert engine.deps_doc_for(None, "Phoenix.LiveView").notes
    with pytest.raises(InputError):
        engine.deps_doc_for(lv10_project, "../x")


def test_lookup_api_links_the_installed_doc_once_the_index_is_ready(lv10_project, held_build):
    waiting = engine.lookup_api(["stream", "stream_insert update_only"], project=lv10_project)
    assert waiting.version_source == "project" and all(f.installed_doc is None for f in waiting.results)
    assert any("being indexed" in note for note in waiting.notes)
    held_build.set()
    assert ready(lv10_project)
    facts = engine.lookup_api(["stream", "stream_insert update_only", "Phoenix.LiveView", "phx-click"],
                              project=lv10_project).results
    stream, option, module, binding = facts
    assert stream.installed_doc == "liveview://deps/phoenix_live_view/Phoenix.LiveView"
    assert any("Phoenix.LiveView.stream/4 in phoenix_live_view 1.0.4" in note for note in stream.notes)
    assert option.installed_doc == stream.installed_doc  # the option's function is documented there
    assert module.installed_doc == stream.installed_doc
    assert binding.installed_doc is None  # bindings have no Elixir doc
    assert engine.lookup_api(["stream"]).results[0].installed_doc is None  # no project, no installed doc


def test_project_info_names_the_app_web_module_and_contexts(lv10_project):
    info = engine.project_info(lv10_project / "lib")
    assert (info.app, info.module, info.web_module) == ("shelf", "Shelf", "ShelfWeb")
    assert info.contexts == ("Shelf.Catalog",)  # Shelf.Repo is plumbing, not a context
    assert engine.project_info(None) is None


def test_hostile_mix_exs_and_context_files_still_give_the_answer(lv10_project):
    """Project files are untrusted: 20,000 unclosed `{:phoenix_live_view,` before the real dependency, and a
    context module after 200,000 blank lines, are read in one pass each (their regexes are bounded)."""
    (lv10_project / "mix.lock").write_text("%{}\n")
    (lv10_project / "mix.exs").write_text("defmodule Shelf.MixProject do\n  def project, do: [app: :shelf]\n  # "
                                          + "{:phoenix_live_view, " * 20_000
                                          + '\n  defp deps, do: [{:phoenix_live_view, path: "../lv"}]\nend\n')
    result = engine.search_guidance("stream limit", project=lv10_project)
    assert any("path dependency" in note for note in result.notes)
    (lv10_project / "lib/shelf/notes.ex").write_text("\n" * 200_000 + "defmodule Shelf.Notes do\nend\n")
    assert "Shelf.Notes" in engine.project_info(lv10_project).contexts


# --- the CLI: --project and the working directory ----------------------------------------------------------------
def test_cli_project_flag_and_working_directory(lv10_project, monkeypatch, capsys, tmp_path):
    assert main(["search", "--json", "--project", str(lv10_project), LEDGER]) == 0
    flagged = SearchResult.model_validate_json(capsys.readouterr().out)
    assert flagged.version_source == "project" and flagged.liveview_version == "1.0.4"
    assert ready(lv10_project)
    monkeypatch.chdir(lv10_project / "lib" / "shelf")
    assert main(["search", "--json", LEDGER]) == 0
    from_cwd = SearchResult.model_validate_json(capsys.readouterr().out)
    assert from_cwd.version_source == "project" and deps_hits(from_cwd)
    assert main(["ask", f"how do I limit a stream {LEDGER}"]) == 0
    asked = capsys.readouterr().out
    assert "LiveView 1.0.4 (from the project)" in asked and "Fixture doc for stream/4" in asked
    assert main(["api", "--json", "stream_insert"]) == 0
    assert json.loads(capsys.readouterr().out)["version_source"] == "project"
    assert main(["clarify", "--json", "load the feed with stream_async"]) == 0
    assert "liveview_version" not in json.loads(capsys.readouterr().out)["missing"]
    assert main(["review", "--format", "json", "--fail-on", "never", "lib"]) == 2  # relative to lib/shelf: absent
    capsys.readouterr()
    assert main(["review", "--format", "json", "--fail-on", "never", "."]) == 0
    review = ProjectReview.model_validate_json(capsys.readouterr().out)
    assert review.version_source == "project" and review.liveview_version.startswith("1.0")
    monkeypatch.chdir(tmp_path)
    assert main(["search", "--json", LEDGER]) == 0
    assert SearchResult.model_validate_json(capsys.readouterr().out).version_source == "default"


def test_cli_review_stdin_uses_the_project(lv10_project, monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'<div phx-click="x">x</div>\n')))
    assert main(["review", "-", "--stdin-filename", "a.html.heex", "--format", "json", "--fail-on", "never",
                 "--project", str(lv10_project)]) == 0
    review = ProjectReview.model_validate_json(capsys.readouterr().out)
    assert review.version_source == "project"
    assert ReviewResult.model_validate(review.files[0].result.model_dump()).version_source == "project"


def test_a_review_outside_the_named_project_reads_its_own_folder(lv10_project, tmp_path):
    other = tmp_path / "other"
    (other / "lib").mkdir(parents=True)
    (other / "lib" / "a.ex").write_text("defmodule A do\nend\n")
    set_liveview_lock(other, "1.1.2")
    review = engine.review_paths([str(other)], project=lv10_project)
    assert review.liveview_version.startswith("1.1") and review.version_source == "project"
    assert any(str(other / "mix.lock") in note for note in review.notes)
    inside = engine.review_paths([str(lv10_project / "lib")], project=lv10_project)
    assert inside.liveview_version.startswith("1.0") and os.fspath(lv10_project / "mix.lock") in " ".join(inside.notes)
