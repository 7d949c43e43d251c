"""The data file on disk: parsed only when it changed, replaced whole, never half-written.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk mid-write leaves
half a file, and it re-reads the whole file on every query. Here:

* a write serializes first (a bad value fails before the disk is touched), writes a temporary
  file in the same folder, fsyncs it, ``os.replace``-s it over the data file and fsyncs the
  folder, so every reader sees a whole old file or a whole new one;
* a read re-parses only when the file's (inode, mtime_ns, size) changed, which is what makes
  reads free when nobody wrote and writes cheap at 20,000 members.

Parsed data handed out here is shared and must be treated as read-only; the transaction layer
(store/database.py) copies what it changes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store.i18n import _

# {table name: {doc_id as str: document}} -- TinyDB's own file layout, kept so the file stays
# readable by plain TinyDB tools.
Data = dict[str, dict[str, dict[str, Any]]]
StatKey = tuple[int, int, int]


class FileProblem(Exception):
    """Low-level failure; the database layer turns it into a StoreError with context."""

    def __init__(self, message: str, *, corrupt: bool = False) -> None:
        super().__init__(message)
        self.corrupt = corrupt


def stat_key(st: os.stat_result) -> StatKey:
    """What identifies one version of the file without reading it."""
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def current_key(path: Path) -> StatKey | None:
    """The stat key of the file now, or None when there is no file."""
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None


def parse(raw: bytes, path: Path) -> Data:
    """Parse and shape-check the file's bytes; anything odd is a corrupt file."""
    if not raw.strip():
        raise FileProblem(_("{path} is empty.").format(path=path), corrupt=True)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise FileProblem(
            _("{path} is damaged (not valid JSON at byte {pos}).").format(
                path=path, pos=getattr(error, "pos", "?")
            ),
            corrupt=True,
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise FileProblem(
            _("{path} is damaged (not a shequ database).").format(path=path), corrupt=True
        )
    return data


def read_file(path: Path) -> tuple[StatKey, Data] | None:
    """Read and parse the file as one consistent version, or None when there is none.

    The stat key comes from the open descriptor, so it always describes the bytes we read even
    if another process replaces the file meanwhile.
    """
    try:
        with open(path, "rb") as handle:
            key = stat_key(os.fstat(handle.fileno()))
            raw = handle.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None
    return key, parse(raw, path)


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


def write_atomic(path: Path, payload: bytes, mode: int, group: int | None = None) -> StatKey:
    """Replace ``path`` with ``payload`` so that readers only ever see a whole file.

    Returns the new file's stat key. Raises OSError with the original file untouched.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes 0600 whatever we want, and umask would trim os.open's mode: set it.
        os.fchmod(fd, mode)
        if group is not None:
            os.fchown(fd, -1, group)
        with open(fd, "wb", closefd=True) as handle:
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
    return key


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable across a power cut."""
    dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def serialize(data: Data) -> bytes:
    """The file's bytes: compact UTF-8 JSON (orjson refuses NaN and non-str keys for us)."""
    return orjson.dumps(data)


class CachedFile:
    """The parsed file, kept while its stat key is unchanged; shared, so never mutated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: StatKey | None = None
        self._data: Data = {}

    def load(self) -> tuple[StatKey | None, Data]:
        """The current version of the file; parses only when it changed on disk."""
        key = current_key(self.path)
        if key is None:
            return None, {}
        if key != self._key:
            result = read_file(self.path)
            if result is None:
                return None, {}
            self._key, self._data = result
        return self._key, self._data

    def remember(self, key: StatKey, data: Data) -> None:
        """Adopt what we just wrote, so our own write costs no re-parse."""
        self._key, self._data = key, data

    def forget(self) -> None:
        """Drop the cache (after a failed transaction that may have touched shared data)."""
        self._key, self._data = None, {}


class TransactionStorage(Storage):
    """What TinyDB sees inside one transaction: reads and writes go to a private working copy.

    The working copy starts as a shallow copy of the parsed file, so TinyDB's table rebuilds
    never touch the shared cache; :meth:`Transaction.update` copies a document before TinyDB
    changes it in place. Nothing reaches the disk until the transaction commits.
    """

    def __init__(self, data: Data) -> None:
        self.data: Data = dict(data)
        self.dirty = False

    def read(self) -> Data:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.dirty = True

    def tables(self) -> Iterator[str]:
        """Names of the tables that hold data."""
        return iter(self.data)
