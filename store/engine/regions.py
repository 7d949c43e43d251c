"""Where each table sits in a data file in the line layout, found from the bytes alone.

store/engine/layout.py describes the layout (one record per line, a table's header line ending
with ``:{``, a closing line starting with ``}``) and reads and writes its lines; this module
only finds the tables' byte ranges (:func:`scan`), with byte searches and no JSON parsed but the
table names, so a reader can keep the small tables parsed and leave the big ones on disk. It is
also what tells a file in this layout from one that is not (an older compact file, a file
pretty-printed by hand, a damaged one): :class:`NotLines`, and the caller parses it whole.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import orjson

CHUNK = 64 * 1024  # bytes read at a time; bounds a reader's memory, whatever the file's size


class NotLines(Exception):
    """The file is valid-looking JSON but not in this layout (or damaged): parse it whole."""


@dataclass(frozen=True, slots=True)
class Region:
    """Where one table's record lines sit in the file: ``[start, end)``, ``count`` lines.

    ``end`` is just past the last record line's newline (``start == end`` for an empty table).
    """

    name: str
    start: int
    end: int
    count: int

    @property
    def size(self) -> int:
        return self.end - self.start


def pread_exact(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes at ``offset``; a file that ends early is damaged (NotLines)."""
    parts: list[bytes] = []
    while size > 0:
        chunk = os.pread(fd, min(size, CHUNK * 8), offset)
        if not chunk:
            raise NotLines("the file ends early")
        parts.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


_NOT_A_RECORD = re.compile(rb'\n[^"]')  # a line inside a table not starting with a quote


class _Cursor:
    """Reads a file forward in ``CHUNK`` pieces: its lines one by one, or a table's lines skipped
    at byte-search speed (a big table is never looked at line by line)."""

    def __init__(self, fd: int, start: int, size: int) -> None:
        self.fd, self.size = fd, size
        self.buf = b""
        self.base = start  # file offset of buf[0]
        self.pos = start  # file offset of the next unread byte

    def _more(self) -> bool:
        """Read the next piece, dropping what was consumed; False at the end of the file."""
        end = self.base + len(self.buf)
        if end >= self.size:
            return False
        chunk = os.pread(self.fd, min(CHUNK, self.size - end), end)
        if not chunk:
            return False
        self.buf = self.buf[self.pos - self.base :] + chunk
        self.base = self.pos
        return True

    def line(self) -> tuple[int, bytes] | None:
        """The next whole line (without its newline) and its offset; None at the end."""
        while True:
            newline = self.buf.find(b"\n", self.pos - self.base)
            if newline >= 0:
                start, self.pos = self.pos, self.base + newline + 1
                return start, self.buf[start - self.base : newline]
            if not self._more():
                if self.pos < self.base + len(self.buf):
                    raise NotLines("the file does not end with a newline")
                return None

    def skip_records(self) -> int:
        """Move to the line closing the current table (the next one starting with ``}``)
        and return how many record lines were passed.

        One search per piece finds the first line that does not start with a quote: in a
        well-formed table that is the closing line, so the same pass checks the records and
        finds the table's end (searching for ``\\n}`` as well cost a second pass that stops at
        every newline)."""
        count = 0
        while True:
            at = self.pos - self.base
            head = self.buf[at : at + 1]
            if head == b"}":
                return count
            if head:
                if head != b'"':
                    raise NotLines("a line that is neither a record nor a table's end")
                odd = _NOT_A_RECORD.search(self.buf, at)
                end = odd.start() if odd is not None else self.buf.rfind(b"\n", at)
                if end >= 0:  # whole record lines up to here
                    count += self.buf.count(b"\n", at, end + 1)
                    self.pos = self.base + end + 1
                    if odd is not None:
                        continue  # at the odd line: its first byte says which
            if not self._more():
                raise NotLines("a table does not end")


class Scanner:
    """Finds the tables' regions one at a time, in file order, reading only as far as asked.

    The small tables every session reads at start sit at the file's head (store/engine/
    layout.py, :data:`~store.engine.layout.HEAD`): a reader that wants one of them stops
    once it has it, and the rest of the file is looked at only when something asks for a
    table further on (store/engine/storage.py, :class:`FileVersion`). NotLines as soon as the
    bytes read so far are not in this layout; :meth:`next` returns None once it has checked
    the file's end.
    """

    def __init__(self, fd: int, size: int) -> None:
        if size < 4 or os.pread(fd, 2, 0) != b"{\n":
            raise NotLines("not one record per line")
        self._cursor = _Cursor(fd, 2, size)
        self._expect = "first"  # outside a table: "first" (header or end), "more", "end"
        self.done = False

    @property
    def scanned(self) -> int:
        """How many bytes of the file were looked at so far (tests: a head read stops early)."""
        cursor = self._cursor
        return cursor.base + len(cursor.buf)

    def next(self) -> Region | None:
        """The next table's region, or None after the file's last line."""
        if self.done:
            return None
        cursor = self._cursor
        while (found := cursor.line()) is not None:
            offset, line = found
            if self._expect in ("first", "more") and line.startswith(b'"') and line.endswith(b":{"):
                try:
                    name = orjson.loads(line[:-2])
                except orjson.JSONDecodeError:
                    raise NotLines("a bad table name") from None
                if not isinstance(name, str):
                    raise NotLines("a bad table name")
                start = offset + len(line) + 1
                count = cursor.skip_records()
                close = cursor.line()
                if close is None or close[1] not in (b"}", b"},"):
                    raise NotLines("a line that is neither a record nor a table's end")
                self._expect = "more" if close[1] == b"}," else "end"
                return Region(name, start, close[0], count)
            if self._expect in ("first", "end") and line == b"}":
                if cursor.line() is not None:
                    raise NotLines("text after the end")
                self.done = True
                return None
            raise NotLines("a line out of place")
        raise NotLines("the file ends early")


def scan(fd: int, size: int) -> list[Region]:
    """Each table's region, in file order; NotLines if the file is not in this layout.

    Reads the whole file once in ``CHUNK`` pieces but parses no JSON: within a table it only
    searches for the line that closes it, so a 25 MB file costs a few byte searches.
    """
    scanner = Scanner(fd, size)
    regions: list[Region] = []
    while (region := scanner.next()) is not None:
        regions.append(region)
    return regions
