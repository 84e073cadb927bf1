"""Every knowledge and reference document keeps the format search relies on, and every LiveView API name
it uses exists in the manifest for the versions its section claims."""

from __future__ import annotations

import re

import pytest

from skill_server.api_facts import check_api_names, check_call_details, check_prose_names
from skill_server.knowledge.corpus import chunk_document, default_roots, document_paths, load_document
from skill_server.versions import parse_version

DOCS = document_paths(default_roots())
META_RE = re.compile(r"^## .+\n<!-- (.*?) -->", re.M)


def test_there_is_a_knowledge_base():
    names = {p.stem for p in DOCS}
    assert {"optimistic-ui", "loading-states", "streams", "async-work", "forms", "lifecycle", "security",
            "accessibility", "js-commands", "release-history", "api"} <= names


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_front_matter_and_section_meta(path):
    doc = load_document(path)
    for key in ("title", "aliases", "sources"):
        assert doc.meta.get(key), f"{path.name}: front matter needs {key}"
    headings = re.findall(r"^## .+$", doc.body, re.M)
    metas = META_RE.findall(doc.body)
    assert len(metas) == len(headings), f"{path.name}: every ## section starts with a <!-- since: ... --> comment"
    for chunk in chunk_document(doc):
        if chunk.id.endswith("#intro"):
            continue
        assert chunk.since, f"{chunk.id}: no since"
        parse_version(chunk.since)
        if chunk.until:
            assert parse_version(chunk.until) > parse_version(chunk.since)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_api_names_exist_for_the_claimed_versions(path):
    problems = []
    for chunk in chunk_document(load_document(path)):
        for problem in check_api_names(chunk.text, chunk.since, chunk.until):
            problems.append(f"{chunk.id}: {problem}")
    assert problems == []


@pytest.mark.parametrize(
    ("text", "since", "until", "flagged"),
    [
        ("Use `stream_async(socket, :posts, fn -> {:ok, []} end)`.", "1.1.0", None, "stream_async"),
        ("```elixir\nJS.ignore_attributes([\"open\"])\n```", "1.0.0", None, "JS.ignore_attributes"),
        ("`JS.hide(to: {:closest, \"li\"})`", "0.20.0", None, "{:closest, _}"),
        ("`JS.push(\"x\", loadin: \"#a\")`", "0.20.0", None, "JS.push(loadin:)"),
        ("`JS.fade(to: \"#a\")`", "0.20.0", None, "JS.fade"),
        ("Add `phx-feedback-for={@form[:email].name}` to the wrapper.", "0.20.0", None, "phx-feedback-for"),
        ("Add `phx-clik=\"save\"`.", "0.20.0", None, "phx-clik"),
        ("Call `push_redirect(socket, to: path)`.", "0.20.0", None, "push_redirect"),
        ("Render `live_patch(\"Edit\", to: path)`.", "0.20.0", None, "live_patch"),
        ('Use `phx-update="append"` on the list.', "0.20.0", None, 'phx-update="append|prepend"'),
        ("`used_input?(@form[:name])`", "0.20.0", None, "used_input?"),
        ("`Phoenix.LiveView.stream_everything(socket)`", "0.20.0", None, "Phoenix.LiveView.stream_everything"),
    ],
)
def test_checker_flags_unknown_and_out_of_version_names(text, since, until, flagged):
    names = [p.name for p in check_api_names(text, since, until)]
    assert flagged in names


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("`stream_async/4` arrived in 1.1.5, so on 1.1.5 and later use it.", "1.0.0", None),
        ("Before 1.0, `phx-feedback-for` did this; it was removed in 1.0.", "0.20.0", None),
        ("`phx-feedback-for` hides errors of untouched inputs.", "0.20.0", "1.0.0"),
        ("`Enum.map(items, & &1.id)` and `Repo.get!(Post, id)` and `Ecto.Changeset.optimistic_lock/3`", "0.20.0", None),
        ("`JS.push(\"x\", value: %{id: 1}, loading: \"#a\") |> JS.hide(to: \"#b\", transition: {\"a\", \"b\", \"c\"}, time: 300)`", "0.20.0", None),
        ("Style with `phx-click-loading:opacity-50` and `phx-value-id`.", "0.20.0", None),
        ("`start_async(socket, :search, fn -> run(q) end)`", "0.20.0", None),
    ],
)
def test_checker_leaves_correct_text_alone(text, since, until):
    assert check_api_names(text, since, until) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_function_options_and_arities_exist_for_the_claimed_versions(path):
    """The class behind most medium findings of four fact-checks: a section valid from an early release
    whose code uses an option or arity that came later, without saying when (manifest function_options
    and function_history give the release)."""
    problems = []
    for chunk in chunk_document(load_document(path)):
        for problem in check_call_details(chunk.text, chunk.since):
            problems.append(f"{chunk.id}: {problem}")
    assert problems == []


@pytest.mark.parametrize(
    ("text", "since", "flagged"),
    [
        ("A retry calls `assign_async(socket, :org, fn -> load() end, reset: true)`.", "0.20.0", "assign_async(reset:)"),
        ("Pass a supervisor: `start_async(socket, :x, fn -> 1 end, supervisor: MyApp.Sup)`.", "0.20.2", "start_async(supervisor:)"),
        ("Call `assign_async/4` with options.", "0.20.0", "assign_async/4"),
        ("```elixir\nstream_insert(socket, :items, item, update_only: true)\n```", "0.20.0", "stream_insert(update_only:)"),
        ("`to_form(changeset, action: :validate)`", "0.20.0", "to_form(action:)"),
    ],
)
def test_call_details_flag_later_options_and_arities(text, since, flagged):
    assert flagged in [p.name for p in check_call_details(text, since)]


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("From 0.20.4, `assign_async(socket, :org, fn -> load() end, reset: true)` shows loading again.", "0.20.0"),
        ("`start_async(socket, :x, fn -> 1 end, supervisor: MyApp.Sup)` (start_async/4 exists since 0.20.13)", "0.20.2"),
        ("`stream(socket, :items, items, reset: true, limit: 50)`", "0.20.0"),
        ("`to_form(changeset, action: :validate)` needs phoenix_ecto 4.5 on 0.20", "0.20.0"),
        ("`allow_upload(socket, :avatar, accept: ~w(.png), max_entries: 1)`", "0.20.0"),
    ],
)
def test_call_details_leave_correct_text_alone(text, since):
    assert check_call_details(text, since) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_names_in_prose_exist_for_the_claimed_versions(path):
    """The same class in the words around the code: a backticked function, option, hook callback or member,
    LiveSocket option or assign that is newer than the section's `since` (or gone before its `until`)
    while the section does not say from which release."""
    problems = []
    for chunk in chunk_document(load_document(path)):
        for problem in check_prose_names(chunk.text, chunk.since, chunk.until):
            problems.append(f"{chunk.id}: {problem}")
    assert problems == []


@pytest.mark.parametrize(
    ("text", "since", "until", "flagged"),
    [
        ("Pass `update_only: true` to `stream_insert` to skip missing items.", "0.20.0", None, "update_only: true"),
        ("Read `stream_insert`'s `:update_only` option.", "0.20.0", None, ":update_only"),
        ("Call `this.js()` from the hook.", "0.20.0", None, "this.js()"),
        ("`liveSocket.js()` runs commands from anywhere.", "1.0.0", None, "liveSocket.js()"),
        ("Observe patches with `onDocumentPatch`.", "1.0.0", None, "onDocumentPatch"),
        ("Results of `stream_async` too.", "0.20.0", None, "stream_async"),
        ("Pass `blocking: false` to `JS.transition`.", "0.20.0", None, "blocking: false"),
        ("Swap it with `JS.toggle_class`.", "0.20.0", None, "JS.toggle_class"),
        ("`used_input?` hides errors of untouched fields.", "0.20.0", None, "used_input?"),
        ("Clean up in `beforeDestroy`.", "0.20.0", None, "beforeDestroy"),
        ("Navigate with `push_redirect`.", "0.20.0", None, "push_redirect"),
        ("Set `disconnectedTimeout` on the socket.", "1.0.0", None, "disconnectedTimeout"),
        ("In `config :phoenix_live_view`, `debug_attributes: true` adds data-phx-loc.", "0.20.0", None,
         "debug_attributes: true"),
        ("```elixir\nconfig :phoenix_live_view, :test_warnings,\n  missing_form_id: :warn\n```", "1.0.3", None,
         "config test_warnings"),
    ],
)
def test_prose_checker_flags_later_and_removed_names(text, since, until, flagged):
    assert flagged in [p.name for p in check_prose_names(text, since, until)]


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("From 1.1, pass `update_only: true` to `stream_insert`.", "0.20.0", None),
        ("`this.js()` (1.0+) runs commands.", "0.20.0", None),
        ("`reset: true` on `stream` and `:limit`.", "0.20.0", None),
        ("Define the `handle_async` callback.", "0.20.0", None),
        ("Capturing `socket` copies every assign.", "0.20.0", None),
        ("`push_redirect` was deprecated for `push_navigate`.", "0.20.0", None),
        ("Navigate with `push_redirect`.", "0.20.0", "1.0.0"),
        ("`to:` of `JS.hide`, and `:on_replace` of Ecto's `cast_assoc`.", "0.20.0", None),
        ("```js\nthis.js().show(el)\n```", "0.20.0", None),
        ("In `config :phoenix_live_view`, `debug_heex_annotations: true` annotates.", "0.20.0", None),
        ("Pass `debug_attributes: true` to your own helper.", "0.20.0", None),
    ],
)
def test_prose_checker_leaves_correct_text_alone(text, since, until):
    assert check_prose_names(text, since, until) == []


def test_api_reference_is_rendered_from_the_current_manifest():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "scripts/render_api_reference.py"), "--check"])
    assert done.returncode == 0, "references/api.md is stale: run scripts/render_api_reference.py"


# Values of the shared manifest that the source contradicts, corrected here (each checked at the tags named).
MANIFEST_CORRECTIONS = {
    # `this.el` has been a hook property since v0.1.0 (v1.2.10:assets/js/phoenix_live_view/view_hook.ts).
    ("js_client", "view_hook_public_members"),
    # `attrs` is JS.ignore_attributes' positional argument, not an option (v1.2.10:lib/phoenix_live_view/js.ex:1065-1083).
    ("js_command_options", "ignore_attributes"),
    # classify_type/1, not /2, at every tag from v0.18.17 to v1.2.10 (lib/phoenix_live_view/html_engine.ex).
    ("entries", "Phoenix.LiveView.HTMLEngine.classify_type"),
    # phx-hook-loading is set on a hook's push from v0.19.0 and removed on the reply only from v0.20.4 (a `note` on its
    # entry says so; v0.20.3:assets/js/phoenix_live_view/view.js, v0.20.4 the same file).
    ("css_classes", None),
}


def _manifest_parts(manifest: dict) -> dict:
    parts = {}
    for key, value in manifest.items():
        if key == "entries":
            parts.update({(key, f"{e['module']}.{e['name']}"): e for e in value})
        elif key in ("js_client", "js_command_options"):
            parts.update({(key, name): item for name, item in value.items()})
        else:
            parts[(key, None)] = value
    return parts


def test_manifest_extends_the_shared_one_when_present():
    """Our manifest is the shared one plus the extracted keys (scripts/extract_liveview_api.py); a value may differ
    only where MANIFEST_CORRECTIONS says the source contradicts it."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shared = root.parent / "shared" / "data" / "liveview_api.json"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    ours = _manifest_parts(json.loads((root / "references/liveview_api.json").read_text(encoding="utf-8")))
    theirs = _manifest_parts(json.loads(shared.read_text(encoding="utf-8")))
    changed = {part for part, value in theirs.items() if ours.get(part) != value}
    assert changed == MANIFEST_CORRECTIONS
