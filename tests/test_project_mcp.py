"""Project awareness over MCP, through the SDK's in-memory Client in both protocol eras: the client's roots
(listed only when it declares them, refreshed on roots/list_changed), `serve --project` (in memory and a
real stdio process), and the liveview://deps/{package}/{module} resource."""

from __future__ import annotations

import os
import shutil

import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPDeprecationWarning, MCPError
from mcp.types import INVALID_REQUEST, ErrorData, ListRootsResult, Root

from skill_server.evals.calls import serve_command
from skill_server.models import RecommendResult, SearchResult
from skill_server.project import background
from skill_server.project.answers import NO_PROJECT
from skill_server.project.locate import MAX_ROOTS, load_project
from skill_server.server import build_server

pytestmark = pytest.mark.anyio
MODES = ["auto", "legacy"]
LEDGER = "stream marmalade ledger"


def roots_callback(holder: dict):
    """A client's roots/list handler answering with holder["roots"] and counting its calls."""
    holder.setdefault("calls", 0)

    async def list_roots(_context) -> ListRootsResult:
        holder["calls"] += 1
        return ListRootsResult(roots=[Root(uri=path.resolve().as_uri(), name=path.name) for path in holder["roots"]])

    return list_roots


async def search(client: Client, query: str = LEDGER, **arguments) -> SearchResult:
    result = await client.call_tool("search_guidance", {"query": query, **arguments})
    assert not result.is_error, result.content
    return SearchResult.model_validate(result.structured_content)


def other_project(tmp_path, lv10_project, version: str):
    """A second project: the fixture with another LiveView version locked."""
    root = tmp_path / f"other-{version}"
    shutil.copytree(lv10_project, root)
    lock = (root / "mix.lock").read_text().replace('"1.0.4"', f'"{version}"')
    (root / "mix.lock").write_text(lock)
    return root


@pytest.mark.parametrize("mode", MODES)
async def test_the_client_roots_name_the_project(lv10_project, tmp_path, mode):
    holder = {"roots": [tmp_path / "no-mix-here", lv10_project]}
    (tmp_path / "no-mix-here").mkdir()
    assert background.wait(load_project(lv10_project), timeout=60)
    async with Client(build_server(), mode=mode, list_roots_callback=roots_callback(holder)) as client:
        result = await search(client)
        assert result.liveview_version == "1.0.4" and result.version_source == "project"
        deps = [h for h in result.hits if h.source == "deps"]
        assert deps and deps[0].symbol == "Phoenix.LiveView.stream/4" and deps[0].package_version == "1.0.4"
        recommended = await client.call_tool("recommend_patterns", {"scenario": "delete a row with a fade out"})
        assert RecommendResult.model_validate(recommended.structured_content).version_source == "project"
        asked = await search(client, liveview_version="1.2")
        assert asked.version_source == "argument" and asked.liveview_version == "1.2"
    assert holder["calls"] >= 1


async def test_legacy_roots_are_kept_per_connection_and_refreshed_on_list_changed(lv10_project, tmp_path):
    newer = other_project(tmp_path, lv10_project, "1.1.8")
    holder = {"roots": [lv10_project]}
    async with Client(build_server(), mode="legacy", list_roots_callback=roots_callback(holder)) as client:
        assert (await search(client)).liveview_version == "1.0.4"
        holder["roots"] = [newer]
        assert (await search(client)).liveview_version == "1.0.4"  # kept: the client said nothing changed
        assert holder["calls"] == 1
        with pytest.warns(MCPDeprecationWarning):  # roots are deprecated in the 2026 era, still used before it
            await client.session.send_roots_list_changed()
        switched = await search(client)
        assert switched.liveview_version == "1.1.8" and switched.version_source == "project"
        assert holder["calls"] == 2


async def test_2026_requests_list_the_roots_on_every_call(lv10_project, tmp_path):
    newer = other_project(tmp_path, lv10_project, "1.1.8")
    holder = {"roots": [lv10_project]}
    async with Client(build_server(), mode="auto", list_roots_callback=roots_callback(holder)) as client:
        assert (await search(client)).liveview_version == "1.0.4"
        holder["roots"] = [newer]
        assert (await search(client)).liveview_version == "1.1.8"


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_without_roots_gets_todays_answers_with_a_note(mode):
    async with Client(build_server(), mode=mode) as client:
        result = await search(client, "phx-disable-with")
        assert result.version_source == "default" and result.liveview_version == "1.2"
        assert NO_PROJECT in result.notes and all(h.source == "guidance" for h in result.hits)


@pytest.mark.parametrize("mode", MODES)
async def test_over_http_roots_count_only_inside_the_allowed_folders(lv10_project, tmp_path, mode):
    holder = {"roots": [lv10_project]}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for allowed, source in [((), "default"), ((str(elsewhere),), "default"), ((str(lv10_project.parent),), "project")]:
        server = build_server(roots_under=allowed)
        async with Client(server, mode=mode, list_roots_callback=roots_callback(holder)) as client:
            result = await search(client)
            assert result.version_source == source, allowed
            assert all(h.source != "deps" for h in result.hits) or source == "project"


@pytest.mark.parametrize("mode", MODES)
async def test_only_the_first_roots_are_looked_at(lv10_project, tmp_path, mode):
    holder = {"roots": [tmp_path / f"r{n}" for n in range(MAX_ROOTS)] + [lv10_project]}
    async with Client(build_server(), mode=mode, list_roots_callback=roots_callback(holder)) as client:
        assert (await search(client)).version_source == "default"
    holder["roots"] = holder["roots"][1:]
    async with Client(build_server(), mode=mode, list_roots_callback=roots_callback(holder)) as client:
        assert (await search(client)).version_source == "project"


@pytest.mark.parametrize("mode", MODES)
async def test_hostile_roots_name_no_project(mode):
    async def list_roots(_context) -> ListRootsResult:
        return ListRootsResult(roots=[Root(uri="file:///nowhere/%00/x", name="nul"), Root(uri="file:///etc", name="etc"),
                                      Root(uri="file://evil.example/srv/app", name="remote")])

    async with Client(build_server(), mode=mode, list_roots_callback=list_roots) as client:
        result = await search(client, "phx-disable-with")
        assert result.version_source == "default" and NO_PROJECT in result.notes


async def test_a_handshake_client_that_fails_to_list_its_roots_still_gets_answers():
    async def refuse(_context) -> ErrorData:
        return ErrorData(code=INVALID_REQUEST, message="no roots today")

    async with Client(build_server(), mode="legacy", list_roots_callback=refuse) as client:
        assert (await search(client, "phx-disable-with")).version_source == "default"


async def test_a_handshake_client_that_never_lists_its_roots_still_gets_answers(monkeypatch):
    import anyio

    from skill_server import server_project

    async def never(_context) -> ListRootsResult:
        await anyio.sleep_forever()

    monkeypatch.setattr(server_project, "ROOTS_TIMEOUT_S", 0.2)
    async with Client(build_server(), mode="legacy", list_roots_callback=never) as client:
        assert (await search(client, "phx-disable-with")).version_source == "default"


@pytest.mark.parametrize("mode", MODES)
async def test_serve_project_wins_over_roots(lv10_project, tmp_path, mode):
    newer = other_project(tmp_path, lv10_project, "1.1.8")
    holder = {"roots": [newer]}
    async with Client(build_server(str(lv10_project)), mode=mode, list_roots_callback=roots_callback(holder)) as client:
        assert (await search(client)).liveview_version == "1.0.4"
        assert background.wait(load_project(lv10_project), timeout=60)
        assert any(h.source == "deps" for h in (await search(client)).hits)
    assert holder["calls"] == 0


@pytest.mark.parametrize("mode", MODES)
async def test_the_deps_resource_and_its_errors(lv10_project, mode):
    async with Client(build_server(str(lv10_project)), mode=mode) as client:
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        assert "liveview://deps/{package}/{module}" in templates
        assert background.wait(load_project(lv10_project), timeout=60)
        text = (await client.read_resource("liveview://deps/phoenix_live_view/Phoenix.LiveView.JS")).contents[0].text
        assert text.startswith("# Phoenix.LiveView.JS") and "gooseberry" in text and "kumquat" in text
        for uri in ["liveview://deps/phoenix_live_view/Phoenix.NoSuch", "liveview://deps/left_pad/Phoenix.LiveView",
                    "liveview://deps/phoenix_live_view/..%2F..%2Fmix.exs", "liveview://deps/..%2Fdeps/Phoenix.LiveView"]:
            with pytest.raises(MCPError):
                await client.read_resource(uri)
        assert (await client.read_resource("liveview://patterns")).contents


@pytest.mark.e2e
async def test_serve_project_over_stdio(lv10_project):
    command = serve_command()
    params = StdioServerParameters(command=command[0], args=[*command[1:], "--project", str(lv10_project)],
                                   env={**os.environ, "LIVEVIEW_SKILL_CACHE": str(lv10_project.parent / "cache")})
    async with Client(params) as client:
        result = await search(client)
        assert result.version_source == "project" and result.liveview_version == "1.0.4"
