"""The file's data format version and the steps that bring older files up to date.

Each step takes the data of version N and returns version N+1; steps run under the lock, after a
backup, and replace tables instead of changing them in place (the parsed data is shared with
readers). A file newer than ``SCHEMA_VERSION`` is refused by the database, never rewritten.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from store.storage import Data

SCHEMA_VERSION = 1
META = "_meta"


def schema_version(data: Data) -> int:
    """The version the file says it has; a file without one predates versioning (0)."""
    meta = next(iter(data.get(META, {}).values()), None)
    if meta is None:
        return 0 if any(data.values()) else SCHEMA_VERSION
    value = meta.get("schema_version", 0)
    return value if isinstance(value, int) else 0


def _to_1(data: Data, now: datetime) -> None:
    """Plain TinyDB files: give every record our own id and a version."""
    stamp = now.isoformat()
    for name, table in list(data.items()):
        if name == META:
            continue
        data[name] = {
            doc_id: doc
            if "id" in doc and "version" in doc
            else {
                "created_at": stamp,
                "updated_at": stamp,
                **doc,
                "id": uuid.uuid4().hex,
                "version": 1,
            }
            for doc_id, doc in table.items()
        }


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
