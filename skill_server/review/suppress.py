"""Suppression comments: `lvr:disable-next-line RULE[, RULE]` and `lvr:disable-file RULE` in the comment
syntax of each language (# for Elixir, <%!-- --%> for HEEx, // for JS, /* */ for CSS). Rules are named by
slug or code; no name means every rule. Suppressions that silence nothing are reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DIRECTIVE_RE = re.compile(
    r"(?:#|<%!--|//|/\*)\s*lvr:(disable-next-line|disable-file)\b([^\n]*?)(?:--%>|\*/|$)", re.M
)


@dataclass
class Suppression:
    kind: str  # next-line | file
    line: int  # the line the directive is on
    rules: frozenset[str]  # slugs or codes; empty = all rules
    used: bool = field(default=False)

    def covers(self, slug: str, code: str, line: int) -> bool:
        if self.rules and slug not in self.rules and code not in self.rules:
            return False
        return self.kind == "file" or line == self.line + 1


def find_suppressions(source: str) -> list[Suppression]:
    found, line, counted = [], 1, 0
    for match in DIRECTIVE_RE.finditer(source):
        line += source.count("\n", counted, match.start())  # counted once, from the previous directive on
        counted = match.start()
        names = frozenset(n for n in re.split(r"[\s,]+", match.group(2).strip()) if n)
        found.append(Suppression("file" if match.group(1) == "disable-file" else "next-line", line, names))
    return found
