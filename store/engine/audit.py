"""The change log: one JSON line per change in ``<db>.audit.jsonl``.

Lines are appended before the data file is replaced, so nothing is ever changed without a line
saying who did it. If the data write then fails, an ``aborted`` line for the same transaction
follows and readers skip that transaction.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import orjson

from store.actor import Actor
from store.engine.files import settle

# Bookkeeping fields that change on every save and say nothing to a reader of the log.
_NOISE = frozenset({"version", "updated_at"})
# Fields never written to the log: a PIN hash there could be attacked offline by anyone who
# can read the log. The line still says such a field changed ("***" -> "***").
_SECRET_KEY = re.compile(r"hash|secret|password|passwd|pin$|token", re.IGNORECASE)
REDACTED = "***"


def redact(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``values`` with every secret-looking field (``pin_hash``...) replaced by ``***``."""
    if values is None:
        return None
    return {
        key: (REDACTED if _SECRET_KEY.search(key) and value not in (None, "") else value)
        for key, value in values.items()
    }


@dataclass(frozen=True, slots=True)
class Change:
    """One record inserted, updated or deleted (or a whole-file restore)."""

    op: str
    table: str
    record_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """Only the fields an update changed, so the log reads "phone: a -> b"."""
    keys = [k for k in {**before, **after} if k not in _NOISE and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _line(tx_id: str, actor: Actor, at: datetime, change: Change) -> dict[str, Any]:
    before, after = change.before, change.after
    if before is not None and after is not None:
        before, after = _diff(before, after)
    return {
        "at": at.isoformat(),
        "tx": tx_id,
        "who": actor.name,
        "role": str(actor.role),
        "op": change.op,
        "table": change.table,
        "id": change.record_id,
        "before": redact(before),
        "after": redact(after),
    }


def _append_lines(
    path: Path, lines: Iterable[Mapping[str, Any]], mode: int, group: int | None
) -> None:
    payload = b"".join(orjson.dumps(line) + b"\n" for line in lines)
    if not payload:
        return
    # Callers hold the database lock, so nobody else appends between the check and the write.
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode)
    try:
        settle(fd, mode, group)  # the umask trimmed the mode of a new log
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            # The last append was cut short (a crash, a full disk): end that damaged line, or
            # it would swallow the first line of this transaction.
            payload = b"\n" + payload
        view = memoryview(payload)
        while view:  # a write may be short (a full disk reports it on the next call)
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def append(
    path: Path,
    tx_id: str,
    actor: Actor,
    at: datetime,
    changes: Iterable[Change],
    mode: int,
    group: int | None = None,
) -> None:
    """Record the changes of one transaction."""
    _append_lines(path, (_line(tx_id, actor, at, c) for c in changes), mode, group)


def abort(path: Path, tx_id: str, at: datetime, mode: int, group: int | None = None) -> None:
    """Mark a transaction whose data write failed, so its lines are not shown as done."""
    _append_lines(path, [{"at": at.isoformat(), "tx": tx_id, "op": "aborted"}], mode, group)


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Every committed change, oldest first; damaged lines (a crash mid-append) are skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    entries: list[dict[str, Any]] = []
    aborted: set[str] = set()
    for raw_line in raw.splitlines():
        try:
            entry = orjson.loads(raw_line)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(entry, dict):
            continue
        if entry.get("op") == "aborted":
            aborted.add(str(entry.get("tx")))
        else:
            # Lines written before redaction existed must not show a hash either.
            for side in ("before", "after"):
                if isinstance(entry.get(side), Mapping):
                    entry[side] = redact(entry[side])
            entries.append(entry)
    yield from (e for e in entries if e.get("tx") not in aborted)


def _instant(value: datetime | date, *, end: bool) -> datetime:
    """A moment to compare stamps with; a date means the whole local day."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    moment = datetime.combine(value, time.max if end else time.min)
    return moment.astimezone()


def _at(entry: Mapping[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(entry.get("at")))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def search(
    entries: Iterable[Mapping[str, Any]],
    *,
    who: str | None = None,
    record: str | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
) -> list[Mapping[str, Any]]:
    """The entries matching every filter given, in their order (the audit screen's filters).

    ``who`` matches part of the actor's name, any case ("ali" finds "alice" and "os:alice");
    ``record`` the start of a record id (screens show short ids); ``since`` and ``until`` are
    inclusive, a date meaning that whole local day.
    """
    who_folded = who.casefold() if who else None
    start = _instant(since, end=False) if since is not None else None
    stop = _instant(until, end=True) if until is not None else None
    found = []
    for entry in entries:
        if who_folded and who_folded not in str(entry.get("who", "")).casefold():
            continue
        if record and not str(entry.get("id", "")).startswith(record):
            continue
        if start is not None or stop is not None:
            moment = _at(entry)
            if moment is None:
                continue
            if (start is not None and moment < start) or (stop is not None and moment > stop):
                continue
        found.append(entry)
    return found
