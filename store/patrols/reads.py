"""Every read of the patrol schedule, as functions over a Snapshot returning typed models.

Screens, the CLI and the exports read patrol data only through these, so how it is stored or
indexed can change underneath without touching them.

The people in what they return are in the roster's order (store/members/summary.py
``roster_order_of``: the pinyin of the surname first, then the name, then the id), not the
order they were stored in: a shift's assignments (the shift screen, check-in, the week grid's
cells, the sign-in sheet, the CSV and calendar exports, ``shequ patrols list``) and a team's
``member_ids``. A leader looking for 张三 among twelve then finds them where the roster has
them. The stored order means nothing (who was put on first), and writes never go through these
reads: they rebuild the shift from the transaction (store/patrols/assign.py ``shift_from_tx``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from store.engine.database import Snapshot
from store.named import name_order
from store.patrols.model import Shift, ShiftTemplate, Team, Zone

SHIFTS = "shifts"
TEAMS = "teams"
ZONES = "zones"
TEMPLATES = "shift_templates"

Named = TypeVar("Named", bound=Team | Zone | ShiftTemplate)
P = TypeVar("P")


def _by_name(
    snapshot: Snapshot,
    table: str,
    model: Callable[[Mapping[str, Any]], Named],
    archived: bool,
    then: Callable[[Named], tuple[Any, ...]] = lambda _item: (),
) -> list[Named]:
    """The records of ``table`` in the pinyin order of their name (store/named.py
    ``name_order``: 李 Li before 王 Wang before 张 Zhang, Apple among them as "apple"), ``then``
    before the id for equal names; archived ones only if asked. Every list and picker of teams,
    zones and templates reads them here."""
    found: list[tuple[tuple[Any, ...], Named]] = []
    for doc in snapshot.all(table):
        record = model(doc)
        if archived or not record.archived:
            order, name, record_id = name_order(doc)
            found.append(((order, name, *then(record), record_id), record))
    found.sort(key=lambda pair: pair[0])
    return [item for _key, item in found]


def orders(snapshot: Snapshot, table: str) -> dict[str, tuple[str, str, str]]:
    """Where each record of ``table`` (teams, zones, templates; archived ones too) goes in a
    list of them, by id: for lists built from ids and names (the patrol hours, the week grid)."""
    return {str(doc.get("id")): name_order(doc) for doc in snapshot.all(table)}


def teams(snapshot: Snapshot, *, include_archived: bool = False) -> list[Team]:
    """The teams, in the pinyin order of their name, each one's members in the roster's
    order; archived ones only if asked."""
    return _members_ordered(snapshot, _by_name(snapshot, TEAMS, Team.from_doc, include_archived))


def zones(snapshot: Snapshot, *, include_archived: bool = False) -> list[Zone]:
    """The zones and routes, in the pinyin order of their name; archived ones only if asked."""
    return _by_name(snapshot, ZONES, Zone.from_doc, include_archived)


def team(snapshot: Snapshot, team_id: str) -> Team | None:
    """The team, its members in the roster's order (the leader among them, not first: the
    screens mark them)."""
    doc = snapshot.get(TEAMS, team_id) if team_id else None
    return _members_ordered(snapshot, [Team.from_doc(doc)])[0] if doc is not None else None


def zone(snapshot: Snapshot, zone_id: str) -> Zone | None:
    doc = snapshot.get(ZONES, zone_id) if zone_id else None
    return Zone.from_doc(doc) if doc is not None else None


def place_names(snapshot: Snapshot) -> dict[str, str]:
    """Zone and team names by id (archived ones too: old shifts still name them)."""
    return {
        str(doc.get("id")): str(doc.get("name") or "")
        for table in (ZONES, TEAMS)
        for doc in snapshot.all(table)
    }


def member_names(snapshot: Snapshot, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Member names by id (all members, or only ``ids``); names are not private."""
    from store.members.summary import members_of

    members = members_of(snapshot)  # the compact read model: no member parsed per call
    if ids is None:
        return {member.id: member.name for member in members}
    names = {}
    for member_id in ids:
        member = members.get(member_id)
        if member is not None:
            names[member_id] = member.name
    return names


def member_doc(snapshot: Snapshot, member_id: str) -> Mapping[str, Any] | None:
    """A member's stored record (the rules need status, category, age and exemption)."""
    return snapshot.get("members", member_id)


def shift(snapshot: Snapshot, shift_id: str) -> Shift | None:
    """The shift, its people in the roster's order."""
    doc = snapshot.get(SHIFTS, shift_id)
    return _ordered(snapshot, [Shift.from_doc(doc)])[0] if doc is not None else None


def all_shifts(snapshot: Snapshot, *, include_cancelled: bool = False) -> list[Shift]:
    """Every shift in date and time order."""
    found = [Shift.from_doc(doc) for doc in snapshot.all(SHIFTS)]
    return _ordered(snapshot, [s for s in found if include_cancelled or not s.cancelled])


def shifts_between(
    snapshot: Snapshot, first: dt.date, last: dt.date, *, include_cancelled: bool = False
) -> list[Shift]:
    """Shifts dated ``first`` to ``last`` (both included), in date and time order.

    The date is compared as stored text before a model is built: a year of shifts is read for
    every week the grid shows, and most of them are outside it.
    """
    low, high = first.isoformat(), last.isoformat()
    found = []
    for doc in snapshot.all(SHIFTS):
        day = doc.get("date")
        if isinstance(day, str) and low <= day <= high:
            item = Shift.from_doc(doc)
            if include_cancelled or not item.cancelled:
                found.append(item)
    return _ordered(snapshot, found)


def member_shifts(snapshot: Snapshot, member_id: str) -> list[Shift]:
    """The shifts a member is on (not cancelled), in date and time order."""
    found = []
    for doc in snapshot.all(SHIFTS):
        places = doc.get("assignments")
        if isinstance(places, list) and any(
            isinstance(a, Mapping) and a.get("member_id") == member_id for a in places
        ):
            item = Shift.from_doc(doc)
            if not item.cancelled:
                found.append(item)
    return _ordered(snapshot, found)


def given_away(snapshot: Snapshot, member_id: str) -> list[Shift]:
    """Shifts this member gave to someone else by a swap (they see them in "my shifts")."""
    found = []
    for doc in snapshot.all(SHIFTS):
        places = doc.get("assignments")
        if isinstance(places, list) and any(
            isinstance(a, Mapping) and a.get("swapped_from") == member_id for a in places
        ):
            found.append(Shift.from_doc(doc))
    return _ordered(snapshot, [s for s in found if not s.cancelled])


def offered_shifts(snapshot: Snapshot, *, since: dt.date) -> list[Shift]:
    """Shifts from ``since`` on with a place someone offered to give away."""
    found = []
    for doc in snapshot.all(SHIFTS):
        places = doc.get("assignments")
        day = doc.get("date")
        if (
            isinstance(day, str)
            and day >= since.isoformat()
            and isinstance(places, list)
            and any(isinstance(a, Mapping) and a.get("offered") is True for a in places)
        ):
            found.append(Shift.from_doc(doc))
    return _ordered(snapshot, [s for s in found if not s.cancelled])


def templates(snapshot: Snapshot, *, include_archived: bool = False) -> list[ShiftTemplate]:
    """The weekly templates, in the pinyin order of their name (teams' and zones' order); those
    of one name (or none: a name is optional) by first weekday and start time."""
    return _by_name(
        snapshot,
        TEMPLATES,
        ShiftTemplate.from_doc,
        include_archived,
        lambda t: (t.weekdays[0], t.start or dt.time(0)),
    )


def template(snapshot: Snapshot, template_id: str) -> ShiftTemplate | None:
    doc = snapshot.get(TEMPLATES, template_id)
    return ShiftTemplate.from_doc(doc) if doc is not None else None


class _RosterOrder:
    """Sorts lists of people into the roster's order (store/members/summary.py
    ``roster_order_of``), fetching the members' shared read model (built once per version of
    the file) only when a list of two or more needs it."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._members: Any = None

    def sort(self, people: list[P], member_id: Callable[[P], str]) -> None:
        """Sort ``people`` in place (each list here was just built from its document, and
        nothing writes one back: writes read the record again in their transaction)."""
        if len(people) < 2:
            return
        from store.members.summary import members_of, roster_order_of

        if self._members is None:
            self._members = members_of(self._snapshot)
        members = self._members
        people.sort(key=lambda person: roster_order_of(members, member_id(person)))


def _ordered(snapshot: Snapshot, shifts: Iterable[Shift]) -> list[Shift]:
    """``shifts`` by date, time, zone and id, each one's people in the roster's order."""
    found = sorted(
        shifts,
        key=lambda s: (s.date or dt.date.min, s.start or dt.time(0), s.zone_id, s.id),
    )
    order = _RosterOrder(snapshot)
    for item in found:
        order.sort(item.assignments, lambda a: a.member_id)
    return found


def _members_ordered(snapshot: Snapshot, found: list[Team]) -> list[Team]:
    """``found`` with each team's ``member_ids`` in the roster's order. The stored order is
    only the order people were added in; a team's screen saves the list back as shown, which
    is harmless."""
    order = _RosterOrder(snapshot)
    for item in found:
        order.sort(item.member_ids, str)
    return found
