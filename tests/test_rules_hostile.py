"""Every rule on hostile input: each rule runs alone on every pathological input of its language (floods of
call openers, deep nesting, long chains, many modules and templates) and must finish with findings on real
lines, never an exception. How long each takes is measured by benchmarks/rule_scaling.py (which names a rule
whose time grows faster than its input), not asserted here; test_review_isolation.py checks that whole
reviews of such inputs finish complete inside a worker's limits."""

from __future__ import annotations

from functools import lru_cache

import pytest

from skill_server.review.context import ReviewContext
from skill_server.review.engine import prepare
from skill_server.review.registry import all_rules
from skill_server.review.rule import Hit
from skill_server.versions import resolve

SIZE = 40_000
LIVE = "defmodule A do\n  use MyAppWeb, :live_view\n"


def _fill(piece: str, head: str = "", tail: str = "") -> str:
    return head + piece * max(1, (SIZE - len(head) - len(tail)) // len(piece)) + tail


def _nest(opening: str, closing: str, head: str = "") -> str:
    depth = (SIZE - len(head)) // (len(opening) + len(closing))
    return head + opening * depth + closing * depth


def _distinct_helpers() -> str:
    """Differently named helpers changing the assigns and sleeping, called from mount and from a sign-in handler's
    failure branches (as benchmarks/worst_case.py's "many distinct helpers"): their callers are looked up per helper."""
    count = SIZE // 160
    calls = "".join(f"    s = h{i}(s)\n" for i in range(count))
    branches = "".join(f"      {{:error, {i}}} -> t{i}()\n" for i in range(count))
    helpers = "".join(f"  defp h{i}(s), do: update_in(s.assigns.a, & &1)\n  defp t{i}, do: Process.sleep(1)\n"
                      for i in range(count))
    return (LIVE + "  def mount(_p, _s, s) do\n" + calls + "    {:ok, s}\n  end\n"
            + '  def handle_event("log_in", %{"code" => c}, s) do\n    case c do\n' + branches
            + "    end\n  end\n" + helpers + "end\n")


def _in_render(markup: str) -> str:
    return LIVE + '  def render(assigns) do\n    ~H"""\n' + markup + '\n    """\n  end\nend\n'


HOSTILE = {
    "raw( flood": ("a.ex", _fill("raw(")),
    "many distinct helpers": ("a.ex", _distinct_helpers()),
    "paren-less raw floods": ("a.heex", _fill("{raw <%= raw @a.b |> raw &raw/1 && raw @c.d ")),
    "many aliases of Phoenix.HTML": ("a.ex", _fill("  alias Phoenix.HTML, as: H1\n  H1.raw(x) H ", "defmodule A do\n",
                                                  "end\n")),
    "many one-line handlers": ("a.ex", _fill('  def handle_event("d", %{"id" => id}, s), do: {:noreply, assign(s, :r, '
                                             'Repo.delete!(Repo.get!(Post, id)))}\n', LIVE, "end\n")),
    "interpolated atoms": ("a.ex", _fill(':"a#{x}" ', LIVE + '  def handle_event("e", %{"x" => x}, s) do\n',
                                         "\n  end\nend\n")),
    "( flood": ("a.ex", _fill("(")),
    "when flood": ("a.ex", _fill("when ", "defmodule A do\n def handle_event(e, p, s) when ",
                                 "\n do String.to_atom(e) end\nend\n")),
    "many modules": ("a.ex", _fill("defmodule A do end\n")),
    "nested modules": ("a.ex", _fill("defmodule A do\n")),
    "many ~H clauses": ("a.ex", _fill('  def r(assigns), do: ~H"<div phx-hook=\\"H\\"></div>"\n', LIVE, "end\n")),
    "handle_event clauses": ("a.ex", _fill('  def handle_event("e", %{"id" => id}, s), do: {:noreply, s}\n', LIVE,
                                           "end\n")),
    "assignment chain": ("a.ex", _fill("a = ", LIVE + '  def handle_event("e", %{"id" => id}, s) do\n',
                                       "id\n    Repo.delete(Repo.get!(Post, id))\n  end\nend\n")),
    "payload pipe chain": ("a.ex", _fill(" |> Map.put(\"user_id\", p[\"x\"])", LIVE + '  def handle_event("e", p, s) do\n    a = p',
                                         "\n    Blog.create(a)\n  end\nend\n")),
    "payload nested maps": ("a.ex", _nest("%{user_id: p[\"u\"], m: ", "}", LIVE + '  def handle_event("e", p, s) do\n    Blog.create(')
                            + ")\n  end\nend\n"),
    "payload || chain": ("a.ex", _fill('p["owner_id"] || ', LIVE + '  def handle_event("e", p, s) do\n    Blog.create(%{user_id: ',
                                       "socket.assigns.current_user.id})\n  end\nend\n")),
    "send match chain": ("a.ex", _fill("a = ", LIVE + "  def handle_info(:x, s), do: s\n  def f do\n    send(self(), ",
                                       ":y)\n  end\nend\n")),
    "cancel and start": ("a.ex", _fill("cancel_async(s, :a)\nstart_async(s, :b, fn -> 1 end)\n",
                                       LIVE + "  def handle_event(e, _, s) do\n", "end\nend\n")),
    "assigns resets": ("a.ex", _fill("    kept = Map.drop(socket.assigns, [:a])\n    s = %{socket | assigns: kept}\n"
                                     "    assigns = Map.put(assigns, :b, 1)\n",
                                     LIVE + "  def handle_event(e, _, socket) do\n", "  end\nend\n")),
    "huge position": ("a.ex", LIVE + "  def f(s), do: stream_insert(s, :a, 1, at: " + "9" * 5000 + ")\nend\n"),
    "mount params": ("a.ex", _fill('"k" => k, ', LIVE + "  def mount(%{", '"a" => a}, _, s) do\n'
                                   + "    String.to_atom(a)\n" * 200 + "  end\nend\n")),
    "stream items in ~H": ("a.ex", _in_render(_fill('<div :for={{id, x} <- @streams.xs} id={id}>{@a}</div>\n'))),
    "deep pipes in mount": ("a.ex", LIVE + ("  def mount(_p, _s, socket) do\n    socket = socket\n"
                                            + "    |> Phoenix.PubSub.subscribe(Repo.insert!(1))\n" * 350
                                            + "    {:ok, socket}\n  end\n") * 12 + "end\n"),
    "phx-value- flood": ("a.heex", _fill("phx-value-")),  # audit 7 D9: a dash run with no `=` was quadratic
    "< flood": ("a.heex", _fill("<")),
    "{ flood": ("a.heex", _fill("{")),
    "JS.push( nested": ("a.heex", _fill("JS.push(", "<button phx-click={", "}>x</button>")),
    "nested divs": ("a.heex", _nest('<div id="a" phx-change="v" :for={x <- @xs}>', "</div>")),
    "nested buttons": ("a.heex", _nest('<button class="phx-click-loading:opacity-50">', "</button>",
                                       '<form phx-submit="s">')),
    "nested data JSON": ("a.heex", _nest("<div data-x={Jason.encode!(@user)}>", "</div>")),
    "phx-hook lines": ("a.heex", _fill('<div phx-hook="H"></div>\n')),
    "secret lines": ("a.heex", _fill("{@api_token}\n")),
    "CR-only lines": ("a.heex", _fill('<div phx-click="x">\r')),
    "EEx blocks": ("a.heex", _fill('<%= for {id, x} <- @streams.xs do %><li id={id}><%= x.name %></li><% end %>\n',
                                   '<ul id="l" phx-update="stream">', "</ul>")),
    "hook pushEvent": ("a.js", _fill('this.pushEvent("x", {});\n', "export default {\n  mounted() {\n", "}}\n")),
    "hook helper methods": ("a.js", _fill("  m() { this.m(); this.t = setInterval(() => 1, 9) },\n",
                                          "export default {\n  mounted() { this.m() },\n", "}\n")),
    "bound global listeners": ("a.js", _fill('    window.addEventListener("r", this.f.bind(this), {passive: true})\n',
                                             "export default {\n  mounted() {\n",
                                             '  },\n  destroyed() { window.removeEventListener("r", this.g) }\n}\n')),
    "else-less with": ("a.ex", _fill("      with {:ok, a} <- f(p) do {:ok, a} end\n",
                                     LIVE + "  def h(s) do\n    consume_uploaded_entries(s, :a, fn %{path: p}, _ ->\n",
                                     "    end)\n  end\nend\n")),
    "EEx for rows": ("a.heex", _fill("<%= for n <- @ns do %><li data-n={Jason.encode!(n)}></li><% end %>\n")),
    "JS braces": ("a.js", _fill("{")),
    "JS nested functions": ("a.js", _nest("function f() { setInterval(() => {", "}) }", "export default { mounted() {")
                            + "}}\n"),
    "JS quotes": ("a.js", _fill('"\\')),
    # Shapes of issue 14's new forms: a value piped into raw(), colocated hooks, branches, handlers' helpers.
    "pipes into raw": ("a.ex", _fill("@c.body |> ", LIVE + '  def render(assigns), do: ~H"{', 'raw()}"\nend\n')),
    "colocated hook scripts": ("a.heex", _fill('<script :type={Phoenix.LiveView.ColocatedHook} name=".H">export default '
                                               '{mounted() { this.t = setTimeout(() => this.pushEvent("x"), 1); '
                                               'clearTimeout(this.t); window.addEventListener("x", () => 1) }}</script>\n',
                                               '<div id="h" phx-hook=".H"></div>')),
    "nested case writes": ("a.ex", _fill("case x do\n _ -> Repo.insert(a)\n", LIVE + '  def handle_event("e", _, s) do\n',
                                         "1\n" + "end\n" * 700 + "    {:noreply, s}\n  end\nend\n")),
    "handler helpers": ("a.ex", _fill('  def handle_event("e", %{"id" => id}, s), do: {:noreply, h(s, id)}\n'
                                      "  defp h(s, id), do: (Repo.delete(Repo.get!(P, id)); Process.sleep(1); "
                                      "String.to_atom(id); s)\n", LIVE, "end\n")),
    # audit 11 M2: assigns filled through the module's helpers (recursive, each handed the payload): read once each.
    "assigns through helpers": ("a.ex", _fill('  def handle_event("e", p, s), do: {:noreply, assign(s, k: f(p), '
                                              'v: f(p["x"]) |> g())}\n  defp f(p), do: f(g(p) |> String.trim())\n'
                                              '  defp g(p), do: f(p)\n', LIVE,
                                              "  defp z(s), do: String.to_atom(s.assigns.k)\nend\n")),
    "CSS a: b": ("a.css", _fill("a: b ")),
    "CSS comments": ("a.css", _fill("/* ")),
    "CSS keyframes": ("a.css", _fill("@keyframes a {")),
    "CSS transitions": ("a.css", _fill(".a { transition: transform 1s; }\n")),
    # The provenance forms of the security rules: gated controls, acting users bound, verdicts, piped params ids.
    "gated controls": ("a.ex", _in_render(_fill('<%= if has_edit_permission(@b, @u) do %><button phx-click="e">x'
                                                "</button><% end %>\n")).replace(
        "  def render", '  def handle_event("e", _, s), do: Cards.delete_card(s.assigns.c)\n  def render')),
    "acting user bound": ("a.ex", _fill('  def handle_event("e", _, socket) do\n    %{current_user: current_user} = '
                                        "socket.assigns\n    Cards.delete_card(socket.assigns.card)\n  end\n", LIVE,
                                        "end\n")),
    "verdict keys": ("a.ex", _fill('correct?: params["c"], user_id: u, ', LIVE + '  def handle_event("e", %{'
                                   + '"k" => k, ' * 500 + '"a" => a} = params, s) do\n    x = %{', "}\n  end\nend\n")),
    "piped params ids": ("a.ex", _fill('    p |> Map.fetch!("id") |> Cards.get_card!()\n', LIVE + '  def handle_event("e", %{'
                                       + '"k" => p, ' * 500 + '"a" => a}, s) do\n', "  end\nend\n")),
    "assigns of user text": ("a.ex", _fill("    s = assign(s, :h, Earmark.as_html!(c.body))\n    raw(@h)\n",
                                           LIVE + "  def f(s) do\n", "  end\nend\n")),
    # recall12: the module's own getters, whole maps the page fills with a price, linkify helpers, forms nothing
    # submits, rescheduling timeouts, network calls in callbacks.
    "local getters": ("a.ex", _fill('  defp g(id), do: Racks.get_shelf!(id)\n  def handle_event("e", %{"s" => s}, so), '
                                    "do: {:noreply, Racks.delete_shelf(g(s))}\n", LIVE, "end\n")),
    "sent price keys": ("a.ex", _in_render(_fill('<button phx-click="add" phx-value-price={p.price} phx-value-user_id={@current_user.id}>x</button>\n'))
                        .replace("end\nend\n", 'end\n  def handle_event("add", params, s), do: Carts.add(s.assigns.cart, params)\nend\n')),
    "linkify helpers": ("a.ex", _fill('  defp l(t), do: Regex.replace(~r/x/, t, "<a>\\\\1</a>")\n  def r(m), do: raw(l(m.body))\n',
                                      LIVE, "end\n")),
    "nested submit forms": ("a.ex", _in_render('<form phx-submit="s"><select name="a"></select>' * 150 + "</form>" * 150)),
    "rescheduling timeouts": ("a.js", _fill("  m() { this.t = setTimeout(() => { this.m() }, 9) },\n",
                                            "export default {\n  mounted() { this.m() },\n", "}\n")),
    "network calls in callbacks": ("a.ex", _fill('  def handle_info(m, s), do: {:noreply, assign(s, :a, OpenAI.chat(m) || Req.get!(m) || f(m))}\n'
                                                 "  defp f(m), do: HTTPoison.get!(m)\n", LIVE, "end\n")),

    "dropped writes with flashes": ("a.ex", _fill('    Prefs.toggle_a(id)\n    put_flash(socket, :info, "ok")\n'
                                                  "    _ = Prefs.mute_b(id)\n", LIVE + '  def handle_event("e", %{"id" => '
                                                  'id}, socket) do\n', "    {:noreply, socket}\n  end\nend\n")),
    "kept timeouts calling helpers": ("a.js", _fill("    this.t = setTimeout(() => go(), 5); clearTimeout(this.t);\n",
                                                    "Hooks.H = {\n  mounted() {\n    let go = () => liveSocket.execJS("
                                                    "this.el, 'x');\n", "  },\n};\n")),
    "stream container wrappers": ("a.heex", _fill('  <div class="w"><p id={"i-#{@a}"}>x</p></div>\n',
                                                  '<div id="s" phx-update="stream">\n', "</div>\n")),
    "fixed topics and families": ("a.ex", _fill('    Phoenix.PubSub.subscribe(App.PubSub, "t")\n    x = "t:" <> y\n'
                                                '    App.Endpoint.broadcast("t", "e", %{user_id: id})\n', LIVE +
                                                "  def mount(_p, _s, socket) do\n    u = socket.assigns.current_user\n",
                                                "    {:ok, socket}\n  end\nend\n")),
    "mount helpers and loops": ("a.ex", _fill("    |> track_it()\n    |> assign(:n, Enum.map(xs, fn x -> Ctx.count_items(x) "
                                              "end))\n", LIVE + "  def mount(_p, _s, socket) do\n    socket\n",
                                              "    |> then(&{:ok, &1})\n  end\n  defp track_it(s) do\n    "
                                              "Stats.log_visit(s)\n    s\n  end\nend\n")),
}


@lru_cache(maxsize=None)
def _units(name: str) -> tuple[str, tuple[ReviewContext, ...]]:
    """(language, module units) of one hostile input, built once and shared by every rule (as a review does)."""
    filename, code = HOSTILE[name]
    job = prepare(code, filename=filename, strict=True)
    ctx = ReviewContext(job.code, job.filename, job.language, resolve(None).version)
    return job.language, tuple(ctx.units())


RUNS = {"elixir": {"elixir", "heex"}, "heex": {"heex"}, "javascript": {"javascript"}, "css": {"css"}}


@pytest.mark.parametrize("loaded", all_rules(), ids=lambda loaded: loaded.rule.slug)
def test_every_rule_finishes_on_every_hostile_input_of_its_language(loaded):
    ran = 0
    for name, (_, code) in HOSTILE.items():
        language, units = _units(name)
        if not RUNS[language].intersection(loaded.rule.languages):
            continue
        lines = code.count("\n") + code.count("\r") + 1
        hits = [hit for unit in units for hit in loaded.check(unit)]
        assert all(isinstance(hit, Hit) and 1 <= hit.line <= lines for hit in hits), name
        ran += 1
    assert ran >= 3  # every rule meets several inputs of its language
