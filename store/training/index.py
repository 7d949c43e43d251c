"""The study-hours index: every year's credited study hours and theme-day service hours per
member, folded once per version of the file and followed through changes.

The behind-pace list, a member's meter, the yearly report and the member detail's service
total all need "how many hours did each member get in year Y". Summing every mark of every
session (five years of monthly sessions for 5,000 members: about 300,000 marks) takes well over
a hundred milliseconds, so it is done once per version of the file (:func:`study_index`, kept
with the version like the members' read model, store/members/summary.py) and then:

* a save in this session hands its changes to :meth:`StudyIndex.follow`, which takes out what
  each changed session credited before and puts in what it credits now: a millisecond, however
  many sessions there are (store/engine/database.py ``_adopt``);
* a change from another session is followed the same way once that session's change-log
  entries reach this one (issue 23); until then a new version builds the index afresh
  (:func:`build`), from the file in pieces, skipping every field but the few it reads.

The rules are those of store/training/hours.py: a member marked present is credited on the
session's day, a make-up on its own day (else the session's); absent and excused get nothing;
only those present earn a theme day's service hours. Totals count in the calendar year of the
day they are credited on, and a member credited nothing has no entry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Self

import msgspec

from store.engine.audit import Change
from store.engine.snapshot import Snapshot

TABLE = "trainings"
MEMO = "training.index"
_ZERO = 1e-9  # below this a total that went down to nothing is nothing (float sums)

Totals = dict[int, dict[str, float]]
"""Hours by year, then by member id."""


class MarkWire(msgspec.Struct, gc=False):
    """One attendance row as the index reads it (the other fields are skipped)."""

    member_id: str = ""
    status: str = "present"
    hours: float = 0.0
    date: str | None = None


class SessionWire(msgspec.Struct, gc=False):
    """One session as the index reads it: its day, its service hours and its marks."""

    date: str | None = None
    service_hours: float = 0.0
    attendance: list[MarkWire] = []


def _year(day: object) -> int | None:
    if isinstance(day, str) and len(day) >= 4 and day[:4].isdigit():
        return int(day[:4])
    return None


def _number(value: object) -> float:
    """A stored number of hours, or 0 for anything else (a hand-edited file)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    number = float(value)
    return number if math.isfinite(number) and number > 0 else 0.0


def wire(doc: Mapping[str, Any]) -> SessionWire:
    """A stored session read tolerantly (wrong types count as nothing, never refused)."""
    rows = doc.get("attendance")
    marks = []
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, Mapping) or not isinstance(row.get("member_id"), str):
            continue
        status, day = row.get("status", "present"), row.get("date")
        marks.append(
            MarkWire(
                member_id=row["member_id"],
                status=status if isinstance(status, str) else "",
                hours=_number(row.get("hours")),
                date=day if isinstance(day, str) else None,
            )
        )
    day = doc.get("date")
    return SessionWire(
        date=day if isinstance(day, str) else None,
        service_hours=_number(doc.get("service_hours")),
        attendance=marks,
    )


def _fold(hours: Totals, service: Totals, session: SessionWire, sign: float = 1.0) -> None:
    """Add (``sign`` 1) or take out (-1) what ``session`` credits, in place.

    Runs for every mark of every session when the index is built: the rule is inlined.
    """
    session_year = _year(session.date)
    same_year = hours.setdefault(session_year, {}) if session_year is not None else None
    given = session.service_hours if session.service_hours > 0 else 0.0
    served = service.setdefault(session_year, {}) if given and session_year is not None else None
    for mark in session.attendance:
        status = mark.status
        if status == "present":
            totals = same_year
            if served is not None and mark.member_id:
                served[mark.member_id] = served.get(mark.member_id, 0.0) + sign * given
        elif status == "make_up":
            year = _year(mark.date) or session_year
            totals = hours.setdefault(year, {}) if year is not None else None
        else:
            continue
        credited = mark.hours
        if totals is None or not 0 < credited < math.inf or not mark.member_id:
            continue
        totals[mark.member_id] = totals.get(mark.member_id, 0.0) + sign * credited


def _prune(totals: Totals, years: set[int] | None = None) -> None:
    """Drop the entries a take-out left at (about) nothing, and the years left empty (of
    ``years`` only, when given)."""
    for year in list(totals) if years is None else [y for y in years if y in totals]:
        by_member = totals[year]
        for member_id in [m for m, value in by_member.items() if value < _ZERO]:
            del by_member[member_id]
        if not by_member:
            del totals[year]


class StudyIndex:
    """Study and service hours per year and member (see the module). Never changed once
    made: :meth:`follow` returns a new one, so screens may read this one in their threads."""

    def __init__(self, hours: Totals, service: Totals) -> None:
        self.hours = hours
        self.service = service

    def year(self, year: int) -> Mapping[str, float]:
        """Study hours credited in ``year`` by member id (read-only; members with none absent)."""
        return self.hours.get(year, {})

    def member(self, member_id: str, year: int) -> float:
        """One member's study hours in ``year``."""
        return self.hours.get(year, {}).get(member_id, 0.0)

    def served(self, member_id: str, year: int) -> float:
        """One member's theme-day service hours in ``year``."""
        return self.service.get(year, {}).get(member_id, 0.0)

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The index after ``changes`` (see store/engine/snapshot.py ``Follower``): each
        changed session's credits as it was are taken out and as it is put in. None (build
        again) for a change that is not one record's insert, update or delete."""
        mine = [change for change in changes if change.table == TABLE]
        if not mine:
            return self
        if any(change.op not in ("insert", "update", "delete") for change in mine):
            return None
        sessions = [
            (wire(doc), sign)
            for change in mine
            for doc, sign in ((change.before, -1.0), (change.after, 1.0))
            if doc is not None
        ]
        touched = {year for session, _sign in sessions for year in _years(session)}
        # Only the years the changes touch are copied; the others are shared with self.
        hours = _copied(self.hours, touched)
        service = _copied(self.service, touched)
        for session, sign in sessions:
            _fold(hours, service, session, sign)
        _prune(hours, touched)
        _prune(service, touched)
        return type(self)(hours, service)


def _years(session: SessionWire) -> set[int]:
    """Every year ``session`` may credit hours in (its own, and its make-ups')."""
    found = {_year(mark.date) for mark in session.attendance if mark.status == "make_up"}
    found.add(_year(session.date))
    return {year for year in found if year is not None}


def _copied(totals: Totals, years: set[int]) -> Totals:
    """``totals`` with its own copy of the dictionaries of ``years``, the rest shared."""
    copy = dict(totals)
    for year in years & copy.keys():
        copy[year] = dict(copy[year])
    return copy


def build(snapshot: Snapshot) -> StudyIndex:
    """Fold every session of ``snapshot`` (one pass; the file read in pieces, each session
    decoded into its day, service hours and marks only).

    What is kept is held once: each member id is the members' read model's own string and
    each distinct total one shared float (5,000 members, five years: 3.0 -> 0.5 MiB).
    """
    from store.members.summary import members_of

    hours: Totals = {}
    service: Totals = {}
    for session in snapshot.records(TABLE, SessionWire, wire):
        _fold(hours, service, session)
    _prune(hours)
    _prune(service)
    members = members_of(snapshot)
    shared: dict[float, float] = {}
    for totals in (hours, service):
        for year, by_member in totals.items():
            totals[year] = {
                members.canonical(member_id): shared.setdefault(value, value)
                for member_id, value in by_member.items()
            }
    members.drop_index()  # needed for this pass only
    return StudyIndex(hours, service)


def study_index(snapshot: Snapshot) -> StudyIndex:
    """The index of ``snapshot``'s version, built once and shared by every screen."""
    return snapshot.memo(MEMO, build)
