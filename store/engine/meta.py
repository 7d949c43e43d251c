"""The database's own facts in ``_meta``: which transaction wrote the file, and how high record
versions have ever gone.

Two facts keep sessions honest with each other:

- ``last_tx``: the id of the transaction that wrote the file. The change log's lines come first
  and a commit line after the data (store/audit.py); a process killed in between leaves lines
  that the next transaction settles by comparing them with this id.
- ``version_high``: no record was ever saved with a version above it. An edit carries the version
  it started from, and a save over a newer one is a conflict. A restore puts older versions
  back, so a form opened before it would meet "its" version again and overwrite silently; a
  restore therefore raises every version above this mark (:func:`restored`), and an edit begun
  before a restore always meets the conflict dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.engine.migrations import META
from store.engine.storage import Data

LAST_TX = "last_tx"
VERSION_HIGH = "version_high"


def facts(data: Data) -> Mapping[str, Any]:
    """The ``_meta`` record of ``data`` ({} for a file without one)."""
    return next(iter(data.get(META, {}).values()), {})


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def version_high(data: Data) -> int:
    """The highest version ever saved in this file's history, as far as it can tell.

    The mark in ``_meta``, or the highest version a record holds now if that is higher (a file
    from before the mark existed, or one changed by hand).
    """
    found = _whole(facts(data).get(VERSION_HIGH))
    for table, docs in data.items():
        if table != META:
            for doc in docs.values():
                found = max(found, _whole(doc.get("version")))
    return found


def stamped(data: Data, tx_id: str, high: int) -> dict[str, dict[str, Any]]:
    """A new ``_meta`` table for ``data`` naming the transaction that writes it.

    ``high`` is the highest version the transaction saved; the mark only ever rises. The
    caller puts the table in place (the old one is shared with readers and never changed).
    """
    table = data.get(META, {})
    key, old = next(iter(table.items()), ("1", {}))
    mark = max(_whole(old.get(VERSION_HIGH)), high)
    return {key: {**old, LAST_TX: tx_id, VERSION_HIGH: mark}}


def restored(source: Data, current: Data | None, tx_id: str) -> Data:
    """``source`` as a restore writes it: every record's version raised above any ever saved.

    Above both files' marks: versions seen in the file being replaced (``current``; None when
    it is unreadable) and in the backup's own past. Nothing else changes; new dicts throughout,
    as ``source`` may be shared with a cache.
    """
    above = max(version_high(source), version_high(current) if current is not None else 0)
    # _meta first, as every save keeps it: a session following the change log reads the new
    # file's first table alone to learn which transaction wrote it (store/engine/follow.py).
    data: Data = {META: {}}
    high = above
    for table, docs in source.items():
        if table == META:
            continue
        raised = {}
        for doc_id, doc in docs.items():
            version = max(_whole(doc.get("version")), 1) + above
            raised[doc_id] = {**doc, "version": version}
            high = max(high, version)
        data[table] = raised
    data[META] = stamped(source, tx_id, high)
    return data
