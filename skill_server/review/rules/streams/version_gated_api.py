"""## What it does
Flags LiveView APIs newer than the target version: functions (`stream_async` 1.1.5, `used_input?` 1.0,
`portal` 1.1 ...), JS commands and their options (`JS.ignore_attributes` 1.1, `JS.toggle_attribute`
0.20.4, `blocking:` 1.0, `JS.to_encodable` 1.2), `to: {:closest, _}` scopes (1.0), bindings
(`phx-no-unused-field` 1.2, `phx-patch-focused` 1.2.8), colocated hooks and JS and `:key` (1.1),
`ColocatedCSS` (1.2), tuple `start_async` names (0.20.2), and `{...}` interpolation in tag bodies (1.0).
Functions are found in the Elixir code and inside `~H` templates too (`:if={used_input?(@form[:name])}` on 0.20,
`<.portal>` on 1.0).

## Why is this bad?
On the older version the code fails to compile, raises at render, or (for bindings and interpolation)
silently does nothing or prints the braces literally.

## Example
```elixir
# on LiveView 1.0
stream_async(socket, :posts, fn -> {:ok, Blog.list_posts()} end)
```

## Use instead
Upgrade, or use the older equivalent (`start_async/3` and `stream/4` in `handle_async/3`).

## False positives
The target version comes from `liveview_version`, mix.lock in project mode, or defaults to the newest
release, where this rule never fires. Names inside `@moduledoc`/`@doc` text, a module's own functions
that share a LiveView name, and braces in `<script>`/`<style>` or braces with no assign in them (text
meant literally on 0.20) are not flagged. A release candidate (`1.0.0-rc.6`) is checked as the release
before it, but it may already carry the new APIs (1.0.0-rc.0 brought `used_input?`), so there the rule
reports at medium confidence.

## Severity and confidence
Error: on the target version the code fails to compile, raises or silently does nothing. No harm class because
some cases (bindings, braces) only do nothing, and release-candidate targets, which may already carry the API,
stay medium and strict only.

## References
knowledge: references/release-history#upgrade-checklist-by-topic
"""

import re
from dataclasses import replace

from .... import api_facts
from ....versions import Version, parse_version
from ...elixir_tree import call_arguments, text
from ...helpers import hit, module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="version_gated_api", code="LV306", family="streams", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="An API newer than the target LiveView version.",
    fix="Upgrade LiveView or use the older equivalent named in the message.",
    cites="release-history#upgrade-checklist-by-topic",
)
JS_CALL = re.compile(r"\bJS\.([a-z_]+)\(")
SCOPE = re.compile(r"\{:(closest|inner|document),")
PHX = re.compile(r"(?<![\w-])(phx-[a-z]{1,40}(?:-[a-z]{1,40}){0,6})=")  # anchored after a non-name character: linear on long dash runs
COLOCATED = re.compile(r"Phoenix\.LiveView\.Colocated(Hook|JS|CSS)\b")
KEY = re.compile(r"\s:key=\{")
LIVEVIEW_MODULES = ("Phoenix.LiveView", "Phoenix.Component", "Phoenix.LiveViewTest")


def _newer(ctx, since: Version | None) -> bool:
    return since is not None and since > ctx.version


def _hits(ctx):
    for match, line in module_text_calls(ctx, JS_CALL):
        command = match.group(1)
        since = api_facts.function_since(command, "Phoenix.LiveView.JS")
        if _newer(ctx, since):
            yield Hit(line=line, column=1, message=f"JS.{command} needs LiveView {since}.")
            continue
        for option in api_facts.call_options(ctx.source, match.end() - 1):
            option_since = api_facts.js_option_since(command, option)
            if _newer(ctx, option_since):
                yield Hit(line=line, column=1, message=f"JS.{command}'s {option}: option needs LiveView {option_since}.")
    for match, line in module_text_calls(ctx, SCOPE):
        since = api_facts.js_scope_since(match.group(1))
        if _newer(ctx, since):
            yield Hit(line=line, column=1, message=f"{{:{match.group(1)}, selector}} targets need LiveView {since}.")
    for match, line in module_text_calls(ctx, PHX):
        binding = api_facts.bindings().get(match.group(1), {})
        introduced = binding.get("introduced_in")
        if introduced and _newer(ctx, parse_version(introduced)):
            yield Hit(line=line, column=1, message=f"{match.group(1)} needs LiveView {introduced}.")
    for match, line in module_text_calls(ctx, COLOCATED):
        # ColocatedHook and ColocatedJS arrived in 1.1.0, ColocatedCSS only in 1.2.0 (from the manifest).
        since = api_facts.module_since(f"Phoenix.LiveView.Colocated{match.group(1)}")
        if _newer(ctx, since):
            yield Hit(line=line, column=1, message=f"Phoenix.LiveView.Colocated{match.group(1)} needs LiveView "
                                                   f"{since.major}.{since.minor} (and Phoenix 1.8).")
    if ctx.version < Version(1, 1, 0):
        for _, line in module_text_calls(ctx, KEY):
            yield Hit(line=line, column=1, message=":key on :for needs LiveView 1.1.")
    if ctx.language == "elixir":
        # The module's own functions (a controller's `def portal`) are not LiveView's.
        own = {clause.name for clause in ctx.module.clauses} if ctx.module is not None else set()
        for node, module, name in ctx.calls():
            if module is not None and module not in LIVEVIEW_MODULES:
                continue
            if module is None and name in own:
                continue
            entries = api_facts.functions().get(name, [])
            liveview = [e for e in entries if e.module in LIVEVIEW_MODULES]
            if liveview and _newer(ctx, min(e.since for e in liveview)):
                since = min(e.since for e in liveview)
                yield hit(node, f"{name} needs LiveView {since}; you target {ctx.version}.")
            elif name == "start_async" and ctx.version < Version(0, 20, 2):
                args = call_arguments(node)
                name_arg = args[1] if len(args) > 2 else (args[0] if args else None)
                if name_arg is not None and name_arg.type == "tuple":
                    yield hit(node, "start_async names other than atoms need LiveView 0.20.2.")
            elif name == "push_event" and "dispatch:" in text(node) and ctx.version < Version(1, 1, 18):
                yield hit(node, "push_event/4's dispatch option needs LiveView 1.1.18.")
    yield from _template_calls(ctx)
    if ctx.version < Version(1, 0, 0):
        for template in ctx.templates:
            for node, source in template.expressions():
                if not re.search(r"@\w", source):
                    continue  # braces with no assign in them are most likely meant literally on 0.20
                parent = node.parent
                if parent is not None and parent.type == "expression" and parent.parent is not None \
                        and parent.parent.type in ("tag", "component", "fragment", "slot") \
                        and _tag_name(parent.parent) not in ("script", "style"):  # braces there are JS/CSS
                    line, column = template.position(parent)
                    yield Hit(line=line, column=column,
                              message="{...} in a tag body needs LiveView 1.0; on 0.20 it renders the braces. Use `<%= ... %>`.")


# A function called bare inside a template expression (`:if={used_input?(@form[:content])}`), not `Mod.fun(` or `.fun(`.
TEMPLATE_CALL = re.compile(r"(?<![\w.:@&])([a-z_]\w{0,60}[?!]?)\(")


def _liveview_since(name: str) -> Version | None:
    entries = [e for e in api_facts.functions().get(name, []) if e.module in LIVEVIEW_MODULES]
    return min(e.since for e in entries) if entries else None


def _template_calls(ctx):
    """LiveView functions called inside the templates (`used_input?` in an `:if`) and LiveView components used as
    tags (`<.portal>`), newer than the target: the Elixir tree does not see into `~H`, so they are read here. The
    module's own functions of the same name are its own."""
    own = {clause.name for clause in ctx.module.clauses} if ctx.module is not None else set()
    seen = set()
    for template in ctx.templates:
        found = [(m.group(1), template.position(node)) for node, source in template.expressions()
                 for m in TEMPLATE_CALL.finditer(source)]
        found += [(element.tag[1:], (element.line, element.column)) for element in template.elements
                  if element.tag.startswith(".")]
        for name, (line, column) in found:
            if name in own or (name, line) in seen:
                continue
            since = _liveview_since(name)
            if _newer(ctx, since):
                seen.add((name, line))
                yield Hit(line=line, column=column, message=f"{name} needs LiveView {since}; you target {ctx.version}.")


def _tag_name(node) -> str | None:
    start = next((c for c in node.children if c.type in ("start_tag", "self_closing_tag")), None)
    name = next((c for c in start.children if c.type == "tag_name"), None) if start is not None else None
    return text(name) if name is not None else None


def check(ctx):
    # A release candidate is answered as the release before it, but it may already carry the new APIs
    # (1.0.0-rc.0 brought used_input?): not proven, so only strict reports it.
    for found in _hits(ctx):
        yield replace(found, confidence="medium") if ctx.pre_release else found
