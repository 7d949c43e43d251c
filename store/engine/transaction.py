"""What one locked operation sees and does: a Transaction, and a lock-free Snapshot for readers.

Split from store/engine/database.py, which owns the file, the lock and the commit; this module is
the record-level API every domain module (members, users, settings...) uses in a transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from store.actor import Actor
from store.engine import audit
from store.engine.storage import Data, StatKey, TransactionStorage
from store.errors import Conflict, NotFound
from store.i18n import _

if TYPE_CHECKING:
    from tinydb.queries import QueryLike

META = "_meta"


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


def holds_data(data: Data) -> bool:
    """Whether ``data`` has a record in any table but ``_meta`` (a new file has none)."""
    return any(records for table, records in data.items() if table != META)


class Snapshot:
    """One whole version of the database, for reading without a lock.

    The documents are shared with the cache: callers must not change them.
    """

    def __init__(self, token: StatKey | None, data: Data) -> None:
        self.token = token
        self._data = data
        self._by_id: dict[str, dict[str, Mapping[str, Any]]] = {}

    def all(self, table: str) -> list[Mapping[str, Any]]:
        """Every record of ``table``, in insertion order."""
        return list(self._data.get(table, {}).values())

    def count(self, table: str) -> int:
        """How many records ``table`` holds, without building a list."""
        return len(self._data.get(table, {}))

    def get(self, table: str, record_id: str) -> Mapping[str, Any] | None:
        """The record with our ``id``, or None; builds the id index on first use."""
        index = self._by_id.get(table)
        if index is None:
            index = {doc["id"]: doc for doc in self._data.get(table, {}).values() if "id" in doc}
            self._by_id[table] = index
        return index.get(record_id)

    @property
    def meta(self) -> Mapping[str, Any]:
        """The database's own facts: schema_version, created_at, demo."""
        return next(iter(self._data.get(META, {}).values()), {})

    def holds_data(self) -> bool:
        """Whether any table but the database's own facts has a record."""
        return holds_data(self._data)


class Transaction:
    """The changes of one locked operation; see :meth:`Database.transaction`."""

    def __init__(self, actor: Actor, storage: TransactionStorage, now: datetime) -> None:
        from tinydb import TinyDB

        self.actor = actor
        self.now = now
        self.storage = storage
        # A fresh TinyDB per transaction: its tables' cached next doc_id and query cache start
        # empty, so two processes never pick the same doc_id from stale state.
        self._tinydb = TinyDB(storage=lambda: storage)
        self.changes: list[audit.Change] = []
        # The highest version this transaction saved: the file keeps a mark no version ever
        # exceeded (store/engine/meta.py), which a restore raises every version above.
        self.version_high = 0
        # Per table, our ids to TinyDB doc_ids, built on the first lookup: an import or a
        # deletion with its belongings finds thousands of records, each without a scan.
        self._doc_ids: dict[str, dict[str, str]] = {}

    def _table(self, name: str) -> Any:
        return self._tinydb.table(name, cache_size=0)

    def _find(self, table: str, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """The TinyDB doc_id key and the document with our ``id``.

        Through an index built with one plain scan (ten times faster than a TinyDB query,
        which builds a Document object per record). The index is checked on every hit and
        rebuilt on a miss, so a table TinyDB rebuilt (``insert_many``) never misleads it.
        """
        docs = self.storage.data.get(table, {})
        index = self._doc_ids.get(table)
        known = index.get(record_id) if index is not None else None
        if known is not None:
            doc = docs.get(known)
            if doc is not None and doc.get("id") == record_id:
                return known, doc
        index = {str(doc.get("id")): doc_id for doc_id, doc in docs.items()}
        self._doc_ids[table] = index
        doc_id = index.get(record_id)
        return (doc_id, docs[doc_id]) if doc_id is not None else None

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
        replace them (or take the record with :meth:`get`), never change them in place.
        """
        return [dict(doc) for doc in self._table(table).all()]

    def holds_data(self) -> bool:
        """Whether any table but the database's own facts has a record (read fresh)."""
        return holds_data(self.storage.data)

    def search(self, table: str, query: QueryLike) -> list[dict[str, Any]]:
        """Copies of the records of ``table`` matching a TinyDB query (shallow, as :meth:`all`)."""
        return [dict(doc) for doc in self._table(table).search(query)]

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
        docs = self.storage.own(table)
        # TinyDB's own rule for the next doc_id (largest + 1), computed from this transaction's
        # fresh data, never from a cached counter.
        next_id = max((int(key) for key in docs), default=0) + 1
        docs[str(next_id)] = record
        if table in self._doc_ids:
            self._doc_ids[table][record["id"]] = str(next_id)
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
        self._table(table).insert_multiple(records)
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
        self.storage.own(table)[doc_id] = after
        self.version_high = max(self.version_high, after["version"])
        self.changes.append(audit.Change("update", table, record_id, before, after))
        return _own_record(after)

    def delete(self, table: str, record_id: str, expected_version: int) -> None:
        """Remove a record for good (most records are archived instead)."""
        doc_id, before = self._existing(table, record_id, expected_version)
        del self.storage.own(table)[doc_id]
        self.changes.append(audit.Change("delete", table, record_id, before, None))

    def note(self, op: str, summary: Mapping[str, Any]) -> None:
        """Log one line for a bulk operation that does not audit record by record."""
        self.changes.append(audit.Change(op, META, "", None, summary))
        self.storage.dirty = True

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
