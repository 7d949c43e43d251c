"""What is done to the data file as a whole rather than to its records: backup and restore,
the integrity check's full read, and the warning about who else can read it.

Split from the transaction path (store/engine/database.py) so that each reads as its own steps;
both stand on :class:`~store.engine.datafile.DataFile` (the lock, the change log's lines around
a write, backups). A restore keeps every guarantee of a save: it runs under the writers' lock,
backs the current file up first, logs its line before the data, replaces the file atomically
and marks the line committed, or aborted when the write failed.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from store.actor import Actor
from store.engine import audit, backups, meta
from store.engine.atomic import describe_os_error, write_atomic
from store.engine.datafile import DataFile
from store.engine.layout import encode
from store.engine.migrations import META
from store.engine.storage import Data, FileProblem, read_file
from store.errors import DatabaseUnreadable, NotFound, WriteFailed
from store.i18n import _
from store.permissions import Action, require


class WholeFile(DataFile):
    """A data file's whole-file operations; :class:`~store.engine.database.Database` adds the
    reads and the transactions."""

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
