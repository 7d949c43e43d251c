"""A key the user's role may not use says why, once, and changes nothing.

Keys for what a role can't do are hidden from the footer and help; pressed anyway (seen on a
colleague's screen, or in a printed guide) they used to do nothing at all. Now the store's
sentence is shown as a warning (tui/refused_keys.py), the same one not stacked again while it
is shown; a key refused for another reason (no row for it) still says nothing, and a letter
typed into a text field is text. Checked on screen at 80x24, in the toasts, and in the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from screens.member.detail import MemberScreen
from screens.patrols.week import PatrolsScreen
from store.actor import Role
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members
from store.patrols.reads import SHIFTS
from tests.screens.helpers import (
    SIZE,
    enter_as,
    notes,
    screen_text,
    settle,
    unwrapped,
    wait_until,
)
from tests.screens.member_helpers import open_member
from tests.screens.patrol_helpers import TODAY, open_patrols, open_shift, patrol_week, statuses_on
from tests.screens.patrol_helpers import app_for as patrol_app
from tests.screens.roster_helpers import ADMIN, add_people, move_to, open_roster
from tui.factory import make_app

CHANGE_ROSTER = {
    "en": "Only coordinators and admins can change the roster.",
    "zh": "只有协调员和管理员能修改花名册。",
}
EXPORT = {
    "en": "Only coordinators and admins can export data.",
    "zh": "只有协调员和管理员能导出数据。",
}
DELETE = "Only an admin can delete a member for good; archive instead."
CHANGE_LOG = {
    "en": "Only coordinators and admins can read the change log.",
    "zh": "只有协调员和管理员能查看修改记录。",
}
SCHEDULE = "Only coordinators and admins can change the patrol schedule."
OWN_SHIFTS = {
    "en": "You can only check in for your own shifts.",
    "zh": "您只能为自己的班次签到。",
}


def on_screen(app: App[None], sentence: str) -> bool:
    """Whether ``sentence`` is in a toast on screen (wrapped inside its border)."""
    return unwrapped(sentence) in unwrapped(screen_text(app)).replace("▌", "")


def archive(db_path: Path, member_id: str) -> None:
    db = Database(db_path)
    doc = db.snapshot().get("members", member_id)
    assert doc is not None
    members.set_status(db, ADMIN, member_id, MemberStatus.ARCHIVED, doc["version"])


def stored_members(db_path: Path) -> list[dict[str, object]]:
    return list(Database(db_path).snapshot().all("members"))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_volunteer_pressing_roster_keys_is_told_why_once(db_path: Path, lang: str) -> None:
    add_people(db_path)
    before = stored_members(db_path)
    app = make_app(db_path, lang=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        roster = await open_roster(pilot, Role.VOLUNTEER)
        await move_to(pilot, "李四")
        await pilot.press("n", "e", "n")  # add, edit, add again: one sentence for the three
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is roster  # no form, no export dialog
        assert notes(app) == [CHANGE_ROSTER[lang], EXPORT[lang]]
        assert on_screen(app, CHANGE_ROSTER[lang]) and on_screen(app, EXPORT[lang])
    assert stored_members(db_path) == before


async def test_a_letter_typed_into_the_search_is_text_not_a_refusal(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        roster = await open_roster(pilot, Role.VOLUNTEER)
        await pilot.press("slash", "n", "e")
        await settle(pilot)
        assert roster.search.value == "ne"
        assert notes(app) == []


async def test_del_on_an_archived_member_tells_a_coordinator_only_an_admin_can(
    db_path: Path,
) -> None:
    ids = add_people(db_path)
    archive(db_path, ids["王芳"])
    before = stored_members(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        roster = await open_roster(pilot, Role.COORDINATOR)
        await pilot.press("f", "left", "enter")  # status: everyone (the last answer)
        await settle(pilot)
        await move_to(pilot, "王芳")
        await pilot.press("delete")  # Del archives a current member, deletes an archived one
        await settle(pilot)
        assert app.screen is roster
        assert notes(app) == [DELETE]
    assert stored_members(db_path) == before


async def test_a_key_refused_for_the_row_not_the_role_says_nothing(db_path: Path) -> None:
    add_people(db_path)
    before = stored_members(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        roster = await open_roster(pilot, Role.ADMIN)
        await move_to(pilot, "张三丰")  # on the roster, not archived: nothing to restore
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is roster
        assert notes(app) == []
    assert stored_members(db_path) == before


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_volunteer_pressing_5_or_f6_is_told_the_section_is_not_theirs(
    db_path: Path, lang: str
) -> None:
    app = make_app(db_path, lang=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        await pilot.press("5", "f6")
        await settle(pilot)
        assert app.current_mode == "dashboard"
        assert notes(app) == [CHANGE_LOG[lang]]
        assert on_screen(app, CHANGE_LOG[lang])


async def test_the_same_refusal_is_said_again_once_its_toast_is_gone(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db_path, lang="en")
    monkeypatch.setattr(app, "NOTIFICATION_TIMEOUT", 0.2)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: not on_screen(app, CHANGE_LOG["en"]), "it to go")
        await pilot.press("5")
        await settle(pilot)
        assert notes(app) == [CHANGE_LOG["en"]]  # the first one has expired
        assert on_screen(app, CHANGE_LOG["en"])


async def test_a_volunteer_pressing_c_on_a_members_page_is_told_why(db_path: Path) -> None:
    ids = add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        page = await open_member(pilot, ids["李四"], Role.VOLUNTEER)
        await pilot.press("c", "e")
        await settle(pilot)
        assert app.screen is page and isinstance(page, MemberScreen)
        assert notes(app) == [CHANGE_ROSTER["en"]]
    assert Database(db_path).snapshot().all("contacts") == []


async def test_a_volunteer_pressing_n_on_the_week_is_told_why(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        await pilot.press("3")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PatrolsScreen) and app.screen.loaded,
            "the week",
        )
        await settle(pilot)
        week = app.screen
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is week
        assert notes(app) == [SCHEDULE]
    assert Database(db_path).snapshot().all(SHIFTS) == []


async def test_a_warning_cleared_from_the_screen_is_said_again(db_path: Path) -> None:
    """The lock clears every toast (tui/locking.py); the next refusal is then shown again."""
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("5")
        await settle(pilot)
        assert notes(app) == [CHANGE_LOG["en"]]
        assert on_screen(app, CHANGE_LOG["en"])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_c_on_a_shift_a_volunteer_is_not_on_says_only_their_own(
    db_path: Path, lang: str
) -> None:
    world = patrol_week(db_path)  # today's evening: 张三 and 李四, not 王五
    shift_id = world["shifts"][TODAY.isoformat()]
    before = statuses_on(db_path, shift_id)
    app = patrol_app(db_path, lang)
    wang = {"name": "wang", "user_id": "u-w", "member_id": world["people"]["王五"]}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        shift = await open_shift(pilot, await open_patrols(pilot, Role.VOLUNTEER, **wang), shift_id)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is shift  # no check-in dialog
        assert notes(app) == [OWN_SHIFTS[lang]]
        assert on_screen(app, OWN_SHIFTS[lang])
    assert statuses_on(db_path, shift_id) == before
