"""The keys a volunteer needs on each screen are in the one-line footer at 80x24, in English and
Chinese, not only in F1: a team's members (``m``) on teams and zones, the patrol hours' export
(``x``) and years (``[``/``]``), the attendance checklist's search (``/``) and the member
page's certificate (``t``). Where the full words do not fit, the footer says them shorter or
folds a group of keys into one ("←/→ Month"); where they fit, it keeps the full words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from screens.member.detail import MemberScreen
from screens.patrols.day import DayScreen
from screens.patrols.hours import PatrolHoursScreen
from screens.patrols.mine import MyShiftsScreen
from screens.patrols.places import PlacesScreen
from screens.patrols.shift import ShiftScreen
from screens.shell.help import HelpScreen
from screens.training.checklist import ChecklistScreen
from store.actor import Role
from store.engine.database import Database
from store.training import ops as training
from tests.screens.helpers import TEST_ACTOR, footer_text, screen_text, settle, wait_until
from tests.screens.patrol_helpers import fixed_clock, open_patrols, patrol_week
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
LANGS = ["en", "zh_CN"]
# What each screen's footer must show, by language: a key and its words as the footer says them.
GLOBAL = {
    "en": ["F1 Help", "Ctrl+L Lock", "Ctrl+Q Quit"],
    "zh_CN": ["F1 帮助", "Ctrl+L 锁屏", "Ctrl+Q 退出"],
}
PLACES = {
    "en": ["n New", "e Edit", "m Team members", "Esc Back"],
    "zh_CN": ["n 新增", "e 编辑", "Del 归档", "m 队员", "Esc 返回"],
}
HOURS = {
    "en": ["←/→ Month", "[/] Year", "x Export", "Esc Back"],
    "zh_CN": ["←/→ 月份", "[/] 年度", "x 导出班次", "Esc 返回"],  # room for the full words
}
CHECKLIST = {
    "en": ["/ Search", "Space/x/u Marks", "Ctrl+S Save"],
    "zh_CN": ["/ 搜索", "Space/x/u 标记", "Ctrl+S 保存"],
}
# Enter opens a shift on the day (d) and on my shifts (m): the footer says so, as the
# dashboard's does (neither screen's heading says it, as a team's or zone's page does).
DAY = {
    "en": ["Enter Open", "←/→ Days", "Esc Back"],  # the two days folded into one key
    "zh_CN": ["Enter 打开", "← 前一天", "→ 后一天", "Esc 返回"],
}
MINE = {  # an admin linked to no member has no calendar to export (x)
    "en": ["Enter Open", "Esc Back"],
    "zh_CN": ["Enter 打开", "Esc 返回"],
}
MEMBER = {  # English says it shorter; Chinese has room for the full words
    "en": ["c Contact", "e Edit", "t Certificate", "Esc Back"],
    "zh_CN": ["c 新增联系", "e 编辑", "t 添加证书", "Esc 返回"],
}


@pytest.fixture
def app_in(db_path: Path) -> Any:
    patrol_week(db_path)
    training.add_session(
        Database(db_path), TEST_ACTOR, {"title": "党课", "date": "2026-11-01", "hours": 2}
    )

    def made(lang: str) -> ShequApp:
        app = make_app(db_path, lang=lang)
        app.db.clock = fixed_clock()
        return app

    return made


async def on_screen(pilot: Pilot[None], kind: type) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, kind), kind.__name__)
    await wait_until(pilot, lambda: getattr(app.screen, "loaded", True), "loaded")
    await settle(pilot)


def check(pilot: Pilot[None], want: dict[str, list[str]], lang: str) -> str:
    """The footer line; fails unless it fits 80 columns and says each of ``want[lang]`` and the
    global keys, in that order."""
    line = footer_text(pilot.app).rstrip()
    assert cell_len(line) <= SIZE[0], line
    at = 0
    for words in [*want[lang], *GLOBAL[lang]]:
        found = f"{line} ".find(f" {words} ", at)
        assert found >= 0, f"{words!r} not in (or out of order in) {line!r}"
        at = found + len(words)
    return line


# Each screen: the keys that open it from the patrol week, and what its footer must say.
SCREENS: dict[str, tuple[tuple[str, ...], type, dict[str, list[str]]]] = {
    "teams and zones": (("z",), PlacesScreen, PLACES),
    "patrol hours": (("y",), PatrolHoursScreen, HOURS),
    "attendance checklist": (("4", "enter"), ChecklistScreen, CHECKLIST),
    "member page": (("2", "enter"), MemberScreen, MEMBER),
    "patrol day": (("d",), DayScreen, DAY),
    "my shifts": (("m",), MyShiftsScreen, MINE),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("where", list(SCREENS))
async def test_the_screens_keys_are_in_the_footer(app_in: Any, where: str, lang: str) -> None:
    keys, kind, want = SCREENS[where]
    app = app_in(lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.ADMIN)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await on_screen(pilot, kind)
        check(pilot, want, lang)


async def test_a_folded_key_still_does_what_it_says(app_in: Any) -> None:
    app = app_in("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.ADMIN)
        await pilot.press("y")
        await on_screen(pilot, PatrolHoursScreen)
        screen = app.screen
        assert isinstance(screen, PatrolHoursScreen)
        year = screen.year
        await pilot.press("left_square_bracket")  # "[/] Year" in the footer
        await settle(pilot)
        assert screen.year == year - 1
        check(pilot, HOURS, "en")


@pytest.mark.parametrize("lang", LANGS)
async def test_with_a_contact_highlighted_delete_and_certificate_both_show(
    db_path: Path, lang: str
) -> None:
    from tests.screens.member_helpers import log_contact, open_member

    member_id = patrol_week(db_path)["people"]["张三"]
    log_contact(db_path, member_id, date(2026, 11, 1))
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    want = {
        "en": ["c Add contact", "Del Delete", "t Certificate"],  # only what must be shorter
        "zh_CN": ["c 新增联系", "Del 删除联系", "e 编辑", "t 证书"],
    }
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        await settle(pilot)
        assert screen.selected_contact() is not None
        check(pilot, want, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("where", ["patrol day", "my shifts"])
async def test_enter_open_is_in_the_footer_and_in_help_and_opens_the_shift(
    db_path: Path, where: str, lang: str
) -> None:
    """A volunteer linked to 张三: on the day (d) and on my shifts (m, with the calendar's x)
    the footer says Enter opens, F1 lists it, and Enter opens the shift under the cursor."""
    zhang = patrol_week(db_path)["people"]["张三"]
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    key, kind, want = SCREENS[where][0][0], SCREENS[where][1], SCREENS[where][2]
    words = {"en": "Open", "zh_CN": "打开"}[lang]
    if where == "my shifts":
        want = {
            lang: [f"Enter {words}", {"en": "x To my calendar", "zh_CN": "x 导出到我的日历"}[lang]]
        }
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.VOLUNTEER, name="zhang", user_id="u-zhang", member_id=zhang)
        await pilot.press(key)
        await on_screen(pilot, kind)
        check(pilot, want, lang)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_text = screen_text(app)
        assert re.search(rf"│\s+Enter\s+{words}\s", help_text), help_text
        await pilot.press("escape")
        await on_screen(pilot, kind)
        await pilot.press("enter")
        await on_screen(pilot, ShiftScreen)
