"""Teams, zones, shifts and shift templates as typed, made into clean documents.

A shift whose end is at or before its start runs overnight (22:00-02:00 is a night patrol), so
only equal times and shifts longer than 16 hours are refused (08:00-07:00 is a typo, not a shift).
Conventions every validator follows are in store/fields.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from store.enums import AssignmentStatus
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import _
from store.named import keyed
from store.parse import parse_day, parse_weekday
from store.patrols.model import Assignment, Shift, ShiftTemplate, Team, Zone, shift_hours

MAX_SHIFT_HOURS = 16
MAX_SKIP_DATES = 100
_SPLIT = re.compile(r"[,，、;；\s]+")
_EVERY_DAY = {"每天", "天天", "daily", "every day", "everyday", "1-7"}
OVERRIDE_MAX = 200
"""The longest reason a coordinator may give for assigning against a rule."""


def validate_team(raw: Mapping[str, object]) -> dict[str, Any]:
    """A patrol team: name, leader and members (ids; repeated ones are dropped)."""
    f = Fields(raw)
    team = Team(
        name=f.line("name", max_len=NAME_MAX, required=_("Enter a name.")),
        leader_id=f.ref("leader_id"),
        member_ids=[f.sub({str(i): v}, "member_ids.").ref(str(i)) for i, v in _items(f, raw)],
        note=f.text("note", max_len=NOTE_MAX),
        archived=f.flag("archived"),
    )
    f.check()
    team.member_ids = list(dict.fromkeys(team.member_ids))
    return keyed(team.to_doc(), "teams")  # found by name in Ctrl+P (store/named.py)


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
        archived=f.flag("archived"),
    )
    f.check()
    return keyed(zone.to_doc(), "zones")  # found by name, listed in its order


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
            Assignment(
                member_id=member_id,
                status=status or AssignmentStatus.SCHEDULED,
                offered=r.flag("offered"),
                taker_id=r.ref("taker_id"),
                swapped_from=r.ref("swapped_from"),
                override=r.line("override", max_len=OVERRIDE_MAX),
            )
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
        leader_id=f.ref("leader_id"),
        leader_override=f.line("leader_override", max_len=OVERRIDE_MAX),
        assignments=assignments,
        note=f.text("note", max_len=NOTE_MAX),
        incident=f.text("incident", max_len=NOTE_MAX),
        template_id=f.ref("template_id"),
        cancelled=f.flag("cancelled"),
    )
    f.check()
    return shift.to_doc()


def _weekdays(f: Fields, raw: Mapping[str, object]) -> list[int]:
    """ISO weekdays as a list (``[1, 3]``) or as typed: "周一、周三", "1,3", "每天"/"daily"."""
    value = raw.get("weekdays", raw.get("weekday"))
    items: list[object]
    if isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    elif isinstance(value, str):
        if value.strip().casefold() in _EVERY_DAY:
            return list(range(1, 8))
        items = [part for part in _SPLIT.split(value) if part.strip()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = []
    days: set[int] = set()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 7:
            days.add(item)
            continue
        try:
            days.add(parse_weekday(str(item)))
        except ValueError as error:
            f.fail("weekdays", str(error))
            return []
    if not days:
        f.fail("weekdays", _("Choose at least one day of the week."))
    return sorted(days)


def _skip_dates(f: Fields, raw: Mapping[str, object]) -> list[dt.date]:
    """Holidays as a list of dates or as typed, separated by commas or spaces."""
    value = raw.get("skip_dates")
    if value is None or value == "":
        return []
    items = _SPLIT.split(value) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        f.fail("skip_dates", _("This is not a list."))
        return []
    found: set[dt.date] = set()
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        if isinstance(item, dt.date):
            found.add(item)
            continue
        try:
            found.add(parse_day(str(item), today=f.today))
        except ValueError as error:
            f.fail("skip_dates", str(error))
            return []
    if len(found) > MAX_SKIP_DATES:
        f.fail("skip_dates", _("At most {count} entries, please.").format(count=MAX_SKIP_DATES))
    return sorted(found)


def validate_shift_template(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A weekly pattern: weekdays, times, staffing, the dates it applies and the days it skips."""
    f = Fields(raw, today)
    weekdays = _weekdays(f, raw)
    start, end, low, high = _times_and_staffing(f)
    active_from = f.day("active_from")
    active_to = f.day("active_to")
    if active_from and active_to and active_to < active_from:
        f.fail("active_to", _("The end date is before the start date."))
    template = ShiftTemplate(
        name=f.line("name", max_len=NAME_MAX),
        weekdays=weekdays,
        start=start,
        end=end,
        zone_id=f.ref("zone_id"),
        team_id=f.ref("team_id"),
        min_people=low,
        max_people=high,
        active_from=active_from,
        active_to=active_to,
        skip_dates=_skip_dates(f, raw),
        note=f.text("note", max_len=NOTE_MAX),
        archived=f.flag("archived"),
    )
    f.check()
    return keyed(template.to_doc(), "shift_templates")  # listed by name (store/named.py)
