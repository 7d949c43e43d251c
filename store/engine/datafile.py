"""The data file and what sits beside it: what a transaction and a whole-file operation share.

A transaction (store/engine/database.py) and a backup or restore (store/engine/whole_file.py)
stand on the same ground, kept here so that each of them reads as its own steps only:

* where the file, its lock, its change log and its backups are, and the mode they are made with;
* the writers' lock: ``<db>.lock`` (never the data file: ``os.replace`` swaps its inode), held
  by one writer of one process at a time, refusing to nest, a clear "busy" error after
  ``lock_timeout`` seconds;
* the current version of the file (the read cache, following other sessions' saves), and the
  file's problems turned into the store's errors, with the newest backup named;
* the change log's lines around a data write: this write's lines before the data, then an
  aborted or committed mark (store/engine/audit.py);
* a backup taken, or a save refused with the reason.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine import audit, backups
from store.engine.atomic import describe_os_error
from store.engine.files import file_mode_for, make_folder, settle
from store.engine.migrations import META, SCHEMA_VERSION, schema_version
from store.engine.storage import (
    CachedFile,
    DamagedTable,
    Data,
    FileProblem,
    FileVersion,
    StatKey,
    UnsafeFile,
    current_key,
)
from store.errors import (
    DatabaseBusy,
    DatabaseUnreadable,
    DatabaseUnsafe,
    SchemaTooNew,
    WriteFailed,
)
from store.i18n import _

LOCK_TIMEOUT = 5.0
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock; tests pass their own."""
    return datetime.now(UTC)


class DataFile:
    """A shequ data file plus its lock, audit log and backups beside it."""

    def __init__(
        self,
        path: Path | str,
        *,
        file_mode: int | None = None,
        group: int | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
        clock: Clock = utc_now,
        keep_backups: int = backups.KEEP,
    ) -> None:
        # resolve(): a path through a symlink must mean the same lock file, and os.replace
        # must replace the real file, not the link.
        self.path = Path(path).expanduser().resolve()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.audit_path = self.path.with_name(self.path.name + ".audit.jsonl")
        self.backup_dir = self.path.parent / "backups"
        # 0600, or 0660 for a group (store/files.py): every file and folder the store makes.
        self.file_mode = file_mode if file_mode is not None else file_mode_for(group)
        self.group = group
        self.lock_timeout = lock_timeout
        self.clock = clock
        self.keep_backups = keep_backups
        self._cache = CachedFile(self.path, self._successor)
        self._thread_lock = threading.RLock()
        self._lock: Any = None
        self._writing = False  # inside our own transaction or restore (this thread holds it)
        self._lock_settled = False

    def today(self) -> date:
        """Today where the volunteers are (the clock is UTC; "future" means local future)."""
        return self.clock().astimezone().date()

    def exists(self) -> bool:
        """Whether the data file is there (a new database has none until its first write)."""
        return self.path.exists()

    def changed_since(self, token: StatKey | None) -> bool:
        """Cheap check (one stat) for a change by any process since ``token`` was read."""
        return current_key(self.path) != token

    # -- the current version, and the file's problems as the store's errors ------------------

    def _successor(self, version: FileVersion) -> FileVersion | None:
        """The file's new version from ``version`` and the change log: what other sessions
        saved, applied to the models we hold (store/engine/follow.py); None: read it whole."""
        from store.engine.follow import advance

        return advance(version, self.path, self.audit_path)

    def _load(self) -> FileVersion:
        """The current version with every table found: the file read to its end, so a file
        damaged anywhere is refused here, before anyone reads or writes through it."""
        with self._reading():
            version = self._cache.load()
            version.complete()
            return version

    def head_table(self, table: str) -> Mapping[str, Mapping[str, Any]]:
        """A small table at the file's head (the settings), read without the rest of the file;
        {} when there is no file or no such table. Refuses a newer file, as a snapshot does.

        For the command's read of a setting before Textual starts (store/settings/early.py):
        a file damaged after its head is not noticed here but by the next :meth:`_load`, the
        login's, which says so as it always did. The version stays cached: that load scans on
        from where this read stopped.
        """
        with self._reading():
            version = self._cache.load()
            self._refuse_newer(version)
            return version.table(table) or {}

    def _damaged_table(self, table: str) -> Exception:
        """The error for a table found damaged while a reader read it (see Snapshot)."""
        problem = _("{path} is damaged (table {table} cannot be read).").format(
            path=self.path, table=table
        )
        return self._unreadable(problem)

    def _unreadable(self, problem: str) -> DatabaseUnreadable:
        newest = backups.newest(self.backup_dir, self.path)
        if newest is not None:
            hint = _("The newest backup is {backup}; restore it with: shequ restore {backup}")
            message = f"{problem} {hint.format(backup=newest)}"
        else:
            message = f"{problem} {_('No backup of it was found.')}"
        return DatabaseUnreadable(message, self.path, newest)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn the file's problems into the store's errors, with the newest backup named."""
        try:
            yield
        except DamagedTable as damaged:
            raise self._damaged_table(damaged.table) from None
        except UnsafeFile:
            raise DatabaseUnsafe(
                _(
                    "{path} can be changed by every user of this computer, so shequ will not "
                    "use it. Make it private with: chmod o-w {path}"
                ).format(path=self.path)
            ) from None
        except FileProblem as problem:
            raise self._unreadable(str(problem)) from None

    def _refuse_newer(self, data: Data | FileVersion, path: Path | None = None) -> None:
        if isinstance(data, FileVersion):
            with self._reading():
                meta = data.table(META)
            data = {META: meta} if meta else {}  # no meta: older than versions, never newer
        version = schema_version(data)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                _(
                    "{path} was written by a newer shequ (data format {found}; this one "
                    "understands up to {known}). Update shequ; the file was not changed."
                ).format(path=path or self.path, found=version, known=SCHEMA_VERSION)
            )

    # -- the writers' lock --------------------------------------------------------------------

    @contextlib.contextmanager
    def idle(self) -> Iterator[None]:
        """Hold off this process's transactions: a save under way finishes first.

        For a fast exit: once inside, nothing of ours is half-done, so the process may end.
        """
        with self._thread_lock:
            yield

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The lock, for a writer; refuses to nest, which would silently lose a write."""
        with self._thread_lock:
            if self._writing:
                # The outer transaction would write its own copy over what the inner saved.
                raise RuntimeError("a transaction or restore cannot run inside a transaction")
            with self._locked():
                self._writing = True
                try:
                    yield
                finally:
                    self._writing = False

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self._ensure_folder()
        if self._lock is None:
            self._lock = FileLock(
                str(self.lock_path),
                timeout=self.lock_timeout,
                mode=self.file_mode,
                preserve_lock_file=True,
            )
        try:
            self._lock.acquire()
        except Timeout:
            raise DatabaseBusy(
                _(
                    "The database is busy: another session has held it for over {seconds} "
                    "seconds. Try again in a moment."
                ).format(seconds=f"{self.lock_timeout:g}")
            ) from None
        except OSError as error:
            raise WriteFailed(describe_os_error(error, self.lock_path)) from None
        if not self._lock_settled:  # FileLock's mode is trimmed by the umask and has no group
            self._lock_settled = True
            settle(self.lock_path, self.file_mode, self.group)
        try:
            yield
        finally:
            self._lock.release()

    def _ensure_folder(self) -> None:
        """Create the data folder on the first save, private to its owner (or group)."""
        try:
            make_folder(self.path.parent, self.file_mode, self.group)
        except OSError as error:
            raise WriteFailed(describe_os_error(error, self.path)) from None

    # -- the change log around a write, and backups ---------------------------------------------

    def _log(
        self,
        tx_id: str,
        actor: Actor,
        now: datetime,
        changes: list[audit.Change],
        last_tx: object,
    ) -> None:
        """Settle a transaction a crash left open, then append this one's lines (before data)."""
        try:
            audit.close_dangling(self.audit_path, last_tx, now, self.file_mode, self.group)
            audit.append(self.audit_path, tx_id, actor, now, changes, self.file_mode, self.group)
        except OSError as error:
            raise WriteFailed(describe_os_error(error, self.audit_path)) from None

    def _abort(self, tx_id: str, now: datetime, changes: list[audit.Change]) -> None:
        if changes:
            with contextlib.suppress(OSError):  # else the next transaction marks it
                audit.abort(self.audit_path, tx_id, now, self.file_mode, self.group)

    def _mark_committed(
        self,
        tx_id: str,
        now: datetime,
        changes: list[audit.Change],
        layout: Mapping[str, Any] | None = None,
    ) -> None:
        # The data is in place: a failure here loses nothing, as the next transaction finds the
        # open lines and this transaction's id in the file, and writes the commit line then.
        if changes:
            with contextlib.suppress(OSError):
                audit.commit(self.audit_path, tx_id, now, self.file_mode, self.group, layout)

    def _backup_or_fail(self, reason: str, keep_also: Path | None = None) -> Path:
        try:
            return backups.make(
                self.path,
                self.backup_dir,
                reason,
                self.clock(),
                self.file_mode,
                self.keep_backups,
                self.group,
                keep_also=keep_also,
            )
        except OSError as error:
            raise WriteFailed(describe_os_error(error, self.backup_dir)) from None
