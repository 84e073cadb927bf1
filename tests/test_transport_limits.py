"""The real server, over stdio and HTTP, facing heavy and hostile clients: reviews run in worker processes
that are killed when the client cancels, leaves or aborts, and never stop other requests from being
answered; message, connection, header and body limits; Host and Origin checks whatever the bind address.
Small limits come from the environment, so each class is exercised in seconds."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processes import alive, review_workers, wait_for

from skill_server.errors import InputError
from skill_server.transport import Bind, host_allowed, origin_allowed, resolve_bind

SERVE = [str(Path(sys.executable).with_name("liveview-skill")), "serve"]
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "limits-test", "version": "0"}}}
HEAVY = "(" * 2_000_000  # seconds of parsing and walking: a review that is still running a second later


def _call(id_, name, arguments) -> dict:
    return {"jsonrpc": "2.0", "id": id_, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def _env(**limits) -> dict:
    # HEAVY stays heavy: past the shape limits and the parse budget, so the review time limit is what stops it
    env = dict(os.environ, LIVEVIEW_SKILL_REVIEW_MAX_NODES="100000000", LIVEVIEW_SKILL_REVIEW_PARSE_S="600")
    env.update({f"LIVEVIEW_SKILL_{k.upper()}": str(v) for k, v in limits.items()})
    return env


class Stdio:
    def __init__(self, **limits) -> None:
        self.process = subprocess.Popen(SERVE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=_env(**limits))
        self.buffer = b""

    def send(self, message: dict | bytes) -> None:
        data = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.process.stdin.write(data + b"\n")
        self.process.stdin.flush()

    def read(self, timeout: float = 30) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def replies(self, ids: set, timeout: float = 60) -> list[dict]:
        """Replies in arrival order until every id in `ids` was answered."""
        got = []
        deadline = time.monotonic() + timeout
        while ids - {r.get("id") for r in got}:
            reply = self.read(max(0.1, deadline - time.monotonic()))
            assert reply is not None, f"no reply for {ids - {r.get('id') for r in got}}"
            got.append(reply)
        return got

    def handshake(self) -> None:
        self.send(INIT)
        assert self.read()["id"] == 0
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})


@pytest.fixture
def stdio():
    clients = []

    def start(**limits) -> Stdio:
        client = Stdio(**limits)
        clients.append(client)
        client.handshake()
        return client

    yield start
    for client in clients:
        if client.process.poll() is None:
            client.process.kill()
        client.process.wait()


# --- stdio ------------------------------------------------------------------------------------------------------
def test_stdio_other_requests_are_answered_while_a_review_runs(stdio):
    client = stdio(review_timeout_s=4)
    client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    time.sleep(0.5)
    client.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
    client.send(_call(3, "search_guidance", {"query": "loading state", "limit": 1}))
    order = [r["id"] for r in client.replies({1, 2, 3}, timeout=120)]
    assert order.index(2) < order.index(1) and order.index(3) < order.index(1)


def test_stdio_a_flood_of_reviews_is_refused_at_once_and_other_tools_answer(stdio):
    client = stdio(review_timeout_s=20, review_workers=1, waiting_reviews=1)
    for id_ in (1, 2):  # one runs, one waits: every place review_workers + waiting_reviews give
        client.send(_call(id_, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    time.sleep(0.5)
    client.send(_call(3, "review_code", {"code": "x = 1", "filename": "a.ex"}))
    client.send(_call(4, "search_guidance", {"query": "loading state", "limit": 1}))
    replies = client.replies({3, 4}, timeout=60)
    assert {r["id"] for r in replies} == {3, 4}  # before either review is done
    refused = next(r for r in replies if r["id"] == 3)["result"]
    assert refused["isError"] and "already running or waiting for one of 1 review workers; try again" in \
        refused["content"][0]["text"]
    assert not next(r for r in replies if r["id"] == 4)["result"]["isError"]


def test_stdio_no_review_waits_for_a_worker_past_the_wait_limit(stdio):
    client = stdio(review_timeout_s=20, review_workers=1, waiting_reviews=4, review_wait_s=1)
    client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    time.sleep(0.5)
    client.send(_call(2, "review_code", {"code": "x = 1", "filename": "a.ex"}))
    reply = client.read(timeout=60)
    assert reply["id"] == 2 and reply["result"]["isError"]
    assert "stayed busy for 1 s; try again" in reply["result"]["content"][0]["text"]


def test_stdio_a_review_over_its_time_limit_is_cut_short_and_says_what_did_not_run(stdio):
    client = stdio(review_timeout_s=1)
    client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    result = client.read(timeout=60)["result"]
    review = result["structuredContent"]
    assert result["isError"] is False and review["complete"] is False and review["rules_not_run"]
    assert any("time limit" in note for note in review["notes"])
    client.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
    assert client.read()["id"] == 2


def test_stdio_cancelled_review_kills_its_worker(stdio):
    client = stdio(review_timeout_s=120)
    client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    assert wait_for(lambda: review_workers(client.process.pid))
    workers = review_workers(client.process.pid)
    time.sleep(0.5)
    client.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}})
    assert wait_for(lambda: not (workers & review_workers(client.process.pid)), timeout=10)
    client.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
    assert client.read()["id"] == 2  # the cancelled request gets no reply; the server goes on


def test_stdio_client_that_leaves_mid_review_leaves_nothing_running(stdio):
    client = stdio(review_timeout_s=120)
    client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
    assert wait_for(lambda: review_workers(client.process.pid))
    workers = review_workers(client.process.pid)
    client.process.stdin.close()
    client.process.wait(timeout=15)
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


@pytest.mark.parametrize("busy", [False, True])
def test_stdio_one_sigterm_stops_the_server_while_the_client_keeps_stdin_open(stdio, busy):
    import signal

    client = stdio(review_timeout_s=120)
    if busy:
        client.send(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"}))
        assert wait_for(lambda: review_workers(client.process.pid))
    workers = review_workers(client.process.pid)
    client.process.send_signal(signal.SIGTERM)
    assert client.process.wait(timeout=30) == 143  # stdin still open: nothing waits on it
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


def test_stdio_a_message_over_the_cap_is_answered_and_dropped(stdio):
    client = stdio(message_bytes=100_000)
    client.send(json.dumps(_call(7, "review_code", {"code": "x = 1\n" * 500_000, "filename": "a.ex"})).encode())
    reply = client.read()
    assert reply["id"] == 7 and reply["error"]["code"] == -32600 and "limit" in reply["error"]["message"]
    client.send({"jsonrpc": "2.0", "id": 8, "method": "ping"})
    assert client.read()["id"] == 8


def test_stdio_a_message_with_a_huge_list_or_object_is_answered_and_dropped(stdio):
    client = stdio()
    keys = {f"k{n}": n for n in range(5_000)}
    client.send(json.dumps(_call(7, "search_guidance", {"query": "loading", **keys})).encode())
    reply = client.read()
    assert reply["id"] == 7 and "more than 1,000 items" in reply["error"]["message"]
    client.send({"jsonrpc": "2.0", "id": 8, "method": "ping"})
    assert client.read()["id"] == 8


def _many_values() -> list:
    """Lists of at most 1,000 items each, 150,000 values in all (audit 13 A13-31: the total was not bounded)."""
    return [[n for n in range(1_000)] for _ in range(150)]


def test_stdio_a_message_of_too_many_values_in_all_is_answered_and_dropped(stdio):
    client = stdio()
    client.send(json.dumps(_call(9, "search_guidance", {"query": "loading", "x": _many_values()})).encode())
    reply = client.read()
    assert reply["id"] == 9 and "more than 100,000 values" in reply["error"]["message"]
    client.send({"jsonrpc": "2.0", "id": 11, "method": "ping"})
    assert client.read()["id"] == 11


def _nested(depth: int):
    value = 0
    for _ in range(depth):
        value = {"a": value}
    return value


def _deep_call(id_: int, depth: int) -> bytes:
    """A search_guidance call with an extra argument nested `depth` objects deep (written out: json.dumps recurses)."""
    return json.dumps(_call(id_, "search_guidance", {"query": "loading", "x": 0})).encode().replace(
        b'"x": 0', b'"x": ' + b'{"a": ' * depth + b"0" + b"}" * depth)


def test_stdio_a_deeply_nested_message_is_answered_and_serving_continues(stdio):
    # 500 levels (3.6 KB) once overflowed the recursive JSON readers and ended the server (audit 12 S1)
    client = stdio()
    for id_, depth in ((7, 500), (8, 5_000)):
        client.send(_deep_call(id_, depth))
        reply = client.read()
        assert reply["id"] == id_ and reply["error"]["code"] == -32600 and "nested" in reply["error"]["message"]
    client.send(b'{"jsonrpc":"2.0","method":"ping","params":' + b"[" * 3_000 + b"]" * 3_000 + b"}")
    reply = client.read()
    assert reply["id"] is None and reply["error"]["code"] == -32600
    client.send(_call(9, "search_guidance", {"query": "loading", "x": _nested(20)}))
    assert client.read()["id"] == 9
    client.send({"jsonrpc": "2.0", "id": 10, "method": "ping"})
    assert client.read()["id"] == 10
    assert client.process.poll() is None


def test_nesting_depth_counts_brackets_outside_strings_only():
    from skill_server.transport import MAX_DEPTH, nesting_depth

    deep = json.dumps(_nested(MAX_DEPTH + 1)).encode()
    assert nesting_depth(deep) == MAX_DEPTH + 1
    assert nesting_depth(json.dumps({"q": "[" * 5_000, "r": '\\"{{{' * 500}).encode()) <= 1
    assert nesting_depth(json.dumps([[[1]]] * 500).encode()) == 3
    assert nesting_depth(b'{"q": "\\"' + b"[" * 500) == 501  # brackets after a string that ends in a backslash


def test_stdio_bad_ids_and_lone_surrogates_get_answers(stdio):
    client = stdio()
    client.send(b'{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_guidance",'
                b'"arguments":{"query":"loading \\ud800 state"}}}')
    reply = client.read()
    assert reply["id"] == 7 and "result" in reply
    client.send(b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}')
    reply = client.read()
    assert reply["id"] is None and reply["error"]["code"] == -32600
    client.send(b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]')
    assert client.read()["error"]["code"] == -32600
    client.send({"jsonrpc": "2.0", "id": 9, "method": "ping"})
    assert client.read()["id"] == 9


# --- HTTP -------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http():
    servers = []

    def start(host: str = "127.0.0.1", open_files: int | None = None, **limits):
        port = _free_port()

        def cap_open_files() -> None:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        process = subprocess.Popen([*SERVE, "--transport", "http", "--host", host, "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(**limits),
                                   preexec_fn=cap_open_files if open_files else None)
        servers.append(process)
        assert wait_for(lambda: _connects(port) or process.poll() is not None, timeout=30)
        assert process.poll() is None, process.stderr.read().decode()
        return process, port

    yield start
    for process in servers:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _answers_ping(port: int) -> bool:
    """The server answers a ping with 200 now. A connection it resets or refuses while it sheds the connections
    over its cap (by design) is a "not yet", for wait_for to try again, not an error of the test."""
    try:
        return post(port, PING, timeout=5)[0] == 200
    except OSError:
        return False


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def post(port: int, body: dict | bytes, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    head = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream", "Content-Length": str(len(data)), **(headers or {})}
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"POST /mcp HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode()
                     + b"Connection: close\r\n\r\n" + data)
        return _response(sock)


def _response(sock) -> tuple[int, bytes]:
    raw = b""
    while chunk := sock.recv(65536):
        raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def test_http_host_and_origin_are_checked_for_a_loopback_spelling(http):
    _, port = http(host="127.1")
    assert post(port, PING)[0] == 200
    assert post(port, PING, {"Host": "attacker.example"})[0] == 421
    assert post(port, PING, {"Host": f"attacker.example:{port}"})[0] == 421
    assert post(port, PING, {"Host": f"localhost:{port}"})[0] == 200
    assert post(port, PING, {"Host": "127.0.0.1:1"})[0] == 421
    assert post(port, PING, {"Origin": "http://attacker.example"})[0] == 403
    assert post(port, PING, {"Origin": "null"})[0] == 403
    assert post(port, PING, {"Origin": "http://localhost:5173"})[0] == 200


def test_http_get_streams_and_batches_are_refused(http):
    _, port = http()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
                     "Connection: close\r\n\r\n".encode())
        assert _response(sock)[0] == 405
    status, body = post(port, b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]')
    assert status == 400 and json.loads(body)["error"]["code"] == -32600


def test_http_a_request_with_a_huge_list_or_object_is_refused_before_the_sdk_reads_it(http):
    _, port = http()
    roots = [{"uri": f"file:///tmp/r{n}", "name": str(n)} for n in range(5_000)]
    status, body = post(port, {**PING, "params": {"_meta": {"roots": roots}}})
    assert status == 400 and "more than 1,000 items" in json.loads(body)["error"]["message"]
    assert post(port, {**PING, "params": {"_meta": {"roots": roots[:50]}}})[0] == 200
    keys = {f"k{n}": n for n in range(5_000)}
    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "search_guidance", "arguments": {"query": "loading", **keys}}}
    status, body = post(port, call)
    assert status == 400 and "more than 1,000 items" in json.loads(body)["error"]["message"]
    assert post(port, PING)[0] == 200


def test_http_a_request_of_too_many_values_in_all_is_refused(http):
    _, port = http()
    call = {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
            "params": {"name": "search_guidance", "arguments": {"query": "loading", "x": _many_values()}}}
    status, body = post(port, call)
    assert status == 400 and "more than 100,000 values" in json.loads(body)["error"]["message"]
    assert post(port, PING)[0] == 200


def test_commas_inside_strings_are_not_values():
    from skill_server.transport import structural_commas

    assert structural_commas(json.dumps({"code": "a, b, " * 1000, "x": [1, 2, 3]}).encode()) == 3


def test_http_a_deeply_nested_request_is_refused_and_serving_continues(http):
    _, port = http()
    for depth in (500, 5_000):
        status, body = post(port, _deep_call(2, depth))
        assert status == 400 and json.loads(body)["error"]["code"] == -32600 and "nested" in json.loads(body)["error"]["message"]
    assert post(port, _call(3, "search_guidance", {"query": "loading", "x": _nested(20)}))[0] == 200
    assert post(port, PING)[0] == 200


def test_http_slow_headers_slow_bodies_and_too_many_connections(http):
    _, port = http(http_header_timeout_s=1, http_connections=8)
    slow_headers = socket.create_connection(("127.0.0.1", port), timeout=10)
    slow_headers.sendall(f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
    slow_body = socket.create_connection(("127.0.0.1", port), timeout=10)
    slow_body.sendall(f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                      "Content-Length: 1000\r\n\r\n{".encode())
    assert slow_headers.recv(100) == b""  # closed by the server after the header timeout
    assert _response(slow_body)[0] == 408
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(8)]
    extra = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        assert extra.recv(100) == b""  # over the cap: closed at once
    except ConnectionResetError:
        pass
    for sock in idle:
        sock.close()
    assert wait_for(lambda: _answers_ping(port), timeout=10)


def test_http_more_connections_than_file_descriptors_do_not_take_it_down(http):
    process, port = http(open_files=96, http_connections=32)
    sockets = []
    for _ in range(150):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    time.sleep(1)
    assert process.poll() is None
    for sock in sockets:
        sock.close()
    assert wait_for(lambda: _answers_ping(port), timeout=15)


def test_stdio_client_that_closes_both_ends_gets_a_quiet_exit():
    process = subprocess.Popen(SERVE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=_env(review_timeout_s=60))
    process.stdin.write(json.dumps(INIT).encode() + b"\n" + json.dumps(_call(1, "review_code", {
        "code": HEAVY, "filename": "a.ex"})).encode() + b"\n")
    process.stdin.flush()
    time.sleep(1.5)
    process.stdin.close()
    process.stdout.close()
    assert process.wait(timeout=20) == 0
    assert b"Traceback" not in process.stderr.read()


def test_http_aborted_review_kills_its_worker_and_others_are_served_meanwhile(http):
    process, port = http(review_timeout_s=120)
    call = json.dumps(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"})).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                 f"Accept: application/json, text/event-stream\r\nContent-Length: {len(call)}\r\n\r\n".encode() + call)
    assert wait_for(lambda: review_workers(process.pid))
    workers = review_workers(process.pid)
    started = time.monotonic()
    assert post(port, PING, timeout=20)[0] == 200  # answered while the review runs
    assert time.monotonic() - started < 10
    sock.close()
    assert wait_for(lambda: not (workers & review_workers(process.pid)), timeout=15)


def test_http_a_flood_of_reviews_is_refused_at_once_and_other_tools_answer(http):
    process, port = http(review_timeout_s=20, review_workers=1, waiting_reviews=1)
    call = json.dumps(_call(1, "review_code", {"code": HEAVY, "filename": "a.ex"})).encode()
    flood = []
    for _ in range(2):  # one runs, one waits
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        sock.sendall(f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                     f"Accept: application/json, text/event-stream\r\nContent-Length: {len(call)}\r\n\r\n".encode()
                     + call)
        flood.append(sock)
    assert wait_for(lambda: review_workers(process.pid))
    time.sleep(0.5)
    status, body = post(port, _call(2, "review_code", {"code": "x = 1", "filename": "a.ex"}), timeout=30)
    assert status == 200 and b"already running or waiting for one of 1 review workers; try again" in body
    status, body = post(port, _call(3, "search_guidance", {"query": "loading state", "limit": 1}), timeout=30)
    assert status == 200 and b'"isError":false' in body.replace(b" ", b"")
    workers = review_workers(process.pid)
    for sock in flood:
        sock.close()  # the flooding client leaves: its reviews are dropped and their workers killed
    assert wait_for(lambda: not (workers & review_workers(process.pid)), timeout=20)


def test_http_binds_resolve_and_remote_needs_allow_remote():
    assert resolve_bind("127.1", 8765).address == "127.0.0.1"
    assert resolve_bind("", 8765).loopback
    with pytest.raises(InputError, match="--allow-remote"):
        resolve_bind("0.0.0.0", 8765)
    assert not resolve_bind("0.0.0.0", 8765, allow_remote=True).loopback
    for port in (0, 65536, -1, "80", True):
        with pytest.raises(InputError, match="--port"):
            resolve_bind("127.0.0.1", port)


def test_http_host_policy_of_a_remote_bind_allows_addresses_not_names():
    remote = Bind("0.0.0.0", 8765, loopback=False, names=frozenset({"box.lan"}))
    assert host_allowed(remote, "192.168.1.20:8765") and host_allowed(remote, "[fe80::1]:8765")
    assert host_allowed(remote, "box.lan:8765") and host_allowed(remote, "localhost:8765")
    assert not host_allowed(remote, "attacker.example:8765") and not host_allowed(remote, "192.168.1.20:80")
    loopback = Bind("127.0.0.1", 80, loopback=True)
    assert host_allowed(loopback, "127.0.0.1") and not host_allowed(loopback, "192.168.1.20")
    assert origin_allowed(loopback, None) and not origin_allowed(loopback, "https://127.0.0.1")
    assert not origin_allowed(remote, "http://attacker.example:8765")


def test_cli_serve_refuses_a_remote_bind_and_a_bad_port():
    done = subprocess.run([*SERVE, "--transport", "http", "--host", "0.0.0.0", "--port", "18799"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--allow-remote" in done.stderr
    done = subprocess.run([*SERVE, "--transport", "http", "--port", "99999"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "65535" in done.stderr and "Traceback" not in done.stderr


def test_http_bodies_in_flight_share_one_budget_and_a_request_past_it_is_refused():
    """audit 12 S2: each of 256 connections could hold an 8 MB body at once."""
    import anyio

    from skill_server.limits import Limits
    from skill_server.transport import guard

    limits = Limits().with_values(message_bytes=1_000, http_body_bytes_in_flight=1_500)
    answered: list[int] = []

    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    guarded = guard(app, Bind("127.0.0.1", 80, loopback=True), limits)
    scope = {"type": "http", "method": "POST", "headers": [(b"host", b"127.0.0.1")]}

    async def request(chunks: list[bytes], release: anyio.Event | None) -> int:
        status = []
        queue = list(chunks)

        async def receive():
            if queue:
                chunk = queue.pop(0)
                return {"type": "http.request", "body": chunk, "more_body": bool(queue) or release is not None}
            if release is not None:
                await release.wait()
                return {"type": "http.request", "body": b"", "more_body": False}
            await anyio.sleep_forever()

        async def send(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await guarded(scope, receive, send)
        return status[0]

    async def main():
        release = anyio.Event()
        async with anyio.create_task_group() as group:
            async def slow():
                answered.append(await request([b" " * 900], release))
            group.start_soon(slow)
            await anyio.sleep(0.05)
            answered.append(await request([b" " * 900], None))  # 900 + 900 > 1,500: refused
            release.set()
        answered.append(await request([b"{" + b" " * 800 + b"}"], None))  # the budget is free again

    anyio.run(main)
    assert answered == [503, 200, 200]
