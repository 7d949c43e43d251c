"""Teams, zones, shifts and shift templates as typed, made into clean documents.

A shift whose end is at or before its start runs overnight (22:00-02:00 is a night patrol), so
only equal times and shifts longer than 16 hours are refused (08:00-07:00 is a typo, not a shift).
Conventions every validator follows are in store/fields.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.enums import AssignmentStatus
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import _
from store.parse import parse_weekday
from store.patrols.model import Assignment, Shift, ShiftTemplate, Team, Zone, shift_hours

MAX_SHIFT_HOURS = 16


def validate_team(raw: Mapping[str, object]) -> dict[str, Any]:
    """A patrol team: name, leader and members (ids; repeated ones are dropped)."""
    f = Fields(raw)
    team = Team(
        name=f.line("name", max_len=NAME_MAX, required=_("Enter a name.")),
        leader_id=f.ref("leader_id"),
        member_ids=[f.sub({str(i): v}, "member_ids.").ref(str(i)) for i, v in _items(f, raw)],
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    team.member_ids = list(dict.fromkeys(team.member_ids))
    return team.to_doc()


def _items(f: Fields, raw: Mapping[str, object]) -> list[tuple[int, object]]:
    value = raw.get("member_ids")
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        f.fail("member_ids", _("This is not a list."))
        return []
    return list(enumerate(value))


def validate_zone(raw: Mapping[str, object]) -> dict[str, Any]:
    """A patrol zone or route: a name and a free-text description of where it goes."""
    f = Fields(raw)
    zone = Zone(
        name=f.line("name", max_len=NAME_MAX, required=_("Enter a name.")),
        description=f.text("description", max_len=500),
    )
    f.check()
    return zone.to_doc()


def _times_and_staffing(f: Fields) -> tuple[dt.time | None, dt.time | None, int, int]:
    """Start, end, minimum and maximum people, checked the same way for shifts and templates."""
    start = f.time("start", required=_("Enter a start time."))
    end = f.time("end", required=_("Enter an end time."))
    if start is not None and end is not None:
        hours = shift_hours(start, end)
        if hours == 0:
            f.fail("end", _("The shift ends when it starts."))
        elif hours > MAX_SHIFT_HOURS:
            f.fail(
                "end",
                _("A shift can last at most {hours} hours.").format(hours=MAX_SHIFT_HOURS),
            )
    low = f.whole("min_people", default=1, low=0, high=50)
    high = f.whole("max_people", default=max(4, low), low=1, high=50)
    if low > high and f.ok("min_people", "max_people"):
        f.fail("min_people", _("The minimum is more than the maximum."))
    return start, end, low, high


def validate_shift(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """One patrol: date, times (overnight allowed), zone, team, staffing and who is on it."""
    f = Fields(raw, today)
    day = f.day("date", required=_("Enter a date."))
    start, end, low, high = _times_and_staffing(f)
    assignments: list[Assignment] = []
    for i, row in enumerate(f.rows("assignments")):
        r = f.sub(row, f"assignments.{i}.")
        member_id = r.ref("member_id", required=_("Choose a member."))
        if member_id and any(a.member_id == member_id for a in assignments):
            r.fail("member_id", _("This member is already on the shift."))
        status = r.choice(AssignmentStatus, "status", default=AssignmentStatus.SCHEDULED)
        assignments.append(
            Assignment(member_id=member_id, status=status or AssignmentStatus.SCHEDULED)
        )
    if len(assignments) > high and f.ok("max_people"):
        f.fail(
            "assignments",
            _("More people than the maximum of {count}.").format(count=high),
        )
    shift = Shift(
        date=day,
        start=start,
        end=end,
        zone_id=f.ref("zone_id"),
        team_id=f.ref("team_id"),
        min_people=low,
        max_people=high,
        assignments=assignments,
        note=f.text("note", max_len=NOTE_MAX),
        template_id=f.ref("template_id"),
    )
    f.check()
    return shift.to_doc()


def validate_shift_template(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A weekly patrol: ISO weekday (1 = Monday), times, staffing and the dates it applies."""
    f = Fields(raw, today)
    weekday = 1
    value = raw.get("weekday")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        weekday = value
    elif isinstance(value, str) and value.strip():
        try:
            weekday = parse_weekday(value)
        except ValueError as error:
            f.fail("weekday", str(error))
    else:
        f.fail("weekday", _("Choose a day of the week."))
    start, end, low, high = _times_and_staffing(f)
    active_from = f.day("active_from")
    active_to = f.day("active_to")
    if active_from and active_to and active_to < active_from:
        f.fail("active_to", _("The end date is before the start date."))
    template = ShiftTemplate(
        weekday=weekday,
        start=start,
        end=end,
        zone_id=f.ref("zone_id"),
        team_id=f.ref("team_id"),
        min_people=low,
        max_people=high,
        active_from=active_from,
        active_to=active_to,
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return template.to_doc()
