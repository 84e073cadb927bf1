"""Which kinds of record every visitor may read: the router shows them on a page (`live "/books/:isbn",
BookLive.Show`, `get "/books/:id"`) outside any sign-in (no enclosing `pipe_through` plug nor live_session
`on_mount` that requires a user). Such a record is a public catalogue entry; loading it by a client's id reveals
nothing. Read from the project's router files (no code is run)."""

import os
import re
from functools import lru_cache
from pathlib import Path

from ..parsing import parse
from ..project.files import read_text
from .elixir_tree import call_arguments, call_parts, text
from .project_sources import MAX_FILE_BYTES, _project_files

# A plug or on_mount that requires a signed-in (or privileged) user.
SIGN_IN = re.compile(r"authenticat|require_\w{0,30}user|ensure_\w{0,30}user|require_login|logged_in|signed_in|"
                     r"admin|require_auth|ensure_auth|current_user_required", re.I)
ROUTE_VERBS = {"live", "get"}


def _guarded(node) -> bool:
    """A `scope`'s own `pipe_through` or a `live_session`'s `on_mount` requires a user."""
    module, name = call_parts(node)
    if module is not None:
        return False
    arguments = call_arguments(node)
    if name == "live_session":
        options = " ".join(text(a) for a in arguments[1:] if a.type == "keywords")[:2000]
        return bool(SIGN_IN.search(options.split("on_mount:", 1)[1] if "on_mount:" in options else ""))
    if name == "scope":
        block = next((c for c in node.children if c.type == "do_block"), None)
        return any(child.type == "call" and call_parts(child) == (None, "pipe_through")
                   and SIGN_IN.search(" ".join(text(a) for a in call_arguments(child)))
                   for child in (block.named_children if block is not None else ()))
    return False


def _public_paths(source: str) -> set[str]:
    """The paths (scope prefixes joined) of the router's `live`/`get` routes no sign-in guards."""
    found = set()
    stack = [(parse("elixir", source).root_node, "", False)]
    while stack:
        node, path, guarded = stack.pop()
        if node.type == "call":
            module, name = call_parts(node)
            arguments = call_arguments(node)
            guarded = guarded or _guarded(node)
            if module is None and name == "scope" and arguments and arguments[0].type == "string":
                path += text(arguments[0]).strip('"')[:300]
            elif module is None and name in ROUTE_VERBS and arguments and arguments[0].type == "string":
                if not guarded:
                    found.add((path.rstrip("/") + "/" + text(arguments[0]).strip('"').lstrip("/"))[:400])
                continue
        stack.extend((child, path, guarded) for child in node.named_children)
    return found


@lru_cache(maxsize=4)
def _read_public(files: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    paths: set[str] = set()
    for path, _, _ in files:
        source = read_text(Path(path), MAX_FILE_BYTES)
        if source is not None and "scope" in source:
            paths |= _public_paths(source)
    return frozenset(paths)


def publicly_shown(root: str | None, resource: str) -> bool:
    """Whether the router shows one `resource` record (`book`: `/books/:isbn`) to visitors who are not signed in."""
    if not root or not re.fullmatch(r"[a-z]\w{0,60}", resource):
        return False
    plural = resource[:-1] + "ies" if resource.endswith("y") else resource + ("es" if resource.endswith("s") else "s")
    show = re.compile(r"/(?:" + re.escape(plural) + "|" + re.escape(resource) + r")/:\w+/?$")
    return any(show.search(path) for path in _read_public(_project_files(os.path.realpath(root), "router.ex")))
