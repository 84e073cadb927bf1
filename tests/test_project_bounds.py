"""The bounds of the deps docs index (security audit 2, E2): what is read (file size, files and bytes per
package and overall, docs), the work (a worker process under time and memory limits, the caller free
meanwhile) and the cache (size cap, checked before use, large ones read off the caller's path, pruned).
Every deps tree here is a few synthetic files written by the test."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from skill_server import engine
from skill_server.project import background, deps_files, deps_index, deps_worker
from skill_server.project.locate import load_project

WORD = "zanzibarquill"  # in every synthetic doc, in no fixture doc


def write_module(root: Path, package: str, name: str, padding: int = 0) -> Path:
    path = root / "deps" / package / "lib" / f"{name}.ex"
    path.parent.mkdir(parents=True, exist_ok=True)
    module = ".".join(part.capitalize() for part in name.split("/"))
    path.write_text(f'defmodule Synthetic.{module} do\n  @moduledoc "Synthetic {WORD} {name}."\nend\n'
                    + "#" * padding + "\n")
    return path


def built(root: Path):
    engine.search_guidance(WORD, project=root)
    assert background.wait(load_project(root), timeout=60)
    return background.current(load_project(root))


def indexed_paths(index) -> set[str]:
    return {d.path for d in index.docs if WORD in d.text}


# --- what is read -------------------------------------------------------------------------------------------------
def test_a_file_over_the_size_cap_is_skipped_and_the_notes_say_so(lv10_project, monkeypatch):
    write_module(lv10_project, "phoenix_live_view", "small")
    write_module(lv10_project, "phoenix_live_view", "huge", padding=3000)
    monkeypatch.setattr(deps_files, "MAX_SOURCE_BYTES", 2000)
    index, note = built(lv10_project)
    assert indexed_paths(index) == {"phoenix_live_view/lib/small.ex"}
    assert "larger than the 2,000-byte limit for one file" in note and "phoenix_live_view/lib/huge.ex" in note
    result = engine.search_guidance(WORD, project=lv10_project)
    assert any("huge.ex" in n for n in result.notes)


def test_files_and_bytes_past_a_package_cap_are_skipped(lv10_project, monkeypatch):
    for n in range(5):
        write_module(lv10_project, "phoenix", f"extra{n}")
    monkeypatch.setattr(deps_files, "MAX_FILES_PER_PACKAGE", 3)  # lib/*.ex come before lib/phoenix/controller.ex
    index, note = built(lv10_project)
    assert indexed_paths(index) == {"phoenix/lib/extra0.ex", "phoenix/lib/extra1.ex", "phoenix/lib/extra2.ex"}
    assert "3-file / " in note and "limit for one package" in note and "phoenix/lib/extra3.ex" in note
    assert any(d.package == "phoenix_live_view" for d in index.docs)  # another package is not held back
    background.forget()
    monkeypatch.setattr(deps_files, "MAX_FILES_PER_PACKAGE", 500)
    first = lv10_project / "deps/phoenix/lib/extra0.ex"
    monkeypatch.setattr(deps_files, "MAX_PACKAGE_BYTES", first.stat().st_size + 5)
    set_lock_version(lv10_project, "1.0.5")  # a new key, a new build
    index, note = built(lv10_project)
    assert {d.path for d in index.docs if d.package == "phoenix"} == {"phoenix/lib/extra0.ex"}  # the first only
    assert "past the byte limit of its package" in note and "phoenix/lib/extra1.ex" in note


def test_files_and_bytes_past_the_overall_cap_are_skipped(lv10_project, monkeypatch):
    write_module(lv10_project, "phoenix", "zz_last")
    monkeypatch.setattr(deps_files, "MAX_TOTAL_FILES", 2)  # phoenix_live_view is read first (2 files)
    index, note = built(lv10_project)
    assert {d.package for d in index.docs} == {"phoenix_live_view"}
    assert "limit for all deps" in note and "phoenix/lib/phoenix/controller.ex" in note
    background.forget()
    monkeypatch.setattr(deps_files, "MAX_TOTAL_FILES", 1500)
    total = sum(p.stat().st_size for p in (lv10_project / "deps/phoenix_live_view/lib").rglob("*.ex"))
    monkeypatch.setattr(deps_files, "MAX_TOTAL_BYTES", total + 10)
    set_lock_version(lv10_project, "1.0.5")
    index, note = built(lv10_project)
    assert {d.package for d in index.docs} == {"phoenix_live_view"} and "past the byte limit" in note


def test_an_index_with_nothing_in_it_answers_searches(lv10_project, monkeypatch):
    monkeypatch.setattr(deps_files, "MAX_SOURCE_BYTES", 10)  # every file skipped: no docs, no passages
    index, note = built(lv10_project)
    assert index is not None and not index.docs and "limit for one file" in note
    result = engine.search_guidance(WORD, project=lv10_project)
    assert not [h for h in result.hits if h.source == "deps"] and any("limit for one file" in n for n in result.notes)


def test_the_docs_kept_are_capped(lv10_project, monkeypatch):
    monkeypatch.setattr(deps_index, "MAX_DOCS", 3)
    project = load_project(lv10_project)
    plan = background.plan(project)
    index = deps_index.build(plan.key, plan.deps)
    assert len(index.docs) == 3 and any("3-doc limit" in n for n in index.notes)


def set_lock_version(root: Path, version: str) -> None:
    lock = root / "mix.lock"
    lock.write_text(lock.read_text().replace('"1.0.4"', f'"{version}"'))


# --- the work -----------------------------------------------------------------------------------------------------
def test_the_index_is_built_in_another_process(lv10_project, monkeypatch):
    def no_build_here(*args, **kwargs):
        raise AssertionError("the deps index must not be built in the server process")

    write_module(lv10_project, "phoenix_live_view", "elsewhere")
    monkeypatch.setattr(deps_index, "build", no_build_here)
    index, _ = built(lv10_project)
    assert indexed_paths(index) == {"phoenix_live_view/lib/elsewhere.ex"}


def test_a_build_past_its_time_limit_is_killed_and_noted(lv10_project, monkeypatch):
    monkeypatch.setenv("LIVEVIEW_SKILL_DEPS_INDEX_TIMEOUT_S", "0.001")  # less than the worker needs to start
    index, note = built(lv10_project)
    assert index is None and "ran past the 0.001 s limit" in note
    result = engine.search_guidance(WORD, project=lv10_project)
    assert any("not indexed" in n for n in result.notes) and not [h for h in result.hits if h.source == "deps"]


def test_the_worker_caps_its_memory_and_cpu_time():
    import subprocess
    import sys

    probe = ("import resource; from skill_server.project.deps_worker import _limit; _limit(300, 5)\n"
             "print(resource.getrlimit(resource.RLIMIT_CPU)[0])\n"
             "try:\n    block = bytearray(400 * 1024 * 1024)\nexcept MemoryError:\n    print('MemoryError')\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert int(out[0]) <= 6 and out[1] == "MemoryError"


def test_the_caller_is_free_while_the_worker_builds(lv10_project, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real = deps_worker.build_isolated

    def slow(*args):
        started.set()
        release.wait(60)
        return real(*args)

    monkeypatch.setattr(deps_worker, "build_isolated", slow)
    first = engine.search_guidance(WORD, project=lv10_project)
    assert started.wait(30) and any("being indexed" in n for n in first.notes)
    assert any("being indexed" in n for n in engine.search_guidance(WORD, project=lv10_project).notes)
    release.set()
    assert background.wait(load_project(lv10_project), timeout=60)


# --- the cache ----------------------------------------------------------------------------------------------------
def cached_index(root: Path):
    index, _ = built(root)
    return index, deps_index.cache_path(index.key)


def test_an_index_over_the_cache_cap_is_neither_written_nor_used(lv10_project, monkeypatch):
    index, path = cached_index(lv10_project)
    monkeypatch.setattr(deps_index, "MAX_CACHE_BYTES", path.stat().st_size - 1)
    with pytest.raises(deps_index.CacheTooLarge):
        deps_index.to_json(index)
    assert deps_index.read_cache(index.key) is None and not path.exists()  # refused unread, and removed
    path.parent.mkdir(parents=True, exist_ok=True)
    deps_index.write_cache(index)
    assert not path.exists()


@pytest.mark.parametrize("damage", ["truncated", "bad posting", "bad doc", "lengths"])
def test_a_damaged_cache_is_not_used_but_rebuilt(lv10_project, damage):
    index, path = cached_index(lv10_project)
    data = json.loads(path.read_bytes())
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    else:
        if damage == "bad posting":
            next(iter(data["terms"].values()))[1] = 10**6
        elif damage == "bad doc":
            data["docs"][0] = ["x"]
        else:
            data["lengths"] = data["lengths"][:-1]
        path.write_text(json.dumps(data))
    assert deps_index.read_cache(index.key) is None and not path.exists()
    background.forget()
    again, _ = built(lv10_project)
    assert again is not None and path.exists()


def test_a_large_cache_is_read_off_the_callers_path(lv10_project, monkeypatch):
    index, path = cached_index(lv10_project)
    background.forget()
    monkeypatch.setattr(background, "SYNC_LOAD_BYTES", path.stat().st_size - 1)
    release = threading.Event()
    real_read = deps_index.read_cache

    def held_read(key):
        release.wait(60)
        return real_read(key)

    monkeypatch.setattr(deps_index, "read_cache", held_read)
    first = engine.search_guidance(WORD, project=lv10_project)  # would block on held_read if read here
    assert any("being indexed" in n for n in first.notes)
    release.set()
    assert background.wait(load_project(lv10_project), timeout=60)
    assert background.current(load_project(lv10_project))[0] is not None


def test_old_cache_files_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(deps_index, "CACHE_KEEP", 2)
    folder = tmp_path / "cache" / "deps"
    folder.mkdir(parents=True)
    now = time.time()
    for n, age in enumerate((400, 300, 200)):
        (folder / f"old{n}.json").write_text("{}")
        os.utime(folder / f"old{n}.json", (now - age, now - age))
    (folder / "dead.tmp").write_text("x")
    os.utime(folder / "dead.tmp", (now - 2 * deps_index.STALE_TEMP_S, now - 2 * deps_index.STALE_TEMP_S))
    (folder / "live.tmp").write_text("x")
    deps_index.prune(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["live.tmp", "old1.json", "old2.json"]


def test_writing_a_cache_prunes_and_reading_one_marks_it_used(lv10_project, monkeypatch):
    monkeypatch.setattr(deps_index, "CACHE_KEEP", 1)
    index, path = cached_index(lv10_project)
    stale = path.parent / ("0" * 32 + ".json")
    stale.write_text("{}")
    os.utime(path, (time.time() - 100, time.time() - 100))
    os.utime(stale, (time.time() - 50, time.time() - 50))
    assert deps_index.read_cache(index.key) is not None  # now the most recently used
    deps_index.write_cache(index)
    assert path.exists() and not stale.exists()


def test_two_checkouts_with_one_lockfile_never_share_an_index(lv10_project, tmp_path):
    import shutil

    hostile = tmp_path / "fork-checkout"
    shutil.copytree(lv10_project, hostile)
    write_module(hostile, "phoenix_live_view", "linky")
    assert indexed_paths(built(hostile)[0])  # the fork's own docs are indexed for the fork
    background.forget()  # a fresh process: only the on-disk cache is shared

    index, _ = built(lv10_project)

    assert not indexed_paths(index)  # the user's project never gets the fork's docs from the cache


@pytest.mark.parametrize("change", ["edited in place", "added", "removed"])
def test_a_deps_file_changed_in_place_is_indexed_again(lv10_project, change):
    old = write_module(lv10_project, "phoenix_live_view", "secret")
    nested = write_module(lv10_project, "phoenix_live_view", "deep/inner")  # a folder whose time is not lib's
    assert indexed_paths(built(lv10_project)[0]) >= {"phoenix_live_view/lib/secret.ex",
                                                      "phoenix_live_view/lib/deep/inner.ex"}
    background.forget()  # a fresh process: only the on-disk cache is left
    if change == "edited in place":
        times = os.stat(nested)
        nested.write_text(nested.read_text().replace(WORD, "x" * len(WORD)))  # same size, same folder entries
        os.utime(nested, ns=(times.st_atime_ns, times.st_mtime_ns))  # even with its old modification time
    elif change == "added":
        write_module(lv10_project, "phoenix_live_view", "deep/added")
    else:
        nested.unlink()
        old.touch()

    index, _ = built(lv10_project)

    expected = {"phoenix_live_view/lib/secret.ex", "phoenix_live_view/lib/deep/inner.ex",
                "phoenix_live_view/lib/deep/added.ex"}
    expected -= {"edited in place": {"phoenix_live_view/lib/deep/inner.ex", "phoenix_live_view/lib/deep/added.ex"},
                 "added": set(),
                 "removed": {"phoenix_live_view/lib/deep/inner.ex", "phoenix_live_view/lib/deep/added.ex"}}[change]
    assert indexed_paths(index) == expected


def test_a_deps_listing_stops_at_its_entry_cap(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    for n in range(30):
        (lib / f"d{n}").mkdir(parents=True)
        (lib / f"d{n}" / "a.ex").write_text("x")
    assert len(deps_files.listing(lib)) == 30
    monkeypatch.setattr(deps_files, "MAX_LISTED_ENTRIES", 10)
    listed = deps_files.listing(lib)
    assert len(listed) <= 10 and listed[-1][0] == ""  # cut, and marked as cut


def test_one_deps_build_runs_at_a_time_whatever_the_project(lv10_project, tmp_path, monkeypatch):
    import shutil

    other = tmp_path / "other-project"
    shutil.copytree(lv10_project, other)  # another folder: another key, another build
    running, most = [], []
    real = deps_worker.build_isolated

    def observed(*args):
        running.append(args[0])
        most.append(len(running))
        time.sleep(0.5)  # long enough for a second build to start beside it, if it could
        running.remove(args[0])
        return real(*args)

    monkeypatch.setattr(deps_worker, "build_isolated", observed)
    engine.search_guidance(WORD, project=lv10_project)
    engine.search_guidance(WORD, project=other)
    assert background.wait(load_project(lv10_project), 60) and background.wait(load_project(other), 60)
    assert len(most) == 2 and max(most) == 1


def test_a_build_waits_for_another_process_building_the_same_key_and_uses_its_cache(lv10_project, monkeypatch):
    from types import SimpleNamespace

    write_module(lv10_project, "phoenix_live_view", "shared")
    project = load_project(lv10_project)
    key = background.plan(project).key
    waiting = threading.Event()

    def sleep(seconds):
        waiting.set()
        time.sleep(seconds)

    monkeypatch.setattr(deps_index, "time", SimpleNamespace(monotonic=time.monotonic, time=time.time, sleep=sleep))
    with deps_index.build_lock(key, 5):  # another process is building this key
        engine.search_guidance(WORD, project=lv10_project)
        assert waiting.wait(30)  # this process's build waits for the lock
        index, data = deps_worker.build_isolated(key, background.plan(project).deps)
        deps_index.write_cache(index, data)  # the other process's build lands in the cache

        def no_build(*args):
            raise AssertionError("an index another process built must not be built again")

        monkeypatch.setattr(deps_worker, "build_isolated", no_build)
    assert background.wait(project, 60)
    index, _ = background.current(project)
    assert indexed_paths(index) == {"phoenix_live_view/lib/shared.ex"}
