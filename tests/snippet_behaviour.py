"""Runs the callbacks of a generated LiveView against a recording stand-in for LiveView, so tests can check
what a snippet DOES (which clause answers a cancelled search, whether an upload is consumed while entries
are still in progress) instead of what its text contains.

The generated module's own functions (def/defp, module attributes, aliases; not its use and import lines)
are compiled into a test module that imports stand-ins for the LiveView functions it calls (assign, stream_insert, start_async, put_flash,
consume_uploaded_entries...). A socket is a plain map %{assigns: %{...}}; every stand-in call is recorded in
the process dictionary (`calls()` in a scenario). render/1 and function components (~H) are left out: they
need Phoenix. The scenario is Elixir code written by the test; it raises when an expectation fails.

Only our own generated code and our own test scenarios are run, never user input."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

HARNESS = r'''
defmodule Harness.Stubs do
  @moduledoc false
  def record(call), do: Process.put(:calls, Process.get(:calls, []) ++ [call])
  def calls, do: Process.get(:calls, [])
  def socket(assigns \\ %{}), do: %{assigns: Map.merge(%{flash: %{}, streams: %{}}, assigns), private: %{}}

  def assign(socket, kw) when is_list(kw) or is_map(kw),
    do: Enum.reduce(kw, socket, fn {k, v}, s -> assign(s, k, v) end)

  def assign(socket, key, value), do: put_in(socket, [:assigns, key], value)
  def update(socket, key, fun), do: assign(socket, key, fun.(socket.assigns[key]))

  def assign_new(socket, key, fun),
    do: if(Map.has_key?(socket.assigns, key), do: socket, else: assign(socket, key, fun.()))
  def put_flash(socket, kind, msg), do: (record({:put_flash, kind, msg}); put_in(socket, [:assigns, :flash, kind], msg))
  def clear_flash(socket), do: (record(:clear_flash); put_in(socket, [:assigns, :flash], %{}))
  def clear_flash(socket, kind), do: (record({:clear_flash, kind}); update_in(socket, [:assigns, :flash], &Map.delete(&1, kind)))
  def connected?(_socket), do: true
  def attach_hook(socket, name, stage, fun), do: (record({:attach_hook, name, stage, fun}); socket)
  def to_form(data, opts \\ []), do: %{source: data, opts: opts}
  def push_event(socket, event, payload), do: (record({:push_event, event, payload}); socket)
  def push_patch(socket, opts), do: (record({:push_patch, opts}); socket)
  def push_navigate(socket, opts), do: (record({:push_navigate, opts}); socket)
  def start_async(socket, name, fun), do: (record({:start_async, name, fun}); socket)
  def cancel_async(socket, name), do: (record({:cancel_async, name}); socket)
  def assign_async(socket, keys, fun), do: (record({:assign_async, keys, fun}); socket)
  def assign_async(socket, keys, fun, opts), do: (record({:assign_async, keys, fun, opts}); socket)
  def stream_async(socket, name, fun), do: (record({:stream_async, name, fun}); socket)
  def stream_async(socket, name, fun, opts), do: (record({:stream_async, name, fun, opts}); socket)

  def stream(socket, name, items, opts \\ []) do
    record({:stream, name, items, opts})
    kept = if opts[:reset], do: [], else: Map.get(socket.assigns.streams, name, [])
    put_in(socket, [:assigns, :streams, name], kept ++ Enum.to_list(items))
  end

  def stream_insert(socket, name, item, opts \\ []) do
    record({:stream_insert, name, item, opts})
    others = Enum.reject(Map.get(socket.assigns.streams, name, []), &(&1.id == item.id))
    items = if opts[:at] == 0, do: [item | others], else: others ++ [item]
    put_in(socket, [:assigns, :streams, name], items)
  end

  def stream_delete(socket, name, item) do
    record({:stream_delete, name, item})
    update_in(socket, [:assigns, :streams, name], fn items -> Enum.reject(items || [], &(&1.id == item.id)) end)
  end

  def stream_delete_by_dom_id(socket, name, dom_id), do: (record({:stream_delete_by_dom_id, name, dom_id}); socket)

  # Uploads: socket.assigns.uploads[name] is %{entries: [%{done?: bool, valid?: bool, ...}]}.
  def allow_upload(socket, name, opts), do: (record({:allow_upload, name, opts}); put_in(socket, [:assigns, :uploads], %{name => %{entries: []}}))
  def cancel_upload(socket, name, ref), do: (record({:cancel_upload, name, ref}); socket)
  def upload_errors(_conf), do: []
  def upload_errors(_conf, _entry), do: []

  def uploaded_entries(socket, name) do
    entries = socket.assigns.uploads[name].entries
    {Enum.filter(entries, & &1.done?), Enum.reject(entries, & &1.done?)}
  end

  # Like LiveView: raises while entries are in progress; {:postpone, _} keeps an entry.
  def consume_uploaded_entries(socket, name, fun) do
    case uploaded_entries(socket, name) do
      {_, [_ | _]} -> raise ArgumentError, "cannot consume uploaded files when entries are still in progress"
      {done, []} ->
        for entry <- done do
          case fun.(Map.get(entry, :meta, %{path: entry.path}), entry) do
            {:ok, value} -> record({:consumed, entry.ref}); value
            {:postpone, value} -> record({:postponed, entry.ref}); value
          end
        end
    end
  end
end
'''

RUNNER = r'''
[source_path, scenario_path] = System.argv()
{:defmodule, _, [_name, [do: body]]} = Code.string_to_quoted!(File.read!(source_path))
body = case body do
  {:__block__, _, forms} -> forms
  form -> [form]
end

uses_heex? = fn form ->
  {_, found} = Macro.prewalk(form, false, fn
    {:sigil_H, _, _} = node, _ -> {node, true}
    node, acc -> {node, acc}
  end)
  found
end

kept = Enum.filter(body, fn
  {:use, _, _} -> false
  {:import, _, _} -> false
  {:@, _, [{:impl, _, _}]} -> false
  {:@, _, [{:doc, _, _}]} -> false
  {:attr, _, _} -> false
  {:slot, _, _} -> false
  {kind, _, [{:render, _, _} | _]} when kind in [:def, :defp] -> false
  {kind, _, _} = form when kind in [:def, :defp] -> not uses_heex?.(form)
  _ -> true
end)

Code.eval_quoted(quote do
  defmodule Subject do
    import Harness.Stubs
    unquote_splicing(kept)
  end
end)

Code.eval_file(scenario_path)
IO.puts("SCENARIO-OK")
'''


def run_scenario(source: str, scenario: str, support: str = "") -> str:
    """Compile `source` (a generated module) against the stand-ins, with `support` (Elixir modules the
    snippet calls, such as its context), then run `scenario`. Returns the output; raises on failure."""
    with tempfile.TemporaryDirectory(prefix="lvskill-behaviour-") as tmp:
        folder = Path(tmp)
        (folder / "source.ex").write_text(source, encoding="utf-8")
        (folder / "scenario.exs").write_text("import Harness.Stubs\n" + scenario, encoding="utf-8")
        (folder / "runner.exs").write_text(HARNESS + "\n" + support + "\n" + RUNNER, encoding="utf-8")
        done = subprocess.run(["elixir", str(folder / "runner.exs"), str(folder / "source.ex"),
                               str(folder / "scenario.exs")], capture_output=True, text=True, timeout=120, cwd=tmp)
    if done.returncode != 0 or "SCENARIO-OK" not in done.stdout:
        raise AssertionError(f"scenario failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    # The generated module is compiled as "nofile": an unused variable there is a warning the user's
    # `mix compile --warnings-as-errors` would fail on (stand-ins cannot cause it).
    unused = re.findall(r'warning: variable "(\w+)" is unused[^\n]*\n\s*nofile', done.stderr)
    if unused:
        raise AssertionError(f"the generated code leaves variables unused: {unused}\n{done.stderr[-2000:]}")
    return done.stdout


PARSE_SCRIPT = r'''
[list] = System.argv()
for path <- File.read!(list) |> String.split("\n", trim: true) do
  case Code.string_to_quoted(File.read!(path)) do
    {:ok, _} -> :ok
    {:error, error} -> IO.puts(path <> "\t" <> inspect(error))
  end
end
IO.puts("PARSED-ALL")
'''


def unparsable_elixir(expressions: list[str]) -> dict[str, str]:
    """The expressions (HEEx attribute and body expressions of our generated code) that Elixir cannot parse,
    with Elixir's error, from one elixir process."""
    unique = sorted(set(expressions))
    with tempfile.TemporaryDirectory(prefix="lvskill-exprs-") as tmp:
        folder = Path(tmp)
        paths = []
        for n, expression in enumerate(unique):
            path = folder / f"{n}.exs"
            path.write_text(expression, encoding="utf-8")
            paths.append(str(path))
        (folder / "list.txt").write_text("\n".join(paths), encoding="utf-8")
        done = subprocess.run(["elixir", "-e", PARSE_SCRIPT, str(folder / "list.txt")], capture_output=True,
                              text=True, timeout=120, cwd=tmp)
    if "PARSED-ALL" not in done.stdout:
        raise AssertionError(f"elixir did not run:\n{done.stderr[-2000:]}")
    errors = dict(line.split("\t", 1) for line in done.stdout.splitlines() if "\t" in line)
    return {unique[paths.index(path)]: error for path, error in errors.items()}


def without_render_helpers(source: str) -> str:
    """The module without the error helper only render/1 uses (it calls used_input?/1 and the app's
    translate_error/1, which the stand-ins do not have)."""
    return re.sub(r"\n  # Errors of a field[^\n]*\n  defp errors\(field\) do\n.*?\n  end\n", "\n", source, flags=re.S)
