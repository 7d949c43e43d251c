"""No first-come admin: the app makes the first administrator only on an empty database.

A database that already holds members but has no account shows how to add the first admin on
the server and lets nobody in; once the server added one, the login form appears by itself.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from screens.dashboard.screen import DashboardScreen
from screens.shell.first_admin import FirstAdminForm
from screens.shell.login import LoginForm, LoginScreen
from store.actor import Actor
from store.engine.database import Database
from store.members import ops as members
from store.users import ops as users
from tests.screens.helpers import add_records, log_in, screen_text, settle, wait_until
from tui.factory import make_app

SIZE = (80, 24)
PHONE = "13800000001"


def no_form(app: object) -> bool:
    from textual.app import App

    assert isinstance(app, App)
    return not app.screen.query(FirstAdminForm) and not app.screen.query(LoginForm)


async def test_a_database_with_members_and_no_account_lets_nobody_in(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "张三", "phone": PHONE}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert no_form(app)
        text = screen_text(app).replace("\n", " ")
        assert "has no account yet" in text
        assert "shequ users add NAME --role admin" in " ".join(text.split())
        await pilot.press(*"admin", "enter", *"1234", "enter", "2", "f3", "ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and no_form(app)
        assert app.session.actor is None
        assert PHONE not in screen_text(app)

        # On the server: shequ users add admin --role admin. The app notices the change.
        users.add_user(
            Database(db_path),
            Actor.os_user(),
            username="admin",
            display_name="",
            role="admin",
            secret="1234",
        )
        app.check_for_changes()
        await wait_until(pilot, lambda: bool(app.screen.query(LoginForm)), "the login form")
        await log_in(pilot, "admin", "1234")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    assert [u.username for u in users.list_users(Database(db_path).snapshot())] == ["admin"]


async def test_members_arriving_while_the_first_admin_is_typed(db_path: Path) -> None:
    """The form was shown on an empty file; an import landed before Ctrl+S: refused."""
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = app.screen.query_one(FirstAdminForm)
        members.add(Database(db_path), Actor.os_user(), {"name": "张三", "phone": PHONE})
        for name, value in (("username", "wang"), ("pin", "2468"), ("pin_again", "2468")):
            form.query_one(f"#field-{name}-input", Input).value = value
        form.submit()
        await wait_until(pilot, lambda: no_form(app), "the server's way")
        assert "has no account yet" in screen_text(app).replace("\n", " ")
        assert app.session.actor is None
    assert not users.has_users(Database(db_path).snapshot())


async def test_in_chinese(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "张三"}])
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "还没有账号" in screen_text(app)


async def test_keys_wait_while_the_first_admin_is_saved(db_path: Path) -> None:
    """Keys typed after Enter on the last field wait for the save (tui/typeahead.py), as they
    do after the login's PIN: they belong to the dashboard it opens."""
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        form = screen.query_one(FirstAdminForm)
        assert screen.accepts_keys()
        form.saving = True
        assert not screen.accepts_keys()
        form.saving = False
        assert screen.accepts_keys()
