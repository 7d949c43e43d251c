"""The file's byte layout: TinyDB's JSON, written one record per line, so it can be read in pieces.

The file is still one JSON object, ``{table: {doc_id: document}}``, that plain TinyDB (or any
JSON tool) reads; only the line breaks are ours::

    {
    "_meta":{
    "1":{"schema_version":2,...}
    },
    "members":{
    "1":{"name":"张三",...},
    "2":{"name":"李四",...}
    }
    }

A table's header line ends with ``:{``, each record is one line (``"doc_id":{...}``, with a comma
unless it is the table's last), a table closes with a line starting with ``}``. JSON strings
cannot hold a raw newline (orjson writes ``\\n``), so a record never spans two lines, and a
record line never ends with ``:{``: the three kinds of line are told apart by their ends.

That buys two things at 20,000 members:

* a reader finds each table's byte range (:func:`scan`, store/engine/regions.py) without
  parsing it, keeps the small tables parsed and reads a big one in bounded batches when
  something asks (the compact read models, one record by id), so a long-lived session never
  holds the whole file as dicts;
* a transaction that changes a few records copies every other line from the old file as bytes
  (:class:`Payload`, ``copy_file_range``): an edit costs the lines it changes, not a re-encode.

The small tables every session reads at start come first (:data:`HEAD`: the database's own
facts, the settings, the accounts, then the patrols' zones, teams and templates), the big ones
after them: a reader wanting one of those can stop once it has it (:class:`Scanner`), so the
command's read of the low-bandwidth setting before Textual starts costs the same at 20,000
members as at 20 (the login's first snapshot scans the rest, after its first frame). The order
carries no meaning (the file is one JSON object), so a file an earlier shequ wrote in another
order reads as before and takes this order at its next save: no migration.

Records are written in ascending doc_id order (TinyDB's insertion order, as its doc_ids only
grow), so a table's largest doc_id is on its last line. Anything else (an older compact file, a
file pretty-printed by hand) is not this layout: :func:`scan` says so and the caller parses it
whole, as before; the next save writes this layout.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from store.engine.regions import CHUNK, NotLines, Region, Scanner, pread_exact, scan

# The layout's whole face, finding the tables (store/engine/regions.py) included.
__all__ = [
    "ALWAYS_WRITTEN",
    "BATCH",
    "HEAD",
    "SMALL_TABLE",
    "Copy",
    "Doc",
    "Line",
    "NotLines",
    "Payload",
    "Piece",
    "Region",
    "Scanner",
    "Writer",
    "batches",
    "decode_line",
    "encode",
    "file_order",
    "find_lines",
    "last_doc_id",
    "parse_region",
    "pread_exact",
    "record_line",
    "scan",
    "sorted_ids",
    "wrap",
]

SMALL_TABLE = 256 * 1024  # tables up to this many bytes are kept parsed by readers
BATCH = 64 * 1024  # bytes of record lines decoded at a time (transient objects stay small)

Doc = dict[str, Any]

HEAD = ("_meta", "settings", "users", "zones", "teams", "shift_templates")
"""The tables written first, in this order: small (set by hand, not growing with the members)
and read at start (``_meta`` must stay first: store/engine/follow.py reads it at byte 0)."""


ALWAYS_WRITTEN = ("settings",)
"""Head tables a save writes even while empty. The command reads the settings before Textual
starts (store/settings/early.py) and stops at the file's head once it has their table; a file
where no admin has saved them yet would otherwise be scanned to its end to learn there are none
(some 20 ms at 20,000 members, before the first frame). A restore or migration writes what it
was given (:func:`encode`); the next save adds them."""


def file_order(names: Iterable[str]) -> list[str]:
    """``names`` in the order they are written: :data:`HEAD`'s first, then the others as given."""
    given = list(names)
    head = [name for name in HEAD if name in given]
    return head + [name for name in given if name not in HEAD]


def wrap(lines: bytes) -> bytes:
    """Record lines (``"1":{...},\\n"2":{...}\\n``) as one JSON object's bytes."""
    body = lines.rstrip(b"\n")
    if body.endswith(b","):
        body = body[:-1]
    return b"{" + body + b"}"


def batches(fd: int, region: Region, limit: int = BATCH) -> Iterator[bytes]:
    """The region's record lines in pieces of about ``limit`` bytes, each cut after a newline.

    Each piece is ready for :func:`wrap`; a reader decodes one piece at a time, so its memory
    is bounded by ``limit`` whatever the table's size.
    """
    for _at, piece in _whole_lines(fd, region, limit):
        yield piece


def _whole_lines(fd: int, region: Region, limit: int) -> Iterator[tuple[int, bytes]]:
    """The region read ``limit`` bytes at a time, as pieces of whole lines with the file offset
    of each piece's first byte; a line cut by a read waits for the next one."""
    pos, end = region.start, region.end
    carry = b""
    while pos < end:
        chunk = os.pread(fd, min(limit, end - pos), pos)
        if not chunk:
            raise NotLines("the file ends early")
        pos += len(chunk)
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1
        if cut:
            yield pos - len(data), data[:cut]
        carry = data[cut:]
    if carry:
        raise NotLines("a table does not end with a whole line")


def parse_region(fd: int, region: Region) -> dict[str, Doc]:
    """A whole table as ``{doc_id: document}`` (for small tables, and a transaction's needs)."""
    docs: dict[str, Doc] = {}
    for piece in batches(fd, region):
        docs.update(_loads_object(wrap(piece)))
    return docs


def _loads_object(raw: bytes) -> dict[str, Doc]:
    try:
        found = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise NotLines("a record that is not valid JSON") from None
    if not isinstance(found, dict) or not all(isinstance(doc, dict) for doc in found.values()):
        raise NotLines("a record that is not a JSON object")
    return found


@dataclass(frozen=True, slots=True)
class Line:
    """One record's line as found in the file: the doc_id, its document and where it was."""

    doc_id: str
    doc: Doc
    start: int  # offset of the line's first byte
    end: int  # offset just past its newline


def decode_line(raw: bytes, start: int, end: int) -> Line:
    """A record line (with or without its comma) as a :class:`Line`."""
    body = raw[:-1] if raw.endswith(b",") else raw
    found = _loads_object(b"{" + body + b"}")
    if len(found) != 1:
        raise NotLines("a record line holding more than one record")
    ((doc_id, doc),) = found.items()
    return Line(doc_id, doc, start, end)


def find_lines(fd: int, region: Region, needle: bytes) -> Iterator[Line]:
    """Every record line of ``region`` containing ``needle`` (bytes), decoded, in file order.

    A byte search over the table, ``CHUNK`` at a time: the callers (a record by id, a
    member's contact log) then check the decoded document, since the bytes could in
    principle sit in another field.
    """
    for base, data in _whole_lines(fd, region, CHUNK):
        hit = data.find(needle)
        while hit >= 0:
            line_start = data.rfind(b"\n", 0, hit) + 1
            line_end = data.find(b"\n", hit) + 1
            yield decode_line(data[line_start : line_end - 1], base + line_start, base + line_end)
            hit = data.find(needle, line_end)


def last_doc_id(fd: int, region: Region) -> int:
    """The doc_id on the region's last line (its largest, see the module docstring); 0 if empty."""
    if region.count == 0:
        return 0
    tail_size = min(region.size, 64)
    while True:
        tail = pread_exact(fd, tail_size, region.end - tail_size)
        line_start = tail.rfind(b"\n", 0, len(tail) - 1) + 1
        if line_start or tail_size >= region.size:
            break
        tail_size = min(region.size, tail_size * 4)
    line = tail[line_start:]
    key_end = line.find(b'":')
    if not line.startswith(b'"') or key_end < 0:
        raise NotLines("a record line without a doc_id")
    try:
        return int(line[1:key_end])
    except ValueError:
        raise NotLines("a doc_id that is not a number") from None


# -- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Copy:
    """Bytes to copy unchanged from the file being replaced: ``[start, end)``."""

    start: int
    end: int


Piece = bytes | Copy


@dataclass(slots=True)
class Payload:
    """A new file as pieces: bytes we made and ranges copied from the old file (``source``).

    :meth:`regions` says where each table will sit in the new file, so the writer can adopt
    what it wrote without scanning it again.
    """

    pieces: list[Piece] = field(default_factory=list)
    source: int | None = None  # descriptor of the old file the Copy pieces come from
    tables: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, start, end, n
    size: int = 0

    def add(self, piece: Piece) -> None:
        if isinstance(piece, Copy):
            if piece.end <= piece.start:
                return
            self.size += piece.end - piece.start
        else:
            if not piece:
                return
            self.size += len(piece)
        self.pieces.append(piece)

    def regions(self) -> list[Region]:
        return [Region(name, start, end, count) for name, start, end, count in self.tables]

    def bytes(self) -> bytes:
        """The whole file in memory (tests, and a restore of parsed data)."""
        out = bytearray()
        for piece in self.pieces:
            if isinstance(piece, Copy):
                assert self.source is not None
                out += pread_exact(self.source, piece.end - piece.start, piece.start)
            else:
                out += piece
        return bytes(out)

    def write_to(self, fd: int) -> None:
        """Write every piece to ``fd`` in order; copied ranges go kernel-side where possible."""
        for piece in self.pieces:
            if isinstance(piece, Copy):
                assert self.source is not None
                _copy_range(self.source, fd, piece.start, piece.end - piece.start)
            else:
                _write_all(fd, piece)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _copy_range(source: int, target: int, offset: int, size: int) -> None:
    """Append ``size`` bytes of ``source`` from ``offset`` to ``target`` (at its position)."""
    copy_file_range = getattr(os, "copy_file_range", None)
    while size > 0 and copy_file_range is not None:
        try:
            done = copy_file_range(source, target, size, offset)
        except OSError:  # another filesystem, an old kernel: copy through user space
            break
        if done == 0:
            raise OSError("the file being replaced ended early")
        offset += done
        size -= done
    while size > 0:
        chunk = os.pread(source, min(size, CHUNK * 4), offset)
        if not chunk:
            raise OSError("the file being replaced ended early")
        _write_all(target, chunk)
        offset += len(chunk)
        size -= len(chunk)


def record_line(doc_id: str, doc: Mapping[str, Any]) -> bytes:
    """One record as its line's bytes, without comma or newline."""
    return orjson.dumps(doc_id) + b":" + orjson.dumps(doc)


def sorted_ids(docs: Iterable[str]) -> list[str]:
    """doc_ids in the order they are written: numeric ones ascending, then any others."""
    numeric: list[tuple[int, str]] = []
    other: list[str] = []
    for doc_id in docs:
        with contextlib.suppress(ValueError):
            numeric.append((int(doc_id), doc_id))
            continue
        other.append(doc_id)
    numeric.sort()
    return [doc_id for _n, doc_id in numeric] + other


class Writer:
    """Builds a :class:`Payload` table by table, keeping track of where each region lands."""

    def __init__(self, source: int | None = None) -> None:
        self.payload = Payload(source=source)
        self.payload.add(b"{\n")
        self._open: tuple[str, int, int] | None = None
        self._tables = 0

    def begin(self, name: str) -> None:
        if self._tables:
            self.payload.add(b",\n")
        self._tables += 1
        self.payload.add(orjson.dumps(name) + b":{\n")
        self._open = (name, self.payload.size, 0)

    def lines(self, lines: list[bytes]) -> None:
        """Whole record lines (no comma, no newline), the table's last ones so far."""
        if not lines:
            return
        assert self._open is not None
        self.payload.add(b",\n".join(lines) + b"\n")
        name, start, count = self._open
        self._open = (name, start, count + len(lines))

    def add(self, piece: Piece, count: int = 0) -> None:
        """A piece of record lines already in the layout, holding ``count`` whole records."""
        assert self._open is not None
        self.payload.add(piece)
        self.records(count)

    def records(self, count: int) -> None:
        """Count ``count`` more records in the open table (added as several pieces)."""
        assert self._open is not None
        name, start, had = self._open
        self._open = (name, start, had + count)

    def end(self) -> None:
        assert self._open is not None
        name, start, count = self._open
        self.payload.tables.append((name, start, self.payload.size, count))
        self.payload.add(b"}")
        self._open = None

    def finish(self) -> Payload:
        self.payload.add(b"\n}\n" if self._tables else b"}\n")
        return self.payload


def encode(data: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Payload:
    """Parsed data as a whole new file in this layout (a restore, a migration, tests)."""
    writer = Writer()
    for name in file_order(data):
        docs = data[name]
        writer.begin(name)
        writer.lines([record_line(doc_id, docs[doc_id]) for doc_id in sorted_ids(docs)])
        writer.end()
    return writer.finish()
