"""## What it does
Drops a delete whose words are a notice disappearing ("the toast should vanish after 5 s") when the
sentence names the notice before them.

## Why
A toast, banner or flash that goes away by itself is a notification's lifetime, not a user deleting a
record (a lot that vanishes from the catalogue is still a delete: no notice word precedes it)."""

from . import Override

OVERRIDE = Override("disappearing_notice", drops=("delete",), scope="sentence")


def apply(view):
    if "notify" not in view.kinds:
        return view
    fading, notices = view.cue("disappear"), view.cue("notice")

    def fades(hit):
        return any(f.start < hit.end and hit.start < f.end for f in fading) and any(
            n.start <= hit.start and view.sentence(n.start) == view.sentence(hit.start) for n in notices)

    return view.drop(OVERRIDE, OVERRIDE.drops, where=fades)
