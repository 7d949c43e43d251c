"""The change log's line format: what one line of ``<db>.audit.jsonl`` holds, what it may not
hold, and which lines count.

A change line carries ``"v": 2`` (:data:`FORMAT`) and its transaction's id; the transaction
counts only once a ``{"tx": ID, "op": "commit"}`` line follows (store/engine/audit.py says why
and writes them). Older lines, written before commit lines existed, count as they always did
unless aborted. Readers of the whole log (store/engine/audit.py) and of its end
(store/engine/audit_tail.py) apply the same rule through :func:`counts`, and show people a
line only through :func:`for_people`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

# Fields never written to the log: a PIN hash there could be attacked offline by anyone who
# can read the log. The line still says such a field changed ("***" -> "***").
_SECRET_KEY = re.compile(r"hash|secret|password|passwd|pin$|token", re.IGNORECASE)
REDACTED = "***"
# The change lines' format: 2 = the transaction counts only once its commit line follows.
FORMAT = 2
COMMIT, ABORTED = "commit", "aborted"
MARKS = (COMMIT, ABORTED)
IMAGE = "image"  # an update's whole after-image (secrets redacted), for followers only
LAYOUT = "layout"  # on a commit line: where each table sits in the file it committed


def redact(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``values`` with every secret-looking field (``pin_hash``...) replaced by ``***``."""
    if values is None:
        return None
    return {
        key: (REDACTED if _SECRET_KEY.search(key) and value not in (None, "") else value)
        for key, value in values.items()
    }


def holds_redacted(values: Mapping[str, Any] | None) -> bool:
    """Whether ``values`` came from the log with a secret left out (see :func:`redact`)."""
    return values is not None and any(
        value == REDACTED and _SECRET_KEY.search(key) for key, value in values.items()
    )


def parse(raw_line: bytes) -> dict[str, Any] | None:
    """One line of the log as a dict; None for a blank or damaged one (a crash mid-append)."""
    if not raw_line.strip():
        return None
    try:
        entry = orjson.loads(raw_line)
    except orjson.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


def counts(entry: Mapping[str, Any], mark: str | None) -> bool:
    """Whether a change line counts, given its transaction's ``mark`` (commit, aborted, or
    None when none was found): committed, or an older line that was never aborted."""
    return mark == COMMIT or (mark is None and entry.get("v") != FORMAT)


def for_people(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` as readers show it: without the after-image (for followers, not for people),
    and without a secret even on lines written before redaction existed."""
    entry.pop(IMAGE, None)
    for side in ("before", "after"):
        if isinstance(entry.get(side), Mapping):
            entry[side] = redact(entry[side])
    return entry
