"""registered_hook_names: the hook names a project's LiveSocket registers, read from its JavaScript, or None when the
files do not show them all (then hook_not_registered says nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_server.review.registered_hooks import registered_hook_names


def project(tmp_path: Path, files: dict[str, str]) -> str:
    for relative, source in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return str(tmp_path)


SOCKET = 'import {LiveSocket} from "phoenix_live_view"\n'


@pytest.mark.parametrize(("files", "names"), [
    ({"assets/js/app.js": SOCKET + 'let liveSocket = new LiveSocket("/live", Socket, {params: {}})\n'}, set()),
    ({"assets/js/app.js": SOCKET + 'import {Hooks} from "./hooks"\nnew LiveSocket("/live", Socket, {hooks: Hooks})\n',
      "assets/js/hooks.js": "const A = {}\nexport const Hooks = {A, B: A}\n"}, {"A", "B"}),
    ({"assets/js/app.js": SOCKET + 'import * as Hooks from "./hooks"\nnew LiveSocket("/live", Socket, {hooks: Hooks})\n',
      "assets/js/hooks.js": "export const Chart = {}\nexport function Map() {}\nconst x = 1\nexport {x as Scroll}\n"},
     {"Chart", "Map", "Scroll"}),
    ({"assets/js/app.js": SOCKET + 'import hooks from "./hooks"\nlet Hooks = hooks\nHooks["Extra"] = {}\n'
                                   'const opts = {hooks: Hooks}\nnew LiveSocket("/live", Socket, opts)\n',
      "assets/js/hooks/index.js": "const Hooks = {One: {}}\nexport default Hooks\n"}, {"One", "Extra"}),
])
def test_the_names_are_read_through_declarations_and_relative_imports(tmp_path, files, names):
    assert registered_hook_names(project(tmp_path, files)) == names


@pytest.mark.parametrize("files", [
    {},  # no LiveSocket at all
    {"assets/js/app.js": SOCKET + 'import Hooks from "some-package"\nnew LiveSocket("/live", Socket, {hooks: Hooks})\n'},
    {"assets/js/app.js": SOCKET + 'new LiveSocket("/live", Socket, {hooks: {...getHooks(C)}})\n'},
    {"assets/js/app.js": SOCKET + 'const k = "A"\nnew LiveSocket("/live", Socket, {hooks: {[k]: {}}})\n'},
    {"assets/js/app.js": SOCKET + 'let s = new LiveSocket("/live", Socket, {hooks: {}})\nliveSocket.hooks.Late = {}\n'},
    {"assets/js/app.js": SOCKET + 'export default (hooks) => new LiveSocket("/live", Socket, {hooks: hooks})\n'},
    {"assets/js/app.js": SOCKET + 'import H from "../../outside"\nnew LiveSocket("/live", Socket, {hooks: H})\n'},
])
def test_what_the_files_do_not_show_is_unknown(tmp_path, files):
    assert registered_hook_names(project(tmp_path, files)) is None


def test_no_project_is_unknown():
    assert registered_hook_names(None) is None


def test_an_import_cycle_and_a_flood_of_spreads_end_as_unknown_or_read_once(tmp_path):
    # audit 10 M6/M7: a re-export cycle was followed ~1,000 levels, re-parsing each file; repeated spreads re-read
    # the file per spread. Both are bounded now: the cycle is unknown, the repeated spread is read once.
    cycle = project(tmp_path / "cycle", {
        "assets/js/app.js": SOCKET + 'import Hooks from "./a"\nnew LiveSocket("/live", Socket, {hooks: Hooks})\n',
        "assets/js/a.js": 'import Hooks from "./b"\nexport default Hooks\n',
        "assets/js/b.js": 'import Hooks from "./a"\nexport default Hooks\n'})
    assert registered_hook_names(cycle) is None
    spreads = project(tmp_path / "spreads", {
        "assets/js/app.js": SOCKET + "const H = {A: {}}\nnew LiveSocket(\"/live\", Socket, {hooks: {" + "...H, " * 5000
        + "B: {}}})\n"})
    assert registered_hook_names(spreads) == {"A", "B"}


def _fan_out(tmp_path: Path, width: int, levels: int) -> str:
    """Every hooks file of a level spreads every file of the next (a diamond `width` wide, `levels` deep): read
    naively, width ** levels lookups."""
    files = {"assets/js/app.js": SOCKET + "".join(f'import L0_{i} from "./h/l0_{i}"\n' for i in range(width))
             + 'new LiveSocket("/live", Socket, {hooks: {' + ", ".join(f"...L0_{i}" for i in range(width)) + "}})\n"}
    for level in range(levels):
        for i in range(width):
            if level == levels - 1:
                body = f"export default {{Leaf{i}: {{}}}}\n"
            else:
                body = "".join(f'import L{level + 1}_{j} from "./l{level + 1}_{j}"\n' for j in range(width)) \
                    + "export default {" + ", ".join(f"...L{level + 1}_{j}" for j in range(width)) + f", Mid{level}_{i}: {{}}}}\n"
            files[f"assets/js/h/l{level}_{i}.js"] = body
    return project(tmp_path, files)


def _counting_walks(monkeypatch):
    from skill_server.review import registered_hooks

    walks, parsed = [], []
    real_parse = registered_hooks.parse

    class CountingWalk(registered_hooks._Walk):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            walks.append(self)

    monkeypatch.setattr(registered_hooks, "_Walk", CountingWalk)
    monkeypatch.setattr(registered_hooks, "parse", lambda language, source: parsed.append(1) or real_parse(language, source))
    return walks, parsed


def test_a_fan_out_of_spreads_and_imports_spends_one_bounded_budget(tmp_path, monkeypatch):
    # audit 11 M6: 16 spreads per object times 4 levels of imports was 16^4 lookups, each reading a file.
    from skill_server.review.registered_hooks import MAX_LOOKUPS

    walks, parsed = _counting_walks(monkeypatch)
    assert registered_hook_names(_fan_out(tmp_path, 16, 4)) is None  # the budget ran out: unknown, nothing judged
    assert len(walks) == 1
    assert walks[0].lookups <= MAX_LOOKUPS + 1
    assert len(parsed) <= MAX_LOOKUPS + 1  # the entry and each file read, once


def test_a_diamond_within_the_budget_is_read_whole_each_file_once(tmp_path, monkeypatch):
    walks, parsed = _counting_walks(monkeypatch)
    names = registered_hook_names(_fan_out(tmp_path, 6, 2))  # naively 6 + 36 lookups and file reads
    assert names == {f"Leaf{i}" for i in range(6)} | {f"Mid0_{i}" for i in range(6)}
    assert len(parsed) == 1 + 6 * 2  # the entry and each of the twelve hooks files, once
    assert walks[0].lookups == 6 + 6 * 6 + 6 * 2  # each import name of each file, and each file read, once
