"""What a rule may learn from the rest of the project in project review: which stylesheets import which (so a
reduced-motion guard in a stylesheet the same bundle imports covers the others), and which records the
project's own modules build from its own files at compile time (NimblePublisher: markdown in the repository,
written by its developers, not by users), the body of a function another module defines (or the whole module), and which LiveViews
the router mounts only behind an administrator's on_mount, and whether any file names a CSS keyframe it defines.

Reading is bounded and safe (project files are untrusted input): only regular files under the project root,
read through skill_server/project/files.py (never through a symbolic link), skipping dependency and build folders, at most MAX_FILES files of at most MAX_FILE_BYTES each, and
the result is cached per process until a file's size or modification time changes (parsed files and their trees only
for the review that parsed them)."""

from __future__ import annotations

import os
import bisect
import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import all_modules, call_arguments, call_parts, read_module, text
from .reading_limits import reached

MAX_FILES = 3000  # files of one kind read per project
MAX_WALK = 50_000  # directory entries looked at per project
MAX_FILE_BYTES = 2 * 1_048_576  # as large as a reviewed file may be; a larger one is said (reading_limits.py)
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']([^"'\n]{1,300})["']""")
REDUCE_GUARD = re.compile(r"@media[^{]{0,200}prefers-reduced-motion\s*:\s*reduce[^{]{0,200}\{")
# `*`, `*::before`, `html *` or `*, *::after` opening a rule: every element.
UNIVERSAL = re.compile(r"(?:^|[{},;])\s{0,40}(?:html\s{1,8}|body\s{1,8})?\*(?:::?[a-z-]{1,20})?\s{0,40}[,{]")
STOPS_MOTION = re.compile(r"(animation|transition)[a-z-]{0,20}\s*:")
GUARD_WINDOW = 4000  # characters of a guard block read


@dataclass(frozen=True)
class Stylesheets:
    imports: dict[str, tuple[str, ...]]  # real path -> real paths it imports (inside the project)
    guarded: frozenset[str]  # stylesheets holding a reduced-motion guard for every element


def _project_files(root: str, suffix: str | tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """(real path, size, mtime) of the project's files whose name ends in `suffix`, bounded. Folders are left out
    as project review leaves them out, and Elixir files are only those Mix compiles (under a `lib` folder or a
    folder mix.exs names): a module in examples/ or docs/ never runs, so what it says (a NimblePublisher `use`, a
    router, an Ash policy) must not quiet a finding (audit 13 A13-11, A13-12). A walk cut short at MAX_WALK
    entries or MAX_FILES files says so (reading_limits.py): what it did not read could have changed an answer."""
    from .project import compiled_paths, skipped_folder

    compiled = compiled_paths(Path(root))
    found, looked = [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        relative = Path(os.path.relpath(dirpath, root))
        dirnames[:] = sorted(d for d in dirnames if not skipped_folder(relative / d, compiled)
                             and not (d == "vendor" and "lib" not in relative.parts))  # vendored JS and CSS
        looked += len(dirnames) + len(filenames)
        mix_compiled = "lib" in relative.parts or any(folder == relative or folder in relative.parents
                                                       for folder in compiled)
        for name in sorted(filenames):
            if not name.endswith(suffix) or (name.endswith((".ex", ".exs")) and not mix_compiled):
                continue
            path = os.path.join(dirpath, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if os.path.islink(path):
                continue
            if info.st_size > MAX_FILE_BYTES:  # audit 13: a router padded past the size was skipped silently
                reached(f"a project file over {MAX_FILE_BYTES // 1_048_576} MB read for what other files say")
                continue
            found.append((os.path.realpath(path), info.st_size, int(info.st_mtime)))
            if len(found) >= MAX_FILES:
                reached(f"the project's files past the first {MAX_FILES:,} of one kind")
                return tuple(found)
        if looked >= MAX_WALK:
            reached(f"the project's folders past {MAX_WALK:,} entries")
            break
    return tuple(found)


def universal_guard(source: str) -> bool:
    """A `@media (prefers-reduced-motion: reduce)` block that stops animations or transitions on every
    element (`*, *::before, *::after { animation-duration: .01ms !important; ... }`)."""
    for match in REDUCE_GUARD.finditer(source):
        block = source[match.end(): match.end() + GUARD_WINDOW]
        depth, end = 1, len(block)
        for index, char in enumerate(block):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                end = index
                break
        body = "{" + block[:end]
        if UNIVERSAL.search(body) and STOPS_MOTION.search(body):
            return True
    return False


@lru_cache(maxsize=4)
def _read_stylesheets(root: str, files: tuple[tuple[str, int, int], ...]) -> Stylesheets:
    known = {path for path, _, _ in files}
    imports, guarded = {}, set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        targets = []
        for match in IMPORT.finditer(source):
            target = os.path.realpath(os.path.join(os.path.dirname(path), match.group(1)))
            if target in known and target != path:
                targets.append(target)
        imports[path] = tuple(targets)
        if universal_guard(source):
            guarded.add(path)
    return Stylesheets(imports, frozenset(guarded))


def stylesheets(root: str) -> Stylesheets:
    real_root = os.path.realpath(root)
    return _read_stylesheets(real_root, _project_files(real_root, ".css"))


def covered_by_bundle_guard(root: str, filename: str) -> bool:
    """Whether every bundle that includes this stylesheet (each entry stylesheet, one no other imports, that
    reaches it through @import) also includes a reduced-motion guard for every element. A stylesheet nothing
    imports is its own entry: only its own guard counts."""
    sheets = stylesheets(root)
    path = os.path.realpath(filename)
    if path not in sheets.imports:
        return False
    importers: dict[str, list[str]] = {}
    for source, targets in sheets.imports.items():
        for target in targets:
            importers.setdefault(target, []).append(source)
    entries, seen, queue = [], {path}, deque([path])
    while queue:
        current = queue.popleft()
        parents = importers.get(current, [])
        if not parents:
            entries.append(current)
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    if not entries or entries == [path]:
        return False
    return all(_bundle_guarded(sheets, entry) for entry in entries)


def _bundle_guarded(sheets: Stylesheets, entry: str) -> bool:
    seen, queue = {entry}, deque([entry])
    while queue:
        current = queue.popleft()
        if current in sheets.guarded:
            return True
        for target in sheets.imports.get(current, ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return False


NIMBLE_PUBLISHER = re.compile(r"use\s+NimblePublisher\b")
PUBLISHER_OPTION = re.compile(r"\b(build|as):\s*:?([\w.]{1,120})")
PUBLISHER_WINDOW = 600  # characters after `use NimblePublisher` holding its options


def _snake(alias: str) -> str:
    last = alias.rsplit(".", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", last).lower()


@lru_cache(maxsize=4)
def _read_published(files: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    names: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None or "NimblePublisher" not in source:
            continue
        root = None
        for match in NIMBLE_PUBLISHER.finditer(source):
            root = root if root is not None else parse("elixir", source.encode("utf-8", "surrogatepass")).root_node
            call = _use_call_at(root, len(source[: match.start()].encode("utf-8", "surrogatepass")))
            if call is None:  # the words in a string, a comment or a doc: no module is built from them
                continue
            for option, value in PUBLISHER_OPTION.findall(text(call)[:PUBLISHER_WINDOW]):
                name = _snake(value) if option == "build" else value.lower()
                names.add(name)
                if option == "as" and name.endswith("s"):
                    names.add(name[:-1])  # `as: :posts` -> a `post`
    return frozenset(names)


def _use_call_at(root, offset: int):
    """The `use NimblePublisher, ...` call whose `use` starts at this byte offset, or None when the text there
    is not such a call (it sits in a string, a comment, a heredoc or a sigil)."""
    node = root.descendant_for_byte_range(offset, offset)
    call = node.parent if node is not None and node.type == "identifier" else None
    if call is None or call_parts(call) != (None, "use"):
        return None
    arguments = next((c for c in call.named_children if c.type == "arguments"), None)
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return call if first is not None and first.type == "alias" and text(first) == "NimblePublisher" else None


def published_records(root: str) -> frozenset[str]:
    """Snake-case names of the records that modules using NimblePublisher build (`build: Blog.Post` -> `post`,
    `as: :rulebooks` -> `rulebooks` and `rulebook`): text the developers wrote, compiled from the repository."""
    real_root = os.path.realpath(root)
    return _read_published(_project_files(real_root, ".ex"))


DEFMODULE = re.compile(r"^[ \t]{0,40}defmodule[ \t]{1,8}([A-Z][\w.]{0,200})", re.M)


@lru_cache(maxsize=4)
def _module_index(files: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[str, ...]]:
    """Module name (as written after defmodule, and its last segment) -> files defining it."""
    index: dict[str, list[str]] = {}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        for name in {m.group(1) for m in DEFMODULE.finditer(source)}:
            for key in {name, name.rsplit(".", 1)[-1]}:
                index.setdefault(key, []).append(path)
    return {key: tuple(paths) for key, paths in index.items()}


def _defined_module(root: str, module: str) -> "_Module | None":
    """The defmodule of `module` (a full name, or a last segment that only one file defines), or None when the
    project does not show it."""
    index = _module_index(_project_files(os.path.realpath(root), ".ex"))
    paths = index.get(module) or (index.get(module.rsplit(".", 1)[-1], ()) if "." not in module else ())
    if len(paths) != 1:
        return None
    try:
        stat = os.stat(paths[0])
    except OSError:
        return None
    last = module.rsplit(".", 1)[-1]
    for found in _file_modules(paths[0], stat.st_size, stat.st_mtime_ns):
        if found.name == module or found.name.rsplit(".", 1)[-1] == last:
            return found
    return None


class _Module:
    """One defmodule of a parsed project file, with its module reading made on first use: the reading lives and dies
    with the file's parse."""

    __slots__ = ("name", "node", "_reading")

    def __init__(self, name: str, node) -> None:
        self.name, self.node, self._reading = name, node, None

    @property
    def reading(self):
        if self._reading is None:
            self._reading = read_module(self.node)
        return self._reading


MAX_PARSED = 32  # project files kept parsed (with their syntax trees) at once
# (path, size, mtime_ns) -> the file's modules, least recently used first. Emptied when a review ends
# (release_parsed, called by the engine): a tree is held only while the review that parsed it runs (audit 11 L1: a
# module-level cache of module readings kept up to 257 trees of past reviews alive in a reused worker).
_PARSED: dict[tuple[str, int, int], tuple[_Module, ...]] = {}


def _file_modules(path: str, size: int, mtime_ns: int) -> tuple[_Module, ...]:
    """Each module of a project file, parsed once per version of the file within a review: a rule asking about many
    calls into one context module reads and parses it once (audit 10 M12: it was parsed again for every dropped
    call)."""
    key = (path, size, mtime_ns)
    found = _PARSED.pop(key, None)
    if found is None:
        source = read_text(Path(path), MAX_FILE_BYTES)
        modules = []
        for node in all_modules(parse("elixir", source).root_node) if source is not None else ():
            arguments = call_arguments(node)
            modules.append(_Module(text(arguments[0]) if arguments else "", node))
        found = tuple(modules)
    _PARSED[key] = found  # (re)inserted last: the most recently used
    while len(_PARSED) > MAX_PARSED:
        del _PARSED[next(iter(_PARSED))]
    return found


def release_parsed() -> None:
    """Forget every parsed project file and the module readings made from it (their trees go with them)."""
    _PARSED.clear()


def function_bodies(root: str, module: str, name: str) -> list[str] | None:
    """The source of each `def name` clause body of `module` (a full name, or a last segment that only one
    file defines), or None when the project does not show it."""
    found = _defined_module(root, module)
    if found is None:
        return None
    clauses = [c for c in found.reading.clauses_of(name) if c.kind == "def" and c.body is not None]
    return [text(c.body) for c in clauses] or None


def module_source(root: str, module: str) -> str | None:
    """The source of `module`'s whole defmodule (found as function_bodies finds it), or None when the project
    does not show it: for a rule that reads the module's attributes and private functions as well."""
    found = _defined_module(root, module)
    return text(found.node) if found is not None else None


# An on_mount hook named for a privileged role: `{UserAuth, :require_admin}`, `:ensure_staff`, `AdminAuth`, the
# operations staff of a service by their job (`:require_dispatcher`, `:require_operator`); a role inside a tenant
# (`:require_org_admin`, `:team_moderator`) is not: its records still need the tenant's scope.
PRIVILEGED = re.compile(r"\w{0,40}(?:admin|moderator|staff|superuser|dispatcher|operator)\w{0,40}", re.I)
TENANT_ROLE = re.compile(r"org|team|account|project|workspace|group|tenant|company|channel|space|club|member",
                         re.I)


ROLE = r"(?:site_|super_|global_)?(?:admin|moderator|staff|superuser|dispatcher|operator)s?"
# A name that reads as a gate for the role: the role alone or with a word a gate takes (`:admin`, `:admin_only`,
# `AdminAuth`, `:staff_required`), or a checking verb before the role (`:require_admin`, `:ensure_staff_user`,
# `RequireAdmin`, `:redirect_unless_admin`). A hook that only mentions the role (`:assign_admin_link`,
# `:load_staff_picks`, `:track_operator_metrics`, `AdminNav`) gates nothing (audit 13 A13-22: any such name
# turned the authorization rules off for the whole LiveView).
GATE_SUFFIX = (r"(?:_(?:only|required|access|auth|authenticated|authorized|user|users|session|sessions|scope|area|"
               r"routes|pages|panel|guard|gate|plug|hook|hooks|check|policy|role|rights?|privileges?))*")
ROLE_GATE = re.compile(r"(?:" + ROLE + GATE_SUFFIX +
                       r"|\w{0,40}(?:require|ensure|authori[sz]e|must_be|only|restrict|redirect_unless|redirect_if_not|"
                       r"unless|verify|check|guard|is)_\w{0,40}?" + ROLE + GATE_SUFFIX + r")")


def _snake(word: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", word).lower()


def privileged_hook(source: str) -> bool:
    """Whether an on_mount value names a gate for a site-wide privileged role (`{UserAuth, :require_admin}`,
    `{AppWeb.AdminAuth, :default}`), not a hook that only mentions one (`:assign_admin_link`), not one held inside
    a tenant (`{OrgHooks, :require_org_admin}`) nor one shared with others (`:require_merchant_or_admin`)."""
    return any(not TENANT_ROLE.search(word) and "_or_" not in word and ROLE_GATE.fullmatch(_snake(word))
               for word in PRIVILEGED.findall(source[:2000]))


def _pipes_through_privileged(scope) -> bool:
    """The scope's own `pipe_through` names a site-wide privileged plug (`pipe_through [:browser, :require_admin]`):
    every route inside is reached only by an administrator."""
    block = next((c for c in scope.children if c.type == "do_block"), None)
    for child in block.named_children if block is not None else ():
        if child.type == "call" and call_parts(child) == (None, "pipe_through"):
            return privileged_hook(" ".join(text(a) for a in call_arguments(child)))
    return False


def _route_name(scopes: list[str], alias: str) -> str:
    return ".".join([*[s for s in scopes if s], alias])


def _read_routes(source: str, admin: set[str], other: set[str]) -> None:
    """Walk one router's scopes: each `live` route's module (with its scopes' aliases) goes to `admin` when an
    enclosing scope pipes through a privileged plug, or an enclosing live_session is named for or mounts a
    privileged role, else to `other`. A route under a tenant's id (`/organizations/:organization_id/...`) goes to
    `other`: an "admin" there is the tenant's, whose records still need its scope."""
    stack = [(parse("elixir", source).root_node, (), "", False)]
    while stack:
        node, scopes, path, privileged = stack.pop()
        if node.type == "call":
            module, name = call_parts(node)
            name = name if module is None else None
            arguments = call_arguments(node)
            if name == "scope":
                if len(arguments) > 1 and arguments[1].type == "alias":
                    scopes = (*scopes, text(arguments[1]))
                path += text(arguments[0])[:300] if arguments and arguments[0].type == "string" else ""
                privileged = privileged or _pipes_through_privileged(node)
            elif name == "live_session":
                options = " ".join(text(a) for a in arguments[1:] if a.type == "keywords")[:2000]
                on_mount = options.split("on_mount:", 1)[1] if "on_mount:" in options else ""
                session = text(arguments[0])[:200] if arguments else ""
                privileged = privileged or privileged_hook(on_mount) or privileged_hook(session)
            elif name == "live" and len(arguments) > 1 and arguments[1].type == "alias":
                route = path + (text(arguments[0])[:300] if arguments[0].type == "string" else "")
                site_wide = privileged and not TENANT_PARAM.search(route)
                (admin if site_wide else other).add(_route_name(list(scopes), text(arguments[1])))
                continue
        stack.extend((child, scopes, path, privileged) for child in node.named_children)


# A path parameter naming a tenant: `:organization_id`, `:team_slug`, `:org_id`.
TENANT_PARAM = re.compile(r":(?:\w{0,30}_)?(?:org|organization|team|tenant|company|workspace|account|project|group|"
                          r"club|space|community)(?:_id|_slug)?\b")


LIVE_ROUTE = re.compile(r"(?<![\w.:])live[ \t(]")


@lru_cache(maxsize=4)
def _read_privileged(files: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    admin: set[str] = set()
    other: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        # Every router with `live` routes: a route outside any live_session counts as routed openly (audit 13: a
        # router without live_session was never read, so a decoy's admin session was the only route seen).
        if source is not None and LIVE_ROUTE.search(source):
            _read_routes(source, admin, other)
    return frozenset(admin - other)


def privileged_liveviews(root: str) -> frozenset[str]:
    """Module names of the LiveViews the router mounts only inside live_sessions whose on_mount names a privileged
    role (`{UserAuth, :require_admin}`): only an administrator or moderator ever reaches their events. Names carry
    their scopes' aliases (`AppWeb.Admin.RolesLive`); a module routed anywhere else too is not listed."""
    real_root = os.path.realpath(root)
    return _read_privileged(_project_files(real_root, "router.ex"))


def routed_only_privileged(root: str | None, module: str) -> bool:
    """Whether the router mounts `module` (its full name) only behind a privileged on_mount."""
    if not root or not module:
        return False
    return any(module == name or module.endswith("." + name) for name in privileged_liveviews(root))


# Where an animation can be named: stylesheets, templates and modules (classes, inline styles), scripts and the
# Tailwind config (`animation: {"slide": "slide-in 1s"}`, `animate-[slide-in_1s]`).
ANIMATION_SOURCES = (".css", ".scss", ".sass", ".less", ".heex", ".eex", ".ex", ".exs", ".js", ".mjs", ".cjs",
                     ".ts", ".jsx", ".tsx", ".vue", ".svelte")


@lru_cache(maxsize=8)
def _mentioned(files: tuple[tuple[str, int, int], ...], names: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    patterns = {name: re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])") for name in names}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None:
            continue
        for name, pattern in patterns.items():
            if name in found or name not in source:
                continue
            # a use, not the name's own `@keyframes name` definition
            if any(not source[max(0, m.start() - 20): m.start()].rstrip().endswith("@keyframes")
                   for m in pattern.finditer(source)):
                found.add(name)
        if len(found) == len(names):
            break
    return frozenset(found)


def keyframes_used(root: str, names: tuple[str, ...]) -> frozenset[str]:
    """Which of these keyframe names some project file mentions other than in its `@keyframes` definition: an
    `animation` rule, a class or inline style, a Tailwind config entry or arbitrary class."""
    real_root = os.path.realpath(root)
    return _mentioned(_project_files(real_root, ANIMATION_SOURCES), tuple(sorted(set(names))))


# `<.rich ...>` or by module, `<AppWeb.Rich.rich ...>`; its attributes may hold `:for={c <- @comments}`.
# A function component's tag and its attributes' text: `<.rich content={@c.body}>`, `<AppWeb.Rich.rich ...>` (its
# attributes may hold `:for={c <- @comments}`); a run of whitespace is one unit, so padding inside the tag does not
# use up what is read (audit 12 G9).
COMPONENT_TAG = re.compile(r"<(?:\.|(?:[A-Z]\w{0,60}\.){1,6})([a-z_]\w{0,60})\b((?:\"[^\"\n]{0,200}\"|[^<>\"\s]|\s+|<-|->){0,600})")


def passed_values(tag_text: str, attribute: str) -> list[str]:
    """What a component tag's text passes as `attribute`: `content={@comment.body}`, or the key of a literal map
    spread into the tag, `{%{content: @comment.body}}`."""
    passed = re.compile(r"(?<![\w-])" + re.escape(attribute) + r"(?:=\{((?:[^{}]|\{[^{}]{0,100}\}){1,200})\}"
                        r"|:\s{0,40}(@?[a-z_][\w.]{0,120}))")
    return [(value.group(1) or value.group(2)).strip() for value in passed.finditer(tag_text)]


@lru_cache(maxsize=4)
def _component_tags(files: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Function component name -> (the tag's attributes text, 'file:line') for every use in the project (audit 13
    A13-2: only the first 20 were read, so 20 harmless uses hid the 21st; what judging them costs is bounded by the
    rule that reads them)."""
    tags: dict[str, list[tuple[str, str]]] = {}
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None or not re.search(r"<[.A-Z]", source):
            continue
        newlines = [m.start() for m in re.finditer("\n", source)] if "<" in source else []
        for match in COMPONENT_TAG.finditer(source):
            tags.setdefault(match.group(1), []).append(
                (match.group(2), f"{Path(path).name}:{bisect.bisect_left(newlines, match.start()) + 1}"))
    return {name: tuple(found) for name, found in tags.items()}


def component_attribute_values(root: str, component: str, attribute: str) -> list[tuple[str, str]]:
    """(expression, 'file:line') for each use of the function component `component` in the project that passes
    `attribute` as an expression: `<.html_content content={@comment.body} />` -> ('@comment.body', 'show.ex:12')."""
    tags = _component_tags(_project_files(os.path.realpath(root), (".ex", ".heex"))).get(component, ())
    return [(value, where) for text, where in tags for value in passed_values(text, attribute)]


@lru_cache(maxsize=16)
def _calls_named(files: tuple[tuple[str, int, int], ...], name: str) -> tuple[tuple[str, str], ...]:
    """(arguments' text, 'file:line') of every bare call `name(...)` in the project's files: an imported helper's
    callers (`{render_raw(message.body)}` in a template, `render_raw/1` defined in a helpers module)."""
    from ..brackets import bracket_index

    call = re.compile(r"(?<![\w.:@&])" + re.escape(name) + r"\(")
    found = []
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None or name + "(" not in source:
            continue
        closer = bracket_index(source).closer
        newlines = [m.start() for m in re.finditer("\n", source)]
        for match in call.finditer(source):
            close = closer.get(match.end() - 1)
            if close is not None:
                found.append((source[match.end(): min(close, match.end() + 400)],
                              f"{Path(path).name}:{bisect.bisect_left(newlines, match.start()) + 1}"))
    return tuple(found)


def helper_call_arguments(root: str, name: str) -> tuple[tuple[str, str], ...]:
    """(arguments' text, 'file:line') for each bare call of the function `name` anywhere in the project (a helper
    imported into templates and LiveViews is called from other files than its own)."""
    return _calls_named(_project_files(os.path.realpath(root), (".ex", ".heex")), name)


# A router that signs users in (phx.gen.auth's plugs and on_mount hooks, any `require_authenticated...`): the app has
# users, each with records of their own, whatever a given module names.
SIGNS_USERS_IN = re.compile(r"\b(?:fetch_current_(?:scope_for_)?user|require_authenticated\w{0,20}|"
                            r"ensure_authenticated\w{0,20}|mount_current_(?:scope|user))\b")


@lru_cache(maxsize=4)
def _read_signs_in(files: tuple[tuple[str, int, int], ...]) -> bool:
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is not None and SIGNS_USERS_IN.search(source):
            return True
    return False


def signs_users_in(root: str | None) -> bool:
    """In project review, whether the project's router (`*router.ex`) signs users in: pages of such an app act for
    a user even when a module (a LiveComponent, a generated CRUD page) never names one."""
    if not root:
        return False
    return _read_signs_in(_project_files(os.path.realpath(root), "router.ex"))
