"""The MCP server's side of project awareness: which project a call answers for.

`serve --project DIR` fixes it for every call. Otherwise, when the client declares the roots capability,
the client's roots are listed (`roots/list`) and the first root holding a mix.exs is the project:
- on a handshake-era connection (up to 2025-11-25) by a request over the back-channel; the answer is kept
  for the connection and dropped on `notifications/roots/list_changed`, so the next call lists them again.
  A client that declares roots but fails to list them (an error, or no answer within ROOTS_TIMEOUT_S) gets
  answers without a project, not an error;
- a 2026-era request carries no connection state and no back-channel, so each call asks through the SDK's
  `ListRoots` resolver marker (an input-required round trip).

Over HTTP any local process can connect and name roots, so a root is used only inside the folders given
with `serve --roots-under DIR` (none by default): a client cannot point the server at someone else's
project and read its deps' docs or learn its path and versions."""

# No `from __future__ import annotations`: the SDK reads the resolvers' annotations at registration.

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer, Resolve
from mcp.server.mcpserver.resolve import ListRoots
from mcp.shared.exceptions import MCPError, NoBackChannelError
from mcp.types import ListRootsRequest, ListRootsResult, NotificationParams
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import ValidationError

from . import engine
from .project.locate import MAX_ROOTS, root_from_roots

STATE_KEY = "liveview-skill.project"
ROOTS_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ServerState:
    """The lifespan state of one server: the project given with --project, if any."""

    project: str | None = None
    roots_under: tuple[str, ...] | None = None  # folders client roots must lie in (HTTP); None: any (stdio)


def lifespan_for(project: str | None, roots_under: tuple[str, ...] | None = None):
    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[ServerState]:
        engine.preload_project(project)
        yield ServerState(project, roots_under)

    return lifespan


def _fixed_project(ctx: Context) -> str | None:
    state = ctx.request_context.lifespan_context
    return state.project if isinstance(state, ServerState) else None


def _connection_state(session: Any) -> dict | None:
    """The SDK's per-connection scratch dict (kept across a handshake-era connection's requests), or None."""
    state = getattr(getattr(session, "_connection", None), "state", None)
    return state if isinstance(state, dict) else None


def _declares_roots(ctx: Context) -> bool:
    capabilities = ctx.client_capabilities
    return capabilities is not None and capabilities.roots is not None


def _modern(ctx: Context) -> bool:
    return ctx.protocol_version in MODERN_PROTOCOL_VERSIONS


def _roots_under(ctx: Context) -> tuple[str, ...] | None:
    state = ctx.request_context.lifespan_context
    return state.roots_under if isinstance(state, ServerState) else None


async def _project_of(listing: ListRootsResult, ctx: Context) -> str | None:
    """The project among the roots, when it lies inside the allowed folders; the file-system look-ups run
    in a thread, off the event loop."""
    uris = [str(root.uri) for root in listing.roots[:MAX_ROOTS]]
    root = await anyio.to_thread.run_sync(root_from_roots, uris)
    allowed = _roots_under(ctx)
    if root is None or (allowed is not None and not any(root == Path(a) or Path(a) in root.parents for a in allowed)):
        return None
    return str(root)


def request_roots(ctx: Context) -> ListRoots | None:
    """2026 era: asks for the client's roots (an input-required round trip) when they decide the project."""
    if _fixed_project(ctx) is not None or not _declares_roots(ctx) or not _modern(ctx):
        return None
    return ListRoots()


async def call_project(
    ctx: Context, listing: Annotated[ListRootsResult | None, Resolve(request_roots)]
) -> str | None:
    """The project folder this call answers for, or None."""
    fixed = _fixed_project(ctx)
    if fixed is not None:
        return fixed
    if listing is not None:
        return await _project_of(listing, ctx)
    if _modern(ctx) or not _declares_roots(ctx):
        return None
    state = _connection_state(ctx.session)
    if state is not None and STATE_KEY in state:
        return state[STATE_KEY]
    try:
        with anyio.fail_after(ROOTS_TIMEOUT_S):
            project = await _project_of(await ctx.session.send_request(ListRootsRequest(), ListRootsResult), ctx)
    except (MCPError, NoBackChannelError, ValidationError, TimeoutError):
        project = None
    if state is not None:
        state[STATE_KEY] = project
    return project


def known_project(ctx: Context) -> str | None:
    """The project without asking the client (for resources): --project, or this connection's roots."""
    fixed = _fixed_project(ctx)
    if fixed is not None:
        return fixed
    state = _connection_state(ctx.session)
    return state.get(STATE_KEY) if state is not None else None


async def _roots_changed(ctx: Any, _params: NotificationParams) -> None:
    state = _connection_state(ctx.session)
    if state is not None:
        state.pop(STATE_KEY, None)


def listen_for_root_changes(server: MCPServer) -> None:
    server._lowlevel_server.add_notification_handler(  # the SDK's own notification registry
        "notifications/roots/list_changed", NotificationParams, _roots_changed)


ProjectArg = Annotated[str | None, Resolve(call_project)]
