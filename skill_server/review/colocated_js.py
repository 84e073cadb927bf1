"""Colocated hooks (`<script :type={Phoenix.LiveView.ColocatedHook} name=".Chart">` in a template, LiveView 1.1+)
read as JavaScript, so the rules written for hook files (`languages` holding "javascript") check them too.

Each script's body becomes its own JavaScript review unit, padded with the lines above it so that a hit's line is
the line in the Elixir or HEEx file. Built once per unit and cached on it."""

from __future__ import annotations

from .receivers import COLOCATED_HOOK
from .template import START_NODES

MAX_SCRIPTS = 50  # colocated hooks read per unit (a template with more is generated, not written); the rest are
# counted in `skipped_scripts` and the review says they were not read (audit 13 A13-1)


def colocated_hook_units(ctx) -> list:
    """JavaScript review contexts for the colocated hook scripts of this unit's templates (none for a JavaScript
    file, or a template with none)."""
    from .context import ReviewContext

    if ctx.language not in ("elixir", "heex") or "ColocatedHook" not in ctx.source:
        return []
    cached = getattr(ctx, "_colocated_js", None)
    if cached is not None:
        return cached
    units, skipped = [], 0
    for template in ctx.templates:
        for element in template.elements:
            if element.tag != "script" or not any(COLOCATED_HOOK.search(a.value or "") for a in element.attrs.values()):
                continue
            start = next((c for c in element.node.children if c.type in START_NODES), None)
            body = element.inner_source()
            if start is None or not body.strip():
                continue
            if len(units) >= MAX_SCRIPTS:
                skipped += 1
                continue
            # The body starts right after the start tag: its line in the file, kept by padding with newlines.
            first_line = element.line + start.end_point[0] - element.node.start_point[0]
            units.append(ReviewContext("\n" * (first_line - 1) + body, ctx.filename, "javascript", ctx.version))
    ctx._colocated_js, ctx._colocated_js_skipped = units, skipped
    return units


def skipped_scripts(ctx) -> int:
    """Colocated hook scripts of this unit past MAX_SCRIPTS, not read (after colocated_hook_units)."""
    return getattr(ctx, "_colocated_js_skipped", 0)
