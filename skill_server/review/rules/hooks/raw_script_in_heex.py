"""## What it does
Flags a `<script>` element in a LiveView template (a LiveView's or LiveComponent's render, a `.heex`
rendered by one, a function component) that is not a colocated hook or colocated JS (`:type={...}`) and
not a data block (`type="application/json"`, `"application/ld+json"`, `"text/template"`, `"importmap"`).

## Why is this bad?
The browser runs a `<script>` only when it parses the page. LiveView builds every later render from HTML
strings (`template.innerHTML`), and scripts created that way never run: the code works on the first
page load, then silently does nothing after live navigation, after a reconnect re-render, or when the
element appears later (`:if`). Nor does it get `mounted`/`destroyed` to clean up.

## Example
```heex
<div id="chart"></div>
<script>new Chart(document.getElementById("chart"), {...})</script>
```

## Use instead
A hook (`phx-hook`), colocated from 1.1 with Phoenix 1.8: `<script :type={Phoenix.LiveView.ColocatedHook}
name=".Chart">export default { mounted() { ... } }</script>` and `phx-hook=".Chart"`; or code in
`assets/js` registered with the LiveSocket.

## False positives
The root layout and templates a controller renders are parsed by the browser and are not flagged, nor is any
template that loads the LiveView client or connects the LiveSocket (a single-file `Mix.install` app's layout, a
root layout under another name): it is the page's shell, its scripts run once per page load by design and the
bootstrap cannot be a hook. A
layout rendered inside LiveViews (`layouts/app.html.heex`) or a template whose kind cannot be seen is
medium confidence.

## Severity and confidence
Warning: the script silently stops working after navigation, a visible defect but no data loss. High in a
LiveView's own template; medium (strict only) in layouts and templates of unknown kind.

## References
knowledge: hooks-and-js-interop#when-a-hook-is-the-right-tool
"""

import re
from pathlib import PurePosixPath

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="raw_script_in_heex", code="LV405", family="hooks", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A <script> in a LiveView template runs only on the first page load.",
    fix="Move the code into a hook (colocated on 1.1+) or assets/js, and attach it with phx-hook.",
    cites="hooks-and-js-interop#when-a-hook-is-the-right-tool",
)
DATA_TYPES = re.compile(r"^(application/(ld\+)?json|text/(template|html|x-template|plain)|importmap|speculationrules)$",
                        re.I)
COLOCATED = ("xtype", ":type")


def _confidence(ctx) -> str | None:
    """None (high) where the template is surely a LiveView's; medium for layouts and unknown kinds."""
    path = PurePosixPath((ctx.filename or "").replace("\\", "/"))
    if "layouts" in path.parts or path.name.startswith(("app.html", "live.html")):
        return "medium"
    if ctx.language == "elixir":
        kind = ctx.module.kind if ctx.module is not None else None
        return None if kind in ("live_view", "live_component") else "medium"
    companion = ctx.companion_module
    if companion is not None and companion.kind in ("live_view", "live_component"):
        return None
    return None if "live" in path.name else "medium"


# What starts the LiveView client: its script loaded (`phoenix_live_view.min.js`, the app bundle is not it) or the
# LiveSocket built and connected inline.
BOOTSTRAP_SRC = re.compile(r"phoenix_live_view(?:\.min)?\.js|/phoenix_live_view@|phoenix(?:\.min)?\.js")
BOOTSTRAP_CODE = re.compile(r"\bnew\s{1,8}(?:[\w.]{1,60}\.)?LiveSocket\s{0,8}\(|"
                            r"\bliveSocket\s{0,8}\.\s{0,8}connect\s{0,8}\(")


def _bootstraps_liveview(template) -> bool:
    """The template is the page's shell: one of its scripts loads the LiveView client or connects the LiveSocket
    (a single-file app's layout, a root layout under another name). Such scripts must run once on the page load,
    before LiveView exists, and cannot be hooks; the shell's other scripts are page assets loaded the same way."""
    for element in template.elements:
        if element.tag != "script":
            continue
        source = element.attr("src")
        if source is not None and BOOTSTRAP_SRC.search(source.value or ""):
            return True
        if source is None and BOOTSTRAP_CODE.search(element.inner_source()[:20_000]):
            return True
    return False


def check(ctx):
    if ctx.dead_rendered:
        return
    confidence = _confidence(ctx)
    for template in ctx.templates:
        if _bootstraps_liveview(template):
            continue
        for element in template.elements:
            if element.tag != "script" or any(element.has(name) for name in COLOCATED):
                continue
            kind = element.attr("type")
            if kind is not None and not kind.is_expr and DATA_TYPES.match((kind.value or "").strip()):
                continue
            yield element_hit(element, "This <script> runs on the first page load only: LiveView's later renders "
                                       "never execute it. Use a hook.", confidence)
