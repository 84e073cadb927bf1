"""## What it does
Settles the LiveView version when code pasted in the request (a fenced block) already uses an API only
newer versions have (a colocated hook, stream_async).

## Why
Code that compiles with that API tells which version the app is on."""

import re

from . import Override

OVERRIDE = Override("pasted_code_states_version", drops=("liveview_version",), scope="request")
CODE_BLOCK = re.compile(r"```.*?```", re.S)


def apply(view):
    from ..cues import interactions

    versioned = next(c for c in interactions() if c.name == "versioned_api")
    if any(versioned.found(block) for block in CODE_BLOCK.findall(view.request)):
        return view.settle(OVERRIDE, "liveview_version", "stated")
    return view
