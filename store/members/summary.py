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
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Self

import msgspec

from store.engine.audit import Change
from store.engine.snapshot import Snapshot
from store.enums import MemberStatus
from store.members.search_keys import SEPARATOR, fold
from store.textsafe import clean_line

TABLE = "members"
MEMO = "members.summary"


class MemberWire(msgspec.Struct, gc=False):
    """The fields a summary is made from, as decoded from the file (the rest are skipped)."""

    id: str = ""
    version: int = 0
    name: str = ""
    gender: str | None = None
    birth_date: str | None = None
    phone: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    address: str = ""
    grid: str = ""
    category: str = ""
    management: str = ""
    status: str = ""
    search_keys: list[str] = []
    sort_key: str = ""
    created_at: str = ""
    to_check: list[str] = []


Profile = tuple[str, str, str, str, str]
"""(gender, category, management, status, grid): few distinct ones, each shared by many."""


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


_UNCLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f]|^\s|\s$")  # what clean_line would change


def _text(value: object) -> str:
    """User text cleaned for a terminal (the decoded string itself when it is clean already).

    Printable text without space at either end is clean (every control is unprintable): a
    cheaper test than the regex, which decides the rest.
    """
    if not isinstance(value, str) or not value:
        return ""
    if value.isprintable() and not value[0].isspace() and not value[-1].isspace():
        return value
    return clean_line(value) if _UNCLEAN.search(value) else value


_WORDS: dict[str, str] = {}


def _word(value: object) -> str:
    """A value from a small set (a category, a grid): one shared string per distinct value."""
    if not isinstance(value, str) or not value:
        return ""
    found = _WORDS.get(value)
    if found is None:
        found = sys.intern(_text(value))
        if len(_WORDS) < 10_000:
            _WORDS[value] = found
    return found


class _Days:
    """Dates read from text; the days members were added (few distinct: imports) shared."""

    def __init__(self) -> None:
        self.stamps: dict[str, date | None] = {}

    def day(self, text: object) -> date | None:
        """A date (each its own object: birthdays are too varied to be worth a cache)."""
        if not isinstance(text, str) or not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None

    def local_day(self, stamp: object) -> date | None:
        """A stored timestamp's day where the volunteers are (a plain date as it is)."""
        if not isinstance(stamp, str) or not stamp:
            return None
        found = self.stamps.get(stamp, ...)
        if found is ...:
            try:
                found = (
                    datetime.fromisoformat(stamp).astimezone().date()
                    if "T" in stamp
                    else date.fromisoformat(stamp[:10])
                )
            except ValueError:
                found = None
            self.stamps[stamp] = found
        return found


def _place(building: str, unit: str, room: str) -> str:
    """Where a member lives as 3栋2单元502室, of the parts given ("" for none)."""
    return (
        (f"{building}栋" if building else "")
        + (f"{unit}单元" if unit else "")
        + (f"{room}室" if room else "")
    )


def blob_parts(wire: MemberWire) -> tuple[str, int]:
    """The search blob and where its name part ends (see :func:`~store.members.search_keys.
    search_text`, which this follows for one record).

    Written for speed (it runs for every member at start): the usual parts (distinct keys, a
    phone of digits, a building of ASCII letters and digits) skip the filtering and folding
    that would leave them as they are.
    """
    keys = wire.search_keys  # written unique by search_keys(), but a hand edit may repeat one
    if "" in keys:
        keys = [key for key in keys if key]
    if not keys:
        names = fold(_text(wire.name))
    elif len(keys) == 1:
        names = keys[0]
    else:  # a set tells there is no repeat faster than dict.fromkeys removes one
        names = SEPARATOR.join(keys if len(set(keys)) == len(keys) else dict.fromkeys(keys))
    parts = [names] if names else []  # each part once, none empty
    phone = wire.phone
    if phone:
        part = phone if phone.isdigit() and phone.isascii() else fold(phone)
        if part and part not in parts:
            parts.append(part)
    building, unit, room = wire.building, wire.unit, wire.room
    place = (
        f"{building}栋{unit}单元{room}室"
        if building and unit and room
        else _place(building, unit, room)
    )
    if place:
        plain = building + unit + room  # ASCII letters and digits around ideographs: folding
        part = place.lower() if plain.isascii() and plain.isalnum() else fold(place)
        if part and part not in parts:
            parts.append(part)
    if wire.address:
        part = fold(wire.address)
        if part and part not in parts:
            parts.append(part)
    return SEPARATOR.join(parts), len(names)


_PROFILES: dict[Profile, Profile] = {}
_RAW_PROFILES: dict[tuple[object, ...], Profile] = {}  # the fields as decoded -> the shared one


def _profile(wire: MemberWire) -> Profile:
    """One shared tuple per distinct profile (bounded caches: odd data cannot grow them much),
    looked up by the decoded fields first: one lookup a member instead of five words."""
    key = (wire.gender, wire.category, wire.management, wire.status, wire.grid)
    raw: tuple[object, ...] | None = key
    try:
        shared = _RAW_PROFILES.get(key)
    except TypeError:  # a value that is not a string (a wire not decoded by us)
        shared, raw = None, None
    if shared is not None:
        return shared
    found = (
        _word(wire.gender),
        _word(wire.category),
        _word(wire.management),
        _word(wire.status) or MemberStatus.ACTIVE.value,
        _word(wire.grid),
    )
    shared = _PROFILES.get(found)
    if shared is None:
        shared = found
        if len(_PROFILES) < 10_000:
            _PROFILES[found] = found
    if raw is not None and len(_RAW_PROFILES) < 10_000:
        _RAW_PROFILES[raw] = shared
    return shared


def summarize(wire: MemberWire, days: _Days | None = None) -> MemberSummary:
    """One member's summary from its decoded fields (about 3 µs: it runs for every member at
    start, so the usual shapes of data take short cuts that give the same values)."""
    if days is None:
        days = _Days()
    name = _text(wire.name)
    blob, keys_end = blob_parts(wire)
    sort_key = wire.sort_key if isinstance(wire.sort_key, str) else ""
    if not sort_key:  # written before sort keys: the first full spelling, as before
        keys = wire.search_keys
        sort_key = keys[1] if len(keys) > 1 and isinstance(keys[1], str) else fold(name)
    version = wire.version
    phone: str | None = _text(wire.phone)
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
        _profile(wire),
        days.day(wire.birth_date),
        phone,
        added,
        blob,
        keys_end,
        sort_key,
        bool(wire.to_check),
    )


def wire_from_doc(doc: Mapping[str, Any]) -> MemberWire:
    """A document's fields, read tolerantly: a value of the wrong type is left out."""
    fields: dict[str, Any] = {}
    for name, default in _DEFAULTS.items():
        value = doc.get(name)
        if name in ("search_keys", "to_check"):
            if isinstance(value, list):
                fields[name] = [key for key in value if isinstance(key, str)]
        elif name == "version":
            if isinstance(value, int) and not isinstance(value, bool):
                fields[name] = value
        elif isinstance(value, str):
            fields[name] = value
        elif value is None and default is None:
            fields[name] = None
    return MemberWire(**fields)


_DEFAULTS: dict[str, Any] = {
    name: getattr(MemberWire(), name) for name in MemberWire.__struct_fields__
}


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
        days = _Days()
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


def build(snapshot: Snapshot) -> Members:
    """Read every member of ``snapshot`` into summaries (one pass, bounded memory)."""
    days = _Days()
    found = [summarize(wire, days) for wire in snapshot.records(TABLE, MemberWire, wire_from_doc)]
    if len({member.id for member in found}) != len(found):  # a hand-edited file: last one wins
        found = list({member.id: member for member in found}.values())
    return Members(found)


def members_of(snapshot: Snapshot) -> Members:
    """The members of ``snapshot`` as summaries, built once per version and shared."""
    return snapshot.memo(MEMO, build)
