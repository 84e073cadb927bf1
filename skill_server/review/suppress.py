"""Suppression comments: `lvr:disable-next-line RULE[, RULE]` and `lvr:disable-file RULE` in the comment
syntax of each language (# for Elixir, <%!-- --%> for HEEx, // for JS, /* */ for CSS). Rules are named by
slug or code; no name means every rule. Suppressions that silence nothing are reported.

A directive counts only inside a real comment of the parsed file (an Elixir, JS or CSS comment node, or a
HEEx comment in a .heex file or a ~H sigil): the same text in a string, a heredoc, a @moduledoc, a URL or
HTML text is not one, so pasted text cannot switch the reviewer off."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

DIRECTIVE_RE = re.compile(
    r"(?:#|<%!--|//|/\*)\s*lvr:(disable-next-line|disable-file)\b([^\n]*?)(?:--%>|\*/|$)", re.M
)
MAX_DIRECTIVES = 500  # directive-like texts looked at; a file with more is not a file anyone suppresses by hand
COMMENT = "comment"


@dataclass
class Suppression:
    kind: str  # next-line | file
    line: int  # the line the directive is on
    rules: frozenset[str]  # slugs or codes; empty = all rules
    used: bool = field(default=False)
    silenced: int = 0  # findings it hid in this review

    def covers(self, slug: str, code: str, line: int) -> bool:
        if self.rules and slug not in self.rules and code not in self.rules:
            return False
        return self.kind == "file" or line == self.line + 1

    def row(self) -> list:
        return [self.kind, self.line, sorted(self.rules)]


def from_row(row: list) -> Suppression:
    return Suppression(row[0], int(row[1]), frozenset(row[2]))


def find_suppressions(source: str, in_comment: Callable[[int], bool]) -> list[Suppression]:
    """The directives of `source` whose comment marker starts at a byte offset `in_comment` accepts."""
    found, line, counted, offset = [], 1, 0, 0
    for n, match in enumerate(DIRECTIVE_RE.finditer(source)):
        if n == MAX_DIRECTIVES:
            break
        line += source.count("\n", counted, match.start())  # counted once, from the previous directive on
        offset += len(source[counted : match.start()].encode("utf-8", "surrogatepass"))
        counted = match.start()
        if not in_comment(offset):
            continue
        names = frozenset(n for n in re.split(r"[\s,]+", match.group(2).strip()) if n)
        found.append(Suppression("file" if match.group(1) == "disable-file" else "next-line", line, names))
    return found


def comment_checker(ctx) -> Callable[[int], bool]:
    """Whether a byte offset of the reviewed file (a ReviewContext) lies in a comment of its syntax tree,
    looking into the HEEx of ~H sigils."""

    from .template import read_template

    sigil_trees: dict[int, object] = {}  # ~H content start byte -> its HEEx root, parsed only for a directive in it

    def in_comment(offset: int) -> bool:
        node = ctx.root.descendant_for_byte_range(offset, offset)
        if _is_comment(node):
            return True
        if ctx.language != "elixir" or node is None or node.type != "quoted_content":
            return False
        sigil = node.parent
        name = next((c for c in sigil.children if c.type == "sigil_name"), None) if sigil is not None else None
        if sigil is None or sigil.type != "sigil" or name is None or name.text != b"H":
            return False
        if node.start_byte not in sigil_trees:
            sigil_trees[node.start_byte] = read_template(node.text.decode("utf-8", "replace")).root
        relative = offset - node.start_byte
        return _is_comment(sigil_trees[node.start_byte].descendant_for_byte_range(relative, relative))

    return in_comment


def _is_comment(node) -> bool:
    return node is not None and (node.type == COMMENT or (node.parent is not None and node.parent.type == COMMENT))
