"""No lost keys: what is typed while a screen or dialog opens reaches it, in order, everywhere.

Each test types the key that opens a screen and what follows it as one burst (the way a slow
link or a fast typist delivers them: ``type_text`` sends them together, without waiting), then
checks both the screen and the stored data. tui/typeahead.py is the one mechanism behind it.
"""

from __future__ import annotations

from pathlib import Path
from time import monotonic
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from screens.manage.account_forms import AddAccountForm
from screens.manage.audit_filter import AuditFilterDialog
from screens.manage.settings import SettingsScreen
from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen
from screens.member.form import MemberFormScreen
from screens.roster.screen import RosterScreen
from screens.shell.help import HelpScreen
from screens.shell.lock import LockScreen
from screens.shell.login import LoginForm
from screens.transfer.exporting import ExportDialog
from screens.transfer.importing import ImportScreen
from screens.widgets.form import FormField
from store.actor import Role
from store.engine.database import Database
from store.users import ops as users
from tests.screens.helpers import (
    PIN,
    add_records,
    add_user,
    enter_as,
    log_in,
    settle,
    type_text,
    wait_until,
)
from tui import typeahead
from tui.factory import make_app
from tui.typeahead import HOLD_LIMIT

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def community(db_path: Path) -> Path:
    add_records(db_path, "settings", [{"community_name": "幸福里"}])
    add_records(db_path, "members", [{"name": "张三", "search_keys": ["张三", "zhangsan", "zs"]}])
    add_user(db_path, "wang", Role.ADMIN, display_name="王芳")
    return db_path


def field_value(screen: Any, name: str) -> str:
    return str(next(f for f in screen.query(FormField) if f.field == name).value)


async def on_roster(pilot: Pilot[Any]) -> RosterScreen:
    await enter_as(pilot, Role.ADMIN, name="wang")
    await settle(pilot)
    await type_text(pilot, "2")
    screen = pilot.app.screen
    assert isinstance(screen, RosterScreen)
    return screen


async def test_the_pin_then_a_section_key(community: Path) -> None:
    """User name, Enter, PIN, Enter and 2 in one packet: the 2 goes to the app, not the PIN."""
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, f"wang\r{PIN}\r2")
        await wait_until(pilot, lambda: app.current_mode == "roster", "the roster")
        assert isinstance(app.screen, RosterScreen)


async def test_a_section_then_a_search(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN, name="wang")
        await type_text(pilot, "2/zs")
        roster = app.screen
        assert isinstance(roster, RosterScreen)
        assert roster.search.value == "zs"


async def test_keys_held_for_a_loading_section_go_once_it_is_whole(
    community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held keys wake when the screen says it is whole, not at the queue's next look (made
    three seconds long here; it is 20 ms)."""
    import time

    from screens.roster.browse import RosterBrowse

    prepare = RosterBrowse.prepare

    def slowly(self: RosterBrowse, snapshot: Any) -> Any:
        time.sleep(0.3)  # a big roster's first read
        return prepare(self, snapshot)

    monkeypatch.setattr(RosterBrowse, "prepare", slowly)
    monkeypatch.setattr(typeahead, "READY_POLL", 3.0)
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN, name="wang")
        await settle(pilot)
        began = monotonic()
        await type_text(pilot, "2/zs")
        roster = app.screen
        assert isinstance(roster, RosterScreen) and roster.search.value == "zs"
        assert monotonic() - began < 3.0


async def test_enter_on_a_member_then_c_and_a_contact(community: Path) -> None:
    """The issue's example: open the member, c, a date, Enter, Enter, a note, Enter: saved."""
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await on_roster(pilot)
        await type_text(pilot, "\rc2026-01-05\r\r上门看望\r")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the contact saved")
        await settle(pilot)
    [contact] = Database(community).snapshot().all("contacts")
    assert (contact["date"], contact["method"], contact["note"]) == (
        "2026-01-05",
        "phone",
        "上门看望",
    )


async def test_new_and_edit_forms_take_what_was_typed(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await on_roster(pilot)
        await type_text(pilot, "n李四")
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        assert field_value(form, "name") == "李四"  # not overwritten when the form was filled
        await type_text(pilot, "\x1by")  # Esc, and yes, drop it
        await type_text(pilot, "\re丰")
        edit = app.screen
        assert isinstance(edit, MemberFormScreen)
        assert field_value(edit, "name") in ("张三丰", "丰")  # after or over the stored name


async def test_dialogs_opened_from_the_roster(community: Path, tmp_path: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        roster = await on_roster(pilot)
        started = monotonic()
        await type_text(pilot, "f\x1bj")  # the filter dialog opens, Esc closes it, j moves on
        assert app.screen is roster
        assert monotonic() - started < HOLD_LIMIT / 2  # a closed dialog holds nothing back
        await type_text(pilot, "x ")  # the export dialog: Space picks the next format
        export = app.screen
        assert isinstance(export, ExportDialog) and export.fmt == "xlsx"
        await type_text(pilot, "\x1b")
        await type_text(pilot, f"i{tmp_path}/花名册.csv")
        importing = app.screen
        assert isinstance(importing, ImportScreen)
        assert field_value(importing, "path") == f"{tmp_path}/花名册.csv"


async def test_manage_screens_and_their_dialogs(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN, name="wang")
        await type_text(pilot, "5\rfwang")  # Manage, the change log, its filter, a name
        dialog = app.screen
        assert isinstance(dialog, AuditFilterDialog)
        assert field_value(dialog, "who") == "wang"
        await type_text(pilot, "\x1b\x1bj\r社区")  # back twice, the settings, more of a name
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        assert field_value(settings, "community_name") == "幸福里社区"
        await type_text(pilot, "\x1by\x1bj\rnli.si")  # drop it; the users; a new account
        add = app.screen
        assert isinstance(add, AddAccountForm)
        assert field_value(add, "username") == "li.si"


async def test_help_and_the_palette(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN, name="wang")
        await settle(pilot)
        await type_text(pilot, "?\x1b2")  # help opens and closes; then the roster
        assert app.current_mode == "roster" and not isinstance(app.screen, HelpScreen)
        await type_text(pilot, "\x10zhangsan\r")  # the palette, a name, Enter: the member
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)


async def test_keys_before_the_lock_never_reach_it(community: Path) -> None:
    """c, a date and Ctrl+L in one packet: the lock falls at once, and the digits typed for
    the dialog are dropped: neither in the lock's PIN field nor replayed behind it. What is
    typed after Ctrl+L is the lock's: the PIN and Enter bring the person back."""
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await log_in(pilot, "wang")  # the lock knows the account, not a test actor
        await type_text(pilot, "2\r")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        await type_text(pilot, "c2026\x0c")
        lock = app.screen
        assert isinstance(lock, LockScreen)
        assert lock.query_one(LoginForm).field("pin").value == ""
        await type_text(pilot, f"{PIN}\r")
        await wait_until(pilot, lambda: not isinstance(app.screen, LockScreen), "the unlock")
        await settle(pilot)
        assert app.current_mode == "roster"
        if isinstance(app.screen, ContactForm):  # c had opened it before the lock fell
            assert field_value(app.screen, "date") == Database(community).today().isoformat()
        else:
            assert isinstance(app.screen, MemberScreen)
    assert not Database(community).snapshot().all("contacts")
