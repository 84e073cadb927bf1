"""generate_snippet: every pattern on every supported version with two parameter sets parses (tree-sitter,
and real Elixir when installed), carries the names derived from the parameters, uses only APIs the
version has, and hostile parameters are refused with the valid form named."""

from __future__ import annotations

import re

import pytest

from skill_server.api_facts import check_api_names
from skill_server.errors import InputError
from skill_server.patterns.catalogue import load_patterns
from skill_server.parsing import parse
from skill_server.patterns import checks
from skill_server.patterns.checks import check_elixir_sources, elixir_available, heex_sigils
from skill_server.patterns.params import camelize
from skill_server.patterns.snippets import catalogue_info, generate
from skill_server.review.engine import review_source
from skill_server.versions import parse_version

from snippet_behaviour import unparsable_elixir

VERSIONS = ["0.20", "0.20.4", "1.0", "1.1", "1.1.5", "1.2", "1.2.10"]
PARAM_SETS = [
    {},
    {"resource": "line_item", "context": "Shop.Orders", "web_module": "ShopWeb", "scoped": False},
]
INTERFACE_IDS = {
    "optimistic_stream_insert", "delete_with_transition", "undo_delete", "archive_with_revert", "search_async",
    "optimistic_locking_update", "instant_toggle", "validated_form", "nested_form", "live_upload",
    "aria_live_region", "async_loading", "optimistic_toggle", "submit_loading_button", "scoped_pubsub_stream",
    "reduced_motion_css",
}


# Client-side or app-wide patterns whose code names no resource.
RESOURCE_FREE = {"instant_toggle", "reduced_motion_css", "copy_to_clipboard", "toast_flash"}


def _declared(pattern_id: str) -> set[str]:
    return {p.name for p in next(i for i in catalogue_info() if i.id == pattern_id).params}


def _params(pattern_id: str, params: dict) -> dict:
    declared = _declared(pattern_id)
    return {k: v for k, v in params.items() if k in declared}


CASES = [(p, v, n) for p in sorted(load_patterns()) for v in VERSIONS for n in range(len(PARAM_SETS))]
# Options that change the generated code's shape: each is checked like the parameter sets above.
OPTION_SETS = [
    ("search_async", {"collection": "stream", "url": True, "debounce_ms": "blur"}),
    ("live_upload", {"external": True, "auto_upload": False, "accept": ".fw, image/*"}),
    ("async_loading", {"url": True}),
    ("optimistic_toggle", {"flash": False}),
    ("delete_with_transition", {"collection": "assign", "animate_on_navigation": True}),
    ("scoped_pubsub_stream", {"topic": "org:#{org_id}:posts", "limit": 50}),
    ("validated_form", {"component": True, "debounce_ms": "blur"}),
    ("copy_to_clipboard", {"method": "dispatch"}),
    ("inline_edit", {"save_on_blur": False}),
    ("toast_flash", {"dismiss_errors": True}),
    ("nested_form", {"child": "address"}),
    ("archive_with_revert", {"hook": ".Undo", "failure_event": "card:undo", "context_function": "Board.archive/2"}),
    ("submit_loading_button", {"post_to": "/users/log-in", "resource": "user", "field": "password"}),
    ("search_async", {"collection": "stream"}),
    ("optimistic_toggle", {"paint": "js", "flash": False}),
    ("multi_step_wizard", {"post_to": "/new_registration"}),
    ("scoped_pubsub_stream", {"scoped": False}),
]


@pytest.fixture(scope="module", autouse=True)
def warm_elixir_checks():
    """Check every generated Elixir file in one elixir process instead of one per case."""
    if elixir_available():
        sources = []
        for pattern_id, version, n in CASES:
            result = generate(pattern_id, _params(pattern_id, PARAM_SETS[n]), version, format_code=False)
            sources += [f.content for f in result.files if f.language == "elixir"]
        for (pattern_id, params), version in [(o, v) for o in OPTION_SETS for v in ("0.20", "1.2.10")]:
            sources += [f.content for f in generate(pattern_id, params, version, format_code=False).files
                        if f.language == "elixir"]
        check_elixir_sources(sources)


def test_catalogue_holds_the_interface_ids():
    assert INTERFACE_IDS <= set(load_patterns())
    for info in catalogue_info():
        assert info.title and info.summary and {"resource", "context", "web_module"} <= {p.name for p in info.params}


@pytest.mark.parametrize(("pattern_id", "version", "n"), CASES)
def test_generated_code_parses_names_and_versions(pattern_id, version, n):
    params = _params(pattern_id, PARAM_SETS[n])
    # The templates themselves are laid out as mix format would (no formatting pass), for these names.
    result = generate(pattern_id, params, version, format_code=False)
    assert result.files and result.notes
    assert result.checks.parsed, [f.errors for f in result.checks.files]
    if elixir_available() and any(f.language == "elixir" for f in result.files):
        assert result.checks.elixir
        for check in result.checks.files:
            if check.parser == "tree-sitter-elixir":
                assert check.elixir == "ok", (check.path, check.elixir)
    everything = "\n".join(f.content for f in result.files)
    resource = params.get("resource")
    if resource and "resource" in _declared(pattern_id) and pattern_id not in RESOURCE_FREE:
        assert resource in everything or camelize(resource) in everything
        assert any(resource in f.path for f in result.files)
        assert "ShopWeb" in everything and "current_scope" not in everything
    target = parse_version(version)
    just_after = f"{target.major}.{target.minor}.{target.patch + 1}"  # the code is for this version only
    for file in result.files:
        problems = check_api_names(f"```\n{file.content}\n```", str(target), just_after)
        assert problems == [], (file.path, [str(p) for p in problems])


def heex_expressions(heex: str) -> list[str]:
    """Every attribute and body expression of a HEEx template, outside <script> and <style> (whose text HEEx
    does not interpolate: a colocated hook's JavaScript braces are not expressions)."""
    found = []
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        tag = next((c for c in node.children if c.type == "start_tag"), None)
        name = tag and next((c for c in tag.children if c.type == "tag_name"), None)
        if node.type == "expression_value":
            found.append(node.text.decode())
        elif not (name is not None and name.text in (b"script", b"style")):
            stack.extend(node.children)
    return found


@pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH")
def test_every_heex_expression_is_elixir():
    """tree-sitter-heex accepts any braces; Elixir must parse what is inside them, or the template does not compile
    (a ${...} left inside a jinja string literal once rendered as {@${assign}})."""
    where = {}
    cases = [(p, _params(p, PARAM_SETS[n]), v) for p, v, n in CASES] + \
        [(p, o, v) for p, o in OPTION_SETS for v in ("0.20", "1.2.10")]
    for pattern_id, params, version in cases:
        for file in generate(pattern_id, params, version).files:
            if file.language == "elixir":
                for content, _line in heex_sigils(file.content):
                    for expression in heex_expressions(content):
                        where.setdefault(expression, (pattern_id, version, file.path))
    assert len(where) > 300
    broken = unparsable_elixir(list(where))
    assert broken == {}, [(where[e], e, error) for e, error in broken.items()]


@pytest.mark.parametrize(("pattern_id", "version"), [(p, v) for p in sorted(load_patterns()) for v in ("1.0", "1.2")])
def test_generated_code_passes_our_own_reviewer(pattern_id, version):
    for file in generate(pattern_id, {}, version).files:
        findings = review_source(file.content, filename=file.path, liveview_version=version).findings
        assert findings == [], [(f.rule, f.line, f.message) for f in findings]


@pytest.mark.parametrize(("pattern_id", "params", "version"),
                         [(p, o, v) for p, o in OPTION_SETS for v in ("0.20", "1.2.10")])
def test_options_give_code_that_parses_is_formatted_and_reviews_clean(pattern_id, params, version):
    result = generate(pattern_id, params, version, format_code=False)
    assert result.checks.parsed, [f.errors for f in result.checks.files]
    if elixir_available():
        assert all(c.elixir == "ok" for c in result.checks.files if c.parser == "tree-sitter-elixir"), \
            [(c.path, c.elixir) for c in result.checks.files]
    target = parse_version(version)
    just_after = f"{target.major}.{target.minor}.{target.patch + 1}"
    for file in result.files:
        assert check_api_names(f"```\n{file.content}\n```", str(target), just_after) == [], file.path
        findings = review_source(file.content, filename=file.path, liveview_version=version).findings
        assert findings == [], [(file.path, f.rule, f.line, f.message) for f in findings]


LONG_NAMES = {"resource": "purchase_order_line", "context": "Procurement.Purchasing", "web_module": "AcmeProcurementWeb",
              "topic": "org:#{organization_id}:purchase_order_lines", "limit": 100, "event": "purchase_order_line:archive"}


@pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH")
def test_long_names_still_give_code_mix_format_leaves_alone(monkeypatch):
    """Templates are laid out for usual names; long ones push calls past 98 columns, so the output goes through
    Code.format_string! before it is returned (a pasted snippet passes mix format --check-formatted)."""
    cases = [(p, _params(p, LONG_NAMES), v) for p in sorted(load_patterns()) for v in ("0.20", "1.2")]
    # One elixir run for every raw file (it also learns their formatted text), then generate as users do.
    check_elixir_sources([f.content for p, params, v in cases for f in generate(p, params, v, format_code=False).files
                          if f.language == "elixir"])
    sources = {(p, v, f.path): f.content for p, params, v in cases for f in generate(p, params, v).files
               if f.language == "elixir"}
    monkeypatch.setattr(checks, "_ELIXIR_RESULTS", {})  # checked afresh, not from what formatting cached
    results = check_elixir_sources(list(sources.values()))
    assert [key for key, source in sources.items() if results[source] != "ok"] == []


def test_version_fallbacks_are_explained():
    old = generate("async_loading", {}, "1.1")
    new = generate("async_loading", {}, "1.1.5")
    assert "stream_async" not in old.files[0].content and "start_async" in old.files[0].content
    assert "stream_async" in new.files[0].content
    assert any("1.1.5" in n for n in old.notes)
    hook_file = generate("archive_with_revert", {}, "1.0")
    colocated = generate("archive_with_revert", {}, "1.1")
    assert any(f.path.endswith(".js") for f in hook_file.files)
    assert not any(f.path.endswith(".js") for f in colocated.files)
    assert "ColocatedHook" in colocated.files[0].content
    assert "used_input?" in generate("validated_form", {}, "1.0").files[0].content
    assert "phx-feedback-for" in generate("validated_form", {}, "0.20.17").files[0].content


def test_what_the_knowledge_base_requires_is_in_the_code():
    delete = generate("delete_with_transition", {"transition_ms": 450}, "1.2").files[0].content
    assert "phx-remove" in delete and "duration-[450ms]" in delete and "time: 450" in delete
    assert "Process.send_after" not in delete
    insert = generate("optimistic_stream_insert", {}, "1.2").files[0].content
    assert "{:exit, _reason}" in insert and "Map.get(" in insert and "socket" not in insert.split("fn ->")[1].split("end)")[0]
    assert 'aria-busy={to_string(@saving)}' in generate("aria_live_region", {}, "1.2").files[0].content
    search = generate("search_async", {}, "1.2").files[0].content
    assert "start_async(:search" in search and "cancel_async(:search)" in search and 'phx-debounce="300"' in search
    pubsub = "\n".join(f.content for f in generate("scoped_pubsub_stream", {}, "1.2").files)
    assert "if connected?(socket)" in pubsub and "scope.user.id" in pubsub
    component = generate("validated_form", {"component": True}, "1.2").files[0].content
    assert "phx-target={@myself}" in component and "live_component" in component


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"resource": "{{ 7*7 }}"}, "snake_case identifier"),
        ({"resource": 'x"); System.cmd("rm'}, "snake_case identifier"),
        ({"resource": "comment\nend"}, "snake_case identifier"),
        ({"resource": "a" * 10_000}, "snake_case identifier"),
        ({"context": "my_app.blog"}, "module alias"),
        ({"web_module": "MyAppWeb; IO.puts(1)"}, "module alias"),
        ({"transition_ms": 10}, "milliseconds from 50 to 2000"),
        ({"transition_ms": "3 minutes"}, "milliseconds"),
        ({"transition_ms": "300ms; IO.puts(1)"}, "milliseconds"),
        ({"event": 'delete" phx-click="x'}, "event name"),
        ({"event": "del#{1}"}, "event name"),
        ({"context_function": "delete_comment(1)"}, "function name"),
        ({"context_function": "Blog.delete_comment/7"}, "does not fit"),
        ({"context_function": "IO.puts/1; Blog.delete"}, "function name"),
        ({"collection": "list"}, "one of stream, assign"),
        ({"not_a_param": 1}, "valid: "),
        ({"resource": "end"}, "snake_case identifier"),
    ],
)
def test_hostile_or_wrong_parameters_are_refused(params, message):
    with pytest.raises(InputError, match=re.escape(message)):
        generate("delete_with_transition", params, "1.2")


def test_unknown_pattern_lists_the_valid_ones():
    with pytest.raises(InputError, match="delete_with_transition") as info:
        generate("make_it_fast", {}, None)
    assert "valid:" in str(info.value)


@pytest.mark.parametrize(
    ("pattern_id", "params", "message"),
    [
        ("archive_with_revert", {"hook": "new"}, "capitalised hook name"),
        ("archive_with_revert", {"hook": "Revert = alert(1); const X"}, "capitalised hook name"),
        ("scoped_pubsub_stream", {"topic": 'org:#{System.cmd("rm")}'}, "topic"),
        ("scoped_pubsub_stream", {"topic": "org:#{socket.assigns.org}"}, "topic"),
        ("scoped_pubsub_stream", {"topic": 'org:" <> x <> "'}, "topic"),
        ("live_upload", {"accept": ".pdf) <> x(."}, "file extensions"),
        ("live_upload", {"accept": "application/*"}, "file extensions"),
        ("search_async", {"debounce_ms": "blur; x"}, "blur"),
        ("submit_loading_button", {"post_to": '/log_in" phx-click="x'}, "route path"),
        ("submit_loading_button", {"post_to": "/users/../admin"}, "route path"),
        ("multi_step_wizard", {"post_to": "/users/#{id}/register"}, "route path"),
        ("multi_step_wizard", {"post_to": "/register?next=/admin"}, "route path"),
    ],
)
def test_new_parameter_kinds_refuse_code(pattern_id, params, message):
    with pytest.raises(InputError, match=re.escape(message)):
        generate(pattern_id, params, "1.2")


@pytest.mark.parametrize(
    ("pattern_id", "params", "expected"),
    [
        ("instant_toggle", {"target": "#panel"}, 'attr :id, :string, default: "panel"'),
        ("live_upload", {"accept": "PDF, .Png"}, "accept: ~w(.pdf .png)"),
        ("live_upload", {"accept": ["image/*", "application/pdf"]}, "accept: ~w(image/* application/pdf)"),
        ("undo_delete", {"undo_ms": "8s"}, "@undo_ms 8000"),
        ("delete_with_transition", {"transition_ms": "0.25s"}, "time: 250"),
        ("validated_form", {"fields": "[:title, :body]"}, "field={@form[:body]}"),
        ("delete_with_transition", {"resource": "LineItem"}, "line_item"),
        ("delete_with_transition", {"context_function": "trash_comment"}, "Blog.trash_comment(socket.assigns"),
        ("delete_with_transition", {"context_function": "&MyApp.Mail.trash/1"}, "Mail.trash(comment)"),
        ("archive_with_revert", {"hook": ".CardRevert"}, 'phx-hook=".CardRevert"'),
        ("scoped_pubsub_stream", {"topic": "\"org:#{org_id}:posts\""}, 'defp topic(org_id), do: "org:#{org_id}:posts"'),
        ("scoped_pubsub_stream", {"topic": "org:{org_id}:posts"}, "subscribe_posts(socket.assigns.org_id)"),
        ("submit_loading_button", {"post_to": "users/log_in"}, 'action="/users/log_in"'),
        ("multi_step_wizard", {"post_to": "\"/new_registration\""}, 'action="/new_registration"'),
    ],
)
def test_values_are_read_in_the_forms_people_write_them(pattern_id, params, expected):
    assert expected in "\n".join(f.content for f in generate(pattern_id, params, "1.2").files)


def test_labels_cannot_carry_code():
    with pytest.raises(InputError, match="short label"):
        generate("submit_loading_button", {"disable_text": 'Sending"<script>'}, "1.2")
    ok = generate("submit_loading_button", {"disable_text": "Posting..."}, "1.2")
    assert 'phx-disable-with="Posting..."' in ok.files[0].content
