"""The members as long-lived sessions hold them: one small record each, not one dict each.

At 20,000 members the documents parsed into dicts took 57 MiB; a session needs far less to
list, count, sort and search them. :class:`MemberSummary` keeps what the roster, the dashboard
and the search use (docs/READ_MODEL.md has the figures): the display fields, the search blob and
the sort key, as a frozen msgspec struct without a garbage-collector header, decoded straight
from the file (store/engine/snapshot.py: fields not named here are skipped, never built). The
whole record of the one member being shown is read from the file by id when a screen opens it.

:func:`members_of` builds the model once per version of the file and every screen shares it;
:meth:`Members.follow` takes a transaction's changes (insert, update, delete, each with its
whole after-record) and gives the model after them without reading the file again: this is
what our own saves use now, and what following other sessions' changes (issue 23) builds on.
How one member's line becomes its summary's fields is store/members/wire.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Self

import msgspec

from store.engine.audit import Change
from store.engine.numbering import numbered
from store.engine.snapshot import Snapshot
from store.enums import MemberStatus
from store.members.search_keys import SEPARATOR, unspelled_order
from store.members.wire import (
    Days,
    MemberWire,
    Profile,
    blob_parts,
    clean_text,
    member_keys,
    shared_profile,
    wire_from_doc,
)

TABLE = "members"
MEMO = "members.summary"


class MemberSummary(msgspec.Struct, frozen=True, gc=False):
    """One member as lists and searches need them (user text already cleaned of controls).

    ``blob`` is everything a roster search looks at (store/members/search_keys.py); its first
    ``keys_end`` characters are the name and its pinyin, which anyone may search: the phone and
    address after them are searched only by those allowed to see them (store/privacy.py).
    Nothing is kept twice: a phone of digits only is the blob's part after the name
    (``phone_text`` is None then), and the few distinct combinations of gender, category,
    management, status and grid are shared ``profile`` tuples.
    """

    id: str
    version: int
    name: str
    profile: Profile
    birth: date | None
    phone_text: str | None  # None: the phone is in the blob (see :attr:`phone`)
    added: date | None  # the local day the member was put on the roster
    blob: str
    keys_end: int
    sort_key: str
    checking: bool  # an import left a field empty: the member needs checking (``to_check``)

    @property
    def gender(self) -> str:
        """Stored value ("male"), "" when unknown."""
        return self.profile[0]

    @property
    def category(self) -> str:
        return self.profile[1]

    @property
    def management(self) -> str:
        return self.profile[2]

    @property
    def status(self) -> str:
        return self.profile[3]

    @property
    def grid(self) -> str:
        return self.profile[4]

    @property
    def phone(self) -> str:
        """The phone as stored (a new string each time when it is taken from the blob)."""
        if self.phone_text is not None:
            return self.phone_text
        start = self.keys_end + 1 if self.keys_end else 0
        end = self.blob.find(SEPARATOR, start)
        return self.blob[start:] if end < 0 else self.blob[start:end]

    @property
    def current(self) -> bool:
        """Active (archived, transferred-out and deceased members are hidden by default)."""
        return self.status == MemberStatus.ACTIVE.value

    @property
    def name_blob(self) -> str:
        """The part of the blob anyone may search: the name and its pinyin."""
        return self.blob[: self.keys_end]

    @property
    def name_order(self) -> tuple[str, str]:
        """The roster's order of names: the pinyin sort key (surname's reading first,
        store/members/search_keys.py), then the name. Every list naming members sorts or
        breaks its ties by it, never by the name's code points (张 U+5F20 would come before
        曾 U+66FE and 李 U+674E, where volunteers look for 李 曾 张). Enough for a stable sort
        over the file's order and for a ranking (store/engine/ranking.py), whose ties keep
        that order: their key is kept per ranked member, so it holds nothing more."""
        return (self.sort_key, self.name)

    @property
    def roster_order(self) -> tuple[str, str, str]:
        """:attr:`name_order`, then the id (one name twice), as
        :func:`store.members.ops.roster_rows` orders documents: for lists not in the file's
        order (members gathered from shifts, certificates, a set)."""
        return (self.sort_key, self.name, self.id)


def summarize(wire: MemberWire, days: Days | None = None) -> MemberSummary:
    """One member's summary from its decoded fields (about 3 µs: it runs for every member at
    start, so the usual shapes of data take short cuts that give the same values)."""
    if days is None:
        days = Days()
    name = clean_text(wire.name)
    keys, sort_key = member_keys(wire, name)  # computed for a member stored without them
    blob, keys_end = blob_parts(wire, keys, name)
    if not sort_key:  # nothing to spell: the first full spelling, or the folded name
        sort_key = unspelled_order(wire.search_keys, name)
    version = wire.version
    phone: str | None = clean_text(wire.phone)
    if phone and phone.isdigit() and phone.isascii():  # in the blob right after the name?
        start = keys_end + 1 if keys_end else 0
        end = start + len(phone)
        if blob.startswith(phone, start) and (end == len(blob) or blob[end] == SEPARATOR):
            phone = None  # the blob holds it already
    stamp = wire.created_at
    added = days.stamps.get(stamp) if isinstance(stamp, str) else None
    if added is None:  # not seen yet (or not a date)
        added = days.local_day(stamp)
    return MemberSummary(
        wire.id,
        version if isinstance(version, int) and not isinstance(version, bool) else 0,
        name,
        shared_profile(wire),
        days.day(wire.birth_date),
        phone,
        added,
        blob,
        keys_end,
        sort_key,
        bool(wire.to_check),
    )


COMPACT = 512  # changes a followed model keeps beside its base before it is made whole again


class Members:
    """Every member of one version of the file as summaries, in insertion order.

    Built from the file: a list, with an id index built only when something looks a member up
    by id (a page's title, the change log's names, following a change): the roster and the
    dashboard go through them all and never need it (a dict of 20,000 costs about 0.6 MiB
    more). Made by following changes: the index of the model it came from (shared, never
    changed) and the members changed since (``changes``, None for one deleted), so a change
    costs its members, not a copy of 20,000 (every copy touches every summary: 0.7 ms at
    20,000, growing with the file); after :data:`COMPACT` changes it is made whole again.
    """

    def __init__(
        self,
        members: list[MemberSummary] | None,
        index: dict[str, MemberSummary] | None = None,
        changes: dict[str, MemberSummary | None] | None = None,
    ) -> None:
        self._list = members
        self._index = index
        self._changes = changes or {}
        self._len: int | None = None

    @property
    def members(self) -> list[MemberSummary]:
        """The members in order, as a list."""
        return self._list if self._list is not None else list(self)

    def __len__(self) -> int:
        if self._list is not None:
            return len(self._list)
        if self._len is None:
            base = self._base()
            self._len = len(base) + sum(
                (found is not None) - (member_id in base)
                for member_id, found in self._changes.items()
            )
        return self._len

    def __iter__(self) -> Iterator[MemberSummary]:
        if self._list is not None:
            return iter(self._list)
        if not self._changes:
            return iter(self._base().values())
        return self._merged()

    def _merged(self) -> Iterator[MemberSummary]:
        base, changes = self._base(), self._changes
        for member_id, member in base.items():
            if member_id in changes:
                found = changes[member_id]
                if found is not None:
                    yield found  # an update keeps its place
            else:
                yield member
        for member_id, found in changes.items():
            if found is not None and member_id not in base:
                yield found  # an insert goes last

    def _base(self) -> dict[str, MemberSummary]:
        index = self._index
        if index is None:
            index = self._index = {member.id: member for member in self._list or ()}
        return index

    @property
    def by_id(self) -> dict[str, MemberSummary]:
        """Every member by id (built on first use)."""
        if not self._changes:
            return self._base()
        whole = {member.id: member for member in self}
        self._index, self._changes, self._list, self._len = whole, {}, None, None
        return whole

    def get(self, member_id: str) -> MemberSummary | None:
        """The member with this id, or None."""
        changes = self._changes  # read once: another thread may make the model whole meanwhile
        if member_id in changes:
            return changes[member_id]
        return self._base().get(member_id)

    def drop_index(self) -> None:
        """Let the id index go (after a one-off pass that needed it); rebuilt when asked."""
        if self._list is not None:
            self._index = None

    def canonical(self, member_id: str) -> str:
        """The model's own string for ``member_id`` (so other models share it), or it as is."""
        found = self.get(member_id)
        return found.id if found is not None else member_id

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The members after ``changes`` (see store/engine/snapshot.py ``Follower``)."""
        mine = [change for change in changes if change.table == TABLE]
        if not mine:
            return self
        base = self._base()
        now = dict(self._changes)
        days = Days()
        for change in mine:
            if change.op == "delete" or change.after is None:
                if change.record_id in base or now.get(change.record_id) is not None:
                    now[change.record_id] = None
                continue
            summary = summarize(wire_from_doc(change.after), days)
            if not summary.id:
                return None
            now[summary.id] = summary
        made = type(self)(None, base, now)
        if len(now) > COMPACT:
            made.by_id  # noqa: B018 -- made whole again: one copy every COMPACT changes
        return made


GONE = "\U0010ffff"
"""Sorts after every sort key: a member no longer on the roster comes last."""


def roster_order_of(members: Members, member_id: str) -> tuple[str, str, str]:
    """:attr:`MemberSummary.roster_order` of ``member_id``; one no longer on the roster (a
    deleted member's old shift or certificate) after every other, by id."""
    member = members.get(member_id)
    return member.roster_order if member is not None else (GONE, "", member_id)


def build(snapshot: Snapshot) -> Members:
    """Read every member of ``snapshot`` into summaries (one pass, bounded memory)."""
    days = Days()
    found = [summarize(wire, days) for wire in snapshot.records(TABLE, MemberWire, wire_from_doc)]
    if len({member.id for member in found}) != len(found):  # a hand-edited file: last one wins
        found = list({member.id: member for member in found}.values())
    return Members(found)


def members_of(snapshot: Snapshot) -> Members:
    """The members of ``snapshot`` as summaries, built once per version and shared."""
    return snapshot.memo(MEMO, build)


PLACES = "members.places"


def member_places(snapshot: Snapshot) -> dict[str, int]:
    """Each member's place in the members' order, numbered once per version for the rankings
    over members to share (store/engine/ranking.py ``Ranking.build``)."""
    return snapshot.memo(PLACES, lambda snap: {m.id: n for n, m in numbered(members_of(snap))})
