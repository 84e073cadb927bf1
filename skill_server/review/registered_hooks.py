"""Which hook names the project's JavaScript registers with its LiveSocket, when its files show them all.

`new LiveSocket("/live", Socket, {hooks: ...})` in the project's assets: the `hooks` value is read as an object
literal (`{Chart, Map: MapHook, "Sortable": s, Editor() {...}}`), a name declared in the same file (`let Hooks = {}`
then `Hooks.Chart = ...`), a name imported from a relative file (`import Hooks from "./hooks"`, `import {Hooks} from
"./hooks"`, `import * as Hooks from "./hooks"`) read the same way there, and spreads of those. The colocated hooks
(`...colocatedHooks` from "phoenix-colocated/app") only register dotted names (`.Chart`), so they add nothing a plain
`phx-hook="Chart"` can mean. Anything else (a call, a parameter, a package, a computed key, `Object.assign`, hooks
added to `liveSocket.hooks` later) makes the set unknown: None, and nothing is judged.

Reading is bounded and safe like project_sources: regular files under the root through project/files.py, at most
MAX_ENTRY_FILES files holding a LiveSocket, imports followed MAX_DEPTH deep; cached per process until a file changes.
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
MAX_SPREADS = 16  # `...OtherHooks` entries read in one hooks object; more: unknown (each reads its file whole)
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
    try:
        for path, source in entries:
            if LATE_HOOKS.search(source):
                raise Unknown(path)
            names |= _entry_names(root, path, source)
    except (Unknown, RecursionError):
        return None
    return frozenset(names)


def _entry_names(root: str, path: str, source: str) -> set[str]:
    tree = parse("javascript", source)
    names: set[str] = set()
    found = False
    for node in _walk(tree.root_node):
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
        hooks = _property(options[2], "hooks", tree.root_node, root, path, 0)
        found = True
        if hooks is not None:
            names |= _names(hooks, tree.root_node, root, path, 0)
    if not found:
        raise Unknown(path)
    return names


def _property(node, key: str, program, root: str, path: str, depth: int):
    """The value node of `key` in an options object (None when the object has no such key)."""
    if node.type == "identifier":
        node = _declared_value(program, _text(node))
        if node is None:
            raise Unknown(path)
    if node.type != "object":
        raise Unknown(path)
    for entry in node.named_children:
        if entry.type == "pair" and _key(entry.child_by_field_name("key")) == key:
            return entry.child_by_field_name("value")
        if entry.type == "shorthand_property_identifier" and _text(entry) == key:
            return entry
        if entry.type == "spread_element":
            raise Unknown(path)
    return None


def _names(node, program, root: str, path: str, depth: int) -> set[str]:
    """The keys a hooks value registers."""
    if depth > MAX_DEPTH or node.has_error:
        raise Unknown(path)
    if node.type in ("parenthesized_expression",) and node.named_child_count == 1:
        return _names(node.named_children[0], program, root, path, depth)
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
                    raise Unknown(path)
                names.add(key)
            elif entry.type == "spread_element":
                spread = entry.named_children[0] if entry.named_children else None
                if spread is None or spread.type != "identifier":
                    raise Unknown(path)
                if _text(spread) in spreads:
                    continue  # the same object spread again adds nothing
                spreads.add(_text(spread))
                if len(spreads) > MAX_SPREADS:
                    raise Unknown(path)
                if not _colocated_import(program, _text(spread)):
                    names |= _identifier_names(_text(spread), program, root, path, depth + 1)
            else:
                raise Unknown(path)
        return names
    if node.type in ("identifier", "shorthand_property_identifier"):
        return _identifier_names(_text(node), program, root, path, depth + 1)
    raise Unknown(path)


def _identifier_names(name: str, program, root: str, path: str, depth: int) -> set[str]:
    """The keys the object bound to `name` in this file holds: declared here (with `name.Key = ...` added later) or
    imported from a relative file. Followed at most MAX_DEPTH deep, so an import cycle ends (audit 10 M7)."""
    if depth > MAX_DEPTH:
        raise Unknown(path)
    value = _declared_value(program, name)
    if value is not None:
        return _names(value, program, root, path, depth) | _assigned_keys(program, name, path)
    imported = _imported(program, name)
    if imported is None:
        raise Unknown(path)
    source_path, exported = imported
    target = _resolve(root, path, source_path)
    source = read_text(Path(target), MAX_FILE_BYTES) if target else None
    if source is None:
        raise Unknown(path)
    other = parse("javascript", source).root_node
    if exported == "*":
        return _export_names(other, target)
    value = _exported_value(other, exported, root, target, depth)
    return _names(value, other, root, target, depth + 1) if value.type != "identifier" else \
        _identifier_names(_text(value), other, root, target, depth + 1)


def _declared_value(program, name: str):
    """The value of `const|let|var name = value` at the top of the file."""
    for statement in program.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in declaration.named_children:
            if declarator.type == "variable_declarator" and _text(declarator.child_by_field_name("name")) == name:
                return declarator.child_by_field_name("value")
    return None


def _assigned_keys(program, name: str, path: str) -> set[str]:
    """`Hooks.Chart = {...}` and `Hooks["Chart"] = {...}` anywhere in the file."""
    keys = set()
    for node in _walk(program):
        if node.type != "assignment_expression":
            continue
        left = node.child_by_field_name("left")
        if left is None or _text(left.child_by_field_name("object")) != name:
            continue
        if left.type == "member_expression":
            keys.add(_text(left.child_by_field_name("property")))
        elif left.type == "subscript_expression":
            key = _key(left.child_by_field_name("index"))
            if key is None:
                raise Unknown(path)
            keys.add(key)
    return keys


def _imported(program, name: str) -> tuple[str, str] | None:
    """(module path, the exported name or "default" or "*") of an import binding `name`."""
    for statement in program.named_children:
        if statement.type != "import_statement":
            continue
        source = statement.child_by_field_name("source")
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        if source is None or clause is None:
            continue
        for part in clause.named_children:
            if part.type == "identifier" and _text(part) == name:
                return _text(source)[1:-1], "default"
            if part.type == "namespace_import" and any(_text(c) == name for c in part.named_children):
                return _text(source)[1:-1], "*"
            if part.type == "named_imports":
                for specifier in part.named_children:
                    alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
                    if specifier.type == "import_specifier" and _text(alias) == name:
                        return _text(source)[1:-1], _text(specifier.child_by_field_name("name"))
    return None


def _colocated_import(program, name: str) -> bool:
    imported = _imported(program, name)
    return imported is not None and imported[0].startswith("phoenix-colocated/")


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


def _exported_value(program, exported: str, root: str, path: str, depth: int):
    """The value node a file exports as `exported` ("default" or a name)."""
    for statement in program.named_children:
        if statement.type != "export_statement":
            continue
        if exported == "default" and any(c.type == "default" or _text(c) == "default" for c in statement.children):
            value = statement.child_by_field_name("value") or statement.child_by_field_name("declaration")
            if value is not None:
                return value
        if exported != "default":
            value = _declared_value(program, exported)
            if value is not None:
                return value
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            for specifier in clause.named_children if clause is not None else ():
                alias = specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
                if _text(alias) == exported:
                    local = _declared_value(program, _text(specifier.child_by_field_name("name")))
                    if local is not None:
                        return local
    raise Unknown(path)


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
