"""The contact log folded per member: the last contact and how many, not every entry.

The roster and the dashboard need, for each member, the day of the last contact (the due and
overdue rule counts from it) and nothing else of the log; at 20,000 members the log's 36,000
entries parsed as dicts took 36 MiB. :func:`contacts_of` reads only each entry's ``member_id``
and ``date`` and keeps one :class:`ContactSummary` per contacted member. A member's whole log is
read from the file when their page is opened (:func:`store.contacts.ops.for_member`).

:meth:`Contacts.follow` takes a transaction's changes like the members model does; removing
the entry that was a member's last contact leaves the one before it unknown, so that change
makes the model be read again instead (a rare correction of a mistake).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Self

import msgspec

from store.engine.audit import Change
from store.engine.snapshot import Snapshot
from store.members.summary import MEMO as MEMBERS
from store.members.summary import Members, members_of

TABLE = "contacts"
MEMO = "contacts.summary"


class ContactWire(msgspec.Struct, gc=False):
    """The two fields of a log entry the summary needs (the rest are skipped)."""

    member_id: str = ""
    date: str = ""


class ContactSummary(msgspec.Struct, frozen=True, gc=False):
    """One member's contact log in short: the latest logged day and the number of entries."""

    last: date | None
    count: int


def _wire(doc: Mapping[str, Any]) -> ContactWire:
    member_id, day = doc.get("member_id"), doc.get("date")
    return ContactWire(
        member_id if isinstance(member_id, str) else "", day if isinstance(day, str) else ""
    )


def _day(text: str, seen: dict[str, date | None]) -> date | None:
    found = seen.get(text, ...)
    if found is ...:
        try:
            found = date.fromisoformat(text[:10]) if text else None
        except ValueError:
            found = None
        seen[text] = found
    return found


class Contacts:
    """Each contacted member's :class:`ContactSummary`, by member id.

    A followed fold is the fold it came from (``base``, shared, never changed) and the members
    whose summary changed since (``changes``: id -> summary, or None for none now): a contact
    saved elsewhere costs its member, not a copy of every contacted member's entry. After
    :data:`~store.members.summary.COMPACT` changes it is made whole again, as the members'
    model is.
    """

    def __init__(
        self,
        by_member: dict[str, ContactSummary],
        members: Members,
        changes: dict[str, ContactSummary | None] | None = None,
    ) -> None:
        self._base = by_member
        self._changes = changes or {}
        self._members = members

    @property
    def by_member(self) -> dict[str, ContactSummary]:
        """Every contacted member's summary (made whole on first use after a change)."""
        if self._changes:
            whole = {**self._base, **self._changes}
            self._base = {k: v for k, v in whole.items() if v is not None}
            self._changes = {}
        return self._base

    def get(self, member_id: str) -> ContactSummary | None:
        """The member's summary, or None when nobody logged a contact with them."""
        changes = self._changes  # read once: another thread may make the fold whole meanwhile
        if member_id in changes:
            return changes[member_id]
        return self._base.get(member_id)

    def last(self, member_id: str) -> date | None:
        """The member's last contact day, or None (never contacted)."""
        found = self.get(member_id)
        return found.last if found is not None else None

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The summaries after ``changes`` (see store/engine/snapshot.py ``Follower``); None
        when a removed entry was a member's last contact (the one before it is not kept)."""
        from store.members.summary import COMPACT

        members = followed.get(MEMBERS, self._members)  # the members as they are now
        mine = [change for change in changes if change.table == TABLE]
        if not mine:
            if members is self._members:
                return self
            return type(self)(self._base, members, self._changes)
        now = dict(self._changes)
        seen: dict[str, date | None] = {}
        # A member deleted takes their log along (store/members/belongings.py): their entries
        # go with them, whichever was the last.
        gone = {c.record_id for c in changes if c.table == "members" and c.op == "delete"}
        for change in mine:
            if change.before is not None:  # the entry as it was goes out
                old = _wire(change.before)
                if old.member_id in gone:
                    now[old.member_id] = None
                    continue
                summary = (
                    now[old.member_id] if old.member_id in now else self._base.get(old.member_id)
                )
                day = _day(old.date, seen)
                if summary is None:
                    return None
                if summary.count <= 1:
                    now[old.member_id] = None
                elif day is not None and summary.last is not None and day >= summary.last:
                    return None  # the last contact went: the one before it is not known here
                else:
                    now[old.member_id] = ContactSummary(summary.last, summary.count - 1)
            if change.after is not None:  # the entry as it is now comes in
                new = _wire(change.after)
                key = members.canonical(new.member_id)
                found = now[key] if key in now else self._base.get(key)
                now[key] = _added(found, _day(new.date, seen))
        made = type(self)(self._base, members, now)
        if len(now) > COMPACT:
            made.by_member  # noqa: B018 -- made whole again: one copy every COMPACT changes
        return made


def _added(summary: ContactSummary | None, day: date | None) -> ContactSummary:
    """``summary`` with one more entry, on ``day``."""
    if summary is None:
        return ContactSummary(day, 1)
    last = summary.last
    if day is not None and (last is None or day > last):
        last = day
    return ContactSummary(last, summary.count + 1)


def _add(by_member: dict[str, ContactSummary], member_id: str, day: date | None) -> None:
    by_member[member_id] = _added(by_member.get(member_id), day)


def build(snapshot: Snapshot) -> Contacts:
    """Fold the whole contact log of ``snapshot`` per member (one pass, bounded memory)."""
    members = members_of(snapshot)
    by_member: dict[str, ContactSummary] = {}
    seen: dict[str, date | None] = {}
    for wire in snapshot.records(TABLE, ContactWire, _wire):
        _add(by_member, members.canonical(wire.member_id), _day(wire.date, seen))
    members.drop_index()  # needed for this pass only: the keys are the members' own strings
    return Contacts(by_member, members)


def contacts_of(snapshot: Snapshot) -> Contacts:
    """The contact log of ``snapshot`` folded per member, built once per version and shared."""
    return snapshot.memo(MEMO, build)
