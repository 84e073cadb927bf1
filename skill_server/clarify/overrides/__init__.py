"""Overrides: named corrections to what the concept data found, shaped like review rules.

Each is one module `overrides/<slug>.py` with a docstring (what it does, why), `OVERRIDE = Override(...)`
declaring what it may drop and its scope, and `apply(view) -> view`; its cases are in `fixtures/<slug>.toml`.
They run in ORDER, each on the view the one before returned, so none reads a stale set. A `sentence` override
drops only what the sentence that triggered it names; a `request` override speaks for the whole request."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType


@dataclass(frozen=True)
class Override:
    slug: str
    drops: tuple[str, ...]  # the interaction kinds and decisions it may take out or settle; "all": everything
    scope: str  # "sentence" | "request"


ORDER = (
    "how_question",
    "too_vague",
    "failure_implies_server",
    "pasted_code_states_version",
    "presentational_change",
    "slow_action_needs_feedback",
    "loading_feedback_only",
    "reduced_motion",
    "form_owns_failure",
    "field_is_not_a_toggle",
    "broadcast_is_not_a_user_action",
    "single_live_value",
    "disappearing_notice",
    "hook_context",
    "existing_hook",
    "paging_through_a_list",
    "view_state_in_the_url",
    "file_drop_is_upload",
    "disclosure_is_client_side",
    "client_only_needs_no_server",
    "viewing_is_not_a_write",
)


@lru_cache(maxsize=1)
def loaded() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"{__name__}.{slug}") for slug in ORDER)


def run(view):
    for module in loaded():
        view = module.apply(view)
    return view


def describe() -> list[dict]:
    return [{"slug": m.OVERRIDE.slug, "scope": m.OVERRIDE.scope, "drops": list(m.OVERRIDE.drops),
             "doc": (m.__doc__ or "").strip()} for m in loaded()]

