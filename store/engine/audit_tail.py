"""Reading the change log from its end: a page of the newest changes, who last changed one
record, and the transaction a dead process left open.

The log only grows, and what these readers want is at its end: the change-log screen's first
page, the form saying "changed by 王芳 meanwhile", the next transaction settling the one
before it. So they read backwards in blocks and stop as soon as they have it, whatever the
log's length. Reading backwards, a transaction's commit or aborted line comes before its
change lines; which lines count is the same rule as reading forwards
(store/engine/audit_format.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from store.engine.audit_format import COMMIT, FORMAT, IMAGE, MARKS, counts, for_people, parse

_TAIL = 16384  # bytes read from the log's end to find its last line (more if it is longer)


def pending(path: Path) -> str | None:
    """The transaction at the log's end that has neither a commit nor an aborted line.

    Only the last one can be open: every transaction settles its predecessor, under the lock,
    before it appends its own lines. Reads the log's tail only (a damaged last line, cut by a
    crash, is passed over: the lines before it say whose it was).
    """
    last = _last_entry(path)
    if last is None or last.get("op") in MARKS or last.get("v") != FORMAT:
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
                    entry = parse(raw_line)
                    if entry is not None:
                        return entry
                if not start:
                    return None
                step *= 4
    except FileNotFoundError:
        return None


def newest(path: Path, last_tx: object = None) -> Iterator[dict[str, Any]]:
    """Every committed change, newest first, read from the log's end as far as the caller
    iterates: the change-log screen takes a page and stops, whatever the log's length.

    The same rule as :func:`store.engine.audit.read`: a transaction's commit or abort line
    comes after its changes, so reading backwards meets it first (the first written wins, as
    in ``read``).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    marks: dict[str, str] = {}
    for raw_line in _lines_backwards(path, size):
        entry = parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        op = entry.get("op")
        if op in MARKS:
            marks[tx] = str(op)  # backwards: the earlier line overrides a later one
            continue
        mark = marks.get(tx)
        if mark is None and isinstance(last_tx, str) and tx == last_tx:
            mark = COMMIT
        if counts(entry, mark):
            yield for_people(entry)


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
    (the data file's ``_meta.last_tx``) counts as committed, as in
    :func:`store.engine.audit.read`.
    """
    settled: dict[str, str] = {}
    if isinstance(last_tx, str):
        settled[last_tx] = COMMIT
    for raw_line in _lines_backwards(path, budget):
        entry = parse(raw_line)
        if entry is None:
            continue
        tx = str(entry.get("tx"))
        if entry.get("op") in MARKS:
            settled.setdefault(tx, str(entry.get("op")))
            continue
        if entry.get("table") != table or entry.get("id") != record_id:
            continue
        if counts(entry, settled.get(tx)):
            entry.pop(IMAGE, None)
            return entry
    return None
