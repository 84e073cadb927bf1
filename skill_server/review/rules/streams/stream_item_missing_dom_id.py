"""## What it does
Flags stream children rendered from `@streams.name` without `id={dom_id}`, and stream containers that
lack `phx-update="stream"` or an `id`.

## Why is this bad?
The client matches stream items to DOM elements by id: without it inserts duplicate, updates and deletes
miss, and LiveView raises. The container must carry `phx-update="stream"` and an id, and be the items'
immediate parent.

## Example
```heex
<ul id="messages">
  <li :for={{_id, msg} <- @streams.messages}>{msg.body}</li>
</ul>
```

## Use instead
```heex
<ul id="messages" phx-update="stream">
  <li :for={{dom_id, msg} <- @streams.messages} id={dom_id}>{msg.body}</li>
</ul>
```

## False positives
None known for literal `@streams.` comprehensions.

## References
knowledge: streams#the-stream-contract-in-the-template
"""

from ...helpers import element_hit
from ...rule import Rule

RULE = Rule(
    slug="stream_item_missing_dom_id", code="LV302", family="streams", severity="error", confidence="high",
    languages=("heex",), summary="Stream items need id={dom_id} and a phx-update=\"stream\" parent with an id.",
    fix='Render id={dom_id} on each item and phx-update="stream" plus an id on the immediate parent.',
    cites="streams#the-stream-contract-in-the-template",
)


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            loop = element.attr(":for")
            if loop is None or "@streams." not in (loop.value or ""):
                continue
            if not element.has("id"):
                yield element_hit(element, "This stream item has no `id={dom_id}`.")
            parent = element.parent
            if parent is None:
                continue
            update = parent.attr("phx-update")
            if update is None or update.value != "stream":
                yield element_hit(parent, 'The stream container needs phx-update="stream".')
            elif not parent.has("id"):
                yield element_hit(parent, "The stream container needs an id.")
