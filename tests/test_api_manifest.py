"""The API manifest's extracted keys (scripts/extract_liveview_api.py): their shape always, their agreement with the
LiveView source when the git mirror is on this machine (LIVEVIEW_SOURCE or the default path; skipped in CI)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from skill_server import api_facts
from skill_server.paths import API_MANIFEST
from skill_server.versions import parse_version

REPO = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("LIVEVIEW_SOURCE", "/work/.mirror/phoenixframework+phoenix_live_view/repo"))
needs_mirror = pytest.mark.skipif(not (MIRROR / "HEAD").exists() and not (MIRROR / ".git").exists(),
                                  reason=f"no LiveView git mirror at {MIRROR} (set LIVEVIEW_SOURCE to check the "
                                  "manifest against the source)")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$")
EVIDENCE_RE = re.compile(r"^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?):([\w/.]+):(\d+)$")


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads(API_MANIFEST.read_text(encoding="utf-8"))


def facts() -> list[tuple[str, dict]]:
    """(label, fact) for every dated fact in the extracted keys."""
    data = manifest()
    out = [(f"{fn}({opt}:)", info) for fn, options in data["function_options"].items() for opt, info in options.items()]
    out += [(f"hook {group} {name}", info) for group in ("callbacks", "members", "behaviours")
            for name, info in data["hook_api"][group].items()]
    out += [(f"liveSocket {group} {name}", info) for group in ("options", "methods")
            for name, info in data["live_socket"][group].items()]
    out += [(f"@{name}", info) for name, info in data["assigns"].items()]
    out += [(name, info) for name, info in data["binding_history"].items()]
    out += [(f"export {name}", info) for name, info in data["js_exports"].items()]
    out += [(f"module {name}", info) for name, info in data["module_history"].items()]
    out += [(f"deprecated {name}", info) for name, info in data["deprecations"].items()]
    for name, info in data["function_history"].items():
        out += [(name, info)] + [(f"{name}/{arity}", a) for arity, a in info["arities"].items()]
    return out


def test_extracted_keys_sit_beside_the_existing_ones():
    keys = list(manifest())
    new = ["function_options", "function_heads", "function_history", "module_history", "deprecations", "hook_api",
           "live_socket", "assigns", "binding_history", "js_exports", "extraction"]
    assert keys[-len(new):] == new
    assert {"entries", "bindings", "js_command_options", "css_classes", "js_client"} <= set(keys)
    assert set(manifest()["extraction"]["keys"]) == set(new[:-1])


@pytest.mark.parametrize(("label", "info"), facts(), ids=[label for label, _ in facts()])
def test_every_fact_has_a_stable_since_at_or_after_its_first_tag(label, info):
    assert VERSION_RE.match(info["since"]) and "-" not in info["since"], label
    assert VERSION_RE.match(info["first_tag"]), label
    assert parse_version(info["first_tag"]) <= parse_version(info["since"]), label
    if "removed_in" in info:
        assert parse_version(info["removed_in"]) > parse_version(info["since"]), label
    if "documented_since" in info:
        assert parse_version(info["documented_since"]) > parse_version(info["since"]), label


def test_function_history_agrees_with_the_entries_and_removed_entries():
    """A current entry is documented at the newest tag (unless the curated data says it is undocumented); every
    documented function's arities in entries started no earlier than function_history says."""
    data = manifest()
    history = data["function_history"]
    for entry in data["entries"]:
        key = f"{entry['module']}.{entry['name']}"
        if entry["kind"] == "callback" or entry.get("documented") is False or entry.get("module_hidden"):
            continue
        assert key in history and "removed_in" not in history[key], key
        for arity in entry["arities"]:
            assert str(arity) in history[key]["arities"], (key, arity)
    for name in ("Phoenix.LiveView.ColocatedHook", "Phoenix.LiveView.JS", "Phoenix.LiveView.AsyncResult"):
        assert name in data["module_history"]


def test_function_options_name_real_functions_with_the_arities_that_take_them():
    data = manifest()
    known = {f"{e['module']}.{e['name']}": set(e["arities"]) for e in data["entries"]}
    removed = {f"{e['module']}.{e['name']}" for e in data["removed_entries"]}
    for function, options in data["function_options"].items():
        assert re.fullmatch(r"(Phoenix\.[A-Za-z.]+)\.([a-z_]\w*[?!]?)", function), function
        for option, info in options.items():
            assert info["arities"] and info["found_in"], (function, option)
            if function in known and "removed_in" not in info:
                assert set(info["arities"]) <= known[function], (function, option)
        if function not in known:
            assert function in removed or all("removed_in" in i for i in options.values()) or \
                function.endswith("__using__"), function


def test_the_options_the_manifest_already_documented_are_all_extracted():
    """entries[].documented_options and component attrs (written before the generator) agree with function_options."""
    data = manifest()
    for entry in data["entries"]:
        key = f"{entry['module']}.{entry['name']}"
        if entry["module"] == "Phoenix.LiveView.JS":
            continue
        expected = set(entry.get("documented_options", [])) | {a["name"] for a in entry.get("attrs", [])}
        extracted = {o for o, info in data["function_options"].get(key, {}).items() if "removed_in" not in info}
        assert expected <= extracted, (key, expected - extracted)


def test_hook_and_live_socket_lists_agree_with_the_js_client_key():
    data = manifest()
    hook = data["hook_api"]
    current = {n for group in ("callbacks", "members") for n, i in hook[group].items() if "removed_in" not in i}
    assert set(data["js_client"]["view_hook_public_members"]) <= current
    assert {"mounted", "beforeUpdate", "updated", "destroyed", "disconnected", "reconnected"} <= set(hook["callbacks"])
    assert {"el", "liveSocket", "pushEvent", "pushEventTo", "handleEvent", "removeHandleEvent", "upload", "uploadTo",
            "js"} <= set(hook["members"])
    socket = data["live_socket"]
    methods = {n for n, i in socket["methods"].items() if "removed_in" not in i}
    assert methods == set(data["js_client"]["live_socket_public_methods"])
    options = {n for n in socket["options"] if "." not in n}
    assert set(data["js_client"]["live_socket_options"]) <= options


def test_assigns_carry_where_and_evidence():
    assigns = manifest()["assigns"]
    assert {"myself", "streams", "uploads", "flash", "live_action", "inner_content", "inner_block"} <= set(assigns)
    assert "myself_cid" not in assigns
    for name, info in assigns.items():
        assert info["role"] in ("set", "read") and info["where"], name
        assert len(info["evidence"]) == 2 and all(EVIDENCE_RE.match(e) for e in info["evidence"]), name


@pytest.mark.parametrize(("function", "option", "since"), [
    # Each checked by hand in the source: the first tag whose code or docs have it, the tag before lacking it.
    ("Phoenix.LiveView.stream_insert", "update_only", "1.1.0"),
    ("Phoenix.LiveView.stream_insert", "limit", "0.19.0"),
    ("Phoenix.LiveView.assign_async", "reset", "0.20.4"),
    ("Phoenix.LiveView.push_event", "dispatch", "1.1.18"),
    ("Phoenix.LiveView.stream_async", "reset", "1.1.5"),
    ("Phoenix.Component.inputs_for", "skip_persistent_id", "1.0.6"),
])
def test_option_facts_checked_by_hand(function, option, since):
    assert str(api_facts.function_option_since(function, option)) == since
    assert str(api_facts.function_option_since(function.rsplit(".", 1)[-1], option)) == since


def test_accessors_answer_none_for_what_never_existed():
    assert api_facts.function_option_since("Phoenix.LiveView.stream_insert", "update_if_exists") is None
    assert api_facts.function_option_since("no_such_function", "at") is None
    assert str(api_facts.hook_api_since("reconnected")) == "0.1.0"
    assert str(api_facts.hook_api_since("js")) == "1.0.0"
    assert api_facts.hook_api_since("pushEventAsync") is None
    assert str(api_facts.live_socket_since("execJS")) == "0.17.0"
    assert str(api_facts.live_socket_since("dom.onDocumentPatch")) == "1.1.18"
    assert str(api_facts.assign_since("@myself")) == str(api_facts.assign_since("myself"))
    assert api_facts.assign_since("@myself_cid") is None
    behaviours = manifest()["hook_api"]["behaviours"]
    assert behaviours["pushEvent_returns_promise"]["since"] == "1.0.0"
    assert behaviours["pushEvent_returns_promise"]["first_tag"] == "1.0.0-rc.8"


# --- against the source -----------------------------------------------------------------------------------------
def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(MIRROR), *args], check=True, capture_output=True, text=True).stdout


def load_generator():
    spec = importlib.util.spec_from_file_location("extract_liveview_api", REPO / "scripts/extract_liveview_api.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@needs_mirror
def test_the_committed_manifest_is_what_the_generator_extracts_now():
    generator = load_generator()
    mirror = generator.Mirror(str(MIRROR))
    tags, per_tag = generator.collect(mirror)
    extracted = generator.extract(tags, per_tag, generator.listed_phx_names(manifest()))
    fresh = generator.render(generator.merged(manifest(), extracted))
    assert fresh == API_MANIFEST.read_text(encoding="utf-8"), "run scripts/extract_liveview_api.py"


def test_every_listed_binding_and_class_is_dated_from_the_source():
    """Each phx- name the manifest lists (guides, curated tables) has a history read from the client or lib code,
    and the curated first releases agree with it."""
    data = manifest()
    history = data["binding_history"]
    load = load_generator()
    assert set(history) == set(load.listed_phx_names(data))
    for binding in data["bindings"]:
        dated = history.get(binding["name"])
        if dated and binding.get("introduced_in"):
            assert dated["since"] == binding["introduced_in"], binding["name"]
        if dated and binding.get("removed_in"):
            assert dated["removed_in"] == binding["removed_in"].split("/")[0].strip(), binding["name"]
    assert history["phx-window-keyup"]["since"] == "0.5.0"  # bind({keyup: ...}) with `window-${event}` bindings
    assert history["phx-throttle"]["since"] == "0.3.0"
    assert history["phx-loading"]["absent"] == [["0.8.0", "0.17.0"]]
    assert history["phx-connected"]["as_binding"]["since"] == "0.18.0"  # binding("connected"); the class is 0.1.0
    assert history["phx-connected"]["as_class"]["since"] == "0.1.0"
    exports = data["js_exports"]
    assert {"LiveSocket", "createHook", "isUsedInput", "ViewHook"} <= set(exports)
    assert exports["isUsedInput"]["since"] == "1.0.0" and "removed_in" not in exports["LiveSocket"]
    assert exports["View"]["removed_in"] == "0.16.0"  # the one-file client exported its internals


def test_the_phx_name_readers_see_code_not_comments_or_docs():
    load = load_generator()
    js = ('// binding("commented-out")\n/* "phx-in-a-comment" */\nexport const PHX_THING = "thing-a";\n'
          'this.bind({keyup: "keyup"}, cb)\nlet w = this.binding(`window-${event}`)\n'
          'bindClick("mousedown", "capture-x", true)\nlet v = this.binding("value-")\nconst c = ["phx-some-class"]\n')
    found = load.client_phx_names("assets/js/x.js", js)
    assert set(found["binding"]) == {"phx-thing-a", "phx-keyup", "phx-window-keyup", "phx-capture-x", "phx-value-*"}
    assert set(found["class"]) == {"phx-some-class"}
    assert found["binding"]["phx-keyup"] == "assets/js/x.js:4"
    ex = ('defmodule X do\n  @moduledoc """\n  Use "phx-documented" here.\n  """\n  # "phx-commented"\n'
          '  def f(a), do: attribute(a, "phx-read-by-code")\nend\n')
    assert load.lib_phx_names("lib/x.ex", ex) == {"phx-read-by-code": "lib/x.ex:6"}
    ts = 'export type { Options, HookInterface };\nexport { LiveSocket, isUsedInput as used };\nexport class Hook {}\n'
    assert load.package_exports("index.ts", ts) == {"Options": "index.ts:1", "HookInterface": "index.ts:1",
                                                      "LiveSocket": "index.ts:2", "used": "index.ts:2",
                                                      "Hook": "index.ts:3"}


@needs_mirror
@pytest.mark.parametrize("name", sorted(manifest()["binding_history"]) + sorted(manifest()["js_exports"]))
def test_binding_and_export_evidence_lines_name_them(name):
    data = manifest()
    dated = data["binding_history"].get(name) or data["js_exports"][name]
    for evidence in dated["evidence"]:
        tag, path, line = EVIDENCE_RE.match(evidence).groups()
        text = git("show", f"v{tag}:{path}").splitlines()[int(line) - 1]
        bare = name.removeprefix("phx-").removesuffix("*").removesuffix("-")
        assert bare.split("-")[-1] in text or bare.split("-")[0] in text, evidence


@needs_mirror
@pytest.mark.parametrize("name", sorted(manifest()["assigns"]))
def test_assign_evidence_lines_name_the_assign(name):
    for evidence in manifest()["assigns"][name]["evidence"]:
        tag, path, line = EVIDENCE_RE.match(evidence).groups()
        text = git("show", f"v{tag}:{path}").splitlines()[int(line) - 1]
        assert name in text, evidence


@needs_mirror
def test_every_option_name_is_in_lib_at_its_first_tag():
    """Independent of the generator's parsers: the option's name is in lib/ at first_tag (grep), and in the
    newest tag unless it was removed."""
    newest = "v" + manifest()["liveview_version"]
    for function, options in manifest()["function_options"].items():
        for option, info in options.items():
            pattern = rf"(:{option}\b|\b{option}:)"
            assert git("grep", "-c", "-E", pattern, f"v{info['first_tag']}", "--", "lib"), (function, option)
            if "removed_in" not in info:
                assert git("grep", "-c", "-E", pattern, newest, "--", "lib"), (function, option)


@needs_mirror
def test_client_facts_appear_in_the_client_source_at_their_first_tag():
    data = manifest()
    groups = [(n, i) for g in ("callbacks", "members") for n, i in data["hook_api"][g].items()]
    groups += [(n.split(".")[-1], i) for g in ("options", "methods") for n, i in data["live_socket"][g].items()]
    for name, info in groups:
        assert git("grep", "-c", "-w", name, f"v{info['first_tag']}", "--", "assets/js"), name
