"""A transaction's working copy of the file: only the tables and records it touches are parsed.

At 20,000 members the file is 25 MB; parsing it whole for every save, or keeping it parsed in
every session, is what made a save slow or a session big. A transaction here starts from a
:class:`~store.engine.storage.FileVersion` (the file held open, where each table sits):

* a small table is parsed (it was already, by the version);
* finding one record of a big table by id reads that table's bytes in bounded pieces and parses
  the one line that holds it; changing or deleting it records a patch for that line; an insert
  appends a line (its doc_id is one more than the last line's, TinyDB's rule);
* a caller that wants a whole big table (:meth:`TransactionStorage.table`, ``tx.all``, a
  migration through :attr:`TransactionStorage.data`) gets it parsed, patches applied;
* :meth:`TransactionStorage.serialize` writes the new file as pieces: the tables and lines
  nobody touched are copied from the old file as bytes, kernel-side.

Nothing shared is ever changed in place: a parsed table is copied the first time this
transaction changes it (:meth:`TransactionStorage.own`), so other readers of the same version
never see a transaction's edits, even if it fails.
"""

from __future__ import annotations

import os

import orjson

from store.engine.layout import (
    ALWAYS_WRITTEN,
    Copy,
    Doc,
    Line,
    NotLines,
    Payload,
    Region,
    Writer,
    file_order,
    find_lines,
    last_doc_id,
    parse_region,
    record_line,
    sorted_ids,
)
from store.engine.storage import Data, FileVersion

Table = dict[str, Doc]
SEARCHES = 2  # byte searches of one big table before a transaction parses it instead


class _Patches:
    """Changes to one big table still on disk: lines replaced or removed, lines appended."""

    def __init__(self) -> None:
        self.found: dict[str, Line] = {}  # record id -> its line in the old file
        self.changed: dict[str, Doc | None] = {}  # doc_id -> new document, None: deleted
        self.appended: dict[str, Doc] = {}  # doc_id -> new document
        self.next_id: int | None = None
        self.searches = 0  # byte searches of the table so far

    def __bool__(self) -> bool:
        return bool(self.changed or self.appended)


class TransactionStorage:
    """What one transaction reads and changes; see the module docstring."""

    def __init__(self, version: FileVersion) -> None:
        self.version = version
        self._tables: Data = dict(version.parsed)  # tables parsed so far (shared until owned)
        self._order: list[str] = list(version.order)
        self._owned: set[str] = set()
        self._patches: dict[str, _Patches] = {}
        self._next: dict[str, int] = {}  # parsed tables: the next doc_id, once computed
        self._ids: dict[str, dict[str, str]] = {}  # parsed tables: record id -> doc_id
        self.dirty = False
        # Changed other than record by record (a whole table or the whole data handed out):
        # the transaction's list of changes then does not say everything that changed.
        self.opaque = False

    # -- reading -------------------------------------------------------------------------------

    def _region(self, table: str) -> Region | None:
        """The on-disk region of a big table not parsed yet, or None."""
        if table in self._tables or self.version.regions is None:
            return None
        return self.version.regions.get(table)

    def table(self, table: str) -> Table:
        """``table``'s documents, parsed (read-only: shared until :meth:`own`)."""
        region = self._region(table)
        if region is None:
            return self._tables.get(table, {})
        assert self.version.fd is not None
        docs = parse_region(self.version.fd, region)
        patches = self._patches.pop(table, None)
        if patches is not None:
            for doc_id, doc in patches.changed.items():
                if doc is None:
                    docs.pop(doc_id, None)
                else:
                    docs[doc_id] = doc
            docs.update(patches.appended)
        self._tables[table] = docs
        self._owned.add(table)  # parsed here, for this transaction alone
        return docs

    @property
    def data(self) -> Data:
        """Every table, parsed: for migrations and whole-file operations (a demo, a restore).

        The returned dict and its tables are this transaction's own (copied from the shared
        version), so changing them in place is safe; any access counts as a change.
        """
        for name in list(self._order):
            self._own(name)
        self.opaque = True
        self._next.clear()  # the caller may add records with ids of its own
        return self._tables

    @data.setter
    def data(self, data: Data) -> None:
        self._tables = data
        self._order = list(data)
        self._patches.clear()
        self._owned = set(data)
        self._next.clear()
        self.dirty = self.opaque = True

    def holds_data(self) -> bool:
        """Whether any table but ``_meta`` has a record (counted, not parsed, on disk)."""
        for name in self.tables():
            if name == "_meta":
                continue
            region = self._region(name)
            patches = self._patches.get(name)
            if region is not None:
                gone = appended = 0
                if patches is not None:
                    gone = sum(1 for doc in patches.changed.values() if doc is None)
                    appended = len(patches.appended)
                if region.count - gone + appended > 0:
                    return True
            elif self._tables.get(name):
                return True
        return False

    def is_parsed(self, table: str) -> bool:
        """Whether ``table`` is held parsed here (read whole or small), not left on disk."""
        return table in self._tables

    def tables(self) -> list[str]:
        """Names of the tables, in file order."""
        return [name for name in self._order if name in self._tables or self._region(name)]

    def find(self, table: str, record_id: str) -> tuple[str, Doc] | None:
        """The doc_id and the document with our ``id``, or None (read-only document).

        In a big table still on disk, the first few are found by a byte search of the table;
        a transaction that looks up many (an import, a deletion with its belongings) gets the
        table parsed once and an index instead of a search each.
        """
        region = self._region(table)
        if region is None:
            return self._find_parsed(table, record_id)
        patches = self._patches.setdefault(table, _Patches())
        for doc_id, patched in (*patches.changed.items(), *patches.appended.items()):
            if patched is not None and patched.get("id") == record_id:
                return doc_id, patched
        line = patches.found.get(record_id)
        if line is None:
            if patches.searches >= SEARCHES:
                self.table(table)
                return self._find_parsed(table, record_id)
            patches.searches += 1
            line = self._locate(region, record_id)
        if line is None or line.doc_id in patches.changed:  # absent, or deleted here
            return None
        patches.found[record_id] = line
        return line.doc_id, line.doc

    def _find_parsed(self, table: str, record_id: str) -> tuple[str, Doc] | None:
        """Through an id index, checked on every hit and rebuilt on a miss (a caller given a
        table may have changed it)."""
        docs = self._tables.get(table, {})
        index = self._ids.get(table)
        if index is not None:
            doc_id = index.get(record_id)
            doc = docs.get(doc_id) if doc_id is not None else None
            if doc is not None and doc.get("id") == record_id:
                return doc_id, doc  # type: ignore[return-value]
        index = self._ids[table] = {str(doc.get("id")): doc_id for doc_id, doc in docs.items()}
        found = index.get(record_id)
        return (found, docs[found]) if found is not None else None

    def _locate(self, region: Region, record_id: str) -> Line | None:
        assert self.version.fd is not None
        needle = b'"id":' + orjson.dumps(record_id)
        for line in find_lines(self.version.fd, region, needle):
            if line.doc.get("id") == record_id:
                return line
        return None

    # -- changing ------------------------------------------------------------------------------

    def own(self, table: str) -> Table:
        """``table``'s documents, safe to change in place: copied once per transaction.

        Parses a big table whole (prefer :meth:`put` and :meth:`remove`), and marks the
        transaction dirty, since the caller is about to change something.
        """
        self.opaque = True
        self._next.pop(table, None)
        return self._own(table)

    def _own(self, table: str) -> Table:
        docs = self.table(table)
        if table not in self._owned:
            docs = self._tables[table] = dict(docs)
            self._owned.add(table)
        if table not in self._order:
            self._order.append(table)
        self.dirty = True
        return docs

    def replace_table(self, table: str, docs: Table) -> None:
        """Put a whole new table in place (the meta table a commit stamps): ``docs`` is this
        transaction's own, the old table is left to whoever shares it."""
        self._tables[table] = docs
        self._owned.add(table)
        self._patches.pop(table, None)
        self._ids.pop(table, None)
        self._next.pop(table, None)
        if table not in self._order:
            self._order.append(table)
        self.dirty = True

    def put(self, table: str, doc_id: str, doc: Doc) -> None:
        """Store ``doc`` under ``doc_id`` (a record found with :meth:`find`, or a new id)."""
        self.dirty = True
        region = self._region(table)
        if region is None:
            self._own(table)[doc_id] = doc
            if table in self._ids and isinstance(doc.get("id"), str):
                self._ids[table][doc["id"]] = doc_id
            if table in self._next and doc_id.isdigit():
                self._next[table] = max(self._next[table], int(doc_id) + 1)
            return
        patches = self._patches.setdefault(table, _Patches())
        if doc_id in patches.appended or not self._in_file(patches, doc_id):
            patches.appended[doc_id] = doc
        else:
            patches.changed[doc_id] = doc

    def remove(self, table: str, doc_id: str) -> None:
        """Delete the record stored under ``doc_id`` (found with :meth:`find` first)."""
        self.dirty = True
        region = self._region(table)
        if region is None:
            self._own(table).pop(doc_id, None)
            return
        patches = self._patches.setdefault(table, _Patches())
        if patches.appended.pop(doc_id, None) is None:
            patches.changed[doc_id] = None

    def _in_file(self, patches: _Patches, doc_id: str) -> bool:
        return any(line.doc_id == doc_id for line in patches.found.values())

    def next_id(self, table: str) -> str:
        """A doc_id for a new record: one more than the largest (TinyDB's own rule)."""
        region = self._region(table)
        if region is None:  # the largest is found once per table, then counted on
            found = self._next.get(table)
            if found is None:
                docs = self._tables.get(table, {})
                found = max((int(key) for key in docs if key.isdigit()), default=0) + 1
            self._next[table] = found + 1
            return str(found)
        patches = self._patches.setdefault(table, _Patches())
        if patches.next_id is None:
            assert self.version.fd is not None
            try:
                patches.next_id = last_doc_id(self.version.fd, region) + 1
            except NotLines:  # not ours after all: work on the table parsed
                self.table(table)
                return self.next_id(table)
        doc_id = patches.next_id
        patches.next_id += 1
        return str(doc_id)

    # -- writing -------------------------------------------------------------------------------

    def serialize(self) -> Payload:
        """The new file: changed tables written, untouched ones copied from the old file; the
        small tables read at start first (store/engine/layout.py, ``HEAD``), whatever order
        the old file had, and those ``ALWAYS_WRITTEN`` even while empty."""
        writer = Writer(self.version.fd)
        names = self.tables()
        for name in file_order([*names, *(name for name in ALWAYS_WRITTEN if name not in names)]):
            writer.begin(name)
            region = self._region(name)
            if region is None:
                docs = self._tables.get(name, {})  # {}: a table always written (layout.py)
                writer.lines([record_line(doc_id, docs[doc_id]) for doc_id in sorted_ids(docs)])
            else:
                self._splice(writer, region, self._patches.get(name))
            writer.end()
        return writer.finish()

    def _splice(self, writer: Writer, region: Region, patches: _Patches | None) -> None:
        """A big table's lines: the old ones copied, patched ones replaced or dropped.

        Every record line but the table's last ends with a comma; the old last line has none,
        so it gains one when lines follow it, and a line that becomes the last loses its own.
        """
        if not patches:
            writer.add(Copy(region.start, region.end), region.count)
            return
        by_start = sorted(
            (line for line in patches.found.values() if line.doc_id in patches.changed),
            key=lambda line: line.start,
        )
        # (start, end) copied ranges and new lines, in order; end excludes the newline
        kept: list[tuple[int, int] | bytes] = []
        position = region.start
        count = region.count
        for line in by_start:
            if line.start > position:
                kept.append((position, line.start))
            new = patches.changed[line.doc_id]
            if new is None:
                count -= 1
            else:
                kept.append(record_line(line.doc_id, new))
            position = line.end
        if position < region.end:
            kept.append((position, region.end))
        kept += [record_line(doc_id, patches.appended[doc_id]) for doc_id in patches.appended]
        count += len(patches.appended)
        self._emit(writer, kept, count)

    def _emit(self, writer: Writer, kept: list[tuple[int, int] | bytes], count: int) -> None:
        """Write ``kept`` so that exactly the last record line lacks a comma."""
        for index, part in enumerate(kept):
            last = index == len(kept) - 1
            if isinstance(part, bytes):
                writer.add(part + (b"\n" if last else b",\n"))
                continue
            start, end = part
            # A copied range is whole lines; its last line has a comma unless it was the
            # table's last line (end == region end), which then must gain one if not last.
            assert self.version.fd is not None
            ends_with_comma = _ends_with_comma(self.version.fd, end)
            if last and ends_with_comma:
                writer.add(Copy(start, end - 2))
                writer.add(b"\n")
            elif not last and not ends_with_comma:
                writer.add(Copy(start, end - 1))
                writer.add(b",\n")
            else:
                writer.add(Copy(start, end))
        writer.records(count)


def _ends_with_comma(fd: int, end: int) -> bool:
    """Whether the line ending just before ``end`` (its newline) ends with a comma."""
    tail = os.pread(fd, 2, end - 2)
    if len(tail) != 2 or not tail.endswith(b"\n"):
        raise NotLines("a table does not end with a whole line")
    return tail.startswith(b",")


__all__ = ["Data", "NotLines", "Payload", "Table", "TransactionStorage"]
