"""The data file on disk: parsed only when it changed, replaced whole, never half-written.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk mid-write leaves
half a file, and it re-reads the whole file on every query. Here:

* a write serializes first (a bad value fails before the disk is touched), writes a temporary
  file in the same folder, fsyncs it, ``os.replace``-s it over the data file and fsyncs the
  folder, so every reader sees a whole old file or a whole new one;
* a read looks at the file again only when its (inode, mtime_ns, size) changed, and then keeps
  a :class:`FileVersion`: the file held open, where each table sits in it (store/engine/
  layout.py) and the small tables parsed. Big tables stay on disk until a reader asks, in
  bounded batches, so a session holds what its screens need, not the whole file as dicts.

Parsed data handed out here is shared and must be treated as read-only; the transaction layer
(store/engine/working.py) copies what it changes.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from store.engine.layout import SMALL_TABLE as SMALL
from store.engine.layout import NotLines, Payload, Region, encode, parse_region, scan
from store.i18n import _

# {table name: {doc_id as str: document}} -- TinyDB's own file layout, kept so the file stays
# readable by plain TinyDB tools.
Table = dict[str, dict[str, Any]]
Data = dict[str, Table]
StatKey = tuple[int, int, int]


class FileProblem(Exception):
    """Low-level failure; the database layer turns it into a StoreError with context."""

    def __init__(self, message: str, *, corrupt: bool = False) -> None:
        super().__init__(message)
        self.corrupt = corrupt


class DamagedTable(FileProblem):
    """A table of a file in the line layout does not parse (found when it is first read)."""

    def __init__(self, table: str) -> None:
        super().__init__(table, corrupt=True)
        self.table = table


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


def _open_for_reading(path: Path) -> int | None:
    """A descriptor to read ``path`` through (None when there is no file yet); any other
    failure is a :class:`FileProblem` that names the file and the reason."""
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None


def _read_pinned(path: Path) -> tuple[StatKey, Data, int] | None:
    """Like :func:`read_file`, but also return the still-open descriptor of what was read."""
    fd = _open_for_reading(path)
    if fd is None:
        return None
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


def serialize(data: Data) -> bytes:
    """The file's bytes for parsed ``data``, one record per line (store/engine/layout.py).

    orjson refuses NaN and non-str keys for us.
    """
    return encode(data).bytes()


class FileVersion:
    """One version of the data file, held open: what every reader of that version shares.

    ``regions`` says where each table's record lines sit (None for a file not in the line
    layout, an older compact one: then every table is in ``parsed``); a table up to
    :data:`~store.engine.layout.SMALL_TABLE` bytes is parsed the first time someone reads it
    (:meth:`table`) and kept, a bigger one is read from ``fd`` whenever asked. The descriptor
    stays open as long as anyone holds this object (a screen's snapshot may outlive the
    cache's interest in it), so a reader always reads the version it started with, even after
    another process replaced the file.

    ``memo`` keeps what readers derived from this version (the compact read models), built
    once and shared by every screen.
    """

    def __init__(
        self,
        key: StatKey | None,
        fd: int | None,
        regions: dict[str, Region] | None,
        parsed: Data,
        order: list[str] | None = None,
    ) -> None:
        self.key = key
        self.fd = fd
        self.regions = regions
        self.parsed = parsed
        self.order = order if order is not None else list(regions or parsed)
        self.memo: dict[str, Any] = {}
        # Where this version stands in the change log, once known (store/engine/follow.py).
        self.log_at: object | None = None
        # What byte searches of big tables found ((table, field, value) -> records): a page
        # showing one member reads it again on every save elsewhere; a followed version keeps
        # the finds no change touched (store/engine/follow.py).
        self.finds: dict[tuple[str, str, str], list[Any]] = {}
        self.memo_lock = threading.RLock()  # a model may build on another (contacts on members)
        self._parse_lock = threading.Lock()
        if fd is not None:
            weakref.finalize(self, _close_all, [fd])

    def table(self, name: str) -> Table | None:
        """A small table's documents, parsed on first use and kept; None for a big one (read it
        from the file); empty for a table the file does not have.

        Raises DamagedTable for a small table that does not parse.
        """
        found = self.parsed.get(name)
        if found is not None:
            return found
        region = self.regions.get(name) if self.regions is not None else None
        if region is None:
            return {}
        if not kept_parsed(region.size):
            return None
        assert self.fd is not None
        with self._parse_lock:
            found = self.parsed.get(name)
            if found is None:
                try:
                    found = self.parsed[name] = parse_region(self.fd, region)
                except (NotLines, OSError):
                    raise DamagedTable(name) from None
        return found


EMPTY = FileVersion(None, None, None, {})


def kept_parsed(size: int) -> bool:
    """Whether a table of ``size`` bytes is small enough for readers to keep parsed."""
    return size <= SMALL


def open_version(path: Path) -> FileVersion | None:
    """Read the file at ``path`` as a :class:`FileVersion`, or None when there is none.

    The stat key comes from the open descriptor, so it always describes the bytes we read
    even if another process replaces the file meanwhile.
    """
    fd = _open_for_reading(path)
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        key = stat_key(st)
        try:
            found = scan(fd, st.st_size)
        except NotLines:
            with open(fd, "rb", closefd=False) as handle:
                data = parse(handle.read(), path)
            return FileVersion(key, fd, None, data)
        regions = {region.name: region for region in found}
        return FileVersion(key, fd, regions, {}, [region.name for region in found])
    except OSError as error:
        os.close(fd)
        raise FileProblem(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from None
    except BaseException:
        os.close(fd)
        raise


class CachedFile:
    """The current :class:`FileVersion`, kept while the file's stat key is unchanged.

    The cache keeps the version it read open. That pins its inode number: while it is held,
    no other file can be given that number, so a file with the cached (inode, mtime_ns, size)
    really is the one read. Without the pin, ext4 hands the freed number to the very next
    save, and two saves of equal size within one timestamp tick (1 s on some filesystems, a
    jiffy on older kernels) would look unchanged: a transaction would build on an old version
    and silently undo the saves in between. The cost is one descriptor, and the disk space of
    one superseded version until the next load.
    """

    def __init__(
        self, path: Path, successor: Callable[[FileVersion], FileVersion | None] | None = None
    ) -> None:
        self.path = path
        # Makes the next version from the one held when the file changed, without reading it
        # whole (the change log: store/engine/follow.py); None when it cannot.
        self._successor = successor
        self._version = EMPTY
        self._swap = threading.Lock()
        self._reading = threading.Lock()

    def load(self) -> FileVersion:
        """The current version of the file; reads it again only when it changed on disk.

        Refuses (UnsafeFile) a file every user may write, checked on the stat every load
        makes anyway: a chmod changes no stat key, so a cached file is checked too.
        """
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return EMPTY
        if st.st_mode & 0o002:
            raise UnsafeFile(self.path)
        version = self._version
        if stat_key(st) != version.key:
            # One reader at a time reads a new version: two screens' workers asking at once
            # must share one (and the models built on it), not each build their own.
            with self._reading:
                version = self._version
                if stat_key(st) != version.key:
                    found = None
                    if self._successor is not None and version is not EMPTY:
                        found = self._successor(version)
                    if found is None:
                        found = open_version(self.path)
                    if found is None:
                        return EMPTY
                    version = found
                    self._adopt(version)
        return version

    def remember(
        self,
        key: StatKey,
        regions: dict[str, Region],
        parsed: Data,
        memo: dict[str, Any] | None = None,
    ) -> FileVersion | None:
        """Adopt what we just wrote (where its tables sit, the small ones parsed, what readers
        derived from it), so our own write costs no new read; None if the file is not ours."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            self.forget()
            return None
        if stat_key(os.fstat(fd)) != key:  # not ours after all: read it when asked
            os.close(fd)
            self.forget()
            return None
        version = FileVersion(key, fd, regions, parsed)
        version.memo.update(memo or {})
        self._adopt(version)
        return version

    def forget(self) -> None:
        """Drop the cache (after a failed transaction that may have touched shared data)."""
        self._adopt(EMPTY)

    def _adopt(self, version: FileVersion) -> None:
        with self._swap:
            self._version = version


def _close_all(fds: list[int]) -> None:
    while fds:
        with contextlib.suppress(OSError):
            os.close(fds.pop())
