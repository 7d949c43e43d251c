"""What one locked operation sees and does: the record-level API every domain module (members,
users, settings...) uses in a transaction.

Split from store/engine/database.py, which owns the file, the lock and the commit. The records
live in a :class:`~store.engine.working.TransactionStorage`, which parses only what the
transaction touches; readers use a lock-free :class:`~store.engine.snapshot.Snapshot`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from store.actor import Actor
from store.engine import audit
from store.engine.snapshot import META, Snapshot
from store.engine.working import TransactionStorage
from store.errors import Conflict, NotFound
from store.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["META", "Snapshot", "Transaction"]


def _own(value: Any) -> Any:
    """A copy of JSON-shaped ``value`` that shares no list or dict with it.

    The parsed file is shared with every snapshot: a record a transaction hands out, or a value
    handed in, must not share a nested list or dict with it, or changing that in place (the
    natural ``rec["roles"].append(...)``) would change what other screens show, even if the
    transaction then fails.
    """
    if isinstance(value, dict):
        return {key: _own(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_own(item) for item in value]
    return value


def _own_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as a plain dict sharing nothing mutable with ``record`` (see :func:`_own`)."""
    return {key: _own(item) for key, item in record.items()}


class Transaction:
    """The changes of one locked operation; see :meth:`Database.transaction`."""

    def __init__(self, actor: Actor, storage: TransactionStorage, now: datetime) -> None:
        self.actor = actor
        self.now = now
        self.storage = storage
        self.changes: list[audit.Change] = []
        # The highest version this transaction saved: the file keeps a mark no version ever
        # exceeded (store/engine/meta.py), which a restore raises every version above.
        self.version_high = 0

    def _find(self, table: str, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """The doc_id key and the document with our ``id`` (read-only: shared or private).

        Every read is fresh (this transaction's own working copy, under the lock), and doc_ids
        come from that fresh data, so two processes never pick the same one from stale state.
        Many lookups in one table go through an index (store/engine/working.py).
        """
        return self.storage.find(table, record_id)

    def _existing(
        self, table: str, record_id: str, expected_version: int
    ) -> tuple[str, dict[str, Any]]:
        """The record an edit started from, refusing a deleted or newer one."""
        found = self._find(table, record_id)
        if found is None:
            raise NotFound(_("That record no longer exists; someone may have deleted it."))
        self._check_version(table, record_id, found[1], expected_version)
        return found

    def find(self, table: str, record_id: str) -> dict[str, Any] | None:
        """A copy of the record with our ``id`` (nested values too), or None."""
        found = self._find(table, record_id)
        return _own_record(found[1]) if found is not None else None

    def get(self, table: str, record_id: str) -> dict[str, Any]:
        """A copy of the record with our ``id``; NotFound if it was deleted meanwhile."""
        found = self.find(table, record_id)
        if found is None:
            raise NotFound(_("That record no longer exists; someone may have deleted it."))
        return found

    def all(self, table: str) -> list[dict[str, Any]]:
        """Copies of every record of ``table``.

        Shallow copies, for speed: nested lists and dicts are shared with every snapshot, so
        replace them (or take the record with :meth:`get`), never change them in place. A big
        table is parsed whole for this (see store/engine/working.py).
        """
        return [dict(doc) for doc in self.storage.table(table).values()]

    def holds_data(self) -> bool:
        """Whether any table but the database's own facts has a record (read fresh)."""
        return self.storage.holds_data()

    def search(
        self, table: str, query: Callable[[Mapping[str, Any]], bool]
    ) -> list[dict[str, Any]]:
        """Copies of the records of ``table`` for which ``query`` (a function, or a TinyDB
        ``Query``, which is one) is true (shallow, as :meth:`all`)."""
        return [dict(doc) for doc in self.storage.table(table).values() if query(doc)]

    def insert(self, table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Add a record, giving it our own ``id``, ``version`` 1 and timestamps."""
        stamp = self.now.isoformat()
        record = {
            **_own_record(fields),
            "id": uuid.uuid4().hex,
            "version": 1,
            "created_at": stamp,
            "updated_at": stamp,
            "updated_by": self.actor.name,
        }
        # TinyDB's own rule for the next doc_id (largest + 1), computed from this transaction's
        # fresh data, never from a cached counter.
        self.storage.put(table, self.storage.next_id(table), record)
        self.changes.append(audit.Change("insert", table, record["id"], None, record))
        return _own_record(record)

    def insert_many(
        self, table: str, rows: Sequence[Mapping[str, Any]], *, audit_each: bool = True
    ) -> list[dict[str, Any]]:
        """Add many records with one table rebuild (an import, a demo).

        Each is audited unless ``audit_each`` is false, for generated data whose caller logs
        one summary line instead (20,000 demo members would make a 10 MB log of nothing).
        """
        stamp = self.now.isoformat()
        records = [
            {
                **_own_record(fields),
                "id": uuid.uuid4().hex,
                "version": 1,
                "created_at": stamp,
                "updated_at": stamp,
                "updated_by": self.actor.name,
            }
            for fields in rows
        ]
        for record in records:
            self.storage.put(table, self.storage.next_id(table), record)
        if not audit_each:
            self.storage.opaque = True  # the changes list does not name these records
        if audit_each:
            self.changes += [audit.Change("insert", table, r["id"], None, r) for r in records]
        return [dict(r) for r in records]

    def update(
        self, table: str, record_id: str, changes: Mapping[str, Any], expected_version: int
    ) -> dict[str, Any]:
        """Change fields of a record the caller read at ``expected_version``.

        Raises Conflict, carrying the current record, when someone saved it since.
        """
        doc_id, before = self._existing(table, record_id, expected_version)
        after = {
            **before,
            **_own_record(changes),
            "id": record_id,
            "version": before["version"] + 1,
            "updated_at": self.now.isoformat(),
            "updated_by": self.actor.name,
        }
        # A new document object in this transaction's own table: the old one is shared with
        # readers' snapshots and must not change.
        self.storage.put(table, doc_id, after)
        self.version_high = max(self.version_high, after["version"])
        self.changes.append(audit.Change("update", table, record_id, before, after))
        return _own_record(after)

    def delete(self, table: str, record_id: str, expected_version: int) -> None:
        """Remove a record for good (most records are archived instead)."""
        doc_id, before = self._existing(table, record_id, expected_version)
        self.storage.remove(table, doc_id)
        self.changes.append(audit.Change("delete", table, record_id, before, None))

    def note(self, op: str, summary: Mapping[str, Any]) -> None:
        """Log one line for a bulk operation that does not audit record by record."""
        self.changes.append(audit.Change(op, META, "", None, summary))
        self.storage.dirty = True
        self.storage.opaque = True  # a bulk operation: its records are not listed

    def _check_version(
        self, table: str, record_id: str, found: Mapping[str, Any], expected: int
    ) -> None:
        if found.get("version") != expected:
            raise Conflict(
                _("Someone else saved this record while you were editing it."),
                table,
                record_id,
                _own_record(found),
            )
