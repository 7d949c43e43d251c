"""One shequ database file shared safely by many processes.

Every change happens inside ``with db.transaction(actor) as tx:``, which holds an exclusive lock
on ``<db>.lock`` (never on the data file: ``os.replace`` swaps its inode), reads the file fresh,
changes a private working copy (store/engine/working.py: only what it touches is parsed) and, on
success, audits and writes the whole file atomically once. An exception inside the block writes
nothing. Readers take no lock: :meth:`Database.snapshot` always sees a whole version of the
file, looked at again only when it changed, with its big tables left on disk until asked for.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine import audit, backups, meta
from store.engine.files import file_mode_for, group_from_env, make_folder, settle
from store.engine.layout import Region, encode
from store.engine.migrations import SCHEMA_VERSION, migrate, schema_version
from store.engine.snapshot import follow
from store.engine.storage import (
    CachedFile,
    DamagedTable,
    Data,
    FileProblem,
    FileVersion,
    StatKey,
    UnsafeFile,
    current_key,
    describe_os_error,
    kept_parsed,
    read_file,
    temp_files,
    write_atomic,
)
from store.engine.transaction import META, Snapshot, Transaction
from store.engine.working import TransactionStorage
from store.errors import (
    DatabaseBusy,
    DatabaseUnreadable,
    DatabaseUnsafe,
    NotFound,
    SchemaTooNew,
    WriteFailed,
)
from store.i18n import _
from store.permissions import Action, require

__all__ = ["LOCK_TIMEOUT", "META", "Database", "Snapshot", "Transaction", "open_database"]

LOCK_TIMEOUT = 5.0
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock; tests pass their own."""
    return datetime.now(UTC)


class Database:
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
        self._swept = False
        self._lock_settled = False

    def today(self) -> date:
        """Today where the volunteers are (the clock is UTC; "future" means local future)."""
        return self.clock().astimezone().date()

    # -- reading -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def idle(self) -> Iterator[None]:
        """Hold off this process's transactions: a save under way finishes first.

        For a fast exit: once inside, nothing of ours is half-done, so the process may end.
        """
        with self._thread_lock:
            yield

    def exists(self) -> bool:
        """Whether the data file is there (a new database has none until its first write)."""
        return self.path.exists()

    def snapshot(self) -> Snapshot:
        """The current whole file, without a lock; refuses corrupt and newer files."""
        version = self._load()
        self._refuse_newer(version)
        return Snapshot(version, self._damaged_table)

    def changed_since(self, token: StatKey | None) -> bool:
        """Cheap check (one stat) for a change by any process since ``token`` was read."""
        return current_key(self.path) != token

    def _successor(self, version: FileVersion) -> FileVersion | None:
        """The file's new version from ``version`` and the change log: what other sessions
        saved, applied to the models we hold (store/engine/follow.py); None: read it whole."""
        from store.engine.follow import advance

        return advance(version, self.path, self.audit_path)

    def _load(self) -> FileVersion:
        with self._reading():
            return self._cache.load()

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

    # -- writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, actor: Actor) -> Iterator[Transaction]:
        """Lock, read fresh, yield a Transaction, and write it whole if it changed anything."""
        with self._exclusive():
            self._sweep_temp_files()
            version = self._load()
            self._refuse_newer(version)
            last_tx = meta.facts({META: self._meta_table(version)}).get(meta.LAST_TX)
            storage = TransactionStorage(version)
            migrated = self._migrate(storage, actor)
            tx = Transaction(actor, storage, self.clock())
            try:
                yield tx
            except BaseException:
                # Nothing shared was changed (see TransactionStorage), but a half-applied TinyDB
                # operation is not worth reasoning about: re-read on next use.
                self._cache.forget()
                raise
            if storage.dirty or migrated:
                storage.opaque = storage.opaque or migrated
                self._commit(tx, last_tx)

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

    def _sweep_temp_files(self) -> None:
        """Delete the temp files of writers killed mid-save (each a whole copy of the data).

        Once per Database, under the lock: writers make temp files only while holding it, so
        any there now belongs to a writer that died.
        """
        if self._swept:
            return
        self._swept = True
        for stale in [*temp_files(self.path), *backups.temp_files(self.backup_dir, self.path)]:
            with contextlib.suppress(OSError):
                stale.unlink()

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

    def _migrate(self, storage: TransactionStorage, actor: Actor) -> bool:
        """Bring an older file up to date, after backing it up; True if anything changed.

        Only the meta table is read to decide: an up-to-date file is never parsed whole here.
        """
        meta = storage.table(META) if META in storage.tables() else None
        if meta is not None and schema_version({META: meta}) == SCHEMA_VERSION:
            return False
        data = storage.data
        if self.path.exists() and any(data.values()):
            self._backup_or_fail("migration")
        migrate(data, self.clock())
        storage.data = data
        return True

    def _commit(self, tx: Transaction, last_tx: object) -> None:
        """Log, back up (first write of the day), replace the file, mark committed: in order.

        The log lines go first so no change is ever on disk without its line; the file names
        the transaction (``_meta.last_tx``); the commit line last, so the log never claims what
        did not happen (store/audit.py). A failed file write is marked aborted at once.
        ``last_tx`` is the file's transaction before this one, to settle one a crash left open.
        """
        tx_id = uuid.uuid4().hex[:12]
        storage = tx.storage
        # The meta table alone is read and replaced (a new dict: the old one is shared).
        stamped = meta.stamped({META: storage.table(META)}, tx_id, tx.version_high)
        storage.replace_table(META, stamped)
        payload = storage.serialize()
        self._log(tx_id, tx.actor, tx.now, tx.changes, last_tx)
        try:
            if self.path.exists() and not backups.has_daily(
                self.backup_dir, self.path, tx.now.astimezone().date()
            ):
                self._backup_or_fail("daily")
            key = write_atomic(self.path, payload, self.file_mode, self.group)
        except (OSError, WriteFailed) as error:
            self._cache.forget()
            self._abort(tx_id, tx.now, tx.changes)
            if isinstance(error, WriteFailed):
                raise
            raise WriteFailed(describe_os_error(error, self.path)) from None
        self._adopt(key, tx, payload.regions())
        layout = {"size": payload.size, "tables": payload.tables}
        self._mark_committed(tx_id, tx.now, tx.changes, layout)

    def _adopt(self, key: StatKey, tx: Transaction, written: list[Region]) -> None:
        """Keep what we just wrote as the current version, without reading it back.

        Where each table now sits comes from the writer; the small tables stay parsed; what
        readers derived from the version we started from (the compact read models) follows
        this transaction's changes when it can (see :func:`~store.engine.snapshot.follow`),
        so the screens' next read after our own save costs next to nothing. A migration or a
        bulk change the list of changes does not spell out (``opaque``) drops them instead.
        """
        regions = {region.name: region for region in written}
        storage = tx.storage
        parsed = {
            name: storage.table(name)
            for name in regions
            if kept_parsed(regions[name].size) and storage.is_parsed(name)
        }
        memo = {} if storage.opaque else follow(storage.version.memo, tx.changes)
        self._cache.remember(key, regions, parsed, memo)

    def _meta_table(self, version: FileVersion) -> dict[str, dict[str, Any]]:
        """The file's ``_meta`` table (small: parsed), {} for a file without one."""
        with self._reading():
            return version.table(META) or {}

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

    def _ensure_folder(self) -> None:
        """Create the data folder on the first save, private to its owner (or group)."""
        try:
            make_folder(self.path.parent, self.file_mode, self.group)
        except OSError as error:
            raise WriteFailed(describe_os_error(error, self.path)) from None

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

    # -- whole-file operations ------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """A dated copy of the file now, taken under the lock so it is one whole version."""
        with self._thread_lock, self._locked():
            self._load()  # refuse to copy a corrupt file as if it were good
            return self._backup_or_fail(reason)

    def restore(self, source: Path, actor: Actor) -> Path | None:
        """Replace the database with ``source`` after backing up the current file.

        The source is checked first (parses, not newer than this shequ); returns the backup of
        the file that was replaced, or None when there was no file yet. Admins only. Every
        record comes back with a version above any ever saved (store/engine/meta.py), so a form
        opened before the restore cannot save over the restored record without a conflict.
        """
        require(actor, Action.RESTORE)
        try:
            result = read_file(source)
        except FileProblem as problem:
            raise DatabaseUnreadable(str(problem), source, None) from None
        if result is None:
            raise NotFound(_("There is no file {path}.").format(path=source))
        _key, source_data = result
        self._refuse_newer(source_data, source)
        with self._exclusive():
            try:  # whole, once: every record's version counts (store/engine/meta.py)
                found = read_file(self.path)
                current: Data | None = found[1] if found is not None else {}
            except FileProblem:  # a damaged file is what restores are for
                current = None
            saved = (
                self._backup_or_fail(backups.RESTORE, keep_also=source)
                if self.path.exists()
                else None
            )
            tx_id, now = uuid.uuid4().hex[:12], self.clock()
            # Every version above any ever saved: an edit begun before meets a conflict.
            data = meta.restored(source_data, current, tx_id)
            payload = encode(data)
            change = audit.Change("restore", META, "", None, {"from": str(source)})
            last_tx = meta.facts(current).get(meta.LAST_TX) if current is not None else None
            self._log(tx_id, actor, now, [change], last_tx)
            try:
                write_atomic(self.path, payload, self.file_mode, self.group)
            except OSError as error:
                self._cache.forget()
                self._abort(tx_id, now, [change])  # the log must not claim a restore
                raise WriteFailed(describe_os_error(error, self.path)) from None
            self._cache.forget()
            self._mark_committed(tx_id, now, [change])
            return saved

    def check_permissions(self) -> str | None:
        """A warning when other users can read the data or its change log.

        Both hold phones and addresses (the log keeps before -> after values). Only a warning:
        the owner may have reasons, and refusing would lock volunteers out; a world-writable
        file is refused outright when it is loaded.
        """
        for path in (self.path, self.audit_path):
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue
            if mode & 0o004:
                return _(
                    "Warning: {path} can be read by every user of this computer; "
                    "make it private with: chmod o-r {path}"
                ).format(path=path)
        return None

    def data_for_check(self) -> Data:
        """The whole file parsed, for the integrity check (raises DatabaseUnreadable).

        Every record of every table is parsed, so a damaged line anywhere is found.
        """
        self._load()
        with self._reading():
            found = read_file(self.path)
        return found[1] if found is not None else {}


def now_iso(clock: Clock = utc_now) -> str:
    """An ISO timestamp from ``clock``, as stored in records."""
    return clock().isoformat()


def open_database(path: Path | str, environ: Mapping[str, str] | None = None) -> Database:
    """The database at ``path`` as this install is set up: the one way the CLI and app open it.

    Reads ``SHEQU_GROUP`` from ``environ`` (default ``os.environ``): when set, every file is
    shared with that group (0660); an unknown group is a clear UnknownGroup error.
    """
    return Database(path, group=group_from_env(environ))
