"""The week grid as data, built in a worker from a snapshot: rows of time slots, days across.

:func:`build_week` reads the week's shifts (store/patrols/reads.py), finds clashes
(store/patrols/rules.py) and turns each shift into a small :class:`Cell` with its words and
marks, so the grid widget only paints strings. A row is a time slot (start, end, zone, team);
two shifts of one slot on one day take two rows.

Marks never rely on colour: ``!`` below the minimum, ``=`` full, ``x`` someone on it has a
clash, ``~`` a place is offered for a swap (or waits for approval). The line under the grid
says the same in words for the cell under the cursor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from store.engine.database import Snapshot
from store.enums import weekday_label
from store.i18n import N_, _, join_list, ngettext
from store.patrols import reads
from store.patrols.model import Assignment, Shift
from store.patrols.rules import clashing
from store.patrols.staffing import staffing
from store.patrols.weeks import week_days, week_name
from store.textsafe import clean_line

UNDER, FULL, CLASH, OFFER = "!", "=", "x", "~"
SHIFT_TABLES = frozenset({reads.SHIFTS, reads.ZONES, reads.TEAMS, "members"})
"""What a view of shifts is made from (:attr:`SectionScreen.VIEW_TABLES`): the shifts, the
places' names (zones and teams) and the people's names (the members' read model)."""

MARK_WORDS = {
    UNDER: N_("below minimum"),
    FULL: N_("full"),
    CLASH: N_("clash"),
    OFFER: N_("swap offered"),
}


def legend() -> str:
    """``! below minimum  = full  x clash  ~ swap offered``."""
    return "  ".join(f"{mark} {_(word)}" for mark, word in MARK_WORDS.items())


@dataclass(frozen=True, slots=True)
class Person:
    """One place on the shift as the list shows it."""

    member_id: str
    name: str
    place: Assignment
    line: str


@dataclass(frozen=True, slots=True)
class Slot:
    """What a new shift opened from the grid starts with: the times, zone and team of the row
    (or of the shift) it was opened on, and from a shift its people needed too."""

    times: str  # 19:00-21:00
    zone_id: str = ""
    team_id: str = ""
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One shift as the grid shows it."""

    shift_id: str
    version: int
    day: dt.date
    times: str  # 19:00-21:00
    place: str  # zone name
    team: str
    staffed: int
    low: int
    high: int
    marks: str  # some of ! = x ~
    people: tuple[str, ...]
    note: str = ""
    zone_id: str = ""
    team_id: str = ""

    def slot(self) -> Slot:
        """A new shift like this one: its times, zone, team and people needed."""
        return Slot(self.times, self.zone_id, self.team_id, self.low, self.high)

    def text(self) -> str:
        """``1/2!`` : people on it / people needed, then its marks."""
        return f"{self.staffed}/{self.low}{self.marks}"

    def staffing(self) -> str:
        """``2 of 2-3 people``: who is on it of how many it takes."""
        return staffing(self.staffed, self.low, self.high)

    def marks_text(self) -> str:
        """``= full``: its marks in words ("" for none)."""
        return join_list(f"{m} {_(MARK_WORDS[m])}" for m in self.marks)

    def describe(self) -> str:
        """The cell in words, for the line under the grid."""
        parts = [
            f"{weekday_label(self.day.isoweekday())} {self.day:%m-%d} {self.times}",
            self.place,
            self.team,
            self.staffing(),
        ]
        if self.people:
            parts.append(join_list(self.people))
        parts.append(self.marks_text())
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class SlotRow:
    """One row of the grid: a time slot, and the shift of that slot on each of the 7 days."""

    label: str  # "19:00-21:00 东区"
    cells: tuple[Cell | None, ...]
    slot: Slot = Slot("")  # what a new shift on an empty cell of the row takes


@dataclass(frozen=True, slots=True)
class WeekView:
    """The week starting ``monday`` as the grid shows it."""

    monday: dt.date
    today: dt.date
    rows: tuple[SlotRow, ...] = ()
    shifts: int = 0
    under: int = 0
    clashes: int = 0
    days: tuple[dt.date, ...] = field(default=())

    def summary(self) -> str:
        """``2026-W49 (11-30 to 12-06) · 14 shifts · 3 below minimum · 1 clash``."""
        first, last = self.days[0], self.days[-1]
        parts = [
            _("{week} ({first} to {last})").format(
                week=week_name(self.monday), first=f"{first:%m-%d}", last=f"{last:%m-%d}"
            ),
            ngettext("{n} shift", "{n} shifts", self.shifts).format(n=self.shifts),
        ]
        if self.under:
            parts.append(_("{n} below minimum (!)").format(n=self.under))
        if self.clashes:
            parts.append(_("{n} with a clash (x)").format(n=self.clashes))
        return " · ".join(parts)

    def find(self, shift_id: str) -> tuple[int, int] | None:
        """Where the shift is in the grid (row, day), if it is this week."""
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row.cells):
                if cell is not None and cell.shift_id == shift_id:
                    return r, c
        return None


def times_of(shift: Shift) -> str:
    if shift.start is None or shift.end is None:
        return ""
    return f"{shift.start:%H:%M}-{shift.end:%H:%M}"


def cell_for(
    shift: Shift, places: dict[str, str], people: dict[str, str], clashes: set[tuple[str, str]]
) -> Cell:
    """The grid's cell for one shift (``clashes`` from :func:`store.patrols.rules.clashing`)."""
    assert shift.date is not None
    marks = ""
    if shift.understaffed:
        marks += UNDER
    if shift.full:
        marks += FULL
    if any((shift.id, a.member_id) in clashes for a in shift.assignments):
        marks += CLASH
    if any(a.offered or a.taker_id for a in shift.assignments):
        marks += OFFER
    return Cell(
        shift_id=shift.id,
        version=shift.version,
        day=shift.date,
        times=times_of(shift),
        place=clean_line(places.get(shift.zone_id, "")),
        team=clean_line(places.get(shift.team_id, "")),
        staffed=shift.staffed,
        low=shift.min_people,
        high=shift.max_people,
        marks=marks,
        people=tuple(clean_line(people.get(a.member_id, "?")) for a in shift.assignments),
        note=clean_line(shift.note),
        zone_id=shift.zone_id,
        team_id=shift.team_id,
    )


def build_week(snapshot: Snapshot, monday: dt.date, today: dt.date) -> WeekView:
    """The week starting ``monday``: its slots, cells and counts."""
    days = week_days(monday)
    # A day before and after: a night shift on Sunday clashes with Monday morning's.
    nearby = reads.shifts_between(
        snapshot, monday - dt.timedelta(days=1), monday + dt.timedelta(days=7)
    )
    clashes = clashing(nearby)
    week = [s for s in nearby if s.date is not None and monday <= s.date <= days[-1]]
    places = reads.place_names(snapshot)
    people = reads.member_names(snapshot, {a.member_id for s in week for a in s.assignments})
    slots: dict[tuple[str, str, str, str], list[list[Cell | None]]] = {}
    labels: dict[tuple[str, str, str, str], str] = {}
    for shift in week:
        assert shift.date is not None
        key = (times_of(shift), places.get(shift.zone_id, ""), shift.zone_id, shift.team_id)
        labels[key] = f"{times_of(shift)} {clean_line(places.get(shift.zone_id, ''))}".strip()
        column = shift.date.weekday()
        lanes = slots.setdefault(key, [])
        target = next((lane for lane in lanes if lane[column] is None), None)
        if target is None:
            target = [None] * 7
            lanes.append(target)
        target[column] = cell_for(shift, places, people, clashes)
    # By time, then the zones' own order (pinyin, store/named.py), then by team.
    zone_order = reads.orders(snapshot, reads.ZONES)
    ordered = sorted(slots, key=lambda k: (k[0], zone_order.get(k[2], (k[1], k[1], k[2])), k))
    rows = tuple(
        SlotRow(labels[key], tuple(cells), Slot(key[0], key[2], key[3]))
        for key in ordered
        for cells in slots[key]
    )
    cells = [c for row in rows for c in row.cells if c is not None]
    return WeekView(
        monday=monday,
        today=today,
        rows=rows,
        shifts=len(cells),
        under=sum(1 for c in cells if UNDER in c.marks),
        clashes=sum(1 for c in cells if CLASH in c.marks),
        days=tuple(days),
    )
