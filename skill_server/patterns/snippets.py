"""generate_snippet: render a pattern's templates for the asked LiveView version with validated parameters,
then check every file before returning it."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..errors import InputError
from ..models import PatternInfo, PatternParam, SnippetFile, SnippetResult
from ..versions import Version, parse_version, resolve, version_in_range
from .catalogue import Pattern, load_patterns
from .checks import check_files, mix_formatted
from .names import ProjectNames, derive_names
from .params import all_params, underscore, validate_params

# Version features templates branch on (name → first release that has it).
FEATURES = {
    "curly": "1.0.0",  # {...} interpolation in HEEx tag bodies
    "used_input": "1.0.0",
    "to_form_action": "1.0.0",  # to_form(changeset, action: :validate): documented from 1.0, needs phoenix_ecto 4.5
    "closest": "1.0.0",
    "hook_push_promise": "1.0.0",  # a hook's pushEvent without a callback returns a Promise
    "blocking_option": "1.0.0",
    "tuple_async_names": "0.20.2",
    "handle_async_callback": "0.20.2",
    "toggle_attribute": "0.20.4",
    "change_button": "0.20.4",  # a change event carries the name/value of the button that dispatched it
    "viewport_in_container": "0.20.4",  # phx-viewport-* also watch a scrollable ancestor, not only the window
    "colocated_hooks": "1.1.0",
    "stream_update_only": "1.1.0",
    "viewport_overrun_target": "1.1.18",  # phx-viewport-overrun-target (1.2.0 on the 1.2 line)
    "ignore_attributes": "1.1.0",
    "stream_async": "1.1.5",
    "encodable_js": "1.2.0",
}


def features(version: Version) -> dict[str, bool]:
    return {name: version >= parse_version(since) for name, since in FEATURES.items()}


@lru_cache(maxsize=None)
def _environment(folder: str) -> Environment:
    # ${ } for values and {% %} for logic: Elixir and HEEx use {{ }} (tuples inside attributes), so the
    # default delimiters would clash with the code we generate. Only our own template files are ever loaded.
    env = Environment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,
        variable_start_string="${",
        variable_end_string="}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Elixir integer literal as `mix format` writes it: 6+ digits get _ separators (8_000_000).
    env.filters["elixir_int"] = lambda n: f"{n:_}" if abs(n) >= 100_000 else str(n)
    env.filters["format_atom"] = lambda name: ":" + name
    env.filters["underscore"] = underscore
    env.filters["tw_duration"] = tailwind_duration
    return env


# Tailwind 3 (Phoenix 1.7) has duration classes only for these; Tailwind 4 (Phoenix 1.8) takes any number.
TAILWIND_3_DURATIONS = {0, 75, 100, 150, 200, 300, 500, 700, 1000}


def tailwind_duration(ms: int) -> str:
    """The Tailwind class for a transition of `ms`: duration-300, or duration-[450ms] (both Tailwind 3 and 4)."""
    return f"duration-{ms}" if ms in TAILWIND_3_DURATIONS else f"duration-[{ms}ms]"


def _interpolation(curly: bool):
    """HEEx body interpolation for the version: {expr} on 1.0+, <%= expr %> before."""
    return (lambda expr: "{" + expr + "}") if curly else (lambda expr: "<%= " + expr + " %>")


def get_pattern(pattern_id: object) -> Pattern:
    patterns = load_patterns()
    if not isinstance(pattern_id, str) or pattern_id not in patterns:
        raise InputError(f"unknown pattern {str(pattern_id)[:60]!r}; valid: {', '.join(patterns)}")
    return patterns[pattern_id]


def catalogue_info() -> list[PatternInfo]:
    return [
        PatternInfo(
            id=p.id, title=p.title, summary=p.summary, since=p.since,
            params=[PatternParam(name=x.name, type=x.type, default=x.default, description=x.description)
                    for x in all_params(p)],
        )
        for p in load_patterns().values()
    ]


def pattern_details(pattern_id: str) -> dict:
    pattern = get_pattern(pattern_id)
    info = next(i for i in catalogue_info() if i.id == pattern.id)
    return {**info.model_dump(), "when": list(pattern.when), "when_not": list(pattern.when_not),
            "tradeoffs": list(pattern.tradeoffs), "knowledge": [f"liveview://knowledge/{k.split('#')[0]}"
                                                               for k in pattern.knowledge],
            "alternatives": pattern.alternatives, "fallback": pattern.fallback}


def generate(pattern_id: str, params: dict, liveview_version: str | None = None,
             project: ProjectNames | None = None, format_code: bool = True) -> SnippetResult:
    """`project` (the user's app, when known) supplies the web module, context and app names not passed.
    `format_code` lays the Elixir out as `mix format` would (when elixir is installed): templates are written
    formatted for the usual names, and long names can push a line past the limit. Tests turn it off to check
    the templates themselves."""
    pattern = get_pattern(pattern_id)
    target = resolve(liveview_version)
    values = validate_params(pattern, params)
    derived = derive_names(pattern, values, {k for k, v in params.items() if v is not None}, project)
    names = derived.names
    flags = features(target.version)
    context = {**names, "lv": flags, "version": str(target.version), "i": _interpolation(flags["curly"])}
    env = _environment(str(pattern.folder / "templates"))
    files = []
    for output in pattern.files:
        if not version_in_range(target.version, output.min_version, output.max_version) or not output.applies(names):
            continue
        path = env.from_string(output.path).render(context)
        content = env.get_template(output.template).render(context)
        files.append(SnippetFile(path=path, language=output.language, content=content))
    notes = [env.from_string(n.text).render(context) for n in pattern.notes
             if version_in_range(target.version, n.min_version, n.max_version) and n.applies(names)]
    notes += derived.notes
    if project is not None:
        notes += [f"{f.path} already exists in the project: merge this into it rather than replacing it."
                  for f in files if (project.root / f.path).exists()]
    if target.note:
        notes.insert(0, target.note)
    if version_in_range(target.version, None, pattern.since) and pattern.fallback is None:
        raise InputError(f"{pattern.id} needs LiveView {pattern.since} or newer; you asked for {target.label}")
    if format_code:
        files = mix_formatted(files)
    checks = check_files(files)
    return SnippetResult(pattern=pattern.id, liveview_version=target.label, files=files, notes=notes,
                         checks=checks, params={k: v for k, v in values.items() if v is not None})
