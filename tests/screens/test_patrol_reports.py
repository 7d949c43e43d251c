"""No-shows (o) and patrol hours (y) from the grid, at 80x24 in English and Chinese.

The week has checked-in places: 王五 absent on Monday, 张三 present on both of today's shifts
(2 + 2 hours) and 李四 excused from the evening one. Figures on screen are compared with the
store's, and Enter on a member opens the member.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.member.detail import MemberScreen
from screens.patrols.hours import PatrolHoursScreen, sparkline
from screens.patrols.noshows import NoShowsScreen
from screens.patrols.week import PatrolsScreen
from screens.shell.help import HelpScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.patrols import assign
from tests.screens.helpers import SIZE, enter_as, screen_lines, screen_text, settle, wait_until
from tests.screens.patrol_helpers import (
    MONDAY,
    TODAY,
    app_for,
    fixed_clock,
    open_patrols,
    patrol_week,
)
from tui.factory import make_app

SnapCompare = Callable[..., bool]

COORD = Actor("os:t", Role.ADMIN)


def checked_in_week(db_path: Path) -> dict[str, Any]:
    world = patrol_week(db_path)
    db = Database(db_path, clock=fixed_clock())
    people = world["people"]
    assign.check_in(
        db, COORD, world["shifts"][MONDAY.isoformat()], {people["王五"]: AssignmentStatus.ABSENT}
    )
    assign.check_in(
        db,
        COORD,
        world["shifts"][TODAY.isoformat()],
        {people["张三"]: AssignmentStatus.PRESENT, people["李四"]: AssignmentStatus.EXCUSED},
    )
    assign.check_in(db, COORD, world["morning"], {people["张三"]: AssignmentStatus.PRESENT})
    return world


def row_of(app: Any, name: str) -> str:
    return next(line for line in screen_lines(app) if f" {name} " in line)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_no_shows_lists_last_weeks_absences_and_opens_the_member(
    db_path: Path, lang: str
) -> None:
    world = checked_in_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, NoShowsScreen), "the no-shows")
        screen = app.screen
        await wait_until(pilot, lambda: screen.loaded, "the list")
        await settle(pilot)
        text = screen_text(app)
        assert "11-26" in text and "12-02" in text  # the seven days to today
        line = row_of(app, "王五")
        assert "11-30" in line and "19:00-21:00" in line and "东区" in line
        assert ("absent 1 time in 2026" if lang == "en" else "2026年缺勤 1 次") in line
        assert "张三" not in text and "李四" not in text  # present and excused are no no-shows
        await pilot.press("left")  # the week before: nobody
        await settle(pilot)
        assert "王五" not in screen_text(app)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        member = app.screen
        assert isinstance(member, MemberScreen)
        assert member.member_id == world["people"]["王五"]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_hours_per_team_and_member_by_month_and_year(db_path: Path, lang: str) -> None:
    world = checked_in_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolHoursScreen), "the hours")
        screen = app.screen
        assert isinstance(screen, PatrolHoursScreen)
        await wait_until(pilot, lambda: screen.loaded, "the lists")
        await settle(pilot)
        # 张三: 4 hours in December (two shifts present), 4 in the year; first, most hours.
        zhang = row_of(app, "张三").split()
        assert zhang[1:] == ["···········█", "4", "4", "2", "0", "0"]
        assert row_of(app, "王五").split()[1:] == ["············", "0", "0", "0", "1", "0"]
        assert row_of(app, "李四").split()[-1] == "1"  # excused once
        team = row_of(app, "巡逻一队").split()
        assert team[2:4] == ["4", "4"] and team[5] == "1"
        assert ("Month 12" if lang == "en" else "12月") in screen_text(app)
        await pilot.press("left")  # November: nothing that month, the year stays
        await settle(pilot)
        assert ("Month 11" if lang == "en" else "11月") in screen_text(app)
        assert row_of(app, "张三").split()[2:4] == ["0", "4"]
        await pilot.press("left_square_bracket")  # 2025: nothing
        await settle(pilot)
        assert "2025" in screen_text(app) and "张三" not in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert row_of(app, "张三")
        await pilot.press("enter")  # the members' list has the focus: 张三, first
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        member = app.screen
        assert isinstance(member, MemberScreen)
        assert member.member_id == world["people"]["张三"]


async def test_volunteers_get_neither_key(db_path: Path) -> None:
    checked_in_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER)
        for key in ("o", "y"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {key.description for g in app.screen.groups for key in g.keys}
        assert "Mine" in described
        assert "No-shows" not in described and "Patrol hours" not in described


async def test_planners_find_both_keys_in_help(db_path: Path) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.COORDINATOR)
        assert isinstance(screen, PatrolsScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)  # a list longer than 24 rows: it scrolls
        described = {key.description: key.keys for g in app.screen.groups for key in g.keys}
        assert described["缺勤名单"] == ("o",) and described["巡逻时长"] == ("y",)


def test_the_sparkline_draws_heights_in_glyphs() -> None:
    assert sparkline([0, 1, 2, 4, 8], 8) == "·▁▂▄█"
    assert sparkline([0.1, 0], 100) == "▁·"  # anything above nothing shows
    assert sparkline([0, 0], 0) == "··"


def shown_after(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await enter_as(pilot, Role.COORDINATOR, name="wang", display_name="王芳")
        for key in ("3", *keys):
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", ["o", "y"])
def test_reports_snapshot(snap_compare: SnapCompare, db_path: Path, lang: str, key: str) -> None:
    checked_in_week(db_path)
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    assert snap_compare(app, terminal_size=(80, 24), run_before=shown_after(key))
