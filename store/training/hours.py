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

Totals are computed in one pass over the stored sessions; every function returns typed values.
"""

from __future__ import annotations

import calendar
import heapq
import math
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import Category, ExemptReason, coerce
from store.members.ops import is_current
from store.settings.model import Settings
from store.training.access import ALL, own_member, require_member
from store.training.model import Attendance, TrainingSession

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


def _year_of(day: object) -> int | None:
    if isinstance(day, str) and len(day) >= 4 and day[:4].isdigit():
        return int(day[:4])
    return None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    number = float(value)
    return number if math.isfinite(number) and number > 0 else 0.0


def _credits(doc: Mapping[str, Any]) -> Iterator[tuple[str, int, float]]:
    """(member id, year, hours) for each row of a stored session that credits hours.

    The same rule as :func:`credit`, read straight from the stored document: this runs for
    every attendance row of every session when a yearly total is wanted.
    """
    session_year = _year_of(doc.get("date"))
    rows = doc.get("attendance")
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, Mapping):
            continue
        status = row.get("status", "present")
        if status == "present":
            year = session_year
        elif status == "make_up":
            year = _year_of(row.get("date")) or session_year
        else:
            continue
        member_id = row.get("member_id")
        if year is not None and isinstance(member_id, str):
            yield member_id, year, _number(row.get("hours"))


# The totals of every year, by snapshot: one pass over every mark of every session costs tens
# of milliseconds with years of sessions, and a screen asks again on every filter change. A
# snapshot's token names one version of the file, so the totals are computed once per version
# (the newest two are kept; a snapshot without a token is never cached).
_CACHE: dict[tuple[object, int], dict[int, dict[str, float]]] = {}
_CACHE_LOCK = threading.Lock()


def _totals_by_year(snapshot: Snapshot) -> dict[int, dict[str, float]]:
    """Study hours credited per year and member, for the whole snapshot, in one pass."""
    key = (snapshot.token, snapshot.count(TABLE))
    if snapshot.token is not None:
        with _CACHE_LOCK:
            found = _CACHE.get(key)
        if found is not None:
            return found
    totals: dict[int, dict[str, float]] = {}
    for doc in snapshot.all(TABLE):
        _add_session(totals, doc)
    if snapshot.token is not None:
        with _CACHE_LOCK:
            while len(_CACHE) >= 2:
                del _CACHE[next(iter(_CACHE))]
            _CACHE[key] = totals
    return totals


def _add_session(totals: dict[int, dict[str, float]], doc: Mapping[str, Any]) -> None:
    """Add one stored session's credits to ``totals`` (the rule of :func:`_credits`, inlined:
    this runs for every mark of every session)."""
    session_year = _year_of(doc.get("date"))
    rows = doc.get("attendance")
    if not isinstance(rows, list):
        return
    same_year = totals.setdefault(session_year, {}) if session_year is not None else None
    for row in rows:
        try:
            status = row.get("status", "present")
            if status == "present":
                year_totals = same_year
            elif status == "make_up":
                year = _year_of(row.get("date")) or session_year
                year_totals = totals.setdefault(year, {}) if year is not None else None
            else:
                continue
            member_id, hours = row["member_id"], row.get("hours")
        except (AttributeError, KeyError):
            continue  # not a mark (a hand-edited file)
        if year_totals is None or not isinstance(member_id, str):
            continue
        if type(hours) is not float or not 0 < hours < math.inf:
            hours = _number(hours)
        year_totals[member_id] = year_totals.get(member_id, 0.0) + hours


def yearly_totals(snapshot: Snapshot, year: int) -> dict[str, float]:
    """Study hours credited in ``year``, by member id (members with none are absent)."""
    return dict(_totals_by_year(snapshot).get(year, {}))


def member_total(snapshot: Snapshot, member_id: str, year: int) -> float:
    """One member's study hours credited in ``year``."""
    return _totals_by_year(snapshot).get(year, {}).get(member_id, 0.0)


def service_hours(snapshot: Snapshot, member_id: str, year: int) -> float:
    """Volunteer-service hours ``member_id`` earned at sessions (theme days) in ``year``.

    For the patrol side's yearly service total: add this beside the member's patrol hours.
    Only those present earn them (the service was done on the day, so not by a make-up).
    """
    total = 0.0
    for doc in snapshot.all(TABLE):
        service = _number(doc.get("service_hours"))
        if not service or _year_of(doc.get("date")) != year:
            continue
        rows = doc.get("attendance")
        for row in rows if isinstance(rows, list) else ():
            if (
                isinstance(row, Mapping)
                and row.get("member_id") == member_id
                and row.get("status", "present") == "present"
            ):
                total += service
                break
    return total


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


def _meter(
    doc: Mapping[str, Any], done: float, year: int, today: date, settings: Settings
) -> Meter:
    category = coerce(Category, doc.get("category")) or Category.OTHER
    exempt = doc.get("exempt_hours") is True
    required = 0.0 if exempt else settings.hours_for(category)
    return Meter(
        member_id=str(doc.get("id") or ""),
        name=str(doc.get("name") or ""),
        category=category,
        branch=str(doc.get("branch") or ""),
        year=year,
        required=required,
        done=done,
        expected=expected_by(required, year, today),
        exempt=exempt,
        exempt_reason=coerce(ExemptReason, doc.get("exempt_reason")) if exempt else None,
    )


def meter(snapshot: Snapshot, actor: Actor, member_id: str, year: int, today: date) -> Meter | None:
    """``member_id``'s meter for ``year`` (None: no such member). Volunteers: their own only."""
    from store.settings.ops import current

    require_member(actor, member_id)
    doc = snapshot.get("members", member_id)
    if doc is None:
        return None
    return _meter(doc, member_total(snapshot, member_id, year), year, today, current(snapshot))


METER_FIELDS = ("id", "name", "category", "branch", "status", "exempt_hours", "exempt_reason")
"""What a meter reads of a member (:func:`_meter`, ``is_current``)."""


def meters(snapshot: Snapshot, actor: Actor, year: int, today: date) -> list[Meter]:
    """Every current member's meter for ``year`` (a volunteer: their own), in roster order."""
    from store.settings.ops import current

    settings = current(snapshot)
    totals = _totals_by_year(snapshot).get(year, {})
    own = own_member(actor)
    return [
        _meter(doc, totals.get(str(doc.get("id")), 0.0), year, today, settings)
        for doc in snapshot.fields("members", METER_FIELDS)  # not every member's whole record
        if is_current(doc) and (own is ALL or doc.get("id") == own)
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

    The rule of :attr:`Meter.pace` is applied to each member's few fields (read from the file
    in pieces), and only the ``first`` furthest behind are kept while reading: the dashboard
    shows eight of thousands behind, at 20,000 members, without holding the others.
    """
    from store.settings.ops import current

    settings = current(snapshot)
    totals = _totals_by_year(snapshot).get(year, {})
    own = own_member(actor)
    kept: list[_Behind] = []  # all of them, or a heap of the ``first`` (least far behind on top)
    behind = 0
    for doc in snapshot.fields("members", METER_FIELDS):
        if not is_current(doc) or (own is not ALL and doc.get("id") != own):
            continue
        if doc.get("exempt_hours") is True:
            continue
        kind = coerce(Category, doc.get("category")) or Category.OTHER
        required = settings.hours_for(kind)
        done = totals.get(str(doc.get("id")), 0.0)
        expected = expected_by(required, year, today)
        if done >= required or done >= expected:
            continue
        if category is not None and kind is not category:
            continue
        if branch is not None and str(doc.get("branch") or "") != branch:
            continue
        behind += 1
        # The meter's own order: shortfall (expected - done) first, then hours done, name.
        entry = _Behind((-(expected - done), done, str(doc.get("name") or "")), done, doc)
        if first is None:
            kept.append(entry)
        elif len(kept) < first:
            heapq.heappush(kept, entry)
        elif entry.rank < kept[0].rank:
            heapq.heapreplace(kept, entry)
    kept.sort(key=lambda entry: entry.rank)
    return behind, [_meter(entry.doc, entry.done, year, today, settings) for entry in kept]


@dataclass(slots=True)
class _Behind:
    """One member behind pace while reading; in a heap, the least far behind is on top."""

    rank: tuple[float, float, str]
    done: float
    doc: dict[str, Any]

    def __lt__(self, other: _Behind) -> bool:
        return self.rank > other.rank


def branches(snapshot: Snapshot) -> list[str]:
    """Every branch named on the roster, for the behind-pace filter."""
    return sorted(
        {
            b
            for doc in snapshot.fields("members", ("branch",))
            if isinstance(b := doc.get("branch"), str) and b
        }
    )
