"""Jump to anything (Ctrl+P): members by name, pinyin initials or full pinyin, as a role may see."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.command import Provider

from screens.member.detail import MemberScreen
from screens.shell.jump import JumpProvider, MemberJump
from store.actor import Role
from store.engine.database import Database
from tests.paths import ROOT
from tests.screens.helpers import (
    SIZE,
    add_records,
    check_footer,
    enter_as,
    jump,
    screen_text,
    settle,
    wait_until,
)
from tui.factory import make_app
from tui.jump import JUMPS, load


def community(db_path: Path) -> dict[str, str]:
    add_records(
        db_path,
        "members",
        [
            {
                "name": "张三",
                "birth_date": "1958-03-12",
                "grid": "3网格",
                "phone": "13800000001",
                "search_keys": ["张三", "zhangsan", "zs"],
            },
            {
                "name": "张山",
                "birth_date": "1960-01-01",
                "search_keys": ["张山", "zhangshan", "zs"],
            },
            {"name": "曾重阳", "search_keys": ["曾重阳", "zengchongyang", "cengzhongyang", "zcy"]},
            {"name": "赵六", "status": "archived", "search_keys": ["赵六", "zhaoliu", "zl"]},
        ],
    )
    return {doc["name"]: doc["id"] for doc in Database(db_path).snapshot().all("members")}


async def test_initials_full_pinyin_and_characters_find_members(db_path: Path) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        found = await jump(pilot, "zs")
        assert any(line.startswith("张三  1958  3网格") for line in found)
        assert any(line.startswith("张山  1960") for line in found)
        await pilot.press("escape")
        assert [line for line in await jump(pilot, "zhangshan") if "张" in line] == ["张山  1960"]
        await pilot.press("escape")
        assert any("曾重阳" in line for line in await jump(pilot, "ceng"))  # every reading
        await pilot.press("escape")
        assert not any("赵六" in line for line in await jump(pilot, "zl"))  # archived
        await pilot.press("escape")
        found = await jump(pilot, "张三")
        assert found[0].startswith("张三")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        screen = app.screen
        assert isinstance(screen, MemberScreen) and screen.member_id == ids["张三"]
        await settle(pilot)
        assert "Birth date: 1958-03-12" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "dashboard" and not isinstance(app.screen, MemberScreen)


async def test_a_volunteer_finds_no_one_by_what_is_hidden(db_path: Path) -> None:
    community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        assert not any("张三" in line for line in await jump(pilot, "3800000"))
        await pilot.press("escape")
        assert any("张三" in line for line in await jump(pilot, "zhangsan"))
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        assert any("张三" in line for line in await jump(pilot, "3800000"))


def test_every_registered_provider_loads() -> None:
    providers = [load(path) for path in JUMPS]
    assert MemberJump in providers
    assert all(issubclass(p, JumpProvider) and issubclass(p, Provider) for p in providers)


def test_the_palette_costs_nothing_at_start_up() -> None:
    code = "import sys, tui.app; print('screens.shell.jump' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr


# -- shifts, teams, zones and training sessions (issue 12) ---------------------------------------


def schedule(db_path: Path) -> dict[str, Any]:
    """patrol_week's community (zones 东区 and 西区, team 巡逻一队, a week of shifts, on a fixed
    clock) and a training session, all written through the store (keys stored as written)."""
    from store.training import ops as training
    from tests.screens.patrol_helpers import ROOT, patrol_week

    found = patrol_week(db_path)
    found["session"] = training.add_session(
        found["db"], ROOT, {"title": "消防安全培训", "date": "2026-12-01", "hours": 2}
    )["id"]
    return found


def patrol_app(db_path: Path, lang: str = "en") -> Any:
    from tests.screens.patrol_helpers import fixed_clock

    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    return app


async def test_a_team_a_zone_a_shift_and_a_session_open_from_the_palette(db_path: Path) -> None:
    from screens.patrols.place import PlaceScreen
    from screens.patrols.shift import ShiftScreen
    from screens.training.checklist import ChecklistScreen

    data = schedule(db_path)
    app = patrol_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)

        # A team by its pinyin initials: its page, then a shift from it.
        found = await jump(pilot, "xlyd")
        assert found[:3] == [  # the team, then its shifts, coming ones first
            "巡逻一队",
            "2026-12-02 08:00-10:00 西区  巡逻一队",
            "2026-12-02 19:00-21:00 东区  巡逻一队",
        ]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceScreen), "the team")
        await settle(pilot)
        text = screen_text(app)
        assert "Team: 巡逻一队" in text
        assert "Members: 李四, 王五, 张三" in text  # by pinyin: li, wang, zhang
        assert "2026-12-02  08:00-10:00  西区  2 of 2 people" in text  # from today on, in order
        assert "2026-12-02  19:00-21:00  东区  2 of 2-3 people" in text
        assert "2026-12-01" not in text  # yesterday's are not coming up
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "the shift")
        assert app.screen.shift_id == data["shifts"]["2026-12-02"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceScreen), "back")
        await pilot.press("escape")
        await settle(pilot)

        # A zone by its full pinyin: its page lists its shifts with their team.
        assert await jump(pilot, "xiqu") == ["西区", "2026-12-02 08:00-10:00 西区  巡逻一队"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceScreen), "the zone")
        await settle(pilot)
        text = screen_text(app)
        assert "Zone: 西区" in text and "2026-12-02  08:00-10:00  巡逻一队  2 of 2 people" in text
        assert "19:00" not in text  # those are 东区's
        await pilot.press("escape")
        await settle(pilot)

        # A shift by its date as people write it; the line says when and where.
        assert await jump(pilot, "12-03") == ["2026-12-03 19:00-21:00 东区  巡逻一队"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "the shift")
        assert app.screen.shift_id == data["shifts"]["2026-12-03"]
        await settle(pilot)
        assert "2026-12-03" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        # A training session by its title's initials: its checklist.
        found = await jump(pilot, "xfaq")
        assert found == ["消防安全培训  2026-12-01  Other"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChecklistScreen), "the session")
        assert app.screen.session_id == data["session"]
        await pilot.press("escape")
        await settle(pilot)
        assert (await jump(pilot, "xq"))[0] == "西区"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceScreen), "the zone")
        await settle(pilot)
        check_footer(app, "en", "a zone's page")


async def test_a_volunteer_finds_the_schedule_but_no_checklist(db_path: Path) -> None:
    from screens.patrols.place import PlaceScreen
    from screens.patrols.shift import ShiftScreen

    data = schedule(db_path)
    app = patrol_app(db_path, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        assert await jump(pilot, "xfaq") == []  # the checklist names who came: not theirs
        await pilot.press("escape")
        assert not any("消防" in line for line in await jump(pilot, "消防安全"))
        await pilot.press("escape")
        assert (await jump(pilot, "巡逻一队"))[0] == "巡逻一队"  # the schedule is everyone's
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceScreen), "the team")
        await settle(pilot)
        assert "队伍：巡逻一队" in screen_text(app)
        assert "2026-12-02  19:00-21:00  东区  2/2-3 人" in screen_text(app)
        check_footer(app, "zh", "a team's page")  # Esc, F1, Ctrl+L, Ctrl+Q within 80
        await pilot.press("escape")
        await settle(pilot)
        assert await jump(pilot, "2026-12-04") == ["2026-12-04 19:00-21:00 东区  巡逻一队"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "the shift")
        assert app.screen.shift_id == data["shifts"]["2026-12-04"]


async def test_a_template_opens_the_templates_list_on_it_for_a_planner(db_path: Path) -> None:
    """A coordinator types the template's initials: the palette lists it (with its days, times
    and zone, "Weekly template" under it) and Enter opens the templates list with the cursor on
    it, not on the unnamed template listed first; a volunteer is offered no template."""
    from screens.patrols.templates import TemplatesScreen
    from tests.screens.patrol_helpers import with_templates

    data = with_templates(schedule(db_path))
    app = patrol_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        found = await jump(pilot, "wjxl")
        assert found == ["晚间巡逻  Mon, Wed, Fri  19:00-21:00  东区"]
        assert "Weekly template" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen), "templates")
        screen = app.screen
        assert isinstance(screen, TemplatesScreen)
        await wait_until(pilot, lambda: bool(screen.templates), "the templates")
        await settle(pilot)
        assert screen.templates[0].name == ""  # the unnamed one is first on the list...
        selected = screen.selected()
        assert selected is not None and selected.id == data["template"]  # ...the cursor on ours
        assert "晚间巡逻" in screen_text(app)
        check_footer(app, "en", "the templates list")
        # Its full pinyin and its name find it too.
        await pilot.press("escape")
        await settle(pilot)
        assert (await jump(pilot, "wanjian"))[0].startswith("晚间巡逻")
        await pilot.press("escape")
        assert (await jump(pilot, "晚间"))[0].startswith("晚间巡逻")


async def test_a_volunteer_is_offered_no_template(db_path: Path) -> None:
    from tests.screens.patrol_helpers import with_templates

    with_templates(schedule(db_path))
    app = patrol_app(db_path, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        assert await jump(pilot, "wjxl") == []  # the week does not open templates for them
        await pilot.press("escape")
        assert not any("晚间巡逻" in line for line in await jump(pilot, "晚间巡逻"))
