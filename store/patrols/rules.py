"""The rules for putting a member on a shift, and the fairness hint beside each candidate.

Pure functions over models, so the assign list (a snapshot), the assign operation (inside the
transaction, on data read fresh under the lock) and the swap operations apply the same rules.

Each broken rule is a :class:`Problem` with one sentence. ``hard`` problems can't be
overridden (the shift is full or cancelled, the member is already on it, archived, transferred
out or deceased); the others (a clash, too many days in a row or hours in a day, away, exempt)
block by default and a coordinator may override them with a typed reason.

A shift's day is the date it starts on: a night patrol 22:00-02:00 counts for its first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from store.enums import AssignmentStatus, Category, MemberStatus
from store.i18n import _
from store.members.model import Member, age
from store.patrols.model import Shift
from store.settings.model import Settings

NOT_SERVED = (AssignmentStatus.ABSENT, AssignmentStatus.EXCUSED)
"""Statuses that mean the member did not patrol: they earn no hours and no fairness weight."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One rule an assignment breaks: a code for tests and marks, a sentence, overridable?"""

    code: str
    message: str
    hard: bool = False


def overlaps(one: Shift, other: Shift) -> bool:
    """Whether two shifts share any minute (one ending as the other starts is no clash)."""
    a, b = one.bounds(), other.bounds()
    if a is None or b is None:
        return False
    return a[0] < b[1] and b[0] < a[1]


def clashing(shifts: Iterable[Shift]) -> set[tuple[str, str]]:
    """(shift id, member id) for every member on two shifts that overlap.

    One pass per member over their shifts in start order: a shift clashes when it starts
    before the latest end seen so far.
    """
    by_member: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = {}
    for item in shifts:
        bounds = item.bounds()
        if bounds is None or item.cancelled:
            continue
        for place in item.assignments:
            by_member.setdefault(place.member_id, []).append((*bounds, item.id))
    found: set[tuple[str, str]] = set()
    for member_id, spans in by_member.items():
        spans.sort()
        latest_end: dt.datetime | None = None
        latest_id = ""
        for begin, end, shift_id in spans:
            if latest_end is not None and begin < latest_end:
                found.add((shift_id, member_id))
                found.add((latest_id, member_id))
            if latest_end is None or end > latest_end:
                latest_end, latest_id = end, shift_id
    return found


def run_of_days(days: set[dt.date], day: dt.date) -> int:
    """How many days in a row, ``day`` included, the member would patrol."""
    before = 0
    while day - dt.timedelta(days=before + 1) in days:
        before += 1
    after = 0
    while day + dt.timedelta(days=after + 1) in days:
        after += 1
    return before + 1 + after


def hours_limit(member: Member, day: dt.date, settings: Settings) -> int:
    """The most hours the member may patrol in a day (lower from the senior age setting)."""
    if member.birth_date is not None and age(member.birth_date, day) >= settings.patrol_senior_age:
        return settings.patrol_senior_max_hours_per_day
    return settings.patrol_max_hours_per_day


def check(
    target: Shift,
    member_doc: Mapping[str, Any] | None,
    their_shifts: Iterable[Shift],
    settings: Settings,
) -> list[Problem]:
    """Every rule putting ``member_doc`` on ``target`` breaks; [] when it may go ahead.

    ``their_shifts`` are the member's other shifts (any dates; cancelled ones and ``target``
    itself are ignored).
    """
    problems: list[Problem] = []
    if target.cancelled:
        problems.append(Problem("cancelled", _("This shift is cancelled."), hard=True))
    if member_doc is None:
        return [*problems, Problem("unknown", _("There is no such member."), hard=True)]
    member = Member.from_doc(member_doc)
    name = member.name
    if target.assignment(member.id) is not None:
        problems.append(
            Problem("already", _("{name} is already on this shift.").format(name=name), hard=True)
        )
        return problems
    if target.full:
        problems.append(
            Problem(
                "full",
                _("The shift is full ({count} of {count}); raise its maximum first.").format(
                    count=target.max_people
                ),
                hard=True,
            )
        )
    problems += _member_problems(member)
    problems += _time_problems(target, member, their_shifts, settings)
    return problems


def _member_problems(member: Member) -> list[Problem]:
    name = member.name
    if member.status is MemberStatus.ARCHIVED:
        return [Problem("archived", _("{name} is archived.").format(name=name), hard=True)]
    if member.status is MemberStatus.TRANSFERRED_OUT:
        return [
            Problem("transferred", _("{name} has transferred out.").format(name=name), hard=True)
        ]
    if member.status is MemberStatus.DECEASED:
        return [Problem("deceased", _("{name} has passed away.").format(name=name), hard=True)]
    problems = []
    if member.category is Category.MOBILE_OUT:
        problems.append(
            Problem(
                "away", _("{name} is away (a mobile member living elsewhere).").format(name=name)
            )
        )
    if member.patrol_exempt:
        problems.append(Problem("exempt", _("{name} is exempt from patrols.").format(name=name)))
    return problems


def _time_problems(
    target: Shift, member: Member, their_shifts: Iterable[Shift], settings: Settings
) -> list[Problem]:
    if target.date is None:
        return []
    others = [s for s in their_shifts if s.id != target.id and not s.cancelled]
    problems = []
    clash = next((s for s in others if overlaps(s, target)), None)
    if clash is not None and clash.date is not None and clash.start and clash.end:
        problems.append(
            Problem(
                "clash",
                _("{name} is already on a shift then: {date} {start}-{end}.").format(
                    name=member.name,
                    date=clash.date.isoformat(),
                    start=f"{clash.start:%H:%M}",
                    end=f"{clash.end:%H:%M}",
                ),
            )
        )
    days = {s.date for s in others if s.date is not None}
    run = run_of_days(days, target.date)
    if run > settings.patrol_max_consecutive_days:
        problems.append(
            Problem(
                "days",
                _("{name} would patrol {days} days in a row (the limit is {limit}).").format(
                    name=member.name, days=run, limit=settings.patrol_max_consecutive_days
                ),
            )
        )
    hours = target.hours + sum(s.hours for s in others if s.date == target.date)
    limit = hours_limit(member, target.date, settings)
    if hours > limit:
        problems.append(
            Problem(
                "hours",
                _("{name} would patrol {hours} hours on {date} (the limit is {limit}).").format(
                    name=member.name, hours=f"{hours:g}", date=target.date.isoformat(), limit=limit
                ),
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class Fairness:
    """How much a member has patrolled, as of a shift's date, for the assign list's hint."""

    last: dt.date | None = None  # the last shift before the date
    month: int = 0  # shifts in the date's month
    year: int = 0  # shifts in the date's year
    hours: float = 0.0  # hours in the date's year

    def weeks_since(self, day: dt.date) -> int | None:
        """Whole weeks from the last shift to ``day``; None if never served."""
        return None if self.last is None else (day - self.last).days // 7

    def sort_key(self, day: dt.date) -> tuple[float, int, int]:
        """Fairest first: fewest hours this year, then longest since the last shift."""
        weeks = self.weeks_since(day)
        return (self.hours, self.month, -(weeks if weeks is not None else 10_000))


def fairness(shifts: Iterable[Shift], day: dt.date) -> dict[str, Fairness]:
    """Each member's :class:`Fairness` as of ``day``, in one pass over ``shifts``.

    Every shift of the year counts (planned ones too: the hint is about sharing the load),
    except places marked absent or excused.
    """
    last: dict[str, dt.date] = {}
    month: dict[str, int] = {}
    year: dict[str, int] = {}
    hours: dict[str, float] = {}
    for item in shifts:
        when = item.date
        if when is None or item.cancelled:
            continue
        same_year = when.year == day.year
        for place in item.assignments:
            if place.status in NOT_SERVED:
                continue
            member_id = place.member_id
            if when < day and (member_id not in last or when > last[member_id]):
                last[member_id] = when
            if same_year:
                year[member_id] = year.get(member_id, 0) + 1
                hours[member_id] = hours.get(member_id, 0.0) + item.hours
                if when.month == day.month:
                    month[member_id] = month.get(member_id, 0) + 1
    return {
        member_id: Fairness(
            last.get(member_id),
            month.get(member_id, 0),
            year.get(member_id, 0),
            hours.get(member_id, 0.0),
        )
        for member_id in set(last) | set(year)
    }
