"""What the generated snippets do, not what their text contains (issue 15's bugs).

Elixir scenarios run a generated LiveView's callbacks against recording stand-ins for LiveView
(tests/snippet_behaviour.py): a cancelled search is not a failure, an upload is not consumed while entries are
unfinished, a failed save keeps the files, a stale edit of a deleted record says so. Markup checks read the
parsed HEEx (tree-sitter), never the raw text: which element carries which attribute."""

from __future__ import annotations

import re

import pytest

from skill_server.parsing import parse
from skill_server.patterns.checks import elixir_available, heex_sigils
from skill_server.patterns.snippets import generate

from snippet_behaviour import run_scenario, without_render_helpers

needs_elixir = pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH: behaviour scenarios need it")

STALE_EXCEPTIONS = """
defmodule Ecto.StaleEntryError do
  defexception message: "stale"
end

defmodule Ecto.NoResultsError do
  defexception message: "no results"
end
"""


def _tag_and_attributes(node) -> tuple[str, dict[str, str]] | None:
    """(tag or component name, {attribute: value text}) of a start tag node, else None."""
    name = next((c for c in node.children if c.type in ("tag_name", "component_name", "slot_name")), None)
    if name is None or node.type not in ("start_tag", "self_closing_tag", "start_component",
                                         "self_closing_component", "start_slot"):
        return None
    values = {}
    for attribute in (c for c in node.children if c.type in ("attribute", "special_attribute")):
        key = next(c for c in attribute.children if c.type.endswith("attribute_name")).text.decode()
        value = next((c for c in attribute.children if c.type in ("quoted_attribute_value", "expression")), None)
        inner = value and next((c for c in value.children if c.type in ("attribute_value", "expression_value")),
                               None)
        values[key] = inner.text.decode() if inner is not None else ""
    return (":" if node.type == "start_slot" else "") + name.text.decode(), values


def elements(heex: str) -> list[tuple[str, dict[str, str]]]:
    """(tag or component name, {attribute: value text}) for every element of a HEEx template."""
    found = []
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        element = _tag_and_attributes(node)
        if element is not None:
            found.append(element)
        stack.extend(reversed(node.children))
    return found


def markup(source: str) -> list[tuple[str, dict[str, str]]]:
    return [element for content, _ in heex_sigils(source) for element in elements(content)]


def elixir_file(result, ending: str) -> str:
    return next(f.content for f in result.files if f.path.endswith(ending))


# --- search_async: cancel, waiting results, failures -----------------------------------------------------------

SEARCH_CONTEXT = """
defmodule MyApp.Blog do
  def search_products(_scope, query), do: [%{id: 1, name: query}]
end
"""

# Phoenix.LiveView.AsyncResult's fields and ok/1, as LiveView defines them.
ASYNC_RESULT = """
defmodule Phoenix.LiveView.AsyncResult do
  defstruct ok?: false, loading: nil, failed: nil, result: nil
  def ok(value), do: %__MODULE__{ok?: true, result: value}
end
"""


@needs_elixir
@pytest.mark.parametrize(("version", "collection"), [("0.20", "assign"), ("1.2", "assign"), ("0.20", "stream"),
                                                     ("1.1", "stream")])
def test_clearing_the_search_is_not_a_failure_and_drops_a_waiting_result(version, collection):
    """start_async searches: every version for a list assign, before 1.1.5 (no stream_async) for a stream."""
    source = generate("search_async", {"collection": collection}, version).files[0].content
    shown = "s.assigns.results" if collection == "assign" else "s.assigns.streams.products"
    run_scenario(source, f"""
s = socket(%{{current_scope: :scope}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
{{:noreply, s}} = Subject.handle_event("search", %{{"search" => %{{"query" => "lamp"}}}}, s)
[{{:start_async, :search, task}}] = for {{:start_async, _, _}} = c <- calls(), do: c
waiting = task.()

# The box is cleared while the finished result is already on its way.
{{:noreply, s}} = Subject.handle_event("search", %{{"search" => %{{"query" => " "}}}}, s)
unless {{:cancel_async, :search}} in calls(), do: raise "clearing did not cancel the search"
{{:noreply, s}} = Subject.handle_async(:search, {{:ok, waiting}}, s)
if {shown} != [], do: raise "a result that was waiting when the box was cleared landed"

{{:noreply, s}} = Subject.handle_async(:search, {{:exit, {{:shutdown, :cancel}}}}, s)
if s.assigns.error, do: raise "the cancel was reported as a failure: #{{s.assigns.error}}"

# A real search still lands, and a real crash is still reported.
{{:noreply, s}} = Subject.handle_event("search", %{{"search" => %{{"query" => "desk"}}}}, s)
{{:noreply, s}} = Subject.handle_async(:search, {{:ok, {{"desk", [%{{id: 2, name: "desk"}}]}}}}, s)
if {shown} != [%{{id: 2, name: "desk"}}], do: raise "the current result did not land"
{{:noreply, s}} = Subject.handle_async(:search, {{:exit, {{%RuntimeError{{}}, []}}}}, s)
unless s.assigns.error, do: raise "a crashed search was not reported"
""", SEARCH_CONTEXT)


@needs_elixir
def test_a_stream_of_results_is_replaced_not_appended():
    source = generate("search_async", {"collection": "stream"}, "1.1").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
{:noreply, s} = Subject.handle_event("search", %{"search" => %{"query" => "a"}}, s)
{:noreply, s} = Subject.handle_async(:search, {:ok, {"a", [%{id: 1}, %{id: 2}]}}, s)
{:noreply, s} = Subject.handle_event("search", %{"search" => %{"query" => "ab"}}, s)
{:noreply, s} = Subject.handle_async(:search, {:ok, {"ab", [%{id: 3}]}}, s)
if s.assigns.streams.products != [%{id: 3}], do: raise "old results stayed: #{inspect(s.assigns.streams)}"
""", SEARCH_CONTEXT)


@needs_elixir
@pytest.mark.parametrize("version", ["1.1.5", "1.2.10"])
@pytest.mark.parametrize("url", [False, True])
def test_a_streamed_search_uses_stream_async_from_1_1_5_and_clearing_supersedes_the_running_one(version, url):
    """LiveView applies only the result of the last stream_async started under a name (async.ex
    prune_current_async), so each search and each clearing must start one under the same name, and each
    task's result must reset the stream."""
    source = generate("search_async", {"collection": "stream", "url": url}, version).files[0].content
    source = source.replace("defp search_status", "def search_status")
    assert "start_async" not in source and "handle_async" not in source
    search = ('Subject.handle_params(%{"q" => q}, "http://localhost/products?q=x", s)' if url
              else 'Subject.handle_event("search", %{"search" => %{"query" => q}}, s)')
    run_scenario(source, f"""
s = socket(%{{current_scope: :scope}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
unless s.assigns.products.ok? and s.assigns.streams.products == [], do: raise "not an empty, settled result at mount"
run = fn s, q -> {{:noreply, s}} = {search}; s end
s = run.(s, "lamp")
s = run.(s, " ")
s = run.(s, "desk")
tasks = for {{:stream_async, :products, fun}} <- calls(), do: fun.()
expected = [{{:ok, [%{{id: 1, name: "lamp"}}], reset: true}}, {{:ok, [], reset: true}}, {{:ok, [%{{id: 1, name: "desk"}}], reset: true}}]
if tasks != expected, do: raise "searches ran as #{{inspect(tasks)}}"
unless {{:cancel_async, :products}} in calls(), do: raise "clearing did not cancel the running query"
if s.assigns.query != "desk", do: raise "query is #{{inspect(s.assigns.query)}}"
loading = %{{s.assigns.products | loading: true}}
if Subject.search_status(loading, "desk") != "Searching…", do: raise "no busy status"
if Subject.search_status(loading, "") != "", do: raise "a cleared box announces a search"
""", SEARCH_CONTEXT + ASYNC_RESULT)


@needs_elixir
def test_a_search_kept_in_the_url_patches_and_runs_from_handle_params():
    source = generate("search_async", {"url": True}, "1.2").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
{:noreply, s} = Subject.handle_params(%{"q" => "lamp"}, "http://localhost/products?q=lamp", s)
unless Enum.any?(calls(), &match?({:start_async, :search, _}, &1)), do: raise "handle_params did not search"
{:noreply, _} = Subject.handle_event("search", %{"search" => %{"query" => "desk lamp"}}, s)
[{:push_patch, opts}] = for {:push_patch, _} = c <- calls(), do: c
if opts[:to] != "/products?q=desk+lamp", do: raise "patched to #{opts[:to]}"
""", SEARCH_CONTEXT)


@needs_elixir
def test_a_query_of_another_shape_in_the_url_is_no_query():
    source = generate("search_async", {"url": True}, "1.2").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
{:noreply, s} = Subject.handle_params(%{"q" => ["lamp"]}, "http://localhost/products?q[]=lamp", s)
if s.assigns.query != "" or Enum.any?(calls(), &match?({:start_async, _, _}, &1)), do: raise "searched for a list"
""", SEARCH_CONTEXT)


# --- live_upload: unfinished entries, failed saves, auto_upload, external ----------------------------------------

UPLOAD_CONTEXT = """
defmodule MyApp.Blog do
  def update_profile_avatar(_scope, %{"avatar" => %{client_name: "bad.png"}}), do: {:error, :invalid}
  def update_profile_avatar(_scope, %{"avatar" => upload}), do: {:ok, upload.client_name}
end
"""


def _entry(ref: str, name: str, done: bool, valid: bool = True) -> str:
    return (f'%{{ref: "{ref}", client_name: "{name}", client_type: "image/png", done?: {str(done).lower()}, '
            f'valid?: {str(valid).lower()}, path: "/tmp/{ref}", uuid: "{ref}"}}')


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_the_upload_save_waits_for_finished_valid_entries_and_keeps_files_that_failed(version):
    source = generate("live_upload", {"max_entries": 3}, version).files[0].content
    run_scenario(source, f"""
s = socket(%{{current_scope: :scope}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
[{{:allow_upload, :avatar, opts}}] = for {{:allow_upload, _, _}} = c <- calls(), do: c
unless opts[:auto_upload], do: raise "no auto_upload: nothing uploads (no progress) before submit"

# Still uploading, or refused (not done, never will be): nothing is consumed, the user is told.
for entries <- [[{_entry("a", "a.png", True)}, {_entry("b", "b.png", False)}],
                [{_entry("c", "huge.png", False, valid=False)}]] do
  s = put_in(s, [:assigns, :uploads, :avatar, :entries], entries)
  {{:noreply, s}} = Subject.handle_event("save", %{{}}, s)
  unless s.assigns.flash[:error], do: raise "an unfinished upload was not reported"
end
if Enum.any?(calls(), &match?({{:consumed, _}}, &1)), do: raise "consumed while entries were unfinished"

# All done: the good file is saved and consumed, the one whose save failed is postponed (kept).
s = put_in(s, [:assigns, :uploads, :avatar, :entries], [{_entry("d", "ok.png", True)}, {_entry("e", "bad.png", True)}])
{{:noreply, s}} = Subject.handle_event("save", %{{}}, s)
unless {{:consumed, "d"}} in calls(), do: raise "the saved file was not consumed"
unless {{:postponed, "e"}} in calls(), do: raise "the file whose save failed was thrown away"
unless s.assigns.flash[:error], do: raise "the failed save was not reported"
""", UPLOAD_CONTEXT)


@needs_elixir
def test_external_uploads_presign_an_s3_upload_and_save_the_key():
    result = generate("live_upload", {"external": True}, "1.2")
    assert any(f.path == "assets/js/uploaders.js" for f in result.files)
    run_scenario(result.files[0].content, """
s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
[{:allow_upload, :avatar, opts}] = for {:allow_upload, _, _} = c <- calls(), do: c
presign = opts[:external]
{:ok, meta, _} = presign.(%{uuid: "u1", client_type: "image/png", client_name: "x.png"}, s)
if meta.uploader != "S3" or meta.key != "profiles/u1.png", do: raise "bad meta #{inspect(meta)}"
""", """
defmodule MyApp.Blog do
  def presign_avatar_upload(_key, "image/png", 8_000_000), do: {:ok, %{url: "https://b", fields: %{}}}
end
defmodule MIME do
  def extensions("image/png"), do: ["png"]
end
""")


def test_accept_filters_are_read_as_people_write_them():
    content = generate("live_upload", {"accept": [".fw", "PDF", "image/*"]}, "1.2").files[0].content
    assert "~w(.fw .pdf image/*)" in content
    notes = " ".join(generate("live_upload", {"accept": "fw"}, "1.2").notes)
    assert 'config :mime, :types, %{"application/x-fw" => ["fw"]}' in notes  # .fw is unknown to mime
    assert "config :mime" not in " ".join(generate("live_upload", {"accept": ".pdf"}, "1.2").notes)


@pytest.mark.parametrize(("version", "accept", "previews"), [
    ("0.20", [".jpg", ".jpeg", ".png"], "every"), ("1.2", [".webp", "image/*", ".GIF"], "every"),
    ("1.2", [".pdf", ".png"], "images"), ("1.2", [".pdf", ".csv"], "none"),
])
def test_image_uploads_show_a_thumbnail_of_each_chosen_image(version, accept, previews):
    result = generate("live_upload", {"accept": accept}, version)
    content = result.files[0].content
    shown = [attrs for tag, attrs in markup(content) if tag == ".live_img_preview"]
    assert len(shown) == (0 if previews == "none" else 1)
    if shown:
        assert shown[0]["entry"] == "entry" and shown[0]["alt"] == ""
        assert (shown[0].get(":if") == "image?(entry)") is (previews == "images")
    has_helper = 'defp image?(entry), do: String.starts_with?(entry.client_type, "image/")' in content
    assert has_helper is (previews == "images")
    assert any("live_img_preview" in n for n in result.notes) is (previews != "none")


# --- nested_form: on_replace, sort/drop params, real buttons ----------------------------------------------------

def _call_options(source: str, call: str) -> str:
    tree = parse("elixir", source)
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        target = node.child_by_field_name("target") if node.type == "call" else None
        if target is not None and target.text.decode() == call:
            return node.text.decode()
        stack.extend(node.children)
    raise AssertionError(f"no call to {call}")


@pytest.mark.parametrize("version", ["0.20", "0.20.4", "1.2"])
def test_nested_rows_can_be_removed_and_added_by_keyboard(version):
    result = generate("nested_form", {"child": "code"}, version)
    schema = elixir_file(result, "/order.ex")
    assert re.search(r"on_replace:\s*:delete", _call_options(schema, "has_many"))
    cast = _call_options(schema, "cast_assoc")
    sort = re.search(r"sort_param:\s*:(\w+)", cast).group(1)
    drop = re.search(r"drop_param:\s*:(\w+)", cast).group(1)
    form = markup(elixir_file(result, "/form.ex"))
    senders = {attrs.get("name"): (tag, attrs) for tag, attrs in form if attrs.get("name", "").startswith("order[")}
    add_tag, add = senders[f"order[{sort}][]"] if f"order[{sort}][]" in senders else (None, {})
    assert add_tag is not None, "no control sends the sort param cast_assoc reads"
    removers = [(tag, attrs) for tag, attrs in form if attrs.get("name") == f"order[{drop}][]" and "value" in attrs]
    assert removers, "no control sends the drop param cast_assoc reads"
    for tag, attrs in [(add_tag, add), *removers]:
        assert "hidden" not in attrs.get("class", "").split(), "a control keyboard users cannot reach"
        if version == "0.20":
            assert tag == "input" and attrs["type"] == "checkbox" and "sr-only" in attrs["class"]
        else:
            assert tag == "button" and attrs["type"] == "button" and attrs["phx-click"] == 'JS.dispatch("change")'


# --- delete_with_transition: a fade out, not a dim ---------------------------------------------------------------

@pytest.mark.parametrize("collection", ["stream", "assign"])
def test_a_deleted_row_fades_out_completely(collection):
    content = generate("delete_with_transition", {"transition_ms": 250, "collection": collection}, "1.2").files[0]
    rows = [attrs for tag, attrs in markup(content.content) if tag == "li"]
    assert rows and all("phx-click-loading:opacity-0" in attrs["class"].split() for attrs in rows)
    assert all("duration-[250ms]" in attrs["class"].split() and attrs["phx-remove"] == "fade_out()" for attrs in rows)
    hide = _call_options(content.content, "JS.hide")
    transition = re.search(r'transition:\s*\{("[^"]*"),\s*("[^"]*"),\s*("[^"]*")\}', hide)
    assert "duration-[250ms]" in transition.group(1) and transition.group(3) == '"opacity-0"'
    assert re.search(r"time:\s*250\b", hide)


def test_navigation_does_not_run_every_rows_removal_on_1_2_10():
    newest = generate("delete_with_transition", {}, "1.2.10")
    app = next(f for f in newest.files if f.path == "assets/js/app.js").content
    assert re.search(r"cascadePhxRemoveOnNavigation:\s*false", app)
    assert not any(f.path.endswith(".js") for f in generate("delete_with_transition", {}, "1.2.9").files)
    assert not any(f.path.endswith(".js")
                   for f in generate("delete_with_transition", {"animate_on_navigation": True}, "1.2.10").files)


# --- optimistic_locking_update: lock in the changeset and the form, deleted records ------------------------------

LOCK_CONTEXT = STALE_EXCEPTIONS + """
defmodule MyApp.Blog do
  def get_document!(_scope, _id) do
    case Process.get(:row) do
      nil -> raise Ecto.NoResultsError
      row -> row
    end
  end
  def update_document(_scope, _doc, _params), do: raise(Ecto.StaleEntryError)
  def change_document(doc), do: doc
  def change_document(doc, _params), do: doc
end
"""


@needs_elixir
def test_a_stale_save_reloads_or_says_the_record_is_gone():
    source = generate("optimistic_locking_update", {}, "1.2").files[0].content
    run_scenario(source, """
Process.put(:row, %{id: 7, lock_version: 1})
{:ok, s} = Subject.mount(%{"id" => "7"}, %{}, socket(%{current_scope: :scope}))
Process.put(:row, %{id: 7, lock_version: 2})
{:noreply, s} = Subject.handle_event("save", %{"document" => %{}}, s)
if s.assigns.document.lock_version != 2 or s.assigns.deleted, do: raise "the fresh version was not loaded"

Process.put(:row, nil)
{:noreply, s} = Subject.handle_event("save", %{"document" => %{}}, s)
unless s.assigns.deleted and s.assigns.flash[:error] =~ "no longer exists", do: raise "a deleted row crashed or was hidden"
""", LOCK_CONTEXT)


def test_the_lock_travels_in_the_form_and_the_changeset():
    result = generate("optimistic_locking_update", {"lock_field": "version"}, "1.2")
    schema = elixir_file(result, "/document.ex")
    assert re.fullmatch(r"optimistic_lock\(:version\)", _call_options(schema, "optimistic_lock"))
    assert ":version" in _call_options(schema, "cast")
    hidden = [attrs for tag, attrs in markup(elixir_file(result, "/edit.ex"))
              if tag == "input" and attrs.get("type") == "hidden"]
    assert hidden and hidden[0]["name"] == "@form[:version].name" and hidden[0]["value"] == "@form[:version].value"


# --- async_loading, optimistic_toggle, context functions ---------------------------------------------------------

@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_loading_lists_say_they_are_busy(version):
    lists = [attrs for tag, attrs in markup(generate("async_loading", {}, version).files[0].content) if tag == "ul"]
    assert lists and all(attrs["aria-busy"].startswith("to_string(") for attrs in lists)


@needs_elixir
def test_a_toggle_told_not_to_flash_reports_a_refusal_in_the_status_line():
    source = generate("optimistic_toggle", {"flash": False}, "1.2").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope, status: ""})
{:noreply, s} = Subject.handle_event("toggle_done", %{"id" => "1"}, s)
if Enum.any?(calls(), &match?({:put_flash, _, _}, &1)), do: raise "a flash was shown"
if s.assigns.status == "", do: raise "the refusal was not reported"
""", """
defmodule MyApp.Blog do
  def get_task!(_scope, _id), do: %{id: 1, done: false}
  def update_task(_scope, _task, _attrs), do: {:error, :refused}
end
""")


TOGGLE_REFUSED = """
defmodule MyApp.Blog do
  def get_task!(_scope, _id), do: %{id: 1, done: false}
  def update_task(_scope, _task, _attrs), do: {:error, :refused}
end
"""

TOGGLE_VERSIONS = ["0.20", "0.20.4", "1.0", "1.1", "1.1.5", "1.2", "1.2.10"]


@pytest.mark.parametrize("version", TOGGLE_VERSIONS)
@pytest.mark.parametrize("flash", [True, False])
def test_a_js_painted_toggle_flips_its_state_in_the_click_and_keeps_a_revert(version, flash):
    """paint: js: one phx-click both flips aria-pressed (JS.toggle_attribute, 0.20.4+) and pushes the event; the
    button carries the saved state as a data-revert command, and no hook is involved. Before 0.20.4 the
    pending style is used and the notes say why."""
    result = generate("optimistic_toggle", {"paint": "js", "flash": flash}, version)
    source = elixir_file(result, "index.ex")
    button = next(attrs for tag, attrs in markup(source) if tag == "button")
    assert "phx-hook" not in source
    if version == "0.20":
        assert "toggle_attribute" not in source and "data-revert" not in button
        assert [f.path for f in result.files] == ["lib/my_app_web/live/task_live/index.ex"]
        assert any("0.20.4" in note for note in result.notes)
        return
    click = button["phx-click"]
    assert click.index('JS.toggle_attribute({"aria-pressed", "true", "false"})') < click.index('JS.push("toggle_done"')
    assert button["aria-pressed"] == "to_string(task.done)"
    assert button["data-revert"] == 'JS.set_attribute({"aria-pressed", to_string(task.done)})'
    assert button["id"] == 'dom_id <> "-done"'
    # The visible state follows aria-pressed, so what is seen and what is announced cannot differ.
    glyphs = [attrs.get("class", "") for tag, attrs in markup(source) if tag == "span"]
    assert "group-aria-pressed:hidden" in glyphs and "hidden group-aria-pressed:inline" in glyphs
    assert any(f.path == "assets/js/revert_js.js" for f in result.files)


@needs_elixir
@pytest.mark.parametrize("version", ["0.20.4", "1.2"])
@pytest.mark.parametrize("flash", [True, False])
def test_a_refused_js_painted_toggle_asks_the_page_to_revert_that_button(version, flash):
    source = generate("optimistic_toggle", {"paint": "js", "flash": flash}, version).files[0].content
    # The stream's dom_id for task 1 is "tasks-1" and the button's id is dom_id <> "-done".
    run_scenario(source, """
s = socket(%{current_scope: :scope, status: ""})
{:noreply, _s} = Subject.handle_event("toggle_done", %{"id" => "1"}, s)
unless {:push_event, "revert-js", %{id: "tasks-1-done"}} in calls(), do: raise "no revert pushed: #{inspect(calls())}"
unless Enum.any?(calls(), &match?({:stream_insert, :tasks, %{id: 1, done: false}, _}, &1)), do: raise "not re-inserted"
""", TOGGLE_REFUSED)


REVERT_HARNESS = r"""
const listeners = {}
const executed = []
const button = {getAttribute: (name) => (name === "data-revert" ? "[[\"set_attr\",{}]]" : null)}
globalThis.window = {
  addEventListener: (name, fn) => (listeners[name] = fn),
  liveSocket: {execJS: (el, command) => executed.push([el, command])},
}
globalThis.document = {getElementById: (id) => (id === "tasks-1-done" ? button : null)}
await import(process.argv[2])
listeners["phx:revert-js"]({detail: {id: "tasks-1-done"}})
listeners["phx:revert-js"]({detail: {id: "gone"}})
if (executed.length !== 1 || executed[0][0] !== button || executed[0][1] !== "[[\"set_attr\",{}]]") {
  throw new Error("ran " + JSON.stringify(executed))
}
console.log("REVERT-OK")
"""


@pytest.mark.skipif(not __import__("shutil").which("node"), reason="no node on PATH")
def test_the_revert_listener_runs_the_named_elements_revert_command(tmp_path):
    import subprocess

    script = next(f.content for f in generate("optimistic_toggle", {"paint": "js"}, "1.2").files
                  if f.path.endswith("revert_js.js"))
    (tmp_path / "revert.mjs").write_text(script, encoding="utf-8")
    (tmp_path / "run.mjs").write_text(REVERT_HARNESS, encoding="utf-8")
    done = subprocess.run(["node", str(tmp_path / "run.mjs"), str(tmp_path / "revert.mjs")], capture_output=True,
                          text=True, timeout=60)
    assert "REVERT-OK" in done.stdout, done.stdout + done.stderr


@needs_elixir
def test_the_named_context_function_is_the_one_called():
    source = generate("delete_with_transition", {"context_function": "MyApp.Mail.archive_message/2",
                                                 "event": "archive"}, "1.2").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope, streams: %{comments: [%{id: 3}]}})
{:noreply, s} = Subject.handle_event("archive", %{"id" => "3"}, s)
unless Process.get(:archived) == {:scope, %{id: 3}}, do: raise "archive_message/2 was not called"
if s.assigns.streams.comments != [], do: raise "the row stayed"
""", """
defmodule MyApp.Mail do
  def get_comment!(_scope, "3"), do: %{id: 3}
  def archive_message(scope, comment), do: (Process.put(:archived, {scope, comment}); {:ok, comment})
end
""")


# --- the new patterns: modal_dialog, toast_flash, copy_to_clipboard, inline_edit --------------------------------

def _function_body(source: str, name: str) -> str:
    match = re.search(rf"\n  def {name}\(.*?\n  end\n", source, re.S)
    assert match, f"no {name}"
    return match.group(0)


@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_the_dialog_is_modal_traps_focus_and_gives_it_back(version):
    result = generate("modal_dialog", {"transition_ms": 150}, version)
    components = elixir_file(result, "dialog_components.ex")
    panels = [attrs for tag, attrs in markup(components) if tag == ".focus_wrap"]
    assert len(panels) == 1
    panel = panels[0]
    assert panel["role"] == "dialog" and panel["aria-modal"] == "true"
    titles = [attrs for tag, attrs in markup(components) if attrs.get("id") == panel["aria-labelledby"]]
    assert titles, "aria-labelledby points at no element"
    assert panel["phx-key"] == "escape" and panel["phx-window-keydown"] == panel["phx-click-away"] == "close_dialog(@id)"
    opening = re.findall(r"\|> JS\.(\w+)", _function_body(components, "open_dialog"))
    closing = re.findall(r"\|> JS\.(\w+)", _function_body(components, "close_dialog"))
    assert opening[0] == "push_focus" and opening[-1] == "focus_first" and "show" in opening
    assert closing[-1] == "pop_focus" and "hide" in closing
    assert all("time: 150" in _call_options(components, f"JS.{c}") for c in ("show", "hide"))


@needs_elixir
def test_the_dialog_confirms_the_record_the_server_loaded():
    source = elixir_file(generate("modal_dialog", {}, "1.2"), "/index.ex")
    run_scenario(source, """
s = socket(%{current_scope: :scope, comment_to_confirm: nil, streams: %{comments: [%{id: 1}, %{id: 2}]}})
{:noreply, s} = Subject.handle_event("delete", %{}, s)
if Process.get(:deleted), do: raise "deleted without a question"
{:noreply, s} = Subject.handle_event("ask_delete", %{"id" => "2"}, s)
{:noreply, s} = Subject.handle_event("delete", %{"id" => "1"}, s)
if Process.get(:deleted) != %{id: 2}, do: raise "deleted #{inspect(Process.get(:deleted))}"
if s.assigns.streams.comments != [%{id: 1}] or s.assigns.comment_to_confirm, do: raise "row or question stayed"
""", """
defmodule MyApp.Blog do
  def get_comment!(:scope, id), do: %{id: String.to_integer(id)}
  def delete_comment(:scope, comment), do: (Process.put(:deleted, comment); {:ok, comment})
end
""")


@pytest.mark.parametrize(("version", "dismiss_errors"), [("0.20", False), ("1.2", False), ("1.2", True)])
def test_toasts_live_in_regions_that_stay_on_the_page(version, dismiss_errors):
    result = generate("toast_flash", {"dismiss_ms": "4s", "dismiss_errors": dismiss_errors}, version)
    components = elixir_file(result, "toast_components.ex")
    elements_ = markup(components)
    regions = {attrs["role"]: attrs for tag, attrs in elements_ if tag == "div" and "role" in attrs}
    assert set(regions) == {"status", "alert"} and not any(":if" in r for r in regions.values())
    toasts = [attrs for tag, attrs in elements_ if tag == ".toast"]
    by_kind = {attrs["kind"]: attrs for attrs in toasts}
    assert by_kind[":info"]["dismiss_after"] == by_kind[":warning"]["dismiss_after"] == "4000"
    status_region = components.split('role="status"')[1].split('role="alert"')[0]
    assert "kind={:warning}" in status_region, "a warning is not a failure: it belongs to the polite region"
    assert '@kind == :warning && "bg-amber' in components
    assert ("dismiss_after" in by_kind[":error"]) is dismiss_errors
    assert re.search(r'JS\.push\("lv:clear-flash", value: %\{key: kind\}\)', components)
    hooked = [attrs for tag, attrs in elements_ if "phx-hook" in attrs]
    assert hooked and all(":if" in attrs and "id" in attrs and "data-dismiss" in attrs for attrs in hooked)


@needs_elixir
def test_a_component_raises_a_toast_through_the_root_liveview():
    source = elixir_file(generate("toast_flash", {}, "1.2"), "/toasts.ex")
    run_scenario(source, """
s = socket()
{:cont, s} = Subject.on_mount(:default, %{}, %{}, s)
[{:attach_hook, :toasts, :handle_info, handle}] = calls()
Subject.put_toast(Map.put(s, :root_pid, self()), :info, "Saved.")
receive do
  message ->
    {:halt, s} = handle.(message, s)
    if s.assigns.flash[:info] != "Saved.", do: raise "no flash"
after
  100 -> raise "nothing was sent to the root LiveView"
end
{:cont, _} = handle.({:other, :message}, s)
Subject.put_toast(Map.put(s, :root_pid, self()), :warning, "Quota almost used.")
receive do
  message ->
    {:halt, s} = handle.(message, s)
    if s.assigns.flash[:warning] != "Quota almost used.", do: raise "no warning flash"
after
  100 -> raise "a warning was not sent"
end
""")


@pytest.mark.parametrize(("version", "method"), [("0.20", "hook"), ("1.2", "hook"), ("1.2", "dispatch")])
def test_the_copy_button_is_a_button_and_reports_in_a_live_region(version, method):
    result = generate("copy_to_clipboard", {"method": method}, version)
    elements_ = markup(elixir_file(result, "_components.ex"))
    button = next(attrs for tag, attrs in elements_ if tag == "button")
    status = next(attrs for tag, attrs in elements_ if attrs.get("role") == "status")
    assert button["type"] == "button" and status["id"] == '@id <> "-status"' and button["id"] == "@id"
    assert status["aria-live"] == "polite" and status["phx-update"] == "ignore"
    if method == "hook":
        assert button["phx-hook"] == ("CopyToClipboard" if version == "0.20" else ".CopyToClipboard")
    else:
        assert button["phx-click"].lstrip().startswith('JS.dispatch("app:copy"')
    scripts = [f.content for f in result.files if f.language == "javascript"] + \
        [m.group(1) for m in re.finditer(r"<script[^>]*>(.*?)</script>", result.files[0].content, re.S)]
    assert len(scripts) == 1
    tree = parse("javascript", scripts[0])
    calls = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            calls.append(node.child_by_field_name("function").text.decode())
        stack.extend(node.children)
    assert "navigator.clipboard.writeText" in calls and "document.execCommand" not in calls


INLINE_CONTEXT = """
defmodule MyApp.Blog do
  def change_post(post, attrs \\\\ %{}), do: %{data: post, changes: attrs}
  def update_post(:scope, _post, %{"title" => ""}), do: {:error, %{errors: [title: "can't be blank"]}}
  def update_post(:scope, post, %{"title" => title}) do
    Process.put(:saves, Process.get(:saves, 0) + 1)
    {:ok, %{post | title: title}}
  end
end
"""


@needs_elixir
def test_inline_edit_cancels_saves_once_and_keeps_errors_open():
    source = generate("inline_edit", {}, "1.2").files[0].content
    run_scenario(source, """
{:ok, s} = Subject.mount(socket(%{current_scope: :scope, myself: 1}))
{:ok, s} = Subject.update(%{id: "post-title-1", post: %{id: 1, title: "Old"}}, s)
{:noreply, s} = Subject.handle_event("edit", %{}, s)
unless s.assigns.editing, do: raise "edit did not open the form"
{:noreply, s} = Subject.handle_event("cancel", %{"key" => "Escape"}, s)
if s.assigns.editing or not s.assigns.refocus, do: raise "Escape did not close and refocus"
{:noreply, s} = Subject.handle_event("save", %{"value" => "Blurred after Escape"}, s)
if Process.get(:saves), do: raise "a blur after Escape saved"

{:noreply, s} = Subject.handle_event("edit", %{}, s)
{:noreply, s} = Subject.handle_event("save", %{"post" => %{"title" => ""}}, s)
unless s.assigns.editing, do: raise "a refused save closed the form"
{:noreply, s} = Subject.handle_event("save", %{"post" => %{"title" => "New"}}, s)
{:noreply, s} = Subject.handle_event("save", %{"value" => "New"}, s)
if Process.get(:saves) != 1 or s.assigns.post.title != "New" or s.assigns.editing, do: raise "not saved exactly once"
receive do
  {Subject, {:saved, %{title: "New"}}} -> :ok
after
  100 -> raise "the LiveView was not told"
end
""", INLINE_CONTEXT)


@pytest.mark.parametrize("save_on_blur", [True, False])
def test_inline_edit_input_has_keys_focus_and_error_wiring(save_on_blur):
    elements_ = markup(generate("inline_edit", {"save_on_blur": save_on_blur}, "1.2").files[0].content)
    value = next(attrs for tag, attrs in elements_ if tag == "button")
    field = next(attrs for tag, attrs in elements_ if tag == "input")
    assert value["type"] == "button" and value["phx-mounted"] == "@refocus && JS.focus()"
    assert field["phx-keydown"] == "cancel" and field["phx-key"] == "escape" and field["phx-mounted"] == "JS.focus()"
    assert ("phx-blur" in field) is save_on_blur
    errors = next(attrs for tag, attrs in elements_ if attrs.get("id") == field["aria-describedby"])
    assert errors and field["aria-invalid"].startswith("to_string(")


# --- review fixes (snippet-review): what each fix changes, run or parsed -----------------------------------------

def body_expressions(heex: str, tag: str, **attributes: str) -> list[str]:
    """The expressions ({...} or <%= ... %>) directly in the body of each <tag> carrying these attribute values."""
    found = []
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        start = next((c for c in node.children if c.type == "start_tag"), None)
        element = start is not None and _tag_and_attributes(start)
        if element and element[0] == tag and attributes.items() <= element[1].items():
            found += [x.text.decode().strip() for c in node.children if c.type in ("expression", "directive")
                      for x in c.children if x.type == "expression_value"]
        stack.extend(node.children)
    return found


@pytest.mark.parametrize("version", ["0.20", "1.2"])
@pytest.mark.parametrize("assign", ["status", "message"])
def test_the_status_region_announces_the_assign_the_handlers_set(version, assign):
    source = generate("aria_live_region", {"assign": assign}, version).files[0].content
    heex = heex_sigils(source)[0][0]
    assert body_expressions(heex, "p", role="status") == [f"@{assign}"]
    assert f"{assign}: \"The report was saved.\"" in source


def documented_usage(result, values: dict[str, str]) -> str:
    """The assigns (an Elixir map) a LiveComponent gets from the <.live_component> tag its notes tell the user to
    write, each attribute given the Elixir value the test supplies for it: a LiveComponent sees nothing else of
    the LiveView's assigns."""
    tags = [attrs for note in result.notes for tag, attrs in elements(note) if tag == ".live_component"]
    assert len(tags) == 1, "the notes show no single <.live_component> usage"
    given = {name: value for name, value in tags[0].items() if name != "module"}
    assert set(given) <= set(values), f"the usage passes attributes the test cannot supply: {set(given) - set(values)}"
    return "%{" + ", ".join(f"{name}: {values[name]}" for name in given) + "}"


@needs_elixir
@pytest.mark.parametrize("scoped", [True, False])
def test_inline_edit_saves_with_only_what_its_documented_usage_passes(scoped):
    result = generate("inline_edit", {"scoped": scoped}, "1.2")
    usage = documented_usage(result, {"id": '"post-title-1"', "post": '%{id: 1, title: "Old"}',
                                      "current_scope": ":scope"})
    run_scenario(result.files[0].content, f"""
{{:ok, s}} = Subject.mount(socket(%{{myself: 1}}))
{{:ok, s}} = Subject.update({usage}, s)
{{:noreply, s}} = Subject.handle_event("edit", %{{}}, s)
{{:noreply, s}} = Subject.handle_event("save", %{{"post" => %{{"title" => "New"}}}}, s)
if Process.get(:saves) != 1 or s.assigns.editing, do: raise "not saved"
""", """
defmodule MyApp.Blog do
  def change_post(post, attrs \\\\ %{}), do: %{data: post, changes: attrs}
  def update_post(:scope, post, %{"title" => title}), do: (Process.put(:saves, 1); {:ok, %{post | title: title}})
  def update_post(post, %{"title" => title}), do: (Process.put(:saves, 1); {:ok, %{post | title: title}})
end
""")


FORM_CONTEXT = """
defmodule MyApp.Blog.Post do
  defstruct [:id, :title]
end

defmodule MyApp.Blog do
  def change_post(post, attrs \\\\ %{}), do: %{data: post, changes: attrs}
  def create_post(:scope, %{"title" => title}), do: {:ok, %MyApp.Blog.Post{id: 7, title: title}}
end
"""


@needs_elixir
def test_after_a_save_the_create_form_is_blank_so_save_does_not_create_it_twice():
    source = without_render_helpers(generate("validated_form", {}, "1.2").files[0].content)
    run_scenario(source, """
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
{:noreply, s} = Subject.handle_event("save", %{"post" => %{"title" => "Hello"}}, s)
if s.assigns.form.source != %{data: %MyApp.Blog.Post{}, changes: %{}}, do: raise "form kept: #{inspect(s.assigns.form)}"
unless s.assigns.flash[:info], do: raise "no flash"
""", FORM_CONTEXT)


@needs_elixir
def test_the_form_component_keeps_typed_input_and_leaves_the_flash_to_the_liveview():
    result = generate("validated_form", {"component": True}, "1.2")
    usage = documented_usage(result, {"id": '"new-post"', "post": "%MyApp.Blog.Post{}", "current_scope": ":scope"})
    run_scenario(without_render_helpers(result.files[0].content), f"""
{{:ok, s}} = Subject.update({usage}, socket(%{{myself: 1}}))
{{:noreply, s}} = Subject.handle_event("validate", %{{"post" => %{{"title" => "Hel"}}}}, s)
# The LiveView renders again (a flash, a broadcast): the component's update/2 runs with the same assigns.
{{:ok, s}} = Subject.update({usage}, s)
if s.assigns.form.source.changes != %{{"title" => "Hel"}}, do: raise "a parent re-render wiped the input"
{{:noreply, s}} = Subject.handle_event("save", %{{"post" => %{{"title" => "Hello"}}}}, s)
if Enum.any?(calls(), &match?({{:put_flash, _, _}}, &1)), do: raise "a component flash would never be shown"
receive do
  {{Subject, {{:saved, %MyApp.Blog.Post{{id: 7}}}}}} -> :ok
after
  100 -> raise "the LiveView was not told"
end
if s.assigns.form.source.changes != %{{}}, do: raise "the form was not blank again"
""", FORM_CONTEXT)


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_after_a_save_the_nested_form_is_blank_so_save_does_not_create_the_order_twice(version):
    source = generate("nested_form", {}, version).files[0].content
    run_scenario(source, """
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
{:noreply, s} = Subject.handle_event("save", %{"order" => %{"lines" => %{"0" => %{"name" => "a"}}}}, s)
if s.assigns.order != %MyApp.Blog.Order{lines: []}, do: raise "the form still edits the saved order"
if s.assigns.form.source.data != %MyApp.Blog.Order{lines: []}, do: raise "form kept: #{inspect(s.assigns.form)}"
""", """
defmodule MyApp.Blog.Order do
  defstruct id: nil, lines: []
end

defmodule MyApp.Blog do
  def change_order(order, attrs \\\\ %{}), do: %{data: order, changes: attrs}
  def create_order(:scope, _params), do: {:ok, %MyApp.Blog.Order{id: 9, lines: [%{id: 1, name: "a"}]}}
end
""")


COPY_HARNESS = r"""
// The button, its status span and the element copied from; window listeners for the JS.dispatch form.
class El {
  constructor(props) { Object.assign(this, {listeners: {}, dataset: {}, textContent: ""}, props) }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn) }
  matches() { return false }
}
const status = new El({id: "copy-status"})
const button = new El({id: "copy", dataset: {copyText: "secret link"}})
const elements = {copy: button, "copy-status": status}
globalThis.document = {getElementById: (id) => elements[id] || null}
globalThis.window = new El({})
const copied = []
const setClipboard = (clipboard) => Object.defineProperty(globalThis, "navigator", {value: {clipboard}, configurable: true})
const {default: hook} = await import(process.argv[2])
const click = async () => {
  if (hook) hook.mounted.call(Object.assign(Object.create(hook), {el: button}))  // a fresh hook per click
  for (const fn of (button.listeners.click || [])) fn({})
  for (const fn of (window.listeners["app:copy"] || [])) fn({detail: {text: "secret link", from: null, status: "copy-status"}})
  button.listeners = {}
  await new Promise((resolve) => setTimeout(resolve, 0))
  return status.textContent
}
const expect = (label, got, want) => { if (got !== want) { console.error(label, got, "!=", want); process.exit(1) } }
setClipboard({writeText: async (text) => { copied.push(text) }})
expect("secure context", await click(), "Copied")
expect("copied text", copied[0], "secret link")
setClipboard({writeText: async () => { throw new Error("NotAllowedError") }})
expect("refused", await click(), "Could not copy")
setClipboard(undefined)
expect("plain http: no navigator.clipboard", await click(), "Could not copy")
console.log("COPY-OK")
"""


@pytest.mark.skipif(not __import__("shutil").which("node"), reason="no node on PATH")
@pytest.mark.parametrize(("version", "method"), [("0.20", "hook"), ("1.2", "hook"), ("1.2", "dispatch")])
def test_the_copy_script_reports_a_copy_that_cannot_happen(tmp_path, version, method):
    import subprocess

    result = generate("copy_to_clipboard", {"method": method}, version)
    scripts = [f.content for f in result.files if f.language == "javascript"] + \
        [m.group(1) for m in re.finditer(r'name="\.CopyToClipboard">(.*?)</script>', result.files[0].content, re.S)]
    module = scripts[0] if method == "hook" else scripts[0] + "\nexport default null\n"
    (tmp_path / "copy.mjs").write_text(module, encoding="utf-8")
    (tmp_path / "run.mjs").write_text(COPY_HARNESS, encoding="utf-8")
    done = subprocess.run(["node", str(tmp_path / "run.mjs"), str(tmp_path / "copy.mjs")], capture_output=True,
                          text=True, timeout=60)
    assert "COPY-OK" in done.stdout, done.stdout + done.stderr


def element_texts(heex: str, tag: str) -> list[str]:
    """The plain text (not expressions) directly inside each <tag> of a HEEx template, whitespace collapsed."""
    found = []
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        start = next((c for c in node.children if c.type in ("start_tag", "start_component", "start_slot")), None)
        element = start is not None and _tag_and_attributes(start)
        if element and element[0] == tag:
            found.append(" ".join(" ".join(c.text.decode() for c in node.children if c.type == "text").split()))
        stack.extend(node.children)
    return found


@pytest.mark.parametrize(("event", "verb"), [("delete", "Delete"), ("comment:archive", "Archive"),
                                             ("mark_spam", "Mark spam")])
def test_the_buttons_and_the_dialog_say_what_the_event_does(event, verb):
    dialog = generate("modal_dialog", {"event": event, "context_function": "Blog.act/2"}, "1.2")
    live = heex_sigils(elixir_file(dialog, "/index.ex"))[0][0]
    dialogs = [attrs for tag, attrs in elements(live) if tag == ".dialog"]
    # The id is used in "#" <> id selectors (JS.show, JS.focus_first): ":" or "." would make them invalid CSS.
    assert len(dialogs) == 1 and re.fullmatch(r'"[A-Za-z][\w-]*"', f'"{dialogs[0]["id"]}"')
    assert element_texts(live, ":title") == [f"{verb} this comment?"]
    assert element_texts(live, "button") == [verb, "Cancel", verb]
    row = generate("delete_with_transition", {"event": event, "context_function": "Blog.act/2"}, "1.2")
    assert element_texts(heex_sigils(row.files[0].content)[0][0], "button") == [verb]


@pytest.mark.parametrize(("ms", "css_class"), [(300, "duration-300"), (450, "duration-[450ms]"), (150, "duration-150")])
def test_every_fade_uses_a_duration_class_tailwind_3_and_4_both_have(ms, css_class):
    """Tailwind 3 (Phoenix 1.7, the partner of LiveView 0.20 and 1.0) has duration-N only for a few values; a
    missing class leaves the CSS fade at the default 150 ms while time: waits for the full duration."""
    for pattern_id in ("delete_with_transition", "modal_dialog", "toast_flash"):
        for file in generate(pattern_id, {"transition_ms": ms}, "1.0").files:
            for heex, _line in heex_sigils(file.content):
                classes = {c for _tag, attrs in elements(heex) for c in attrs.get("class", "").split()}
                assert not {c for c in classes if c.startswith("duration-")} - {css_class}
            transitions = re.findall(r'transition: \{"([^"]*)"', file.content)
            assert all(css_class in t.split() for t in transitions), (pattern_id, transitions)


@needs_elixir
def test_an_undone_row_comes_back_where_it_was():
    source = generate("undo_delete", {"collection": "assign"}, "1.2").files[0].content
    run_scenario(source, """
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
{:noreply, s} = Subject.handle_event("delete", %{"id" => "2"}, s)
{:noreply, s} = Subject.handle_event("delete", %{"id" => "4"}, s)
if Enum.map(s.assigns.comments, & &1.id) != [3, 1], do: raise "not removed"
[{first, _} | _] = Enum.sort(s.assigns.pending)
{:noreply, s} = Subject.handle_event("undo", %{"token" => first}, s)
# Newest first, as the context lists them; the other pending delete stays hidden.
if Enum.map(s.assigns.comments, & &1.id) != [3, 2, 1], do: raise "came back as #{inspect(Enum.map(s.assigns.comments, & &1.id))}"
""", """
defmodule MyApp.Blog do
  def list_comments(:scope), do: for(id <- [4, 3, 2, 1], do: %{id: id, body: "c#{id}"})
  def get_comment!(:scope, id), do: %{id: String.to_integer(id), body: "c" <> id}
end
""")


@pytest.mark.parametrize("collection", ["stream", "assign"])
def test_the_undo_button_takes_the_focus_the_deleted_row_had(collection):
    buttons = [attrs for tag, attrs in markup(generate("undo_delete", {"collection": collection}, "1.2").files[0].content)
               if tag == "button" and "undo" in attrs.get("phx-click", "")]
    assert buttons and all(b["phx-mounted"] == "JS.focus()" for b in buttons)


def described_errors(heex: str) -> list[tuple[str, dict[str, str], list[str]]]:
    """(tag, attributes, the :for loops inside the elements its aria-describedby names) for each input, select
    and textarea of a HEEx template. An id may be an expression (@field.id <> "-errors"): the attribute text
    of aria-describedby must then hold that expression."""
    fields, loops_by_id = [], {}
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        start = node if node.type == "self_closing_tag" else \
            next((c for c in node.children if c.type in ("start_tag", "self_closing_tag")), None)
        element = start is not None and _tag_and_attributes(start)
        if element and element[0] in ("input", "select", "textarea"):
            fields.append(element)
        if element and "id" in element[1]:
            loops_by_id[element[1]["id"]] = [attrs[":for"] for _tag, attrs in elements(node.text.decode())
                                             if ":for" in attrs]
        stack.extend(node.children)
    described = []
    for tag, attrs in fields:
        names = attrs.get("aria-describedby", "")
        loops = [loop for key, found in loops_by_id.items() if key and key in names for loop in found]
        described.append((tag, attrs, loops))
    return described


@pytest.mark.parametrize("version", ["0.20", "1.0", "1.2"])
@pytest.mark.parametrize(("pattern_id", "params"), [
    ("validated_form", {}), ("validated_form", {"component": True}), ("signup_live_validation", {}),
    ("multi_step_wizard", {}), ("dependent_selects", {}), ("submit_loading_button", {}),
])
def test_each_field_names_the_element_holding_its_errors(pattern_id, params, version):
    """A screen reader reads an input's errors with it only when aria-describedby names their element; from
    1.0 (used_input? known on the server) aria-invalid says whether any are shown."""
    result = generate(pattern_id, params, version)
    fields = [f for file in result.files if file.language == "elixir"
              for heex, _line in heex_sigils(file.content) for f in described_errors(heex)]
    fields = [(tag, attrs, loops) for tag, attrs, loops in fields if attrs.get("type") != "hidden"]
    assert fields
    for tag, attrs, loops in fields:
        assert any("errors" in loop for loop in loops), (tag, attrs, loops)
        if version != "0.20" or pattern_id == "submit_loading_button":
            assert attrs["aria-invalid"].startswith("to_string("), (tag, attrs)


# Notes are text: these check that each one appears only where it is true (no behaviour to run).
@pytest.mark.parametrize(("pattern_id", "params", "present", "absent"), [
    ("live_upload", {}, "entry's uuid", "S3"),
    ("live_upload", {"external": True}, "the S3 key here is the entry's uuid", None),
    ("archive_with_revert", {"resource": "task"}, "the task's data-revert", "card's"),
    ("instant_toggle", {}, "its default", "keeps the panel's layout"),
    ("instant_toggle", {"display": "flex"}, 'display: "flex" keeps the panel\'s layout', None),
    ("validated_form", {}, "form is blank again", "phx-target"),
    ("validated_form", {"component": True}, "phx-target={@myself}", "form is blank again and the flash"),
    ("presence_list", {}, "every online user's email address", None),
    ("presence_list", {"field": "name"}, "every viewer receives it", "email address"),
    ("signup_live_validation", {}, "uniqueness query also runs after each pause in the password", None),
    ("url_params_filters", {}, "query twice per render", "not loaded twice"),
    ("async_loading", {"url": True}, "must match them against allow-lists", None),
    ("async_loading", {}, "starts only once the socket is connected", "allow-lists"),
])
def test_a_note_appears_where_it_is_true(pattern_id, params, present, absent):
    notes = " ".join(generate(pattern_id, params, "1.2").notes)
    assert present in notes
    assert absent is None or absent not in notes


@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_the_toggled_state_is_visible_not_only_announced(version):
    heex = heex_sigils(generate("optimistic_toggle", {"field": "completed"}, version).files[0].content)[0][0]
    marks = body_expressions(heex, "span", **{"aria-hidden": "true"})
    assert marks == ['if task.completed, do: "☑", else: "☐"']
    assert [attrs["aria-pressed"] for tag, attrs in elements(heex) if tag == "button"] == ["to_string(task.completed)"]


# --- submit_loading_button post_to: a LiveView form that ends in a controller POST -----------------------------

@pytest.mark.parametrize("version", ["0.20", "0.20.4", "1.0", "1.1", "1.1.5", "1.2", "1.2.10"])
@pytest.mark.parametrize("field", ["email", "password"])
def test_a_form_posting_to_a_controller_is_handled_by_liveview_first_and_stays_disabled(version, field):
    """phx-disable-with only works on a submit LiveView handles (phx-submit); the POST then comes from
    phx-trigger-action, and the button must not be clickable again while the browser posts."""
    result = generate("submit_loading_button", {"post_to": "/users/log-in", "resource": "user", "field": field},
                      version)
    source = result.files[0].content
    tags = markup(source)
    form = next(attrs for tag, attrs in tags if tag == ".form")
    assert form["action"] == "/users/log-in" and form["phx-submit"] == "send"
    assert form["phx-trigger-action"] == "@trigger_submit"
    button = next(attrs for tag, attrs in tags if tag == "button")
    assert button["phx-disable-with"] and button["disabled"] == "@trigger_submit"
    field_input = next(attrs for tag, attrs in tags if tag == "input")
    # A password typed by the user is never rendered back into the page.
    assert ("value" in field_input) == (field != "password")
    assert "create_user" not in source and not any("create two" in n for n in result.notes)


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_the_submit_sets_the_trigger_and_keeps_what_was_typed(version):
    source = generate("submit_loading_button", {"post_to": "/users/log-in", "resource": "user",
                                                "field": "email"}, version).files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
if s.assigns.trigger_submit, do: raise "the form posts before any submit"
{:noreply, s} = Subject.handle_event("send", %{"user" => %{"email" => "a@b.c"}}, s)
unless s.assigns.trigger_submit, do: raise "the submit did not trigger the post"
if s.assigns.form.source != %{"email" => "a@b.c"}, do: raise "the typed values were lost"
""")


# --- live_count_badge: a count in the navigation kept current over PubSub ------------------------------------------

BADGE_SUPPORT = """
defmodule Phoenix.PubSub do
  def subscribe(pubsub, topic), do: Harness.Stubs.record({:subscribe, pubsub, topic})
end

defmodule MyApp.Blog do
  def count_unread_notifications(%{user: %{id: 4}}), do: 3
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.0", "1.2"])
def test_the_badge_count_loads_on_mount_and_follows_the_users_broadcasts(version):
    source = generate("live_count_badge", {}, version).files[0].content
    source = source.replace("defp accessible_name", "def accessible_name").replace("defp shown_count", "def shown_count")
    run_scenario(source, """
s = socket(%{current_scope: %{user: %{id: 4}}})
{:cont, s} = Subject.on_mount(:default, %{}, %{}, s)
if s.assigns.unread_notifications != 3, do: raise "count not loaded"
unless {:subscribe, MyApp.PubSub, "user:4:notifications"} in calls(), do: raise "not subscribed to the user's topic"
[{:attach_hook, :unread_notifications, :handle_info, hook}] = for {:attach_hook, _, _, _} = c <- calls(), do: c
{:halt, s} = hook.({:unread_notifications, 120}, s)
if s.assigns.unread_notifications != 120, do: raise "a broadcast count was not applied"
{:cont, ^s} = hook.({:other, :message}, s)
if Subject.shown_count(120) != "99+" or Subject.shown_count(7) != "7", do: raise "cap wrong"
if Subject.accessible_name(120) != "Notifications, 120 unread", do: raise "the name lost the exact count"
if Subject.accessible_name(0) != "Notifications", do: raise "zero named"
""", BADGE_SUPPORT)


@pytest.mark.parametrize("version", ["0.20", "0.20.4", "1.0", "1.1", "1.1.5", "1.2", "1.2.10"])
def test_the_badge_names_its_count_on_the_link_and_announces_nothing(version):
    source = generate("live_count_badge", {"cap": 9}, version).files[0].content
    tags = markup(source)
    link = next(attrs for tag, attrs in tags if tag == ".link")
    assert link["aria-label"] == "accessible_name(@count)" and "navigate" in link
    badge = next(attrs for tag, attrs in tags if tag == "span")
    assert badge[":if"] == "@count > 0" and badge["aria-hidden"] == "true"
    assert not any("aria-live" in attrs or attrs.get("role") in ("status", "alert") for _, attrs in tags)
    assert "@cap 9" in source
