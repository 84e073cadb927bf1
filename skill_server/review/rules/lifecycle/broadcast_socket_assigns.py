"""## What it does
Flags PubSub or endpoint broadcasts whose payload is the socket, `socket.assigns` or `assigns`.

## Why is this bad?
Every subscriber receives a copy of the whole socket or assigns map: private data of one user (the
current scope, form state) travels to every other LiveView on the topic, and large messages slow all of
them down.

## Example
```elixir
Phoenix.PubSub.broadcast(MyApp.PubSub, "room:1", {:updated, socket.assigns})
```

## Use instead
```elixir
Phoenix.PubSub.broadcast(MyApp.PubSub, "room:1", {:message_created, message})
```

## False positives
Payloads that merely contain a field read from assigns (`socket.assigns.room.id`) are not flagged.

## Severity and confidence
Error, harm security: every subscriber receives one user's whole state (their scope, tokens, form data). High
confidence: the socket or assigns are the payload.

## References
knowledge: lifecycle#pubsub-topics-and-polling
"""

import re

from ...elixir_tree import call_arguments, text
from ...rule import Hit, Rule

RULE = Rule(
    slug="broadcast_socket_assigns", code="LV115", family="lifecycle", severity="error", confidence="high",
    languages=("elixir",), summary="Broadcasting the socket or its assigns sends one user's state to everyone.",
    fix="Broadcast only the data subscribers need (an id or the changed record).",
    cites="lifecycle#pubsub-topics-and-polling", harm="security",
)
WHOLE = re.compile(r"(?<![\w.])(socket\.assigns|socket|assigns)(?![\w.\[])")


def check(ctx):
    for node, module, name in ctx.calls({"broadcast", "broadcast!", "broadcast_from", "broadcast_from!",
                                               "local_broadcast"}):
        if module is None or not ("PubSub" in module or "Endpoint" in module):
            continue
        args = call_arguments(node)
        if not args:
            continue
        payload = text(args[-1])
        whole = WHOLE.search(payload)
        if whole:
            # Reported where the socket or assigns sit in the payload (a map built over several lines names the
            # offending key there), not at the call.
            line = args[-1].start_point[0] + 1 + payload.count("\n", 0, whole.start())
            yield Hit(line=line, column=node.start_point[1] + 1,
                      message="The broadcast payload contains the socket or its assigns.")
