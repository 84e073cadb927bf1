"""## What it does
Drops the reorder (drag and drop) from a request for an upload.

## Why
Dragging and dropping a file is an upload, not a reorder of items. Scope: the request, since "upload scans;
we'd like drag and drop" names the drop zone in another sentence."""

from . import Override

OVERRIDE = Override("file_drop_is_upload", drops=("reorder",), scope="request")


def apply(view):
    return view.drop(OVERRIDE, OVERRIDE.drops) if "upload" in view.kinds else view
