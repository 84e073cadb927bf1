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
