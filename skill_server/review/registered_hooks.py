"""Which hook names the project's JavaScript registers with its LiveSocket, when its files show them all.

`new LiveSocket("/live", Socket, {hooks: ...})` in the project's assets: the `hooks` value is read as an object
literal (`{Chart, Map: MapHook, "Sortable": s, Editor() {...}}`), a name declared in the same file (`let Hooks = {}`
then `Hooks.Chart = ...`), a name imported from a relative file (`import Hooks from "./hooks"`, `import {Hooks} from
"./hooks"`, `import * as Hooks from "./hooks"`) read the same way there, and spreads of those. The colocated hooks
(`...colocatedHooks` from "phoenix-colocated/app") only register dotted names (`.Chart`), so they add nothing a plain
`phx-hook="Chart"` can mean. Anything else (a call, a parameter, a package, a computed key, `Object.assign`, hooks
added to `liveSocket.hooks` later) makes the set unknown: None, and nothing is judged.

Reading is bounded and safe like project_sources: regular files under the root through project/files.py, at most
MAX_ENTRY_FILES files holding a LiveSocket, imports followed MAX_DEPTH deep, and one budget of MAX_LOOKUPS names
resolved and files read for the whole walk (each file parsed and each name resolved once); cached per process until a
file changes.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .project_sources import MAX_FILE_BYTES, _project_files

JS_SUFFIXES = (".js", ".mjs", ".ts", ".jsx", ".tsx")
MAX_ENTRY_FILES = 8  # files constructing a LiveSocket looked at; more and the app is judged unknown
MAX_DEPTH = 4  # names followed through declarations and imports
LIVE_SOCKET = re.compile(r"new\s+LiveSocket\s*\(")
LATE_HOOKS = re.compile(r"liveSocket\.hooks\b|Object\.assign\s*\(\s*(?:\w+\.)?hooks\b", re.I)


class Unknown(Exception):
    """The registered names cannot be read from the files."""


def registered_hook_names(root: str | None) -> frozenset[str] | None:
    """The global hook names every LiveSocket of the project registers, or None when unknown (no LiveSocket in the
    project's own JavaScript, or one whose hooks the files do not show)."""
    if not root:
        return None
    real_root = os.path.realpath(root)
    return _registered(real_root, _project_files(real_root, JS_SUFFIXES))


@lru_cache(maxsize=4)
def _registered(root: str, files: tuple[tuple[str, int, int], ...]) -> frozenset[str] | None:
    entries = []
    for path, _, _ in files:
        if "assets" not in Path(os.path.relpath(path, root)).parts:
            continue  # the app's own bundle sources, not a script of the docs or a test
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source and LIVE_SOCKET.search(source):
            entries.append((path, source))
    if not entries or len(entries) > MAX_ENTRY_FILES:
        return None
    names: set[str] = set()
    walk = _Walk(root)
    try:
        for path, source in entries:
            if LATE_HOOKS.search(source):
                raise Unknown(path)
            names |= _entry_names(walk, path, source)
    except (Unknown, RecursionError):
        return None
    return frozenset(names)


class _File:
    """One parsed JavaScript file of the walk, with its top-level declarations, imports and `Name.Key = ...`
    assignments each indexed in one pass when first asked for."""

    def __init__(self, path: str, program) -> None:
        self.path, self.program = path, program
        self._declared: dict[str, object] | None = None
        self._imports: dict[str, tuple[str, str]] | None = None
        self._assigned: dict[str, set[str] | None] | None = None
        self._exports: dict[str, object] = {}
        self._export_names: set[str] | None = None

    @property
    def declared(self) -> dict[str, object]:
        """name -> the value of `const|let|var name = value` at the top of the file (the first such)."""
        if self._declared is None:
            self._declared = {}
            for statement in self.program.named_children:
                declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" \
                    else statement
                if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for declarator in declaration.named_children:
                    if declarator.type == "variable_declarator":
                        self._declared.setdefault(_text(declarator.child_by_field_name("name")),
                                                  declarator.child_by_field_name("value"))
        return self._declared

    @property
    def imports(self) -> dict[str, tuple[str, str]]:
        """name -> (module path, the exported name or "default" or "*") of each import binding (the first such)."""
        if self._imports is None:
            self._imports = {}
            for statement in self.program.named_children:
                if statement.type != "import_statement":
                    continue
                source = statement.child_by_field_name("source")
                clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
                if source is None or clause is None:
                    continue
                module = _text(source)[1:-1]
                for part in clause.named_children:
                    if part.type == "identifier":
                        self._imports.setdefault(_text(part), (module, "default"))
                    elif part.type == "namespace_import":
                        for child in part.named_children:
                            self._imports.setdefault(_text(child), (module, "*"))
                    elif part.type == "named_imports":
                        for specifier in part.named_children:
                            if specifier.type == "import_specifier":
                                alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
                                self._imports.setdefault(_text(alias),
                                                         (module, _text(specifier.child_by_field_name("name"))))
        return self._imports

    def assigned_keys(self, name: str) -> set[str]:
        """`Hooks.Chart = {...}` and `Hooks["Chart"] = {...}` anywhere in the file (one walk for every name)."""
        if self._assigned is None:
            self._assigned = {}
            for node in _walk(self.program):
                if node.type != "assignment_expression":
                    continue
                left = node.child_by_field_name("left")
                if left is None or left.child_by_field_name("object") is None:
                    continue
                owner = _text(left.child_by_field_name("object"))
                keys = self._assigned.setdefault(owner, set())
                if left.type == "member_expression":
                    if keys is not None:
                        keys.add(_text(left.child_by_field_name("property")))
                elif left.type == "subscript_expression":
                    key = _key(left.child_by_field_name("index"))
                    if key is None:
                        self._assigned[owner] = None  # a computed key: which names it adds is unknown
                    elif keys is not None:
                        keys.add(key)
        keys = self._assigned.get(name, set())
        if keys is None:
            raise Unknown(self.path)
        return keys

    def exported_value(self, exported: str):
        """The value node the file exports as `exported` ("default" or a name)."""
        if exported not in self._exports:
            self._exports[exported] = _exported_value(self, exported)
        return self._exports[exported]

    def export_names(self) -> set[str]:
        if self._export_names is None:
            self._export_names = _export_names(self.program, self.path)
        return self._export_names


MAX_LOOKUPS = 128  # names resolved to an object and files read in one walk over a project's hooks, all told


class _Walk:
    """One reading of a project's hook registrations. A single budget of lookups (a name resolved to the object it
    is bound to, a file read) is shared by the whole walk, each file is parsed once and each name's hook names are
    resolved once, so the work is linear in the budget however the spreads and imports fan out (audit 11 M6: a spread
    limit per object times a depth limit allowed 16^4 lookups). When it runs out the set is unknown: nothing is
    judged, so a name an unread spread might register is never reported."""

    def __init__(self, root: str, budget: int | None = None) -> None:
        self.root = root
        self.budget = MAX_LOOKUPS if budget is None else budget
        self.lookups = 0
        self.files: dict[str, _File] = {}
        self.resolved: dict[tuple[str, str], frozenset[str]] = {}
        self.open: set[tuple[str, str]] = set()

    def spend(self, path: str) -> None:
        self.lookups += 1
        if self.lookups > self.budget:
            raise Unknown(path)

    def file(self, path: str) -> _File:
        """The parsed file at `path` (inside the project), read once per walk."""
        if path not in self.files:
            self.spend(path)
            source = read_text(Path(path), MAX_FILE_BYTES)
            if source is None:
                raise Unknown(path)
            self.files[path] = _File(path, parse("javascript", source).root_node)
        return self.files[path]


def _entry_names(walk: _Walk, path: str, source: str) -> set[str]:
    entry = walk.files.get(path) or _File(path, parse("javascript", source).root_node)
    walk.files[path] = entry
    names: set[str] = set()
    found = False
    for node in _walk(entry.program):
        if node.type != "new_expression":
            continue
        constructor = node.child_by_field_name("constructor")
        if constructor is None or _text(constructor) != "LiveSocket":
            continue
        arguments = node.child_by_field_name("arguments")
        options = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
        if len(options) < 3:
            found = True  # no options: no hooks
            continue
        hooks = _property(options[2], "hooks", entry)
        found = True
        if hooks is not None:
            names |= _names(walk, hooks, entry, 0)
    if not found:
        raise Unknown(path)
    return names


def _property(node, key: str, file: _File):
    """The value node of `key` in an options object (None when the object has no such key)."""
    if node.type == "identifier":
        node = file.declared.get(_text(node))
        if node is None:
            raise Unknown(file.path)
    if node.type != "object":
        raise Unknown(file.path)
    for entry in node.named_children:
        if entry.type == "pair" and _key(entry.child_by_field_name("key")) == key:
            return entry.child_by_field_name("value")
        if entry.type == "shorthand_property_identifier" and _text(entry) == key:
            return entry
        if entry.type == "spread_element":
            raise Unknown(file.path)
    return None


def _names(walk: _Walk, node, file: _File, depth: int) -> set[str]:
    """The keys a hooks value registers."""
    if depth > MAX_DEPTH or node.has_error:
        raise Unknown(file.path)
    if node.type in ("parenthesized_expression",) and node.named_child_count == 1:
        return _names(walk, node.named_children[0], file, depth)
    if node.type == "object":
        names: set[str] = set()
        spreads: set[str] = set()
        for entry in node.named_children:
            if entry.type == "comment":
                continue
            if entry.type == "shorthand_property_identifier":
                names.add(_text(entry))
            elif entry.type in ("pair", "method_definition"):
                key = _key(entry.child_by_field_name("key") or entry.child_by_field_name("name"))
                if key is None:
                    raise Unknown(file.path)
                names.add(key)
            elif entry.type == "spread_element":
                spread = entry.named_children[0] if entry.named_children else None
                if spread is None or spread.type != "identifier":
                    raise Unknown(file.path)
                if _text(spread) in spreads:
                    continue  # the same object spread again adds nothing
                spreads.add(_text(spread))
                imported = file.imports.get(_text(spread))
                if imported is None or not imported[0].startswith("phoenix-colocated/"):
                    names |= _identifier_names(walk, _text(spread), file, depth + 1)
            else:
                raise Unknown(file.path)
        return names
    if node.type in ("identifier", "shorthand_property_identifier"):
        return _identifier_names(walk, _text(node), file, depth + 1)
    raise Unknown(file.path)


def _identifier_names(walk: _Walk, name: str, file: _File, depth: int) -> frozenset[str]:
    """The keys the object bound to `name` in this file holds: declared here (with `name.Key = ...` added later) or
    imported from a relative file. Each (file, name) is resolved once per walk and costs one lookup of its budget; a
    name met again while it is being resolved (an import cycle, audit 10 M7) is unknown."""
    if depth > MAX_DEPTH:
        raise Unknown(file.path)
    key = (file.path, name)
    if key in walk.resolved:
        return walk.resolved[key]
    if key in walk.open:
        raise Unknown(file.path)
    walk.spend(file.path)
    walk.open.add(key)
    try:
        value = file.declared.get(name)
        if value is not None:
            found = _names(walk, value, file, depth) | file.assigned_keys(name)
        else:
            found = _imported_names(walk, name, file, depth)
    finally:
        walk.open.discard(key)
    walk.resolved[key] = frozenset(found)
    return walk.resolved[key]


def _imported_names(walk: _Walk, name: str, file: _File, depth: int) -> set[str] | frozenset[str]:
    imported = file.imports.get(name)
    if imported is None:
        raise Unknown(file.path)
    source_path, exported = imported
    target = _resolve(walk.root, file.path, source_path)
    if target is None:
        raise Unknown(file.path)
    other = walk.file(target)
    if exported == "*":
        return other.export_names()
    key = (target, f"export {exported}")  # what a file exports under a name, read once however many files import it
    if key not in walk.resolved:
        value = other.exported_value(exported)
        walk.resolved[key] = frozenset(_names(walk, value, other, depth + 1) if value.type != "identifier" else
                                       _identifier_names(walk, _text(value), other, depth + 1))
    return walk.resolved[key]


def _resolve(root: str, importer: str, module: str) -> str | None:
    """The file a relative import names (`./hooks` -> hooks.js or hooks/index.js), inside the project."""
    if not module.startswith("."):
        return None
    base = os.path.normpath(os.path.join(os.path.dirname(importer), module))
    for candidate in [base, *(base + s for s in JS_SUFFIXES), *(os.path.join(base, "index" + s) for s in JS_SUFFIXES)]:
        if os.path.isfile(candidate) and not os.path.islink(candidate) and \
                os.path.realpath(candidate).startswith(root + os.sep):
            return candidate
    return None


def _exported_value(file: _File, exported: str):
    """The value node a file exports as `exported` ("default" or a name)."""
    for statement in file.program.named_children:
        if statement.type != "export_statement":
            continue
        if exported == "default" and any(c.type == "default" or _text(c) == "default" for c in statement.children):
            value = statement.child_by_field_name("value") or statement.child_by_field_name("declaration")
            if value is not None:
                return value
        if exported != "default":
            value = file.declared.get(exported)
            if value is not None:
                return value
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            for specifier in clause.named_children if clause is not None else ():
                alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
                if _text(alias) == exported:
                    local = file.declared.get(_text(specifier.child_by_field_name("name")))
                    if local is not None:
                        return local
    raise Unknown(file.path)


def _export_names(program, path: str) -> set[str]:
    """The names `import * as Hooks` gathers: every named export of the file."""
    names = set()
    for statement in program.named_children:
        if statement.type != "export_statement":
            continue
        if statement.child_by_field_name("source") is not None:
            raise Unknown(path)  # `export * from "./x"`: another file's names
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None:
            for declarator in declaration.named_children if declaration.type != "function_declaration" else [declaration]:
                name = declarator.child_by_field_name("name")
                if name is not None:
                    names.add(_text(name))
        clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
        for specifier in clause.named_children if clause is not None else ():
            alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
            names.add(_text(alias))
    return names


def _key(node) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return _text(node)
    if node.type == "string":
        return _text(node)[1:-1]
    return None  # a computed key


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
