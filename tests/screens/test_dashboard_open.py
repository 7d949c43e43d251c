"""The dashboard's lapsing lines open their record: moved through with the app's keys, Enter opens
the member's detail on the dashboard's own stack, Esc comes back to the same line; "…and N more"
opens the roster showing only the lapsing members."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.dashboard.screen import DashboardScreen, LapseLine
from screens.member.detail import MemberScreen
from screens.roster.screen import RosterScreen
from screens.widgets.scroll import TextScroll
from store.actor import Actor, Role
from store.engine.database import Database
from tests.screens.helpers import enter_as, footer_text, screen_text, settle, wait_until
from tui.app import ShequApp, make_app

SIZE = (80, 24)
SnapCompare = Callable[..., bool]


def add_lapsing(db_path: Path, people: list[tuple[str, str, int]]) -> dict[str, str]:
    """Members ``(name, phone, days since their last contact)``; their ids by name."""
    db = Database(db_path)
    today = db.today()
    ids = {}
    with db.transaction(Actor.os_user()) as tx:
        for name, phone, days in people:
            member = tx.insert("members", {"name": name, "phone": phone, "category": "retired"})
            day = (today - timedelta(days=days)).isoformat()
            tx.insert("contacts", {"member_id": member["id"], "method": "phone", "date": day})
            ids[name] = member["id"]
    return ids


@pytest.fixture
def three(db_path: Path) -> dict[str, str]:
    """张三 last reached 200 days ago (overdue), 李四 130 days ago (due), 王五 last week."""
    return add_lapsing(
        db_path,
        [("张三", "13800000001", 200), ("李四", "13912345678", 130), ("王五", "13700000000", 7)],
    )


def dashboard(app: ShequApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def focused_member(app: ShequApp) -> str | None:
    """The member id of the focused lapsing line ("" for the "…and N more" line)."""
    focused = app.screen.focused
    assert isinstance(focused, LapseLine), f"focus is on {focused!r}"
    return focused.member_id if focused.member_id is not None else ""


async def open_as(pilot: Pilot[None], role: Role) -> None:
    await enter_as(pilot, role, name=role.value, display_name=role.value.title())
    await settle(pilot)
    await wait_until(pilot, lambda: bool(pilot.app.screen.query(LapseLine)), "the lines")
    await settle(pilot)


async def test_the_first_line_is_focused_and_the_arrows_move(
    db_path: Path, three: dict[str, str]
) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as(pilot, Role.COORDINATOR)
        dashboard(app)
        assert focused_member(app) == three["张三"]  # oldest first
        assert "Enter Open" in footer_text(app)
        focused = app.screen.focused
        assert focused is not None and focused.styles.text_style.reverse  # no colour needed
        await pilot.press("down")
        assert focused_member(app) == three["李四"]
        await pilot.press("down")  # the last line: the page scrolls, the focus stays
        assert focused_member(app) == three["李四"]
        await pilot.press("k")
        assert focused_member(app) == three["张三"]
        await pilot.press("up")
        assert focused_member(app) == three["张三"]
        await pilot.press("j")
        assert focused_member(app) == three["李四"]
        await pilot.press("home")
        assert focused_member(app) == three["张三"]
        await pilot.press("end")
        assert focused_member(app) == three["李四"]
        assert "王五" not in screen_text(app)  # reached last week


async def test_enter_opens_the_member_and_esc_comes_back_to_the_line(
    db_path: Path, three: dict[str, str]
) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as(pilot, Role.ADMIN)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the detail")
        await settle(pilot)
        member = app.screen
        assert isinstance(member, MemberScreen)
        assert member.member_id == three["李四"]
        text = screen_text(app)
        assert "李四" in text and "13912345678" in text
        assert "张三" not in text
        assert app.current_mode == "dashboard"  # the dashboard's own stack
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the way back")
        await settle(pilot)
        assert focused_member(app) == three["李四"]
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the detail")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.member_id == three["张三"]


async def test_a_volunteer_opens_a_member_with_the_phone_masked(
    db_path: Path, three: dict[str, str]
) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as(pilot, Role.VOLUNTEER)
        assert "138****0001" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the detail")
        await settle(pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.member_id == three["张三"]
        text = screen_text(app)
        assert "张三" in text and "138****0001" in text
        assert "13800000001" not in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the way back")
        await settle(pilot)
        assert focused_member(app) == three["张三"]


async def test_without_lapsing_members_enter_does_nothing(db_path: Path) -> None:
    add_lapsing(db_path, [("王五", "13700000000", 7)])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        screen = dashboard(app)
        assert "Everyone has been in touch recently." in screen_text(app)
        assert not screen.query(LapseLine)
        assert isinstance(screen.focused, TextScroll)
        assert "Open" not in footer_text(app)
        await pilot.press("down", "j", "home", "end", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Everyone has been in touch recently." in screen_text(app)


async def test_a_reload_keeps_the_focus_in_place(db_path: Path, three: dict[str, str]) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as(pilot, Role.ADMIN)
        await pilot.press("down")
        assert focused_member(app) == three["李四"]
        # Someone else reaches 李四 meanwhile: the line goes, the focus stays in the list.
        db = Database(db_path)
        with db.transaction(Actor.os_user()) as tx:
            tx.insert(
                "contacts",
                {"member_id": three["李四"], "method": "visit", "date": db.today().isoformat()},
            )
        app.check_for_changes()
        await wait_until(pilot, lambda: "李四" not in screen_text(app), "the reload")
        await settle(pilot)
        assert focused_member(app) == three["张三"]
        # And 张三 too: nothing left to focus but the page, and Enter opens nothing.
        with db.transaction(Actor.os_user()) as tx:
            tx.insert(
                "contacts",
                {"member_id": three["张三"], "method": "visit", "date": db.today().isoformat()},
            )
        app.check_for_changes()
        await wait_until(
            pilot, lambda: "Everyone has been in touch" in screen_text(app), "the reload"
        )
        await settle(pilot)
        assert isinstance(app.screen.focused, TextScroll)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


@pytest.fixture
def many(db_path: Path) -> dict[str, str]:
    """Ten members out of touch: the dashboard lists eight and "…and 2 more"."""
    return add_lapsing(db_path, [(f"成员{n}", f"1380000{n:04d}", 150 + n) for n in range(10)])


async def test_the_rest_open_on_the_roster_filtered(db_path: Path, many: dict[str, str]) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as(pilot, Role.COORDINATOR)
        assert "…and 2 more" in screen_text(app)
        await pilot.press("end")
        assert focused_member(app) == ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "roster", "the roster")
        await settle(pilot)
        roster = app.screen
        assert isinstance(roster, RosterScreen)
        assert roster.filter.contact == "lapsing"
        await wait_until(pilot, lambda: len(roster.list.rows) == 10, "the ten")
        assert "Showing 10" in screen_text(app)
        # The dashboard kept its place.
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "dashboard", "the dashboard")
        assert focused_member(app) == ""


async def snapshot_lines(pilot: Pilot[Any]) -> None:
    await enter_as(pilot, Role.ADMIN, name="wang", display_name="王芳")
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)


def test_snapshot_the_focused_line(snap_compare: SnapCompare, db_path: Path) -> None:
    """The focused line reversed (no colour needed), the footer's Enter Open."""
    add_lapsing(
        db_path,
        [("张三", "13800000001", 200), ("李四", "13912345678", 130), ("王五", "13700000000", 7)],
    )
    app = make_app(db_path, lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=snapshot_lines)
