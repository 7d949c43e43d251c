"""The settings form: Ctrl+S saves through the store, problems show under their fields, Esc asks
before dropping edits, and a save that meets someone else's is resolved by the person."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from screens.manage.screen import ManageScreen
from screens.manage.settings import SettingsScreen
from screens.shell.dialogs import ChoiceDialog, ConfirmDialog
from screens.widgets.form import FormField
from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import Category
from store.settings import ops as settings
from store.settings.model import Settings
from tests.screens.helpers import add_records, enter_as, screen_text, settle, wait_until
from tui.factory import make_app

SIZE = (80, 24)
OTHER_ADMIN = Actor("zhao", Role.ADMIN, user_id="id-zhao")


def stored(db_path: Path) -> Settings:
    return settings.current(Database(db_path).snapshot())


async def open_settings(pilot: Pilot[None]) -> SettingsScreen:
    await enter_as(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("down", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    await wait_until(pilot, lambda: screen.filled, "the settings")
    return screen


def field(screen: SettingsScreen, name: str) -> FormField:
    return next(f for f in screen.query(FormField) if f.field == name)


async def retype(pilot: Pilot[None], screen: SettingsScreen, name: str, text: str) -> None:
    """Move to the field with the keyboard, clear it and type ``text``."""
    target = field(screen, name).input
    target.focus()
    await pilot.press("end", "ctrl+u", *text)
    assert target.value == text


async def test_ctrl_s_saves(db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里"}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_settings(pilot)
        assert field(screen, "community_name").value == "幸福里"
        assert field(screen, "yearly_hours.retired").value == "32"
        await retype(pilot, screen, "community_name", "幸福里社区")
        await retype(pilot, screen, "yearly_hours.retired", "24.5")
        await retype(pilot, screen, "idle_lock_minutes", "10")
        assert screen.has_unsaved_edits()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.saving, "the save")
        await settle(pilot)
        assert "Settings saved." in [n.message for n in app._notifications]
        assert not screen.has_unsaved_edits()
        assert screen.version == 2
    saved = stored(db_path)
    assert saved.community_name == "幸福里社区"
    assert saved.hours_for(Category.RETIRED) == 24.5
    assert saved.idle_lock_minutes == 10


async def test_bad_fields_are_said_under_each_and_nothing_is_saved(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, screen, "yearly_hours.in_service", "lots")
        await retype(pilot, screen, "contact_warn_days", "200")  # after the overdue 180
        await retype(pilot, screen, "idle_lock_minutes", "0")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.saving, "the save")
        errors = {f.field: f.error for f in screen.query(FormField) if f.error}
        assert set(errors) == {"yearly_hours.in_service", "contact_warn_days", "idle_lock_minutes"}
        assert "before" in errors["contact_warn_days"]
        text = screen_text(app)
        assert "! The warning must come before" in text  # under its field, marked with "!"
        assert "Nothing was saved" in text
        assert field(screen, "yearly_hours.in_service").input.has_focus  # the first problem
        assert screen.has_unsaved_edits()
    assert stored(db_path).version == 0  # still the defaults: nothing was written
    assert not db_path.exists()


async def test_esc_asks_before_dropping_edits(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, screen, "community_name", "新名字")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "not saved" in screen_text(app)
        await pilot.press("enter")  # the default is No: keep editing
        assert app.screen is screen
        assert field(screen, "community_name").value == "新名字"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, ManageScreen)
    assert not db_path.exists()


async def test_ctrl_q_asks_first_when_a_form_holds_edits(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, screen, "community_name", "新名字")
        await pilot.press("1")  # the form is in another section now: still counts
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_someone_saved_meanwhile_reload_or_overwrite(db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里"}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, screen, "community_name", "我的名字")
        settings.update(Database(db_path), OTHER_ADMIN, {"community_name": "他的名字"}, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the question")
        assert "Someone else saved the settings" in screen_text(app)
        await pilot.press("r")  # reload theirs
        await pilot.pause()
        assert app.screen is screen
        assert field(screen, "community_name").value == "他的名字"
        assert not screen.has_unsaved_edits()

        await retype(pilot, screen, "community_name", "我的名字")
        settings.update(Database(db_path), OTHER_ADMIN, {"community_name": "又一个"}, 2)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the question")
        await pilot.press("escape")  # cancel: nothing saved, edits kept
        await pilot.pause()
        assert field(screen, "community_name").value == "我的名字"
        assert stored(db_path).community_name == "又一个"

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the question")
        await pilot.press("o")  # overwrite theirs
        await wait_until(pilot, lambda: app.screen is screen and not screen.saving, "the save")
        await settle(pilot)
    assert stored(db_path).community_name == "我的名字"


async def test_the_form_fits_80x24_with_an_ime_caret(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        text = screen_text(app)
        for label in ("Community name", "Other", "Lock after (idle minutes)", "Ctrl+S Save"):
            assert label in text
        name = screen.query_one("#field-community_name-input", Input)
        await pilot.press(*"社区")
        await pilot.pause()
        # The terminal cursor follows the caret (the IME's candidate window goes there).
        assert name.value == "社区"
        assert app.cursor_position == name.cursor_screen_offset
        assert app.cursor_position.y == name.region.y
        assert app.cursor_position.x >= name.region.x + 4  # past two double-width characters


async def test_low_bandwidth_for_every_session_is_a_setting(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved as yes/no; the command reads it before Textual starts, for the next session."""
    from tui.cli.main import _low_bandwidth_setting, _opened
    from tui.env import apply_terminal_defaults

    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert field(screen, "low_bandwidth").value == "No"
        await retype(pilot, screen, "low_bandwidth", "maybe")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.saving, "the refusal")
        await settle(pilot)
        assert not stored(db_path).low_bandwidth
        await retype(pilot, screen, "low_bandwidth", "yes")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.saving and screen.version == 1, "the save")
    assert stored(db_path).low_bandwidth
    assert _low_bandwidth_setting(_opened(db_path))
    environ: dict[str, str] = {}
    monkeypatch.setattr("os.environ", environ)
    assert apply_terminal_defaults(environ, low_bandwidth=_low_bandwidth_setting(_opened(db_path)))
    assert environ["SHEQU_LOW_BANDWIDTH"] == "1" and environ["TEXTUAL_COLOR_SYSTEM"] == "standard"


async def test_low_bandwidth_mode_draws_no_scroll_bars(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screens.roster.list import RosterList

    add_records(db_path, "members", [{"name": f"会员{i:03d}"} for i in range(60)])
    for low in ("0", "1"):
        monkeypatch.setenv("SHEQU_LOW_BANDWIDTH", low)
        app = make_app(db_path, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await enter_as(pilot)
            await pilot.press("2")
            await settle(pilot)
            listing = app.screen.query_one(RosterList)
            assert app.has_class("-low-bandwidth") is (low == "1")
            assert listing.scrollbar_size_vertical == (0 if low == "1" else 1)
            heading = app.screen.query_one("RosterHeading")  # its columns over the list's
            assert heading.content_region.right == listing.scrollable_content_region.right


async def test_training_settings(db_path: Path) -> None:
    """Certificate warning days, the certificate each duty needs (a kind by name) and the last
    closed year are saved from the form (issue 11)."""
    from store.settings.ops import current

    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, screen, "certificate_warn_days", "45")
        await retype(pilot, screen, "duty_certificates.patrol", "消防")
        await retype(pilot, screen, "duty_certificates.patrol_leader", "")
        await retype(pilot, screen, "closed_year", "2025")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.saving, "the save")
    saved = current(Database(db_path).snapshot())
    assert saved.certificate_warn_days == 45
    assert saved.duty_certificates == {"patrol_leader": "", "patrol": "safety"}
    assert saved.closed_year == 2025
