"""Where the bundled data lives: the source tree when run from a checkout, package data in a wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_root() -> Path:
    source_tree = _PACKAGE.parent
    if (source_tree / "knowledge").is_dir() and (source_tree / "references").is_dir():
        return source_tree
    return _PACKAGE / "_data"


DATA_ROOT = _data_root()
KNOWLEDGE_DIR = DATA_ROOT / "knowledge"
REFERENCES_DIR = DATA_ROOT / "references"
API_MANIFEST = REFERENCES_DIR / "liveview_api.json"
PACKAGE_DIR = _PACKAGE


def cache_dir() -> Path:
    """A writable folder for the search index cache (LIVEVIEW_SKILL_CACHE overrides it)."""
    override = os.environ.get("LIVEVIEW_SKILL_CACHE")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "liveview-skill"
