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
    fading = [(h.start, h.end) for h in view.cue("disappear")]
    notices = view.cue("notice")

    def fades(found):
        hit = found.hit
        return (any(s < hit.end and hit.start < e for s, e in fading)
                and any(n.start <= hit.start and view.sentence(n.start) == found.sentence for n in notices))

    return view.drop(OVERRIDE, OVERRIDE.drops, where=fades)
