"""The file's data format version and the steps that bring older files up to date.

Each step takes the data of version N and returns version N+1; steps run under the lock, after a
backup, and replace tables instead of changing them in place (the parsed data is shared with
readers). A file newer than ``SCHEMA_VERSION`` is refused by the database, never rewritten.

The engine knows no domain, so a step that must change a domain's records (recompute a stored
derived field) is registered by that domain with :func:`upgrade_records`; ``store/__init__.py``
imports the domains that register one, so they are in place before any file is opened.

Versions: 1 gave every record our own id and a version; 2 writes one record per line
(store/engine/layout.py: readers read big tables in pieces, saves copy untouched lines) and
gave every member the roster's sort key; 3 computes every member's search and sort keys again
(store/members/search_keys.py: only the readings in common use, the surname sorted as a unit).
Keys are derived data written with the name, so a change to how they are computed is a new
version whose step recomputes them: readers never import pypinyin, and an older file keeps its
old keys until its first save (a login) upgrades it, after a backup.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from store.engine.storage import Data
from store.engine.working import TransactionStorage

SCHEMA_VERSION = 3
RecordStep = Callable[[Mapping[str, Any]], dict[str, Any] | None]
"""A domain's change to one record on an upgrade: the new record, or None when unchanged."""
_RECORD_STEPS: dict[int, list[tuple[str, RecordStep]]] = {}
META = "_meta"
_ID = re.compile(r"[0-9a-f]{32}")


def schema_version(data: Data) -> int:
    """The version the file says it has; a file without one predates versioning (0)."""
    meta = next(iter(data.get(META, {}).values()), None)
    if meta is None:
        return 0 if any(data.values()) else SCHEMA_VERSION
    value = meta.get("schema_version", 0)
    return value if isinstance(value, int) else 0


def _to_1(data: Data, now: datetime) -> None:
    """Plain TinyDB files: give every record our own id (keeping a good one) and a version."""
    stamp = now.isoformat()
    for name, table in list(data.items()):
        if name == META:
            continue
        seen: set[str] = set()
        migrated = {}
        for doc_id, doc in table.items():
            record_id = doc.get("id")
            if not (isinstance(record_id, str) and _ID.fullmatch(record_id)) or record_id in seen:
                record_id = uuid.uuid4().hex
            seen.add(record_id)
            version = doc.get("version")
            good_version = (
                isinstance(version, int) and not isinstance(version, bool) and version > 0
            )
            migrated[doc_id] = {
                "created_at": stamp,
                "updated_at": stamp,
                **doc,
                "id": record_id,
                "version": version if good_version else 1,
            }
        data[name] = migrated


def upgrade_records(version: int, table: str, step: RecordStep) -> None:
    """Have ``step`` applied to every record of ``table`` when a file is brought to
    ``version`` (a domain registering its own part of a migration)."""
    steps = _RECORD_STEPS.setdefault(version, [])
    if (table, step) not in steps:
        steps.append((table, step))


def _records(version: int, data: Data) -> None:
    """Apply the record steps registered for ``version``, replacing each table they change."""
    for table, step in _RECORD_STEPS.get(version, []):
        docs = data.get(table)
        if not docs:
            continue
        changed = False
        upgraded: dict[str, dict[str, Any]] = {}
        for doc_id, doc in docs.items():
            new = step(doc)
            upgraded[doc_id] = doc if new is None else new
            changed = changed or new is not None
        if changed:
            data[table] = upgraded


def _to_2(data: Data, now: datetime) -> None:
    """One record per line: every save writes that layout, so only the domains' record steps
    run here (none now: the members' keys are computed once, by version 3)."""
    _records(2, data)


def _to_3(data: Data, now: datetime) -> None:
    """The domains' derived keys computed again (the members' search and sort keys)."""
    _records(3, data)


STEPS: dict[int, Callable[[Data, datetime], None]] = {0: _to_1, 1: _to_2, 2: _to_3}


def migrate(data: Data, now: datetime) -> None:
    """Run every step from the file's version to ``SCHEMA_VERSION`` and stamp the result."""
    version = schema_version(data)
    while version < SCHEMA_VERSION:
        STEPS[version](data, now)
        version += 1
    meta: dict[str, Any] = dict(next(iter(data.get(META, {}).values()), {}))
    meta.setdefault("created_at", now.isoformat())
    meta["schema_version"] = SCHEMA_VERSION
    data[META] = {"1": meta}


def upgrade(
    storage: TransactionStorage, clock: Callable[[], datetime], back_up: Callable[[], object]
) -> bool:
    """Bring a transaction's file up to date, after ``back_up``; True if anything changed.

    The first step of every transaction (store/engine/database.py), under its lock. Only the
    meta table is read to decide: an up-to-date file is never parsed whole here. ``back_up`` is
    called first when the file holds any record (a new or empty one has nothing to lose).
    """
    meta = storage.table(META) if META in storage.tables() else None
    if meta is not None and schema_version({META: meta}) == SCHEMA_VERSION:
        return False
    data = storage.data
    if any(data.values()):
        back_up()
    migrate(data, clock())
    storage.data = data
    return True
