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
import gc
import os
import re
import tempfile
import threading
import weakref
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


class UnsafeFile(Exception):
    """The data file is writable by every user; the database layer explains what to run."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


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
        data = _loads_without_gc(raw)
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


def _loads_without_gc(raw: bytes) -> Any:
    """``orjson.loads`` with the cyclic garbage collector paused.

    Parsing 20,000 members makes some 400,000 containers; each batch of new ones triggers a
    collection that scans the growing heap, which made a parse three times slower (175 ms
    against 60 ms in tests/bench). Parsed JSON holds no reference cycles, so pausing leaks
    nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return orjson.loads(raw)
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: Path) -> tuple[StatKey, Data] | None:
    """Read and parse the file as one consistent version, or None when there is none.

    The stat key comes from the open descriptor, so it always describes the bytes we read even
    if another process replaces the file meanwhile.
    """
    result = _read_pinned(path)
    if result is None:
        return None
    key, data, fd = result
    os.close(fd)
    return key, data


def _read_pinned(path: Path) -> tuple[StatKey, Data, int] | None:
    """Like :func:`read_file`, but also return the still-open descriptor of what was read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None
    try:
        key = stat_key(os.fstat(fd))
        with open(fd, "rb", closefd=False) as handle:
            raw = handle.read()
        return key, parse(raw, path), fd
    except OSError as error:
        os.close(fd)
        raise FileProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None
    except BaseException:
        os.close(fd)
        raise


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


def serialize(data: Data) -> bytes:
    """The file's bytes: compact UTF-8 JSON (orjson refuses NaN and non-str keys for us)."""
    return orjson.dumps(data)


class CachedFile:
    """The parsed file, kept while its stat key is unchanged; shared, so never mutated.

    The cache keeps the version it parsed open. That pins its inode number: while it is held,
    no other file can be given that number, so a file with the cached (inode, mtime_ns, size)
    really is the one parsed. Without the pin, ext4 hands the freed number to the very next
    save, and two saves of equal size within one timestamp tick (1 s on some filesystems, a
    jiffy on older kernels) would look unchanged: a transaction would build on an old version
    and silently undo the saves in between. The cost is one descriptor, and the disk space of
    one superseded version until the next load.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # (key, data) as one value: threads (UI workers) never see one version's key with
        # another's data.
        self._state: tuple[StatKey | None, Data] = (None, {})
        self._pin: list[int] = []  # the descriptor of the cached version, if any
        self._swap = threading.Lock()
        weakref.finalize(self, _close_all, self._pin)

    def load(self) -> tuple[StatKey | None, Data]:
        """The current version of the file; parses only when it changed on disk.

        Refuses (UnsafeFile) a file every user may write, checked on the stat every load
        makes anyway: a chmod changes no stat key, so a cached file is checked too.
        """
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None, {}
        if st.st_mode & 0o002:
            raise UnsafeFile(self.path)
        key = stat_key(st)
        state = self._state
        if key != state[0]:
            result = _read_pinned(self.path)
            if result is None:
                return None, {}
            key, data, fd = result
            state = (key, data)
            self._adopt(state, fd)
        return state

    def remember(self, key: StatKey, data: Data) -> None:
        """Adopt what we just wrote, so our own write costs no re-parse."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            self.forget()
            return
        if stat_key(os.fstat(fd)) != key:  # not ours after all: parse it when asked
            os.close(fd)
            self.forget()
            return
        self._adopt((key, data), fd)

    def forget(self) -> None:
        """Drop the cache (after a failed transaction that may have touched shared data)."""
        self._adopt((None, {}), None)

    def _adopt(self, state: tuple[StatKey | None, Data], fd: int | None) -> None:
        with self._swap:
            self._state = state
            _close_all(self._pin)
            if fd is not None:
                self._pin.append(fd)


def _close_all(fds: list[int]) -> None:
    while fds:
        with contextlib.suppress(OSError):
            os.close(fds.pop())


class TransactionStorage(Storage):
    """What TinyDB sees inside one transaction: reads and writes go to a private working copy.

    The working copy starts as a shallow copy of the parsed file: TinyDB's operations build
    new table dicts, and :meth:`own` gives the transaction's own edits a private copy of a
    table the first time it changes it, so the shared cache is never touched. Nothing reaches
    the disk until the transaction commits.
    """

    def __init__(self, data: Data) -> None:
        self.data: Data = dict(data)
        self.dirty = False
        self._owned: set[str] = set()

    def read(self) -> Data:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        # TinyDB rebuilt the tables it changed; they are ours now, but cheaper to copy once
        # more than to track which.
        self._owned.clear()
        self.dirty = True

    def own(self, table: str) -> dict[str, dict[str, Any]]:
        """``table``'s documents, safe to change in place: copied once per transaction.

        Marks the transaction dirty, since the caller is about to change something.
        """
        if table not in self._owned:
            self.data[table] = dict(self.data.get(table, {}))
            self._owned.add(table)
        self.dirty = True
        return self.data[table]

    def tables(self) -> Iterator[str]:
        """Names of the tables that hold data."""
        return iter(self.data)
