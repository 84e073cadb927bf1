"""## What it does
Flags a database query written inside a LiveView template: a `Repo` call, or a context's `list_*`/`count_*`
function, in a `{...}` or `<%= ... %>` expression.

## Why is this bad?
A template expression runs again whenever the assigns it reads change, and every row of a `:for` runs its
expressions each time the list renders. A query there runs on every such render (on each `phx-change`
keystroke of a form it sits in, once per row in a loop) instead of once when the data changes, and the
result is not in the assigns, so nothing else can reuse it.

## Example
```heex
<.input field={@form[:block_id]} type="select"
  options={Knowledge.list_blocks(@current_user.id) |> Enum.map(&{&1.name, &1.id})} />
```

## Use instead
Load the data in `mount/3`, `update/2` or the event that changes it, and read the assign:
```elixir
assign(socket, block_options: Enum.map(Knowledge.list_blocks(user.id), &{&1.name, &1.id}))
```

## False positives
A `list_*`/`count_*` call of a module under the app's namespace (or a one-word module the file aliases to one:
`alias App.Chat` then `Chat.list_messages(@video)`) is taken to query; a cached or in-memory
lookup named that way is a false positive. An expression that reads no assign and sits outside every `:for`
runs only when the view mounts, so a context call there is medium (strict only); a `Repo` call is always
flagged. Controller templates (under `controllers/` or `templates/`) render once per request and are skipped.

## Severity and confidence
Warning: extra queries on every render cost the database and latency, not data. High for a `Repo` call and
for a context call that reads an assign or sits in a loop; medium otherwise.

## Versions
All versions from 0.20 to 1.2: change tracking re-evaluates an expression when an assign it reads changes.

## References
knowledge: lifecycle#where-data-loading-belongs
"""

import re

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="query_in_template", code="LV122", family="lifecycle", severity="warning", confidence="high",
    languages=("elixir", "heex"), summary="A database query inside the template runs again on every render.",
    fix="Load the data in mount/3, update/2 or the event that changes it, and render the assign.",
    cites="lifecycle#where-data-loading-belongs",
)
REPO_CALL = re.compile(r"(?<![\w.])(?:[A-Z]\w{0,40}\.){0,3}Repo\.(?:all|one|one!|get|get!|get_by|get_by!|aggregate|"
                       r"exists\?|preload|paginate)\s{0,4}\(")
CONTEXT_CALL = re.compile(r"(?<![\w.])([A-Z]\w{0,40}(?:\.[A-Z]\w{0,40}){0,3})\.((?:list|count)_\w{1,60})\s{0,4}\(")
# `alias App.Chat`, `alias App.{Chat, Accounts}`, `alias App.Chat.Store, as: Chat`: a one-word module is a context
# only when the file aliases it to one (`Enum.count_until/2` is not).
ALIAS = re.compile(r"\balias\s{1,8}((?:[A-Z]\w{0,40}\.){0,6}[A-Z]\w{0,40})"
                   r"(?:\.\{([^}]{0,600})\}|\s{0,4},\s{0,4}as:\s{0,4}([A-Z]\w{0,40}))?")
ASSIGN = re.compile(r"@\w|\bassigns\.")
DEAD_VIEW = re.compile(r"(?:^|/)(?:controllers|templates)/")


def _in_loop(node, template) -> bool:
    line = template.position(node)[0]
    return any((e.has(":for") or e.has(":let")) and e.line < line <= e.end_line for e in template.elements)


def _aliases(ctx) -> dict[str, str]:
    """Alias -> the module it names, in this file and the module beside a separate template."""
    found: dict[str, str] = {}
    matches = [m for m, _ in ctx.text.every(ALIAS)] if ctx.text.has("alias") else []
    companion = ctx.companion_source or ""
    if "alias" in companion:
        matches += list(ALIAS.finditer(companion))
    for m in matches:
        base, group, renamed = m.group(1), m.group(2), m.group(3)
        if group is not None:
            for name in re.findall(r"[A-Z]\w{0,40}(?:\.[A-Z]\w{0,40}){0,4}", group):
                found[name.rsplit(".", 1)[-1]] = f"{base}.{name}"
        else:
            found[renamed or base.rsplit(".", 1)[-1]] = base
    return found


def _context_module(module: str, aliases) -> bool:
    if "." not in module:
        module = aliases().get(module, "")  # a one-word module: only one the file aliases
        if not module:
            return False
    return not module.split(".", 1)[0].endswith("Web")


def check(ctx):
    if DEAD_VIEW.search((ctx.path or ctx.filename or "").replace("\\", "/")):
        return
    known: list[dict[str, str]] = []

    def aliases() -> dict[str, str]:
        if not known:
            known.append(_aliases(ctx))
        return known[0]

    for template in ctx.templates:
        for node, source in template.expressions():
            source = source[:2000]
            repo = REPO_CALL.search(source)
            context = None if repo else next((m for m in CONTEXT_CALL.finditer(source)
                                              if _context_module(m.group(1), aliases)), None)
            if repo is None and context is None:
                continue
            call = (repo.group(0) if repo else context.group(0)).rstrip("( ")
            live = repo is not None or ASSIGN.search(source) is not None or _in_loop(node, template)
            line, column = template.position(node)
            yield Hit(line=line, column=column, confidence=None if live else "medium",
                      message=f"{code_span(call + '(...)')} queries inside the template: it runs again on every "
                              "render that re-evaluates this expression. Load it into an assign instead.")
