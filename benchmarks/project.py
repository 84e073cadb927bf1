"""Project-awareness figures (a benchmark, not a test): cold start to the first answered call over stdio for
a bare MCPServer, our server without a project and with `--project` (deps cache cold and warm), all in the
same run and interleaved; then the deps index of a real Phoenix app's deps: build time and reload from the
cache. Medians of --runs runs (the machine may be shared: run it a few times).

The real deps are laid out in a temp folder from git snapshots, never committed:

    .venv/bin/python benchmarks/project.py [--deps /tmp/realdeps] [--mirrors /work/.mirror] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill_server.evals.calls import ECHO_SERVER, serve_command  # noqa: E402
from skill_server.project import background, deps_index, deps_worker  # noqa: E402
from skill_server.project.locate import load_project  # noqa: E402

# package → (mirror folder, tag): the deps of a Phoenix 1.7 app on LiveView 1.0.
REAL_DEPS = {
    "phoenix_live_view": ("phoenixframework+phoenix_live_view", "v1.0.17"),
    "phoenix": ("phoenixframework+phoenix", "v1.7.21"),
    "phoenix_html": ("phoenixframework+phoenix_html", "v4.2.1"),
    "phoenix_ecto": ("phoenixframework+phoenix_ecto", "v4.6.3"),
    "ecto": ("elixir-ecto+ecto", "v3.12.5"),
}
QUERY = "how do I limit a stream on the client"


def lay_out_real_deps(target: Path, mirrors: Path) -> None:
    """deps/<package>/{lib,mix.exs} from each mirror's tag, and a mix.exs and mix.lock that pin them."""
    if (target / "mix.lock").is_file():
        return
    lock = ["%{"]
    for package, (mirror, tag) in sorted(REAL_DEPS.items()):
        destination = target / "deps" / package
        destination.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(mirrors / mirror / "repo"), "archive", tag, "lib", "mix.exs"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
        lock.append(f'  "{package}": {{:hex, :{package}, "{tag[1:]}", "0", [:mix], [], "hexpm", "0"}},')
    (target / "mix.lock").write_text("\n".join([*lock, "}"]) + "\n")
    (target / "mix.exs").write_text("defmodule RealDeps.MixProject do\n  use Mix.Project\n\n  def project, do: "
                                    "[app: :real_deps, version: \"0.1.0\"]\nend\n")


async def first_call_seconds(command: list[str], tool: str, arguments: dict, env: dict) -> float:
    from mcp import Client, StdioServerParameters

    started = time.perf_counter()
    async with Client(StdioServerParameters(command=command[0], args=command[1:], env=env)) as client:
        result = await client.call_tool(tool, arguments)
        seconds = time.perf_counter() - started
    assert not result.is_error, result.content
    return seconds


async def cold_starts(project: Path, cache: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "LIVEVIEW_SKILL_CACHE": str(cache)}
    search = ("search_guidance", {"query": QUERY})
    samples: dict[str, list[float]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(ECHO_SERVER)
    try:
        await first_call_seconds(serve_command(), *search, env)  # the curated index cache, built once
        for _ in range(runs):
            cases = {
                "bare MCPServer": ([sys.executable, handle.name], "echo", {"text": "x"}),
                "ours, no project": (serve_command(), *search),
                "ours, --project, deps cache cold": ([*serve_command(), "--project", str(project)], *search),
                "ours, --project, deps cache warm": ([*serve_command(), "--project", str(project)], *search),
            }
            for name, (command, tool, arguments) in cases.items():
                if name.endswith("cache cold"):
                    shutil.rmtree(cache / "deps", ignore_errors=True)
                elif name.endswith("cache warm") and not any((cache / "deps").glob("*.json")):
                    background.wait(load_project(project))  # fills the cache this run's warm case reads
                samples.setdefault(name, []).append(await first_call_seconds(command, tool, arguments, env))
    finally:
        os.unlink(handle.name)
    return {name: statistics.median(values) for name, values in samples.items()}


def index_figures(project: Path, runs: int) -> dict[str, float]:
    plan = background.plan(load_project(project))
    builds, reloads = [], []
    for _ in range(runs):
        started = time.perf_counter()
        index, data = deps_worker.build_isolated(plan.key, plan.deps)  # in its worker process, as a server does
        builds.append(time.perf_counter() - started)
        deps_index.write_cache(index, data)
        background.forget()
        started = time.perf_counter()
        reloaded, note = background.current(load_project(project))  # what a new server does on a cache hit
        reloads.append(time.perf_counter() - started)
        assert reloaded is not None and note is None
    return {"build_s": statistics.median(builds), "reload_s": statistics.median(reloads),
            "docs": len(index.docs), "passages": len(index.passages),
            "cache_bytes": deps_index.cache_path(plan.key).stat().st_size,
            "versions": ", ".join(f"{d.package} {d.version}" for d in plan.deps)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deps", default="/tmp/realdeps", help="folder for the real-deps project (temp)")
    parser.add_argument("--mirrors", default="/work/.mirror", help="where the git mirrors are")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    project = Path(args.deps)
    lay_out_real_deps(project, Path(args.mirrors))
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LIVEVIEW_SKILL_CACHE"] = cache
        figures = index_figures(project, args.runs)
        print(f"deps index of {figures['versions']}: {figures['docs']} docs, {figures['passages']} passages, "
              f"cache {figures['cache_bytes'] / 1e6:.1f} MB")
        print(f"  build {figures['build_s']:.3f} s (target < 5 s), reload from cache {figures['reload_s']:.3f} s "
              f"(target < 0.2 s); medians of {args.runs}")
        starts = anyio.run(cold_starts, project, Path(cache), args.runs)
    bare = starts.pop("bare MCPServer")
    plain = starts["ours, no project"]
    print(f"cold start to the first answered call over stdio (medians of {args.runs}, interleaved): "
          f"bare MCPServer {bare:.3f} s")
    for name, seconds in starts.items():
        print(f"  {name}: {seconds:.3f} s, ratio {seconds / bare:.3f} (target <= 1.25); "
              f"{seconds / plain:.3f} of ours without a project")


if __name__ == "__main__":
    main()
