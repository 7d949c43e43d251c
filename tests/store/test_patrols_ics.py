"""The .ics file: the same bytes as ``icalendar`` makes event by event, and valid iCalendar
that parses back to the shifts, user text escaped, in any time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

import icalendar
import pytest

from store.engine.database import Database
from store.patrols import assign, ics, ops, reads
from store.patrols.exporting import Selection, render
from store.patrols.model import Shift
from store.settings import ops as settings
from store.textsafe import clean_line, clean_text
from tests.store.patrol_data import ADMIN, COORD, TODAY, World, make_world

# Text a calendar must escape (, ; \ and line breaks), long lines folded inside multi-byte
# characters and right at an escape.
TRICKY_PLACE = "东区, 北门; A\\B"
LONG_NOTE = "带手电，注意安全。" * 6 + "\n第二行; 逗号, 反斜杠 \\ 完"
ASCII_NOTE = "x" * 60 + "\\" + "y" * 30 + ",;" * 10


def reference(
    shifts: Iterable[Shift],
    places: Mapping[str, str],
    people: Mapping[str, str],
    *,
    time_zone: str,
    title: str,
) -> bytes:
    """The same calendar built the plain way: one ``icalendar.Event`` per shift, serialized
    by the library (how store/patrols/ics.py made it before it joined the lines itself)."""
    zone = ZoneInfo(time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", ics.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean_line(title))
    calendar.add("x-wr-timezone", time_zone)
    days = []
    for shift in shifts:
        bounds = shift.bounds()
        if bounds is None or not shift.id:
            continue
        assert shift.date is not None
        days.append(shift.date)
        event = icalendar.Event()
        event.add("uid", ics.uid(shift))
        event.add("dtstamp", ics._stamp(shift))
        event.add("sequence", max(0, shift.version))
        event.add("dtstart", bounds[0].replace(tzinfo=zone))
        event.add("dtend", bounds[1].replace(tzinfo=zone))
        where = clean_line(places.get(shift.zone_id, ""))
        event.add("summary", f"Patrol: {where}" if where else "Patrol")
        if where:
            event.add("location", where)
        event.add("description", ics._description(shift, places, people))
        event.add("status", "CANCELLED" if shift.cancelled else "CONFIRMED")
        calendar.add_component(event)
    if days:
        calendar.add_missing_timezones(
            first_date=min(days), last_date=max(days) + dt.timedelta(days=1)
        )
    payload: bytes = calendar.to_ical()
    return payload


@pytest.fixture
def world(db: Database) -> World:
    w = make_world(db)
    tricky = ops.add_zone(db, COORD, {"name": TRICKY_PLACE})["id"]
    first = w.shift(TODAY, "19:00", "21:00", note=LONG_NOTE)
    night = w.shift(TODAY + dt.timedelta(days=1), "22:00", "02:00", zone_id=tricky)
    w.shift(TODAY + dt.timedelta(days=2), "08:00", "09:00", note=ASCII_NOTE)
    # Summer time in a zone that has it (Europe/Berlin below), and a cancelled shift.
    w.shift(dt.date(2024, 7, 1), "19:00", "21:00")
    gone = w.shift(TODAY + dt.timedelta(days=3))
    doc = reads.shift(db.snapshot(), gone)
    assert doc is not None
    ops.cancel_shift(db, COORD, gone, doc.version)
    for shift_id in (first, night):
        assign.assign(db, COORD, shift_id, w.id("张三"))
    assign.assign(db, COORD, first, w.id("李四"))
    return w


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "UTC"])
def test_the_file_is_what_icalendar_makes_event_by_event(world: World, zone: str) -> None:
    if zone != "Asia/Shanghai":
        settings.update(world.db, ADMIN, {"patrol_time_zone": zone}, 0)
    snapshot = world.db.snapshot()
    payload, count = render(snapshot, Selection(), "ics", TODAY)
    shifts = reads.all_shifts(snapshot, include_cancelled=True)
    places = reads.place_names(snapshot)
    people = reads.member_names(snapshot)
    assert count == len(shifts) - 1  # the cancelled one is in the file, not in the count
    assert payload == reference(shifts, places, people, time_zone=zone, title="Patrols")
    # Folded lines: none longer than 75 octets, every fold a CRLF and a space.
    lines = payload.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)


def test_it_parses_back_to_the_shifts_with_their_text_and_times(world: World) -> None:
    settings.update(world.db, ADMIN, {"patrol_time_zone": "Europe/Berlin"}, 0)
    snapshot = world.db.snapshot()
    payload, _count = render(snapshot, Selection(), "ics", TODAY)
    calendar = icalendar.Calendar.from_ical(payload)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    shifts = reads.all_shifts(snapshot, include_cancelled=True)
    assert set(events) == {f"{s.id}@shequ" for s in shifts}
    berlin = ZoneInfo("Europe/Berlin")
    for shift in shifts:
        event = events[f"{shift.id}@shequ"]
        start, end = shift.bounds() or ()
        assert event.decoded("dtstart") == start.replace(tzinfo=berlin)
        assert event.decoded("dtend") == end.replace(tzinfo=berlin)
        assert event.decoded("dtstart").tzinfo.key == "Europe/Berlin"
        assert int(event["sequence"]) == shift.version
        assert str(event["status"]) == ("CANCELLED" if shift.cancelled else "CONFIRMED")
        description = str(event["description"])
        if shift.note:
            assert description.endswith(clean_text(shift.note))  # unescaped, line breaks kept
    summer = next(e for e in events.values() if e.decoded("dtstart").month == 7)
    assert summer.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)
    tricky = [e for e in events.values() if str(e.get("location")) == TRICKY_PLACE]
    assert len(tricky) == 1 and str(tricky[0]["summary"]) == f"Patrol: {TRICKY_PLACE}"
    assert [c["tzid"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_no_shifts_is_an_empty_calendar_without_a_time_zone(db: Database) -> None:
    make_world(db)
    payload, count = render(db.snapshot(), Selection(), "ics", TODAY)
    assert count == 0
    calendar = icalendar.Calendar.from_ical(payload)
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []
    assert payload == reference([], {}, {}, time_zone="Asia/Shanghai", title="Patrols")


def test_folding_is_icalendars_with_characters_and_escapes_kept_whole() -> None:
    from icalendar.parser import Contentline

    lines = ["SUMMARY:short", "x" * 74, "x" * 75, "反" * 24, "反" * 25]
    # An escape (\\, or ^ in a parameter) at every place around the first and second folds.
    lines += ["DESCRIPTION:" + "x" * n + "\\n" + "反" * 40 for n in range(50, 70)]
    lines += ["X-A;P=" + "y" * n + "^n:" + "z" * 90 for n in range(60, 72)]
    for line in lines:
        folded = ics._fold(line)
        assert folded == Contentline(line).to_ical().decode("utf-8"), line
        pieces = folded.split("\r\n ")
        assert "".join(pieces) == line
        assert all(len(piece.encode("utf-8")) < 75 for piece in pieces)
        assert not any(piece.endswith(("\\", "^")) for piece in pieces[:-1])
