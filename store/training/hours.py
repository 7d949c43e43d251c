"""Study hours: what a session credits, a member's yearly total against the requirement, the
pace through the year, exemptions, and volunteer-service hours from theme days.

The rules, in one place:

* A member marked present is credited the session's hours (or fewer, if recorded so) on the
  session's day; a make-up is credited its own hours on its own day; absent and excused
  members get nothing.
* Hours count in the calendar year of the day they are credited on, and never carry into the
  next year: a session on 31 December counts for that year, its make-up on 2 January for the
  new one.
* The requirement is the settings' yearly hours for the member's category; an exempt member
  (elderly or ill: study is brought to their home) has none, and is never behind.
* The pace: by day N of a year of D days, a member is expected to have done the requirement
  times N/D (rounded down to the half hour); done less than that is behind. A past year
  expects the whole requirement, a future one nothing.
* A session's ``service_hours`` (a theme day's volunteer service) go to those present, beside
  patrol hours in the member's yearly service total (:func:`service_hours`).

Every year's totals come from the study-hours index (:mod:`store.training.index`: folded once
per version of the file, then followed through each change); every function returns typed
values.
"""

from __future__ import annotations

import calendar
import heapq
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Literal

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import Category, ExemptReason, coerce
from store.members.summary import MemberSummary, members_of
from store.settings.model import Settings
from store.training.access import ALL, own_member, require_member
from store.training.index import study_index
from store.training.model import Attendance, TrainingSession
from store.training.roll import Extra, extra_of, roll_of

TABLE = "trainings"
Pace = Literal["exempt", "done", "on_track", "behind"]


def credit(session: TrainingSession, row: Attendance) -> tuple[date, float] | None:
    """The day one attendance row's hours count on and how many, or None if it credits none."""
    if row.status.value == "present" and session.date is not None:
        return session.date, row.hours
    if row.status.value == "make_up":
        day = row.date or session.date
        return (day, row.hours) if day is not None else None
    return None


def yearly_totals(snapshot: Snapshot, year: int) -> dict[str, float]:
    """Study hours credited in ``year``, by member id (members with none are absent)."""
    return dict(study_index(snapshot).year(year))


def member_total(snapshot: Snapshot, member_id: str, year: int) -> float:
    """One member's study hours credited in ``year``."""
    return study_index(snapshot).member(member_id, year)


def service_hours(snapshot: Snapshot, member_id: str, year: int) -> float:
    """Volunteer-service hours ``member_id`` earned at sessions (theme days) in ``year``.

    Beside the member's patrol hours in their yearly service total
    (:func:`store.training.service.yearly_service`). Only those present earn them (the
    service was done on the day, so not by a make-up).
    """
    return study_index(snapshot).served(member_id, year)


def expected_by(required: float, year: int, today: date) -> float:
    """Hours a member should have by ``today`` to be on pace for ``year`` (see the module)."""
    if year < today.year:
        return required
    if year > today.year:
        return 0.0
    days = 366 if calendar.isleap(year) else 365
    elapsed = today.timetuple().tm_yday
    return math.floor(required * elapsed / days * 2) / 2


@dataclass(frozen=True, slots=True)
class Meter:
    """One member's study hours for one year, against what is required and expected by now."""

    member_id: str
    name: str
    category: Category
    branch: str
    year: int
    required: float
    done: float
    expected: float
    exempt: bool = False
    exempt_reason: ExemptReason | None = None

    @property
    def pace(self) -> Pace:
        """exempt, done (requirement met), on_track, or behind (below the pace)."""
        if self.exempt:
            return "exempt"
        if self.done >= self.required:
            return "done"
        return "behind" if self.done < self.expected else "on_track"

    @property
    def shortfall(self) -> float:
        """Hours below the pace (0 when on track)."""
        return 0.0 if self.exempt else max(0.0, self.expected - self.done)

    @property
    def remaining(self) -> float:
        """Hours still to do this year (0 when exempt or done)."""
        return 0.0 if self.exempt else max(0.0, self.required - self.done)


def _make(
    member_id: str,
    name: str,
    category: Category,
    extra: Extra,
    done: float,
    year: int,
    today: date,
    settings: Settings,
    pace: tuple[float, float] | None = None,
) -> Meter:
    """A meter; ``pace`` is (required, expected by today) when already worked out."""
    if pace is not None and not extra.exempt:
        required, expected = pace
    else:
        required = 0.0 if extra.exempt else settings.hours_for(category)
        expected = expected_by(required, year, today)
    return Meter(
        member_id=member_id,
        name=name,
        category=category,
        branch=extra.branch,
        year=year,
        required=required,
        done=done,
        expected=expected,
        exempt=extra.exempt,
        exempt_reason=extra.reason,
    )


def meter(snapshot: Snapshot, actor: Actor, member_id: str, year: int, today: date) -> Meter | None:
    """``member_id``'s meter for ``year`` (None: no such member). Volunteers: their own only."""
    from store.settings.ops import current

    require_member(actor, member_id)
    doc = snapshot.get("members", member_id)
    if doc is None:
        return None
    return _make(
        member_id,
        str(doc.get("name") or ""),
        coerce(Category, doc.get("category")) or Category.OTHER,
        extra_of(doc, {}),
        member_total(snapshot, member_id, year),
        year,
        today,
        current(snapshot),
    )


class _Categories(dict[str, Category]):
    """A stored category's Category (OTHER for an unknown one), each value coerced once."""

    def __missing__(self, value: str) -> Category:
        found = self[value] = coerce(Category, value or None) or Category.OTHER
        return found


def _current(snapshot: Snapshot, actor: Actor) -> Iterator[tuple[MemberSummary, Extra]]:
    """The current members the actor may see (a volunteer: their own), in the file's order,
    with their branch and exemption: from the shared read models, never the file."""
    own = own_member(actor)
    roll = roll_of(snapshot)
    for member in members_of(snapshot):
        if member.current and (own is ALL or member.id == own):
            yield member, roll.get(member.id)


def meters(snapshot: Snapshot, actor: Actor, year: int, today: date) -> list[Meter]:
    """Every current member's meter for ``year`` (a volunteer: their own), in roster order."""
    from store.settings.ops import current

    settings = current(snapshot)
    totals = study_index(snapshot).year(year)
    kinds = _Categories()
    ordered = sorted(_current(snapshot, actor), key=lambda pair: pair[0].name_order)
    return [
        _make(m.id, m.name, kinds[m.category], extra, totals.get(m.id, 0.0), year, today, settings)
        for m, extra in ordered
    ]


def behind_pace(
    snapshot: Snapshot,
    actor: Actor,
    year: int,
    today: date,
    *,
    category: Category | None = None,
    branch: str | None = None,
) -> list[Meter]:
    """Current members behind pace in ``year``, furthest behind first; optionally of one
    category or branch. Exempt members are never behind."""
    return behind_first(snapshot, actor, year, today, category=category, branch=branch)[1]


def behind_first(
    snapshot: Snapshot,
    actor: Actor,
    year: int,
    today: date,
    *,
    category: Category | None = None,
    branch: str | None = None,
    first: int | None = None,
) -> tuple[int, list[Meter]]:
    """How many current members are behind pace in ``year``, and the ``first`` furthest behind
    (all when None) as meters, in :func:`behind_pace`'s order.

    The rule of :attr:`Meter.pace` is applied to each member from the read models (the yearly
    totals: :mod:`store.training.index`; the members: :mod:`store.training.roll`), the pace
    worked out once per category, and only the ``first`` furthest behind are kept while
    going: the dashboard shows eight of thousands behind without holding the others.
    """
    from store.settings.ops import current

    settings = current(snapshot)
    totals = study_index(snapshot).year(year)
    kinds = _Categories()
    paces: dict[Category, tuple[float, float]] = {}  # required, expected by today
    kept: list[_Behind] = []  # all of them, or a heap of the ``first`` (least far behind on top)
    behind = 0
    for seq, (member, extra) in enumerate(_current(snapshot, actor)):
        if extra.exempt:
            continue
        kind = kinds[member.category]
        pace = paces.get(kind)
        if pace is None:
            required = settings.hours_for(kind)
            pace = paces[kind] = (required, expected_by(required, year, today))
        required, expected = pace
        done = totals.get(member.id, 0.0)
        if done >= required or done >= expected:
            continue
        if category is not None and kind is not category:
            continue
        if branch is not None and extra.branch != branch:
            continue
        behind += 1
        # The meter's own order: shortfall (expected - done) first, then hours done, then the
        # roster's (pinyin) order, whether all are kept or a heap keeps the first few.
        rank = (-(expected - done), done, *member.name_order, seq)
        entry = _Behind(rank, done, member, extra, pace)
        if first is None:
            kept.append(entry)
        elif len(kept) < first:
            heapq.heappush(kept, entry)
        elif entry.rank < kept[0].rank:
            heapq.heapreplace(kept, entry)
    kept.sort(key=attrgetter("rank"))
    return behind, [
        _make(
            e.member.id,
            e.member.name,
            kinds[e.member.category],
            e.extra,
            e.done,
            year,
            today,
            settings,
            e.pace,
        )
        for e in kept
    ]


@dataclass(slots=True)
class _Behind:
    """One member behind pace while reading; in a heap, the least far behind is on top."""

    rank: tuple[float, float, str, str, int]  # see behind_first
    done: float
    member: MemberSummary
    extra: Extra
    pace: tuple[float, float]

    def __lt__(self, other: _Behind) -> bool:
        return self.rank > other.rank


def branches(snapshot: Snapshot) -> list[str]:
    """Every branch named on the roster, for the behind-pace filter."""
    return sorted({extra.branch for extra in roll_of(snapshot).extras.values() if extra.branch})
