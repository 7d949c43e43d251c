"""The dashboard at 80x24: what needs doing now, per role and in both languages, each line
opening its record on the dashboard's own stack (Esc comes back to the same line), "…and N
more" opening the whole list in its section, and snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.dashboard.lines import Target
from screens.dashboard.screen import DashboardScreen
from screens.member.detail import MemberScreen
from screens.patrols.shift import ShiftScreen
from screens.patrols.week import PatrolsScreen
from screens.roster.screen import RosterScreen
from screens.training.checklist import ChecklistScreen
from screens.training.hours import HoursScreen
from store.actor import Role
from store.engine.database import Database
from tests.screens.dashboard_data import MONDAY, ROOT, Community, community, fixed_clock
from tests.screens.dashboard_helpers import app_for, board, open_dashboard
from tests.screens.helpers import SIZE, footer_text, screen_lines, screen_text, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app

SnapCompare = Callable[..., bool]


@pytest.fixture
def town(db_path: Path) -> Community:
    return community(db_path)


def current(app: ShequApp) -> Target | None:
    line = board(app).current
    return line.target if line is not None else None


async def go_to(pilot: Pilot[Any], target: Target) -> None:
    """Move the cursor with Down (from the top) until it is on ``target``."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    await pilot.press("home")
    for _ in range(40):
        if current(app) == target:
            return
        await pilot.press("down")
    raise AssertionError(f"no line opens {target}")


async def opened(pilot: Pilot[Any], kind: type[Any]) -> Any:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await settle(pilot)
    return pilot.app.screen


async def back(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen), "the way back")
    await settle(pilot)


def rows_with(app: ShequApp, word: str) -> list[str]:
    return [line.strip() for line in screen_lines(app) if word in line]


# -- what a coordinator sees ----------------------------------------------------------------------


async def test_a_coordinator_sees_counts_first_and_every_group_worst_first(
    db_path: Path, town: Community
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.COORDINATOR)
        lines = screen_lines(app)
        todo = " ".join(line.strip() for line in lines[1:3])
        assert todo.startswith("To do: 1 contact overdue · 1 certificate expired · 1 shift short")
        assert "2 shifts clash · 1 no-show · 4 behind on study · 1 contact due" in todo
        assert "4 members on the roster, 1 of them mobile" in screen_text(app)
        lines_seen = [line.text for line in board(app).lines]
        headings = [line.text for line in board(app).lines if line.heading]
        assert [h.split(" (")[0] for h in headings] == [
            "Contacts overdue or due",
            "Shifts of the next 7 days short of people or with a clash",
            "No-shows of the past 7 days to follow up",
            "Behind pace on this year's study hours",
            "Certificates expired or expiring",
            "Sessions held whose attendance is not taken yet",
        ]
        text = "\n".join(lines_seen)
        # Marks and words, never colour alone; the oldest contact, the soonest expiry first.
        assert text.index("!!  Overdue   张三") < text.index("!   Due soon  李四")
        assert "13800000001" in text  # a coordinator sees whole phones
        assert "!   Thursday 12-03    19:00-21:00  东区      1 of 2 people" in text
        assert text.count("clash: 张三") == 2
        assert "李四          absent    Monday 11-30" in text
        assert text.index("!!  李四          救护员证          expired 2026-11-01") < text.index(
            "!   张三          救护员证          expires 2026-12-20 (in 18 days)"
        )
        assert "2026-11-28  Safety      消防安全培训" in text
        assert "王五          ██░░░░░░░░░░ 4/32 h         behind by 25 h" in text
        # The cursor starts on the first line that opens something; headings are skipped.
        assert current(app) == Target("member", town.people["张三"])
        await pilot.press("down", "down")
        assert current(app) == Target("shift", town.short)
        assert "Enter Open" in footer_text(app)
        assert not any(cell > 80 for cell in (len(line) for line in screen_lines(app)))


async def test_every_kind_of_line_opens_its_record_and_esc_comes_back(
    db_path: Path, town: Community
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.ADMIN)
        await go_to(pilot, Target("member", town.people["李四"]))
        member = await opened(pilot, MemberScreen)
        assert member.member_id == town.people["李四"]
        assert app.current_mode == "dashboard"  # on the dashboard's own stack
        await back(pilot)
        assert current(app) == Target("member", town.people["李四"])

        await go_to(pilot, Target("shift", town.clash[1]))
        shift = await opened(pilot, ShiftScreen)
        assert shift.shift_id == town.clash[1]
        assert "张三" in screen_text(app)
        await back(pilot)
        assert current(app) == Target("shift", town.clash[1])

        await go_to(pilot, Target("session", town.session))
        checklist = await opened(pilot, ChecklistScreen)
        assert checklist.session_id == town.session
        assert "消防安全培训" in screen_text(app)
        await back(pilot)
        assert current(app) == Target("session", town.session)


async def test_the_rest_of_a_group_opens_its_whole_list(db_path: Path, town: Community) -> None:
    db = Database(db_path, clock=fixed_clock())
    with db.transaction(ROOT) as tx:  # ten more, last reached 150 days ago (due)
        for n in range(10):
            member = tx.insert("members", {"name": f"成员{n}", "category": "retired"})
            day = (db.today() - timedelta(days=150)).isoformat()
            tx.insert("contacts", {"member_id": member["id"], "method": "visit", "date": day})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.COORDINATOR)
        assert "…and 7 more" in "\n".join(line.text for line in board(app).lines)
        await go_to(pilot, Target("lapsing"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "roster", "the roster")
        roster = app.screen
        assert isinstance(roster, RosterScreen)
        await wait_until(pilot, lambda: len(roster.list.rows) == 12, "the twelve")
        assert roster.filter.contact == "lapsing"
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "dashboard", "the dashboard")
        assert current(app) == Target("lapsing")  # the dashboard kept its place

        await go_to(pilot, Target("hours"))
        await opened(pilot, HoursScreen)
        await back(pilot)


async def test_the_week_line_opens_the_patrol_grid_at_that_week(
    db_path: Path, town: Community
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.COORDINATOR)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await dashboard.open(Target("week", "2026-11-23"))
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolsScreen), "the grid")
        grid = app.screen
        assert isinstance(grid, PatrolsScreen)
        await wait_until(pilot, lambda: grid.view is not None, "the week")
        assert grid.monday.isoformat() == "2026-11-23"
        await dashboard.open(Target("week", MONDAY.isoformat()))
        await wait_until(pilot, lambda: grid.monday == MONDAY, "this week")


# -- what a volunteer sees ------------------------------------------------------------------------


async def test_a_volunteer_sees_their_own_shifts_and_hours_first(
    db_path: Path, town: Community
) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.VOLUNTEER, town.people["王五"])
        lines = [line.text for line in board(app).lines]
        assert lines[:3] == [
            "Your next shifts (1)",
            "    Thursday 12-03    19:00-21:00  东区              一队",
            "Your hours this year",
        ]
        text = "\n".join(lines)
        assert "Study: ██░░░░░░░░░░ 4/32 h  behind by 25 h" in text
        assert "138****0001" in text and "13800000001" not in text  # phones masked
        # Nothing a volunteer may not see, or act on.
        for other in ("No-shows", "Behind pace", "Sessions held", "李四          救护员证"):
            assert other not in text
        assert "Certificates expired or expiring: none" in text
        assert current(app) == Target("shift", town.short)
        shift = await opened(pilot, ShiftScreen)
        assert shift.shift_id == town.short
        await back(pilot)
        await pilot.press("down")
        member = await opened(pilot, MemberScreen)
        assert member.member_id == town.people["王五"]


async def test_an_account_without_a_member_is_told(db_path: Path, town: Community) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.VOLUNTEER)
        assert "not linked to a member of the roster" in screen_text(app)


async def test_nothing_to_do_says_so_and_enter_opens_nothing(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.ADMIN)
        text = screen_text(app)
        assert "Nothing needs doing now." in text
        assert "Contacts overdue or due: everyone has been in touch recently" in text
        assert current(app) is None
        await pilot.press("down", "end", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


# -- both languages, each role, at 80x24 ----------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
async def test_chinese_fits_80_columns(db_path: Path, town: Community, role: Role) -> None:
    app = app_for(db_path, "zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, role, town.people["王五"] if role is Role.VOLUNTEER else None)
        text = screen_text(app)
        assert "待办" in text and "名党员在册" in text
        for english in ("To do", "Overdue", "Contacts", "shifts", "people"):
            assert english not in text
        from rich.cells import cell_len

        assert all(cell_len(line.rstrip()) <= 80 for line in screen_lines(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, DashboardScreen), "a record")


async def snapshot_as(pilot: Pilot[Any], role: Role, member_id: str | None) -> None:
    app = pilot.app
    assert isinstance(app, ShequApp)
    app.db.clock = fixed_clock()
    await open_dashboard(pilot, role, member_id)
    await pilot.press("down")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_snapshot(
    snap_compare: SnapCompare, db_path: Path, town: Community, lang: str, role: Role
) -> None:
    """The counts, the groups and the line under the cursor (reversed, no colour needed)."""
    member = town.people["王五"] if role is Role.VOLUNTEER else None
    app = make_app(db_path, lang=lang)

    async def before(pilot: Pilot[Any]) -> None:
        await snapshot_as(pilot, role, member)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
