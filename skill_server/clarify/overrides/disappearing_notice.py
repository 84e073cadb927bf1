"""## What it does
Drops a delete whose words are a notice disappearing ("the toast should vanish after 5 s") when the
sentence names the notice before them. In a request whose notice ends on a clock ("close the flash
automatically", "a timeout option to put_flash"), also drops the archives and deletes that close, clear,
dismiss or hide a notice named in their sentence ("only closes when I press the close button", "users won't
have to clear every notification").

## Why
A toast, banner or flash that goes away by itself is a notification's lifetime, not a user deleting a
record (a lot that vanishes from the catalogue is still a delete: no notice word precedes it). Closing the
notices by hand is what the timer replaces, so it is the same lifetime; without the clock, "let people dismiss
notifications" keeps its archive (a notification centre's records)."""

from . import Override

OVERRIDE = Override("disappearing_notice", drops=("delete", "archive"), scope="sentence")


def apply(view):
    if "notify" not in view.kinds:
        return view
    fading, notices, timed = view.cue("disappear"), view.cue("notice"), bool(view.cue("self_timed"))

    def fades(hit):
        ends = [f for f in fading if f.start < hit.end and hit.start < f.end]
        named = [n for n in notices if view.sentence(n.start) == view.sentence(hit.start)]
        if timed:  # the notice is on a clock: any notice in the sentence is the one that ends
            return bool(ends and named)
        return hit.concept == "delete" and any(
            view.text[f.start:f.end].lower().startswith(("disappear", "vanish", "go", "fade")) for f in ends) and any(
            n.start <= hit.start for n in named)

    return view.drop(OVERRIDE, OVERRIDE.drops, where=fades)
