"""Every current public name in the API manifest is taught somewhere, with an example of its use.

Issue 13: a function, binding, JS command or option that no section shows in code is a question we cannot
answer. "Taught with an example" means the name appears, used the way it is used, inside a fenced code block
of some curated section (the generated `references/api.md`, which lists every name, does not count)."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from skill_server.api_facts import manifest
from skill_server.knowledge.corpus import chunk_document, documents

GENERATED_DOCS = {"api"}
FENCE_RE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
# Modules whose functions are called unqualified (imported by `use Phoenix.LiveView`/`Phoenix.Component`,
# `import Phoenix.LiveViewTest`) or are callbacks a module defines; any other module's function must be
# shown qualified (`Debug.list_liveviews()`) or in a block that names its module.
UNQUALIFIED_MODULES = {"Phoenix.Component", "Phoenix.LiveView", "Phoenix.LiveComponent", "Phoenix.LiveViewTest",
                       "Phoenix.LiveView.Router", "Phoenix.LiveView.Helpers"}
# Options of `use Phoenix.LiveView, layout: ...` are listed under the module's __using__ macro.
# `rest` is a component's :global attribute, the catch-all for HTML attributes, not something one writes.
NOT_WRITTEN_OPTIONS = {"rest"}


@lru_cache(maxsize=1)
def code_blocks() -> tuple[str, ...]:
    blocks = []
    for doc in documents().values():
        if doc.name in GENERATED_DOCS:
            continue
        for chunk in chunk_document(doc):
            blocks.extend(FENCE_RE.findall(chunk.text))
    return tuple(blocks)


def _word(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w?!-])")


def _shown(*patterns: re.Pattern) -> bool:
    """True when one code block matches every pattern."""
    return any(all(p.search(block) for p in patterns) for block in code_blocks())


def _is_current(fact: dict) -> bool:
    return not fact.get("removed_in")


def _function_patterns(module: str, name: str) -> tuple[re.Pattern, ...]:
    if name == "__using__":
        return (re.compile(rf"\buse\s+{re.escape(module)}\b"),)
    if module == "Phoenix.LiveView.JS":
        return (re.compile(rf"\bJS\.{re.escape(name)}\b"),)
    if module in UNQUALIFIED_MODULES:
        return (_word(name),)
    last = module.rsplit(".", 1)[-1]
    return (re.compile(rf"\b{re.escape(last)}\b"), _word(name))


def _option_patterns(function: str, option: str) -> tuple[re.Pattern, ...]:
    module, _, name = function.rpartition(".")
    # a keyword option (`limit: 10`) or, for function components, an attribute (`module={...}`)
    return (*_function_patterns(module, name), re.compile(rf"(?<![\w-]){re.escape(option)}(?::\s|=)"))


def _functions():
    for entry in manifest()["entries"]:
        yield pytest.param(entry["module"], entry["name"], id=f"{entry['module']}.{entry['name']}")


def _options():
    for function, options in manifest().get("function_options", {}).items():
        for option, fact in options.items():
            if _is_current(fact) and option not in NOT_WRITTEN_OPTIONS:
                yield pytest.param(function, option, id=f"{function}({option})")


def _js_options():
    for command, options in manifest()["js_command_options"].items():
        for option in options:
            yield pytest.param(command, option, id=f"JS.{command}({option})")


def _bindings():
    for binding in manifest()["bindings"]:
        if binding.get("status") == "current":
            yield pytest.param(binding["name"], id=binding["name"])


def _client_names():
    hook = manifest()["hook_api"]
    for section in ("callbacks", "members"):
        for name, fact in hook[section].items():
            if _is_current(fact):
                yield pytest.param(name, id=f"hook.{name}")
    socket = manifest()["live_socket"]
    for section in ("options", "methods"):
        for name, fact in socket[section].items():
            if _is_current(fact):
                yield pytest.param(name.rsplit(".", 1)[-1], id=f"liveSocket.{name}")


@pytest.mark.parametrize(("module", "name"), list(_functions()))
def test_every_public_function_is_shown_in_code(module, name):
    assert _shown(*_function_patterns(module, name)), f"no section shows {module}.{name} in a code example"


@pytest.mark.parametrize(("function", "option"), list(_options()))
def test_every_function_option_is_shown_in_code(function, option):
    assert _shown(*_option_patterns(function, option)), (
        f"no section shows {function} with {option} in a code example")


@pytest.mark.parametrize(("command", "option"), list(_js_options()))
def test_every_js_command_option_is_shown_in_code(command, option):
    assert _shown(re.compile(rf"\bJS\.{command}\b"), re.compile(rf"(?<![\w-]){option}:\s")), (
        f"no section shows JS.{command} with {option}: in a code example")


@pytest.mark.parametrize("name", list(_bindings()))
def test_every_current_binding_is_shown_in_code(name):
    pattern = re.compile(r"phx-value-\w") if name == "phx-value-*" else _word(name)
    assert _shown(pattern), f"no section shows {name} in a code example"


@pytest.mark.parametrize("name", list(_client_names()))
def test_every_hook_and_live_socket_name_is_shown_in_code(name):
    assert _shown(_word(name)), f"no section shows {name} in a code example"


@pytest.mark.parametrize("name", sorted(manifest()["assigns"]))
def test_every_assign_liveview_provides_is_shown_in_code(name):
    assert _shown(re.compile(rf"@{re.escape(name)}\b")), f"no section shows @{name} in a code example"


def test_the_check_fails_for_a_name_no_section_shows():
    assert not _shown(*_function_patterns("Phoenix.LiveView", "stream_insert_nowhere"))
    assert not _shown(*_option_patterns("Phoenix.LiveView.stream_insert", "no_such_option"))
