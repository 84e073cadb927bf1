"""Project mode: review every LiveView-relevant file under the given paths (a Phoenix project or single
files), for the LiveView version in the mix.lock of the reviewed folder (that folder only, see
skill_server/project/mixfiles.py), in parallel, with progress callbacks."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..limits import Limits
from ..models import FileReview, ProjectReview, ReviewResult, SkippedFile
from ..project.locate import find_root
from ..project.mixfiles import liveview_version as locked_liveview_version
from ..versions import OLDEST, parse_version, resolve
from .engine import MAX_REVIEW_BYTES, assemble, prepare
from .files import Skip, Unreadable, inside, read_source, walk
from .worker import Cancelled, pool_for

SKIP_DIRS = {"deps", "_build", "node_modules", ".git", ".elixir_ls", "priv", "cover", "tmp", ".venv"}


def skipped_folder(relative: Path, compiled: frozenset[Path] = frozenset()) -> bool:
    """Whether project review leaves a folder out. Mix compiles every .ex under lib/, whatever its folders
    are called, so below a `lib` folder only hidden folders (which Mix's wildcards do not match) are left
    out; a `tmp` or `deps` folder there is reviewed like any other. So is a folder mix.exs names in
    `elixirc_paths` (`compiled`, see compiled_paths), its parents and what is below it. An umbrella's app
    folder is judged from the app's own root (apps/cover/lib is an app's lib). Elsewhere build output,
    dependencies, caches and hidden folders are left out."""
    name = relative.name
    if name.startswith("."):
        return True
    if any(relative == path or relative in path.parents or path in relative.parents for path in compiled):
        return False
    if relative.parts[:1] == ("apps",) and len(relative.parts) >= 2:
        return len(relative.parts) > 2 and skipped_folder(Path(*relative.parts[2:]))
    if "lib" in relative.parts[:-1]:
        return False
    return name in SKIP_DIRS


# What mix.exs says Mix compiles, read as text (never run): the expression after each `elixirc_paths` (in
# project/0, or a clause of a `defp elixirc_paths(env)`, however `mix format` wrapped it), up to the next keyword
# or definition; in it string literals, `~w(...)` words, module attributes (`@paths`) and local functions
# (`["lib"] ++ plugin_paths()`) are followed one step. A glob keeps its literal folders (`Path.wildcard(
# "priv/plugins/*/lib")` -> priv/plugins). Path dependencies (`{:admin, path: "priv/admin"}`) are compiled too.
ELIXIRC_PATHS = re.compile(r"\belixirc_paths\b")
EXPRESSION_END = re.compile(r"\n[ \t]{0,40}(?:defp?\s|end\b|(?!do:|else:)[a-z_]\w{0,40}:\s)|,\s{0,8}(?!do:|else:)[a-z_]\w{0,40}:\s")
STRING = re.compile(r'"([^"\n]{1,200})"')
WORDS = re.compile(r"~w[(\[{<\"]([^)\]}>\"\n]{1,400})[)\]}>\"]")
ATTRIBUTE_USE = re.compile(r"@([a-z_]\w{0,60})\b")
LOCAL_CALL = re.compile(r"(?<![\w.:])([a-z_]\w{0,60})\(\s{0,4}\)|(?<![\w.:@])([a-z_]\w{0,60})\b(?![(:\w])")
PATH_DEP = re.compile(r"\bpath:\s{0,8}(?:Path\.(?:expand|join)\(\s{0,8})?\"([^\"\n]{1,200})\"")
EXPRESSION_CHARS = 4000  # of one elixirc_paths expression; a longer one makes the mix.exs listed as not fully read
APPS_PATH = re.compile(r"\bapps_path:\s{0,8}\"([^\"\n]{1,200})\"")
PATH_DEP_ATTRIBUTE = re.compile(r"\bpath:\s{0,8}@([a-z_]\w{0,60})\b")
MAX_APPS = 200  # umbrella apps whose mix.exs is read


def _expression(source: str, start: int, cut: list | None = None) -> str:
    """The text of an expression starting at `start`: up to the next keyword, definition or `end` line. One that
    runs past EXPRESSION_CHARS (before the file ends) is noted in `cut`: the folders after it are unknown."""
    window = source[start: start + EXPRESSION_CHARS]
    end = EXPRESSION_END.search(window)
    if end is None and cut is not None and start + EXPRESSION_CHARS < len(source):
        cut.append(start)
    return window[: end.start()] if end else window


MIX_FILE_BYTES = 1_048_576  # of a mix.exs read (a real one is a few KB)
DEFINED = re.compile(r"^[ \t]{0,40}(?:defp?\s+([a-z_]\w{0,60})\b|@([a-z_]\w{0,60})\b)", re.M)


def _definitions(source: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Where the file's functions are defined (every clause) and its module attributes first set, in one pass:
    a name is then looked up, not searched for through the whole file once per mention (audit 12 P4)."""
    functions: dict[str, list[int]] = {}
    attributes: dict[str, int] = {}
    for match in DEFINED.finditer(source):
        if match.group(1):
            functions.setdefault(match.group(1), []).append(match.end())
        else:
            attributes.setdefault(match.group(2), match.end())
    return functions, attributes


def _listed(expression: str, source: str, defined: tuple[dict[str, list[int]], dict[str, int]] | None,
            expanded: dict[str, list[str]] | None = None) -> list[str]:
    """Folder names an elixirc_paths expression lists: literals and ~w words, and (one step, when `defined`
    indexes the file) the literals of the module attributes and local functions it names, each name's read once
    per file (`expanded`)."""
    names = STRING.findall(expression) + [w for words in WORDS.findall(expression) for w in words.split()]
    if defined is not None:
        functions, attributes = defined
        expanded = {} if expanded is None else expanded
        for attribute in set(ATTRIBUTE_USE.findall(expression)):
            if attribute in attributes:
                key = "@" + attribute
                if key not in expanded:
                    expanded[key] = _listed(_expression(source, attributes[attribute]), source, None)
                names += expanded[key]
        for called in {a or b for a, b in LOCAL_CALL.findall(expression)} - {"elixirc_paths", "do", "when", "fn"}:
            if called not in expanded:
                expanded[called] = [name for end in functions.get(called, [])
                                    for name in _listed(_expression(source, end), source, None)]
            names += expanded[called]
    return [name.split("*")[0].rstrip("/") if "*" in name else name for name in names]


@lru_cache(maxsize=16)
def _mix_reading(root: Path, stamp: tuple) -> tuple[frozenset[Path], tuple[Skip, ...]]:
    """(the folders the project's mix.exs files compile, the mix.exs files that could not be read in full). The
    root's `apps_path:` names the umbrella's apps folder (`apps` by default; audit 13 A13-15: a renamed one such
    as `tmp` was taken for a build folder). `stamp` keys the cache to the files' sizes and times."""
    found: set[Path] = set()
    unread: list[Skip] = []
    apps_folder = "apps"
    mixes = [root / "mix.exs"]
    while mixes:
        mix = mixes.pop(0)
        if not os.path.lexists(mix):
            continue
        relative = str(mix.relative_to(root))
        try:
            source = read_source(mix, root, MIX_FILE_BYTES)
        except Unreadable as exc:  # audit 13 A13-8: ignored silently, the folders it compiled were never reviewed
            unread.append(Skip(relative, f"{exc}; the folders its elixirc_paths name are unknown and only lib/ was "
                                         "reviewed"))
            continue
        base = mix.parent.relative_to(root)
        defined, expanded, cut = _definitions(source), {}, []
        names = [name for use in ELIXIRC_PATHS.finditer(source)
                 for name in _listed(_expression(source, use.end(), cut), source, defined, expanded)]
        names += PATH_DEP.findall(source)
        names += [name for attribute in PATH_DEP_ATTRIBUTE.findall(source) if attribute in defined[1]
                  for name in _listed(_expression(source, defined[1][attribute], cut), source, None)]
        if mix == root / "mix.exs":
            named = APPS_PATH.search(source)
            if named:
                apps_folder = named.group(1).strip("/")
            apps = root / apps_folder
            if inside(Path(os.path.realpath(apps)), root) and apps.is_dir():
                mixes += sorted(apps.glob("*/mix.exs"))[:MAX_APPS]
        else:
            names.append("lib")  # an umbrella app compiles its own lib/ (under whatever apps_path names)
        if cut:
            unread.append(Skip(relative, f"an elixirc_paths or path expression runs past {EXPRESSION_CHARS:,} "
                                         "characters; the folders named after that are unknown"))
        for name in names:
            path = Path(os.path.normpath(base / name)) if name else Path()
            if not path.is_absolute() and ".." not in path.parts and path != Path():
                found.add(path)
    return frozenset(found), tuple(unread)


def _stamp(root: Path) -> tuple:
    """Sizes and times of the root's mix.exs and its folder's, enough to notice an edit between reviews."""
    stamp = []
    for path in (root / "mix.exs", root):
        try:
            info = os.lstat(path)
            stamp.append((info.st_size, info.st_mtime_ns))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


def unread_mix_files(root: Path) -> list[Skip]:
    """The project's mix.exs files that exist but cannot be read in full (over MIX_FILE_BYTES, not a regular file,
    an expression past the window): the folders they compile are unknown, so the review lists them as skipped and
    a gate fails."""
    return list(_mix_reading(root, _stamp(root))[1])


def compiled_paths(root: Path) -> frozenset[Path]:
    """The folders the project's mix.exs files name in elixirc_paths (any environment's clause) or as path
    dependencies, relative to `root`; for an umbrella each app's mix.exs too, its paths relative to the app."""
    return _mix_reading(root, _stamp(root))[0]


def wanted(path: Path, compiled: frozenset[Path] = frozenset()) -> bool:
    """Whether project review reads a file (relative to the project root). An Elixir file under lib/ or under a
    folder mix.exs compiles (`compiled`, see compiled_paths) is read whatever its folders are called, a `test`
    folder included (audit 8 D7: `elixirc_paths: ["lib", "web"]` compiles web/test/x.ex); elsewhere tests are
    left out."""
    name = path.name
    parts = set(path.parts)
    if name.endswith((".heex", ".html.eex", ".html.leex")):  # EEx templates compile too (audit 13 A13-9)
        return True
    if name.endswith((".ex", ".exs")):
        return "lib" in parts or "test" not in parts or any(folder in path.parents for folder in compiled)
    if name.endswith((".js", ".ts", ".mjs", ".jsx", ".tsx", ".cjs", ".mts", ".cts")):  # what esbuild bundles (A13-25)
        return "assets" in parts and "vendor" not in parts
    if name.endswith(".css"):
        return "assets" in parts and "vendor" not in parts
    return False


# A module that compiles templates from a folder of its own choosing: `embed_templates "*", root: "../tpl"`,
# `use Phoenix.View, root: "lib/app_web/templates"`, `EEx.function_from_file(:def, :x, "priv/x.html.eex")`.
TEMPLATE_ROOT = re.compile(r"\bembed_templates\b[^\n]{0,300}?\broot:\s{0,8}\"([^\"\n]{1,300})\""
                           r"|\buse\s+Phoenix\.View\b[^\n]{0,300}?\broot:\s{0,8}\"([^\"\n]{1,300})\"")
TEMPLATE_FILES = (".heex", ".html.eex", ".html.leex")


def _embedded_templates(root: Path, found: list[Path], compiled: frozenset[Path]) -> tuple[list[Path], list[Skip]]:
    """Templates a compiled module embeds from a folder the walk left out (priv/, a folder outside lib/): Mix
    compiles them into the module, so they are reviewed too (audit 13 A13-10: they were neither reviewed nor
    listed). `embed_templates`' root is relative to the module's file, Phoenix.View's to the project."""
    extra: list[Path] = []
    skipped: list[Skip] = []
    seen = set(found)
    folders: set[Path] = set()
    for module in (f for f in found if f.suffix == ".ex"):
        try:
            source = read_source(module, root, MAX_REVIEW_BYTES)
        except Unreadable:
            continue
        if "root:" not in source:
            continue
        for embedded, view in TEMPLATE_ROOT.findall(source):
            folder = Path(os.path.normpath((module.parent / embedded) if embedded else (root / view)))
            if not inside(Path(os.path.realpath(folder)), root):
                skipped.append(Skip(str(folder), f"templates {module.name} embeds from outside the project; not read"))
            elif folder.is_dir():
                folders.add(folder)
    for folder in sorted(folders):
        templates, left_out = walk(folder, lambda rel: rel.name.endswith(TEMPLATE_FILES), lambda rel: rel.name.startswith("."))
        for template in templates:
            if template not in seen:
                seen.add(template)
                extra.append(template)
        skipped += left_out
    return extra, skipped


def collect(paths: Sequence[str]) -> tuple[Path, list[Path], list[Skip]]:
    """(the common root, the files to review, the candidates and folders left out with why). Each
    argument is resolved once (so paths in the output stay inside the root); below it nothing is
    followed out of the tree (see files.py)."""
    files: list[Path] = []
    skipped: list[Skip] = []
    roots = []
    for raw in paths:
        try:
            path = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputError(f"no such file or directory: {str(raw)[:200]}") from None
        if path.is_dir():
            roots.append(path)
            # Folders and files are judged by their place in the Mix project, not below the argument: `review lib`
            # must treat lib/app/test/x.ex and lib/app/tmp/ as Mix does (both compiled, both reviewed).
            base = find_root(path) or path
            inner = path.relative_to(base) if base != path and base in path.parents else Path()
            compiled = compiled_paths(base) if base == path or base in path.parents else frozenset()
            if base == path or base in path.parents:
                skipped.extend(unread_mix_files(base))
            found, left_out = walk(path, lambda rel: wanted(inner / rel, compiled),
                                   lambda rel: skipped_folder(inner / rel, compiled))
            files.extend(found)
            skipped.extend(left_out)
            if base == path:
                embedded, not_searched = _embedded_templates(path, found, compiled)
                files.extend(embedded)
                skipped.extend(not_searched)
        else:
            files.append(path)
            roots.append(path.parent)
    root = Path(os.path.commonpath([str(r) for r in roots])) if roots else Path(".")
    return root, files, skipped


def _companion(path: Path, root: Path) -> str | None:
    """The module beside a separate template: `page_live.html.heex` -> `page_live.ex`."""
    if not path.name.endswith(".html.heex"):
        return None
    try:
        return read_source(path.with_name(path.name[: -len(".html.heex")] + ".ex"), root, MAX_REVIEW_BYTES)
    except Unreadable:
        return None


def _review_file(path: Path, root: Path, version: str | None, strict: bool, limits: Limits,
                 cancel: threading.Event, project_root: str | None = None) -> ReviewResult | str:
    """The file's review in a worker process, or why it was skipped."""
    started = time.perf_counter()
    if cancel.is_set():
        raise Cancelled()
    try:
        job = prepare(read_source(path, root, MAX_REVIEW_BYTES), filename=_relative(path, root), liveview_version=version,
                      strict=strict, companion=_companion(path, root), project_root=project_root,
                      path=_text_or_none(str(path)))
    except (Unreadable, InputError) as exc:
        return f"skipped: {exc}"
    return assemble(job, pool_for(limits).review(job, limits, cancel), started)


def review_project(paths: Sequence[str], liveview_version: str | None = None, strict: bool = False,
                   progress: Callable[[int, int], None] | None = None, limits: Limits | None = None) -> ProjectReview:
    """Reviews every file in worker processes under `limits` (each file its own time and memory limit).
    Files that cannot be read or reviewed, and reviews a limit cut short, are listed: `complete` is
    False when anything was not checked."""
    if not paths:
        raise InputError("give at least one file or directory to review")
    limits = limits or Limits.from_env()
    root, files, left_out = collect(paths)
    if not files and not left_out:
        raise InputError("no files to review under " + ", ".join(str(p)[:200] for p in paths[:5]) + ": looked for "
                         ".ex/.exs (lib/), .heex, and .js/.ts/.css under assets/ (deps, _build, node_modules and "
                         "vendor are skipped)")
    version, source, notes = liveview_version, "argument", []
    if version is None:
        # the Mix project the reviewed files are in: a file named from outside the project (`review
        # ../app/lib/app_web/live/x_live.ex`) is read for that project's LiveView, not its own folder's
        locked = locked_liveview_version(find_root(root) or root)
        version, source, notes = locked.version, "project" if locked.version else "default", list(locked.notes)
        if version is not None and parse_version(version) < OLDEST:
            raise InputError(f"{_shown(str(locked.origin))[:300]} pins phoenix_live_view {version[:40]}; liveview-skill "
                             "reviews LiveView 0.20 to 1.2. Pass --liveview-version 0.20 to review it against the oldest "
                             "supported release.")
    resolve(version)  # a bad --liveview-version is one error, not one per file
    # Rules may read the project's other files (project_sources.py); a folder name that is not UTF-8 cannot
    # travel to the review worker, so there they see this file alone.
    # Only a real Mix project is read across files: with no mix.exs above the reviewed files, their folder (all of
    # /tmp for `review /tmp/x.ex`) is not the project and its other files must not decide anything (audit 13 A13-24).
    mix_root = find_root(root)
    project_root = _text_or_none(str(mix_root)) if mix_root is not None else None
    cancel = threading.Event()
    pool = pool_for(limits)
    pool.prestart(min(limits.review_workers, len(files)))
    results: dict[Path, ReviewResult | str] = {}
    executor = ThreadPoolExecutor(max_workers=limits.review_workers)
    try:
        futures = {executor.submit(_review_file, f, root, version, strict, limits, cancel, project_root): f
                   for f in files}
        try:
            for n, future in enumerate(as_completed(futures, timeout=limits.review_total_s), 1):
                results[futures[future]] = future.result()
                if progress:
                    progress(n, len(files))
        except TimeoutError:  # the total budget ran out: the files not done are listed as not reviewed
            pass
    finally:
        cancel.set()  # on an interrupt (Ctrl-C, SIGTERM): queued files are dropped, running workers killed
        executor.shutdown(wait=True, cancel_futures=True)
    reviews, skipped = [], [SkippedFile(path=_relative(Path(s.path), root), reason=s.reason) for s in left_out]
    out_of_time = f"the whole review's time limit ({limits.review_total_s:g} s) ran out"
    for path in files:
        result = results.get(path, out_of_time)
        if isinstance(result, str):
            skipped.append(SkippedFile(path=_relative(path, root), reason=result.removeprefix("skipped: ")))
        else:
            reviews.append(FileReview(path=_relative(path, root),
                                      result=result.model_copy(update={"version_source": source})))
    label = reviews[0].result.liveview_version if reviews else (version or "1.2")
    findings = sum(len(r.result.findings) for r in reviews)
    lines = sum(int(r.result.stats.get("lines", 0)) for r in reviews)
    complete = not skipped and all(r.result.complete for r in reviews)
    return ProjectReview(root=_shown(str(root)), liveview_version=label, version_source=source, files=reviews,
                         skipped=skipped, complete=complete, notes=notes,
                         stats={"files": len(reviews), "lines": lines, "findings": findings,
                                "skipped": [f"{s.path}: {s.reason}" for s in skipped]})


def _relative(path: Path, root: Path) -> str:
    """The path to show: relative to the root, as text (a name that is not UTF-8 gets U+FFFD)."""
    return _shown(os.path.relpath(path, root) if inside(path, root) else path.name)


def _text_or_none(name: str) -> str | None:
    """`name` when it is valid UTF-8 text (a file name may hold undecodable bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return name


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
