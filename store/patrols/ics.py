"""Shifts as an iCalendar (.ics) file that phone calendars import, made with ``icalendar``.

Each shift is one event whose UID is the shift's id (``<id>@shequ``), so importing a newer
file updates the events instead of adding them twice; ``SEQUENCE`` is the shift's version and
``DTSTAMP`` its last change, so the same data always makes the same bytes. Times are local
times in the community's time zone (the setting ``patrol_time_zone``), with its VTIMEZONE in
the file, so a phone elsewhere still shows 19:00 Beijing time correctly. A cancelled shift
is kept as a cancelled event, so the phone removes it.

The calendar's own lines and its VTIMEZONE are made by ``icalendar``, and so is every text
value's escaping (``vText``) and how a time in the zone is written (``vDDDTypes``, asked once
per file). The events' lines are joined here: ``icalendar`` builds a typed property object
per value and folds each line character by character, which made a year of shifts (730
events) cost 10x its CSV. The bytes are the same as ``icalendar``'s own: tests/store/
test_patrols_ics.py compares them with the calendar built event by event in the library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from typing import Any

from store.i18n import _
from store.patrols.model import Shift
from store.textsafe import clean_line, clean_text

PRODID = "-//shequ//patrol schedule//ZH"
UID_DOMAIN = "shequ"
FOLD_LIMIT = 75  # octets per line before folding (RFC 5545 3.1), as icalendar counts them

Moment = Callable[[str, dt.datetime], str]


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
    moment, tzid = _moment_writer(icalendar, zone)
    first: dt.date | None = None
    last: dt.date | None = None
    events: list[str] = []
    for shift in shifts:
        bounds = shift.bounds()
        if bounds is None or not shift.id:
            continue
        assert shift.date is not None
        first = shift.date if first is None else min(first, shift.date)
        last = shift.date if last is None else max(last, shift.date)
        events.append(_event(icalendar.vText, shift, bounds, moment, places, people))
    if first is not None and last is not None and tzid:
        # As Calendar.add_missing_timezones: a zone icalendar doesn't know goes without.
        with suppress(ValueError):
            calendar.add_component(
                icalendar.Timezone.from_tzid(
                    tzid, first_date=first, last_date=last + dt.timedelta(days=1)
                )
            )
    shell: bytes = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert shell.endswith(end)
    return shell[: -len(end)] + "".join(events).encode("utf-8") + end


def _moment_writer(icalendar: Any, zone: dt.tzinfo) -> tuple[Moment, str]:
    """``moment(name, local)``, the content line of a time in ``zone`` written as
    ``icalendar`` writes it (``;TZID=...`` and the local time, or UTC's ``Z``: asked once),
    and the TZID the lines name ("" for UTC, which needs no VTIMEZONE)."""
    sample = icalendar.vDDDTypes(dt.datetime(2000, 1, 1, tzinfo=zone))
    params = sample.params.to_ical().decode("utf-8")
    head = f";{params}:" if params else ":"
    tail = sample.to_ical().decode("ascii")[len("20000101T000000") :]

    def moment(name: str, local: dt.datetime) -> str:
        return f"{name}{head}{local:%Y%m%dT%H%M%S}{tail}"

    return moment, str(sample.params.get("TZID") or "")


def _event(
    text: Any,
    shift: Shift,
    bounds: tuple[dt.datetime, dt.datetime],
    moment: Moment,
    places: Mapping[str, str],
    people: Mapping[str, str],
) -> str:
    """One VEVENT's lines, in ``icalendar``'s order for an event (its canonical properties,
    then the others by name), each folded."""
    where = clean_line(places.get(shift.zone_id, ""))
    summary = _("Patrol: {place}").format(place=where) if where else _("Patrol")
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(text, summary),
        moment("DTSTART", bounds[0]),
        moment("DTEND", bounds[1]),
        f"DTSTAMP:{_stamp(shift):%Y%m%dT%H%M%SZ}",
        "UID:" + _text(text, uid(shift)),
        f"SEQUENCE:{max(0, shift.version)}",
        "DESCRIPTION:" + _text(text, _description(shift, places, people)),
    ]
    if where:
        lines.append("LOCATION:" + _text(text, where))
    lines.append("STATUS:" + ("CANCELLED" if shift.cancelled else "CONFIRMED"))
    lines.append("END:VEVENT")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _text(text: Any, value: str) -> str:
    """``value`` escaped as an iCalendar TEXT by ``icalendar`` (``\\,`` ``\\;`` ``\\n``...)."""
    escaped: bytes = text(value).to_ical()
    return escaped.decode("utf-8")


def _fold(line: str) -> str:
    """``line`` folded as ``icalendar`` folds it: before the character that would make 75
    octets, never right after a ``\\`` or ``^`` (an escape is kept whole); most lines are
    shorter and go as they are."""
    if len(line) < FOLD_LIMIT and (line.isascii() or len(line.encode("utf-8")) < FOLD_LIMIT):
        return line
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= FOLD_LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                kept = current.pop()
                pieces.append("".join(current))
                current, count = [kept], len(kept.encode("utf-8"))
            else:
                pieces.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        pieces.append("".join(current))
    return "\r\n ".join(pieces)


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
