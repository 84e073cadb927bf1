"""Worst-case review inputs at the size cap (a benchmark, not a test): each pathological input the security
audit found (and its relatives) is reviewed in its own child process, under an address-space cap and a
wall-time limit, and the time, the peak memory and whether the review finished are printed. The
throughput benchmark (run.py) shows the common case; this shows the ceiling.

By default the rules run in the child itself, with no review budget: the full cost of each input. With
--isolated the child calls review_isolated under the default limits (what the MCP server and the CLI do):
the time until the answer, the review worker's peak memory, and whether a limit cut it short.

    .venv/bin/python benchmarks/worst_case.py [--isolated] [--size 2096128] [--timeout 60] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def repeat(piece: str, size: int, head: str = "", tail: str = "") -> str:
    return head + piece * max(1, (size - len(head) - len(tail)) // len(piece)) + tail


def nest(opening: str, closing: str, size: int, head: str = "") -> str:
    """Elements nested as deep as `size` allows, each closed."""
    return head + opening * max(1, (size - len(head)) // (len(opening) + len(closing))) + closing * max(
        1, (size - len(head)) // (len(opening) + len(closing)))


def stacks(opening: str, closing: str, depth: int, size: int, head: str = "", tail: str = "", sep: str = "\n",
           inner: str = "x") -> str:
    """Nestings `depth` deep (under the review's nesting limit, bounds.py), one after another up to `size`."""
    return repeat(opening * depth + inner + closing * depth + sep, size, head, tail)


def distinct_helpers(size: int, head: str) -> str:
    """Many differently named helpers, each changing the assigns and sleeping, called from mount and from a failure
    branch of a sign-in handler: a rule that looks up each helper's callers must index them once, not per helper."""
    count = max(1, size // 160)
    calls = "".join(f"    s = h{i}(s)\n" for i in range(count))
    branches = "".join(f"      {{:error, {i}}} -> t{i}()\n" for i in range(count))
    helpers = "".join(f"  defp h{i}(s), do: update_in(s.assigns.a, & &1)\n  defp t{i}, do: Process.sleep(1)\n"
                      for i in range(count))
    return (head + "  def mount(_p, _s, s) do\n" + calls + "    {:ok, s}\n  end\n"
            + '  def handle_event("log_in", %{"code" => c}, s) do\n    case c do\n' + branches
            + "    end\n  end\n" + helpers + "end\n")


def cases(size: int) -> dict[str, tuple[str, str]]:
    """name -> (filename, code), each at most `size` bytes."""
    many_h = "defmodule A do\n  use MyAppWeb, :live_view\n"
    live = many_h
    return {
        "raw( flood": ("a.ex", repeat("raw(", size)),
        "raw(@c.body) lines": ("a.ex", repeat("raw(@c.body)\n", size)),
        "JS.push( nested": ("a.heex", repeat("JS.push(", size, "<button phx-click={", "}>x</button>")),
        "when flood": ("a.ex", repeat("when ", size, "defmodule A do\n def handle_event(e, p, s) when ",
                                      "\n do String.to_atom(e) end\nend\n")),
        "CSS a: b": ("a.css", repeat("a: b ", size)),
        "CSS transition": ("a.css", repeat("transition: a ", size)),
        "< in a button": ("a.heex", repeat("< ", size, "<button>", "</button>")),
        "nested buttons": ("a.heex", repeat("<button>", size)),
        "CR-only lines": ("a.heex", repeat('<div phx-click="x">\r', size)),
        "many ~H clauses": ("a.ex", repeat('  def r(assigns), do: ~H"<div phx-hook=\\"H\\"></div>"\n', size,
                                           many_h, "end\n")),
        "unused suppressions": ("a.ex", repeat("# lvr:disable-next-line x\n", size)),
        "empty modules": ("a.ex", repeat("defmodule A do end\n", size)),
        "nested modules": ("a.ex", repeat("defmodule A do\n", size)),
        "( flood": ("", repeat("(", size)),
        "{ flood heex": ("a.heex", repeat("{", size)),
        "< flood heex": ("a.heex", repeat("<", size)),
        "nested divs": ("a.heex", repeat("<div>", size)),
        "many ~H modules": ("a.ex", repeat('defmodule M do\n  use AppWeb, :live_view\n  def render(assigns), do: '
                                           '~H"<div phx-hook=\\"H\\" id=\\"a\\">{raw(@x)}</div>"\nend\n', size)),
        "nested tuples": ("a.ex", repeat("{", size // 2, "defmodule A do\n def f, do: ") + "}" * (size // 2 - 40)),
        "~H nested divs": ("a.ex", repeat("<div>", size, 'defmodule A do\n def render(assigns), do: ~H"""\n',
                                          '\n"""\nend\n')),
        "phx-hook lines": ("a.heex", repeat('<div phx-hook="H"></div>\n', size)),
        "secret lines": ("a.heex", repeat("{@api_token}\n", size)),
        "handle_event clauses": ("a.ex", repeat('  def handle_event("e", %{"id" => id}, s), do: {:noreply, s}\n',
                                               size, many_h, "end\n")),
        "sniff a{:": ("notes.txt", repeat("a{:", size)),
        "sniff newlines": ("notes.txt", repeat("\n", size, "", "x")),
        "transition args": ("a.ex", repeat('JS.transition("duration-300", time: 300) |> ', size)),
        # Inputs aimed at the rules of issue 14 (ancestor walks, per-element scans of the file, chains).
        "nested phx-change": ("a.heex", nest('<div phx-change="v">', "</div>", size)),
        "nested ids": ("a.heex", nest('<div id="a" :for={x <- @xs}>', "</div>", size)),
        "nested data JSON": ("a.heex", nest('<div data-x={Jason.encode!(@user)}>', "</div>", size)),
        "nested submit buttons": ("a.heex", nest('<button class="phx-click-loading:opacity-50">', "</button>", size,
                                                 '<form phx-submit="s">')),
        "aria booleans": ("a.ex", repeat('<div aria-busy={@s}></div>\n', size // 2, live + "  def render(assigns) do\n"
                                         '    ~H"""\n', '"""\n  end\n' + "  def x(s), do: assign(s, b: true)\n"
                                         * (size // 2 // 34) + "end\n")),
        "stream items": ("a.ex", repeat('<div :for={{id, x} <- @streams.xs} id={id}>{@a}</div>\n', size,
                                        live + '  def handle_event("e", _, s), do: {:noreply, assign(s, :a, 1)}\n'
                                        '  def render(assigns) do\n    ~H"""\n', '"""\n  end\nend\n')),
        "sticky pushes": ("a.ex", repeat('<b phx-click={JS.hide("#x") |> JS.push("e")}></b>\n', size // 2,
                                         live + '  def handle_event("e", _, s) do\n' + "\n" * (size // 2 - 400)
                                         + "    {:error, s}\n  end\n" + '  def render(assigns) do\n    ~H"""\n',
                                         '"""\n  end\nend\n')),
        "assignment chain": ("a.ex", repeat("a = ", size, live + '  def handle_event("e", %{"id" => id}, s) do\n',
                                            "id\n    Repo.delete(Repo.get!(Post, id))\n  end\nend\n")),
        "assignment patterns": ("a.ex", repeat("(a = ", size // 2, live + '  def handle_event("e", %{"id" => id}, s) '
                                               "do\n", "id" + ") = id" * (size // 12) + "\n    Repo.delete(Repo.get!"
                                               "(Post, id))\n  end\nend\n")),
        "cancel and start": ("a.ex", repeat("cancel_async(s, :a)\nstart_async(s, :a, fn -> 1 end)\n", size,
                                            live + "  def handle_event(e, _, s) do\n", "end\nend\n")),
        "payload keys": ("a.ex", repeat('"k" => k, ', size // 2, live + '  def handle_event("e", %{', '"user_id" '
                                        '=> u}, s) do\n' + "    k = k\n" * (size // 2 // 12) + "  end\nend\n")),
        "hook pushEvent": ("a.heex", repeat('this.pushEvent("x")\n', size, '<div id="h" phx-hook=".H"></div>'
                                            '<script :type={Phoenix.LiveView.ColocatedHook} name=".H">',
                                            "</script>")),
        "nested case": ("a.ex", repeat("case x do\n _ -> ", size // 2, live + "  def save(s) do\n"
                                       "    consume_uploaded_entries(s, :a, fn _, _ -> ", "1" + "\nend" * (size // 36)
                                       + "\n end)\n  end\nend\n")),
        "send in nested fns": ("a.ex", repeat("fn -> ", size // 2, live + "  def handle_info(:x, s), do: s\n"
                                              "  def f do\n", "send(self(), :y)\n" * (size // 2 // 16)
                                              + " end" * (size // 2 // 6) + "\n  end\nend\n")),
        "send match chain": ("a.ex", repeat("a = ", size, live + "  def handle_info(:x, s), do: s\n  def f do\n"
                                            "    send(self(), ", ":y)\n  end\nend\n")),
        "JS nested functions": ("a.js", nest("function f() { setInterval(() => {", "}) }", size,
                                             "export default { mounted() {")),
        "assigns resets": ("a.ex", repeat("    kept = Map.drop(socket.assigns, [:a])\n    s = %{socket | assigns: kept}\n"
                                          "    assigns = Map.put(assigns, :b, 1)\n", size,
                                          live + "  def handle_event(e, _, socket) do\n", "  end\nend\n")),
        "huge position": ("a.ex", live + "  def f(s), do: stream_insert(s, :a, 1, at: " + "9" * 5000 + ")\nend\n"),
        "pipes into raw": ("a.ex", repeat("@c.body |> ", size, live + '  def render(assigns), do: ~H"{', 'raw()}"\nend\n')),
        "colocated hook scripts": ("a.heex", repeat('<script :type={Phoenix.LiveView.ColocatedHook} name=".H">export '
                                                    'default {mounted() { this.t = setTimeout(() => this.pushEvent("x"), 1);'
                                                    ' clearTimeout(this.t); window.addEventListener("x", () => 1) }}'
                                                    '</script>\n', size, '<div id="h" phx-hook=".H"></div>')),
        "nested case writes": ("a.ex", repeat("case x do\n _ -> Repo.insert(a)\n", size // 2, live
                                              + '  def handle_event("e", _, s) do\n', "1\n" + "end\n" * (size // 2 // 28)
                                              + "    {:noreply, s}\n  end\nend\n")),
        "handler helpers": ("a.ex", repeat('  def handle_event("e", %{"id" => id}, s), do: {:noreply, h(s, id)}\n'
                                           "  defp h(s, id), do: (Repo.delete(Repo.get!(P, id)); Process.sleep(1); "
                                           "String.to_atom(id); s)\n", size, many_h, "end\n")),
        "mount params": ("a.ex", repeat('"k" => k, ', size // 2, live + "  def mount(%{", '"a" => a}, _, s) do\n'
                                        + "    String.to_atom(a <> b)\n" * (size // 2 // 28) + "  end\nend\n")),
        # Provenance forms of the security rules (recall5): gated controls, acting users bound, verdicts, pipes.
        "gated controls": ("a.ex", repeat('<%= if has_edit_permission(@b, @u) do %><button phx-click="e">x</button>'
                                          "<% end %>\n", size // 2, live + '  def handle_event("e", _, s) do\n'
                                          + "    Cards.delete_card(s.assigns.c)\n" * (size // 2 // 36)
                                          + '  end\n  def render(assigns) do\n    ~H"""\n', '"""\n  end\nend\n')),
        "acting user bound": ("a.ex", repeat('  def handle_event("e", _, socket) do\n    %{current_user: current_user} = '
                                             "socket.assigns\n    Cards.delete_card(socket.assigns.card)\n  end\n",
                                             size, many_h, "end\n")),
        "verdict keys": ("a.ex", repeat("correct?: params[\"c\"], user_id: u, ", size // 2, live
                                        + '  def handle_event("e", %{' + '"k" => k, ' * (size // 2 // 10)
                                        + '"a" => a} = params, s) do\n    x = %{', "}\n  end\nend\n")),
        "piped params ids": ("a.ex", repeat('    p |> Map.fetch!("id") |> Cards.get_card!()\n', size // 2, live
                                            + '  def handle_event("e", %{' + '"k" => p, ' * (size // 2 // 10)
                                            + '"a" => a}, s) do\n', "  end\nend\n")),
        # Audit 8 (D6, D2): each socket reference asking for its parents; padding that fills a rule's listed hits.
        "socket arguments": ("a.ex", repeat("f(socket, ", size, live + "  def f(socket) do\n    ", "")),
        "pushed maps": ("a.ex", repeat('push_event(socket, "x", %{key: ', size, live + "  def f(socket) do\n    ", "")),
        "empty modules with a flag": ("a.ex", repeat("defmodule A do end\n", size, "# can_edit? authorize\n")),
        "low raws before one": ("a.ex", repeat("    <p>{raw(@page.body_html)}</p>\n", size, live
                                               + '  def render(assigns) do\n    ~H"""\n',
                                               '    <div>{raw(@comment.body)}</div>\n    """\n  end\nend\n')),
        "assigns of user text": ("a.ex", repeat("    s = assign(s, :h, Earmark.as_html!(c.body))\n    raw(@h)\n", size,
                                                live + "  def f(s) do\n", "  end\nend\n")),
        # Issue 17 (linear algorithms): a walk up from each node, or a scan of every holder, per hit.
        "async fns": ("a.ex", repeat("    start_async(socket, :a, fn -> f(socket) end)\n", size,
                                     live + "  def handle_event(e, _, socket) do\n", "  end\nend\n")),
        "spawned sends": ("a.ex", repeat("    Task.start(fn -> send(self(), :y) end)\n", size, live
                                         + "  def handle_info(:x, s), do: s\n  def f do\n", "  end\nend\n")),
        "sleeps in deep lists": ("a.ex", repeat("Process.sleep(1), ", size // 2, live + '  def handle_event("e", _, s) '
                                                "do\n    " + "[" * 380, "1" + "]" * 380 + "\n  end\nend\n")),
        "sends in deep lists": ("a.ex", repeat("send(self(), :y), ", size // 2, live + "  def handle_info(:x, s), "
                                               "do: s\n  def f do\n    " + "[" * 380, "1" + "]" * 380
                                               + "\n  end\nend\n")),
        "assigns copies": ("a.ex", repeat("    x = Map.put(assigns, :a, f(x))\n", size, live
                                          + "  def f(assigns) do\n", "  end\nend\n")),
        "assigns copies in deep lists": ("a.ex", repeat("Map.put(assigns, :a, 1), ", size // 2, live
                                                        + "  def f(assigns) do\n    " + "[" * 380,
                                                        "1" + "]" * 380 + "\n  end\nend\n")),
        "payload ids in deep lists": ("a.ex", repeat("user_id, ", size // 2, live + '  def handle_event("e", '
                                                     '%{"user_id" => user_id}, s) do\n    x = ' + "[" * 380,
                                                     "1" + "]" * 380 + "\n  end\nend\n")),
        # Nesting of every shape (audit 2, E3): as deep as the input allows (refused by the shape limits, bounds.py),
        # and in stacks just under the nesting limit, which the rules do read.
        "nested maps": ("a.ex", nest("%{a: ", "}", size, "x = ")),
        "nested lists": ("a.ex", nest("[", "]", size, "x = ")),
        "nested fns": ("a.ex", nest("fn -> ", " end", size, "x = ")),
        "nested calls": ("a.ex", nest("f(", ")", size, "x = ")),
        "pipe chain": ("a.ex", repeat(" |> f()", size, live + "  def f(x) do\n    x", "\n  end\nend\n")),
        "nested components": ("a.heex", nest("<.c>", "</.c>", size)),
        "nested @media": ("a.css", nest("@media (x) {", "}", size)),
        "map stacks": ("a.ex", stacks("%{a: ", "}", 90, size, live + "  def f(x) do\n    [", "1]\n  end\nend\n", ",\n")),
        "list stacks": ("a.ex", stacks("[", "]", 190, size, live + "  def f(x) do\n    [", "1]\n  end\nend\n", ",\n")),
        "tuple stacks": ("a.ex", stacks("{", "}", 190, size, live + "  def f(x) do\n    [", "1]\n  end\nend\n", ",\n")),
        "call stacks": ("a.ex", stacks("f(", ")", 190, size, live + "  def f(x) do\n    [", "1]\n  end\nend\n", ",\n")),
        "fn stacks": ("a.ex", stacks("fn -> ", " end", 120, size, live + "  def f(x) do\n    [", "1]\n  end\nend\n",
                                     ",\n")),
        "case stacks": ("a.ex", stacks("case x do _ -> ", " end", 90, size, live + "  def f(x) do\n    [",
                                       "1]\n  end\nend\n", ",\n")),
        "pipe stacks": ("a.ex", repeat("x" + " |> f()" * 390 + ",\n", size, live + "  def f(x) do\n    [", "1]\n  end\nend\n")),
        "div stacks": ("a.heex", stacks('<div phx-click="e">', "</div>", 190, size)),
        "component stacks": ("a.heex", stacks("<.c>", "</.c>", 190, size)),
        "~H div stacks": ("a.ex", stacks("<div>", "</div>", 190, size, live + '  def render(assigns) do\n    ~H\"\"\"\n',
                                         '\"\"\"\n  end\nend\n')),
        "@media stacks": ("a.css", stacks("@media (x) {", "}", 190, size, inner="a{b:c}")),
        "JS function stacks": ("a.js", stacks("function(){", "}", 130, size, inner="x()")),
        # Error recovery that grows faster than the input (audit 5): stopped by the parse budget, at any size.
        "JS a{: recovery": ("hook.js", repeat("a{:", size)),
        "JS a{: recovery 16 KB": ("hook.js", repeat("a{:", min(size, 16_384))),
        "CSS => recovery": ("a.css", repeat("=>", size)),
        "colocated hook x{:} recovery": ("a.ex", repeat("x{:}", min(size, 16_384), live + '  def render(assigns) do\n'
                                                        '    ~H"""\n    <div id="c" phx-hook=".H"></div>\n'
                                                        '    <script :type={Phoenix.LiveView.ColocatedHook} name=".H">\n'
                                                        "      export default {mounted(){ ",
                                                        ' }}\n    </script>\n    """\n  end\nend\n')),
        # Audit 9: repeated reads of one payload value, helper calls and match patterns in one handler
        # (trusts_client_payload, review/taint.py), misnamed hook methods (LV408), script mentions (heex_text.py).
        "payload fallbacks": ("a.ex", repeat('    a = Map.get(params, "user_id", socket.assigns.current_user.id)\n', size,
                                             live + '  def handle_event("e", params, socket) do\n', "  end\nend\n")),
        "payload pipes": ("a.ex", repeat('    x = params |> Map.get("user_id") |> String.trim()\n'
                                         '    Map.put(%{}, "user_id", x)\n', size,
                                         live + '  def handle_event("e", params, socket) do\n', "  end\nend\n")),
        "payload matches": ("a.ex", repeat('    %{"a" => %{"b" => b}} = params\n    user_id = b\n', size,
                                           live + '  def handle_event("e", params, socket) do\n', "  end\nend\n")),
        "many distinct helpers": ("a.ex", distinct_helpers(size, live)),
        "handlers with a helper": ("a.ex", repeat('  def handle_event("e", params, socket) do\n    save(socket, params)\n'
                                                  "  end\n", size, live, '  defp save(s, p), do: Blog.create(%{user_id: '
                                                  'p["user_id"]})\nend\n')),
        "misnamed hook methods": ("a.js", repeat("  destroy() { clearInterval(this.t) },\n", size,
                                                 "Hooks.H = {\n  mounted() { this.pushEvent('x', {}) },\n", "};\n")),
        "modules beside a long doc": ("a.ex", repeat('defmodule A do\n  use A, :live_view\n  def handle_event("e", _p, s), do: '
                                                     "{:noreply, s}\nend\n", size // 50, "",
                                                     'defmodule Pad do\n  @moduledoc """\n'
                                                     + "words of a long doc\n" * (size // 4 // 20) + '  """\nend\n')),
        "script mentions": ("a.heex", repeat('<!-- <script> --><p title="<style>" data-x={@a}>{"<script>"}</p>\n',
                                             size, "", "<script>{</script>\n")),
        # recall12: the module's own getters (missing_authorization), keys the page sends in a payload written whole
        # (trusts_client_payload), linkify helpers (raw_html_user_content), forms nothing submits nested in each other
        # (event_without_handler), rescheduling timeouts (hook_timer_leak), network calls in callbacks.
        "local getters": ("a.ex", repeat('  defp g(id), do: Racks.get_shelf!(id)\n  def handle_event("e", %{"s" => s}, so), '
                                         "do: {:noreply, Racks.delete_shelf(g(s))}\n", size, live, "end\n")),
        "sent price keys": ("a.ex", repeat('<button phx-click="add" phx-value-price={p.price} phx-value-user_id='
                                           '{@current_user.id}>x</button>\n', size, live + '  def handle_event("add", params, '
                                           's), do: Carts.add(s.assigns.cart, params)\n  def render(assigns) do\n    ~H"""\n',
                                           '    """\n  end\nend\n')),
        "linkify helpers": ("a.ex", repeat('  defp l(t), do: Regex.replace(~r/x/, t, "<a>\\\\1</a>")\n  def r(m), do: raw(l(m.body))\n',
                                           size, live, "end\n")),
        "nested submit forms": ("a.ex", stacks('<form phx-submit="s"><select name="a"></select>', "</form>", 150, size,
                                               live + '  def render(assigns) do\n    ~H"""\n', '    """\n  end\nend\n')),
        "rescheduling timeouts": ("a.js", repeat("  m() { this.t = setTimeout(() => { this.m() }, 9) },\n", size,
                                                 "export default {\n  mounted() { this.m() },\n", "}\n")),
        "network calls in callbacks": ("a.ex", repeat("  def handle_info(m, s), do: {:noreply, assign(s, :a, OpenAI.chat(m) || "
                                                      "f(m))}\n  defp f(m), do: HTTPoison.get!(m)\n", size, live, "end\n")),

        "dropped writes with flashes": ("a.ex", repeat('    Prefs.toggle_a(id)\n    put_flash(socket, :info, "ok")\n'
                                                        "    _ = Prefs.mute_b(id)\n", size,
                                                        live + '  def handle_event("e", %{"id" => id}, socket) do\n',
                                                        "    {:noreply, socket}\n  end\nend\n")),
        "kept timeouts calling helpers": ("a.js", repeat("    this.t = setTimeout(() => go(), 5); clearTimeout(this.t);\n",
                                                          size, "Hooks.H = {\n  mounted() {\n    let go = () => "
                                                          "liveSocket.execJS(this.el, 'x');\n", "  },\n};\n")),
        "stream container wrappers": ("a.heex", repeat('  <div class="w"><p id={"i-#{@a}"}>x</p></div>\n', size,
                                                       '<div id="s" phx-update="stream">\n', "</div>\n")),
        "fixed topics and families": ("a.ex", repeat('    Phoenix.PubSub.subscribe(App.PubSub, "t")\n    x = "t:" <> y\n'
                                                      "    App.Endpoint.broadcast(\"t\", \"e\", %{user_id: id})\n",
                                                      size, live + "  def mount(_p, _s, socket) do\n    u = "
                                                      "socket.assigns.current_user\n", "    {:ok, socket}\n  end\nend\n")),
        "mount helpers and loops": ("a.ex", repeat("    |> track_it()\n    |> assign(:n, Enum.map(xs, fn x -> "
                                                    "Ctx.count_items(x) end))\n", size, live + "  def mount(_p, _s, "
                                                    "socket) do\n    socket\n", "    |> then(&{:ok, &1})\n  end\n"
                                                    "  defp track_it(s) do\n    Stats.log_visit(s)\n    s\n  end\nend\n")),
    }


def run_one(filename: str, code: str, isolated: bool) -> dict:
    """In the child: review, report time and peak memory (the worker's, when isolated)."""
    from skill_server.review.engine import review_source
    from skill_server.review.worker import review_isolated, shutdown_all

    started = time.perf_counter()
    if isolated:
        result = review_isolated(code, filename=filename or None, strict=True)
        seconds = time.perf_counter() - started
        shutdown_all()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    else:
        result = review_source(code, filename=filename or None, strict=True)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "findings": len(result.findings), "complete": result.complete,
            "not_run": len(result.rules_not_run), "peak_mb": peak // 1024}


def child(name: str, size: int, isolated: bool) -> None:
    filename, code = cases(size)[name]
    print(json.dumps(run_one(filename, code, isolated)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2 * 1024 * 1024 - 1024, help="bytes per input (the cap is 2 MiB)")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall seconds per case")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space cap per case")
    parser.add_argument("--budget", type=float, default=1e9, help="the review's own time budget (default: none)")
    parser.add_argument("--only", action="append", help="run only these cases (repeat)")
    parser.add_argument("--isolated", action="store_true", help="review in a worker under the default limits")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.size, args.isolated)
        return
    env = dict(os.environ, LIVEVIEW_SKILL_REVIEW_BUDGET_S=str(args.budget), PYTHONPATH=str(REPO))
    cap = args.memory_mb * 1024 * 1024
    how = "in a review worker under the default limits" if args.isolated else "in-process, no review budget"
    print(f"worst-case review inputs of {args.size:,} bytes, strict, {how}, one child each "
          f"(address space <= {args.memory_mb} MB, wall <= {args.timeout:g} s)")
    for name in cases(256):
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--size", str(args.size), "--child", name,
                 *(["--isolated"] if args.isolated else [])], capture_output=True, text=True,
                timeout=args.timeout, env=env,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)),
            )
        except subprocess.TimeoutExpired:
            print(f"{name:24} did not finish within {args.timeout:g} s")
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:24} failed after {time.perf_counter() - started:.1f} s: {last[:120]}")
            continue
        row = json.loads(done.stdout)
        state = "complete" if row["complete"] else f"partial ({row['not_run']} rules did not run)"
        print(f"{name:24} {row['seconds']:6.2f} s  peak {row['peak_mb']:5d} MB  findings {row['findings']:6d}  {state}")


if __name__ == "__main__":
    main()
