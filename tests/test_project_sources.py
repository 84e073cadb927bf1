"""review/project_sources.py reads the user's project as untrusted input: only regular files inside it, bounded,
and cached only until a file changes. These tests build small projects in a temporary folder."""

from __future__ import annotations

import pytest

import os
import time
from pathlib import Path

from skill_server.review.project_sources import covered_by_bundle_guard, function_bodies, published_records

GUARD = "@media (prefers-reduced-motion: reduce) { *, *::before, *::after { animation-duration: .01ms !important; } }\n"
MOVING = ".panel { transition: transform 200ms; transform: translateX(4px); }\n"


def _write(root: Path, files: dict[str, str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mix.exs").write_text("defmodule App.MixProject do\nend\n")
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


def test_a_guard_reached_through_a_symlink_out_of_the_project_does_not_count(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "reset.css").write_text(GUARD)
    project = tmp_path / "app"
    _write(project, {"assets/css/app.css": '@import "./reset.css";\n@import "./panel.css";\n',
                     "assets/css/panel.css": MOVING})
    os.symlink(outside / "reset.css", project / "assets/css/reset.css")
    assert not covered_by_bundle_guard(str(project), str(project / "assets/css/panel.css"))


def test_an_import_cycle_has_no_entry_and_covers_nothing(tmp_path):
    _write(tmp_path, {"assets/css/a.css": '@import "./b.css";\n' + GUARD, "assets/css/b.css": '@import "./a.css";\n' + MOVING})
    assert not covered_by_bundle_guard(str(tmp_path), str(tmp_path / "assets/css/b.css"))


def test_the_answer_follows_an_edited_stylesheet(tmp_path):
    _write(tmp_path, {"assets/css/app.css": '@import "./reset.css";\n@import "./panel.css";\n',
                      "assets/css/reset.css": GUARD, "assets/css/panel.css": MOVING})
    panel = str(tmp_path / "assets/css/panel.css")
    assert covered_by_bundle_guard(str(tmp_path), panel)
    reset = tmp_path / "assets/css/reset.css"
    reset.write_text("html { box-sizing: border-box; }\n")
    later = time.time() + 5
    os.utime(reset, (later, later))
    assert not covered_by_bundle_guard(str(tmp_path), panel)


def test_a_file_outside_the_project_is_never_covered(tmp_path):
    _write(tmp_path / "app", {"assets/css/app.css": GUARD})
    (tmp_path / "elsewhere.css").write_text(MOVING)
    assert not covered_by_bundle_guard(str(tmp_path / "app"), str(tmp_path / "elsewhere.css"))


def test_published_records_and_function_bodies_read_the_projects_modules(tmp_path):
    _write(tmp_path, {
        "lib/app/guide.ex": "defmodule App.Guide do\n  use NimblePublisher,\n    build: App.Guide.Page,\n"
                            "    from: \"priv/guide/*.md\",\n    as: :pages\nend\n",
        "lib/app/stats.ex": "defmodule App.Stats do\n  def refresh(x) do\n    {:ok, _} = App.Repo.update(x)\n  end\nend\n",
    })
    assert {"page", "pages"} <= published_records(str(tmp_path))
    bodies = function_bodies(str(tmp_path), "App.Stats", "refresh")
    assert bodies is not None and "{:ok, _} = App.Repo.update(x)" in bodies[0]
    assert function_bodies(str(tmp_path), "App.Stats", "missing") is None
    assert function_bodies(str(tmp_path), "Other.Stats", "refresh") is None


@pytest.mark.parametrize("decoy", [
    '  @moduledoc "use NimblePublisher, build: Comment, as: :comments"\n',
    '  # use NimblePublisher, build: Comment, as: :comments\n',
    '  @doc """\n  use NimblePublisher, build: Comment, as: :comments\n  """\n  def x, do: 1\n',
    '  def x, do: "use NimblePublisher, build: Comment"\n',
])
def test_publisher_words_outside_a_use_call_build_nothing(tmp_path, decoy):
    _write(tmp_path, {"lib/later.ex": "defmodule Later do\n" + decoy + "end\n"})
    assert published_records(str(tmp_path)) == frozenset()


def test_project_review_gives_rules_the_project_root(tmp_path):
    """Reviewing one stylesheet of a project (as the edit hook does) sees the bundle its entry imports."""
    from skill_server.engine import review_paths

    _write(tmp_path, {"assets/css/app.css": '@import "./reset.css";\n@import "./panel.css";\n',
                      "assets/css/reset.css": GUARD, "assets/css/panel.css": MOVING,
                      "assets/css/lonely.css": MOVING})
    panel = review_paths([str(tmp_path / "assets/css/panel.css")]).files[0].result.findings
    lonely = review_paths([str(tmp_path / "assets/css/lonely.css")]).files[0].result.findings
    assert [f.rule for f in panel] == []
    assert [f.rule for f in lonely] == ["missing_reduced_motion_guard"]


def test_parsed_project_files_are_let_go_when_the_review_ends(tmp_path, monkeypatch):
    """Audit 11 L1: a module-level cache of module readings kept the syntax trees of past reviews alive in a reused
    worker. A project file is parsed once per review however many calls ask about it (audit 10 M12), and nothing
    parsed is held once the review is over."""
    from skill_server.review import project_sources
    from skill_server.review.engine import review_source

    _write(tmp_path, {"lib/app/stats.ex": "defmodule App.Stats do\n  def update_totals(x) do\n    {:ok, _} = App.Repo.update(x)\n"
                                          "  end\n\n  def delete_totals(x) do\n    {:ok, _} = App.Repo.delete(x)\n  end\nend\n"})
    code = ("defmodule AppWeb.StatsLive do\n  use AppWeb, :live_view\n\n"
            "  def handle_event(\"refresh\", _params, socket) do\n    App.Stats.update_totals(socket.assigns.stats)\n"
            "    App.Stats.delete_totals(socket.assigns.stats)\n    App.Stats.update_totals(socket.assigns.other)\n"
            "    {:noreply, socket}\n  end\nend\n")
    (tmp_path / "lib/app_web/stats_live.ex").parent.mkdir(parents=True)
    (tmp_path / "lib/app_web/stats_live.ex").write_text(code)
    project_sources.release_parsed()  # what earlier tests read outside a review
    parsed, held = [], []
    real_parse, real_release = project_sources.parse, project_sources.release_parsed
    monkeypatch.setattr(project_sources, "parse", lambda language, source: parsed.append(source) or real_parse(language, source))
    monkeypatch.setattr(project_sources, "release_parsed",
                        lambda: held.append(len(project_sources._PARSED)) or real_release())
    review_source(code, filename=str(tmp_path / "lib/app_web/stats_live.ex"), project_root=str(tmp_path))
    assert len(parsed) == 1  # read for the review (its three calls), once
    assert held == [1]  # held while the review ran, released when it ended
    assert project_sources._PARSED == {}


def test_parsed_project_files_are_bounded_within_a_review(tmp_path):
    from skill_server.review import project_sources

    files = {f"lib/app/m{n}.ex": f"defmodule App.M{n} do\n  def f(x), do: x\nend\n" for n in range(project_sources.MAX_PARSED + 8)}
    _write(tmp_path, files)
    try:
        for n in range(project_sources.MAX_PARSED + 8):
            assert function_bodies(str(tmp_path), f"App.M{n}", "f") is not None
            assert len(project_sources._PARSED) <= project_sources.MAX_PARSED
    finally:
        project_sources.release_parsed()


def test_parsed_handler_files_are_let_go_when_the_review_ends(tmp_path):
    """The same for the handler files project_handlers parses (their module readings hold their trees)."""
    from skill_server.review import project_handlers
    from skill_server.review.engine import review_source

    _write(tmp_path, {"lib/app_web/live/a_live.ex": "defmodule AppWeb.ALive do\n  use AppWeb, :live_view\n"
                                                     "  def handle_event(\"e\", _p, s), do: {:noreply, s}\nend\n"})
    stamp = os.stat(tmp_path / "lib/app_web/live/a_live.ex")
    project_handlers._literal_clauses(str(tmp_path / "lib/app_web/live/a_live.ex"), stamp.st_size, stamp.st_mtime_ns)
    assert project_handlers._literal_clauses.cache_info().currsize >= 1
    review_source("defmodule X do\nend\n", filename=str(tmp_path / "lib/x.ex"), project_root=str(tmp_path))
    assert project_handlers._literal_clauses.cache_info().currsize == 0
