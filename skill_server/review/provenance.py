"""Where a handler's values come from: the client's payload (keys of the event's map, ids read from a form's
params, values bound from them) or the server (the records a page holds in its assigns, the acting user). The
security rules decide from this, not from a variable's name alone.

Everything here reads one handler clause's text or this module's calls once; nothing rescans the file per value.
"""

from __future__ import annotations

import re

from .elixir_tree import call_arguments, call_parts, text, walk

# A payload key and the variable bound to it: `"id" => id`, `"slide-id" => slide_id`, `"lane_id" => lane`.
# A stream's DOM id sent back (`%{"id" => "posts-" <> id}`) binds the record id after the prefix.
PAYLOAD_BINDING = re.compile(r'"([\w-]{1,60})"\s{0,8}=>\s{0,8}(?:"[^"\n]{0,40}"\s{0,4}<>\s{0,4})?([a-z_]\w{0,60})\b')
# A key naming a record's id: `id`, `post_id`, `slide-id`, `postId`, `user_uuid`.
ID_KEY = re.compile(r"(?:^|[_-])(?:id|uuid)$|^\w{0,40}[a-z]Id$|^id$")


def payload_bindings(payload: str) -> list[tuple[str, str]]:
    """(key, variable) of each value the event's payload pattern binds (`%{"id" => id, "slide-id" => s}`)."""
    return [(key, var) for key, var in PAYLOAD_BINDING.findall(payload) if not var.startswith("_")]


def id_variables(payload: str) -> set[str]:
    """Variables bound to an id-like key of the payload: as client-sent as the payload itself."""
    return {var for key, var in payload_bindings(payload) if ID_KEY.search(key)}


def params_maps(payload: str) -> set[str]:
    """Variables holding a whole map from the client: a form's params under a key (`"post" => post_params`) or
    the whole payload (`def handle_event("save", params, socket)`)."""
    maps = {var for key, var in payload_bindings(payload) if not ID_KEY.search(key)}
    # The whole payload, alone or bound beside a pattern (`%{"id" => id} = params`, `params = %{...}`).
    whole = re.fullmatch(r"\s*([a-z]\w{0,60})\s*|[\s\S]*\}\s{0,8}=\s{0,8}([a-z]\w{0,60})\s*|\s*([a-z]\w{0,60})\s{0,8}=\s{0,8}%[\s\S]*",
                         payload)
    return maps | ({next(g for g in whole.groups() if g)} if whole else set())


def reads_id_from(expression: str, maps: set[str]) -> bool:
    """The expression reads an id out of a client map: `params["id"]`, `Map.get(params, "post_id")`,
    `params |> Map.fetch!("id")` (a pipe, possibly over several lines)."""
    for name in maps:
        source = re.escape(name)
        if re.search(r"(?<![\w.])" + source + r'\[\s{0,4}"[\w-]{0,40}id"\s{0,4}\]|Map\.(?:get|fetch!?)\(\s{0,4}' + source +
                     r',\s{0,4}"[\w-]{0,40}id"|(?<![\w.])' + source + r'\s{0,40}\|>\s{0,8}Map\.(?:get|fetch!?)\(\s{0,4}"[\w-]{0,40}id"',
                     expression):
            return True
    return False


# The acting user bound in a handler: `%{current_user: user} = socket.assigns`, `user = socket.assigns.current_user`.
ACTOR_BOUND = re.compile(r"\bcurrent_(?:user|scope|account|member)\s{0,4}:\s{0,4}([a-z_]\w{0,60})\b[^\n]{0,200}\}\s{0,8}=(?![=>~])"
                         r"|\b([a-z_]\w{0,60})\s{0,4}=\s{0,4}socket\.assigns\.current_(?:user|scope|account|member)\b(?!\.)")


def unused_actor(body: str) -> str | None:
    """The acting user a handler binds and then never reads (`%{current_user: current_user} = socket.assigns`, no
    other `current_user`): the trace of a check that was there, or that was meant to be."""
    for count, match in enumerate(ACTOR_BOUND.finditer(body[:4000])):
        if count >= 3:
            break
        name = match.group(1) or match.group(2)
        if name.startswith("_"):
            continue
        rest = body[:match.start()] + body[match.end():]
        if re.search(r"(?<![\w.:])" + re.escape(name) + r"(?![\w:])", rest) is None:
            return name
    return None


# A field of the acting user read as a record's id: `current_user.attendee.id`, `current_scope.team_id`.
ACTOR_FIELD = re.compile(r"\bcurrent_(?:user|scope|account)((?:\.[a-z_]\w{0,40}){1,3})")


def actor_keys(text) -> frozenset[str]:
    """Payload keys naming a record the server already knows for the acting user (`attendee_id` where the module reads
    `current_user.attendee.id` or `current_user.attendee_id`): sent by the client, it can name another person's.
    `text` is the file's SourceText: the keys are found once per file, however many modules it has (audit 8 D10)."""
    return text.once("actor_keys", lambda: _actor_keys(text))


def _actor_keys(text) -> frozenset[str]:
    keys = set()
    for match, _ in text.every(ACTOR_FIELD):
        fields = match.group(1).split(".")[1:]
        for field, following in zip(fields, fields[1:] + [""]):
            if field.endswith("_id"):
                keys.add(field)
            elif following in ("id", "uuid"):
                keys.add(field + "_id")
    return frozenset(keys)


# A server-held record's id passed to a call: `Slides.clear_penalty(socket.assigns.curr_slide.id)`, `@order.id`.
HELD_ID = re.compile(r"^(?:socket\.assigns\.|assigns\.|@)([a-z_]\w{0,60})\.(?:id|uuid)$")


def held_id_calls(module_calls) -> dict[tuple[str, str, int], str]:
    """(Module, function, argument position) -> the assign whose id this module passes there somewhere
    (`Slides.clear_penalty(socket.assigns.curr_slide.id)` -> "curr_slide"): the functions the page calls with a
    record it holds."""
    found: dict[tuple[str, str, int], str] = {}
    for node, module, name in module_calls:
        if module is None or not module[:1].isupper():
            continue
        for index, argument in enumerate(call_arguments(node)[:3]):
            held = HELD_ID.match(text(argument).strip())
            if held:
                found.setdefault((module, name, index), held.group(1))
    return found


def client_arguments(body_node, variables: set[str]):
    """(call node, Module, function, argument position, variable) for each remote call in the body handed a client
    value itself as an argument (`Slides.apply_penalty(slide_id)`)."""
    for node in walk(body_node):
        if node.type != "call":
            continue
        module, name = call_parts(node)
        if module is None or not name:
            continue
        for index, argument in enumerate(call_arguments(node)[:3]):
            value = text(argument).strip()
            if value in variables:
                yield node, module, name, index, value
                break
