"""Following other sessions' saves through the change log, instead of reading the file again.

Thirty sessions on one server each keep a version of the file and the read models built on it
(store/engine/storage.py ``FileVersion``, store/engine/snapshot.py). When another process saves,
reading the new file whole costs every session the size of the file (at 20,000 members: a
45 ms scan of 28 MB, then 190 ms to rebuild the members' and contacts' models). The change log
already says what changed, so a session instead:

1. reads the new file's first table alone (``_meta``: which transaction wrote it, a few hundred
   bytes at its start);
2. reads the change log from where it last stopped (:class:`Position`) up to that transaction:
   only committed transactions, in order (an aborted one is passed over), each change with its
   whole before and after record (an update's line carries its after-image, ``image``);
3. takes where each table now sits from that transaction's commit line (``layout``: the writer
   knows it, so nobody scans 28 MB to find it; checked against the file's bytes at each
   table's edges), keeps its small tables that no change touched, and lets every model follow
   the changes (store/engine/snapshot.py ``follow``).

Whenever the log cannot say exactly what changed, :func:`advance` returns None and the caller
reads the file whole, as before: a new generation of the file (a restore, a migration, a
change of data format), a bulk change the log does not spell out record by record (a demo, a
template applied to many shifts), a log replaced or cut shorter than our position, a damaged
line, a transaction missing from the log, or a position that cannot be found (a session that
was suspended past all of that). The writers are unchanged: lock, atomic replace, fsync order
and conflict checks all stay where they were; this module only reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from store.engine import audit_format
from store.engine.audit import Change
from store.engine.layout import NotLines, Region, scan, wrap
from store.engine.snapshot import follow as follow_models
from store.engine.storage import DamagedTable, FileVersion, kept_parsed, stat_key

META = "_meta"
HEAD = 64 * 1024  # bytes read from a file's start to find its _meta table (a few hundred)
BUDGET = 8 << 20  # log bytes searched backwards for the transaction a version was written by
# Notes on _meta whose transaction also logs every record it changed (store/members/importing.py
# writes one line per member plus this summary): they change no record themselves.
LISTED_NOTES = frozenset({"import"})
_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


class Untrusted(Exception):
    """The log cannot say exactly what changed: the file must be read whole."""


@dataclass(frozen=True, slots=True)
class Position:
    """A place in one change log (its device and inode): just after transaction ``tx``'s lines."""

    dev: int
    ino: int
    offset: int
    tx: str


@dataclass(frozen=True, slots=True)
class Step:
    """One committed transaction read from the log."""

    tx: str
    changes: tuple[Change, ...]
    layout: Any  # the commit line's layout, or None (a crash's settled commit has none)
    redacted: frozenset[str]  # tables whose records came with a secret left out ("***")


# -- where a version stands in the log -------------------------------------------------------


def position_after(log: Path, tx: str, budget: int = BUDGET) -> Position | None:
    """The position just after the last line of transaction ``tx``, or None when the log's
    last ``budget`` bytes hold no line of it (or there is no log)."""
    needle = b'"tx":' + orjson.dumps(tx)
    try:
        fd = os.open(log, _OPEN)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        size = st.st_size
        step = HEAD
        while True:
            start = max(0, size - step)
            data = os.pread(fd, size - start, start)
            at = data.rfind(needle)
            while at >= 0:
                line_start = data.rfind(b"\n", 0, at) + 1
                end = data.find(b"\n", at)
                if end >= 0 and (line_start or not start) and _tx_of(data[line_start:end]) == tx:
                    return Position(st.st_dev, st.st_ino, start + end + 1, tx)
                at = data.rfind(needle, 0, at)
            if not start or step >= budget:
                return None
            step *= 4
    finally:
        os.close(fd)


def _tx_of(raw: bytes) -> object:
    try:
        entry = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return entry.get("tx") if isinstance(entry, dict) else None


# -- reading the log since a position --------------------------------------------------------


def read_since(log: Path, at: Position, upto: str) -> tuple[list[Step], Position]:
    """The committed transactions after ``at``, through ``upto`` (the new file's), in order,
    and the position just after ``upto``'s lines; raises Untrusted when the log cannot say."""
    lines: dict[str, list[dict[str, Any]]] = {}
    marks: dict[str, dict[str, Any]] = {}
    ends: dict[str, int] = {}
    for entry, end in _entries(_tail(log, at)):
        tx = entry.get("tx")
        if not isinstance(tx, str):
            raise Untrusted("a line without its transaction")
        if tx == at.tx:
            continue  # the commit line of the transaction we already have
        if entry.get("op") in (audit_format.COMMIT, audit_format.ABORTED):
            marks.setdefault(tx, entry)
        elif entry.get("v") != audit_format.FORMAT:
            raise Untrusted("a line in an older format")
        else:
            lines.setdefault(tx, []).append(entry)
        ends[tx] = end
    steps: list[Step] = []
    for tx, end in ends.items():  # in the order they appear
        mark = marks.get(tx, {})
        if mark.get("op") == audit_format.ABORTED:
            continue
        if tx not in lines or (mark.get("op") != audit_format.COMMIT and tx != upto):
            raise Untrusted("a transaction that is not settled, or has no lines here")
        steps.append(_step(tx, lines[tx], mark.get(audit_format.LAYOUT)))
        if tx == upto:
            return steps, Position(at.dev, at.ino, at.offset + end, tx)
    raise Untrusted("the file's transaction is not in the log")


def _tail(log: Path, at: Position) -> bytes:
    """The log's whole lines after ``at``, if it is still the log ``at`` points into."""
    try:
        fd = os.open(log, _OPEN)
    except OSError:
        raise Untrusted("no log") from None
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != (at.dev, at.ino) or st.st_size < at.offset:
            raise Untrusted("the log was replaced or cut")
        if at.offset and os.pread(fd, 1, at.offset - 1) != b"\n":
            raise Untrusted("the position is not at a line's start")
        return _read_from(fd, at.offset, st.st_size)
    finally:
        os.close(fd)


def _read_from(fd: int, offset: int, size: int) -> bytes:
    """The log's whole lines from ``offset`` (a line still being appended is left for later)."""
    parts = []
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        parts.append(chunk)
        offset += len(chunk)
    data = b"".join(parts)
    return data[: data.rfind(b"\n") + 1]


def _entries(data: bytes) -> Iterator[tuple[dict[str, Any], int]]:
    """Each line's entry and the offset just past it; a damaged line cannot be trusted."""
    start = 0
    while start < len(data):
        end = data.index(b"\n", start) + 1
        raw = data[start : end - 1]
        start = end
        if not raw.strip():
            continue
        try:
            entry = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise Untrusted("a damaged line") from None
        if not isinstance(entry, dict):
            raise Untrusted("a line that is not an entry")
        yield entry, end


def _step(tx: str, entries: list[dict[str, Any]], layout: Any) -> Step:
    changes: list[Change] = []
    redacted: set[str] = set()
    for entry in entries:
        change = _change(entry)
        if change is None:
            continue
        if audit_format.holds_redacted(change.before) or audit_format.holds_redacted(change.after):
            redacted.add(change.table)
        changes.append(change)
    return Step(tx, tuple(changes), layout, frozenset(redacted))


def _change(entry: Mapping[str, Any]) -> Change | None:
    """The change a log line describes, with whole records; None for a note that changes none."""
    op, table, record_id = entry.get("op"), entry.get("table"), entry.get("id")
    if table == META:
        if op in LISTED_NOTES:
            return None
        raise Untrusted(f"a change the log does not spell out ({op})")
    if not isinstance(table, str) or not isinstance(record_id, str):
        raise Untrusted("a line without its record")
    before, after = entry.get("before"), entry.get("after")
    if op == "insert" and isinstance(after, dict):
        return Change("insert", table, record_id, None, after)
    if op == "delete" and isinstance(before, dict):
        return Change("delete", table, record_id, before, None)
    image = entry.get(audit_format.IMAGE)
    if op == "update" and isinstance(image, dict) and isinstance(before, dict):
        # The record as it was: its after-image with the changed fields put back (enough for
        # a model to take out what it counted: a contact's member and day).
        version = image.get("version")
        was = {**image, **before}
        if isinstance(version, int):
            was["version"] = version - 1
        return Change("update", table, record_id, was, image)
    raise Untrusted(f"a line that does not carry its record ({op})")


# -- the next version --------------------------------------------------------------------------


def advance(old: FileVersion, path: Path, log: Path) -> FileVersion | None:
    """The file's current version, made from ``old`` and the change log; None when the log
    cannot say exactly what changed (then the caller reads the file whole)."""
    if not old.scanned or old.regions is None or old.key is None:
        return None  # a head read alone (store/engine/datafile.py): read the new file instead
    try:
        old_meta = _facts(old.table(META))
    except DamagedTable:
        return None
    old_tx = old_meta.get("last_tx")
    at = old.log_at if isinstance(old.log_at, Position) else None
    if at is None and isinstance(old_tx, str):
        at = position_after(log, old_tx)
    if at is None or at.tx != old_tx:
        return None
    try:
        fd = os.open(path, _OPEN)
    except OSError:
        return None
    try:
        return _next(old, old_meta, at, fd, log)
    except (Untrusted, NotLines, OSError, DamagedTable):
        os.close(fd)
        return None


def _next(
    old: FileVersion, old_meta: Mapping[str, Any], at: Position, fd: int, log: Path
) -> FileVersion:
    """The version in ``fd`` made from ``old``; raises Untrusted (or NotLines...) when not."""
    st = os.fstat(fd)
    meta_region, meta_table = _head(fd, st.st_size)
    new_meta = _facts(meta_table)
    new_tx = new_meta.get("last_tx")
    if (
        not isinstance(new_tx, str)
        or new_tx == at.tx
        or new_meta.get("schema_version") != old_meta.get("schema_version")
    ):
        raise Untrusted("a new generation of the file")
    steps, position = read_since(log, at, new_tx)
    found = _layout(steps[-1].layout, fd, st.st_size, meta_region)
    regions = found if found is not None else scan(fd, st.st_size)
    by_name = {region.name: region for region in regions}
    changes = [change for step in steps for change in step.changes]
    touched = {change.table for change in changes}
    for step in steps:
        if any(not kept_parsed(by_name[t].size) for t in step.redacted if t in by_name):
            raise Untrusted("a big table's change came with a secret left out")
    parsed = {META: meta_table}
    for name, docs in old.parsed.items():
        region = by_name.get(name)
        if name in touched or name == META or region is None or not kept_parsed(region.size):
            continue  # read again from the new file when asked (small: cheap)
        if len(docs) == region.count:
            parsed[name] = docs
    version = FileVersion(stat_key(st), fd, by_name, parsed, [r.name for r in regions])
    version.memo.update(follow_models(old.memo, changes))
    version.finds.update(_kept_finds(old.finds, changes, by_name))
    version.log_at = position
    return version


def _kept_finds(
    finds: Mapping[tuple[str, str, str], list[Any]],
    changes: Sequence[Change],
    tables: Mapping[str, Region],
) -> dict[tuple[str, str, str], list[Any]]:
    """The byte searches' results no change touched: a record matching before or after a
    change drops the search (it may have come, gone or changed)."""
    kept = {}
    for key, found in list(finds.items()):
        table, field, value = key
        if table in tables and not any(
            change.table == table
            and any(side is not None and side.get(field) == value for side in _sides(change))
            for change in changes
        ):
            kept[key] = found
    return kept


def _sides(change: Change) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    return change.before, change.after


def _facts(table: Mapping[str, Mapping[str, Any]] | None) -> Mapping[str, Any]:
    return next(iter((table or {}).values()), {})


def _head(fd: int, size: int) -> tuple[Region, dict[str, dict[str, Any]]]:
    """The file's first table (``_meta``): where it sits and its records."""
    raw = os.pread(fd, min(size, HEAD), 0)
    header = b'{\n"' + META.encode() + b'":{\n'
    if not raw.startswith(header):
        raise NotLines("the file does not start with its _meta table")
    start = len(header)
    close = raw.find(b"\n}", start - 1)
    if close < 0:
        raise NotLines("the _meta table does not end near the start")
    end = close + 1
    try:
        table = orjson.loads(wrap(raw[start:end]))
    except orjson.JSONDecodeError:
        raise NotLines("the _meta table does not parse") from None
    if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
        raise NotLines("the _meta table is not records")
    return Region(META, start, end, raw.count(b"\n", start, end)), table


def _layout(layout: Any, fd: int, size: int, meta: Region) -> list[Region] | None:
    """The regions a commit line gives, if they describe this file (checked at every table's
    edges, a few bytes each); None when there are none or they do not fit."""
    if not isinstance(layout, dict) or layout.get("size") != size:
        return None
    try:
        regions = [Region(str(n), int(s), int(e), int(c)) for n, s, e, c in layout["tables"]]
    except (KeyError, TypeError, ValueError):
        return None
    if not regions or regions[0] != meta:
        return None
    fits = all(_fits(fd, region, size) for region in regions)
    return regions if fits else None


def _fits(fd: int, region: Region, size: int) -> bool:
    """Whether ``region`` starts after a table's header line and ends on its closing line."""
    if not 3 <= region.start <= region.end < size:
        return False
    if os.pread(fd, 3, region.start - 3) != b":{\n" or os.pread(fd, 1, region.end) != b"}":
        return False
    return not region.count or (
        os.pread(fd, 1, region.start) == b'"' and os.pread(fd, 1, region.end - 1) == b"\n"
    )
