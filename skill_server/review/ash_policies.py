"""Which Ash actions of a project authorize by the acting user's relation to the record: every `policy
action(:sort_items)` block (also `action([:a, :b])`) of the project's resources that names the action says
`authorize_if expr(...)` with `^actor(...)` in it (`host.roles.user.id == ^actor(:id)`), and none of them lets
anyone through (`authorize_if always()`, `authorize_if actor_present()`). A handler that runs such an action with
`actor:` is checked by the policy: the missing_authorization rule reads this in project review.

Reading is bounded as in project_sources.py (regular files under the project root, no dependency or build
folders) and cached per process until a file changes."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import code_text
from .project_sources import MAX_FILE_BYTES, _project_files

POLICY = re.compile(r"\bpolicy\s{1,8}action\(\s{0,8}(\[[^\]\n]{0,400}\]|:\w{1,80})[^\n]{0,200}?\bdo\b")
BLOCK_END = re.compile(r"\n[ \t]{0,40}end\b")
ACTOR_RELATION = re.compile(r"\bauthorize_if\s{1,8}expr\([^\n]{0,400}\^actor\(")
ANYONE = re.compile(r"\bauthorize_if\s{1,8}(?:always|actor_present)\(\)")
# Characters of one policy block read; a block whose `end` is not within them counts as open, never as checked
# (audit 13 A13-18: a long `description` pushed `authorize_if actor_present()` out of a 3,000-character window).
BLOCK_WINDOW = 20_000


@lru_cache(maxsize=4)
def _read_policies(files: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    checked: set[str] = set()
    open_: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is None or "policy action" not in source:
            continue
        # Code only (audit 11 M3): a policy commented out or quoted in a doc string authorizes nothing.
        source = code_text(parse("elixir", source).root_node)
        for match in POLICY.finditer(source):
            names = re.findall(r":(\w{1,80})", match.group(1))
            end = BLOCK_END.search(source, match.end(), match.end() + BLOCK_WINDOW)
            block = source[match.end(): end.start()] if end else ""
            by_actor = ACTOR_RELATION.search(block) is not None and ANYONE.search(block) is None
            (checked if by_actor else open_).update(names)
    return frozenset(checked - open_)


def actor_checked_actions(root: str | None) -> frozenset[str]:
    """Names of the Ash actions every policy block of the project authorizes by the actor's relation to the record."""
    if not root:
        return frozenset()
    return _read_policies(_project_files(os.path.realpath(root), ".ex"))
