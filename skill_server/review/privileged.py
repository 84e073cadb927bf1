"""Whether a LiveView is reachable only by a site-wide privileged user (an administrator, moderator or staff member,
not an organisation's or team's admin, whose records still need the tenant's scope): its own
`on_mount` names such a role (`on_mount {AppWeb.UserAuth, :require_admin}`), or, in project review, the router
mounts it only inside live_sessions whose on_mount does. Security rules read this: on such a page acting on any
record by id, or choosing a role for someone, is what the page is for, and the on_mount is the authorization."""

from __future__ import annotations

import re

from .elixir_tree import call_arguments, call_parts, text
from .project_sources import privileged_hook, routed_only_privileged


def module_name(ctx) -> str:
    """The name a unit's `defmodule` declares, or "" for a file with no module."""
    module, name = call_parts(ctx.root) if ctx.root.type == "call" else (None, None)
    arguments = call_arguments(ctx.root) if module is None and name == "defmodule" else []
    return text(arguments[0]).strip() if arguments else ""


def privileged_only(ctx) -> bool:
    """Whether the unit's page is reachable only by a site-wide privileged user (computed once per unit: rules ask it
    for every handler, audit 9 N2)."""
    return ctx.text.once(f"privileged_only:{ctx.root.start_byte}:{ctx.root.end_byte}", lambda: _privileged_only(ctx))


def _privileged_only(ctx) -> bool:
    for node, module, _ in ctx.calls({"on_mount"}):
        arguments = call_arguments(node)  # the `on_mount` macro takes one hook; `def on_mount(...)` heads take four
        if module is None and len(arguments) == 1 and privileged_hook(text(arguments[0])[:300]):
            return True
    return routed_only_privileged(ctx.project_root, module_name(ctx))


# A permission check naming an administrative right: `Organizations.authorize(user.id, org.id, "admin")`,
# `can?(user, :manage, team)`, `Permissions.has_role?(user, org, :owner)`.
ADMIN_CHECK = re.compile(r"\b(?:authori[sz]e[!?]?|authori[sz]ed\?|can\?|permit\?|allowed\?|has_(?:role|permission)\?|"
                         r"check_permission|require_role)\s{0,4}\([^()\n]{0,200}?[\":](?:admin|owner|manage|manager)\b")
REFUSAL = re.compile(r"\b(?:redirect|push_navigate|push_redirect)\(|\braise\b|\{:error,\s{0,4}:(?:unauthorized|forbidden)\}")
MOUNT_TEXT = 6000  # characters of mount/3 read
# What puts a check in charge of a branch: `if`, `unless`, `case`, `cond` or a `with` clause right before it.
GATING = re.compile(r"(?:\bif|\bunless|\bcase|\bcond\s+do\s+|<-|\bnot|!)\s{0,8}(?:[\w.]{0,60}\.)?$")
REFUSAL_WINDOW = 600  # characters after the check in which its branch refuses


def admin_gated(ctx) -> bool:
    return ctx.text.once(f"admin_gated:{ctx.root.start_byte}:{ctx.root.end_byte}", lambda: _admin_gated(ctx))


def _admin_gated(ctx) -> bool:
    """Whether the LiveView's mount/3 turns away anyone without an administrative right over what the page manages
    (a permission check naming admin, owner or manage, and a redirect or raise): an organisation's member page
    only its admins reach. What such an admin picks for another member (a role, the user to add) is their
    choice; which organisation's records a handler touches still needs its scope (missing_authorization)."""
    for clause in ctx.module.clauses_of("mount", 3) if ctx.module is not None else []:
        body = text(clause.body)[:MOUNT_TEXT] if clause.body is not None else ""
        for check in ADMIN_CHECK.finditer(body):
            # The refusal must be what happens when the check fails: the check decides a branch (`if`, `unless`,
            # `case`, a `with` clause) with a refusal right after it, or raises itself (`authorize!`). A `can?` kept
            # for a button beside an unrelated not-found redirect gates nothing (audit 13 A13-29).
            raises = body[check.start():check.start() + 12].split("(")[0].endswith("!")
            decides = GATING.search(body[max(0, check.start() - 40):check.start()]) is not None
            if raises or (decides and REFUSAL.search(body, check.end(), check.end() + REFUSAL_WINDOW)):
                return True
    return False
