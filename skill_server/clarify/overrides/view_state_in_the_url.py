"""## What it does
In a request that keeps a list's view in the URL (its query string, a link to share or bookmark) while it
filters, searches or sorts, drops the sorting it names ('sort the table by date'), a bookmark of that URL and
a 'live table' (a LiveView page, not a broadcast), and tells the learned model the request asks nothing more.

## Why
Filters, sort order and page in the URL are navigation state (push_patch, handle_params): no record changes,
so there is no failure to show and no list to stream. 'Sort' there orders the view, it does not save a new
order; 'bookmark it' is the browser's bookmark of the link; 'our live tables' means LiveView tables. Dragging
rows into a saved order, or deleting one, is still asked: only those three readings are dropped."""

from . import Override

OVERRIDE = Override("view_state_in_the_url", drops=("reorder", "toggle", "realtime"), scope="request")
VIEW_WORDS = {"reorder": "sort", "toggle": "bookmark", "realtime": "live"}  # the one reading dropped of each


def apply(view):
    url = view.cue("url_state")
    if not url or not ("search" in view.kinds or any("sort" in view.text[h.start:h.end].lower()
                                                      for h in view.hits("reorder"))):
        return view
    linked = view.sentences(url)
    view = view.drop(OVERRIDE, OVERRIDE.drops, where=lambda hit: VIEW_WORDS[hit.concept] in view.text[
        hit.start:hit.end].lower() and (hit.concept != "toggle" or view.sentence(hit.start) in linked))
    return view.rule_out(OVERRIDE, "a list's view state in the URL")
