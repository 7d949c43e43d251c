"""The manage and patrol screens at 80x24 in Chinese, each with the data it is for: the manage
menu, the change log, the settings, a patrol day, a shift, my shifts, a team's members, the
templates and a zone's page (update with --snapshot-update). A fixed clock and data built by the
helpers keep them the same wherever and whenever they run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.manage.audit import AuditScreen
from screens.manage.settings import SettingsScreen
from screens.patrols.day import DayScreen
from screens.patrols.mine import MyShiftsScreen
from screens.patrols.place import PlaceScreen
from screens.patrols.team_members import TeamMembersScreen
from screens.patrols.templates import TemplatesScreen
from store.actor import Role
from tests.screens.helpers import enter_as, on_top, settle
from tests.screens.patrol_helpers import (
    TODAY,
    app_for,
    named,
    open_patrols,
    open_shift,
    patrol_week,
    with_templates,
)

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any], dict[str, Any]], Awaitable[None]]


async def manage_menu(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await enter_as(pilot, Role.ADMIN, name="wang", display_name="王芳")
    await pilot.press("5")
    await settle(pilot)


async def change_log(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await manage_menu(pilot, world)
    await pilot.press("enter")
    await on_top(pilot, AuditScreen)


async def settings(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await manage_menu(pilot, world)
    await pilot.press("down", "enter")
    await on_top(pilot, SettingsScreen, lambda screen: screen.filled)


async def day(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_patrols(pilot)  # the cursor on today, Wednesday: two shifts
    await pilot.press("d")
    await on_top(pilot, DayScreen)


async def shift(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_shift(pilot, await open_patrols(pilot), world["shifts"][TODAY.isoformat()])


async def my_shifts(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    zhang = world["people"]["张三"]
    await open_patrols(pilot, Role.VOLUNTEER, name="zhang", user_id="u-zhang", member_id=zhang)
    await pilot.press("m")
    await on_top(pilot, MyShiftsScreen)


async def team_members(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_patrols(pilot)
    await pilot.press("z")
    await settle(pilot)
    await pilot.press("m")  # on 巡逻一队, the only team
    await on_top(pilot, TeamMembersScreen)


async def templates(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_patrols(pilot)
    await pilot.press("g")
    await on_top(pilot, TemplatesScreen)


async def zone(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    week = await open_patrols(pilot)
    pilot.app.push_screen(
        PlaceScreen(pilot.app.session, week.section_title, "zones", world["zone"])
    )
    await on_top(pilot, PlaceScreen)


SCREENS: dict[str, Steps] = {
    "manage menu": manage_menu,
    "change log": change_log,
    "settings": settings,
    "day": day,
    "shift": shift,
    "my shifts": my_shifts,
    "team members": team_members,
    "templates": templates,
    "zone": zone,
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_snapshot(snap_compare: SnapCompare, db_path: Path, name: str) -> None:
    world = with_templates(patrol_week(db_path))
    named(db_path)
    app = app_for(db_path, "zh_CN")

    async def shown(pilot: Pilot[Any]) -> None:
        await SCREENS[name](pilot, world)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)
