"""Shared test set-up: a private index cache, the fixture corpus, and helpers for the MCP client."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("LIVEVIEW_SKILL_CACHE", tempfile.mkdtemp(prefix="lvskill-cache-"))

REPO = Path(__file__).resolve().parents[1]
FIXTURE_ROOTS = (REPO / "tests/data/corpus/knowledge", REPO / "tests/data/corpus/references")


@pytest.fixture
def fixture_roots() -> tuple[Path, ...]:
    return FIXTURE_ROOTS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


PROJECT_LV10 = REPO / "tests/data/project_lv10"


@pytest.fixture
def lv10_project(tmp_path, monkeypatch) -> Path:
    """A copy of the fixture Phoenix project (LiveView 1.0.4) with a private deps cache and no deps index
    held in memory, so each test sees a fresh process's view."""
    import shutil

    from skill_server.project import background

    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(tmp_path / "cache"))
    background.forget()
    root = tmp_path / "shelf"
    shutil.copytree(PROJECT_LV10, root)
    yield root
    background.forget()


@pytest.fixture
def heavy_inputs_stay_heavy(monkeypatch):
    """Slow review inputs far past the review's node limit (bounds.py) or parse budget, which would refuse them
    early: both are raised for the review workers the test starts (and the budget in this process), so that the
    inputs stay slow and the limit under test is the one that stops them, however loaded the machine is."""
    from skill_server.review import engine
    from skill_server.review.worker import shutdown_all

    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_MAX_NODES", "100000000")
    monkeypatch.setenv("LIVEVIEW_SKILL_REVIEW_PARSE_S", "600")
    monkeypatch.setattr(engine, "PARSE_BUDGET_S", 600.0)
    shutdown_all()  # pooled workers started without it
    yield
    shutdown_all()
