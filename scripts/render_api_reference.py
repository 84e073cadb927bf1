#!/usr/bin/env python3
"""Renders references/api.md from references/liveview_api.json (the LiveView 1.2.10 API manifest).

Run it after updating the manifest; tests/test_references.py fails when the committed file is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "references" / "liveview_api.json"
OUTPUT = ROOT / "references" / "api.md"
MODULE_ORDER = ["Phoenix.LiveView", "Phoenix.Component", "Phoenix.LiveComponent", "Phoenix.LiveView.JS",
                "Phoenix.LiveView.AsyncResult", "Phoenix.LiveViewTest", "Phoenix.LiveView.Router"]


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-")[0].split("."))


def removal_release(entry: dict, data: dict) -> str:
    """The first stable release without a removed function. removed_entries count from the last pre-release that
    had it, which skips the 0.20 line: get_connect_info/1 and put_connect_info/2 were deleted in 0.20.15 (and
    1.0.0-rc.1), push_redirect/2 left the docs then. The per-tag source facts (deprecations, function_history) win
    when they date it inside the 0.20 line or later."""
    key = f"{entry['module']}.{entry['name']}"
    dated = [d["removed_in"] for a in entry["arities"]
             for d in [data.get("deprecations", {}).get(f"{key}/{a}", {})] if "removed_in" in d]
    hist = data.get("function_history", {}).get(key, {})
    dated += [v["removed_in"] for a, v in hist.get("arities", {}).items()
              if int(a) in entry["arities"] and "removed_in" in v]
    dated = [d for d in dated if version_key(d) >= (0, 20, 0)]
    return min(dated, key=version_key) if dated else entry["first_stable_without_it"]


def later_arities(entry: dict) -> str:
    """"; /4 since 1.1.18" for each arity that arrived after the function itself (push_event/3 dates from 0.14.0,
    push_event/4 from 1.1.18): the line's single "since" must not date the later arities."""
    return "".join(f"; /{a} since {since}" for a in entry["arities"]
                   for since in [entry.get("arity_since", {}).get(str(a))]
                   if since and version_key(since) > version_key(entry["since"]))


def section(title: str, aliases: str, lines: list[str]) -> list[str]:
    return [f"## {title}", f"<!-- since: 0.20.0; aliases: {aliases}; sources: references/liveview_api.json -->", "",
            *lines, ""]


def render(data: dict) -> str:
    out = [
        "---",
        "title: LiveView API reference (versions)",
        'tags: ["reference", "api", "versions"]',
        'aliases: ["which version added", "since when", "is it available", "api list", "function list"]',
        'sources: ["references/liveview_api.json"]',
        "---",
        "",
        "# LiveView API reference (versions)",
        "",
        f"Generated from the API manifest of LiveView {data['liveview_version']} by "
        "`scripts/render_api_reference.py`. \"Since\" is the first stable release that has the item.",
        "",
    ]
    entries = data["entries"]
    for module in MODULE_ORDER:
        rows = sorted((e for e in entries if e["module"] == module), key=lambda e: e["name"])
        lines = []
        for e in rows:
            arities = ", ".join(f"/{a}" for a in e["arities"])
            note = f" (deprecated: {e['deprecated']})" if e.get("deprecated") else ""
            lines.append(f"- `{e['name']}` {arities} ({e['kind']}), since {e['since']}{later_arities(e)}{note}")
        short = module.split(".")[-1]
        out += section(f"{module} functions and callbacks", f"{short} functions, {short} api", lines)
    js_lines = []
    for command, options in sorted(data["js_command_options"].items()):
        opts = ", ".join(f"`{name}:` since {info['since']}" for name, info in sorted(options.items()))
        js_lines.append(f"- `JS.{command}`: {opts}")
    scopes = ", ".join(f"`{{:{s}, selector}}` since {i['since']}" for s, i in sorted(data["js_to_option_scopes"].items()))
    js_lines.append(f"- `to:` scopes: {scopes}")
    out += section("JS command options by version", "js options, js command option since", js_lines)
    history = data.get("binding_history", {})  # first releases read from the client source at each tag
    bind_lines = []
    for b in sorted(data["bindings"], key=lambda b: b["name"]):
        if b.get("status") == "current":
            dated = history.get(b["name"], {})
            since = dated.get("as_binding", dated).get("since") or b.get("introduced_in")
            bind_lines.append(f"- `{b['name']}`" + (f", since {since}" if since else ", before 0.20"))
    out += section("Current phx- bindings", "bindings list, phx attributes", bind_lines)
    gone = []
    for b in sorted(data["bindings"], key=lambda b: b["name"]):
        if b.get("status") in ("removed", "deprecated"):
            what = "removed in" if b["status"] == "removed" else "deprecated in"
            when = b.get("removed_in") or b.get("deprecated_in")
            repl = f"; use {b['replacement']}" if b.get("replacement") else ""
            gone.append(f"- `{b['name']}`: {what} {when}{repl}")
    for e in data["hidden_deprecated_entries"]:
        gone.append(f"- `{e['name']}/{e['arity']}` in {e['module']}: deprecated and hidden; {e['deprecated']}")
    for e in sorted(data["removed_entries"], key=lambda e: (e["module"], e["name"])):
        when = removal_release(e, data)
        if version_key(when) >= (0, 20, 0):
            gone.append(f"- `{e['module']}.{e['name']}` /{'/'.join(map(str, e['arities']))}: "
                        f"removed from the public API in {when}")
    out += section("Removed and deprecated API", "removed api, deprecated, no longer exists", gone)
    classes = data["css_classes"]
    # "note" replaces the bare date when the class's first release hides a behaviour change (phx-hook-loading)
    class_lines = [f"- `{c['class']}`, {c.get('note') or 'since ' + c['since']}" for c in classes["event_loading_classes"]]
    class_lines += [f"- `{c}` (connection state)" + (f", since {history[c]['since']}" if c in history else "")
                    for c in classes["connection_classes"]]
    class_lines += [f"- `{c['name']}`, since {c['introduced_in']}" for c in classes.get("other_classes", [])]
    out += section("CSS classes LiveView sets", "loading classes list, css classes", class_lines)
    return "\n".join(out).rstrip() + "\n"


def main() -> int:
    text = render(json.loads(MANIFEST.read_text(encoding="utf-8")))
    if "--check" in sys.argv:
        return 0 if OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
