"""The server's transports, hardened: stdio with a message size cap, and streamable HTTP that checks Host
and Origin whatever it binds to, refuses non-loopback binds unless asked, and bounds connections,
header and body time, and body size.

stdio: a line longer than the cap is answered with an error and dropped as it arrives (never buffered
whole); a line that is not JSON gets -32700, one that is not a request -32600 (with its id when it has a
usable one: JSON-RPC says the id of an invalid request is null only when it cannot be read); a lone
surrogate escape (`\\ud800`) becomes U+FFFD, as invalid UTF-8 bytes already do. End of input cancels
what is running (the review workers are killed) and ends the server.

HTTP (stateless, JSON responses): DNS rebinding is stopped by the Host and Origin checks: on a loopback
bind only loopback addresses and `localhost` with the server's port; on a remote bind (`--allow-remote`)
IP literals, `localhost` and names given with `--allowed-host` (a rebinding attack needs a DNS name).
GET (a server-sent event stream the stateless server never uses) gets 405. The body must arrive within
the header timeout, within the message cap; a batch gets -32600. A client that disconnects cancels its
request. Connections over the cap are closed at once, and a connection that does not send its request
headers in time is closed."""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import re
import socket
import sys
from dataclasses import dataclass, field

from .errors import InputError
from .limits import Limits

ID_RE = re.compile(rb'"id"\s*:\s*(-?[0-9]{1,15}(?![0-9.eE])|"(?:[^"\\]|\\.){0,200}")')
SURROGATE = re.compile("[\ud800-\udfff]")


# --- stdio ------------------------------------------------------------------------------------------------------
def _error(message_id, code: int, message: str):
    from mcp.shared.message import SessionMessage
    from mcp.types import ErrorData, JSONRPCError

    return SessionMessage(JSONRPCError(jsonrpc="2.0", id=message_id, error=ErrorData(code=code, message=message)))


def _usable_id(value) -> bool:
    return (isinstance(value, str) and len(value) <= 200) or (isinstance(value, int) and not isinstance(value, bool))


def _replace_surrogates(value):
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def parse_line(line: bytes) -> tuple[object, object]:
    """(the SessionMessage for a line of JSON-RPC, None), or (None, the error reply to send instead)."""
    import mcp.types as types
    from mcp.shared.message import SessionMessage

    text = line.decode("utf-8", errors="replace")
    try:
        message = types.jsonrpc_message_adapter.validate_json(text, by_name=False)
        if not isinstance(message, types.JSONRPCNotification) or '"id"' not in text:
            return SessionMessage(message), None
    except ValueError:
        pass
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, _error(None, -32700, "Parse error")
    if not isinstance(data, dict):
        return None, _error(None, -32600, "Invalid Request: send one JSON-RPC object per line (no batches)")
    if "id" in data and not _usable_id(data["id"]):  # a request whose id is an object or null cannot be answered
        return None, _error(None, -32600, "Invalid Request: id must be a string or an integer")
    try:
        return SessionMessage(types.jsonrpc_message_adapter.validate_python(_replace_surrogates(data), by_name=False)), None
    except (ValueError, RecursionError):
        return None, _error(data.get("id"), -32600, "Invalid Request: not a JSON-RPC 2.0 request, notification or response")


def _id_in(head: bytes):
    found = ID_RE.search(head)
    try:
        return json.loads(found.group(1)) if found else None
    except ValueError:
        return None


async def read_lines(stream, max_bytes: int):
    """Lines from a byte stream, each at most max_bytes; a longer line yields None for its first part
    (with the id found in it, if any) and the rest of it is skipped as it arrives."""
    buffer = bytearray()
    skipping = False
    while True:
        chunk = await stream.receive_some()
        if not chunk:
            return
        buffer.extend(chunk)
        while True:
            end = buffer.find(b"\n")
            if skipping:
                if end == -1:
                    buffer.clear()
                    break
                del buffer[: end + 1]
                skipping = False
                continue
            if end == -1:
                if len(buffer) > max_bytes:
                    yield (None, buffer[:4096])
                    buffer.clear()
                    skipping = True
                break
            line = bytes(buffer[:end])
            del buffer[: end + 1]
            if len(line) > max_bytes:
                yield (None, line[:4096])
            elif line.strip():
                yield (line, None)


class _StdinBytes:
    """stdin's bytes, read in a daemon thread so the event loop never blocks on it, and so a thread left waiting on
    a stdin the client keeps open does not keep the process alive after SIGTERM (interpreter shutdown waits for
    every other thread: anyio's worker threads held the server until the client closed stdin)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def receive_some(self) -> bytes:
        import threading

        import anyio
        from anyio.from_thread import run_sync
        from anyio.lowlevel import current_token

        done, box, token = anyio.Event(), [], current_token()

        def read() -> None:
            try:
                box.append(os.read(self.fd, 1 << 16))
            except OSError as exc:
                box.append(exc)
            try:
                run_sync(done.set, token=token)
            except RuntimeError:  # the event loop has ended meanwhile: nobody waits for these bytes
                pass

        threading.Thread(target=read, name="stdin-reader", daemon=True).start()
        await done.wait()
        if isinstance(box[0], OSError):
            raise box[0]
        return box[0]


async def serve_stdio(server, limits: Limits) -> None:
    import anyio
    from mcp.server.stdio import stdio_server
    from mcp.shared._context_streams import create_context_streams
    from mcp.shared.message import SessionMessage

    stdin_fd = os.dup(0)
    async with stdio_server(stdin=_NoInput()) as (_, write_stream):
        inbound, server_reads = create_context_streams[SessionMessage | Exception](0)

        async def relay() -> None:
            async with inbound:
                async for line, head in read_lines(_StdinBytes(stdin_fd), limits.message_bytes):
                    if line is None:
                        await write_stream.send(_error(_id_in(head), -32600, "Invalid Request: the message is over "
                                                       f"the {limits.message_bytes / 1_048_576:g} MB limit"))
                        continue
                    if nesting_depth(line) > MAX_DEPTH:
                        await write_stream.send(_error(_id_in(line[:4096]), -32600, "Invalid Request: lists or "
                                                       f"objects nested more than {MAX_DEPTH} levels deep"))
                        continue
                    if line.count(b",") >= MAX_VALUES and structural_commas(line) >= MAX_VALUES:
                        await write_stream.send(_error(_id_in(line[:4096]), -32600, "Invalid Request: more than "
                                                       f"{MAX_VALUES:,} values in one message"))
                        continue
                    if line.count(b",") >= MAX_ITEMS and widest_container(line) > MAX_ITEMS:
                        await write_stream.send(_error(_id_in(line[:4096]), -32600, "Invalid Request: a list or "
                                                       f"object of more than {MAX_ITEMS:,} items"))
                        continue
                    try:
                        message, reply = parse_line(line)
                    except Exception:  # one unreadable line is answered; the relay (and the server) go on
                        message, reply = None, _error(_id_in(line[:4096]), -32600, "Invalid Request: unreadable")
                    if reply is not None:
                        await write_stream.send(reply)
                    else:
                        await inbound.send(message)

        lowlevel = server._lowlevel_server  # the same object the SDK's own run_stdio_async drives
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(relay)
                await lowlevel.run(server_reads, write_stream, lowlevel.create_initialization_options())
                group.cancel_scope.cancel()
        finally:
            os.close(stdin_fd)


def client_gone(exc: BaseException) -> bool:
    """The error (or group of errors) is only broken pipes: the stdio client went away."""
    if isinstance(exc, BaseExceptionGroup):
        return all(client_gone(inner) for inner in exc.exceptions)
    return isinstance(exc, BrokenPipeError)


class _NoInput:
    """The SDK's own stdin reader gets nothing: lines are read by `read_lines` under the size cap."""

    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration


# --- HTTP -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bind:
    address: str
    port: int
    loopback: bool
    names: frozenset[str] = field(default_factory=frozenset)  # host names allowed besides IP literals

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}/mcp"


def resolve_bind(host: str, port: object, allow_remote: bool = False, names: tuple[str, ...] = ()) -> Bind:
    """The address to bind for --host (resolved: `127.1` is 127.0.0.1), refusing a non-loopback one
    unless allow_remote."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise InputError(f"--port must be a whole number from 1 to 65535, got {str(port)[:20]}")
    host = (host or "127.0.0.1").strip()
    if len(host) > 253:
        raise InputError("--host is too long to be a host name or address")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host {host[:80]!r} does not resolve to an address ({exc})") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    address = next((a for a in addresses if a.version == 4), addresses[0])
    loopback = all(a.is_loopback for a in addresses)
    if not loopback and not allow_remote:
        raise InputError(
            f"--host {host[:80]} is not a loopback address ({address}): anyone who can reach it could use the "
            "server. Add --allow-remote to serve to the network anyway")
    return Bind(str(address), port, loopback, frozenset(n.lower() for n in names))


def remote_warning(bind: Bind) -> str:
    return (f"liveview-skill: serving {bind.url} to the network with no authentication: anyone who can reach "
            f"port {bind.port} can call every tool (read-only: guidance, snippets, and reviews of code they send, "
            "which cost this machine's CPU and memory within the review limits). Host and Origin stay checked "
            "(IP addresses, localhost" + (", " + ", ".join(sorted(bind.names)) if bind.names else "") + ").")


def _split_host(value: str) -> tuple[str, int | None] | None:
    """(host, port) of a Host header or an Origin's authority; None when malformed."""
    match = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::([0-9]{1,5}))?", value)
    if match is None:
        return None
    return match.group(1).strip("[]").lower(), int(match.group(2)) if match.group(2) else None


def host_allowed(bind: Bind, value: str | None, any_port: bool = False) -> bool:
    """A Host header naming this server (its port), or an Origin's authority (any port): a loopback address
    or localhost on a loopback bind; an IP literal, localhost or an allowed name on a remote one."""
    parts = _split_host(value or "")
    if parts is None:
        return False
    host, port = parts
    if not any_port and (port or 80) != bind.port:
        return False
    if host == "localhost" or host in bind.names:
        return True
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return False
    return literal.is_loopback or not bind.loopback


def origin_allowed(bind: Bind, origin: str | None) -> bool:
    if origin is None:
        return True  # not a browser, or a same-origin request
    scheme, sep, authority = origin.partition("://")
    return sep == "://" and scheme.lower() == "http" and "/" not in authority and host_allowed(bind, authority, True)


def _plain(status: int, text: str, extra: list[tuple[bytes, bytes]] = (), content_type: bytes = b"text/plain"):
    async def respond(send) -> None:
        body = text.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type + b"; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *extra]})
        await send({"type": "http.response.body", "body": body})
    return respond


MAX_ITEMS = 1_000  # no MCP request needs a longer list or more keys (a client's roots are a handful, a tool takes
# at most 5 arguments); the SDK validates every item on the event loop, where 150,000 roots or 300,000 unknown
# argument keys held every other HTTP client for seconds


MAX_VALUES = 100_000  # items of all lists and objects of one message together: 4 levels of 1,000-item lists fit 4
# million values in 8 MB, and building and validating them held the event loop for seconds (audit 13 A13-31)


def structural_commas(body: bytes) -> int:
    """Commas outside strings: one less than the items of the message's lists and objects, counted in two linear
    passes without parsing (a 2 MB review_code argument full of commas is one string and counts none)."""
    return STRING.sub(b"", ESCAPE.sub(b"", body)).count(b",")


MAX_DEPTH = 100  # no MCP request nests deeper (tool arguments are flat; a schema or _meta a few levels); past a few
# hundred levels the recursive JSON readers (ours and the SDK's) overflow the stack: a 3.6 KB stdio line 500 deep
# raised RecursionError in the relay and ended the server
ESCAPE = re.compile(rb"\\.", re.S)
STRING = re.compile(rb'"[^"]*"')
NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
BRACKET_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def nesting_depth(body: bytes) -> int:
    """How deep the lists and objects of a JSON text nest, brackets inside strings not counted, in a few linear
    passes without parsing it (0 for a text with no more brackets than MAX_DEPTH: it cannot nest deeper)."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return 0
    from array import array
    from itertools import accumulate

    code = STRING.sub(b"", ESCAPE.sub(b"", body)).translate(None, NOT_BRACKET)  # escapes first: no quote is escaped
    return max(accumulate(array("b", code.translate(BRACKET_STEP))), default=0)


def widest_container(body: bytes) -> int:
    """The most items of any JSON list or object in a request body (0 when it is not JSON: the SDK answers)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return 0
    widest, stack = 0, [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            widest = max(widest, len(value))
            stack.extend(value)
        elif isinstance(value, dict):
            widest = max(widest, len(value))
            stack.extend(value.values())
    return widest


def guard(app, bind: Bind, limits: Limits):
    """ASGI middleware: Host/Origin, method, body time and size, batches, and cancel-on-disconnect."""
    import anyio

    in_flight = [0]  # bytes of request bodies being read or checked now, over every connection

    async def guarded(scope, receive, send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_allowed(bind, headers.get("host")):
            await _plain(421, "Invalid Host header")(send)
            return
        if not origin_allowed(bind, headers.get("origin")):
            await _plain(403, "Invalid Origin header")(send)
            return
        if scope["method"] != "POST":
            await _plain(405, "Method Not Allowed: this stateless server takes POST only", [(b"allow", b"POST")])(send)
            return
        body = bytearray()
        # Bodies being read count against one budget over every connection (audit 12 S2: 256 connections of 8 MB
        # bodies held 2 GB, kept by the allocator after they ended); past it a request is refused, not queued.
        try:
            with anyio.move_on_after(limits.http_header_timeout_s) as waited:
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    if in_flight[0] + len(chunk) > limits.http_body_bytes_in_flight:
                        await _plain(503, "Service Unavailable: too many large requests at once; retry shortly",
                                     [(b"retry-after", b"1")])(send)
                        return
                    in_flight[0] += len(chunk)
                    body.extend(chunk)
                    if len(body) > limits.message_bytes:
                        await _plain(413, "Request body too large")(send)
                        return
                    if not message.get("more_body"):
                        break
            if waited.cancelled_caught:
                await _plain(408, "Request Timeout: the body did not arrive in time")(send)
                return
            await _answer_checked(scope, receive, send, body)
        finally:
            in_flight[0] -= len(body)

    async def _answer_checked(scope, receive, send, body: bytearray) -> None:
        if (body.count(b"[") + body.count(b"{") > MAX_DEPTH
                and await anyio.to_thread.run_sync(nesting_depth, bytes(body)) > MAX_DEPTH):
            reply = json.dumps({"jsonrpc": "2.0", "id": _id_in(bytes(body[:4096])), "error": {
                "code": -32600, "message": f"Invalid Request: lists or objects nested more than {MAX_DEPTH} levels deep"}})
            await _plain(400, reply, content_type=b"application/json")(send)
            return
        if body.count(b",") >= MAX_VALUES and await anyio.to_thread.run_sync(structural_commas, bytes(body)) >= MAX_VALUES:
            reply = json.dumps({"jsonrpc": "2.0", "id": None, "error": {
                "code": -32600, "message": f"Invalid Request: more than {MAX_VALUES:,} values in one message"}})
            await _plain(400, reply, content_type=b"application/json")(send)
            return
        if body.count(b",") >= MAX_ITEMS and await anyio.to_thread.run_sync(widest_container, bytes(body)) > MAX_ITEMS:
            reply = json.dumps({"jsonrpc": "2.0", "id": None, "error": {
                "code": -32600, "message": f"Invalid Request: a list or object of more than {MAX_ITEMS:,} items"}})
            await _plain(400, reply, content_type=b"application/json")(send)
            return
        if body.lstrip()[:1] == b"[":
            reply = json.dumps({"jsonrpc": "2.0", "id": None, "error": {
                "code": -32600, "message": "Invalid Request: batches are not supported; send one request per POST"}})
            await _plain(400, reply, content_type=b"application/json")(send)
            return
        gone = anyio.Event()
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async with anyio.create_task_group() as group:
            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                gone.set()
                group.cancel_scope.cancel()  # the client left: cancel its request (and kill its review)

            group.start_soon(watch)
            await app(scope, replay, send)
            group.cancel_scope.cancel()

    return guarded


def protocol_class(limits: Limits):
    """uvicorn's h11 protocol with a connection cap and a deadline for each request's headers."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        deadline = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            if len(self.connections) > limits.http_connections:
                self.connections.discard(self)
                transport.abort()
                return
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self.deadline = self.loop.call_later(limits.http_header_timeout_s, self._too_slow)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _too_slow(self) -> None:
            self.deadline = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.our_state is not h11.MUST_CLOSE:
                self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return GuardedH11Protocol


def _raise_open_files_limit() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
        if soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass


def serve_http(server, bind: Bind, limits: Limits) -> None:
    import anyio
    import uvicorn
    from mcp.server.transport_security import TransportSecuritySettings

    if not bind.loopback:
        print(remote_warning(bind), file=sys.stderr)
    _raise_open_files_limit()
    # The guard checks Host and Origin for every bind (the SDK's own check knows only fixed host lists).
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    app = server.streamable_http_app(stateless_http=True, json_response=True, transport_security=security,
                                     max_request_body_size=limits.message_bytes, host=bind.address)
    config = uvicorn.Config(
        guard(app, bind, limits), host=bind.address, port=bind.port, log_level="warning",
        http=protocol_class(limits), limit_concurrency=limits.http_connections,
        timeout_keep_alive=max(1, int(limits.http_keepalive_s)), timeout_graceful_shutdown=5,
        backlog=64,  # also how many connections asyncio accepts at once, before any can be refused
    )

    async def serve() -> None:
        import asyncio

        asyncio.get_running_loop().set_exception_handler(_loop_error)
        await uvicorn.Server(config).serve()

    anyio.run(serve)


def _loop_error(loop, context: dict) -> None:
    """Event-loop errors, written without the logging stack: out of file descriptors, a logging handler
    that imports a module (rich does) fails again and took the server down. Accepting is retried."""
    exc = context.get("exception")
    if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
        return
    try:
        sys.stderr.write(f"liveview-skill: {context.get('message', 'event loop error')}: {exc!r}\n")
    except (OSError, ValueError):
        pass
