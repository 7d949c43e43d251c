"""One shequ database file shared safely by many processes: its reads and its transactions.

Every change happens inside ``with db.transaction(actor) as tx:``, which holds an exclusive lock
on ``<db>.lock`` (never on the data file: ``os.replace`` swaps its inode), reads the file fresh,
changes a private working copy (store/engine/working.py: only what it touches is parsed) and, on
success, audits and writes the whole file atomically once. An exception inside the block writes
nothing. Readers take no lock: :meth:`Database.snapshot` always sees a whole version of the
file, looked at again only when it changed, with its big tables left on disk until asked for.

This module is the transaction path alone. What it shares with the whole-file operations (the
lock, the change log's lines, backups, the file's problems as errors) is in
store/engine/datafile.py; backup, restore and the check's full read in store/engine/whole_file.py;
bringing an older file up to date in store/engine/migrations.py (:func:`upgrade`).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine import backups, meta
from store.engine.atomic import describe_os_error, temp_files, write_atomic
from store.engine.datafile import LOCK_TIMEOUT, Clock, utc_now
from store.engine.files import group_from_env
from store.engine.layout import Region
from store.engine.migrations import upgrade
from store.engine.snapshot import follow
from store.engine.storage import FileVersion, StatKey, kept_parsed
from store.engine.transaction import META, Snapshot, Transaction
from store.engine.whole_file import WholeFile
from store.engine.working import TransactionStorage
from store.errors import WriteFailed

__all__ = ["LOCK_TIMEOUT", "META", "Database", "Snapshot", "Transaction", "open_database"]


class Database(WholeFile):
    """A shequ data file plus its lock, audit log and backups beside it.

    The reads and the transactions are here; the ground they stand on (paths, lock, log,
    backups) is :class:`~store.engine.datafile.DataFile`, the whole-file operations (backup,
    restore) :class:`~store.engine.whole_file.WholeFile`.
    """

    _swept = False  # the temp files of writers killed mid-save deleted, once per Database

    def snapshot(self) -> Snapshot:
        """The current whole file, without a lock; refuses corrupt and newer files."""
        version = self._load()
        self._refuse_newer(version)
        return Snapshot(version, self._damaged_table)

    @contextlib.contextmanager
    def transaction(self, actor: Actor) -> Iterator[Transaction]:
        """Lock, read fresh, yield a Transaction, and write it whole if it changed anything."""
        with self._exclusive():
            self._sweep_temp_files()
            version = self._load()
            self._refuse_newer(version)
            last_tx = meta.facts({META: self._meta_table(version)}).get(meta.LAST_TX)
            storage = TransactionStorage(version)
            migrated = upgrade(storage, self.clock, self._backup_before_migration)
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

    def _backup_before_migration(self) -> None:
        """A ``-migration`` copy of a file about to be upgraded (none of a file not yet made)."""
        if self.path.exists():
            self._backup_or_fail("migration")

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


def now_iso(clock: Clock = utc_now) -> str:
    """An ISO timestamp from ``clock``, as stored in records."""
    return clock().isoformat()


def open_database(path: Path | str, environ: Mapping[str, str] | None = None) -> Database:
    """The database at ``path`` as this install is set up: the one way the CLI and app open it.

    Reads ``SHEQU_GROUP`` from ``environ`` (default ``os.environ``): when set, every file is
    shared with that group (0660); an unknown group is a clear UnknownGroup error.
    """
    return Database(path, group=group_from_env(environ))
