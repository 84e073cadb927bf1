"""## What it does
Flags PubSub subscribes and broadcasts (`Phoenix.PubSub`'s, or the endpoint's own `AppWeb.Endpoint.subscribe/1`,
`broadcast/3`, `broadcast_from/4`) on a fixed topic string (no user, org or tenant in it) in a module
that works with a per-user scope (`current_scope`, `current_user`, an org or tenant).

## Why is this bad?
Every subscriber of a topic receives every message. Per-user or per-tenant data on a global topic reaches
every connected LiveView, and relying on each receiver to filter it out is fragile.

## Example
```elixir
Phoenix.PubSub.subscribe(MyApp.PubSub, "invoices")
```

## Use instead
```elixir
Phoenix.PubSub.subscribe(MyApp.PubSub, "org:#{scope.org.id}:invoices")
```

A topic held in a module attribute (`@topic "notifications"`) or returned by a zero-arity function of the
module (`defp topic, do: "notifications"`) is read from its definition. In project review, a call to the app's
own context (`Notifications.subscribe()`, `Chat.broadcast_message(msg)`: any remote call named `subscribe` or
`broadcast*`) is followed into that function's body in the project, and the topic it passes to
`Phoenix.PubSub` or the endpoint is judged the same way, reported at the LiveView's call; a context topic that
names the user or org (`"notifications:#{user.id}"`) or comes from the caller is not.

## False positives
Genuinely global data (a public status page, a global announcement) belongs on a global topic; the
module's scope usage (a current user or scope, a tenant, a `"user_id"`/`"user_uuid"` from the session) is only
a hint, so this is medium confidence, except for a topic named for what belongs to one person
(`"notifications"`, `"inbox"`, `"direct_messages"`, `"mentions"`): high, since every user's then reach everyone.
High too for a fixed topic this module also uses per record (`"party_events:" <> id` in a `handle_info` match,
`"party_events:#{id}"` elsewhere): the app scopes that family, and the bare name reaches every subscriber; and for
a broadcast on a fixed topic whose payload names the one record it is for (`%{device_id: device.id}`): every
subscriber receives it and must filter.
High too when the page loads its own records (in mount/handle_params, for the acting user or by a value of the URL:
`Billing.get_invoice!(scope, number)`, `list_drafts(current_user)`) and a `handle_info/2` puts whatever message
arrives into the same assign or stream with no check (no comparison, guard or branch): every page then shows every
user's records. A page that also subscribes to a topic naming its record is not judged so (the message may come
from there).

## Severity and confidence
Warning, no harm class: a global topic is right for global data, and the module's scope usage is only a hint,
so it is medium (strict only); high for a personal topic name, a topic the module scopes elsewhere, a broadcast
addressed to one record in its payload, and for a page whose own records a message takes in unchecked.

## References
knowledge: security#scoped-pubsub-topics
"""

import re

from ....parsing import parse
from ....sanitize import code_span
from ...elixir_tree import all_modules, call_arguments, calls, read_module, text
from ...helpers import hit
from ...project_sources import module_source
from ...rule import Rule

RULE = Rule(
    slug="unscoped_pubsub_topic", code="LV603", family="security", severity="warning", confidence="medium",
    languages=("elixir",), summary="A global PubSub topic in a module that handles per-user data.",
    fix="Put the user, org or tenant id in the topic.", cites="security#scoped-pubsub-topics",
)
SCOPED_DATA = re.compile(r"current_scope|current_user|tenant|org_id|organization|\"user_(?:id|uuid)\"\s{0,4}=>")
# A topic named for what belongs to one person: whoever subscribes gets everyone's.
PERSONAL = re.compile(r'^"(?:[\w.-]{0,40}[:_/.-])?(?:notifications?|inbox|direct_messages?|dms?|mentions|private_messages?|'
                      r'messages_for_user|user_events|alerts_for_user)"$')
INTERPOLATED_SUBSCRIBE = re.compile(r"subscribe\([^\n]{0,120}#\{")  # a topic that names its user or record
PUBSUB_CALLS = {"subscribe", "broadcast", "broadcast!", "broadcast_from", "broadcast_from!"}
FIXED = re.compile(r'"(?:[^"\\\n#]|#(?!\{)){0,200}"')  # a plain string literal: no interpolation, no escapes
LOCAL_CALL = re.compile(r"([a-z_]\w{0,60})\(\s*\)")  # `topic()`
VARIABLE = re.compile(r"[a-z_]\w{0,60}")


def check(ctx):
    if not ctx.text.search(SCOPED_DATA):
        return
    owners = {}  # context module -> (its source, its read module), read once per file
    received: list[str | None] = []  # the page's own assign a message fills unchecked, read once when a topic is fixed
    for node, module, name in ctx.calls():
        if module is None:
            continue
        if _pubsub(module):
            topic = _fixed(_topic_argument(node, module, name), ctx.text.source, ctx.module) if name in PUBSUB_CALLS else ""
            where = ""
        elif ctx.project_root and (name == "subscribe" or name.startswith("broadcast")):
            topic, where = _context_topic(ctx, node, module, name, owners)
        else:
            continue
        if topic:
            if not received:
                received.append(_received_unchecked(ctx))
            # A topic named for one person's things (notifications, an inbox): every user's reach everyone. So do the
            # records of a page that loads its own (by the URL's id, for the acting user) and takes whatever arrives
            # into the same assign.
            if PERSONAL.match(topic):
                yield hit(node, f"The topic {code_span(topic)}{where} is the same for every user.", "high")
            elif topic.strip('"') in _scoped_families(ctx):
                yield hit(node, f"The topic {code_span(topic)}{where} is the same for every user, though this module "
                                f"scopes it elsewhere ({code_span(topic[:-1] + ':...' + chr(34))}): every subscriber "
                                "gets every record's messages.", "high")
            elif name.startswith("broadcast") and _addressed(node):
                yield hit(node, f"The topic {code_span(topic)}{where} is the same for every subscriber, but the message "
                                "names the one record it is for: every subscriber receives it and must filter. Put the "
                                "id in the topic.", "high")
            elif received[0]:
                yield hit(node, f"The topic {code_span(topic)}{where} is the same for every user, and what arrives on it "
                                f"goes unchecked into {code_span('@' + received[0])}, which this page loads for one user "
                                "or record: every page shows every user's.", "high")
            else:
                yield hit(node, f"The topic {code_span(topic)}{where} is the same for every user.")


def _pubsub(module: str) -> bool:
    return "PubSub" in module or module == "Endpoint" or module.endswith(".Endpoint") or \
        module in ("socket.endpoint", "@endpoint")


# A topic this module also uses per record: `"room:" <> id` in a match, `"room:#{id}"` in a call.
FAMILY = re.compile(r'"([\w.-]{1,80})[:/](?:"\s{0,4}<>|#\{)')
# A broadcast payload addressed to one record: `%{device_id: device.id}`, `%{"user_id" => id}`.
ADDRESSED = re.compile(r'^%\{[^{}]{0,300}?(?:(?<![\w"])[a-z]\w{0,40}_id:\s|"[a-z]\w{0,40}_id"\s{0,4}=>)')


def _scoped_families(ctx) -> set[str]:
    return ctx.text.once("unscoped_pubsub_topic.families", lambda: {m.group(1) for m, _ in ctx.text.every(FAMILY)})


def _addressed(node) -> bool:
    """The broadcast's payload (its last argument) is a map naming one record's id."""
    args = call_arguments(node)
    return bool(args) and ADDRESSED.match(text(args[-1])[:400].strip()) is not None


def _topic_argument(node, module: str, name: str) -> str:
    """The topic this Phoenix.PubSub or endpoint call passes, as written ('' when it passes none)."""
    # Phoenix.PubSub takes the server first (`subscribe(App.PubSub, topic)`); an endpoint's own functions do not
    # (`AppWeb.Endpoint.subscribe(topic)`); broadcast_from puts the sender's pid before the topic in both.
    position = ("PubSub" in module) + name.startswith("broadcast_from")
    args = call_arguments(node)
    return text(args[position]).strip() if len(args) > position else ""


def _fixed(topic: str, source: str, owner) -> str:
    """The topic's fixed literal, as written or behind a module attribute or zero-arity function of `owner` (the
    module, whose text is `source`), else ''."""
    topic = _resolved(topic, source, owner)
    return topic if FIXED.fullmatch(topic) else ""


def _resolved(topic: str, source: str, owner) -> str:
    """A module attribute's literal (`@topic "notifications"` for `@topic`), or the literal a zero-arity function
    of the module returns (`defp topic, do: "notifications"` for `topic()`), else the topic as written."""
    attribute = re.fullmatch(r"@([a-z_]\w{0,60})", topic)
    if attribute is not None:
        value = re.search(r"^[ \t]{0,40}@" + attribute.group(1) + r"[ \t]{1,8}(\"[^\"\n]{0,200}\")[ \t]*$", source, re.M)
        return value.group(1) if value else topic
    local = LOCAL_CALL.fullmatch(topic)
    if local is None or owner is None:
        return topic
    bodies = {_unwrapped(text(c.body)) for c in owner.clauses_of(local.group(1), 0) if c.body is not None}
    return bodies.pop() if len(bodies) == 1 else topic


def _unwrapped(body: str) -> str:
    """`do\n "x"\n end` (a do-block body) -> `"x"`; a `do:` body as it is."""
    body = body.strip()
    if body.startswith("do") and body.endswith("end"):
        return body[2:-3].strip()
    return body


def _context_topic(ctx, node, module: str, name: str, owners: dict) -> tuple[str, str]:
    """In project review: the fixed topic the project's own `module.name` (its clauses of this call's arity) passes
    to Phoenix.PubSub or the endpoint, with where it is said (` (via `Notifications.subscribe/0`)`), else ('', '').
    A topic the function takes as a parameter is the caller's argument there (`Chat.broadcast("lobby", msg)`)."""
    if module not in owners:
        source = module_source(ctx.project_root, module)
        found = all_modules(parse("elixir", source).root_node) if source is not None else []
        owners[module] = (source, read_module(found[0])) if found else None
    if owners[module] is None:
        return "", ""
    (source, owner), arguments = owners[module], call_arguments(node)
    for clause in owner.clauses_of(name, len(arguments)):
        if clause.kind != "def" or clause.body is None:
            continue
        parameters = [text(p).strip() for p in clause.params]
        for call, called, called_name in calls(clause.body, PUBSUB_CALLS):
            if not called or not _pubsub(called):
                continue
            topic = _topic_argument(call, called, called_name)
            if VARIABLE.fullmatch(topic) and topic in parameters:
                passed = text(arguments[parameters.index(topic)]).strip()
                fixed = _fixed(passed, ctx.text.source, ctx.module)
            else:
                fixed = _fixed(topic, source, owner)
            if fixed:
                return fixed, f" (via {code_span(f'{module}.{name}/{len(arguments)}')})"
    return "", ""


# The page's own records: an assign or stream filled in mount/handle_params from a call given the acting user or a value
# of the URL's params (`assign(socket, :payment, Billing.get_payment!(order_id))`, a variable holding such a call).
FILLED = re.compile(r"(?:assign|stream)\(\s{0,8}(?:socket\s{0,8},\s{0,8})?(?::([a-z_]\w{0,60})\s{0,8},\s{0,8}([^\n]{1,200})|"
                    r"\[?\s{0,8}([a-z_]\w{0,60}):\s{1,8}([^\n]{1,200}))")
ACTING = re.compile(r"current_(?:user|scope|account)|\bscope\b")
CHECKED = re.compile(r"==|!=|\^|\bwhen\b|\bif\b|\bcase\b|\bcond\b|Enum\.filter|Enum\.reject")
TAKEN_IN = re.compile(r"(?:stream_insert|assign|update)\(\s{0,8}(?:socket\s{0,8},\s{0,8})?(?::([a-z_]\w{0,60})\b|"
                      r"\[?\s{0,8}([a-z_]\w{0,60}):\s)")


def _received_unchecked(ctx) -> str | None:
    """The assign (or stream) a `handle_info/2` fills with the message's value, unchecked (no comparison, guard or
    branch), that mount/handle_params load for the acting user or by a value of the URL: a message on a global topic
    then replaces or extends the page's own records with anyone's. None when there is none, or when the module also
    subscribes to a topic that names its user or record (the message may come from there)."""
    module = ctx.module
    if module is None or ctx.text.search(INTERPOLATED_SUBSCRIBE):
        return None
    loaded = set()
    for clause in [*module.clauses_of("mount", 3), *module.clauses_of("handle_params", 3)]:
        if clause.body is None or not clause.params:
            continue
        body = text(clause.body)
        url = {v for v in re.findall(r"(?<![\w.\"])([a-z_]\w{0,60})\b(?!\s{0,4}[(:])", text(clause.params[0]))
               if not v.startswith("_")}
        for match in FILLED.finditer(body):
            name, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            held = re.match(r"\s{0,8}([a-z_]\w{0,60})\s{0,8}[),\]]", value)
            if held:  # a variable: the call it was bound from
                bound = re.search(r"\b" + held.group(1) + r"\s{0,8}=\s{0,8}([^\n]{1,200})", body)
                value = bound.group(1) if bound else value
            if "(" in value and (ACTING.search(value) or any(re.search(r"\b" + re.escape(v) + r"\b", value) for v in url)):
                loaded.add(name)
    if not loaded:
        return None
    for clause in module.clauses_of("handle_info", 2):
        if clause.body is None or not clause.params:
            continue
        message = text(clause.params[0])
        values = {v for v in re.findall(r"(?<![\w.:\"])([a-z_]\w{0,60})\b", message) if not v.startswith("_")}
        body = text(clause.body)
        if not values or CHECKED.search(body) or CHECKED.search(text(clause.head)):
            continue
        for match in TAKEN_IN.finditer(body):
            name = match.group(1) or match.group(2)
            rest = body[match.end():match.end() + 200]
            if name in loaded and any(re.search(r"\b" + re.escape(v) + r"\b", rest.split("\n")[0]) for v in values):
                return name
    return None
