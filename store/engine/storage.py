"""The data file on disk: parsed only when it changed, replaced whole, never half-written.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk mid-write leaves
half a file, and it re-reads the whole file on every query. Here:

* a write replaces the file whole (store/engine/atomic.py), so every reader sees a whole old
  file or a whole new one;
* a read looks at the file again only when its (inode, mtime_ns, size) changed, and then keeps
  a :class:`FileVersion`: the file held open, where each table sits in it (store/engine/
  layout.py) and the small tables parsed. Big tables stay on disk until a reader asks, in
  bounded batches, so a session holds what its screens need, not the whole file as dicts.

Parsed data handed out here is shared and must be treated as read-only; the transaction layer
(store/engine/working.py) copies what it changes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from store.engine.layout import SMALL_TABLE as SMALL
from store.engine.layout import NotLines, Region, Scanner, parse_region
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
        raise _cannot_read(path, error) from None


def _cannot_read(path: Path, error: OSError) -> FileProblem:
    return FileProblem(_("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror))


@contextlib.contextmanager
def _closed_on_failure(fd: int, path: Path) -> Iterator[None]:
    """Close ``fd`` when reading through it fails (an OSError says which file it was)."""
    try:
        yield
    except OSError as error:
        os.close(fd)
        raise _cannot_read(path, error) from None
    except BaseException:
        os.close(fd)
        raise


def _read_pinned(path: Path) -> tuple[StatKey, Data, int] | None:
    """Like :func:`read_file`, but also return the still-open descriptor of what was read."""
    fd = _open_for_reading(path)
    if fd is None:
        return None
    with _closed_on_failure(fd, path):
        key = stat_key(os.fstat(fd))
        with open(fd, "rb", closefd=False) as handle:
            raw = handle.read()
        return key, parse(raw, path), fd


class FileVersion:
    """One version of the data file, held open: what every reader of that version shares.

    ``regions`` says where each table's record lines sit (None for a file not in the line
    layout, an older compact one: then every table is in ``parsed``); a table up to
    :data:`~store.engine.layout.SMALL_TABLE` bytes is parsed the first time someone reads it
    (:meth:`table`) and kept, a bigger one is read from ``fd`` whenever asked. The descriptor
    stays open as long as anyone holds this object (a screen's snapshot may outlive the
    cache's interest in it), so a reader always reads the version it started with, even after
    another process replaced the file.

    A version read from the file (:func:`open_version`) finds its tables as they are asked
    for: :meth:`table` of a small table at the file's head (the settings, the accounts) scans
    only up to it, and the rest of the file is looked at by :meth:`complete`, which
    ``regions``, ``order`` and every snapshot and transaction call (store/engine/datafile.py):
    only the command's read of a setting before Textual starts (``head_table``) reads a head
    alone, and a file damaged further on is found and reported where it always was.

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
        *,
        rest: tuple[Scanner, Path] | None = None,
    ) -> None:
        self.key = key
        self.fd = fd
        self._regions = regions
        self.parsed = parsed
        self._order = order if order is not None else list(regions or parsed)
        # The tables not found yet: the scanner at the first of them, and the file's path
        # for the message if the rest turns out damaged (None once every table is found).
        self._rest = rest
        self._scan_lock = threading.RLock()
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

    @property
    def regions(self) -> dict[str, Region] | None:
        """Where every table sits (the whole file scanned first), None for a compact file."""
        self.complete()
        return self._regions

    @property
    def order(self) -> list[str]:
        """The tables' names in file order (the whole file scanned first)."""
        self.complete()
        return self._order

    @property
    def scanned(self) -> bool:
        """Whether every table was found (or the file parsed whole): nothing left to read."""
        return self._rest is None

    def complete(self) -> None:
        """Find the tables not found yet; a file whose head was in the line layout but its
        rest is not (a hand edit) is parsed whole, as :func:`open_version` does.

        Raises FileProblem for a file that is damaged past its head (cut short, say).
        """
        if self._rest is not None:
            self._find(None)

    def _find(self, name: str | None) -> Region | None:
        """Scan on until ``name`` is found (None: to the end); its region, or None."""
        with self._scan_lock:
            found = self._regions.get(name) if self._regions is not None and name else None
            if found is not None or self._rest is None:
                return found
            scanner, path = self._rest
            assert self._regions is not None
            try:
                while (region := scanner.next()) is not None:
                    self._regions[region.name] = region
                    self._order.append(region.name)
                    if region.name == name:
                        return region
                self._rest = None
            except NotLines:
                self._parse_whole(path)
            except OSError as error:
                raise _cannot_read(path, error) from None
            return None

    def _parse_whole(self, path: Path) -> None:
        """The fallback for a file not in the line layout after its head (see complete)."""
        assert self.fd is not None
        try:
            with open(self.fd, "rb", closefd=False) as handle:
                handle.seek(0)
                raw = handle.read()
        except OSError as error:
            raise _cannot_read(path, error) from None
        data = parse(raw, path)
        data.update((name, docs) for name, docs in self.parsed.items() if name in data)
        self.parsed = data
        self._regions, self._order, self._rest = None, list(data), None

    def table(self, name: str) -> Table | None:
        """A small table's documents, parsed on first use and kept; None for a big one (read it
        from the file); empty for a table the file does not have.

        A table at the file's head is found without reading further (see the class).
        Raises DamagedTable for a small table that does not parse.
        """
        found = self.parsed.get(name)
        if found is not None:
            return found
        region = self._find(name)
        if region is None:
            return self.parsed.get(name, {})
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
    with _closed_on_failure(fd, path):
        st = os.fstat(fd)
        key = stat_key(st)
        try:
            scanner = Scanner(fd, st.st_size)
        except NotLines:
            with open(fd, "rb", closefd=False) as handle:
                data = parse(handle.read(), path)
            return FileVersion(key, fd, None, data)
        # The tables are found as they are asked for (FileVersion.complete).
        return FileVersion(key, fd, {}, {}, [], rest=(scanner, path))


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
