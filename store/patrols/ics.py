"""Shifts as an iCalendar (.ics) file that phone calendars import, made with ``icalendar``.

Each shift is one event whose UID is the shift's id (``<id>@shequ``), so importing a newer
file updates the events instead of adding them twice; ``SEQUENCE`` is the shift's version and
``DTSTAMP`` its last change, so the same data always makes the same bytes. Times are local
times in the community's time zone (the setting ``patrol_time_zone``), with its VTIMEZONE in
the file, so a phone elsewhere still shows 19:00 Beijing time correctly. A cancelled shift
is kept as a cancelled event, so the phone removes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from store.i18n import _
from store.patrols.model import Shift
from store.textsafe import clean_line, clean_text

PRODID = "-//shequ//patrol schedule//ZH"
UID_DOMAIN = "shequ"


def uid(shift: Shift) -> str:
    return f"{shift.id}@{UID_DOMAIN}"


def calendar_bytes(
    shifts: Iterable[Shift],
    places: Mapping[str, str],
    people: Mapping[str, str],
    *,
    time_zone: str,
    title: str,
) -> bytes:
    """The shifts as one VCALENDAR; ``places`` names zones and teams, ``people`` members."""
    from zoneinfo import ZoneInfo

    import icalendar

    zone = ZoneInfo(time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean_line(title))
    calendar.add("x-wr-timezone", time_zone)
    first: dt.date | None = None
    last: dt.date | None = None
    for shift in shifts:
        bounds = shift.bounds()
        if bounds is None or not shift.id:
            continue
        begin, end = (moment.replace(tzinfo=zone) for moment in bounds)
        assert shift.date is not None
        first = shift.date if first is None else min(first, shift.date)
        last = shift.date if last is None else max(last, shift.date)
        event = icalendar.Event()
        event.add("uid", uid(shift))
        event.add("dtstamp", _stamp(shift))
        event.add("sequence", max(0, shift.version))
        event.add("dtstart", begin)
        event.add("dtend", end)
        where = clean_line(places.get(shift.zone_id, ""))
        event.add("summary", _("Patrol: {place}").format(place=where) if where else _("Patrol"))
        if where:
            event.add("location", where)
        event.add("description", _description(shift, places, people))
        event.add("status", "CANCELLED" if shift.cancelled else "CONFIRMED")
        calendar.add_component(event)
    if first is not None and last is not None:
        calendar.add_missing_timezones(first_date=first, last_date=last + dt.timedelta(days=1))
    payload: bytes = calendar.to_ical()
    return payload


def _stamp(shift: Shift) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(shift.updated_at)
    except ValueError:
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _description(shift: Shift, places: Mapping[str, str], people: Mapping[str, str]) -> str:
    lines = []
    team = clean_line(places.get(shift.team_id, ""))
    if team:
        lines.append(_("Team: {team}").format(team=team))
    names = [clean_line(people.get(a.member_id, "")) for a in shift.assignments]
    if names:
        lines.append(_("On duty: {names}").format(names=_(", ").join(n for n in names if n)))
    if shift.note:
        lines.append(clean_text(shift.note))
    return "\n".join(lines)
