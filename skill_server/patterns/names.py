"""The names a snippet's templates use, derived from the validated parameters and, when the engine knows the
user's project, from that project (its OTP app, web module and context modules).

derive_names returns the template context and notes saying which names came from the project and which were
assumed. It also resolves the values that need the other parameters: a context function named with its module
or arity, a PubSub topic template's variables, the accept list of an upload."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import values as read
from .catalogue import Param, Pattern
from .params import all_params, camelize, pluralize, underscore

DEFAULT_APP = "MyApp"


@dataclass(frozen=True)
class ProjectNames:
    """What the user's project says about names (see skill_server/project/info.py)."""

    root: Path
    app: str | None  # "my_app"
    module: str | None  # "MyApp"
    web_module: str | None  # "MyAppWeb"
    contexts: tuple[str, ...] = ()  # "MyApp.Blog", ...


@dataclass
class Derivation:
    names: dict[str, object]
    notes: list[str] = field(default_factory=list)


def derive_names(pattern: Pattern, values: dict[str, object], explicit: set[str],
                 project: ProjectNames | None = None) -> Derivation:
    default_resource = next((p.default for p in pattern.params if p.name == "resource"), None) or "item"
    resource = values.get("resource") or default_resource
    plural = values.get("plural") or pluralize(resource)
    if plural == resource:
        raise InputError(f"the plural of {resource!r} must differ from it; pass plural=<name>")
    out = Derivation({**values, "resource": resource, "plural": plural})
    for param in all_params(pattern):  # defaults such as "delete_{resource}" or "{resource}:revert"
        if param.name not in explicit and isinstance(param.default, str) and "{" in param.default \
                and param.type != "function":
            out.names[param.name] = param.default.format_map(out.names)
    _app_names(out, explicit, project)
    functions = [p for p in all_params(pattern) if p.type == "function"]
    context_named = False
    for param in functions:
        context_named = _context_function(out, param, explicit, project) or context_named
    if not context_named:
        _context(out, explicit, project)
    _finish(out, pattern, functions)
    return out


def _app_names(out: Derivation, explicit: set[str], project: ProjectNames | None) -> None:
    names = out.names
    if project and project.app and project.module:
        names["app"], names["App"] = project.app, project.module
        if "web_module" not in explicit:
            names["web_module"] = project.web_module or f"{project.module}Web"
            out.notes.append(f"App {project.module} ({project.app}) from the project's mix.exs; " + (
                f"web module {project.web_module} from lib/{project.app}_web." if project.web_module else
                f"assumed web module {project.module}Web (the project has no lib/{project.app}_web)."))
        else:
            out.notes.append(f"App {project.module} ({project.app}) from the project's mix.exs.")
    else:
        web_module = names["web_module"]
        web_path = underscore(web_module.split(".")[-1])
        names["app"] = web_path.removesuffix("_web") or web_path
        names["App"] = web_module.removesuffix("Web") or web_module
    names["web_path"] = underscore(names["web_module"].split(".")[-1])


def _context(out: Derivation, explicit: set[str], project: ProjectNames | None) -> None:
    names = out.names
    if "context" in explicit:
        return
    App = names["App"]
    if project and project.app and project.module:
        holder = _context_holding(project, names["resource"])
        if holder:
            names["context"] = holder
            out.notes.append(f"Context {holder} from the project: it holds the {names['resource']} schema "
                             f"(lib/{project.app}/{underscore(holder.split('.')[-1])}/{names['resource']}.ex).")
            return
        guess = f"{App}.{camelize(names['plural'])}"
        names["context"] = guess
        known = ", ".join(project.contexts) or "none"
        out.notes.append(f"Assumed context {guess}: no context of the project holds a {names['resource']} schema "
                         f"(contexts found: {known}); pass context=<Module> to name yours.")
        return
    default = str(names["context"])
    if default.startswith(DEFAULT_APP + ".") and App != DEFAULT_APP:
        names["context"] = App + default.removeprefix(DEFAULT_APP)
    out.notes.append(f"Assumed names: context {names['context']}, web module {names['web_module']}; "
                     "pass context= and web_module= (or a project) for yours.")


def _context_holding(project: ProjectNames, resource: str) -> str | None:
    for context in project.contexts:
        folder = project.root / "lib" / str(project.app) / underscore(context.split(".")[-1])
        if (folder / f"{resource}.ex").is_file():
            return context
    return None


def _context_function(out: Derivation, param: Param, explicit: set[str], project: ProjectNames | None) -> bool:
    """`archive_message`, `Mail.archive_message` or `MyApp.Mail.archive_message/2`: the module (when given)
    becomes the context unless context= was passed too, and the arity settles `scoped`. True when it named
    the context."""
    names = out.names
    text = str(names[param.name]) if param.name in explicit else str(param.default).format_map(names)
    ref = read.function_ref(text)
    if ref is None:
        raise AssertionError(f"bad default for {param.name}: {text}")
    module = _function_module(out, ref.module, project) if ref.module else None
    named_context = bool(module) and "context" not in explicit
    if named_context:
        names["context"] = module
        out.notes.append(f"Context {module} from {param.name}={text}.")
        module = None
    if ref.arity is not None and param.arity is not None:
        _settle_scope(out, param, ref, explicit)
    names[f"{param.name}_module"] = module
    names[f"{param.name}_name"] = ref.name
    return named_context


def _function_module(out: Derivation, module: str, project: ProjectNames | None) -> str:
    """A one-part module (`Mail`) is the app's context of that name."""
    if "." in module:
        return module
    context = str(out.names["context"])
    if context.split(".")[-1] == module:
        return context
    if project:
        found = [c for c in project.contexts if c.split(".")[-1] == module]
        if found:
            return found[0]
    full = f"{out.names['App']}.{module}"
    out.notes.append(f"Assumed {module} means {full}.")
    return full


def _settle_scope(out: Derivation, param: Param, ref: read.FunctionRef, explicit: set[str]) -> None:
    names = out.names
    unscoped = param.arity + sum(extra for flag, extra in param.extra_arity if names.get(flag))
    scoped = unscoped + 1
    if ref.arity == scoped and (names["scoped"] or "scoped" not in explicit):
        names["scoped"] = True
    elif ref.arity == unscoped and (not names["scoped"] or "scoped" not in explicit):
        names["scoped"] = False
        if "scoped" not in explicit:
            out.notes.append(f"{ref} takes no scope, so the snippet calls the context without current_scope.")
    else:
        fits = scoped if names["scoped"] else unscoped
        raise InputError(
            f"parameter {param.name!r}: {ref} does not fit; this pattern calls it with {unscoped} argument(s), "
            f"or {scoped} with the scope first; with scoped={str(names['scoped']).lower()} send /{fits} "
            "(or leave the arity out)"
        )


def _finish(out: Derivation, pattern: Pattern, functions: list[Param]) -> None:
    names = out.names
    web_module, context, resource = names["web_module"], names["context"], names["resource"]
    context_alias = context.split(".")[-1]
    aliases = [context]
    for param in functions:
        module = names.pop(f"{param.name}_module")
        name = names.pop(f"{param.name}_name")
        if module and module != context:
            short = module.split(".")[-1]
            clash = short == context_alias or short in {a.split(".")[-1] for a in aliases}
            names[f"{param.name}_call"] = f"{module if clash else short}.{name}"
            if not clash:
                aliases.append(module)
        else:
            names[f"{param.name}_call"] = f"{context_alias}.{name}"
    scoped = bool(names.get("scoped", True))
    names.update({
        "Resource": camelize(resource),
        "Field": camelize(str(names.get("field") or "")),
        "live_module": f"{web_module}.{camelize(resource)}Live.Index",
        "context_alias": context_alias,
        "context_path": underscore(context_alias),
        "aliases": sorted(aliases),
        "pubsub": f"{names['App']}.PubSub",
        "scope_arg": "socket.assigns.current_scope, " if scoped else "",
        "scope": "socket.assigns.current_scope" if scoped else "",
        "assign_collection": names.get("collection") == "assign",
        "collection_is_stream": names.get("collection") == "stream",
        "debounce_on_blur": names.get("debounce_ms") == "blur",
        "method_is_hook": names.get("method") == "hook",
        "field_is_foreign_key": str(names.get("field") or "").endswith("_id") and len(str(names.get("field"))) > 3,
    })
    if names.get("child"):
        names["children"], names["Child"] = pluralize(names["child"]), camelize(names["child"])
    if "topic" in names:
        _topic(out, pattern)
    if "accept" in names:
        _accept(out)


def _topic(out: Derivation, pattern: Pattern) -> None:
    """The topic helper's parameters, body and the arguments mount passes it."""
    names = out.names
    given = names["topic"]
    if given is None:
        given = f"user:#{{scope.user.id}}:{names['plural']}" if names["scoped"] else names["plural"]
    topic = read.topic(given)
    names["topic"] = str(topic)
    roots = topic.roots
    names["topic_params"] = ", ".join(roots)
    names["topic_args"] = ", ".join("socket.assigns.current_scope" if r in ("scope", "current_scope")
                                    else f"socket.assigns.{r}" for r in roots)
    names["topic_string"] = '"' + str(topic) + '"'
    names["topic_per_viewer"] = bool(roots)
    from_assigns = [r for r in roots if r not in ("scope", "current_scope")]
    if from_assigns:
        listed = ", ".join(f"@{r}" for r in from_assigns)
        out.notes.append(f"The topic reads {listed} from the socket's assigns: set it in an on_mount hook (or mount) "
                         "after checking the user may see it, before subscribing.")


def _accept(out: Derivation) -> None:
    names = out.names
    filters = list(names["accept"])
    names["accept"] = filters
    unknown = read.unknown_to_mime(filters)
    names["accept_unknown"] = unknown
    images = read.image_filters(filters)
    names["accept_only_images"] = bool(images) and len(images) == len(filters)
    names["accept_some_images"] = bool(images) and len(images) < len(filters)
    pairs = [f'"application/x-{f[1:]}" => ["{f[1:]}"]' if f.startswith(".") else f'"{f}" => ["<extension>"]'
             for f in unknown]
    names["accept_mime_config"] = "config :mime, :types, %{" + ", ".join(pairs) + "}"
