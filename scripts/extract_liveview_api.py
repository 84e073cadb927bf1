#!/usr/bin/env python3
"""Extends references/liveview_api.json with facts read from the LiveView git mirror at every release tag.

It reads only the local mirror (no network): `git ls-tree` and `git cat-file` at each of the 190 tags from
v0.1.0 to v1.2.10. Each fact gets the first stable release whose tag has it (`since`, semver order over all
release lines; a pre-release counts toward the next stable release) and the first tag of any kind that has it
(`first_tag`), as the manifest's existing entries do. Facts that the newest tag lacks carry `removed_in`.

Keys it writes (every other key of the committed manifest is carried over unchanged):
  function_options    "Module.name" -> option -> {since, first_tag, arities, found_in[, removed_in]}
  function_heads      "Module.name/arity" -> the def head at the newest tag that has it
  function_history    "Module.name" -> {since, first_tag[, removed_in], arities: {"4": {since, ...}}}
  module_history      module -> {since, first_tag[, removed_in]}
  deprecations        "Module.name/arity" -> {since, first_tag, message[, removed_in]} from @deprecated
  hook_api            hook callbacks, the hook's `this` members, behaviour facts (client view_hook source)
  live_socket         LiveSocket constructor options and public methods (client live_socket source)
  assigns             the assigns LiveView itself sets (or reads, for @page_title), with the code that does it
  binding_history     each phx- binding and CSS class the manifest lists -> {since, first_tag[, removed_in], evidence}
                      from the client (and lib) code that reads or sets it
  js_exports          the names the client package's entry file exports (LiveSocket, createHook, ...)
  extraction          how each of the keys above was found

Usage:
  scripts/extract_liveview_api.py            rewrite references/liveview_api.json
  scripts/extract_liveview_api.py --check    exit 1 when the committed file differs from a fresh extraction
  scripts/extract_liveview_api.py --verify   also compare existing keys with what the source says, and report
The mirror: $LIVEVIEW_SOURCE, else /work/.mirror/phoenixframework+phoenix_live_view/repo."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "references" / "liveview_api.json"
DEFAULT_MIRROR = "/work/.mirror/phoenixframework+phoenix_live_view/repo"
NEW_KEYS = ("function_options", "function_heads", "function_history", "module_history", "deprecations", "hook_api",
            "live_socket", "assigns", "binding_history", "js_exports", "extraction")
# Modules whose options the manifest keeps apart (JS commands live in js_command_options).
SEPARATE_MODULES = {"Phoenix.LiveView.JS"}


# --- versions and tags --------------------------------------------------------------------------------------------
def tag_key(tag: str) -> tuple:
    """Semver order: 1.0.0-rc.6 < 1.0.0 < 1.0.1; pre-releases ordered by their numeric parts."""
    core, _, pre = tag.lstrip("v").partition("-")
    numbers = tuple(int(p) for p in core.split("."))
    if not pre:
        return (*numbers, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*numbers, 0, parts)


def is_stable(tag: str) -> bool:
    return "-" not in tag


def first_fact(tags_with_it: Iterable[str], all_tags: list[str]) -> dict | None:
    """{since, first_tag[, removed_in]} for a fact present at `tags_with_it`, or None when no stable release has it."""
    present = sorted(set(tags_with_it), key=tag_key)
    stable = [t for t in present if is_stable(t)]
    if not stable:
        return None
    fact = {"since": stable[0].lstrip("v"), "first_tag": present[0].lstrip("v")}
    newest = all_tags[-1]
    if newest not in present:
        last = tag_key(stable[-1])
        later = [t for t in all_tags if is_stable(t) and tag_key(t) > last]
        if later:
            fact["removed_in"] = later[0].lstrip("v")
    return fact


# --- reading the mirror -------------------------------------------------------------------------------------------
class Mirror:
    """Blobs and trees of a bare git repository through one `git cat-file --batch` process; blobs cached by id."""

    def __init__(self, path: str):
        self.path = path
        self._batch = subprocess.Popen(["git", "-C", path, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE)
        self._blobs: dict[str, str] = {}

    def tags(self) -> list[str]:
        out = subprocess.run(["git", "-C", self.path, "tag", "--list", "v*"], check=True, capture_output=True,
                             text=True).stdout.split()
        return sorted((t for t in out if re.fullmatch(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", t)), key=tag_key)

    def tree(self, tag: str) -> dict[str, str]:
        """path -> blob id of every file at `tag`."""
        out = subprocess.run(["git", "-C", self.path, "ls-tree", "-r", tag], check=True, capture_output=True,
                             text=True).stdout
        files = {}
        for line in out.splitlines():
            meta, _, path = line.partition("\t")
            _mode, kind, sha = meta.split()
            if kind == "blob":
                files[path] = sha
        return files

    def blob(self, sha: str) -> str:
        if sha not in self._blobs:
            self._batch.stdin.write(sha.encode() + b"\n")
            self._batch.stdin.flush()
            header = self._batch.stdout.readline().split()
            size = int(header[2])
            data = self._batch.stdout.read(size + 1)[:size]
            self._blobs[sha] = data.decode("utf-8", errors="replace")
        return self._blobs[sha]


# --- Elixir: documented functions, their heads and their options ---------------------------------------------------
MODULE_RE = re.compile(r"^(\s*)defmodule\s+([A-Z][\w.]*)\s+do\s*$")
DEF_RE = re.compile(r"^(\s*)(def|defmacro|defdelegate)\s+([a-z_][a-zA-Z0-9_]*[?!]?)(.*)$")
ANY_DEF_RE = re.compile(r"^\s*(def|defp|defmacro|defmacrop|defdelegate)\s+([a-z_][a-zA-Z0-9_]*[?!]?)")
DOC_HEREDOC_RE = re.compile(r'^\s*@doc\s+(?:~[sS])?("""|\'\'\')\s*$')
DOC_LINE_RE = re.compile(r'^\s*@doc\s+(?:~[sS])?"(.*)"\s*$')
DOC_FALSE_RE = re.compile(r"^\s*@doc\s+false\b")
MODULEDOC_FALSE_RE = re.compile(r"^\s*@moduledoc\s+false\b")
CALLBACK_RE = re.compile(r"^\s*@(?:macro)?callback\s+([a-z_][a-zA-Z0-9_]*[?!]?)(.*)$")
DEPRECATED_RE = re.compile(r'^\s*@deprecated\s+"(.*)"\s*$')
ATTR_RE = re.compile(r"^\s*attr\.?\s*\(?\s*:([a-z_]\w*[?!]?)\s*,")
SLOT_BLOCK_RE = re.compile(r"^\s*slot\.?\s*\(?\s*:\w+.*\bdo\s*$")
HEREDOC_OPEN_RE = re.compile(r"""(\"\"\"|''')\s*$""")
OPTION_BULLET_RE = re.compile(r"^(\s*)[*-]\s+`:([a-z_][a-zA-Z0-9_]*[?!]?)`")
ATTR_BULLET_RE = re.compile(r"^\s*[*-]\s+`([a-z_][a-zA-Z0-9_]*)`\s+\(`:?[\w.]+`\)")
ANY_BULLET_RE = re.compile(r"^(\s*)[*-]\s+")
OPTS_PARAM_RE = re.compile(r"^\s*(opts|options|opt)\b")


@dataclass
class DocumentedFunction:
    module: str
    name: str
    arities: set[int]
    head: str
    params: list[str]
    kind: str  # function, macro or callback
    options: dict[str, set[str]] = field(default_factory=dict)  # option -> where it was found


def split_top_level(text: str) -> list[str]:
    """Comma-separated items of an argument list, ignoring commas inside brackets and strings."""
    items, depth, current, quote = [], 0, [], None
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        items.append("".join(current).strip())
    # Trailing `key: value` items are one keyword-list argument (`do: block`).
    merged: list[str] = []
    for item in items:
        if merged and re.match(r"^[a-z_]\w*:\s", item) and re.match(r"^[a-z_]\w*:\s", merged[-1]):
            merged[-1] += ", " + item
        else:
            merged.append(item)
    return merged


def head_arguments(rest: str, following: list[str]) -> str | None:
    """The text between the parentheses of a def head whose remainder (after the name) is `rest`."""
    if not rest.startswith("("):
        return None
    text, depth, position = rest, 0, 0
    lines = iter(following)
    while True:
        for i in range(position, len(text)):
            if text[i] in "([{":
                depth += 1
            elif text[i] in ")]}":
                depth -= 1
                if depth == 0:
                    return re.sub(r"\s+", " ", text[1:i]).replace("( ", "(").replace(" )", ")").strip()
        position = len(text)
        more = next(lines, None)
        if more is None:
            return None
        text += " " + more.strip()


def arities_of(params: list[str]) -> set[int]:
    defaults = sum(1 for p in params if "\\\\" in p)
    return set(range(len(params) - defaults, len(params) + 1))


def doc_options(doc: str, name: str, params: list[str]) -> dict[str, set[str]]:
    """Keyword options a function's @doc names: bullets of a list introduced by an options heading or sentence,
    bullets under an Attributes heading, and keyword arguments in the doc's own example calls of the function
    (when they sit where its opts parameter is). Prose mentions are not used: "the `:id` option" in LiveView's
    docs sometimes means an assign, and "cannot accept the `:default` option" names one that does not exist."""
    found: dict[str, set[str]] = {}
    context, bullet_indent, after_blank = "", None, False
    for line in doc.splitlines():
        stripped = line.strip()
        if not stripped:
            after_blank = True
            continue
        indent = len(line) - len(line.lstrip())
        bullet = ANY_BULLET_RE.match(line)
        if bullet and not stripped.startswith("#") and (bullet_indent is None or indent <= bullet_indent):
            bullet_indent, after_blank = indent, False
            option = OPTION_BULLET_RE.match(line)
            attribute = ATTR_BULLET_RE.match(line)
            if option and re.search(r"option", context, re.I):
                found.setdefault(option.group(2), set()).add("doc_options_list")
            elif (option or attribute) and re.match(r"#+\s*attributes\b", context, re.I):
                found.setdefault((option or attribute).group(2 if option else 1), set()).add("doc_attributes_list")
            continue
        in_item = bullet_indent is not None and (indent > bullet_indent or not after_blank)
        after_blank = False
        if in_item and not stripped.startswith("#"):
            continue  # the text of a list item (indented, or a lazy continuation line)
        bullet_indent, context = None, stripped
    opts_index = next((i for i, p in enumerate(params) if OPTS_PARAM_RE.match(p)), None)
    if opts_index is not None:
        for call in re.finditer(rf"(?<![\w.]){re.escape(name)}\(", doc):
            piped = re.search(r"\|>\s*$", doc[:call.start()]) is not None
            positional, keywords = call_arguments(doc, call.end() - 1)
            if positional + piped == opts_index:
                for option in keywords:
                    found.setdefault(option, set()).add("doc_example")
    return found


def call_arguments(text: str, open_paren: int) -> tuple[int, list[str]]:
    """(number of positional arguments, keyword names of the trailing keyword list) of the call whose '(' is at
    open_paren; (-1, []) when the parentheses do not close or the span is prose rather than code."""
    depth, end = 0, None
    for i in range(open_paren, min(len(text), open_paren + 2000)):
        if text[i] in "([{":
            depth += 1
        elif text[i] in ")]}":
            depth -= 1
            if depth == 0:
                end = i
                break
    if end is None or re.search(r"\n\s*\n", text[open_paren:end]):
        return -1, []
    items = split_top_level(text[open_paren + 1:end])
    keyword = re.compile(r"^([a-z_][a-z0-9_]*[?!]?):\s")
    positional = [item for item in items if not keyword.match(item)]
    names = [m.group(1) for item in items for part in split_top_level(item) if (m := keyword.match(part))]
    return len(positional), names


@dataclass
class ParsedFile:
    documented: list[DocumentedFunction]
    bodies: dict[tuple[str, str], list[str]]  # (module, name) -> the text of each def/defp clause
    modules: dict[str, bool]  # module -> public (ExDoc's rule: unless @moduledoc false)
    deprecated: dict[tuple[str, str, int], str]  # (module, name, arity) -> the @deprecated message


def body_lines(lines: list[str], start: int, indent: int) -> int:
    """Index after the last line of the definition whose head is lines[start] (indented `indent`)."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            return end + 1 if line.strip() == "end" and len(line) - len(line.lstrip()) == indent else end
        end += 1
    return end


def parse_elixir(text: str) -> ParsedFile:
    """Documented public functions of the public modules in one .ex file, and the body of every definition
    (line-based: it relies on mix-formatted code)."""
    lines = text.splitlines()
    stack: list[tuple[int, str, bool]] = []  # (indent, module, hidden)
    functions: list[DocumentedFunction] = []
    bodies: dict[tuple[str, str], list[str]] = {}
    pending_doc: str | None = None  # None: no doc yet; "": @doc false
    attrs: list[str] = []
    last: DocumentedFunction | None = None
    heredoc: str | None = None
    slot_indent: int | None = None
    seen_modules: list[str] = []
    hidden: set[str] = set()
    deprecated: dict[tuple[str, str, int], str] = {}
    pending_deprecation: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if heredoc:
            if line.strip().startswith(heredoc):
                heredoc = None
            continue
        if stack and MODULEDOC_FALSE_RE.match(line) and len(line) - len(line.lstrip()) == stack[-1][0] + 2:
            hidden.add(stack[-1][1])
        doc_heredoc = DOC_HEREDOC_RE.match(line)
        if doc_heredoc:
            delimiter, body = doc_heredoc.group(1), []
            while i < len(lines) and not lines[i].strip().startswith(delimiter):
                body.append(lines[i])
                i += 1
            i += 1
            pending_doc, last = "\n".join(body), None
            continue
        opening = HEREDOC_OPEN_RE.search(line)
        if opening and line.strip() != opening.group(1):
            heredoc = opening.group(1)
            continue
        module = MODULE_RE.match(line)
        if module:
            indent = len(module.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            name = module.group(2) if not stack else f"{stack[-1][1]}.{module.group(2)}"
            stack.append((indent, name, False))
            seen_modules.append(name)
            pending_doc, attrs, last = None, [], None
            continue
        indent = len(line) - len(line.lstrip())
        if stack and line.strip() == "end" and indent == stack[-1][0]:
            stack.pop()
            continue
        if not stack:
            continue
        body_indent = stack[-1][0] + 2
        if slot_indent is not None:
            if line.strip() == "end" and indent == slot_indent:
                slot_indent = None
            continue
        if indent != body_indent:
            continue
        if MODULEDOC_FALSE_RE.match(line):
            stack[-1] = (stack[-1][0], stack[-1][1], True)
        elif DOC_FALSE_RE.match(line):
            pending_doc, last = "", None
        elif DOC_LINE_RE.match(line):
            pending_doc, last = DOC_LINE_RE.match(line).group(1), None
        elif DEPRECATED_RE.match(line):
            pending_deprecation = DEPRECATED_RE.match(line).group(1)
        elif SLOT_BLOCK_RE.match(line):
            slot_indent = indent
        elif ATTR_RE.match(line):
            attrs.append(ATTR_RE.match(line).group(1))
        elif CALLBACK_RE.match(line):
            name, rest = CALLBACK_RE.match(line).groups()
            arguments = head_arguments(rest.strip(), lines[i:i + 40])
            params = split_top_level(arguments) if arguments else []
            if pending_doc and not stack[-1][2]:
                fn = DocumentedFunction(stack[-1][1], name, arities_of(params),
                                        f"{name}({arguments})" if arguments is not None else name, params, "callback")
                fn.options = doc_options(pending_doc, name, params)
                functions.append(fn)
            pending_doc, attrs, last = None, [], None
        elif ANY_DEF_RE.match(line):
            name = ANY_DEF_RE.match(line).group(2)
            end = body_lines(lines, i - 1, indent)
            bodies.setdefault((stack[-1][1], name), []).append("\n".join(lines[i - 1:end]))
            public = DEF_RE.match(line)
            if not public:
                pending_doc, attrs, last = None, [], None
                continue
            rest = public.group(4).strip()
            arguments = head_arguments(rest, lines[i:i + 40])
            params = split_top_level(arguments) if arguments else []
            if pending_deprecation is not None:
                for arity in arities_of(params):
                    deprecated[(stack[-1][1], name, arity)] = pending_deprecation
                pending_deprecation = None
            if last is not None and last.name == name:
                last.arities |= arities_of(params)  # another clause of the same function
                continue
            if pending_doc and not stack[-1][2] and (not name.startswith("_") or name == "__using__"):
                fn = DocumentedFunction(stack[-1][1], name, arities_of(params),
                                        f"{name}({arguments})" if arguments is not None else name, params,
                                        "macro" if public.group(2) == "defmacro" else "function")
                fn.options = doc_options(pending_doc, name, params)
                for attr in attrs:
                    fn.options.setdefault(attr, set()).add("attr")
                functions.append(fn)
                last = fn
            else:
                last = None
            pending_doc, attrs = None, []
    modules = {name: name not in hidden for name in seen_modules}
    return ParsedFile(functions, bodies, modules, deprecated)


KEYWORD_READ_RE = re.compile(
    r"Keyword\.(?:get|get_lazy|fetch!?|pop!?|pop_lazy|has_key\?|take|validate!?|put_new)\(\s*(?:opts|options)\s*,\s*"
    r"(\[[^\]]*\]|:[a-z_]\w*[?!]?)")
OPTS_ACCESS_RE = re.compile(r"\b(?:opts|options)\[:([a-z_]\w*[?!]?)\]")
DELEGATE_RE = re.compile(r"defdelegate\s+(\w+[?!]?)\(.*?\),\s*to:\s*([A-Z][\w.]*)(?:,\s*as:\s*:(\w+[?!]?))?", re.S)
REMOTE_CALL_RE = re.compile(r"\b([A-Z][\w.]*)\.([a-z_]\w*[?!]?)\(")
LOCAL_CALL_RE = re.compile(r"(?<![\w.:@])([a-z_]\w*[?!]?)\(")


def options_read(body: str) -> set[str]:
    """Option names a definition's body reads from its opts: Keyword.get(opts, :x), opts[:x], validate! lists."""
    names = set(OPTS_ACCESS_RE.findall(body))
    for match in KEYWORD_READ_RE.finditer(body):
        value = match.group(1)
        if value.startswith(":"):
            names.add(value[1:])
        else:
            names |= set(re.findall(r":([a-z_]\w*[?!]?)", value)) | set(re.findall(r"([a-z_]\w*[?!]?):\s", value))
    return names


@dataclass
class CodeIndex:
    """Every definition's body at one tag, to follow calls by module (last alias segment) and name."""
    bodies: dict[tuple[str, str], list[str]]
    by_alias: dict[tuple[str, str], list[tuple[str, str]]]

    @classmethod
    def of(cls, bodies: dict[tuple[str, str], list[str]]) -> CodeIndex:
        by_alias: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key in bodies:
            by_alias.setdefault((key[0].rsplit(".", 1)[-1], key[1]), []).append(key)
        return cls(bodies, by_alias)


def passes_opts(body: str, after: int) -> bool:
    return re.search(r"\b(opts|options)\b", body[after:after + 300].split(")")[0]) is not None


def code_options(module: str, name: str, index: CodeIndex, depth: int = 3) -> set[str]:
    """Options `module.name` reads from its opts, following defdelegate and calls that pass opts on (a few levels)."""
    found: set[str] = set()
    seen: set[tuple[str, str]] = set()
    todo = [((module, name), 0)]
    while todo:
        key, level = todo.pop()
        if key in seen or key not in index.bodies:
            continue
        seen.add(key)
        for body in index.bodies[key]:
            found |= options_read(body)
            if level >= depth:
                continue
            targets = []
            delegate = DELEGATE_RE.search(body)
            if delegate:
                targets += index.by_alias.get((delegate.group(2).rsplit(".", 1)[-1], delegate.group(3) or delegate.group(1)), [])
            for call in REMOTE_CALL_RE.finditer(body):
                if passes_opts(body, call.end()):
                    targets += index.by_alias.get((call.group(1).rsplit(".", 1)[-1], call.group(2)), [])
            for call in LOCAL_CALL_RE.finditer(body):
                if passes_opts(body, call.end()):
                    targets.append((key[0], call.group(1)))
            todo += [(target, level + 1) for target in targets if target != key]
    return found


def option_arities(fn: DocumentedFunction) -> list[int]:
    """The arities that carry the keyword list: from the opts parameter's position, else the largest."""
    for index, param in enumerate(fn.params):
        if OPTS_PARAM_RE.match(param):
            return sorted(a for a in fn.arities if a > index)
    return [max(fn.arities)] if fn.arities else []


# --- JavaScript client: the hook object and LiveSocket ------------------------------------------------------------
CLIENT_FILE_RE = re.compile(r"^assets/js/phoenix_live_view(\.js|/[\w/]+\.(js|ts))$")
METHOD_RE = re.compile(r"^  (?:(private|protected|static|public)\s+)?(?:async\s+)?(get\s+|set\s+)?([a-zA-Z_$]\w*)\s*(?:<[^>]*>)?\(")
FIELD_RE = re.compile(r"^  ([a-zA-Z]\w*)\s*[!?]?:\s*[^=(]+;\s*$")


def class_body(source: str, name: str) -> list[str] | None:
    """Lines of `class <name>` up to its closing brace at column 0 (the client sources are formatted)."""
    lines = source.splitlines()
    for start, line in enumerate(lines):
        if re.match(rf"^(export\s+)?(default\s+)?class\s+{name}\b", line):
            for end in range(start + 1, len(lines)):
                if lines[end].startswith("}"):
                    return lines[start + 1:end]
    return None


def methods(body: list[str]) -> list[tuple[str, str, bool, list[str]]]:
    """(name, modifier, internal, body lines) of each method defined at class level."""
    found = []
    for index, line in enumerate(body):
        match = METHOD_RE.match(line)
        if not match or match.group(3) in ("if", "for", "while", "switch", "return", "function"):
            continue
        modifier = (match.group(1) or match.group(2) or "").strip()
        before = "\n".join(body[max(0, index - 25):index])
        doc_comment = before[before.rfind("/**"):] if "/**" in before else ""
        internal = "@internal" in doc_comment and "*/" in doc_comment and not re.search(
            r"^  [^\s/*]", doc_comment.split("*/")[-1], re.M)
        end = index
        if not line.rstrip().endswith("}") or line.count("{") != line.count("}"):
            for end in range(index + 1, len(body)):
                if body[end].startswith("  }"):
                    break
        found.append((match.group(3), modifier, internal, body[index:end + 1]))
    return found


def hook_facts(source: str, client_sources: list[str]) -> dict[str, set[str]]:
    """At one tag: {"callbacks": names, "members": names, "behaviours": names} of the hook object."""
    body = class_body(source, "ViewHook")
    if body is None:
        return {}
    all_client = "\n".join(client_sources)
    callbacks = set(re.findall(r"__trigger__\(\s*[\"'](\w+)[\"']", all_client))
    members: set[str] = set()
    behaviours: set[str] = set()
    defined = methods(body)
    for name, modifier, internal, lines in defined:
        text = "\n".join(lines)
        if name.startswith("__") and name.strip("_") and re.search(rf"this\.{name.strip('_')}\b", text):
            callbacks.add(name.strip("_"))
    for name, modifier, internal, lines in defined:
        if name.startswith("_") or name == "constructor" or modifier in ("private", "protected", "static") or internal:
            continue
        if name in callbacks:
            continue  # the default no-op of a lifecycle callback (TypeScript hooks)
        members.add(name)
        text = "\n".join(lines)
        if name in ("pushEvent", "pushEventTo") and re.search(r"promise", text, re.I) and "onReply === undefined" in text:
            behaviours.add(f"{name}_returns_promise")
    constructor = next((lines for name, _, _, lines in defined if name == "constructor"), [])
    properties = {m for m in re.findall(r"this\.([a-zA-Z]\w*)\s*=(?!=)", "\n".join(constructor)) if not m.startswith("_")}
    properties |= {m.group(1) for line in body if (m := FIELD_RE.match(line))}
    properties |= {name for name, modifier, internal, _ in defined if modifier == "get" and not internal}
    return {"callbacks": callbacks, "members": members | properties, "properties": properties,
            "behaviours": behaviours}


def live_socket_facts(source: str, client_sources: list[str]) -> dict[str, set[str]]:
    """At one tag: {"options": names, "methods": public method names} of LiveSocket."""
    body = class_body(source, "LiveSocket")
    if body is None:
        return {}
    private_from = next((i for i, line in enumerate(body) if line.strip() == "// private"), len(body))
    public: set[str] = set()
    options: set[str] = set()
    for name, modifier, internal, lines in methods(body[:private_from]):
        if name == "constructor":
            options |= set(re.findall(r"\bopts\.([a-zA-Z]\w*)", "\n".join(lines)))
            continue
        if name.startswith("_") or modifier in ("private", "protected", "static") or internal:
            continue
        public.add(name)
    if "dom" in options:
        all_client = "\n".join(client_sources)
        dom = set(re.findall(r"domCallbacks\.([a-zA-Z]\w*)", all_client))
        dom |= set(re.findall(r"triggerDOM\(\s*[\"'](\w+)[\"']", all_client))
        options |= {f"dom.{name}" for name in dom}
    return {"options": options, "methods": public}


# --- assigns LiveView sets ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignRule:
    """How the source shows LiveView setting (or reading) an assign: a regex over lib/ files."""
    name: str
    role: str  # "set" or "read"
    scope: str  # where it is available, in our words
    pattern: str
    paths: str = r"^lib/.*\.ex$"


ASSIGN_RULES = (
    AssignRule("myself", "set", "LiveComponent assigns: the component's own CID, for phx-target and send_update",
               r"\bmyself:\s*(?:%(?:Phoenix\.LiveComponent\.)?CID\{|cid\b)|:myself,\s*%(?:Phoenix\.LiveComponent\.)?CID\{",
               r"^lib/phoenix_live_view/diff\.ex$"),
    AssignRule("streams", "set", "LiveView and LiveComponent assigns after stream/4 or stream_configure/3",
               r"assign\((?:\w+,\s*)?:streams,|update\((?:\w+,\s*)?:streams,"),
    AssignRule("uploads", "set", "LiveView and LiveComponent assigns after allow_upload/3",
               r"assign\((?:\w+,\s*)?:uploads,"),
    AssignRule("flash", "set", "LiveView and LiveComponent assigns (put_flash/3), and layouts",
               r"assign\((?:\w+,\s*)?:flash,|\bflash:\s*flash\}"),
    AssignRule("live_action", "set", "LiveView assigns: the action of the matched live route (nil without one)",
               r"assign\((?:\w+,\s*)?:live_action,|\blive_action:\s*action\b"),
    AssignRule("socket", "set", "the assigns a LiveView's render/1 and template receive",
               r"Map\.put\((?:[\w.]+,\s*)?:socket,"),
    AssignRule("inner_block", "set", "function component assigns: the content between the component's tags",
               r"\{:inner_block, ast\}|inner_block:\s*(?:ast|block)\b",
               r"^lib/phoenix_live_view/(tag_engine|html_engine|engine)[\w/]*\.ex$"),
    AssignRule("inner_content", "set", "layout assigns: the rendered LiveView inside the layout",
               r"assigns\[:inner_content\]|:inner_content,"),
    AssignRule("page_title", "read", "LiveView assigns the user sets; LiveView sends changes to the page's <title>",
               r"changed\?\((?:socket|(?:socket\.)?assigns), :page_title\)|assigns\[:page_title\]|:page_title\s*=>|"
               r"Map\.fetch\(assigns,\s*:page_title\)", r"^lib/phoenix_live_view/(diff|utils|channel|static)\.ex$"),
)


def assign_hits(files: dict[str, str], read: Callable[[str], str]) -> dict[str, list[str]]:
    """assign -> ["path:line", ...] where the rule's pattern matches at one tag."""
    hits: dict[str, list[str]] = {}
    for rule in ASSIGN_RULES:
        pattern, paths = re.compile(rule.pattern), re.compile(rule.paths)
        for path, sha in sorted(files.items()):
            if not paths.search(path):
                continue
            for number, line in enumerate(read(sha).splitlines(), 1):
                if pattern.search(line) and not line.lstrip().startswith("#"):
                    hits.setdefault(rule.name, []).append(f"{path}:{number}")
    return hits


# --- phx- bindings, CSS classes and the package's exports ----------------------------------------------------------
# How the client names a binding or class: a PHX_ constant ("viewport-top" or "phx-connected"), binding("remove"),
# bindClick("mousedown", "capture-click"), the keys of a bind({keyup: "keyup"}) map (with their window- variants when
# the client builds `window-${event}` bindings), or a quoted "phx-..." literal (PHX_EVENT_CLASSES, lib's attribute
# checks such as "phx-no-format").
PHX_CONSTANT_RE = re.compile(r"\bPHX_[A-Z0-9_]+\s*=\s*[\"']((?:phx-)?[a-z][a-z0-9-]*)[\"']")
BINDING_CALL_RE = re.compile(r"\bbinding\(\s*[\"'`]([a-z][a-z0-9-]*)[\"'`]\s*\)")
BIND_CLICK_RE = re.compile(r"\bbindClick\(\s*[\"']\w+[\"']\s*,\s*[\"']([a-z][a-z0-9-]*)[\"']")
BIND_MAP_RE = re.compile(r"\bbind(?:Targetable)?\(\s*\{([^{}]*)\}")
WINDOW_BINDING_RE = re.compile(r"binding\(\s*`window-\$\{")
JS_PHX_LITERAL_RE = re.compile(r"[\"'`](phx-[a-z][a-z0-9-]*)[\"'`]")
EX_PHX_LITERAL_RE = re.compile(r"\"(phx-[a-z][a-z0-9-]*)\"")
JS_COMMENT_RE = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)
EX_DOC_OPEN_RE = re.compile(r'^\s*@(?:module|type)?doc\s+(?:~[sS])?"""\s*$')


def _binding_name(suffix: str) -> str:
    name = suffix if suffix.startswith("phx-") else "phx-" + suffix
    return name + "*" if name.endswith("-") else name  # binding("value-") reads every phx-value-*


def _at(path: str, text: str, position: int) -> str:
    return f"{path}:{text.count(chr(10), 0, position) + 1}"


def _located(text: str, path: str, pattern: re.Pattern, found: dict[str, str]) -> None:
    for match in pattern.finditer(text):
        found.setdefault(_binding_name(match.group(1)), _at(path, text, match.start(1)))


def client_phx_names(path: str, source: str) -> dict[str, dict[str, str]]:
    """phx- names one client file reads or sets -> "path:line" of the first place (comments blanked, lines kept),
    by role: {"binding": attributes it reads (binding("x"), PHX_X = "x", bind maps), "class": class names it sets
    (a quoted "phx-..." name, PHX_X_CLASS = "phx-x")}."""
    code = JS_COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    found: dict[str, dict[str, str]] = {"binding": {}, "class": {}}
    for match in PHX_CONSTANT_RE.finditer(code):  # "phx-connected" names a class, "viewport-top" an attribute
        role = "class" if match.group(1).startswith("phx-") else "binding"
        found[role].setdefault(_binding_name(match.group(1)), _at(path, code, match.start(1)))
    for pattern in (BINDING_CALL_RE, BIND_CLICK_RE):
        _located(code, path, pattern, found["binding"])
    _located(code, path, JS_PHX_LITERAL_RE, found["class"])
    window = WINDOW_BINDING_RE.search(code) is not None
    for bind in BIND_MAP_RE.finditer(code):
        for event in re.finditer(r"(\w+)\s*:", bind.group(1)):
            where = _at(path, code, bind.start(1) + event.start(1))
            found["binding"].setdefault(f"phx-{event.group(1)}", where)
            if window:
                found["binding"].setdefault(f"phx-window-{event.group(1)}", where)
    return found


def lib_phx_names(path: str, source: str) -> dict[str, str]:
    """"phx-..." string literals in one lib/ file's code (doc heredocs and comments skipped) -> "path:line"."""
    found: dict[str, str] = {}
    in_doc = False
    for number, line in enumerate(source.splitlines(), 1):
        if in_doc:
            in_doc = not line.strip().startswith('"""')
            continue
        if EX_DOC_OPEN_RE.match(line):
            in_doc = True
            continue
        if line.lstrip().startswith("#"):
            continue
        for match in EX_PHX_LITERAL_RE.finditer(line):
            found.setdefault(match.group(1), f"{path}:{number}")
    return found


EXPORT_BLOCK_RE = re.compile(r"^export\s+(?:type\s+)?\{([^}]*)\}", re.M)
EXPORT_DECL_RE = re.compile(
    r"^export\s+(?:default\s+)?(?:class|function|let|const|var|interface|type)\s+([A-Za-z_$][\w$]*)", re.M)
ENTRY_FILES = ("assets/js/phoenix_live_view/index.ts", "assets/js/phoenix_live_view/index.js",
               "assets/js/phoenix_live_view.js")


def package_exports(path: str, source: str) -> dict[str, str]:
    """Names the package entry file exports: `export {...}` and `export type {...}` lists, `export class X`,
    `export interface X` and the like (TypeScript types included: they are what a hook author imports)."""
    found: dict[str, str] = {}
    for match in EXPORT_BLOCK_RE.finditer(source):
        for item in re.finditer(r"(?:[\w$]+\s+as\s+)?([A-Za-z_$][\w$]*)\s*(?:,|$)", match.group(1)):
            found.setdefault(item.group(1), _at(path, source, match.start(1) + item.start(1)))
    for match in EXPORT_DECL_RE.finditer(source):
        found.setdefault(match.group(1), _at(path, source, match.start(1)))
    return found


# --- extraction over all tags -------------------------------------------------------------------------------------
@dataclass
class TagFacts:
    options: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # (module, fn, opt) -> found_in
    code_options: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (module, fn) -> options read
    arities: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    heads: dict[tuple[str, str, int], str] = field(default_factory=dict)
    documented: set[tuple[str, str]] = field(default_factory=set)
    kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)
    deprecated: dict[tuple[str, str, int], str] = field(default_factory=dict)
    hook: dict[str, set[str]] = field(default_factory=dict)
    socket: dict[str, set[str]] = field(default_factory=dict)
    assigns: dict[str, list[str]] = field(default_factory=dict)
    phx: dict[str, str] = field(default_factory=dict)  # phx- binding or class -> "path:line"
    phx_roles: dict[str, dict[str, str]] = field(default_factory=dict)  # "binding"/"class" -> name -> "path:line"
    exports: dict[str, str] = field(default_factory=dict)  # name the package exports -> "path:line"


def facts_at(mirror: Mirror, tag: str, cache: dict) -> TagFacts:
    files = mirror.tree(tag)
    facts = TagFacts()
    parsed = []
    for path, sha in files.items():
        if path.startswith("lib/") and path.endswith(".ex"):
            if sha not in cache:
                cache[sha] = parse_elixir(mirror.blob(sha))
            parsed.append(cache[sha])
    index = CodeIndex.of({k: v for p in parsed for k, v in p.bodies.items()})
    facts.modules = {m for p in parsed for m, public in p.modules.items() if public and m.startswith("Phoenix.")}
    facts.deprecated = {k: v for p in parsed for k, v in p.deprecated.items()}
    for fn in (fn for p in parsed for fn in p.documented):
        facts.documented.add((fn.module, fn.name))
        facts.kinds[(fn.module, fn.name)] = fn.kind
        for arity in fn.arities:
            facts.heads[(fn.module, fn.name, arity)] = fn.head
        for option, found_in in fn.options.items():
            key = (fn.module, fn.name, option)
            facts.options.setdefault(key, set()).update(found_in)
            facts.arities[key] = sorted(set(facts.arities.get(key, [])) | set(option_arities(fn)))
        if any(OPTS_PARAM_RE.match(p) for p in fn.params):
            facts.code_options[(fn.module, fn.name)] = code_options(fn.module, fn.name, index)
    client = {p: s for p, s in files.items() if CLIENT_FILE_RE.match(p)}
    client_sources = [mirror.blob(s) for s in client.values()]
    for path, sha in client.items():
        source = mirror.blob(sha)
        if path.endswith(("view_hook.js", "view_hook.ts", "phoenix_live_view.js")) and not facts.hook:
            facts.hook = hook_facts(source, client_sources)
        if path.endswith(("live_socket.js", "live_socket.ts", "phoenix_live_view.js")) and not facts.socket:
            facts.socket = live_socket_facts(source, client_sources)
    facts.assigns = assign_hits(files, mirror.blob)
    # Cached by blob without the path: a file renamed unchanged (constants.js -> constants.ts) keeps its blob.
    # lib/ literals count for the name, not for a role: lib both reads attributes and renders classes.
    readers = [(p, s, client_phx_names) for p, s in sorted(client.items())]
    readers += [(p, s, lambda path, text: {"lib": lib_phx_names(path, text)})
                for p, s in sorted(files.items()) if p.startswith("lib/") and p.endswith(".ex")]
    roles: dict[str, dict[str, str]] = {"binding": {}, "class": {}, "lib": {}}
    for path, sha, reader in readers:
        key = ("client" if reader is client_phx_names else "lib", sha)
        if key not in cache:
            cache[key] = {role: {n: w.rsplit(":", 1)[1] for n, w in names.items()}
                          for role, names in reader("", mirror.blob(sha)).items()}
        for role, names in cache[key].items():
            for name, line in names.items():
                roles[role].setdefault(name, f"{path}:{line}")
    facts.phx = {**roles["lib"], **roles["class"], **roles["binding"]}
    facts.phx_roles = {"binding": roles["binding"], "class": roles["class"]}
    entry = next((p for p in ENTRY_FILES if p in files), None)
    if entry:
        facts.exports = package_exports(entry, mirror.blob(files[entry]))
    return facts


def evidence(tag: str, where: list[str]) -> str:
    return f"{tag}:{where[0]}" if where else ""


def collect(mirror: Mirror) -> tuple[list[str], dict[str, TagFacts]]:
    tags = mirror.tags()
    cache: dict = {}
    return tags, {tag: facts_at(mirror, tag, cache) for tag in tags}


def option_facts(tags: list[str], per_tag: dict[str, TagFacts], modules: Callable[[str], bool]) -> dict[str, dict]:
    """"Module.name" -> option -> fact, for options some tag documents. `since` also counts tags whose code
    already read the option (Keyword.get(opts, :name) and the like), since documentation often came later."""
    doc_tags: dict[tuple[str, str, str], list[str]] = {}
    for tag in tags:
        for key in per_tag[tag].options:
            doc_tags.setdefault(key, []).append(tag)
    out: dict[str, dict[str, dict]] = {}
    for (module, name, option), documented in sorted(doc_tags.items()):
        if not modules(module):
            continue
        code = [t for t in tags if option in per_tag[t].code_options.get((module, name), ())]
        info = first_fact(documented + code, tags)
        if info is None:
            continue
        newest = max(documented, key=tag_key)
        info["arities"] = per_tag[newest].arities[(module, name, option)]
        info["found_in"] = sorted(per_tag[newest].options[(module, name, option)] | ({"code"} if code else set()))
        documented_since = first_fact(documented, tags)
        if documented_since and documented_since["since"] != info["since"]:
            info["documented_since"] = documented_since["since"]
        out.setdefault(f"{module}.{name}", {})[option] = info
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def listed_phx_names(manifest: dict) -> list[str]:
    """The bindings and CSS classes the manifest lists (from the guides and the curated tables)."""
    classes = manifest["css_classes"]
    names = {b["name"] for b in manifest["bindings"] if " " not in b["name"]}
    names |= {c["class"] for c in classes["event_loading_classes"]} | set(classes["connection_classes"])
    names |= {c["name"] for group in ("other_classes", "removed_classes") for c in classes.get(group, [])}
    return sorted(names)


def dated_with_evidence(tags: list[str], per_tag: dict[str, TagFacts], select: Callable[[TagFacts], dict[str, str]],
                        names: Iterable[str]) -> dict[str, dict]:
    """name -> {since, first_tag[, removed_in], evidence: [first stable tag:path:line, newest tag:path:line]}."""
    out = {}
    for name in names:
        present = [t for t in tags if name in select(per_tag[t])]
        info = first_fact(present, tags)
        if info is None:
            continue
        first = min((t for t in present if is_stable(t)), key=tag_key)
        newest = max(present, key=tag_key)
        out[name] = {**info, "evidence": [f"{first}:{select(per_tag[first])[name]}",
                                          f"{newest}:{select(per_tag[newest])[name]}"]}
        gaps = absent_runs([t for t in tags if is_stable(t)], set(present))
        if gaps:
            out[name]["absent"] = gaps
    return out


def absent_runs(stable: list[str], present: set[str]) -> list[list[str]]:
    """[first stable release without it, first stable release with it again] for each gap after it appeared."""
    runs, start, seen = [], None, False
    for tag in stable:
        if tag in present:
            if start is not None:
                runs.append([start.lstrip("v"), tag.lstrip("v")])
            start, seen = None, True
        elif seen and start is None:
            start = tag
    return runs


def binding_history(tags: list[str], per_tag: dict[str, TagFacts], names: Iterable[str]) -> dict[str, dict]:
    """dated_with_evidence over every role, plus as_binding / as_class when a name the client set as a class became
    an attribute it reads in a later release (phx-connected: a class from 0.1.0, a binding from 0.18.0)."""
    out = dated_with_evidence(tags, per_tag, lambda f: f.phx, names)
    for name, info in out.items():
        roles = {role: first_fact([t for t in tags if name in per_tag[t].phx_roles.get(role, {})], tags)
                 for role in ("binding", "class")}
        if all(roles.values()) and tag_key("v" + roles["binding"]["since"]) > tag_key("v" + roles["class"]["since"]):
            info["as_binding"], info["as_class"] = roles["binding"], roles["class"]
    return out


def extract(tags: list[str], per_tag: dict[str, TagFacts], phx_names: Iterable[str] = ()) -> dict:
    def fact(present: Iterable[str]) -> dict | None:
        return first_fact(present, tags)

    function_options = option_facts(tags, per_tag, lambda module: module not in SEPARATE_MODULES)

    head_tags: dict[tuple[str, str, int], list[str]] = {}
    for tag in tags:
        for key in per_tag[tag].heads:
            head_tags.setdefault(key, []).append(tag)
    function_heads = {}
    for (module, name, arity), present in sorted(head_tags.items()):
        if fact(present) is None:
            continue
        newest = max(present, key=tag_key)
        function_heads[f"{module}.{name}/{arity}"] = per_tag[newest].heads[(module, name, arity)]

    function_history: dict[str, dict] = {}
    for (module, name, arity), present in sorted(head_tags.items()):
        info = fact(present)
        if info is None:
            continue
        entry = function_history.setdefault(f"{module}.{name}", {"present": [], "arities": {},
                                                                 "kind": per_tag[max(present, key=tag_key)]
                                                                 .kinds[(module, name)]})
        entry["present"] += present
        entry["arities"][str(arity)] = info
    for key, entry in function_history.items():
        function_history[key] = {"kind": entry["kind"], **fact(entry.pop("present")), "arities": entry["arities"]}
    deprecated_tags: dict[tuple[str, str, int], list[str]] = {}
    for tag in tags:
        for key in per_tag[tag].deprecated:
            deprecated_tags.setdefault(key, []).append(tag)
    deprecations = {}
    for (module, name, arity), present in sorted(deprecated_tags.items()):
        info = fact(present)
        if info is not None:
            newest = max(present, key=tag_key)
            deprecations[f"{module}.{name}/{arity}"] = {**info, "message": per_tag[newest].deprecated[(module, name, arity)]}
    module_tags: dict[str, list[str]] = {}
    for tag in tags:
        for module in per_tag[tag].modules:
            module_tags.setdefault(module, []).append(tag)
    module_history = {m: info for m, present in sorted(module_tags.items()) if (info := fact(present))}

    def grouped(select: Callable[[TagFacts], dict[str, set[str]]], group: str) -> dict[str, dict]:
        present: dict[str, list[str]] = {}
        for tag in tags:
            for item in select(per_tag[tag]).get(group, set()):
                present.setdefault(item, []).append(tag)
        out = {}
        for item, item_tags in sorted(present.items()):
            info = fact(item_tags)
            if info is not None:
                out[item] = info
        return out

    properties = {name for tag in tags for name in per_tag[tag].hook.get("properties", ())}
    hook_api = {
        "callbacks": grouped(lambda f: f.hook, "callbacks"),
        "members": {name: {"form": "property" if name in properties else "method", **info}
                    for name, info in grouped(lambda f: f.hook, "members").items()},
        "behaviours": {},
    }
    behaviour_text = {
        "pushEvent_returns_promise": "this.pushEvent(event, payload) without a reply callback returns a Promise "
                                     "of the server's reply (rejected on errors such as a disconnected view)",
        "pushEventTo_returns_promise": "this.pushEventTo(target, event, payload) without a reply callback returns a "
                                       "Promise (of Promise.allSettled results, one per target)",
    }
    for name, info in grouped(lambda f: f.hook, "behaviours").items():
        hook_api["behaviours"][name] = {"says": behaviour_text[name], **info}
    live_socket = {
        "options": grouped(lambda f: f.socket, "options"),
        "methods": grouped(lambda f: f.socket, "methods"),
    }
    assigns = {}
    for rule in ASSIGN_RULES:
        present = [t for t in tags if rule.name in per_tag[t].assigns]
        info = fact(present)
        if info is None:
            continue
        first = min((t for t in present if is_stable(t)), key=tag_key)
        newest = max(present, key=tag_key)
        assigns[rule.name] = {
            "role": rule.role, "where": rule.scope, **info,
            "evidence": [evidence(first, per_tag[first].assigns[rule.name]),
                         evidence(newest, per_tag[newest].assigns[rule.name])],
        }
    return {
        "function_options": function_options,
        "function_heads": function_heads,
        "function_history": function_history,
        "module_history": module_history,
        "deprecations": deprecations,
        "hook_api": hook_api,
        "live_socket": live_socket,
        "assigns": assigns,
        "binding_history": binding_history(tags, per_tag, phx_names),
        "js_exports": dated_with_evidence(tags, per_tag, lambda f: f.exports,
                                          sorted({n for t in tags for n in per_tag[t].exports})),
        "extraction": EXTRACTION_NOTES,
    }


EXTRACTION_NOTES = {
    "generator": "scripts/extract_liveview_api.py (reads the local git mirror at every tag; --check compares)",
    "keys": list(NEW_KEYS[:-1]),
    "since_semantics": "since = lowest stable release (semver order, all release lines) whose tag has the fact; "
                       "first_tag = lowest tag of any kind that has it (a pre-release counts toward the next stable); "
                       "removed_in = first stable release after the last stable release that has it, when the "
                       "newest tag lacks it",
    "function_options": "keyword options of documented public functions (modules without @moduledoc false), keyed "
                        "'Module.name'; an option is listed when some tag documents it; found_in says how (at the newest "
                        "tag that documents it): doc_options_list (a `:name` bullet under an Options heading or a "
                        "sentence naming options), doc_attributes_list (a bullet under an Attributes heading), "
                        "doc_example (a keyword argument in the doc's own call of the function, in the opts "
                        "position), attr (a component's attr declaration), code (the function, or what it delegates "
                        "or passes its opts to, reads it: Keyword.get(opts, :name), opts[:name], Keyword.validate!); "
                        "since counts documented tags and tags whose code reads it (documented_since is given when the "
                        "docs came later); arities = the arities whose argument list includes the keyword list; "
                        "Phoenix.LiveView.JS options stay in js_command_options",
    "function_heads": "the def head (parameters as written, defaults included) of each documented public function "
                      "arity, at the newest tag that has it",
    "function_history": "every documented public function (current or removed), with since/removed_in for the "
                        "function and for each arity, from the tags whose source documents that arity",
    "deprecations": "@deprecated attributes on any def (hidden modules included, since deprecated functions stay "
                    "callable), keyed 'Module.name/arity', with the message and the first release carrying it; "
                    "removed_in when the function (or its deprecation) is gone at the newest tag",
    "module_history": "Phoenix modules ExDoc would list (defmodule without @moduledoc false), with since/removed_in",
    "hook_api": "assets/js/phoenix_live_view/view_hook.{js,ts} (phoenix_live_view.js before 0.16): callbacks are the "
                "names the client triggers on a hook (__trigger__(\"name\") or an internal __name() calling "
                "this.name); members are the public methods and this.<name> fields of class ViewHook (not "
                "_-prefixed, private or @internal), form says method or property (a this.<name> field or getter); "
                "behaviours are read from a method's body",
    "live_socket": "assets/js/phoenix_live_view/live_socket.{js,ts} (phoenix_live_view.js before 0.16): options are "
                   "the opts.<name> the LiveSocket constructor reads (dom.<name>: the DOM callbacks the client "
                   "calls); methods are the class's methods above its '// private' marker, not @internal",
    "assigns": "assigns whose setting (role set) or special reading (role read) the lib/ source shows, each found by "
               "a pattern over the code that sets it; evidence = tag:path:line at the first stable and newest tag",
    "binding_history": "each phx- binding and CSS class listed under bindings and css_classes, dated by the tags whose "
                       "client code (comments blanked) names it through a PHX_ constant, binding(\"name\"), "
                       "bindClick(event, \"name\"), the keys of a bind({event: ...}) map (and their window- forms "
                       "when the client builds `window-${event}` bindings) or a quoted \"phx-...\" literal, or whose "
                       "lib/ code (doc heredocs and comments skipped) has the \"phx-...\" literal; evidence = "
                       "tag:path:line at the first stable and newest tag; absent = [first release without it, "
                       "first release with it again] for each gap after it first appeared; as_binding/as_class date "
                       "the two roles apart when a class name became a binding in a later release (a quoted "
                       "\"phx-...\" name or PHX_X = \"phx-x\" is a class it sets, the other forms attributes it "
                       "reads; lib/ literals count for the name only)",
    "js_exports": "the names the client package's entry file exports (assets/js/phoenix_live_view/index.{ts,js}, "
                  "assets/js/phoenix_live_view.js before it): export {...} and export type {...} lists and "
                  "export class/function/let/const/interface/type declarations",
}


# --- checking existing keys against the source ---------------------------------------------------------------------
def verify_existing(manifest: dict, mirror: Mirror, tags: list[str], per_tag: dict[str, TagFacts]) -> list[str]:
    """Disagreements between the committed manifest's carried-over keys and what the source says."""
    problems = []
    newest = per_tag[tags[-1]]
    listed = manifest["js_client"]
    hook_names = newest.hook["members"] | newest.hook["callbacks"]
    if set(listed["view_hook_public_members"]) != hook_names:
        problems.append(f"js_client.view_hook_public_members differs from the source: "
                        f"{sorted(set(listed['view_hook_public_members']) ^ hook_names)}")
    if set(listed["live_socket_public_methods"]) != newest.socket["methods"]:
        problems.append(f"js_client.live_socket_public_methods differs from the source: "
                        f"{sorted(set(listed['live_socket_public_methods']) ^ newest.socket['methods'])}")
    top_options = {o for o in newest.socket["options"] if "." not in o}
    if set(listed["live_socket_options"]) != top_options:
        problems.append(f"js_client.live_socket_options differs from the source: "
                        f"{sorted(set(listed['live_socket_options']) ^ top_options)}")
    for entry in manifest["entries"]:
        if entry["kind"] == "callback":
            continue
        wanted = {(entry["module"], entry["name"], arity) for arity in entry["arities"]}
        present = [t for t in tags if wanted & per_tag[t].heads.keys()]
        info = first_fact(present, tags)
        if info and info["since"] != entry["since"]:
            problems.append(f"entries {entry['module']}.{entry['name']}/{entry['arities']}: manifest since "
                            f"{entry['since']}, documented since {info['since']} (first tag {info['first_tag']})")
        current = {a for (m, n, a) in newest.heads if (m, n) == (entry["module"], entry["name"])}
        if current and current != set(entry["arities"]):
            problems.append(f"entries {entry['module']}.{entry['name']}: manifest arities {entry['arities']}, "
                            f"documented arities at {tags[-1]} {sorted(current)}")
    js = option_facts(tags, per_tag, lambda module: module == "Phoenix.LiveView.JS")
    for command, options in manifest["js_command_options"].items():
        for option, info in options.items():
            found = js.get(f"Phoenix.LiveView.JS.{command}", {}).get(option)
            if found is None:
                problems.append(f"js_command_options {command}.{option}: not documented at any tag")
            elif found["since"] != info["since"]:
                problems.append(f"js_command_options {command}.{option}: manifest since {info['since']}, source "
                                f"since {found['since']} ({', '.join(found['found_in'])})")
    for name, options in js.items():
        for option in options:
            if option not in manifest["js_command_options"].get(name.rsplit(".", 1)[-1], {}):
                info = options[option]
                problems.append(f"js_command_options lacks {name.rsplit('.', 1)[-1]}.{option}: documented from "
                                f"{info['since']}" + (f" until {info['removed_in']}" if "removed_in" in info else "")
                                + ("" if "code" in info["found_in"] else "; the code never reads it"))
    return problems


# --- the manifest file --------------------------------------------------------------------------------------------
def render(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def merged(committed: dict, extracted: dict) -> dict:
    """The committed manifest with the extracted keys replaced (or appended, in NEW_KEYS order)."""
    out = {k: v for k, v in committed.items() if k not in NEW_KEYS}
    out.update(extracted)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed manifest; exit 1 if stale")
    parser.add_argument("--verify", action="store_true", help="also check existing keys against the source")
    parser.add_argument("--mirror", default=os.environ.get("LIVEVIEW_SOURCE", DEFAULT_MIRROR))
    args = parser.parse_args(argv)
    if not Path(args.mirror).exists():
        print(f"extract_liveview_api: no LiveView mirror at {args.mirror} (set LIVEVIEW_SOURCE)", file=sys.stderr)
        return 2
    mirror = Mirror(args.mirror)
    committed_text = MANIFEST.read_text(encoding="utf-8")
    committed = json.loads(committed_text)
    tags, per_tag = collect(mirror)
    fresh = render(merged(committed, extract(tags, per_tag, listed_phx_names(committed))))
    status = 0
    if args.verify:
        for problem in verify_existing(committed, mirror, tags, per_tag):
            print(f"existing value: {problem}")
    if args.check:
        if fresh != committed_text:
            print("extract_liveview_api: references/liveview_api.json is stale; run scripts/extract_liveview_api.py",
                  file=sys.stderr)
            status = 1
    else:
        MANIFEST.write_text(fresh, encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
