"""A file replaced whole, never half-written: what every save of shequ's own files goes through.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk mid-write
leaves half a file. Here a write is made before the disk is touched (a bad value fails first),
then goes to a temporary file in the same folder, is fsynced, ``os.replace``-s the file and the
folder is fsynced: every reader sees a whole old file or a whole new one. The data file and
every export are written this way (a backup is a copy made the same way, store/engine/
backups.py); a writer killed mid-save leaves only a temp file (:func:`temp_files`), which the
next transaction deletes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from store.engine.layout import Payload
from store.engine.storage import StatKey, stat_key
from store.i18n import _


def describe_os_error(error: OSError, path: Path) -> str:
    """One plain sentence for why saving failed."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("Could not save {path}: the disk is full. Nothing was changed.").format(path=path)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _(
            "Could not save {path}: no permission to write in its folder. Nothing was changed."
        ).format(path=path)
    return _("Could not save {path}: {reason}. Nothing was changed.").format(
        path=path, reason=error.strerror or error
    )


def write_atomic(
    path: Path, payload: bytes | Payload, mode: int, group: int | None = None
) -> StatKey:
    """Replace ``path`` with ``payload`` so that readers only ever see a whole file.

    A :class:`~store.engine.layout.Payload` copies its unchanged ranges from the file being
    replaced (its ``source`` descriptor) rather than through Python. Returns the new file's
    stat key. Raises OSError with the original file untouched.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes 0600 whatever we want, and umask would trim os.open's mode: set it.
        os.fchmod(fd, mode)
        if group is not None:
            os.fchown(fd, -1, group)
        with open(fd, "wb", closefd=True) as handle:
            if isinstance(payload, Payload):
                payload.write_to(handle.fileno())
            else:
                handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            key = stat_key(os.fstat(handle.fileno()))
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(folder)
    if isinstance(payload, Payload) and payload.source is not None:
        # The replaced file's pages leave the page cache here, in the writer, which spent the
        # file's size anyway: else the last session to let go of that version frees them
        # (2 ms at 20,000 members, every save; docs/FOLLOW.md).
        with contextlib.suppress(OSError, AttributeError):
            os.posix_fadvise(payload.source, 0, 0, os.POSIX_FADV_DONTNEED)
    return key


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable across a power cut, where the filesystem allows.

    Best effort: it runs after the rename, when every reader already sees the new file, so a
    failure here must not be reported as "nothing was changed" (and some filesystems refuse
    fsync on a folder with EINVAL, which would fail every save).
    """
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def temp_files(path: Path) -> list[Path]:
    """Temp files :func:`write_atomic` left beside ``path`` (a writer killed mid-save)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        return [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return []
