"""## What it does
In a request that asks to see items (a list, a page or dashboard that lists them, 'I'd like to see ...') and in
which the rules recognised no interaction that leaves a decision open, tells the learned model the request asks
nothing more.

## Why
Viewing is not a write: with nothing changed there is no failure to show and nothing toggled to save. The
model, trained on words, reads 'votes', 'archive of past emails' or 'a dashboard of subscribers and their status'
like the writes it learned and asks how a failed change should look (real sets C and D: every such question it
added to a request to see items was wrong). A request whose writes the rules do recognise keeps its questions."""

from .. import cues
from . import Override

# It drops no hit: ruling the request out keeps the model from adding these write questions (decide.blended_missing).
OVERRIDE = Override("viewing_is_not_a_write", drops=("failure_ux", "persistence", "concurrency"), scope="request")


def apply(view):
    if not view.cue("read_only") or any(cues.interaction(kind).data["matters"] for kind in view.kinds):
        return view
    return view.rule_out(OVERRIDE, "a request to see items, with nothing written")
