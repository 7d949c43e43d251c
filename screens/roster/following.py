"""The roster's rows follow another session's save instead of being built again (issue 23).

Building every row costs about 47 ms at 20,000 members; a save changes one or a few. The roster
of a version is kept with that version's models (``Snapshot.memo``), and when the version is
followed (store/engine/follow.py, or our own save) :meth:`FollowingRoster.follow` makes the new
roster from the old one: the changed members' rows made again, every sort order already made
kept in order by taking the old row out and putting the new one in its place (a binary search
on the order's keys, ties in the members' order as the stable sorts leave them), the counts
and grids adjusted. A change it cannot follow (the settings, which set every row's state)
builds the roster again. A test checks the followed roster equals a fresh build.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Self

from screens.roster.chunked import Chunked, chunked
from screens.roster.rows import Row, age_on
from screens.roster.view import MOBILE, SORTS_BY_ID, Counts, Roster, RosterFilter, build_roster
from store.actor import Actor
from store.engine.audit import Change
from store.engine.database import Snapshot
from store.engine.numbering import numbered

MEMO = "roster.rows"
_NOT_FOLLOWED = frozenset({"settings"})  # every row's contact state depends on them


def roster_of(snapshot: Snapshot, actor: Actor, today: date) -> Roster:
    """The roster of ``snapshot`` as ``actor`` sees it on ``today``, built once per version and
    followed to the next one."""
    from store.members.summary import members_of

    key = f"{MEMO}:{actor.role}:{actor.user_id}:{actor.name}:{today.isoformat()}"

    def build(snap: Snapshot) -> FollowingRoster:
        made = build_roster(snap, actor, today)
        roster = FollowingRoster(
            Chunked(made.rows), made.counts, made.grids, made.settings, actor=actor, today=today
        )
        # The indexes a followed change needs, now with the build (a few ms at 20,000 in the
        # worker opening the roster), not at the first save another session makes; and the
        # lists in chunks from the start (each order and filter as it is first made).
        roster._indexes()
        members_of(snap).by_id  # noqa: B018
        return roster

    return snapshot.memo(key, build)


@dataclass
class FollowingRoster(Roster):
    """A :class:`Roster` that can take a transaction's changes (store/engine/snapshot.py)."""

    actor: Actor | None = None
    today: date = date.min
    _at: dict[str, int] | None = field(default=None, repr=False)  # member id -> index in rows
    _seq: dict[str, int] | None = field(default=None, repr=False)  # id -> place in rows' order
    _grid_counts: Counter[str] | None = field(default=None, repr=False)
    _next_seq: int = field(default=-1, repr=False)  # the place the next new member gets

    def ordered(self, sort: str) -> Sequence[Row]:
        found = super().ordered(sort)
        if not isinstance(found, Chunked):
            found = self._orders[sort] = Chunked(found)
        return found

    def filtered(self, roster_filter: RosterFilter, sort: str) -> Sequence[Row]:
        found = super().filtered(roster_filter, sort)
        if not isinstance(found, Chunked):
            found = self._filtered[(roster_filter, sort)] = Chunked(found)
        return found

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        from store.contacts.summary import MEMO as CONTACTS
        from store.members.summary import MEMO as MEMBERS

        if any(change.table in _NOT_FOLLOWED for change in changes):
            return None
        ids = _affected(changes)
        if not ids:
            return self
        members, contacts = followed.get(MEMBERS), followed.get(CONTACTS)
        if members is None or contacts is None or self.actor is None:
            return None
        return self._with(ids, lambda member_id: self._row(members, contacts, member_id))

    def _row(self, members: Any, contacts: Any, member_id: str) -> Row | None:
        from store.contacts import ops
        from store.privacy import phone_for, search_blob, sees_whole

        member = members.get(member_id)
        if member is None:
            return None
        assert self.actor is not None
        # As build_roster makes each row (a test checks the two agree).
        contacted = contacts.last(member.id)
        state = ops.lapse_state(member.current, member.added, contacted, self.today, self.settings)
        if sees_whole(self.actor, member.id):
            blob, masked = member.blob, None
        else:
            blob = search_blob(member, self.actor)
            masked = phone_for(self.actor, member.id, member.phone)
        return Row(member, contacted, state or "", blob, masked, age_on(member.birth, self.today))

    def _indexes(self) -> tuple[dict[str, int], dict[str, int], Counter[str]]:
        if self._at is None or self._seq is None or self._grid_counts is None:
            self._at = {row.id: i for i, row in numbered(self.rows)}
            # One dict for both until a deletion moves rows up (``_with`` then makes a new
            # ``at``): until then a row's index is its place, and an added one gets both.
            self._seq = self._at
            self._grid_counts = Counter(row.grid for row in self.rows)
        return self._at, self._seq, self._grid_counts

    def _with(self, ids: Iterable[str], make: Callable[[str], Row | None]) -> Self | None:
        # ``at`` (id -> index in rows) and ``seq`` (id -> place in the members' order) are
        # shared with the roster followed from, not copied (each copy of a 20,000-entry dict
        # touches every key): entries only ever get added, and never change once set. A
        # deletion moves later rows up, so it makes a new ``at``.
        at, seq, held_grids = self._indexes()
        grid_counts = Counter(held_grids)
        # Copies that share all but the chunks a change touches (screens/roster/chunked.py):
        # the lists a screen shows stay as they are, and a save does not copy 20,000 rows.
        rows, counts = chunked(self.rows), self.counts
        lists = [  # every order and filtered list made so far, kept in order
            (sort, None, chunked(found)) for sort, found in self._orders.items()
        ] + [(sort, keep, chunked(found)) for (keep, sort), found in self._filtered.items()]
        following = [(_key(sort, seq), keep, found) for sort, keep, found in lists]
        next_seq = self._next_seq if self._next_seq >= 0 else max(seq.values(), default=-1) + 1
        for member_id in ids:
            index = at.get(member_id)
            if index is not None and (index >= len(rows) or rows[index].id != member_id):
                return None  # this roster was followed twice: built again instead
            old = rows[index] if index is not None else None
            new = make(member_id)
            if old is not None:
                counts = _count(counts, old, -1)
                grid_counts[old.grid] -= 1
                for key, _keep, found in following:
                    _take_out(found, old, key)
            if new is None:
                if index is not None:
                    del rows[index]
                    at = {row.id: i for i, row in enumerate(rows)}  # later rows moved up
                continue
            if index is None:
                if member_id in seq:
                    return None  # added in another roster followed from the same one
                seq[member_id], next_seq = next_seq, next_seq + 1
                at[member_id] = len(rows)
                rows.append(new)
            else:
                rows[index] = new
            counts = _count(counts, new, 1)
            grid_counts[new.grid] += 1
            for key, keep, found in following:
                if keep is None or keep.keep(new):
                    found.insert(bisect.bisect_right(found, key(new), key=key), new)
        grids = sorted(grid for grid, n in grid_counts.items() if grid and n > 0)
        made = replace(self, rows=rows, counts=counts, grids=grids)
        made._orders = {sort: found for sort, keep, found in lists if keep is None}
        made._filtered = {(keep, sort): found for sort, keep, found in lists if keep is not None}
        made._last = None
        made._at, made._seq, made._grid_counts = at, seq, +grid_counts
        made._next_seq = next_seq
        return made


def _key(sort: str, seq: Mapping[str, int]) -> Callable[[Row], tuple[Any, ...]]:
    """What order ``sort`` sorts by, as one tuple, ending with the row's place in the members'
    order: the stable sorts that made the list leave ties in that order."""
    keys = SORTS_BY_ID[sort].keys

    def key(row: Row) -> tuple[Any, ...]:
        return (*(part(row) for part in keys), seq[row.id])

    return key


def _take_out(found: Chunked[Row], row: Row, key: Callable[[Row], tuple[Any, ...]]) -> None:
    """Remove ``row`` from the sorted list ``found`` if it is there (a filter may have left it
    out): found by a binary search, as every row's key is unique."""
    index = bisect.bisect_left(found, key(row), key=key)
    if index < len(found) and found[index] is row:
        del found[index]


def _affected(changes: Sequence[Change]) -> list[str]:
    """The members whose rows a change touches, in the order first touched."""
    ids: dict[str, None] = {}
    for change in changes:
        if change.table == "members":
            ids[change.record_id] = None
        elif change.table == "contacts":
            for side in (change.before, change.after):
                member_id = side.get("member_id") if side is not None else None
                if isinstance(member_id, str):
                    ids[member_id] = None
    return list(ids)


def _count(counts: Counts, row: Row, step: int) -> Counts:
    """``counts`` with ``row`` added (``step`` 1) or taken out (-1)."""
    if not row.current:
        return counts
    return Counts(
        members=counts.members + step,
        mobile=counts.mobile + step * (row.category in MOBILE),
        due=counts.due + step * (row.state == "warn"),
        overdue=counts.overdue + step * (row.state == "overdue"),
        to_check=counts.to_check + step * row.checking,
    )
