"""The users screen (Manage, admins): every action by keys, checked on screen and in the store.

Each action is the store call the CLI makes, so the store's rules (the last admin, one's own
account) and the change log hold here too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.manage.account_forms import AddAccountForm, EditAccountForm, SecretForm
from screens.manage.users import AccountActions, UsersScreen
from screens.shell.dialogs import ConfirmDialog
from store.actor import Role
from store.engine import audit, audit_format
from store.engine.database import Database
from store.errors import LoginFailed
from store.users import ops as users
from tests.screens.account_helpers import community, highlight, open_users, row_of, stored
from tests.screens.helpers import (
    PIN,
    screen_lines,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tui.factory import make_app

SIZE = (80, 24)
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _fast_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


def lock_out(db_path: Path, username: str) -> None:
    for _n in range(users.MAX_ATTEMPTS):
        with pytest.raises(LoginFailed):
            users.authenticate(Database(db_path), username, "0000")


async def test_lists_role_member_last_login_and_state(db_path: Path) -> None:
    community(db_path)
    lock_out(db_path, "xiao")
    users.authenticate(Database(db_path), "li.ming", PIN)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_users(pilot)
        text = screen_text(app)
        assert "4 accounts · 1 locked · 1 disabled" in text
        assert "User name" in text and "Last login" in text
        assert "李四" in row_of(app, "li.ming") and "Coordinator" in row_of(app, "li.ming")
        login = stored(db_path, "li.ming")["last_login"]
        assert login[:10] in row_of(app, "li.ming")
        assert "never logged in" in row_of(app, "admin")
        assert "Locked until" in row_of(app, "xiao")
        assert "Disabled" in row_of(app, "old")
        assert all(len(line) <= 80 for line in screen_lines(app))


async def test_add_an_account_linked_to_a_member_found_by_pinyin(db_path: Path) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_users(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddAccountForm)
        for text in ("Wang.Wu", "王五"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.press("left", "enter")  # Volunteer -> Coordinator
        for text in ("13579", "13579"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await type_text(pilot, "zs")
        await settle(pilot)
        assert "张三  1958" in screen_text(app) and "张山  1960" in screen_text(app)
        await pilot.press("down")  # the second match
        assert "13579" not in screen_text(app)  # never shown
        await pilot.press("enter")  # Enter on the last field saves
        await wait_until(pilot, lambda: isinstance(app.screen, UsersScreen), "the form to close")
        await settle(pilot)
        assert "Added wang.wu." in [n.message for n in app._notifications]
        assert "张山" in row_of(app, "wang.wu") and "Coordinator" in row_of(app, "wang.wu")
    record = stored(db_path, "wang.wu")
    assert (record["display_name"], record["role"], record["member_id"]) == (
        "王五",
        "coordinator",
        ids["张山"],
    )
    assert users.authenticate(Database(db_path), "wang.wu", "13579").role is Role.COORDINATOR
    log = audit.read(db_path.with_name("shequ.json.audit.jsonl"))
    added = [e for e in log if e["op"] == "insert"]
    assert added[-1]["who"] == "test" and added[-1]["after"]["pin_hash"] == audit_format.REDACTED


async def test_entries_that_differ_and_bad_fields_save_nothing(db_path: Path) -> None:
    community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_users(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "admin")  # taken
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "! The two entries differ; type it again." in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await type_text(pilot, "nobody here")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "! No member matches; empty the field to link nobody." in screen_text(app)
        await pilot.press("ctrl+u", "ctrl+s")
        await settle(pilot)
        assert "! That user name is already taken." in screen_text(app)
        assert isinstance(app.screen, AddAccountForm)
        await pilot.press("escape")  # something typed: asks first
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
    assert len(Database(db_path).snapshot().all("users")) == 4


async def test_a_new_pin_lifts_the_lock(db_path: Path) -> None:
    community(db_path)
    lock_out(db_path, "xiao")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_users(pilot)
        await highlight(pilot, screen, "xiao")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, SecretForm)
        assert "A new PIN or password for xiao" in screen_text(app)
        await type_text(pilot, "8642")
        await pilot.press("enter")
        await type_text(pilot, "8642")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert "New PIN or password set for xiao." in [n.message for n in app._notifications]
        assert "Locked" not in row_of(app, "xiao")
    assert users.authenticate(Database(db_path), "xiao", "8642").name == "xiao"


async def test_disable_asks_first_and_enable_does_not(db_path: Path) -> None:
    community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_users(pilot)
        await highlight(pilot, screen, "xiao")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Disable the account xiao?" in screen_text(app)
        await pilot.press("enter")  # the safe answer has the focus: keep it
        await settle(pilot)
        assert not stored(db_path, "xiao")["disabled"]
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: stored(db_path, "xiao")["disabled"], "the store")
        await settle(pilot)
        assert "Disabled" in row_of(app, "xiao")
        with pytest.raises(LoginFailed):
            users.authenticate(Database(db_path), "xiao", PIN)
        await pilot.press("d")  # enabling loses nothing: no question
        await wait_until(pilot, lambda: not stored(db_path, "xiao")["disabled"], "the store")
        await settle(pilot)
        assert "Disabled" not in row_of(app, "xiao")


async def test_unlock_from_the_list_of_actions(db_path: Path) -> None:
    community(db_path)
    lock_out(db_path, "xiao")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_users(pilot)
        await highlight(pilot, screen, "xiao")
        await pilot.press("enter")
        assert isinstance(app.screen, AccountActions)
        assert "u  Unlock: let them try again now" in screen_text(app)
        await pilot.press("u")
        await wait_until(pilot, lambda: stored(db_path, "xiao")["locked_until"] is None, "unlock")
        await settle(pilot)
        assert "xiao may try again now." in [n.message for n in app._notifications]
        assert "Locked" not in row_of(app, "xiao")
        await highlight(pilot, screen, "admin")
        await pilot.press("enter")
        assert "Unlock" not in screen_text(app)  # nothing to lift
        await pilot.press("escape")
        assert app.screen is screen
    assert users.authenticate(Database(db_path), "xiao", PIN).name == "xiao"


async def test_change_the_role(db_path: Path) -> None:
    community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_users(pilot)
        await highlight(pilot, screen, "xiao")
        await pilot.press("r")
        form = app.screen
        assert isinstance(form, EditAccountForm)
        assert form.focused is form.field("role").input
        await pilot.press("home", "ctrl+s")  # Administrator
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert "Administrator" in row_of(app, "xiao")
    assert stored(db_path, "xiao")["role"] == "admin"


async def test_the_store_refuses_oneself_and_the_last_admin(db_path: Path) -> None:
    community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_users(pilot, log_in_as="admin")
        await highlight(pilot, screen, "admin")
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: bool(app._notifications), "the refusal")
        assert [n.message for n in app._notifications][-1] == (
            "You cannot disable your own account."
        )
        await pilot.press("r", "right", "ctrl+s")
        await wait_until(pilot, lambda: "your own role" in screen_text(app), "the refusal")
        assert isinstance(app.screen, EditAccountForm)
    assert stored(db_path, "admin")["role"] == "admin"
    assert not stored(db_path, "admin")["disabled"]


async def test_fits_80x24_in_chinese(db_path: Path) -> None:
    community(db_path)
    lock_out(db_path, "xiao")
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_users(pilot)
        text = screen_text(app)
        assert "用户名" in text and "最近登录" in text
        assert "锁定至" in row_of(app, "xiao") and "已停用" in row_of(app, "old")
        assert "从未登录" in row_of(app, "admin")
        footer = screen_lines(app)[-1]
        assert "n 添加" in footer and "Esc 返回" in footer and "Ctrl+Q 退出" in footer
        await pilot.press("n")
        await settle(pilot)
        assert "密码" in screen_text(app) and "关联党员" in screen_text(app)


def test_snapshot(snap_compare: SnapCompare, db_path: Path) -> None:
    community(db_path)

    async def shown(pilot: Pilot[Any]) -> None:
        await open_users(pilot)

    app = make_app(db_path, lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=shown)


async def test_an_untouched_dialog_closes_at_once_and_problems_are_said_on_the_line(
    db_path: Path,
) -> None:
    """The account dialogs follow every form dialog's rules: Esc asks only when something was
    typed (an edit form opened and left untouched closes at once, nothing saved), and what is
    found before the store is asked is marked at its field with the line saying so."""
    community(db_path)
    before = stored(db_path, "xiao")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_users(pilot)
        await highlight(pilot, screen, "xiao")
        await pilot.press("r")
        assert isinstance(app.screen, EditAccountForm)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen  # no question: nothing was typed
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, SecretForm)
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "! The two entries differ; type it again." in text
        assert "Nothing was saved: please correct the fields marked with !" in text
    assert stored(db_path, "xiao") == before
