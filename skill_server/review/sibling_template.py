"""The separate template beside a module in project review (`stock_live.ex` -> `stock_live.html.heex`): rules that
ask what the module's own page renders (its controls, its typed fields) read it here, through the project's file
rules (a regular file inside the project, bounded)."""

from pathlib import Path

from ..project.files import directory_inside, read_text
from .template import Template, read_template

def sibling_template(ctx) -> Template | None:
    """The separate template beside this `.ex` module, or None outside project review or when there is none (read
    once per file, however many rules and module units ask)."""
    return ctx.text.once("sibling_template", lambda: _read_sibling(ctx))


def _read_sibling(ctx) -> Template | None:
    if not (ctx.project_root and ctx.path and ctx.path.endswith(".ex")):
        return None
    sibling = Path(ctx.path[: -len(".ex")] + ".html.heex")
    if not directory_inside(Path(ctx.project_root), sibling.parent):
        return None
    from .engine import MAX_REVIEW_BYTES  # the template is read up to the size any reviewed file may have (audit 13
    # A13-7: a 256 KB cap let a long comment in the template hide its controls from the module's rules, silently);
    # a larger one is itself a skipped file of the project review, which fails the gate
    try:
        source = read_text(sibling, MAX_REVIEW_BYTES)
    except OSError:
        return None
    return read_template(source) if source else None
