"""Records in a state, counted and ranked, kept through saves one record at a time (issue 23).

The dashboard's groups ("contacts overdue or due", "behind on study hours") count the members
in a state and show the first few by a rank. Building one walks every member: 20 to 40 ms at
20,000, in every session on the dashboard, on every save of a member, contact or session. A
:class:`Ranking` keeps each ranked record's entry and its place in one sorted list, so that
following a save ranks again only the records it touched (store/engine/snapshot.py
``Follower``): the size of the change, not of the file.

Models are read by screens in worker threads and never change once made. A ranking's big parts
(the sorted list, the entries by id) are shared with the ranking it was followed from and
changed in place, which is safe because only the newest ranking of a chain may follow: a
generation number says which, and an older one asked to follow returns None (the caller builds
afresh). What readers read (the counts, the first few entries) is made once per ranking.

Ties keep the records' own order (the order a build walked them in, a new record after every
other), as the stable sort of a fresh build leaves them: a followed ranking equals a fresh one.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from store.engine.numbering import numbered

if TYPE_CHECKING:
    from store.engine.audit import Change

E = TypeVar("E")

Ranked = tuple[str, tuple[Any, ...], E]
"""What a record is ranked as: its state (counted), its rank (compared), its entry (shown)."""

Rank = Callable[[str], Ranked[E] | None]
"""How a record is ranked now: None when it is in no state (not counted, not shown)."""


class _Shared:
    """The parts of a chain of rankings that follow in place (see the module).

    A ranked record is one flat tuple, its key in the sorted list: its rank's items, its place
    in the records' order (unique, so comparing stops there: ties keep that order), its id and
    its state. Its entry (what is shown) is not kept: the first few are ranked again when a
    ranking is made, the only ones ever shown. At 20,000 members, most of them behind pace on
    study hours, that is 6.7 -> 3.3 MiB for the dashboard's ranking.
    """

    __slots__ = ("changing", "entries", "generation", "order", "places")

    def __init__(self) -> None:
        self.changing = threading.Lock()  # one follower at a time (a save here, one elsewhere)
        self.entries: dict[str, tuple[Any, ...]] = {}  # id -> its key: (*rank, place, id, state)
        self.order: list[tuple[Any, ...]] = []  # the keys, sorted
        self.places: dict[str, int] = {}  # id -> its place in the records' order
        self.generation = 0


def _key(ranked: tuple[str, tuple[Any, ...], Any], place: int, record_id: str) -> tuple[Any, ...]:
    state, by, _entry = ranked
    return (*by, place, record_id, state)


class Ranking(Generic[E]):
    """The records in a state: how many in each, and the ``first`` few by rank."""

    __slots__ = ("_generation", "_shared", "first", "head", "tally")

    def __init__(
        self,
        shared: _Shared,
        generation: int,
        tally: Mapping[str, int],
        first: int,
        rank: Rank[E],
    ) -> None:
        self._shared = shared
        self._generation = generation
        self.first = first
        self.tally: Mapping[str, int] = tally
        head = (rank(key[-2]) for key in shared.order[:first])
        self.head: tuple[E, ...] = tuple(found[2] for found in head if found is not None)

    @classmethod
    def build(
        cls, ids: Iterable[str], rank: Rank[E], first: int, places: dict[str, int] | None = None
    ) -> Ranking[E]:
        """Rank every record of ``ids`` (in the records' own order) by ``rank``.

        ``places`` numbers every one of ``ids`` in that order, shared with other rankings of
        the same records (the dashboard's two over the members: one dict at 20,000 members,
        0.4 MiB, instead of one each); it only grows, a new record getting the next number
        from whichever ranking meets it first. Without it, the ranking numbers them itself.
        """
        shared = _Shared()
        if places is not None:
            shared.places = places
        places, entries = shared.places, shared.entries
        tally: Counter[str] = Counter()
        for number, record_id in numbered(ids):
            place = places.setdefault(record_id, number)
            found = rank(record_id)
            if found is not None:
                entries[record_id] = _key(found, place, record_id)
                tally[found[0]] += 1
        shared.order = sorted(entries.values())
        return cls(shared, 0, dict(tally), first, rank)

    def count(self, state: str) -> int:
        """How many records are in ``state``."""
        return self.tally.get(state, 0)

    def changed(self, ids: Iterable[str], rank: Rank[E]) -> Ranking[E] | None:
        """This ranking with the records ``ids`` ranked again by ``rank`` (a record gone from
        the file ranks as None); None when this ranking is not the newest of its chain."""
        shared = self._shared
        if not shared.changing.acquire(blocking=False):
            return None  # another thread is following this chain: built afresh instead
        try:
            if shared.generation != self._generation:
                return None
            shared.generation = -1  # if ranking fails half-way, no ranking may follow after
            tally = self._changed(shared, ids, rank)
            shared.generation = self._generation + 1
            return type(self)(shared, shared.generation, tally, self.first, rank)
        finally:
            shared.changing.release()

    def _changed(self, shared: _Shared, ids: Iterable[str], rank: Rank[E]) -> dict[str, int]:
        tally = Counter(self.tally)
        entries, order, places = shared.entries, shared.order, shared.places
        for record_id in ids:
            old = entries.pop(record_id, None)
            if old is not None:
                tally[old[-1]] -= 1
                at = bisect.bisect_left(order, old)
                if at < len(order) and order[at] == old:
                    del order[at]
            found = rank(record_id)
            if found is None:
                continue
            place = places.get(record_id)
            if place is None:
                place = places.setdefault(record_id, len(places))
            key = entries[record_id] = _key(found, place, record_id)
            bisect.insort(order, key)
            tally[found[0]] += 1
        return dict(+tally)


class RankedModel(Generic[E]):
    """A read model made of one :class:`Ranking`, which follows a save by ranking again only
    the records it touched (store/engine/snapshot.py ``Follower``).

    A subclass says which changes it cannot follow (:attr:`NOT_FOLLOWED`: tables whose change
    moves every record, such as the settings), which records a change touches
    (:meth:`touched`), how a record ranks from the followed models (:meth:`ranker`) and how it
    is made again around a new ranking (:meth:`remade`).
    """

    __slots__ = ()
    NOT_FOLLOWED: ClassVar[frozenset[str]] = frozenset()
    ranking: Ranking[E]

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The model after ``changes``; None when it must be built afresh."""
        if any(change.table in self.NOT_FOLLOWED for change in changes):
            return None
        ids = self.touched(changes)
        if not ids:
            return self
        rank = self.ranker(followed)
        if rank is None:
            return None
        made = self.ranking.changed(ids, rank)
        return None if made is None else self.remade(made)

    def touched(self, changes: Iterable[Change]) -> list[str]:
        """The records whose rank a change may move, in the order first touched (models of
        members: :func:`touched_members`)."""
        raise NotImplementedError

    def ranker(self, followed: Mapping[str, Any]) -> Rank[E] | None:
        """How a record ranks now, from the followed models; None if one is missing."""
        raise NotImplementedError

    def remade(self, ranking: Ranking[E]) -> Self:
        """This model around ``ranking``."""
        raise NotImplementedError


MemberIds = Callable[[Mapping[str, Any]], Iterable[object]]
"""Which members one side (before or after) of a change of a table names: its member ids."""


def touched_members(changes: Iterable[Change], table: str, ids_of: MemberIds) -> list[str]:
    """The members a model ranking members must rank again after ``changes``, in the order
    first touched: a change of the members table touches its own record; a change of
    ``table`` touches the members ``ids_of`` finds on its before and after sides (a record
    moved from one member to another moves both). Any other table touches nobody.

    One rule for every such model (store/contacts/lapsing.py, store/training/behind.py), so a
    new one only says how its table names members. What ``ids_of`` gives that is not a string
    (a damaged record) is skipped: it names no member.
    """
    ids: dict[str, None] = {}
    for change in changes:
        if change.table == "members":
            ids[change.record_id] = None
        elif change.table == table:
            for side in (change.before, change.after):
                for member_id in ids_of(side) if side is not None else ():
                    if isinstance(member_id, str):
                        ids[member_id] = None
    return list(ids)
