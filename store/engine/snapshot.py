"""A lock-free, read-only view of one version of the file, and what readers derive from it.

Screens read through a :class:`Snapshot`. Small tables (users, settings, zones...) are parsed
already; a big one (members, contacts at 20,000 members) stays in the file and is read in
bounded pieces when asked:

* :meth:`Snapshot.records` decodes a table straight into small typed records (msgspec
  structs holding only the fields a reader names), never into one dict per document: the
  compact read models (store/members/summary.py, store/contacts/summary.py) are built this way;
* :meth:`Snapshot.get` and :meth:`Snapshot.where` find a few documents by a byte search and
  parse only their lines (the member being shown, their contact log);
* :meth:`Snapshot.all` still parses a whole table, for the one-off callers that need every
  document (an export, the integrity check): it costs what it always did.

:meth:`Snapshot.memo` keeps a derived model per version, so the dashboard, the roster and a
member's page opened on the same version share one model, built once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

import orjson

from store.engine.audit import Change
from store.engine.layout import NotLines, batches, find_lines, parse_region, wrap
from store.engine.storage import DamagedTable, FileVersion, StatKey

if TYPE_CHECKING:
    import msgspec

META = "_meta"
FINDS_KEPT = 64  # byte searches' results kept per version (a page's member and their log)
T = TypeVar("T")
Damaged = Callable[[str], Exception]

_DECODERS: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def _decoder(record_type: type[T]) -> msgspec.json.Decoder[dict[str, T]]:
    """One cached decoder per record type: ``{doc_id: record}`` straight from JSON bytes.

    msgspec is imported here, not with the module: the command reads the settings (a small
    table, parsed with orjson) before the login's first frame, and nothing there needs it.
    """
    found = _DECODERS.get(record_type)
    if found is None:
        import msgspec

        found = _DECODERS[record_type] = msgspec.json.Decoder(dict[str, record_type])  # type: ignore[valid-type]
    return found


_PROJECTIONS: dict[tuple[str, ...], type[Any]] = {}


def _projection(names: tuple[str, ...]) -> type[Any]:
    """A struct type holding just ``names`` (any JSON value; left unset when missing)."""
    found = _PROJECTIONS.get(names)
    if found is None:
        import msgspec

        fields = [(name, Any | msgspec.UnsetType, msgspec.UNSET) for name in names]
        found = _PROJECTIONS[names] = msgspec.defstruct("Projection", fields, gc=False)
    return found


def _project(record_type: type[Any], doc: Mapping[str, Any]) -> Any:
    names = record_type.__struct_fields__
    return record_type(**{name: doc[name] for name in names if name in doc})


def _damaged(table: str) -> Exception:
    return ValueError(f"table {table} is damaged")


class Snapshot:
    """One whole version of the database, for reading without a lock.

    The documents handed out are shared with other readers: callers must not change them.
    """

    @classmethod
    def from_data(cls, data: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Snapshot:
        """A snapshot of parsed ``data`` (tests, and readers of a whole file parsed anyway)."""
        parsed = {table: dict(docs) for table, docs in data.items()}
        return cls(FileVersion(None, None, None, parsed))  # type: ignore[arg-type]

    def __init__(self, version: FileVersion, damaged: Damaged = _damaged) -> None:
        self.token: StatKey | None = version.key
        self._version = version
        self._damaged = damaged
        self._by_id: dict[str, dict[str, Mapping[str, Any]]] = {}

    # -- small and whole tables ----------------------------------------------------------------

    def _parsed(self, table: str) -> Mapping[str, Mapping[str, Any]] | None:
        """The table's documents if it is small (parsed once, kept), else None (on disk)."""
        try:
            return self._version.table(table)
        except DamagedTable:
            raise self._damaged(table) from None

    def all(self, table: str) -> list[Mapping[str, Any]]:
        """Every record of ``table``, in insertion order.

        A big table is parsed whole for the call (and not kept): prefer :meth:`records`,
        :meth:`get` or :meth:`where` where they do.
        """
        parsed = self._parsed(table)
        if parsed is not None:
            return list(parsed.values())
        return list(self._read_whole(table).values())

    def _read_whole(self, table: str) -> dict[str, dict[str, Any]]:
        version = self._version
        assert version.regions is not None and version.fd is not None
        try:
            return parse_region(version.fd, version.regions[table])
        except (NotLines, OSError):
            raise self._damaged(table) from None

    def count(self, table: str) -> int:
        """How many records ``table`` holds, without reading them."""
        parsed = self._parsed(table)
        if parsed is not None:
            return len(parsed)
        assert self._version.regions is not None
        return self._version.regions[table].count

    def tables(self) -> list[str]:
        """The names of the tables in the file."""
        return list(self._version.order)

    def holds_data(self) -> bool:
        """Whether any table but the database's own facts has a record (counted, not read)."""
        return any(self.count(table) for table in self.tables() if table != META)

    # -- a few records -------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Mapping[str, Any] | None:
        """The record with our ``id``, or None.

        A small table builds an id index on first use; a big one is searched for the id's
        bytes and only the matching line parsed (a few ms at 20,000 members).
        """
        parsed = self._parsed(table)
        if parsed is not None:
            index = self._by_id.get(table)
            if index is None:
                index = {doc["id"]: doc for doc in parsed.values() if "id" in doc}
                self._by_id[table] = index
            return index.get(record_id)
        found = self._search(table, "id", record_id)
        return found[0] if found else None

    def where(self, table: str, field: str, value: str) -> list[Mapping[str, Any]]:
        """The records whose ``field`` is ``value``, in insertion order (e.g. one member's
        contact log), reading only their lines from a big table."""
        parsed = self._parsed(table)
        if parsed is not None:
            return [doc for doc in parsed.values() if doc.get(field) == value]
        return self._search(table, field, value)

    def mentioning(self, table: str, field: str, value: str) -> list[Mapping[str, Any]]:
        """The records that may hold ``field`` equal to ``value`` anywhere, in nested lists
        too (one member's marks in the sessions' attendance), in insertion order: from a big
        table only the lines holding those bytes are parsed, a small one gives every record.
        The caller looks for the value where it belongs (the bytes may sit elsewhere)."""
        parsed = self._parsed(table)
        if parsed is not None:
            return list(parsed.values())
        return self._search(table, field, value, top_level=False)

    def _search(
        self, table: str, field: str, value: str, *, top_level: bool = True
    ) -> list[Mapping[str, Any]]:
        version = self._version
        assert version.regions is not None and version.fd is not None
        key = (table, field, value)
        found = version.finds.get(key)
        if found is not None:
            return list(found)
        needle = orjson.dumps(field) + b":" + orjson.dumps(value)
        try:
            found = [
                line.doc
                for line in find_lines(version.fd, version.regions[table], needle)
                if not top_level or line.doc.get(field) == value
            ]
        except (NotLines, OSError):
            raise self._damaged(table) from None
        if len(version.finds) >= FINDS_KEPT:
            version.finds.clear()
        version.finds[key] = found
        return list(found)

    # -- compact records -----------------------------------------------------------------------

    def records(
        self, table: str, record_type: type[T], convert: Callable[[Mapping[str, Any]], T]
    ) -> Iterator[T]:
        """Every record of ``table`` as a ``record_type`` (a msgspec Struct naming the fields
        wanted), decoded from the file in bounded pieces: fields not named are skipped
        without being built.

        ``convert`` makes one from a document: for a parsed table, and for a piece of the
        file holding a value of an unexpected type (an older file, a hand edit), which is
        read tolerantly rather than refused.
        """
        parsed = self._parsed(table)
        if parsed is not None:
            yield from (convert(doc) for doc in parsed.values())
            return
        import msgspec

        version = self._version
        assert version.regions is not None and version.fd is not None
        decoder = _decoder(record_type)
        try:
            for piece in batches(version.fd, version.regions[table]):
                raw = wrap(piece)
                try:
                    found = decoder.decode(raw)
                except msgspec.ValidationError:
                    loose = orjson.loads(raw)
                    yield from (convert(doc) for doc in loose.values() if isinstance(doc, dict))
                    continue
                yield from found.values()
        except (NotLines, OSError, msgspec.DecodeError, orjson.JSONDecodeError):
            raise self._damaged(table) from None

    def fields(self, table: str, names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        """Every record of ``table`` as a small dict of just the fields ``names`` (those the
        record has), one at a time, decoded from the file in bounded pieces.

        For a pass over a big table that needs a few fields of each record (a report over
        every member): the whole documents are never built, and nothing is kept.
        """
        parsed = self._parsed(table)
        if parsed is not None:
            for doc in parsed.values():
                yield {name: doc[name] for name in names if name in doc}
            return
        from msgspec import UNSET

        record_type = _projection(names)
        for record in self.records(table, record_type, lambda doc: _project(record_type, doc)):
            yield {name: value for name in names if (value := getattr(record, name)) is not UNSET}

    def memo(self, key: str, build: Callable[[Snapshot], T]) -> T:
        """What ``build`` derives from this version, built once and shared by every reader of
        it (one lock per version: a second screen waits for the first one's build)."""
        version = self._version
        found = version.memo.get(key)
        if found is None:
            with version.memo_lock:
                found = version.memo.get(key)
                if found is None:
                    found = version.memo[key] = build(self)
        return found

    def kept(self, key: str, tables: frozenset[str], build: Callable[[Snapshot], T]) -> T:
        """:meth:`memo` for a value derived from ``tables`` alone: it is carried to the next
        versions for as long as no change touches one of them (a dashboard's contact group
        stays through an evening of patrol check-ins), and built again after one that does.
        ``key`` names everything else the value depends on (the day, the viewer's role)."""
        return self.memo(key, lambda snapshot: Kept(build(snapshot), tables)).value

    @property
    def meta(self) -> Mapping[str, Any]:
        """The database's own facts: schema_version, created_at, demo."""
        return next(iter((self._parsed(META) or {}).values()), {})


class Follower(Protocol):
    """A derived model that can take a transaction's changes instead of being built again.

    ``follow`` returns the model as it is after ``changes`` (each with its whole before and
    after record), or None when it cannot (then it is built afresh when next asked). It
    returns a new model and never changes itself: screens may be reading it in a thread.
    ``followed`` holds the models of the same version already followed, by memo key: a model
    built on others (the roster's rows on the members and contacts) reads their new state there
    (models are followed in the order they were built, so what it was built on comes first).
    """

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None: ...


class Kept(Generic[T]):
    """A value kept with a version until a change touches one of its ``tables``
    (:meth:`Snapshot.kept`): a :class:`Follower` that follows by staying the same."""

    __slots__ = ("tables", "value")

    def __init__(self, value: T, tables: frozenset[str]) -> None:
        self.value = value
        self.tables = tables

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        return None if any(change.table in self.tables for change in changes) else self


def follow(memo: Mapping[str, Any], changes: Sequence[Change]) -> dict[str, Any]:
    """The models of ``memo`` that could follow ``changes``, as they are after them."""
    followed: dict[str, Any] = {}
    for key, model in list(memo.items()):
        step = getattr(model, "follow", None)
        if step is None:
            continue
        after = step(changes, followed)
        if after is not None:
            followed[key] = after
    return followed
