"""Patrol hours given: per member and per team, by month and year, and the no-shows.

Hours are credited only for places checked in as present; scheduled, absent and excused
places earn nothing. A night shift's hours count on the date it starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from store.engine.database import Snapshot
from store.enums import AssignmentStatus
from store.patrols.model import Shift
from store.patrols.reads import all_shifts, member_shifts, shifts_between


@dataclass(slots=True)
class Hours:
    """Hours credited in one year, month by month (``months[0]`` is January)."""

    year: int
    months: list[float] = field(default_factory=lambda: [0.0] * 12)
    shifts: int = 0  # shifts present at
    absent: int = 0
    excused: int = 0

    @property
    def total(self) -> float:
        return sum(self.months)

    def add(self, shift: Shift, status: AssignmentStatus) -> None:
        if shift.date is None or shift.date.year != self.year:
            return
        if status is AssignmentStatus.PRESENT:
            self.months[shift.date.month - 1] += shift.hours
            self.shifts += 1
        elif status is AssignmentStatus.ABSENT:
            self.absent += 1
        elif status is AssignmentStatus.EXCUSED:
            self.excused += 1


def member_hours(snapshot: Snapshot, member_id: str, year: int) -> Hours:
    """One member's credited hours in ``year``."""
    hours = Hours(year)
    for shift in member_shifts(snapshot, member_id):
        place = shift.assignment(member_id)
        if place is not None:
            hours.add(shift, place.status)
    return hours


def members_hours(snapshot: Snapshot, year: int) -> dict[str, Hours]:
    """Every member's credited hours in ``year`` who had a place on a shift that year, in one
    pass over the shifts (the hours screen lists them all; one member at a time would read
    every shift once per member)."""
    found: dict[str, Hours] = {}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for shift in shifts_between(snapshot, first, last):
        for place in shift.assignments:
            found.setdefault(place.member_id, Hours(year)).add(shift, place.status)
    return found


def team_hours(snapshot: Snapshot, year: int) -> dict[str, Hours]:
    """Credited hours of each team's shifts in ``year``, by team id ("" for no team)."""
    found: dict[str, Hours] = {}
    for shift in all_shifts(snapshot):
        hours = found.setdefault(shift.team_id, Hours(year))
        for place in shift.assignments:
            hours.add(shift, place.status)
    return found


@dataclass(frozen=True, slots=True)
class NoShow:
    """A member marked absent from a shift."""

    shift: Shift
    member_id: str


def no_shows(snapshot: Snapshot, first: dt.date, last: dt.date) -> list[NoShow]:
    """Places marked absent on shifts from ``first`` to ``last``, in date order."""
    return [
        NoShow(shift, place.member_id)
        for shift in shifts_between(snapshot, first, last)
        for place in shift.assignments
        if place.status is AssignmentStatus.ABSENT
    ]
