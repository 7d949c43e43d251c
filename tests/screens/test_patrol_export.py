"""Exporting the schedule from the screens at 80x24: a member's, a team's and my own shifts as
.ics (parsed back with icalendar), and a file already there replaced only when confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar
import pytest
from textual.pilot import Pilot

from screens.patrols.export import PatrolExportDialog
from screens.patrols.hours import PatrolHoursScreen
from screens.patrols.mine import MyShiftsScreen
from screens.shell.dialogs import ConfirmDialog
from store.actor import Role
from store.engine.database import Database
from store.patrols import reads
from tests.screens.helpers import (
    SIZE,
    footer_text,
    screen_text,
    settle,
    type_text,
    unwrapped,
    wait_until,
    widget_text,
)
from tests.screens.patrol_helpers import app_for, open_patrols, patrol_week


def uids(path: Path) -> set[str]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["uid"]) for event in calendar.walk("VEVENT")}


def shift_uids(db_path: Path, member_id: str = "", team_id: str = "") -> set[str]:
    snapshot = Database(db_path).snapshot()
    if member_id:
        shifts = reads.member_shifts(snapshot, member_id)
    else:
        shifts = [s for s in reads.all_shifts(snapshot) if s.team_id == team_id]
    return {f"{s.id}@shequ" for s in shifts}


async def open_export(pilot: Pilot[Any]) -> PatrolExportDialog:
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PatrolExportDialog), "export")
    dialog = pilot.app.screen
    assert isinstance(dialog, PatrolExportDialog)
    await settle(pilot)
    return dialog


async def write_to(pilot: Pilot[Any], dialog: PatrolExportDialog, path: Path) -> None:
    dialog.field("path").value = str(path)
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_one_members_shifts_found_by_pinyin(db_path: Path, tmp_path: Path, lang: str) -> None:
    world = patrol_week(db_path)
    out = tmp_path / "out" / "zhang.ics"
    out.parent.mkdir()
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        dialog = await open_export(pilot)
        await pilot.press("enter", "enter", "enter")  # format, which shifts, team: to member
        await type_text(pilot, "zs")
        await settle(pilot)
        await pilot.press("enter")  # on to the file: it is named after the member
        await settle(pilot)
        assert "张三" in dialog.field("path").value
        await write_to(pilot, dialog, out)
        await wait_until(pilot, lambda: not isinstance(app.screen, PatrolExportDialog), "done")
    assert uids(out) == shift_uids(db_path, member_id=world["people"]["张三"])
    assert len(uids(out)) == 2


async def test_one_teams_every_shift(db_path: Path, tmp_path: Path) -> None:
    world = patrol_week(db_path)
    out = tmp_path / "team.ics"
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        dialog = await open_export(pilot)
        await pilot.press("enter", "right", "enter", "right")  # every shift; the first team
        await settle(pilot)
        assert "[Every shift]" in screen_text(app) and "巡逻一队" in screen_text(app)
        assert "巡逻一队-all" in dialog.field("path").value
        await write_to(pilot, dialog, out)
        await wait_until(pilot, out.exists, "the file")
    assert uids(out) == shift_uids(db_path, team_id=world["team"])
    assert len(uids(out)) == 8


async def test_a_file_already_there_is_replaced_only_when_confirmed(
    db_path: Path, tmp_path: Path
) -> None:
    patrol_week(db_path)
    out = tmp_path / "week.ics"
    out.write_text("mine, keep me", encoding="utf-8")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        dialog = await open_export(pilot)
        await write_to(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "already exists. Replace it?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog
        assert "Not written: choose another file name" in screen_text(app)
        assert out.read_text(encoding="utf-8") == "mine, keep me"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: not isinstance(app.screen, PatrolExportDialog), "done")
    assert len(uids(out)) == 8  # the week's shifts


async def test_shequs_own_file_is_refused_before_any_question(db_path: Path) -> None:
    patrol_week(db_path)
    before = db_path.read_bytes()
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        dialog = await open_export(pilot)
        await write_to(pilot, dialog, db_path)
        assert app.screen is dialog
        said = unwrapped(widget_text(app, dialog.field("path")))
        assert "shequ'sdatabase:writingtherewouldreplaceeveryrecord" in said
    assert db_path.read_bytes() == before


async def test_a_volunteer_exports_their_own_shifts_from_my_shifts(
    db_path: Path, tmp_path: Path
) -> None:
    world = patrol_week(db_path)
    out = tmp_path / "mine.ics"
    me = world["people"]["李四"]
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_patrols(pilot, Role.VOLUNTEER, name="li", user_id="u-l", member_id=me)
        await pilot.press("x")  # not from the grid: everyone's schedule is not theirs to export
        await settle(pilot)
        assert app.screen is grid
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MyShiftsScreen), "my shifts")
        await settle(pilot)
        assert "我的日历" in footer_text(app)
        dialog = await open_export(pilot)
        text = screen_text(app)
        assert "导出我的班次" in text and "[全部班次]" in text and "队伍" not in text
        await write_to(pilot, dialog, out)
        await wait_until(pilot, out.exists, "the file")
    assert uids(out) == shift_uids(db_path, member_id=me)


async def test_from_the_hours_the_highlighted_members_shifts(db_path: Path, tmp_path: Path) -> None:
    world = patrol_week(db_path)
    out = tmp_path / "wang.ics"
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolHoursScreen), "the hours")
        hours = app.screen
        await wait_until(pilot, lambda: hours.loaded, "the lists")
        # Nobody has hours yet: the members in pinyin order, 李四 王五 张三; 王五 second last.
        await pilot.press("end", "up")
        dialog = await open_export(pilot)
        assert "王五" in dialog.field("path").value
        await write_to(pilot, dialog, out)
        await wait_until(pilot, out.exists, "the file")
    assert uids(out) == shift_uids(db_path, member_id=world["people"]["王五"])
