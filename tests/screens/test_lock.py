"""The idle lock and Ctrl+L: all covered; the same PIN goes back, someone else starts afresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from screens.dashboard.screen import DashboardScreen
from screens.manage.settings import SettingsScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.help import HelpScreen
from screens.shell.lock import LockScreen
from store.engine.database import Database
from store.settings import ops as settings
from store.users import ops as users
from tests.screens.helpers import (
    add_records,
    add_user,
    footer_text,
    log_in,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
COMMUNITY = "幸福里社区"
PHONE = "13800000001"


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture(autouse=True)
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def community(db_path: Path) -> Path:
    add_records(db_path, "settings", [{"community_name": COMMUNITY, "idle_lock_minutes": 5}])
    add_records(db_path, "members", [{"name": "张三", "phone": PHONE, "category": "retired"}])
    add_user(db_path, "wang", display_name="王芳")
    add_user(db_path, "li", "coordinator", display_name="李明", pin="1357")
    return db_path


async def logged_in(pilot: object, username: str = "wang", pin: str = "2468") -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await log_in(pilot, username, pin)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen), "dashboard")
    await settle(pilot)


async def open_settings(pilot: object) -> SettingsScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("down", "enter")  # Change log, then Settings
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen), "settings")
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    await wait_until(pilot, lambda: screen.filled, "the settings to load")
    await pilot.pause()
    return screen


def assert_no_personal_data(app: ShequApp) -> None:
    text = screen_text(app)
    for secret in (COMMUNITY, "张三", PHONE, "138****0001", "on the roster", "Settings"):
        assert secret not in text


async def test_idle_lock_keeps_the_unsaved_form_and_the_same_pin_returns(community: Path) -> None:
    clock = Clock()
    app = make_app(community, lang="en", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        settings_screen = await open_settings(pilot)
        name = settings_screen.query_one("#field-community_name-input", Input)
        assert name.has_focus
        assert name.value == COMMUNITY
        await pilot.press("end")
        await type_text(pilot, "二期")
        assert name.value == COMMUNITY + "二期"

        clock.advance(4.5)  # not yet
        await app.check_idle_lock()
        assert app.screen is settings_screen
        await pilot.press("end")  # a key: the idle time starts again
        clock.advance(4.5)
        await app.check_idle_lock()
        assert app.screen is settings_screen

        clock.advance(5)
        await app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        text = screen_text(app)
        assert "The screen is locked." in text
        assert "王芳 (Administrator) was working here." in text
        assert_no_personal_data(app)
        footer = footer_text(app)
        assert "Sections" not in footer and "Lock" not in footer
        await pilot.press("2", "f4", "ctrl+p")  # nothing else opens from here
        assert isinstance(app.screen, LockScreen)

        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: app.screen is settings_screen, "the settings form")
        assert app.current_mode == "manage"
        assert name.value == COMMUNITY + "二期"  # the unsaved edit is still there
        assert settings_screen.has_unsaved_edits()
        assert "gate" not in app._modes
    stored = settings.current(Database(community).snapshot())
    assert stored.community_name == COMMUNITY  # locking saved nothing


async def test_ctrl_l_locks_at_once_over_a_dialog(community: Path) -> None:
    app = make_app(community, lang="en", clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        assert "Ctrl+L Lock" in footer_text(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        app.notify("Saved 张三's phone " + PHONE)  # a toast must not survive the lock
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert not app._notifications
        assert_no_personal_data(app)
        app.notify("Saved 李四's phone")  # e.g. a save finishing on a hidden screen: held
        await pilot.pause()
        assert not app._notifications
        assert "李四" not in screen_text(app)
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help again")
        assert [n.message for n in app._notifications] == ["Saved 李四's phone"]


async def test_a_wrong_pin_at_the_lock_counts_toward_the_lockout(community: Path) -> None:
    app = make_app(community, lang="en", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await log_in(pilot, "wang", "0000")
        assert isinstance(app.screen, LockScreen)
        assert "Wrong username or PIN" in screen_text(app)
    user = users.find(Database(community).snapshot(), "wang")
    assert user is not None
    assert user.failed_attempts == 1


async def test_someone_else_at_the_lock_starts_afresh_after_a_warning(community: Path) -> None:
    app = make_app(community, lang="en", clock=Clock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        dashboard = app.screen
        settings_screen = await open_settings(pilot)
        await pilot.press("end")
        await type_text(pilot, "二期")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)

        await log_in(pilot, "li", "1357")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning")
        assert "王芳 has not logged out" in screen_text(app)
        await pilot.press("enter")  # the default answer is No: still locked
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "the lock again")
        assert "Still locked for 王芳." in screen_text(app)

        # As a person would: back to the user name (filled in with wang's), type over it.
        await pilot.press("shift+tab", "l", "i", "enter", *"1357", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning")
        app.notify("Saved 张三's phone")  # the first user's toast: never shown to the second
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "a dashboard")
        assert not app._notifications
        await settle(pilot)
        assert app.screen is not dashboard  # a fresh one, built for the new user
        assert not settings_screen.is_attached  # the first user's form is gone
        assert app.session.actor is not None
        assert app.session.actor.name == "li"
        assert "李明 (Coordinator)" in screen_text(app).splitlines()[0]
        await pilot.press("5")
        await settle(pilot)
        assert app.current_mode == "manage"
        assert not isinstance(app.screen, SettingsScreen)  # back at Manage's own screen
    assert settings.current(Database(community).snapshot()).community_name == COMMUNITY


async def test_no_idle_lock_before_a_login(community: Path) -> None:
    clock = Clock()
    app = make_app(community, lang="en", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clock.advance(60)
        await app.check_idle_lock()
        await pilot.press("ctrl+l")
        assert not isinstance(app.screen, LockScreen)


async def test_the_lock_minutes_come_from_the_settings(community: Path) -> None:
    settings.update(
        Database(community),
        users.authenticate(Database(community), "wang", "2468"),
        {"idle_lock_minutes": "2"},
        1,
    )
    clock = Clock()
    app = make_app(community, lang="en", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        clock.advance(1.5)
        await app.check_idle_lock()
        assert not isinstance(app.screen, LockScreen)
        clock.advance(0.6)
        await app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_a_clock_of_datetimes_works_too(community: Path) -> None:
    moments = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    app = make_app(community, lang="en", clock=lambda: moments[0])
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        moments[0] += timedelta(minutes=5, seconds=1)
        await app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
