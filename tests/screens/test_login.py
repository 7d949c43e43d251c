"""Who is at the keyboard: the login gate, the shared lockout and the first admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from screens.dashboard.screen import DashboardScreen
from screens.shell.first_admin import FirstAdminForm
from screens.shell.login import LoginForm, LoginScreen
from screens.widgets.form import FormField
from screens.widgets.header import SectionHeader
from store.engine.database import Database
from store.users import ops as users
from tests.screens.helpers import (
    PIN,
    add_user,
    footer_text,
    log_in,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tui.factory import make_app

SIZE = (80, 24)
WRONG = "9999"


@pytest.fixture(autouse=True)
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed login waits 0.3 s on purpose (timing must not tell who exists); not here."""
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


async def test_starts_on_the_login_screen_with_only_help_and_quit(db_path: Path) -> None:
    add_user(db_path, "wang", display_name="王芳")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        text = screen_text(app)
        assert "Who is at the keyboard?" in text
        assert "User name" in text
        footer = footer_text(app)
        assert "Help" in footer and "Quit" in footer
        for hidden in ("Sections", "Lock", "Dashboard"):
            assert hidden not in footer
        # No section, no palette, no lock before a login; digits go to the user name field.
        await pilot.press("f3", "f6", "ctrl+l", "ctrl+p")
        await app.action_section("roster")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.current_mode == "gate"


async def test_the_file_is_read_after_the_first_frame_not_during_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(db_path, "wang")
    batches: list[int] = []
    look = LoginScreen._look_for_users

    def looking(self: LoginScreen) -> object:
        # Textual builds the first screen inside a batch (its frame is dropped); the look runs
        # once that is over, after the first frame is painted.
        batches.append(self.app._batch_count)
        return look(self)

    monkeypatch.setattr(LoginScreen, "_look_for_users", looking)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert batches == [0]
        assert isinstance(app.screen, LoginScreen) and app.screen.state == "login"


async def test_login_success(db_path: Path) -> None:
    add_user(db_path, "wang", display_name="王芳")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(pilot)
        assert app.session.actor is not None
        assert app.session.actor.name == "wang"
        assert app.screen.query_one(SectionHeader).user == "王芳 (Administrator)"
        assert "王芳 (Administrator)" in screen_text(app).splitlines()[0]
        assert "Ctrl+L Lock" in footer_text(app)
        assert "gate" not in app._modes  # the login screen is gone for good


async def test_login_failure_says_so_and_stays(db_path: Path) -> None:
    add_user(db_path, "wang")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await log_in(pilot, "wang", WRONG)
        assert isinstance(app.screen, LoginScreen)
        assert "Wrong username or PIN" in screen_text(app)
        form = app.screen.query_one(LoginForm)
        assert form.field("pin").value == ""  # emptied for the next try
        assert form.field("pin").input.has_focus
        assert form.field("username").value == "wang"
        # An unknown user gets the very same sentence.
        await log_in(pilot, "nobody", PIN)
        assert "Wrong username or PIN" in screen_text(app)
        assert app.session.actor is None


async def test_enter_moves_from_user_name_to_pin(db_path: Path) -> None:
    add_user(db_path, "wang")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = app.screen.query_one(LoginForm)
        assert form.field("username").input.has_focus
        await type_text(pilot, "wang")
        await pilot.press("enter")
        assert form.field("pin").input.has_focus
        assert form.field("pin").input.password
        await pilot.press("enter")  # no PIN yet: asks for it, checks nothing
        assert "Enter your PIN or password." in screen_text(app)


async def test_keys_typed_ahead_land_in_their_fields(db_path: Path) -> None:
    """Over a slow link "wang", Enter, the PIN and Enter arrive in one packet: the PIN must
    still go to the PIN field (never shown in clear in the user name)."""
    add_user(db_path, "wang")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in [*"wang", "enter", *PIN, "enter"]:  # all queued before any is handled
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert app.session.actor is not None
        assert app.session.actor.name == "wang"


async def test_lockout_after_five_failures_is_shared_by_two_apps(db_path: Path) -> None:
    add_user(db_path, "wang")
    first = make_app(db_path, lang="en")
    second = make_app(db_path, lang="en")
    async with first.run_test(size=SIZE) as pilot_1, second.run_test(size=SIZE) as pilot_2:
        await settle(pilot_1)
        await settle(pilot_2)
        for pilot in (pilot_1, pilot_2, pilot_1, pilot_2, pilot_1):  # five tries, two terminals
            await log_in(pilot, "wang", WRONG)
        user = users.find(Database(db_path).snapshot(), "wang")
        assert user is not None
        assert user.failed_attempts == 5
        assert user.locked_until is not None
        # The right PIN is refused now, in both sessions, saying the account is locked (only
        # someone who knows the PIN learns it: a wrong one still gets the one sentence).
        for pilot in (pilot_2, pilot_1):
            await log_in(pilot, "wang", PIN)
            assert isinstance(pilot.app.screen, LoginScreen)
            assert pilot.app.session.actor is None
            said = " ".join(screen_text(pilot.app).split())
            assert "This account is locked after 5 wrong tries." in said
            await log_in(pilot, "wang", WRONG)
            assert "Wrong username or PIN" in screen_text(pilot.app)
    # A third start later on is refused too: the lock lives in the file.
    third = make_app(db_path, lang="en")
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await log_in(pilot, "wang", PIN)
        assert isinstance(third.screen, LoginScreen)


async def test_first_admin_on_an_empty_database(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query(FirstAdminForm)
        text = screen_text(app)
        assert "No one has an account yet." in text
        form = app.screen.query_one(FirstAdminForm)
        # Bad user name, short PIN, and two entries that differ: each said under its field.
        await type_text(pilot, "Wang Fang")
        await pilot.press("enter")
        await type_text(pilot, "王芳")
        await pilot.press("enter")
        await type_text(pilot, "12")
        await pilot.press("enter")
        await type_text(pilot, "13")
        await pilot.press("enter")
        fields = {field.field: field for field in form.query(FormField)}
        assert "differ" in fields["pin_again"].error
        assert not db_path.exists()

        fields["pin_again"].value = "12"
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(fields["pin"].error), "the first check")
        assert fields["username"].error
        assert "4 to 12 digits" in fields["pin"].error
        assert "! " in screen_text(app)
        assert not db_path.exists()  # nothing written

        fields["username"].value = "wangfang"
        fields["pin"].value = fields["pin_again"].value = "2468"
        fields["pin_again"].input.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert app.session.actor is not None
        assert app.session.actor.name == "wangfang"
        assert "王芳 (Administrator)" in screen_text(app).splitlines()[0]
    # The admin is in the file and can log in with that PIN.
    accounts = users.list_users(Database(db_path).snapshot())
    assert [(u.username, u.display_name, u.role.value) for u in accounts] == [
        ("wangfang", "王芳", "admin")
    ]
    assert users.authenticate(Database(db_path), "wangfang", "2468").name == "wangfang"


async def test_first_admin_made_elsewhere_meanwhile(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = app.screen.query_one(FirstAdminForm)
        users.create_first_admin(Database(db_path), "li", "李四", "1357")  # another session
        for name, value in (("username", "wang"), ("pin", "2468"), ("pin_again", "2468")):
            form.query_one(f"#field-{name}-input", Input).value = value
        form.submit()
        await wait_until(pilot, lambda: bool(app.screen.query(LoginForm)), "the login form")
        assert "already exists" in screen_text(app)
        await log_in(pilot, "li", "1357")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")


async def test_ctrl_q_quits_the_login_screen(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
