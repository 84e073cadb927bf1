"""Load and soak benchmark (not a test), loopback only: the streamable-HTTP server under 50 concurrent
clients making 200 mixed calls each, and 10,000 sequential calls over stdio, with throughput, p95 latency
and the server's memory before and after. Bounded in count and time; it stops by itself.

    .venv/bin/python benchmarks/load.py [--clients 50] [--calls 200] [--soak 10000]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill_server.evals.calls import serve_command  # noqa: E402
from skill_server.evals.suites import LATENCY_MIX  # noqa: E402

HOST = "127.0.0.1"  # loopback only
TIME_LIMIT_S = 300


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


async def http_load(url: str, clients: int, calls: int) -> tuple[list[float], int]:
    from mcp import Client

    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + TIME_LIMIT_S

    async def one_client(n: int) -> None:
        nonlocal errors
        async with Client(url) as client:
            for i in range(calls):
                if time.monotonic() > deadline:
                    return
                tool, args = LATENCY_MIX[(n + i) % len(LATENCY_MIX)]
                started = time.perf_counter()
                result = await client.call_tool(tool, args)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += bool(result.is_error)

    async with anyio.create_task_group() as group:
        for n in range(clients):
            group.start_soon(one_client, n)
    return latencies, errors


async def soak(count: int, pid_holder: list[int]) -> tuple[int, int, float]:
    from mcp import Client, StdioServerParameters

    command = serve_command()
    async with Client(StdioServerParameters(command=command[0], args=command[1:])) as client:
        await client.call_tool("search_guidance", {"query": "warm up"})
        pid = find_server_pid()
        warm = None
        started = time.perf_counter()
        for i in range(count):
            tool, args = LATENCY_MIX[i % len(LATENCY_MIX)]
            await client.call_tool(tool, args)
            if i == min(1000, count - 1):
                warm = rss_kb(pid)
        return warm or 0, rss_kb(pid), time.perf_counter() - started


def find_server_pid() -> int:
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != me:
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                stat = (entry / "stat").read_text().split()
            except OSError:
                continue
            if "serve" in cmdline and "liveview-skill" in cmdline and int(stat[3]) == me:
                return int(entry.name)
    raise RuntimeError("server process not found")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--soak", type=int, default=10_000)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([*serve_command(), "--transport", "http", "--host", HOST, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        before = rss_kb(server.pid)
        started = time.perf_counter()
        latencies, errors = anyio.run(http_load, f"http://{HOST}:{port}/mcp", args.clients, args.calls)
        elapsed = time.perf_counter() - started
        after = rss_kb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    print(f"http load: {args.clients} clients x {args.calls} calls = {len(latencies)} calls, {errors} tool errors, "
          f"{len(latencies) / elapsed:.0f} calls/s, p50 {latencies[len(latencies) // 2]:.1f} ms, p95 {p95:.1f} ms, "
          f"server RSS {before / 1024:.0f} -> {after / 1024:.0f} MiB")
    if args.soak:
        warm, end, seconds = anyio.run(soak, args.soak, [])
        print(f"soak: {args.soak} sequential calls over stdio in {seconds:.1f} s; server RSS after 1,000 calls "
              f"{warm / 1024:.1f} MiB, after {args.soak:,} {end / 1024:.1f} MiB ({(end - warm) / 1024:+.1f} MiB)")


if __name__ == "__main__":
    main()
