"""Exports of the schedule: .ics parses back to the same shifts, the sheet fits 80 columns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from rich.cells import cell_len

from store.actor import Actor, Role
from store.engine.database import Database
from store.errors import NotFound, PermissionDenied
from store.members import ops as members
from store.patrols import assign, ops, reads
from store.patrols.exporting import Selection, export_patrols, find_member, find_team, render
from store.patrols.sheet import fit, width
from store.settings import ops as settings
from tests.store.patrol_data import ADMIN, COORD, TODAY, World, make_world


@pytest.fixture
def world(db: Database) -> World:
    w = make_world(db)
    first = w.shift(TODAY, "19:00", "21:00")
    night = w.shift(TODAY + dt.timedelta(days=1), "22:00", "02:00", note="带手电")
    for shift_id in (first, night):
        assign.assign(db, COORD, shift_id, w.id("张三"))
    assign.assign(db, COORD, first, w.id("李四"))
    return w


def test_ics_parses_back_to_the_same_shifts_in_the_community_zone(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "zhang.ics"
    selection = Selection(member_id=world.id("张三"), member_name="张三")
    count = export_patrols(world.db, COORD, out, "ics", selection)
    assert count == 2
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    shanghai = ZoneInfo("Asia/Shanghai")
    got = sorted((str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend")) for e in events)
    shifts = reads.member_shifts(world.db.snapshot(), world.id("张三"))
    want = sorted(
        (f"{s.id}@shequ", *(moment.replace(tzinfo=shanghai) for moment in s.bounds() or ()))
        for s in shifts
    )
    assert got == want
    # The night shift ends next morning (the events are in uid order, which is random).
    night = [(start, end) for _uid, start, end in got if end.date() > start.date()]
    assert [end - start for start, end in night] == [dt.timedelta(hours=4)]
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
    assert all("东区" in str(e["summary"]) for e in events)
    # Stable: the same data makes the same bytes, so a re-import updates, never duplicates.
    again = tmp_path / "again.ics"
    export_patrols(world.db, COORD, again, "ics", selection)
    assert again.read_bytes() == out.read_bytes()
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_ics_follows_the_time_zone_setting(world: World, tmp_path: Path) -> None:
    settings.update(world.db, ADMIN, {"patrol_time_zone": "Asia/Urumqi"}, 0)
    payload, _count = render(world.db.snapshot(), Selection(), "ics", TODAY)
    events = icalendar.Calendar.from_ical(payload).walk("VEVENT")
    assert all(e.decoded("dtstart").tzinfo.key == "Asia/Urumqi" for e in events)


def test_the_sheet_fits_80_columns_with_chinese(world: World, tmp_path: Path) -> None:
    long_name = "欧阳娜娜" * 6
    member = members.add(world.db, COORD, {"name": long_name})
    ops.update_zone(
        world.db, COORD, world.zone["id"], {"name": "东区幸福里花园小区一期二期三期的巡逻路线"}, 1
    )
    shift_id = world.shift(TODAY + dt.timedelta(days=2))
    assign.assign(world.db, COORD, shift_id, member["id"])
    out = tmp_path / "sheet.txt"
    export_patrols(world.db, COORD, out, "sheet", Selection(monday=TODAY))
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert all(width(line) == cell_len(line) for line in lines)
    assert "张三" in text and "Signature" in text
    assert any(line.startswith("  欧阳娜娜") and "…" in line for line in lines)


def test_fit_pads_and_cuts_by_display_width() -> None:
    assert fit("张三", 6) == "张三  "
    assert cell_len(fit("张三李四王五", 7)) == 7
    assert fit("abc", 2) == "a…"


def test_csv_is_safe_for_spreadsheets(world: World, tmp_path: Path) -> None:
    evil = members.add(world.db, COORD, {"name": "=HYPERLINK(1)"})
    shift_id = world.shift(TODAY + dt.timedelta(days=3))
    assign.assign(world.db, COORD, shift_id, evil["id"])
    out = tmp_path / "s.csv"
    export_patrols(world.db, COORD, out, "csv", Selection())
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "日期"
    names = [row[6] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "张三" in names


def test_unknown_member_or_team_is_a_clear_error(world: World) -> None:
    snap = world.db.snapshot()
    assert find_member(snap, "张三")[1] == "张三"
    assert find_member(snap, "zhangsan")[1] == "张三"
    with pytest.raises(NotFound, match="No member"):
        find_member(snap, "没有这个人")
    assert find_team(snap, "一队")[1] == "巡逻一队"
    with pytest.raises(NotFound, match="No team"):
        find_team(snap, "三队")


def test_volunteers_cannot_export(world: World, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        export_patrols(world.db, Actor("v", Role.VOLUNTEER), tmp_path / "x.csv", "csv", Selection())
    assert not (tmp_path / "x.csv").exists()


def test_a_volunteer_exports_their_own_shifts_and_nobody_elses(
    world: World, tmp_path: Path
) -> None:
    zhang = Actor("zhang", Role.VOLUNTEER, member_id=world.id("张三"))
    out = tmp_path / "mine.ics"
    assert export_patrols(world.db, zhang, out, "ics", Selection(member_id=world.id("张三"))) == 2
    assert len(list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 2
    refused = (
        Selection(member_id=world.id("李四")),  # someone else's
        Selection(),  # everyone's
        Selection(member_id=world.id("张三"), team_id=world.team["id"]),  # a team's
    )
    for selection in refused:
        with pytest.raises(PermissionDenied):
            export_patrols(world.db, zhang, tmp_path / "other.ics", "ics", selection)
    unlinked = Actor("v", Role.VOLUNTEER)  # an account of no member owns no shifts
    with pytest.raises(PermissionDenied):
        export_patrols(world.db, unlinked, tmp_path / "other.ics", "ics", Selection(member_id=""))
    assert not (tmp_path / "other.ics").exists()


def test_shequs_own_files_are_refused(world: World) -> None:
    from store.engine.output import OutputRefused

    before = world.db.path.read_bytes()
    with pytest.raises(OutputRefused):
        export_patrols(world.db, COORD, world.db.path, "csv", Selection())
    assert world.db.path.read_bytes() == before
