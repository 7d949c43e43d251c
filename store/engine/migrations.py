"""The file's data format version and the steps that bring older files up to date.

Each step takes the data of version N and returns version N+1; steps run under the lock, after a
backup, and replace tables instead of changing them in place (the parsed data is shared with
readers). A file newer than ``SCHEMA_VERSION`` is refused by the database, never rewritten.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from store.engine.storage import Data

SCHEMA_VERSION = 1
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


STEPS: dict[int, Callable[[Data, datetime], None]] = {0: _to_1}


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
