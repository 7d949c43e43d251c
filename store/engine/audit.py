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
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import orjson

from store.actor import Actor
from store.engine.files import settle

# Bookkeeping fields that change on every save and say nothing to a reader of the log.
_NOISE = frozenset({"version", "updated_at", "updated_by"})
# Fields never written to the log: a PIN hash there could be attacked offline by anyone who
# can read the log. The line still says such a field changed ("***" -> "***").
_SECRET_KEY = re.compile(r"hash|secret|password|passwd|pin$|token", re.IGNORECASE)
REDACTED = "***"
# The change lines' format: 2 = the transaction counts only once its commit line follows.
FORMAT = 2
COMMIT, ABORTED = "commit", "aborted"
_MARKS = (COMMIT, ABORTED)
IMAGE = "image"  # an update's whole after-image (secrets redacted), for followers only
LAYOUT = "layout"  # on a commit line: where each table sits in the file it committed
_TAIL = 16384  # bytes read from the log's end to find its last line (more if it is longer)


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


def pending(path: Path) -> str | None:
    """The transaction at the log's end that has neither a commit nor an aborted line.

    Only the last one can be open: every transaction settles its predecessor, under the lock,
    before it appends its own lines. Reads the log's tail only (a damaged last line, cut by a
    crash, is passed over: the lines before it say whose it was).
    """
    last = _last_entry(path)
    if last is None or last.get("op") in _MARKS or last.get("v") != FORMAT:
        return None
    tx = last.get("tx")
    return tx if isinstance(tx, str) and tx else None


def _last_entry(path: Path) -> dict[str, Any] | None:
    """The last whole JSON line of the log, reading backwards from its end in growing steps."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            step = _TAIL
            while True:
                start = max(0, size - step)
                handle.seek(start)
                lines = handle.read(size - start).split(b"\n")
                if start:
                    lines = lines[1:]  # the first may be the end of an earlier line
                for raw_line in reversed(lines):
                    entry = _parse(raw_line)
                    if entry is not None:
                        return entry
                if not start:
                    return None
                step *= 4
    except FileNotFoundError:
        return None


def _parse(raw_line: bytes) -> dict[str, Any] | None:
    if not raw_line.strip():
        return None
    try:
        entry = orjson.loads(raw_line)
    except orjson.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


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
        entry = _parse(raw_line)
        if entry is None:
            continue
        op = entry.get("op")
        if op in _MARKS:
            marks.setdefault(str(entry.get("tx")), str(op))
            continue
        entry.pop(IMAGE, None)  # for followers, not for people
        # Lines written before redaction existed must not show a hash either.
        for side in ("before", "after"):
            if isinstance(entry.get(side), Mapping):
                entry[side] = redact(entry[side])
        entries.append(entry)
    if isinstance(last_tx, str) and last_tx not in marks:
        marks[last_tx] = COMMIT
    for entry in entries:
        mark = marks.get(str(entry.get("tx")))
        if mark == COMMIT or (mark is None and entry.get("v") != FORMAT):
            yield entry


def newest(path: Path, last_tx: object = None) -> Iterator[dict[str, Any]]:
    """Every committed change, newest first, read from the log's end as far as the caller
    iterates: the change-log screen takes a page and stops, whatever the log's length.

    The same rule as :func:`read`: a transaction's commit or abort line comes after its
    changes, so reading backwards meets it first (the first written wins, as in :func:`read`).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    marks: dict[str, str] = {}
    for raw_line in _lines_backwards(path, size):
        entry = _parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        op = entry.get("op")
        if op in _MARKS:
            marks[tx] = str(op)  # backwards: the earlier line overrides a later one
            continue
        mark = marks.get(tx)
        if mark is None and isinstance(last_tx, str) and tx == last_tx:
            mark = COMMIT
        if mark == COMMIT or (mark is None and entry.get("v") != FORMAT):
            entry.pop(IMAGE, None)  # for followers, not for people
            for side in ("before", "after"):
                if isinstance(entry.get(side), Mapping):
                    entry[side] = redact(entry[side])
            yield entry


def _lines_backwards(path: Path, budget: int) -> Iterator[bytes]:
    """The log's lines, last first, reading at most ``budget`` bytes from its end."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        floor = max(0, end - budget)
        carry = b""
        while end > floor:
            start = max(floor, end - _TAIL)
            handle.seek(start)
            block = handle.read(end - start) + carry
            end = start
            pieces = block.split(b"\n")
            # The first piece may be the end of a line that starts in the next block read.
            carry = pieces.pop(0) if end > floor else b""
            yield from reversed(pieces)  # at the floor, a cut first line fails to parse


def last_change(
    path: Path, table: str, record_id: str, last_tx: object = None, budget: int = 1 << 20
) -> dict[str, Any] | None:
    """The newest committed change to one record, or None if the log's last ``budget`` bytes
    hold none (a form saying who changed its record meanwhile reads only the log's tail).

    Reading backwards, a transaction's commit line comes before its change lines; ``last_tx``
    (the data file's ``_meta.last_tx``) counts as committed, as in :func:`read`.
    """
    settled: dict[str, str] = {}
    if isinstance(last_tx, str):
        settled[last_tx] = COMMIT
    for raw_line in _lines_backwards(path, budget):
        entry = _parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        if entry.get("op") in _MARKS:
            settled.setdefault(tx, str(entry.get("op")))
            continue
        if entry.get("table") != table or entry.get("id") != record_id:
            continue
        mark = settled.get(tx)
        if mark == COMMIT or (mark is None and entry.get("v") != FORMAT):
            entry.pop(IMAGE, None)
            return entry
    return None


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
        entry = _parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        if entry.get("op") in _MARKS:
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
