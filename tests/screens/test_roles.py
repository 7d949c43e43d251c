"""Roles in the UI: sections and keys follow the role; forced actions are refused in words."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from screens.dashboard.screen import DashboardScreen
from screens.manage.audit import AuditScreen
from screens.manage.screen import ManageScreen
from screens.manage.settings import SettingsScreen
from screens.widgets.menu import MenuList
from store.actor import Actor, Role
from store.engine.database import Database
from tests.screens.helpers import enter_as, footer_text, screen_text, settle
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
PHONE = "13800000001"


@pytest.fixture
def lapsing(db_path: Path) -> Path:
    """张三 last reached 200 days ago (overdue), 李四 130 days ago (due), 王五 last week."""
    db = Database(db_path)
    today = db.today()
    with db.transaction(Actor.os_user()) as tx:
        for name, phone, category, days in (
            ("张三", PHONE, "retired", 200),
            ("李四", "13912345678", "mobile_out", 130),
            ("王五", "13700000000", "in_service", 7),
        ):
            member = tx.insert("members", {"name": name, "phone": phone, "category": category})
            contact = {"member_id": member["id"], "method": "phone"}
            tx.insert("contacts", contact | {"date": (today - timedelta(days=days)).isoformat()})
    return db_path


async def as_role(pilot: Pilot[None], role: Role) -> None:
    await enter_as(pilot, role, name=role.value, display_name=role.value.title())
    await settle(pilot)


async def test_a_volunteer_sees_masked_phones_on_the_dashboard(lapsing: Path) -> None:
    app = make_app(lapsing, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await as_role(pilot, Role.VOLUNTEER)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "138****0001" in text
        assert PHONE not in text
        lines = {
            name: line.strip()
            for line in text.splitlines()
            for name in ("张三", "李四")
            if name in line
        }
        # The state in signs as well as words, never by colour alone.
        assert lines["张三"].startswith("!!  Overdue")
        assert lines["李四"].startswith("!   Due soon")
        assert "Overdue" in lines["张三"] and "200 days" in lines["张三"]
        assert "Retired" in lines["张三"]
        assert "Due soon" in lines["李四"] and "130 days" in lines["李四"]
        assert "王五" not in text  # reached last week
        # Oldest first.
        assert text.index("张三") < text.index("李四")


async def test_a_coordinator_sees_whole_phones(lapsing: Path) -> None:
    app = make_app(lapsing, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await as_role(pilot, Role.COORDINATOR)
        assert PHONE in screen_text(app)


async def test_a_volunteer_has_no_section_5_and_a_forced_one_is_refused(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await as_role(pilot, Role.VOLUNTEER)
        assert isinstance(app, ShequApp)
        assert [s.mode for s in app.sections] == ["dashboard", "roster", "patrols", "training"]
        footer = footer_text(app)
        assert "1-4 Sections" in footer
        assert "5" not in footer and "Manage" not in footer
        await pilot.press("5", "f6")
        assert app.current_mode == "dashboard"
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Manage" not in commands
        await pilot.press("f1")
        assert "Manage" not in screen_text(app)
        await pilot.press("escape")

        await app.action_section("manage")  # forced, as a palette command would
        await pilot.pause()
        assert app.current_mode == "dashboard"
        assert [n.message for n in app._notifications] == [
            "Only coordinators and admins can read the change log."
        ]


async def test_a_coordinator_manages_the_change_log_but_not_settings(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await as_role(pilot, Role.COORDINATOR)
        await pilot.press("5")
        await settle(pilot)
        manage = app.screen
        assert isinstance(manage, ManageScreen)
        menu = manage.query_one(MenuList)
        assert [option.id for option in menu.options] == ["audit"]
        assert "Settings" not in screen_text(app)

        manage.action_open("settings")  # forced
        manage.action_open("users")
        await pilot.pause()
        assert app.screen is manage
        assert [n.message for n in app._notifications] == [
            "Only an admin can change settings.",
            "Only an admin can manage user accounts.",
        ]

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)


async def test_an_admin_manages_both(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await as_role(pilot, Role.ADMIN)
        await pilot.press("f6")
        await settle(pilot)
        menu = app.screen.query_one(MenuList)
        assert [option.id for option in menu.options] == ["audit", "settings", "users"]
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")  # nothing edited: straight back
        await pilot.pause()
        assert isinstance(app.screen, ManageScreen)
