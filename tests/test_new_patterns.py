"""What the issue-15 patterns (live_feed_stream, infinite_scroll, url_params_filters, presence_list, drag_reorder,
multi_step_wizard, signup_live_validation, autocomplete_input, dependent_selects) DO, not what their text holds.

Elixir scenarios run a generated LiveView's callbacks against the recording stand-ins of tests/snippet_behaviour.py.
For streams, `ClientModel` replays the recorded stream calls the way the LiveView client applies them (at: 0
inserts each item at the top in turn, an existing item is updated in place, a positive limit keeps the first
items and a negative one the last, reset empties first), so a test can check that what the server believes the
client holds is what the client holds. Markup checks read the parsed HEEx."""

from __future__ import annotations

import re

import pytest

from skill_server.knowledge.corpus import chunk_document, default_roots, document_paths, load_document
from skill_server.patterns.catalogue import load_patterns
from skill_server.patterns.checks import elixir_available
from skill_server.patterns.snippets import generate

from snippet_behaviour import run_scenario, without_render_helpers
from test_snippet_behaviour import markup

needs_elixir = pytest.mark.skipif(not elixir_available(), reason="no elixir on PATH: behaviour scenarios need it")

NEW_PATTERNS = ("live_feed_stream", "infinite_scroll", "url_params_filters", "presence_list", "drag_reorder",
                "multi_step_wizard", "signup_live_validation", "autocomplete_input", "dependent_selects")

CLIENT_MODEL = """
defmodule ClientModel do
  # The rows of stream `name` on the client after the recorded calls, in display order.
  def rows(calls, name) do
    Enum.reduce(calls, [], fn
      {:stream, ^name, items, opts}, rows ->
        rows = if opts[:reset], do: [], else: rows
        Enum.reduce(items, rows, &insert(&2, &1, opts))

      {:stream_insert, ^name, item, opts}, rows ->
        insert(rows, item, opts)

      {:stream_delete, ^name, item}, rows ->
        Enum.reject(rows, &(&1.id == item.id))

      {:stream_delete_by_dom_id, ^name, dom_id}, rows ->
        Enum.reject(rows, &("#{name}-#{&1.id}" == dom_id))

      _, rows ->
        rows
    end)
  end

  def ids(calls, name), do: Enum.map(rows(calls, name), & &1.id)

  defp insert(rows, item, opts) do
    cond do
      Enum.any?(rows, &(&1.id == item.id)) ->
        Enum.map(rows, &if(&1.id == item.id, do: item, else: &1))

      opts[:update_only] ->
        rows

      true ->
        rows = if opts[:at] == 0, do: [item | rows], else: rows ++ [item]
        limit(rows, opts[:limit])
    end
  end

  # Enum.take/2 with a negative count keeps the last items, as a negative limit does.
  defp limit(rows, nil), do: rows
  defp limit(rows, n), do: Enum.take(rows, n)
end

defmodule Phoenix.PubSub do
  def subscribe(pubsub, topic), do: Harness.Stubs.record({:subscribe, pubsub, topic})
end
"""


def test_the_nine_patterns_are_in_the_catalogue_and_their_knowledge_links_resolve():
    patterns = load_patterns()
    assert set(NEW_PATTERNS) <= set(patterns)
    chunk_ids = {chunk.id for path in document_paths(default_roots())
                 for chunk in chunk_document(load_document(path))}
    for pattern_id in NEW_PATTERNS:
        pattern = patterns[pattern_id]
        assert pattern.knowledge and pattern.signals and pattern.when and pattern.tradeoffs and pattern.alternatives
        missing = [link for link in pattern.knowledge if link not in chunk_ids]
        assert not missing, (pattern_id, missing)
        assert set(pattern.alternatives) <= set(patterns), pattern_id


# --- live_feed_stream ----------------------------------------------------------------------------------------------

FEED_CONTEXT = """
defmodule MyApp.Blog do
  # Messages 1..100, newest first, `before:` an id.
  def list_messages(_scope, opts) do
    before = Keyword.get(opts, :before, 101)
    100..1//-1 |> Enum.filter(&(&1 < before)) |> Enum.take(opts[:limit]) |> Enum.map(&%{id: &1, body: "m#{&1}"})
  end

  def list_messages(opts), do: list_messages(nil, opts)
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
@pytest.mark.parametrize("newest_first", [False, True])
def test_the_feed_keeps_its_cursors_equal_to_what_the_client_holds(version, newest_first):
    source = generate("live_feed_stream", {"limit": 60, "newest_first": newest_first}, version).files[0].content
    order = "Enum.reverse" if newest_first else "Enum.to_list"
    run_scenario(source, f"""
check = fn s, label ->
  client = ClientModel.ids(calls(), :messages)
  if client != s.assigns.ids, do: raise "#{{label}}: client #{{inspect(client)}} but @ids #{{inspect(s.assigns.ids)}}"
  s
end
oldest_first = fn ids -> {order}(ids) end

s = socket(%{{current_scope: %{{user: %{{id: 7}}}}}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
s = check.(s, "mount")
if oldest_first.(s.assigns.ids) != Enum.to_list(81..100), do: raise "first page: #{{inspect(s.assigns.ids)}}"
unless {{:subscribe, MyApp.PubSub, "user:7:messages"}} in calls(), do: raise "not subscribed to the user's topic"

# Scrolling back three pages: the third pushes the newest 20 off the client.
{{:noreply, s}} = Subject.handle_event("load-older", %{{"id" => "messages-81"}}, s)
{{:noreply, s}} = Subject.handle_event("load-older", %{{}}, s)
s = check.(s, "two pages back")
unless s.assigns.at_latest, do: raise "60 rows still hold the newest"
{{:noreply, s}} = Subject.handle_event("load-older", %{{"_overran" => true}}, s)
s = check.(s, "three pages back")
if oldest_first.(s.assigns.ids) != Enum.to_list(21..80), do: raise "window: #{{inspect(s.assigns.ids)}}"
if s.assigns.at_latest, do: raise "the newest were trimmed but at_latest stayed true"

# A new row while reading history is counted, not inserted after a gap.
before = length(calls())
{{:noreply, s}} = Subject.handle_info({{:created, %{{id: 101, body: "new"}}}}, s)
if Enum.any?(Enum.drop(calls(), before), &match?({{:stream_insert, _, _, _}}, &1)), do: raise "inserted after a gap"
if s.assigns.unseen != 1, do: raise "the new row was not counted"

# Back to the newest: the stream is replaced, not appended to.
{{:noreply, s}} = Subject.handle_event("show-latest", %{{}}, s)
s = check.(s, "show latest")
unless s.assigns.at_latest and s.assigns.unseen == 0, do: raise "not back at the newest"
unless Enum.any?(calls(), &match?({{:stream, :messages, _, [reset: true]}}, &1)), do: raise "no reset"

# Live rows at the live edge, past the limit: the oldest go, the cursor follows.
s = Enum.reduce(101..160, s, fn id, s ->
  {{:noreply, s}} = Subject.handle_info({{:created, %{{id: id, body: "live"}}}}, s)
  s
end)
s = check.(s, "live rows")
if length(s.assigns.ids) != 60 or oldest_first.(s.assigns.ids) != Enum.to_list(101..160), do: raise "limit not kept"

# A duplicate (created between subscribe and the first load) and an update of a trimmed row add nothing.
{{:noreply, s}} = Subject.handle_info({{:created, %{{id: 160, body: "again"}}}}, s)
{{:noreply, s}} = Subject.handle_info({{:updated, %{{id: 5, body: "edited"}}}}, s)
s = check.(s, "duplicate and trimmed update")
{{:noreply, s}} = Subject.handle_info({{:deleted, %{{id: 150}}}}, s)
check.(s, "delete")
""", CLIENT_MODEL + FEED_CONTEXT)


def test_the_feed_uses_the_limit_sign_of_the_side_it_inserts_on():
    chat = generate("live_feed_stream", {"limit": 30}, "1.2").files[0].content
    assert "limit: -@limit" in chat and "@limit 30" in chat and "phx-viewport-top" in chat
    assert "stream(:messages, older, at: 0, limit: @limit)" in chat
    feed = generate("live_feed_stream", {"newest_first": True}, "1.2").files[0].content
    assert "at: 0, limit: @limit)" in feed and "phx-viewport-bottom" in feed
    assert "stream(:messages, older, at: -1, limit: -@limit)" in feed
    old = generate("live_feed_stream", {}, "0.20").files[0].content
    assert "update_only" not in old and "overflow-y-auto" not in old
    assert "update_only: true" in chat and "flex-col-reverse overflow-y-auto" in chat


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.0", "1.1", "1.2"])
def test_a_limited_pubsub_stream_does_not_bring_back_a_trimmed_row_when_it_is_updated(version):
    source = generate("scoped_pubsub_stream", {"limit": 3}, version).files[0].content
    run_scenario(source, """
s = socket(%{current_scope: %{user: %{id: 7}}})
{:ok, s} = Subject.mount(%{}, %{}, s)
unless {:subscribed, %{user: %{id: 7}}} in calls(), do: raise "not subscribed with the viewer's scope"
{:noreply, s} = Subject.handle_info({:created, %{id: 4, title: "new"}}, s)
if ClientModel.ids(calls(), :posts) != [4, 3, 2], do: raise "the limit was not kept"
{:noreply, s} = Subject.handle_info({:updated, %{id: 1, title: "edited"}}, s)
if ClientModel.ids(calls(), :posts) != [4, 3, 2], do: raise "a trimmed row came back: #{inspect(ClientModel.ids(calls(), :posts))}"
{:noreply, s} = Subject.handle_info({:updated, %{id: 3, title: "edited"}}, s)
if Enum.find(ClientModel.rows(calls(), :posts), &(&1.id == 3)).title != "edited", do: raise "a shown row was not updated"
{:noreply, _s} = Subject.handle_info({:deleted, %{id: 4}}, s)
if ClientModel.ids(calls(), :posts) != [3, 2], do: raise "delete"
""", CLIENT_MODEL + """
defmodule MyApp.Blog do
  # Newest first, as the limit note asks.
  def list_posts(_scope), do: [%{id: 3, title: "c"}, %{id: 2, title: "b"}, %{id: 1, title: "a"}]
  def subscribe_posts(scope), do: Harness.Stubs.record({:subscribed, scope})
end
""")


# The context is the same on every version: one version, each topic shape.
@needs_elixir
@pytest.mark.parametrize(("params", "mine", "theirs", "topic"), [
    ({}, "%{user: %{id: 7}}", "%{user: %{id: 8}}", "user:7:posts"),
    ({"topic": "org:#{org_id}:posts"}, "12", "13", "org:12:posts"),
    ({"scoped": False}, "", None, "posts"),
])
def test_the_context_broadcasts_on_the_topic_the_liveview_subscribes_to(params, mine, theirs, topic):
    result = generate("scoped_pubsub_stream", params, "1.2")
    live = next(f.content for f in result.files if "/live/" in f.path)
    context = next(f.content for f in result.files if f.path == "lib/my_app/blog.ex")
    subscribe_args = re.search(r"Blog\.subscribe_posts\(([^)]*)\)", live).group(1)
    assert subscribe_args == {"{}": "socket.assigns.current_scope", "org": "socket.assigns.org_id", "posts": ""}[
        "{}" if not params else ("org" if "topic" in params else "posts")]
    arg = f"{mine}, " if mine else ""
    run_scenario(context, f"""
Subject.subscribe_posts({mine})
Subject.broadcast_post({arg}{{:created, %{{id: 1}}}})
Subject.broadcast_post({arg}{{:deleted, %{{id: 1}}}})
[{{:subscribe, MyApp.PubSub, sub}}, {{:broadcast, MyApp.PubSub, t1, m1}}, {{:broadcast, MyApp.PubSub, t2, _}}] = calls()
if sub != "{topic}" or t1 != sub or t2 != sub, do: raise "the broadcast topic is not the subscribed one"
if m1 != {{:created, %{{id: 1}}}}, do: raise "the LiveView's handle_info clauses match {{event, row}}"
try do
  Subject.broadcast_post({arg}{{:renamed, %{{id: 1}}}})
  raise "an event no handle_info clause handles was broadcast"
rescue
  FunctionClauseError -> :ok
end
""" + (f"""
Subject.broadcast_post({theirs}, {{:created, %{{id: 2}}}})
{{:broadcast, _, other, _}} = List.last(calls())
if other == sub, do: raise "another owner's row reached this topic"
""" if theirs else ""), """
defmodule Phoenix.PubSub do
  def subscribe(pubsub, topic), do: Harness.Stubs.record({:subscribe, pubsub, topic})
  def broadcast(pubsub, topic, message), do: Harness.Stubs.record({:broadcast, pubsub, topic, message})
end
""")


# --- infinite_scroll -----------------------------------------------------------------------------------------------

SCROLL_CONTEXT = """
defmodule MyApp.Blog do
  # Posts 1..95 in order, paged by offset.
  def list_posts(_scope, opts), do: 1..95 |> Enum.drop(opts[:offset]) |> Enum.take(opts[:limit]) |> Enum.map(&%{id: &1})
end
"""


@needs_elixir
@pytest.mark.parametrize(("version", "layout"), [("0.20", "list"), ("1.1", "table"), ("1.2", "table")])
def test_scrolling_both_ways_keeps_the_servers_offsets_equal_to_the_clients_rows(version, layout):
    source = generate("infinite_scroll", {"layout": layout}, version).files[0].content
    resets_on_overrun = layout == "list" or version == "1.2"
    run_scenario(source, f"""
check = fn s, label ->
  client = ClientModel.ids(calls(), :posts)
  expected = Enum.to_list((s.assigns.first + 1)..(s.assigns.first + s.assigns.count)//1)
  if client != expected, do: raise "#{{label}}: client #{{inspect(client)}}, server first=#{{s.assigns.first}} count=#{{s.assigns.count}}"
  s
end
page = fn s, event, params ->
  {{:noreply, s}} = Subject.handle_event(event, params, s)
  s
end

s = socket(%{{current_scope: :scope}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
s = check.(s, "mount")
s = Enum.reduce(1..3, s, fn _, s -> check.(page.(s, "next-page", %{{}}), "down") end)
if s.assigns.first != 20 or s.assigns.count != 60, do: raise "window after 3 pages down: #{{s.assigns.first}}"
s = check.(page.(s, "next-page", %{{}}), "to the end")
unless s.assigns.end_reached and s.assigns.first == 35, do: raise "the end (95 rows) was not noticed"
s = check.(page.(s, "prev-page", %{{"id" => "posts-36"}}), "up")
if s.assigns.end_reached, do: raise "rows after the last one on the client exist again"
s = Enum.reduce(1..3, s, fn _, s -> check.(page.(s, "prev-page", %{{}}), "up") end)
if s.assigns.first != 0, do: raise "not back at the top"
s = check.(page.(s, "prev-page", %{{}}), "above the top")
s = Enum.reduce(1..3, s, fn _, s -> check.(page.(s, "next-page", %{{}}), "down again") end)
s = page.(s, "prev-page", %{{"_overran" => true}})
if {str(resets_on_overrun).lower()} do
  if s.assigns.first != 0, do: raise "an overrun did not start over"
  unless Enum.any?(calls(), &match?({{:stream, :posts, _, [reset: true]}}, &1)), do: raise "no reset"
end
check.(s, "overrun")
""", CLIENT_MODEL + SCROLL_CONTEXT)


def test_tables_point_the_overrun_check_at_their_padded_wrapper_from_1_1_18():
    def tbody(version):
        content = generate("infinite_scroll", {"layout": "table"}, version).files[0].content
        return next(attrs for tag, attrs in markup(content) if tag == "tbody")
    assert tbody("1.2")["phx-viewport-overrun-target"] == "posts-scroll"
    assert tbody("1.1.18")["phx-viewport-overrun-target"] == "posts-scroll"
    assert "phx-viewport-overrun-target" not in tbody("1.1.17")
    notes = " ".join(generate("infinite_scroll", {"per_page": 30, "limit": 40}, "1.2").notes)
    assert "keeps 60 rows" in notes and "raised" in notes


# --- url_params_filters --------------------------------------------------------------------------------------------

FILTER_CONTEXT = """
defmodule MyApp.Blog do
  def list_tickets(_scope, filters) do
    Harness.Stubs.record({:list, filters})
    1..25 |> Enum.slice(filters[:offset], filters[:limit]) |> Enum.map(&%{id: &1, title: "t", inserted_at: nil})
  end
end
"""


@needs_elixir
@pytest.mark.parametrize(("version", "filter_input"), [("0.20", "checkboxes"), ("1.2", "checkboxes"),
                                                      ("1.2", "select"), ("1.2", "tabs")])
def test_filters_sort_and_page_travel_through_the_url(version, filter_input):
    source = generate("url_params_filters", {"filter_input": filter_input, "per_page": 10}, version).files[0].content
    multi = filter_input == "checkboxes"
    picked = '["", "open", "closed"]' if multi else '"open"'
    expected_status = '["open", "closed"]' if multi else '["open"]'
    patched_status = "open%2Cclosed" if multi else "open"
    run_scenario(source, f"""
params = fn s, p ->
  {{:noreply, s}} = Subject.handle_params(p, "http://localhost/tickets?x", s)
  s
end
last_list = fn -> List.last(for {{:list, f}} <- calls(), do: f) end
last_patch = fn -> List.last(for {{:push_patch, opts}} <- calls(), do: opts[:to]) end

s = params.(socket(%{{current_scope: :scope}}), %{{}})
f = last_list.()
if f[:status] != ["open", "pending", "closed"], do: raise "no filter should mean every status: #{{inspect(f)}}"
if f[:order_by] != [desc: :inserted_at] or f[:offset] != 0 or f[:limit] != 11, do: raise "defaults: #{{inspect(f)}}"
unless s.assigns.next_page?, do: raise "25 rows but no next page"
if ClientModel.ids(calls(), :tickets) != Enum.to_list(1..10), do: raise "first page not shown"

# Hostile or broken values fall back to the defaults instead of crashing or making atoms.
s = params.(s, %{{"sort" => "password_hash", "dir" => "sideways", "page" => "-3", "status" => "hacked"}})
f = last_list.()
if f[:order_by] != [desc: :inserted_at] or f[:offset] != 0, do: raise "bad params were used: #{{inspect(f)}}"

# The form pushes a patch; handle_params then loads page 1 of the filtered rows and replaces the stream.
s = params.(s, %{{"page" => "3"}})
if ClientModel.ids(calls(), :tickets) != Enum.to_list(21..25), do: raise "page 3 not shown alone"
{{:noreply, s}} = Subject.handle_event("filter", %{{"filter" => %{{"q" => " lamp ", "status" => {picked}}}}}, s)
if last_patch.() != "/tickets?q=lamp&status={patched_status}", do: raise "patched to #{{last_patch.()}}"
s = params.(s, %{{"q" => "lamp", "status" => "{patched_status.replace('%2C', ',')}"}})
if last_list.()[:status] != {expected_status} or last_list.()[:search] != "lamp", do: raise "filters not applied"
""", CLIENT_MODEL + FILTER_CONTEXT)


@needs_elixir
@pytest.mark.parametrize("filter_input", ["checkboxes", "select", "tabs"])
def test_query_values_of_another_shape_fall_back_to_the_defaults(filter_input):
    source = generate("url_params_filters", {"filter_input": filter_input}, "1.2").files[0].content
    run_scenario(source, """
s = socket(%{current_scope: :scope})
odd = %{"q" => ["lamp"], "status" => %{"a" => "open"}, "page" => ["2"], "sort" => %{}, "dir" => ["asc"]}
{:noreply, s} = Subject.handle_params(odd, "http://localhost/tickets?q[]=lamp", s)
[filters] = for {:list, f} <- calls(), do: f
if filters[:search] != "" or filters[:offset] != 0 or filters[:order_by] != [desc: :inserted_at],
  do: raise "odd values were used: #{inspect(filters)}"
{:noreply, _s} = Subject.handle_event("filter", %{"filter" => %{"q" => %{"x" => "1"}, "status" => %{}}}, s)
""", CLIENT_MODEL + FILTER_CONTEXT)


FOREIGN_KEY_CONTEXT = """
defmodule MyApp.Blog do
  def workflow_options(:scope), do: [{"Nightly", 7}, {"Import", 9}]

  def list_runs(_scope, filters) do
    Harness.Stubs.record({:list, filters})
    [%{id: 1, title: "t", inserted_at: nil}]
  end
end
"""


@needs_elixir
@pytest.mark.parametrize(("version", "filter_input"), [("0.20", "checkboxes"), ("1.2", "checkboxes"),
                                                      ("1.2", "select"), ("1.2", "tabs")])
def test_a_foreign_key_filters_by_the_listed_records_ids(version, filter_input):
    """field: workflow_id offers the workflows the context lists, not the options parameter's words; the URL's
    values count only when they are one of those ids, and the context gets the ids as it gave them."""
    result = generate("url_params_filters", {"resource": "run", "field": "workflow_id",
                                             "filter_input": filter_input}, version)
    source = result.files[0].content
    assert "open" not in source and "@workflow_id_values" not in source
    assert any("foreign key" in note for note in result.notes)
    multi = filter_input == "checkboxes"
    run_scenario(source, f"""
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, socket(%{{current_scope: :scope}}))
params = fn s, p ->
  {{:noreply, s}} = Subject.handle_params(p, "http://localhost/runs?x", s)
  s
end
last_list = fn -> List.last(for {{:list, f}} <- calls(), do: f) end
last_patch = fn -> List.last(for {{:push_patch, opts}} <- calls(), do: opts[:to]) end

s = params.(s, %{{}})
if last_list.()[:workflow_id] != [7, 9], do: raise "no filter should mean every workflow: #{{inspect(last_list.())}}"
s = params.(s, %{{"workflow_id" => "9"}})
if last_list.()[:workflow_id] != [9], do: raise "the listed id was not used: #{{inspect(last_list.())}}"
s = params.(s, %{{"workflow_id" => "{'13,9' if multi else '13'}"}})
if last_list.()[:workflow_id] != {'[9]' if multi else '[7, 9]'}, do: raise "an unlisted id was used: #{{inspect(last_list.())}}"
s = params.(s, %{{"workflow_id" => %{{"a" => "9"}}}})
if last_list.()[:workflow_id] != [7, 9], do: raise "a value of another shape was used"
{{:noreply, _}} = Subject.handle_event("filter", %{{"filter" => %{{"q" => "", "workflow_id" => {'["", "7"]' if multi else '"7"'}}}}}, s)
if last_patch.() != "/runs?workflow_id=7", do: raise "patched to #{{last_patch.()}}"
""", CLIENT_MODEL + FOREIGN_KEY_CONTEXT)
    loops = [attrs[":for"] for tag, attrs in markup(source) if ":for" in attrs and tag in (".link", "label")]
    if filter_input == "select":
        assert 'options_for_select([{"All", ""} | @workflow_options], @query.workflow_id)' in source
    else:
        assert "{label, value} <- @workflow_options" in loops


def test_sort_headers_and_page_links_patch_and_keep_the_rest_of_the_query():
    content = generate("url_params_filters", {}, "1.2").files[0].content
    elements = markup(content)
    links = [attrs for tag, attrs in elements if tag == ".link"]
    assert links and all("patch" in attrs and "navigate" not in attrs and "href" not in attrs for attrs in links)
    headers = [attrs for tag, attrs in elements if tag == "th"]
    assert [h["aria-sort"] for h in headers] == ["aria_sort(@query, :title)", "aria_sort(@query, :inserted_at)"]
    assert "live_patch" not in content and "String.to_atom" not in content
    assert 'type="checkbox"' in content and 'phx-change="filter"' in content


# --- presence_list -------------------------------------------------------------------------------------------------

PRESENCE_SUPPORT = """
defmodule MyAppWeb.Presence do
  # The tracker's state: key => number of presences (tabs), in the process dictionary.
  def track(pid, topic, key, meta) do
    Harness.Stubs.record({:track, pid, topic, key, meta})
    Process.put(:presences, Map.update(Process.get(:presences, %{}), key, 1, &(&1 + 1)))
    {:ok, "ref"}
  end

  def list(_topic), do: Map.new(Process.get(:presences, %{}), fn {k, _} -> {k, %{metas: [%{name: "u" <> k}]}} end)

  def get_by_key(_topic, key) do
    case Process.get(:presences, %{}) do
      %{^key => n} when n > 0 -> %{metas: List.duplicate(%{name: "u" <> key}, n)}
      _ -> []
    end
  end
end

defmodule Phoenix.Socket.Broadcast do
  defstruct [:topic, :event, :payload]
end
"""


@needs_elixir
@pytest.mark.parametrize("show_list", [True, False])
def test_presence_diffs_are_applied_and_a_second_tab_keeps_the_user_online(show_list):
    source = next(f.content for f in generate("presence_list", {"show_list": show_list}, "1.2").files
                  if f.path.endswith("online.ex"))
    run_scenario(source, f"""
Process.put(:presences, %{{"1" => 1}})
s = socket(%{{current_scope: %{{user: %{{id: 7, email: "me@x"}}}}}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
[{{:subscribe, MyApp.PubSub, "users:online"}} | _] = for {{:subscribe, _, _}} = c <- calls(), do: c
[{{:track, _pid, "users:online", "7", %{{name: "me@x"}}}}] = for {{:track, _, _, _, _}} = c <- calls(), do: c
if MapSet.size(s.assigns.online) != 2, do: raise "count after mount: #{{inspect(s.assigns.online)}}"

diff = fn s, joins, leaves ->
  msg = %Phoenix.Socket.Broadcast{{event: "presence_diff", payload: %{{joins: joins, leaves: leaves}}}}
  {{:noreply, s}} = Subject.handle_info(msg, s)
  s
end
meta = %{{metas: [%{{name: "u3"}}]}}

# User 3 opens two tabs, closes one: still online. Closes the other: gone.
Process.put(:presences, Map.put(Process.get(:presences), "3", 2))
s = diff.(s, %{{"3" => meta}}, %{{}})
s = diff.(s, %{{"3" => meta}}, %{{}})
Process.put(:presences, Map.put(Process.get(:presences), "3", 1))
s = diff.(s, %{{}}, %{{"3" => meta}})
unless MapSet.member?(s.assigns.online, "3"), do: raise "closing one of two tabs took the user offline"
Process.put(:presences, Map.delete(Process.get(:presences), "3"))
s = diff.(s, %{{}}, %{{"3" => meta}})
if MapSet.member?(s.assigns.online, "3"), do: raise "the last leave kept the user online"
if MapSet.size(s.assigns.online) != 2, do: raise "count: #{{MapSet.size(s.assigns.online)}}"
if {str(show_list).lower()} do
  shown = Enum.sort(ClientModel.ids(calls(), :users))
  if shown != ["1", "7"], do: raise "the list shows #{{inspect(shown)}}"
end
""", CLIENT_MODEL + PRESENCE_SUPPORT)


# --- drag_reorder --------------------------------------------------------------------------------------------------

ECTO_AND_REPO_FAKES = """
defmodule Ecto.Query do
  # Just enough of the query macros for the generated context: where/2 keeps its (unpinned) filter.
  defmacro where(query, filter), do: quote(do: {:where, unquote(query), unquote(unpin(filter))})
  defmacro order_by(query, _order), do: query
  defmacro select(query, _binding, expr), do: quote(do: {:select, unquote(query), unquote(Macro.to_string(expr))})
  defmacro lock(query, _lock), do: query

  defp unpin(ast), do: Macro.prewalk(ast, fn {:^, _, [expr]} -> expr; other -> other end)
end

defmodule MyApp.Repo do
  # The rows are {id, owner, title, position} in the process dictionary; update_all writes the position.
  def transaction(fun) do
    {:ok, fun.()}
  catch
    {:rollback, reason} -> {:error, reason}
  end

  def rollback(reason), do: throw({:rollback, reason})

  # The user's rows in position order (ties by id): {id, position}, or the ids when the query selects row.id.
  def all({:select, query, "row.id"}), do: for({id, _position} <- all(query), do: id)
  def all({:select, query, _id_and_position}), do: all(query)

  def all({:where, _schema, [user_id: owner]}),
    do: for({id, ^owner, _, position} <- Enum.sort_by(Process.get(:rows), &{elem(&1, 3), elem(&1, 0)}), do: {id, position})

  def update_all({:where, _schema, [id: id]}, set: [position: position]) do
    Harness.Stubs.record({:position, id, position})
    Process.put(:rows, Enum.map(Process.get(:rows), fn
      {^id, owner, title, _} -> {id, owner, title, position}
      row -> row
    end))
    {1, nil}
  end

  def get!(_schema, id) do
    {^id, _owner, title, position} = List.keyfind(Process.get(:rows), id, 0)
    %{id: id, title: title, position: position}
  end
end
"""


@needs_elixir
def test_a_reorder_saves_positions_for_the_users_own_rows_and_replies_so_the_hook_can_undo():
    result = generate("drag_reorder", {}, "1.2")
    live = next(f.content for f in result.files if f.path.endswith("index.ex"))
    context = next(f.content for f in result.files if f.path == "lib/my_app/blog.ex")
    run_scenario(live, """
Process.put(:rows, [{10, 7, "a", 0}, {11, 7, "b", 1}, {99, 8, "theirs", 0}, {12, 7, "c", 2}, {13, 7, "d", 3}])
s = socket(%{current_scope: %{user: %{id: 7}}, announcement: ""})

# Row "a" dragged from index 0 to index 2: only the rows it passed are renumbered.
{:reply, %{ok: true}, s} = Subject.handle_event("reorder", %{"id" => "10", "from" => 0, "to" => 2}, s)
moves = for {:position, id, p} <- calls(), do: {id, p}
if moves != [{11, 0}, {12, 1}, {10, 2}], do: raise "positions written: #{inspect(moves)}"
if s.assigns.announcement != "a moved to position 3.", do: raise "announced: #{s.assigns.announcement}"

# Another user's row is not found in this user's rows: nothing is written and the hook is told to undo.
before = length(calls())
{:reply, %{ok: false}, s} = Subject.handle_event("reorder", %{"id" => "99", "from" => 1, "to" => 0}, s)
if Enum.any?(Enum.drop(calls(), before), &match?({:position, _, _}, &1)), do: raise "wrote another user's row"
unless s.assigns.flash[:error], do: raise "the failed save was not reported"

# An index past the end is clamped to the last place.
{:reply, %{ok: true}, _s} = Subject.handle_event("reorder", %{"id" => "11", "from" => 0, "to" => 40}, s)
if List.last(for {:position, 11, p} <- calls(), do: p) != 3, do: raise "not clamped to the last index"
""", ECTO_AND_REPO_FAKES + context)


@needs_elixir
@pytest.mark.parametrize(("positions", "move", "expected"), [
    ([0, 5, 6, 7], (3, 2), [10, 11, 13, 12]),  # a gap left by deleted rows before the moved range
    ([0, 1, 3, 4], (3, 1), [10, 13, 11, 12]),  # a gap inside it
    ([0, 0, 0, 0], (0, 2), [11, 12, 10, 13]),  # rows added without a position
])
def test_after_a_move_the_saved_positions_list_the_rows_in_the_order_shown(positions, move, expected):
    result = generate("drag_reorder", {}, "1.2")
    live = next(f.content for f in result.files if f.path.endswith("index.ex"))
    context = next(f.content for f in result.files if f.path == "lib/my_app/blog.ex")
    rows = ", ".join(f'{{{10 + n}, 7, "r{n}", {p}}}' for n, p in enumerate(positions))
    moved = 10 + move[0]
    run_scenario(live, f"""
Process.put(:rows, [{rows}])
s = socket(%{{current_scope: %{{user: %{{id: 7}}}}, announcement: ""}})
{{:reply, %{{ok: true}}, _s}} = Subject.handle_event("reorder", %{{"id" => "{moved}", "from" => {move[0]}, "to" => {move[1]}}}, s)
listed = for {{id, _position}} <- MyApp.Repo.all({{:where, nil, [user_id: 7]}}), do: id
if listed != {expected}, do: raise "the saved order lists #{{inspect(listed)}}"
""", ECTO_AND_REPO_FAKES + context)


HOOK_HARNESS = r"""
// A minimal DOM: a list element with row children, each with a handle and two move buttons.
const made = []
class Node {
  constructor(tag, attrs = {}) { this.tag = tag; this.dataset = attrs.dataset || {}; this.id = attrs.id || ""; this.children = []; this.parent = null; this.listeners = {}; made.push(this) }
  append(child) { child.parent = this; this.children.push(child); return child }
  closest(selector) { const key = selector.slice(6, -1); let n = this; while (n && !(key in n.dataset)) n = n.parent; return n }
  contains(other) { for (let n = other; n; n = n.parent) if (n === this) return true; return false }
  remove() { const list = this.parent.children; list.splice(list.indexOf(this), 1); this.parent = null }
  get previousElementSibling() { const l = this.parent.children; return l[l.indexOf(this) - 1] || null }
  get nextElementSibling() { const l = this.parent.children; return l[l.indexOf(this) + 1] || null }
  before(node) { const parent = this.parent; node.remove(); parent.children.splice(parent.children.indexOf(this), 0, node); node.parent = parent }
  after(node) { const parent = this.parent; node.remove(); parent.children.splice(parent.children.indexOf(this) + 1, 0, node); node.parent = parent }
  insertBefore(node, ref) { if (node.parent) node.remove(); const i = ref ? this.children.indexOf(ref) : this.children.length; this.children.splice(i, 0, node); node.parent = this }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn) }
  dispatch(type, target, extra = {}) { const e = {type, target, preventDefault() {}, ...extra}; for (const fn of this.listeners[type] || []) fn(e) }
  focus() { globalThis.document.activeElement = this }
  getBoundingClientRect() { return {top: this.parent.children.indexOf(this) * 10, height: 10} }
}
globalThis.document = {activeElement: null}
const list = new Node("ul", {id: "tasks"})
const rows = ["1", "2", "3"].map((id) => {
  const row = list.append(new Node("li", {id: "tasks-" + id, dataset: {id}}))
  row.handle = row.append(new Node("span", {dataset: {handle: ""}}))
  row.up = row.append(new Node("button", {dataset: {move: "up"}}))
  row.down = row.append(new Node("button", {dataset: {move: "down"}}))
  return row
})
const order = () => list.children.map((r) => r.dataset.id).join("")
const pushed = []
let reply = {ok: true}
const {default: hook} = await import(process.argv[2])
// 0.20 hooks get the reply through a callback; from 1.0 pushEvent without one returns a promise.
const pushEvent = (event, payload, cb) => {
  pushed.push([event, payload])
  if (cb) return cb(reply)
  return reply === "lost" ? Promise.reject(new Error("not connected")) : Promise.resolve(reply)
}
const instance = Object.assign(Object.create(hook), {el: list, pushEvent})
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
instance.mounted()
const expect = (label, got, want) => { if (JSON.stringify(got) !== JSON.stringify(want)) { console.error(label, JSON.stringify(got), "!=", JSON.stringify(want)); process.exit(1) } }
"""

HOOK_SCENARIO = r"""
// Keyboard: "Move down" on row 1 saves {id, from, to} and keeps focus on the button.
list.dispatch("click", rows[0].down)
await settle()
expect("after move down", order(), "213")
expect("pushed", pushed.at(-1), ["reorder", {id: "1", from: 0, to: 1}])
expect("focus", document.activeElement === rows[0].down, true)
// A refused save puts the row back where it was, focus included.
reply = {ok: false}
list.dispatch("click", rows[2].up)
await settle()
expect("after refused move", order(), "213")
expect("focus after undo", document.activeElement === rows[2].up, true)
// Moving the first row up does nothing and sends nothing.
const sent = pushed.length
list.dispatch("click", rows[1].up)
expect("first row up", [order(), pushed.length], ["213", sent])
"""

LOST_REPLY_SCENARIO = r"""
// From 1.0 a push that cannot reach the server rejects: the row goes back and moves are possible again.
reply = "lost"
list.dispatch("click", rows[1].down)
await settle()
expect("after a lost push", [order(), instance.saving], ["213", false])
"""

NATIVE_DRAG_SCENARIO = r"""
reply = {ok: true}
const transfer = {setData() {}, setDragImage() {}}
// Drag row 3 by its handle over the top half of the first row, drop: saved.
list.dispatch("dragstart", rows[2].handle, {dataTransfer: transfer})
list.dispatch("dragover", rows[1].handle, {clientY: 1, dataTransfer: transfer})
list.dispatch("drop", rows[2])
list.dispatch("dragend", rows[2])
await settle()
expect("after drop", order(), "321")
expect("pushed drop", pushed.at(-1), ["reorder", {id: "3", from: 2, to: 0}])
// Dragged away and released outside the list: back in place, nothing sent.
const count = pushed.length
list.dispatch("dragstart", rows[0].handle, {dataTransfer: transfer})
list.dispatch("dragover", rows[2].handle, {clientY: 1, dataTransfer: transfer})
list.dispatch("dragend", rows[0])
expect("cancelled drag", [order(), pushed.length], ["321", count])
"""


@pytest.mark.skipif(not __import__("shutil").which("node"), reason="no node on PATH")
@pytest.mark.parametrize("version", ["0.20", "1.0", "1.2"])
def test_the_reorder_hook_moves_saves_and_undoes(tmp_path, version):
    import subprocess

    result = generate("drag_reorder", {}, version)
    files = {f.path: f.content for f in result.files}
    if version in ("0.20", "1.0"):
        body = files["assets/js/hooks/sortable.js"]
    else:
        live = files["lib/my_app_web/live/task_live/index.ex"]
        body = live.split('name=".Sortable">', 1)[1].split("</script>", 1)[0]
    (tmp_path / "hook.mjs").write_text(body, encoding="utf-8")
    script = tmp_path / "run.mjs"
    lost = LOST_REPLY_SCENARIO if version != "0.20" else ""
    script.write_text(HOOK_HARNESS + HOOK_SCENARIO + lost + NATIVE_DRAG_SCENARIO + "\nconsole.log('HOOK-OK')\n",
                      encoding="utf-8")
    done = subprocess.run(["node", str(script), str(tmp_path / "hook.mjs")], capture_output=True, text=True,
                          timeout=60)
    assert "HOOK-OK" in done.stdout, done.stdout + done.stderr


def test_reorder_markup_offers_keyboard_moves_and_a_live_region():
    content = generate("drag_reorder", {"library": "sortablejs"}, "1.2").files[0].content
    elements = markup(content)
    buttons = [attrs for tag, attrs in elements if tag == "button"]
    assert {b["data-move"] for b in buttons} == {"up", "down"}
    assert all(b["type"] == "button" and b["aria-label"].startswith('"Move #{') for b in buttons)
    status = [attrs for tag, attrs in elements if attrs.get("role") == "status"]
    assert status and status[0]["aria-live"] == "polite"
    lists = [attrs for tag, attrs in elements if tag == "ul"]
    assert lists[0]["phx-hook"] == "Sortable" and lists[0]["phx-update"] == "stream"
    paths = [f.path for f in generate("drag_reorder", {"library": "sortablejs"}, "1.2").files]
    assert "assets/js/hooks/sortable.js" in paths  # a node_modules import stays in a hook file
    assert "ColocatedHook" not in content


# --- multi_step_wizard ---------------------------------------------------------------------------------------------

WIZARD_SUPPORT = """
defmodule Ecto.Changeset do
  defstruct valid?: true, errors: [], action: nil
end

defmodule MyApp.Blog.Enrollment do
  # A stand-in with the generated schema's functions: required fields per step.
  defstruct []
  @steps [contact: ["name", "email"], address: ["street", "city"]]
  def steps, do: Keyword.keys(@steps)
  def step_changeset(_struct, attrs, step), do: check(attrs, @steps[step])
  def changeset(_struct, attrs), do: check(attrs, Enum.flat_map(@steps, &elem(&1, 1)))
  def step_with_error(cs), do: Enum.find(steps(), fn s -> Enum.any?(@steps[s], &Keyword.has_key?(cs.errors, String.to_atom(&1))) end)

  defp check(attrs, fields) do
    errors = for f <- fields, (attrs[f] || "") == "", do: {String.to_atom(f), {"can't be blank", []}}
    %Ecto.Changeset{valid?: errors == [], errors: errors}
  end
end

defmodule MyApp.Blog do
  def create_enrollment(_scope, %{"email" => "taken@x"}),
    do: {:error, %Ecto.Changeset{valid?: false, errors: [email: {"has already been taken", []}]}}

  def create_enrollment(_scope, params), do: (Harness.Stubs.record({:created, params}); {:ok, %{id: 1}})
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_the_wizard_keeps_data_between_steps_and_validates_one_step_at_a_time(version):
    result = generate("multi_step_wizard", {}, version)
    source = without_render_helpers(next(f.content for f in result.files if f.path.endswith("new.ex")))
    action = "s.assigns.form.opts[:action]" if version == "1.2" else "s.assigns.form.source.action"
    run_scenario(source, f"""
shows_errors? = fn s -> {action} == :validate end
event = fn s, name, params ->
  {{:noreply, s}} = Subject.handle_event(name, params, s)
  s
end

s = socket(%{{current_scope: :scope}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
if s.assigns.step != :contact or shows_errors?.(s), do: raise "the first step starts quiet"

# Typing keeps the input; errors stay hidden until Next is pressed on the step.
s = event.(s, "validate", %{{"enrollment" => %{{"name" => "Ada"}}}})
if shows_errors?.(s), do: raise "errors shown before Next"
s = event.(s, "next", %{{"enrollment" => %{{"name" => "Ada", "email" => ""}}}})
unless s.assigns.step == :contact and shows_errors?.(s), do: raise "an invalid step was left or its errors hidden"
s = event.(s, "next", %{{"enrollment" => %{{"email" => "taken@x"}}}})
if s.assigns.step != :address or shows_errors?.(s), do: raise "a valid step did not move on quietly"

# Back keeps what was entered; Next again comes back to the address step.
s = event.(s, "back", %{{}})
if s.assigns.step != :contact or s.assigns.params["name"] != "Ada", do: raise "Back lost the data"
s = event.(s, "next", %{{"enrollment" => %{{"name" => "Ada", "email" => "taken@x"}}}})
s = event.(s, "next", %{{"enrollment" => %{{"street" => "1 Main", "city" => "Oslo"}}}})
if s.assigns.step != :confirm, do: raise "did not reach the summary"

# The insert fails on the first step's field: back there, errors shown.
s = event.(s, "next", %{{}})
unless s.assigns.step == :contact and shows_errors?.(s), do: raise "not sent back to the step with the error"
s = event.(s, "next", %{{"enrollment" => %{{"email" => "ada@x"}}}})
s = event.(s, "next", %{{"enrollment" => %{{}}}})
s = event.(s, "next", %{{}})
[{{:created, params}}] = for {{:created, _}} = c <- calls(), do: c
if params != %{{"name" => "Ada", "email" => "ada@x", "street" => "1 Main", "city" => "Oslo"}}, do: raise "saved #{{inspect(params)}}"
if s.assigns.step != :contact or s.assigns.params != %{{}}, do: raise "the wizard did not start over"
""", WIZARD_SUPPORT)


@needs_elixir
def test_a_field_left_untouched_shows_its_error_after_next():
    """LiveView 1.0+ marks untouched inputs with _unused_<field> in change events (never in a submit), and
    used_input?/1 hides the errors of a field whose params hold that key."""
    source = without_render_helpers(next(f.content for f in generate("multi_step_wizard", {}, "1.2").files
                                         if f.path.endswith("new.ex")))
    run_scenario(source, """
# Phoenix.Component.used_input?/1 on the form's params, as the template's errors/1 calls it.
used? = fn params, field -> not (Map.has_key?(params, field) and Map.has_key?(params, "_unused_" <> field)) end
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
{:noreply, s} = Subject.handle_event("validate", %{"enrollment" => %{"name" => "Ada", "email" => "", "_unused_email" => ""}}, s)
if used?.(s.assigns.params, "email"), do: raise "an untouched field counts as used while typing elsewhere"
{:noreply, s} = Subject.handle_event("next", %{"enrollment" => %{"name" => "Ada", "email" => ""}}, s)
if s.assigns.step != :contact, do: raise "an empty email moved on"
unless used?.(s.assigns.params, "email"), do: raise "after Next the email error stays hidden: the user is stuck"
""", WIZARD_SUPPORT)


@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_a_wizard_posting_to_a_controller_renders_every_steps_values_on_the_last_step(version):
    """A native submit (phx-trigger-action) sends only the inputs on the page: the confirm step must hold
    every step's values, and the LiveView must not insert the record itself."""
    fields = ["name", "email", "gender", "tags"]
    result = generate("multi_step_wizard", {"post_to": "new_registration", "fields": fields}, version)
    source = next(f.content for f in result.files if f.path.endswith("new.ex"))
    tags = markup(source)
    form = next(attrs for tag, attrs in tags if tag == ".form")
    assert form["action"] == "/new_registration" and form["phx-submit"] == "next"
    assert form["phx-trigger-action"] == "@trigger_submit"
    hidden = [attrs for tag, attrs in tags if tag == "input" and attrs.get("type") == "hidden"]
    assert [(h["name"], h["value"], h[":if"]) for h in hidden] == [
        (f"@form[:{f}].name", f'@params["{f}"]', "@step == :confirm") for f in fields]
    submit = next(attrs for tag, attrs in tags if tag == "button" and attrs.get("type") == "submit")
    assert submit["disabled"] == "@trigger_submit"
    assert "create_enrollment" not in source and "alias MyApp.Blog\n" not in source
    without = next(f.content for f in generate("multi_step_wizard", {}, version).files if f.path.endswith("new.ex"))
    assert "phx-trigger-action" not in without and "trigger_submit" not in without


@needs_elixir
def test_a_wizard_posting_to_a_controller_triggers_the_post_only_when_every_step_is_valid():
    source = without_render_helpers(next(f.content for f in generate(
        "multi_step_wizard", {"post_to": "/new_registration"}, "1.2").files if f.path.endswith("new.ex")))
    run_scenario(source, """
event = fn s, name, params ->
  {:noreply, s} = Subject.handle_event(name, params, s)
  s
end
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
if s.assigns.trigger_submit, do: raise "posts before any submit"
s = event.(s, "next", %{"enrollment" => %{"name" => "Ada", "email" => "ada@x"}})
s = event.(s, "next", %{"enrollment" => %{"street" => "1 Main", "city" => "Oslo"}})
if s.assigns.step != :confirm or s.assigns.trigger_submit, do: raise "reaching the summary posted"
# A value emptied meanwhile (an earlier step's check passed, the full one does not): back to its step.
s = s |> assign(:params, Map.put(s.assigns.params, "email", "")) |> event.("next", %{})
if s.assigns.trigger_submit or s.assigns.step != :contact, do: raise "an invalid wizard was posted"
s = event.(s, "next", %{"enrollment" => %{"email" => "ada@x"}})
s = event.(s, "next", %{"enrollment" => %{}})
s = event.(s, "next", %{})
unless s.assigns.trigger_submit, do: raise "a valid wizard did not post"
if Enum.any?(calls(), &match?({:created, _}, &1)), do: raise "the LiveView inserted; the controller should"
""", WIZARD_SUPPORT)


# --- signup_live_validation ----------------------------------------------------------------------------------------

SIGNUP_SUPPORT = """
defmodule Ecto.Changeset do
  defstruct valid?: true, errors: [], action: nil
end

defmodule MyApp.Accounts.User do
  defstruct [:email]
end

defmodule MyApp.Accounts do
  def change_user_registration(_user, attrs \\\\ %{}) do
    Harness.Stubs.record({:changeset, attrs})
    taken = if attrs["email"] == "taken@x", do: [email: {"has already been taken", []}], else: []
    %Ecto.Changeset{valid?: taken == [], errors: taken}
  end

  def register_user(%{"email" => "taken@x"}),
    do: {:error, %Ecto.Changeset{valid?: false, errors: [email: {"has already been taken", []}], action: :insert}}

  def register_user(attrs), do: {:ok, %MyApp.Accounts.User{email: attrs["email"]}}
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_signup_says_taken_before_submit_and_logs_in_through_the_controller(version):
    result = generate("signup_live_validation", {}, version)
    source = without_render_helpers(next(f.content for f in result.files if f.path.endswith("registration.ex")))
    shown = "s.assigns.form.opts[:action]" if version == "1.2" else "s.assigns.form.source.action"
    run_scenario(source, f"""
s = socket(%{{}})
{{:ok, s}} = Subject.mount(%{{}}, %{{}}, s)
if s.assigns.trigger_submit, do: raise "submits before anything happened"
{{:noreply, s}} = Subject.handle_event("validate", %{{"user" => %{{"email" => "taken@x"}}}}, s)
unless {shown} == :validate and s.assigns.form.source.errors[:email], do: raise "taken is not shown while typing"

{{:noreply, s}} = Subject.handle_event("save", %{{"user" => %{{"email" => "taken@x", "password" => "p"}}}}, s)
if s.assigns.trigger_submit or !s.assigns.form.source.errors[:email], do: raise "a refused insert logged in"
before = length(calls())
{{:noreply, s}} = Subject.handle_event("save", %{{"user" => %{{"email" => "new@x", "password" => "p"}}}}, s)
unless s.assigns.trigger_submit, do: raise "the new user is not handed to the session controller"
if Enum.any?(Enum.drop(calls(), before), &match?({{:changeset, _}}, &1)), do: raise "re-validated after the insert (shows taken)"
""", SIGNUP_SUPPORT)


def test_signup_markup_and_changeset_follow_the_rules():
    result = generate("signup_live_validation", {}, "1.2")
    files = {f.path: f.content for f in result.files}
    live = files["lib/my_app_web/live/user_live/registration.ex"]
    elements = markup(live)
    form = next(attrs for tag, attrs in elements if tag == ".form")
    assert form["phx-trigger-action"] == "@trigger_submit" and form["method"] == "post"
    assert form["action"] == '~p"/users/log-in"' and form["id"] and form["phx-change"] == "validate"
    fields = {attrs["field"]: attrs for tag, attrs in elements if tag == ".signup_field"}
    assert fields["@form[:email]"]["phx-debounce"] == "blur"
    assert fields["@form[:password]"]["autocomplete"] == "new-password"
    schema = files["lib/my_app/accounts/user.ex"]
    assert "unsafe_validate_unique(:email, Repo)" in schema and "unique_constraint(:email)" in schema
    assert "validate_length(:password, max: 72, count: :bytes)" in schema
    assert "hash_password: false" in files["lib/my_app/accounts.ex"]
    assert "used_input?" in live and "phx-feedback-for" not in live
    old = generate("signup_live_validation", {"debounce_ms": 500}, "0.20").files[0].content
    assert "phx-feedback-for" in old and "used_input?" not in old and '~p"/users/log_in"' in old
    assert 'phx-debounce="500"' in old


# --- autocomplete_input --------------------------------------------------------------------------------------------

AUTOCOMPLETE_CONTEXT = """
defmodule MyApp.Blog do
  def search_packages(_scope, text), do: for(n <- ["#{text}_a", "#{text}_b", "#{text}_c"], do: %{id: n, name: n})
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_suggestions_follow_the_latest_text_and_the_keyboard(version):
    source = generate("autocomplete_input", {}, version).files[0].content
    run_scenario(source, """
type = fn s, text ->
  {:noreply, s} = Subject.handle_event("suggest", %{"package" => %{"query" => text}}, s)
  s
end
last_task = fn -> List.last(for {:start_async, :suggest, task} <- calls(), do: task) end
key = fn s, k ->
  {:noreply, s} = Subject.handle_event("navigate", %{"key" => k}, s)
  s
end

s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
s = type.(s, "ph")
early = last_task.().()
s = type.(s, "phx")
{:noreply, s} = Subject.handle_async(:suggest, {:ok, early}, s)
if s.assigns.suggestions != [], do: raise "suggestions for older text were shown"
{:noreply, s} = Subject.handle_async(:suggest, {:ok, last_task.().()}, s)
if length(s.assigns.suggestions) != 3, do: raise "the latest suggestions were not shown"

# Down, down, down wraps to the first; up from the first wraps to the last; typing keys do nothing.
s = key.(s, "ArrowDown")
if s.assigns.active != 0, do: raise "first down highlights the first"
s = s |> key.("ArrowDown") |> key.("ArrowDown") |> key.("ArrowDown") |> key.("x")
if s.assigns.active != 0, do: raise "down does not wrap: #{s.assigns.active}"
s = key.(s, "ArrowUp")
if s.assigns.active != 2, do: raise "up does not wrap"
{:noreply, s} = Subject.handle_event("pick", %{}, s)
if s.assigns.selected.name != "phx_c" or s.assigns.suggestions != [], do: raise "Enter did not pick the highlight"

# Change brings the box back, focused; a cancel is quiet, a crash is reported.
{:noreply, s} = Subject.handle_event("clear", %{}, s)
unless is_nil(s.assigns.selected) and s.assigns.refocus, do: raise "clear did not reopen the box"
{:noreply, s} = Subject.handle_async(:suggest, {:exit, {:shutdown, :cancel}}, s)
if s.assigns.error, do: raise "a cancel was reported as a failure"
{:noreply, s} = Subject.handle_async(:suggest, {:exit, {%RuntimeError{}, []}}, s)
unless s.assigns.error, do: raise "a crashed lookup was not reported"

# A click picks by index; a forged index picks nothing; text too short cancels and closes.
s = type.(s, "ecto")
{:noreply, s} = Subject.handle_async(:suggest, {:ok, last_task.().()}, s)
{:noreply, s} = Subject.handle_event("choose", %{"index" => "9"}, s)
if s.assigns.selected, do: raise "an index past the list picked something"
{:noreply, s} = Subject.handle_event("choose", %{"index" => "1"}, s)
if s.assigns.selected.name != "ecto_b", do: raise "the click did not pick"
s = type.(s, "e")
unless {:cancel_async, :suggest} in calls() and s.assigns.suggestions == [], do: raise "short text did not cancel"
{:noreply, s} = Subject.handle_event("navigate", %{"key" => "Escape"}, s)
""", AUTOCOMPLETE_CONTEXT)


def test_autocomplete_markup_is_a_combobox_or_a_datalist():
    listbox = markup(generate("autocomplete_input", {"debounce_ms": 500}, "1.2").files[0].content)
    box = next(attrs for tag, attrs in listbox if attrs.get("role") == "combobox")
    assert box["aria-controls"] == "package-autocomplete-options" and box["phx-debounce"] == "500"
    assert box["aria-autocomplete"] == "list" and "aria-activedescendant" in box and "phx-keydown" not in box
    options = next(attrs for tag, attrs in listbox if attrs.get("role") == "listbox")
    assert options["phx-window-keydown"] == '@suggestions != [] && "navigate"'
    assert any(attrs.get("role") == "option" and "aria-selected" in attrs for tag, attrs in listbox)
    datalist = generate("autocomplete_input", {"display": "datalist"}, "1.2").files[0].content
    assert "<datalist" in datalist and 'list="package-autocomplete-options"' in datalist
    assert "navigate" not in datalist and 'role="combobox"' not in datalist


# --- dependent_selects ---------------------------------------------------------------------------------------------

SELECTS_SUPPORT = """
defmodule Ecto.Changeset do
  defstruct valid?: true, errors: [], action: nil, params: %{}
end

defmodule MyApp.Blog.Address do
  defstruct [:country, :region]
end

defmodule MyApp.Blog do
  def country_options, do: [{"Norway", "NO"}, {"Chile", "CL"}]

  def region_options(country) do
    Harness.Stubs.record({:regions_for, country})
    %{"NO" => ["Oslo", "Troms"], "CL" => ["Maule"]}[country]
  end

  def change_address(_address, params \\\\ %{}), do: %Ecto.Changeset{params: params}
end
"""


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_a_new_first_value_reloads_the_options_and_clears_the_second(version):
    source = without_render_helpers(generate("dependent_selects", {}, version).files[0].content)
    run_scenario(source, """
change = fn s, params ->
  {:noreply, s} = Subject.handle_event("validate", %{"address" => params}, s)
  s
end
loads = fn -> length(for {:regions_for, _} <- calls(), do: 1) end

s = socket(%{current_scope: :scope})
{:ok, s} = Subject.mount(%{}, %{}, s)
if s.assigns.region_options != [], do: raise "regions before a country"
s = change.(s, %{"country" => "NO", "region" => ""})
if s.assigns.region_options != ["Oslo", "Troms"], do: raise "the country's regions were not loaded"
s = change.(s, %{"country" => "NO", "region" => "Troms"})
if s.assigns.form.source.params["region"] != "Troms" or loads.() != 1, do: raise "the same country reloaded or cleared"
s = change.(s, %{"country" => "CL", "region" => "Troms"})
if s.assigns.form.source.params["region"] != "", do: raise "the old country's region was kept"
if s.assigns.region_options != ["Maule"], do: raise "the new country's regions were not loaded"
s = change.(s, %{"country" => "", "region" => ""})
if s.assigns.region_options != [] or loads.() != 2, do: raise "no country should mean no regions, without a query"
""", SELECTS_SUPPORT)


@needs_elixir
@pytest.mark.parametrize("version", ["0.20", "1.2"])
def test_a_reconnect_keeps_the_second_value_the_user_had_picked(version):
    source = without_render_helpers(generate("dependent_selects", {}, version).files[0].content)
    run_scenario(source, """
# A new process after a reconnect: form recovery sends the form's values through phx-change.
{:ok, s} = Subject.mount(%{}, %{}, socket(%{current_scope: :scope}))
{:noreply, s} = Subject.handle_event("validate", %{"address" => %{"country" => "NO", "region" => "Troms"}}, s)
if s.assigns.form.source.params["region"] != "Troms", do: raise "the recovered region was cleared"
if s.assigns.region_options != ["Oslo", "Troms"], do: raise "the recovered country's regions were not loaded"
{:noreply, s} = Subject.handle_event("validate", %{"address" => %{"country" => "CL", "region" => "Troms"}}, s)
if s.assigns.form.source.params["region"] != "", do: raise "a changed country kept the old region"
""", SELECTS_SUPPORT)


def test_the_second_select_waits_for_the_first_with_a_described_hint():
    elements = markup(generate("dependent_selects", {"field": "category", "child": "item_type"}, "1.2").files[0].content)
    selects = [attrs for tag, attrs in elements if tag == ".select_field"]
    assert [s["field"] for s in selects] == ["@form[:category]", "@form[:item_type]"]
    assert selects[1]["prompt"] == "Choose an item type" and "first." in selects[1]["hint"]
    form = next(attrs for tag, attrs in elements if tag == ".form")
    assert form["phx-change"] == "validate" and form["id"] == "address-form"


# --- every variant, not only the defaults --------------------------------------------------------------------------

VARIANTS = {
    "live_feed_stream": [{"newest_first": True, "limit": 30, "topic": "room:#{room_id}:messages"}],
    "infinite_scroll": [{"layout": "table", "fields": ["title", "inserted_at"]}, {"per_page": 50, "limit": 60}],
    "url_params_filters": [{"filter_input": "select"}, {"filter_input": "tabs", "debounce_ms": "blur"},
                           {"field": "workflow_id", "resource": "run"},
                           {"field": "workflow_id", "filter_input": "select", "scoped": False},
                           {"field": "workflow_id", "filter_input": "tabs"}],
    "presence_list": [{"show_list": False}, {"topic": "org:#{scope.org.id}:online"}],
    "drag_reorder": [{"library": "sortablejs"}, {"event": "move", "hook": "Reorder", "context_function": "Board.move/3"}],
    "multi_step_wizard": [{"steps": ["account", "profile", "plan"], "fields": ["email", "name", "bio", "plan"]}],
    "signup_live_validation": [{"log_in": False, "fields": ["username", "email"], "field": "username"},
                               {"debounce_ms": 400}],
    "autocomplete_input": [{"display": "datalist"}, {"min_chars": 1, "event": "lookup"}],
    "dependent_selects": [{"field": "make", "child": "model", "context_function": "Catalog.models_for/1"}],
}
VARIANT_CASES = [(p, n, v) for p, variants in VARIANTS.items() for n in range(len(variants))
                 for v in ("0.20", "1.0", "1.1", "1.2")]


@pytest.fixture(scope="module")
def warm_variant_checks():
    from skill_server.patterns.checks import check_elixir_sources

    if elixir_available():
        check_elixir_sources([f.content for p, n, v in VARIANT_CASES
                              for f in generate(p, VARIANTS[p][n], v).files if f.language == "elixir"])


@pytest.mark.parametrize(("pattern_id", "n", "version"), VARIANT_CASES)
def test_every_variant_parses_formats_and_passes_our_reviewer(warm_variant_checks, pattern_id, n, version):
    from skill_server.api_facts import check_api_names
    from skill_server.review.engine import review_source
    from skill_server.versions import parse_version

    result = generate(pattern_id, VARIANTS[pattern_id][n], version)
    assert result.checks.parsed, [f.errors for f in result.checks.files]
    if elixir_available():
        assert all(c.elixir == "ok" for c in result.checks.files if c.parser == "tree-sitter-elixir"), \
            [(c.path, c.elixir) for c in result.checks.files]
    target = parse_version(version)
    just_after = f"{target.major}.{target.minor}.{target.patch + 1}"
    for file in result.files:
        assert check_api_names(f"```\n{file.content}\n```", str(target), just_after) == [], file.path
        findings = review_source(file.content, filename=file.path, liveview_version=version).findings
        assert findings == [], (file.path, [(f.rule, f.line, f.message) for f in findings])
