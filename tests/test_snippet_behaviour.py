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

from snippet_behaviour import run_scenario

needs_elixir = pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH: behaviour scenarios need it")

STALE_EXCEPTIONS = """
defmodule Ecto.StaleEntryError do
  defexception message: "stale"
end

defmodule Ecto.NoResultsError do
  defexception message: "no results"
end
"""


def elements(heex: str) -> list[tuple[str, dict[str, str]]]:
    """(tag or component name, {attribute: value text}) for every element of a HEEx template."""
    found = []
    stack = [parse("heex", heex).root_node]
    while stack:
        node = stack.pop()
        name = next((c for c in node.children if c.type in ("tag_name", "component_name")), None)
        attributes = [c for c in node.children if c.type in ("attribute", "special_attribute")]
        if name is not None and node.type in ("start_tag", "self_closing_tag", "start_component",
                                               "self_closing_component"):
            values = {}
            for attribute in attributes:
                key = next(c for c in attribute.children if c.type.endswith("attribute_name")).text.decode()
                value = next((c for c in attribute.children if c.type in ("quoted_attribute_value", "expression")),
                             None)
                inner = value and next((c for c in value.children
                                        if c.type in ("attribute_value", "expression_value")), None)
                values[key] = inner.text.decode() if inner is not None else ""
            found.append((name.text.decode(), values))
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


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
@pytest.mark.parametrize("collection", ["assign", "stream"])
def test_clearing_the_search_is_not_a_failure_and_drops_a_waiting_result(version, collection):
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
    source = generate("search_async", {"collection": "stream"}, "1.2").files[0].content
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
    assert all("duration-250" in attrs["class"].split() and attrs["phx-remove"] == "fade_out()" for attrs in rows)
    hide = _call_options(content.content, "JS.hide")
    transition = re.search(r'transition:\s*\{("[^"]*"),\s*("[^"]*"),\s*("[^"]*")\}', hide)
    assert "duration-250" in transition.group(1) and transition.group(3) == '"opacity-0"'
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
s = socket(%{current_scope: :scope, comment_to_delete: nil, streams: %{comments: [%{id: 1}, %{id: 2}]}})
{:noreply, s} = Subject.handle_event("delete", %{}, s)
if Process.get(:deleted), do: raise "deleted without a question"
{:noreply, s} = Subject.handle_event("ask_delete", %{"id" => "2"}, s)
{:noreply, s} = Subject.handle_event("delete", %{"id" => "1"}, s)
if Process.get(:deleted) != %{id: 2}, do: raise "deleted #{inspect(Process.get(:deleted))}"
if s.assigns.streams.comments != [%{id: 1}] or s.assigns.comment_to_delete, do: raise "row or question stayed"
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
    assert by_kind[":info"]["dismiss_after"] == "4000"
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
