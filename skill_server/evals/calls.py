"""How the harness reaches the tools: in-process through the engine, or through a real MCP client over
stdio against `liveview-skill serve` (the path an assistant takes). Both return the tool's JSON object, or
{"error": message} for a tool error."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path

from .. import engine
from ..errors import InputError

ENGINE_TOOLS = {
    "search_guidance": lambda a: engine.search_guidance(a["query"], a.get("limit", 5), a.get("liveview_version")),
    "recommend_patterns": lambda a: engine.recommend_patterns(a["scenario"], a.get("liveview_version"), a.get("limit", 3)),
    "generate_snippet": lambda a: engine.generate_snippet(a["pattern"], a.get("params", {}), a.get("liveview_version")),
    "review_code": lambda a: engine.review_code(a["code"], a.get("filename"), a.get("liveview_version"), a.get("strict", False)),
    "clarify_request": lambda a: engine.clarify_request(a["request"]),
    "lookup_api": lambda a: engine.lookup_api(a["names"], a.get("liveview_version")),
}


async def call_inprocess(tool: str, arguments: dict) -> dict:
    try:
        return ENGINE_TOOLS[tool](arguments).model_dump(mode="json")
    except InputError as exc:
        return {"error": str(exc)}


def serve_command() -> list[str]:
    script = Path(sys.executable).with_name("liveview-skill")
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m", "skill_server.cli", "serve"]


@asynccontextmanager
async def stdio_caller():
    from mcp import Client, StdioServerParameters

    command = serve_command()
    async with Client(StdioServerParameters(command=command[0], args=command[1:])) as client:
        async def call(tool: str, arguments: dict) -> dict:
            result = await client.call_tool(tool, arguments)
            if result.is_error:
                return {"error": "".join(getattr(b, "text", "") for b in result.content)}
            return result.structured_content or json.loads(result.content[0].text)

        yield call


ECHO_SERVER = """
from mcp.server.mcpserver import MCPServer
server = MCPServer(name="echo")

@server.tool()
def echo(text: str) -> str:
    return text

server.run("stdio")
"""


WARM_CALLS = 40


async def _first_call_seconds(command: list[str], tool: str, arguments: dict) -> tuple[float, float]:
    """(seconds from spawn to the first answered call, median ms of the warm calls after it)."""
    from mcp import Client, StdioServerParameters

    started = time.perf_counter()
    async with Client(StdioServerParameters(command=command[0], args=command[1:])) as client:
        await client.call_tool(tool, arguments)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(WARM_CALLS):
            t = time.perf_counter()
            await client.call_tool(tool, arguments)
            warm.append((time.perf_counter() - t) * 1000)
    warm.sort()
    return cold, warm[len(warm) // 2]


async def startup_figures(runs: int = 3) -> dict[str, float]:
    """Cold start and warm call of our server beside a bare MCPServer with one echo tool, same run."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(ECHO_SERVER)
    try:
        ours, bare, ours_warm, bare_warm = [], [], [], []
        for _ in range(runs):
            cold, warm = await _first_call_seconds([sys.executable, handle.name], "echo", {"text": "x"})
            bare.append(cold)
            bare_warm.append(warm)
            cold, warm = await _first_call_seconds(serve_command(), "search_guidance",
                                                   {"query": "loading state on another element"})
            ours.append(cold)
            ours_warm.append(warm)
    finally:
        os.unlink(handle.name)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    return {
        "cold_start_s": median(ours), "bare_cold_start_s": median(bare),
        "cold_start_ratio": median(ours) / median(bare),
        "warm_search_ms": median(ours_warm), "bare_echo_ms": median(bare_warm),
        "warm_ratio": median(ours_warm) / max(1e-6, median(bare_warm)),
    }
