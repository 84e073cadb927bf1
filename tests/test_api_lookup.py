"""lookup_api: names in the forms people write them, facts at a version, unknown names with suggestions, bad input."""

from __future__ import annotations

import pytest

from skill_server import engine
from skill_server.api_lookup import summaries
from skill_server.api_lookup.catalogue import by_key, catalogue, clean_head, use_instead
from skill_server.api_lookup.query import parse
from skill_server.errors import InputError
from skill_server.versions import parse_version


def fact(name: str, version: str | None = None):
    result = engine.lookup_api([name], liveview_version=version)
    assert len(result.results) == 1
    return result.results[0]


@pytest.mark.parametrize(("query", "kind", "name", "parent"), [
    ("stream_insert", "function", "stream_insert", None),
    ("Phoenix.LiveView.stream_insert/4", "function", "stream_insert", None),
    ("stream_insert/4", "function", "stream_insert", None),
    ("stream_insert update_only", "option", "update_only", "Phoenix.LiveView.stream_insert"),
    ("stream_insert(update_only:)", "option", "update_only", "Phoenix.LiveView.stream_insert"),
    ("stream_insert(socket, :songs, song, update_only: true)", "option", "update_only", "Phoenix.LiveView.stream_insert"),
    ("push_event dispatch", "option", "dispatch", "Phoenix.LiveView.push_event"),
    ("JS.push loading", "option", "loading", "Phoenix.LiveView.JS.push"),
    ("JS.push", "js_command", "push", None),
    ("phx-viewport-top", "binding", "phx-viewport-top", None),
    ("phx-click-loading", "css_class", "phx-click-loading", None),
    ("phx-value-id", "binding", "phx-value-*", None),
    (":key", "heex_attribute", ":key", None),
    ("reconnected", "hook_callback", "reconnected", None),
    ("pushEventTo", "hook_member", "pushEventTo", None),
    ("this.pushEvent", "hook_member", "pushEvent", None),
    ("liveSocket.execJS", "live_socket_method", "execJS", None),
    ("liveSocket.execJS()", "live_socket_method", "execJS", None),
    ("dom.onBeforeElUpdated", "live_socket_option", "dom.onBeforeElUpdated", None),
    ("Phoenix.LiveView.ColocatedHook", "module", "Phoenix.LiveView.ColocatedHook", None),
    ("ColocatedHook", "module", "Phoenix.LiveView.ColocatedHook", None),
    ("@myself", "assign", "@myself", None),
    ("@streams", "assign", "@streams", None),
    ("use Phoenix.LiveView, log: false", "option", "log", "Phoenix.LiveView.__using__"),
    ("<.link navigate>", "attribute", "navigate", "Phoenix.Component.link"),
    ("inputs_for skip_persistent_id", "attribute", "skip_persistent_id", "Phoenix.Component.inputs_for"),
    ("live on_error", "option", "on_error", "Phoenix.LiveViewTest.live"),
    ("live_session on_mount", "option", "on_mount", "Phoenix.LiveView.Router.live_session"),
    ("mount temporary_assigns", "option", "temporary_assigns", "Phoenix.LiveView.mount"),
    ("update_only", "option", "update_only", "Phoenix.LiveView.stream_insert"),
])
def test_names_in_the_forms_people_write_them(query, kind, name, parent):
    found = fact(query)
    assert found.exists, found.notes
    assert (found.kind, found.name, found.parent) == (kind, name, parent)
    assert found.query == query
    assert found.summary and found.signature


@pytest.mark.parametrize(("query", "version", "available", "since"), [
    ("stream_insert update_only", "1.0", False, "1.1.0"),
    ("stream_insert update_only", "1.1", True, "1.1.0"),
    ("stream_insert limit", "0.20.0", True, "0.19.0"),
    ("assign_async reset", "0.20.3", False, "0.20.4"),
    ("assign_async reset", "0.20.4", True, "0.20.4"),
    ("push_event dispatch", "1.1.17", False, "1.1.18"),
    ("push_event dispatch", "1.1.18", True, "1.1.18"),
    ("stream_async", "1.1.4", False, "1.1.5"),
    (":key", "1.0.19", False, "1.1.0"),
    ("Phoenix.LiveView.ColocatedHook", "1.1", True, "1.1.0"),
    ("phx-click-loading", "0.20", True, "0.8.0"),
    ("JS.ignore_attributes", "1.0", False, "1.1.0"),
    ("this.js", "0.20", False, "1.0.0"),
    ("LiveSocket blockPhxChangeWhileComposing", "1.0", False, "1.1.0"),
])
def test_available_follows_the_asked_version(query, version, available, since):
    found = fact(query, version)
    assert found.exists and found.since == since
    assert found.available is available
    if not available:
        assert any(since in note for note in found.notes)


@pytest.mark.parametrize(("query", "until"), [
    ("phx-feedback-for", "1.0.0"),
    ("phx-page-loading", "1.0.0"),
    ("phx-no-feedback", "1.0.0"),
])
def test_removed_names_exist_with_until_and_a_replacement(query, until):
    assert fact(query, "0.20").available is True
    found = fact(query, "1.0")
    assert found.exists and not found.available and found.until == until
    assert found.deprecated and found.deprecated.use_instead


@pytest.mark.parametrize(("query", "version", "available", "since"), [
    # Bindings and classes carry the first release whose client (or lib) code names them.
    ("phx-window-keyup", "0.20", True, "0.5.0"),
    ("phx-target", "0.20", True, "0.1.0"),
    ("phx-throttle", "1.0", True, "0.3.0"),
    ("phx-patch-focused", "1.2.7", False, "1.2.8"),
    ("phx-connected", "0.20", True, "0.18.0"),  # the binding; the class of that name is older
    # The JS package's exports.
    ("isUsedInput", "0.20.17", False, "1.0.0"),
    ("import {ViewHook} from \"phoenix_live_view\"", "1.1", True, "1.1.0"),
    ("LiveSocket", "1.0", True, "0.1.0"),
])
def test_client_names_are_dated_from_the_source(query, version, available, since):
    found = fact(query, version)
    assert found.exists and (found.since, found.available) == (since, available), found.notes
    assert not any("no first release" in note for note in found.notes)


def test_a_class_name_that_became_a_binding_dates_both():
    found = fact("phx-disconnected", "1.0")
    assert (found.kind, found.since) == ("binding", "0.18.0")
    assert "Also a CSS class the client sets: since 0.1.0, until 0.17.0." in found.notes


def test_a_gap_in_a_class_history_is_said():
    found = fact("phx-loading", "0.20")
    assert found.available and any("Absent from 0.8.0 until 0.17.0" in note for note in found.notes)
    export = fact("import {View}", "0.20")
    assert export.kind == "js_export" and not export.available and export.until == "0.16.0"


def test_a_function_is_gone_when_it_is_deleted_not_when_it_leaves_the_docs():
    """Undocumented but still callable (deprecated) is available; until is the release that deleted it."""
    for query, undocumented_in, deleted_in in [
        ("Phoenix.LiveViewTest.put_connect_info", "0.17.6", "0.20.15"),
        ("Phoenix.LiveView.Helpers.live_file_input", "0.18.0", "0.20.0"),
    ]:
        assert fact(query, "0.20.0").until == deleted_in
        assert fact(query, "0.20.0").available is (parse_version("0.20.0") < parse_version(deleted_in))
        assert parse_version(undocumented_in) < parse_version(deleted_in)
    assert fact("Phoenix.LiveViewTest.put_connect_info", "0.20.14").available


@pytest.mark.parametrize(("bare", "qualified", "since", "qualified_since"), [
    ("assign", "Phoenix.Component.assign", "0.1.0", "0.18.0"),
    ("changed?", "Phoenix.Component.changed?", "0.16.0", "0.18.0"),
    ("render_slot", "Phoenix.Component.render_slot", "0.17.0", "0.18.0"),
    ("live_render container", "Phoenix.Component.live_render container", "0.1.0", "0.18.0"),
])
def test_a_function_that_moved_modules_keeps_its_history_under_its_bare_name(bare, qualified, since, qualified_since):
    found, exact = fact(bare, "0.20"), fact(qualified, "0.20")
    assert (found.since, exact.since) == (since, qualified_since)
    assert found.module == exact.module == "Phoenix.Component"
    assert not any("Phoenix.LiveView.assign" in note and note.startswith("Also") for note in found.notes)


def test_a_renamed_meaning_is_not_a_move():
    """Phoenix.LiveView.live_redirect(socket, opts) became push_redirect; the link helper live_redirect(text, opts)
    is another function (its first parameter differs), so its history starts in 0.7.0."""
    from skill_server.api_lookup.catalogue import moved_from

    assert "Phoenix.LiveView.Helpers.live_redirect" not in moved_from()
    assert moved_from()["Phoenix.Component.assign"] == "Phoenix.LiveView.assign"
    assert fact("Phoenix.LiveView.Helpers.live_redirect").since == "0.7.0"


def test_a_bare_name_means_the_function_views_and_components_import():
    """use Phoenix.Component imports Phoenix.Component and Phoenix.LiveView.Helpers; LiveViewTest's functions of the
    same name come after them (and are listed in the notes)."""
    names = {}
    for record in catalogue():
        if record.kind in ("function", "macro") and record.until is None:
            names.setdefault(record.name, set()).add(record.module)
    shared = [n for n, modules in names.items() if "Phoenix.LiveViewTest" in modules and modules & {
        "Phoenix.LiveView.Helpers", "Phoenix.Component", "Phoenix.LiveView"}]
    assert shared
    for name in shared:
        found = fact(name)
        assert found.module != "Phoenix.LiveViewTest", name
        assert any("Phoenix.LiveViewTest." + name in note for note in found.notes), name


def test_deprecated_functions_say_what_to_use_instead():
    found = fact("push_redirect", "1.2")
    assert found.exists and found.available
    assert found.deprecated.use_instead == "push_navigate/2" and found.deprecated.since == "0.20.15"


def test_an_arity_that_never_existed_is_not_a_guess():
    found = fact("stream_insert/5")
    assert not found.exists and found.kind is None
    assert found.did_you_mean == ["Phoenix.LiveView.stream_insert/3", "Phoenix.LiveView.stream_insert/4"]
    removed = fact("get_connect_info/1", "1.0")
    assert removed.exists and not removed.available
    assert [(a.arity, a.until) for a in removed.arities] == [(1, "0.20.15"), (2, None)]


@pytest.mark.parametrize(("query", "suggestion"), [
    ("@myself_cid", "@myself"),
    ("stream_insert update_if_exists", "stream_insert update_only"),
    ("phx-click-loadin", "phx-click-loading"),
    ("pushEventAsync", "pushEvent"),
    ("liveSocket.execJs", "liveSocket.execJS"),
    ("JS.toggle_classes", "JS.toggle_class"),
    ("assign_asyncs", "Phoenix.LiveView.assign_async"),
    ("handleEvents", "handleEvent"),
])
def test_unknown_names_answer_no_with_the_nearest_real_names(query, suggestion):
    found = fact(query)
    assert not found.exists and not found.available
    assert (found.kind, found.name, found.since, found.signature, found.summary) == (None,) * 5
    assert found.did_you_mean[0] == suggestion
    assert all(fact(name).exists for name in found.did_you_mean if " " not in name or "update_only" in name)


def test_names_nothing_is_near_get_no_suggestions():
    found = fact("@current_user")
    assert not found.exists and found.did_you_mean == []


def test_sections_are_knowledge_uris_that_use_the_name():
    found = fact("stream_insert update_only")
    assert found.sections and all(s.startswith("liveview://knowledge/") and "#" in s for s in found.sections)
    assert found.uri == found.sections[0]
    from skill_server.knowledge.index import load_index

    texts = {c.id: c.text for c in load_index().chunks}
    for uri in found.sections:
        text = texts[uri.removeprefix("liveview://knowledge/")]
        assert "stream_insert" in text and "update_only" in text
    assert "liveview://knowledge/api" not in {s.split("#")[0] for s in fact("stream").sections}
    # `mounted` is an everyday word: only a call or code mention counts.
    for uri in fact("mounted").sections:
        assert "mounted(" in texts[uri.removeprefix("liveview://knowledge/")] or \
            "`mounted`" in texts[uri.removeprefix("liveview://knowledge/")]


def test_version_source_and_notes():
    assert engine.lookup_api(["stream"]).version_source == "default"
    assert engine.lookup_api(["stream"], liveview_version="1.1").version_source == "argument"
    project = engine.lookup_api(["stream_insert update_only"], project_version="1.0.5")
    assert project.version_source == "project" and project.liveview_version == "1.0.5"
    assert project.results[0].available is False
    newer = engine.lookup_api(["stream"], liveview_version="9.0")
    assert newer.notes and "newer" in newer.notes[0]
    pre = engine.lookup_api(["this.pushEvent"], liveview_version="1.0.0-rc.8").results[0]
    assert any("pre-release" in note for note in pre.notes)


def test_every_catalogue_name_resolves_to_itself():
    """A name lookup_api suggests or lists can be sent back and found: labels and keys round-trip."""
    for record in catalogue():
        if record.kind in ("option", "attribute") and record.parent.endswith("__using__"):
            query = f"use {record.module}, {record.name}:"
        elif record.kind in ("option", "attribute"):
            query = f"{record.parent} {record.name}"
        elif record.kind in ("hook_member", "hook_callback"):
            query = f"this.{record.name}"
        elif record.kind == "live_socket_option":
            query = f"liveSocket {record.name}"
        else:
            query = record.label
        found = fact(query)
        assert found.exists, query
        assert found.name == record.name and found.kind == record.kind, (query, found.kind, found.name)


def test_summaries_are_keyed_by_real_names_and_short():
    keys = by_key()
    for key, text in summaries().items():
        assert key in keys, key
        assert text.endswith(".") and len(text) <= 160, key


def test_helpers():
    assert use_instead("Use push_navigate/2 instead") == "push_navigate/2"
    assert use_instead("Use Phoenix.Flash.get/2 in Phoenix v1.7+") == "Phoenix.Flash.get/2"
    assert clean_head("push_patch(%Socket{} = socket, opts)") == "push_patch(socket, opts)"
    assert clean_head("stream(%Socket{} = socket, name, items, opts \\\\ [])") == "stream(socket, name, items, opts \\\\ [])"
    assert parse("live_session :admin, on_mount: X").option == "on_mount"
    assert parse("@myself.cid").name == "@myself"


@pytest.mark.parametrize(("names", "message"), [
    ([], "non-empty"),
    ("", "empty"),
    (["  "], "empty"),
    ([5], "string"),
    (["x" * 500], "limit"),
    (["stream"] * 51, "at most 50"),
    (["a\x00b"], "NUL"),
    ({"names": "stream"}, "list"),
])
def test_bad_input_is_an_input_error(names, message):
    with pytest.raises(InputError, match=message):
        engine.lookup_api(names)
    with pytest.raises(InputError):
        engine.lookup_api(["stream"], liveview_version="banana")


def test_a_single_string_is_one_name():
    result = engine.lookup_api("stream_insert")
    assert [r.name for r in result.results] == ["stream_insert"]


def _names_used(text: str) -> set[str]:
    """LiveView names a text uses in code: phx- bindings and classes, JS commands, qualified LiveView functions,
    HEEx special attributes, the hook API on `this.`, and the assigns LiveView sets."""
    import re

    from skill_server.api_facts import CODE_RE, JS_CALL_RE, PHX_RE, QUALIFIED_RE

    code = "\n".join(m.group(0) for m in CODE_RE.finditer(text))
    names = {n for n in PHX_RE.findall(text) if n != "phx-value"}
    names |= {f"JS.{m.group(1)}" for m in JS_CALL_RE.finditer(code)}
    names |= {f"Phoenix.{m.group(1)}{m.group(2)}.{m.group(3)}" for m in QUALIFIED_RE.finditer(code)
              if not m.group(2).startswith(".JS")}
    names |= set(re.findall(r"(?<![\w:])(:(?:for|if|let|key|type))=", code))
    names |= {f"this.{m}" for m in re.findall(r"\bthis\.(pushEvent(?:To)?|handleEvent|removeHandleEvent|uploadTo|"
                                              r"upload|el|liveSocket|js)\b", code)}
    names |= set(re.findall(r"@(?:myself|streams|uploads|live_action|inner_block|inner_content)\b", code))
    return names


def _knowledge_and_templates() -> list[tuple[str, str, str | None]]:
    """(where, text, since) for every knowledge section and every snippet template (since None: templates branch
    on the version themselves, tests/test_snippets.py checks what each version renders)."""
    from skill_server.knowledge.index import load_index
    from skill_server.paths import PACKAGE_DIR

    items = [(c.id, c.text, c.since) for c in load_index().chunks if c.doc != "api"]
    for path in sorted((PACKAGE_DIR / "patterns" / "library").glob("*/templates/**/*")):
        if path.is_file():
            items.append((str(path.relative_to(PACKAGE_DIR)), f"```\n{path.read_text(encoding='utf-8')}\n```", None))
    return items


def test_every_name_the_knowledge_and_templates_use_resolves_at_the_versions_they_claim():
    from skill_server.api_facts import _mentions_version
    from skill_server.versions import parse_version

    unresolved, too_new = [], []
    for where, text, since in _knowledge_and_templates():
        names = sorted(_names_used(text))
        for start in range(0, len(names), 50):
            result = engine.lookup_api(names[start:start + 50], liveview_version=since or "0.20.0")
            for found in result.results:
                if not found.exists:
                    unresolved.append(f"{where}: {found.query}")
                elif (since is not None and not found.available and found.since and not found.until
                      and not _mentions_version(text, parse_version(found.since))):
                    too_new.append(f"{where}: {found.query} needs {found.since}")
    assert unresolved == []
    assert too_new == []
