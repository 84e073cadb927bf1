"""The stdio server facing a buggy client: malformed lines, wrong shapes, huge lines, a client that leaves
mid-call. Every bad line gets a JSON-RPC error or an isError result, and the server keeps serving."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVE = [str(Path(sys.executable).with_name("liveview-skill")), "serve"]
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw-test", "version": "0"}}}


class RawClient:
    def __init__(self) -> None:
        self.process = subprocess.Popen(SERVE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def send_json(self, message: dict) -> None:
        self.send(json.dumps(message))

    def read(self, timeout: float = 20) -> dict | None:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return json.loads(self.process.stdout.readline()) if ready else None

    def handshake(self) -> None:
        self.send_json(INIT)
        assert self.read()["id"] == 0
        self.send_json({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def close(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=20)


@pytest.fixture
def raw():
    client = RawClient()
    yield client
    if client.process.poll() is None:
        client.process.kill()


def _call(id_: int, name: str, arguments) -> dict:
    return {"jsonrpc": "2.0", "id": id_, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def test_malformed_lines_get_json_rpc_errors_and_serving_continues(raw):
    raw.send("this is not json {")
    assert raw.read() == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
    raw.handshake()
    for line in ("[1, 2, 3]", '{"hello": "world"}', '"just a string"', "42"):
        raw.send(line)
        reply = raw.read()
        assert reply["id"] is None and reply["error"]["code"] == -32600, line
    raw.send_json({"jsonrpc": "2.0", "id": 7, "method": "no/such/method"})
    assert raw.read()["error"]["code"] == -32601
    raw.send_json({"jsonrpc": "2.0", "id": 8, "method": "tools/call"})
    assert raw.read()["error"]["code"] == -32602
    raw.send_json(_call(9, "search_guidance", {"query": ["not", "a", "string"]}))
    reply = raw.read()
    assert reply["id"] == 9 and reply["result"]["isError"] is True
    raw.send_json(_call(10, "definitely_not_a_tool", {}))
    assert raw.read()["result"]["isError"] is True
    raw.send_json({"jsonrpc": "2.0", "id": 11, "method": "tools/list"})
    assert len(raw.read()["result"]["tools"]) == 6
    assert raw.close() == 0


def test_a_huge_line_is_refused_and_serving_continues(raw):
    raw.handshake()
    raw.send_json(_call(1, "search_guidance", {"query": "q" * 5_000_000}))
    reply = raw.read(timeout=60)
    assert reply["result"]["isError"] is True and "limit" in reply["result"]["content"][0]["text"]
    raw.send_json(_call(2, "review_code", {"code": "x = 1\n" * 600_000, "filename": "big.ex"}))
    reply = raw.read(timeout=60)
    assert reply["result"]["isError"] is True and "MB" in reply["result"]["content"][0]["text"]
    raw.send_json({"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
    assert raw.read()["id"] == 3


def test_a_client_that_leaves_mid_call_leaves_nothing_running(raw):
    raw.handshake()
    module = "defmodule A do\n" + "  def f(x), do: x\n" * 40_000 + "end\n"
    raw.send_json(_call(1, "review_code", {"code": module, "filename": "a.ex"}))
    time.sleep(0.2)
    started = time.monotonic()
    raw.process.stdin.close()
    raw.process.wait(timeout=30)
    assert time.monotonic() - started < 30
    assert raw.process.returncode is not None
