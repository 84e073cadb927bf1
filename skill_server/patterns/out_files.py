"""Writing a snippet's files under a folder (`liveview-skill snippet --out DIR`) without harming what is there.

Every target is checked before anything is written: it must stay inside the folder once symlinks are resolved,
an existing file is only replaced with --force (a snippet's app.js is a fragment to merge, not a whole file),
and what --force replaces must be a regular file (a FIFO would block the write, a device or socket is no file
to replace). A replaced file is written as a new file beside it and renamed over it, so a hard link to the old
file (one name inside the folder, one outside) keeps the old text instead of being overwritten through."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import InputError


def write_files(files, out: Path, force: bool) -> None:
    """Writes each file (`.path` relative to `out`, `.content`) under `out`, or raises InputError and writes
    nothing when a target is outside `out`, exists without `force`, or exists as something else than a file."""
    targets = []
    for file in files:
        target = (out / file.path).resolve()
        if out.resolve() not in target.parents:
            raise InputError(f"refusing to write outside {out}: {file.path}")
        targets.append((target, file))
    existing = [(target, file) for target, file in targets if os.path.lexists(target)]
    if existing and not force:
        names = ", ".join(file.path for _, file in existing[:10])
        raise InputError(f"refusing to overwrite existing file(s) under {out}: {names}; merge the snippet by hand "
                         "(print it without --out), or pass --force to replace them")
    for target, file in existing:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            raise InputError(f"refusing to replace {file.path} under {out}: it is not a regular file")
    replaced = {target for target, _ in existing}
    for target, file in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target in replaced:
            _replace(target, file.content)
        else:
            with open(target, "x", encoding="utf-8") as handle:  # fails if the file appeared since the check
                handle.write(file.content)


def _replace(target: Path, content: str) -> None:
    """Writes `content` to a new file in `target`'s folder and renames it over `target`, with its permissions."""
    mode = stat.S_IMODE(os.lstat(target).st_mode)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
