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

A topic held in a module attribute (`@topic "notifications"`) is read from its definition.

## False positives
Genuinely global data (a public status page, a global announcement) belongs on a global topic; the
module's scope usage (a current user or scope, a tenant, a `"user_id"`/`"user_uuid"` from the session) is only
a hint, so this is medium confidence, except for a topic named for what belongs to one person
(`"notifications"`, `"inbox"`, `"direct_messages"`, `"mentions"`): high, since every user's then reach everyone.

## Severity and confidence
Warning, no harm class: a global topic is right for global data, and the module's scope usage is only a hint,
so it is medium (strict only); high for a personal topic name.

## References
knowledge: security#scoped-pubsub-topics
"""

import re

from ....sanitize import code_span
from ...elixir_tree import call_arguments, text
from ...helpers import hit
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


def check(ctx):
    if not ctx.text.search(SCOPED_DATA):
        return
    for node, module, name in ctx.calls({"subscribe", "broadcast", "broadcast!", "broadcast_from", "broadcast_from!"}):
        if module is None or not ("PubSub" in module or module == "Endpoint" or module.endswith(".Endpoint")):
            continue
        # Phoenix.PubSub takes the server first (`subscribe(App.PubSub, topic)`); an endpoint's own functions do not
        # (`AppWeb.Endpoint.subscribe(topic)`); broadcast_from puts the sender's pid before the topic in both.
        position = ("PubSub" in module) + name.startswith("broadcast_from")
        args = call_arguments(node)
        topic = _attribute_value(ctx, text(args[position]).strip()) if len(args) > position else ""
        if topic.startswith('"') and "#{" not in topic:
            # A topic named for one person's things (notifications, an inbox): every user's reach everyone.
            yield hit(node, f"The topic {code_span(topic)} is the same for every user.",
                      "high" if PERSONAL.match(topic) else None)


def _attribute_value(ctx, topic: str) -> str:
    """A module attribute's literal (`@topic "notifications"` for `@topic`), else the topic as written."""
    name = re.fullmatch(r"@([a-z_]\w{0,60})", topic)
    if name is None:
        return topic
    value = ctx.text.search(re.compile(r"^[ \t]{0,40}@" + name.group(1) + r"[ \t]{1,8}(\"[^\"\n]{0,200}\")[ \t]*$", re.M))
    return value.group(1) if value else topic
