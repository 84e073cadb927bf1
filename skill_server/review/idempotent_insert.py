"""An idempotent add: a context function whose only write is one insert through a changeset that can fail on
nothing but a unique constraint (`ListBook.create_changeset(list, book) |> Repo.insert()` with
`unique_constraint` on the pair). Its one failure means the row is already there, the state the caller wanted, so
a caller dropping its result loses nothing. Read from the project's sources (no code is run)."""

import re

from .project_sources import function_bodies, module_source

# `Schema.changeset(args) |> Repo.insert()` (optionally `%Schema{} |> ...` first), the whole body.
PIPED_INSERT = re.compile(r"^(?:%[\w.]{1,120}\{\}\s{0,8}\|>\s{0,8})?([A-Z][\w.]{0,120})\.(\w{1,60})\(([^()]{0,300})\)"
                          r"\s{0,8}\|>\s{0,8}(?:[A-Z][\w.]{0,120}\.)?Repo\.insert\(\s{0,8}\)$")
CONSTRAINT = re.compile(r"\b(\w{1,40})_constraint\(")
# Checks that fail on data missing rather than on a bad change: they fail even when nothing was cast.
FAILS_ON_MISSING = re.compile(r"\bvalidate_(?:required|acceptance|confirmation)\(|\badd_error\(")
VALIDATION = re.compile(r"\bvalidate_\w{1,60}\(|\badd_error\(")


def _params(source: str, name: str, body_count: int) -> list[str] | None:
    """The parameters of the context's one `def name(...)` head, or None when there is more than one clause."""
    heads = re.findall(r"\bdef\s{1,4}" + re.escape(name) + r"\(([^()]{0,300})\)\s{0,8}do\b", source)
    if len(heads) != 1 or body_count != 1:
        return None
    return [p.strip() for p in heads[0].split(",")]


def idempotent_add(root: str, context: str, name: str, given: int | None) -> bool:
    """`context.name` (called with `given` arguments, None when unknown) is one insert whose changeset declares no
    constraint but `unique_constraint` (a foreign key left undeclared raises rather than returning an error) and whose
    validations cannot fail: none at all, or, when the call leaves the attributes to their `\\\\ %{}` default, none
    that fails on a missing value (`validate_inclusion` of an uncast field passes; `validate_required` fails)."""
    bodies = function_bodies(root, context, name)
    source = module_source(root, context)
    if not bodies or source is None:
        return False
    inner = bodies[0].strip().removeprefix("do:").removeprefix("do").removesuffix("end")
    insert = PIPED_INSERT.match(" ".join(inner.split()))
    params = _params(source, name, len(bodies))
    if insert is None or params is None:
        return False
    schema, builder, _ = insert.groups()
    schema_source = module_source(root, schema.rsplit(".", 1)[-1])
    builder_bodies = function_bodies(root, schema.rsplit(".", 1)[-1], builder)
    if schema_source is None or not builder_bodies or len(builder_bodies) != 1:
        return False
    kinds = set(CONSTRAINT.findall(schema_source))
    if kinds != {"unique"} or "unique_constraint(" not in builder_bodies[0]:
        return False
    attrs_defaulted = given is not None and given < len(params) and all(
        re.search(r"\\\\\s{0,4}%\{\}$", p) for p in params[given:])
    if attrs_defaulted:
        return not FAILS_ON_MISSING.search(schema_source)
    return not VALIDATION.search(schema_source)
