"""The change log: one JSON line per change in ``<db>.audit.jsonl``, and only what happened.

A transaction's lines are appended (and fsynced) before the data file is replaced, so nothing is
ever changed without a line saying who did it. The data file then carries the transaction's id
(``_meta.last_tx``), and once it is durably in place a ``{"tx": ID, "op": "commit"}`` line
follows. Readers count a transaction only with its commit line: a crash or a full disk between
the lines and the data leaves lines that never happened, and they must not be shown (nor
followed by another session watching the log). If the data write fails, an ``aborted`` line says
so at once. If the process dies first, the next transaction (under the lock) settles the
dangling one with :func:`pending` and the data file: its id in ``_meta.last_tx`` means the data
was written (commit line), anything else that it was not (aborted line).

Change lines carry ``"v": 2``; older lines (logs written before commit lines existed) count as
they always did, unless aborted.

This module writes the log and reads it whole (every change, the change-log screen's
filters, ``shequ check``'s unsettled transactions); what a line holds and which lines count
is store/engine/audit_format.py, reading from the log's end (a page of the newest, who last
changed a record, the transaction left open) store/engine/audit_tail.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import orjson

from store.actor import Actor
from store.engine.audit_format import (
    ABORTED,
    COMMIT,
    FORMAT,
    IMAGE,
    LAYOUT,
    MARKS,
    counts,
    for_people,
    parse,
    redact,
)
from store.engine.audit_tail import pending
from store.engine.files import settle

# Bookkeeping fields that change on every save and say nothing to a reader of the log.
_NOISE = frozenset({"version", "updated_at", "updated_by"})


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
    image = None
    if before is not None and after is not None:
        image = after
        before, after = _diff(before, after)
    line = {
        "at": at.isoformat(),
        "tx": tx_id,
        "who": actor.name,
        "role": str(actor.role),
        "op": change.op,
        "table": change.table,
        "id": change.record_id,
        "before": redact(before),
        "after": redact(after),
        "v": FORMAT,
    }
    if image is not None:
        # The whole record after an update, for other sessions following the log (store/
        # engine/follow.py): the diff above is what people read; readers never show this.
        line[IMAGE] = redact(image)
    return line


def _append_lines(
    path: Path,
    lines: Iterable[Mapping[str, Any]],
    mode: int,
    group: int | None,
    *,
    durable: bool = True,
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
        if durable:
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


def commit(
    path: Path,
    tx_id: str,
    at: datetime,
    mode: int,
    group: int | None = None,
    layout: Mapping[str, Any] | None = None,
) -> None:
    """Mark a transaction whose data is in place: from now on readers show its lines.

    Not fsynced: should a power cut lose it, the data file still names the transaction
    (``_meta.last_tx``) and the next transaction writes it again (see :func:`pending`); any
    later append's fsync makes it durable with the rest of the file. ``layout`` (the new
    file's size and where each table sits) lets a session following the log adopt the file
    without scanning it (store/engine/follow.py); a commit line without one costs a scan.
    """
    line: dict[str, Any] = {"at": at.isoformat(), "tx": tx_id, "op": COMMIT}
    if layout is not None:
        line[LAYOUT] = layout
    _append_lines(path, [line], mode, group, durable=False)


def abort(path: Path, tx_id: str, at: datetime, mode: int, group: int | None = None) -> None:
    """Mark a transaction whose data write failed, so its lines are never shown as done."""
    _append_lines(path, [{"at": at.isoformat(), "tx": tx_id, "op": ABORTED}], mode, group)


def close_dangling(
    path: Path, last_tx: object, at: datetime, mode: int, group: int | None = None
) -> str | None:
    """Close the transaction a dead process left open at the log's end; returns its id.

    ``last_tx`` is the data file's ``_meta.last_tx``: the dangling transaction wrote its data
    only if it is that one. Callers hold the database lock, so no live writer is mid-way.
    """
    dangling = pending(path)
    if dangling is None:
        return None
    if dangling == last_tx:
        commit(path, dangling, at, mode, group)
    else:
        abort(path, dangling, at, mode, group)
    return dangling


def read(path: Path, last_tx: object = None) -> Iterator[dict[str, Any]]:
    """Every committed change, oldest first; damaged lines (a crash mid-append) are skipped.

    ``last_tx``, the data file's ``_meta.last_tx`` when the caller has it, counts the open
    transaction it names as committed before its commit line is written (the data is in place).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    entries: list[dict[str, Any]] = []
    marks: dict[str, str] = {}
    for raw_line in raw.splitlines():
        entry = parse(raw_line)
        if entry is None:
            continue
        op = entry.get("op")
        if op in MARKS:
            marks.setdefault(str(entry.get("tx")), str(op))
            continue
        entries.append(for_people(entry))
    if isinstance(last_tx, str) and last_tx not in marks:
        marks[last_tx] = COMMIT
    for entry in entries:
        if counts(entry, marks.get(str(entry.get("tx")))):
            yield entry


def unsettled(path: Path) -> list[tuple[str, int]]:
    """Transactions with neither a commit nor an aborted line, but the log's last one.

    Each is (id, number of lines). The last may still be settled by the next save; any other
    means lines that no process will ever settle (``shequ check`` reports them).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    counts: dict[str, int] = {}
    marked: set[str] = set()
    for raw_line in raw.splitlines():
        entry = parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        if entry.get("op") in MARKS:
            marked.add(tx)
        elif entry.get("v") == FORMAT:
            counts[tx] = counts.get(tx, 0) + 1
    open_ones = [(tx, n) for tx, n in counts.items() if tx not in marked]
    last = pending(path)
    return [(tx, n) for tx, n in open_ones if tx != last]


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


def matcher(
    *,
    who: str | None = None,
    record: str | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
) -> Callable[[Mapping[str, Any]], bool]:
    """Whether an entry passes every filter given (see :func:`search`), one entry at a time."""
    who_folded = who.casefold() if who else None
    start = _instant(since, end=False) if since is not None else None
    stop = _instant(until, end=True) if until is not None else None

    def keep(entry: Mapping[str, Any]) -> bool:
        if who_folded and who_folded not in str(entry.get("who", "")).casefold():
            return False
        if record and not str(entry.get("id", "")).startswith(record):
            return False
        if start is not None or stop is not None:
            moment = _at(entry)
            if moment is None:
                return False
            if (start is not None and moment < start) or (stop is not None and moment > stop):
                return False
        return True

    return keep


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
    keep = matcher(who=who, record=record, since=since, until=until)
    return [entry for entry in entries if keep(entry)]
