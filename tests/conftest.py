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
