"""A coordinator's day on the roster, by keys alone and only through the screens people see.

Add a member with a Chinese name, find them by pinyin initials, open them, log a contact, edit
them, archive them and bring them back; and a second session's change is noticed, never
overwritten. Each step checks the screen and the stored data.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen
from screens.member.form import MemberFormScreen
from screens.roster.list import RosterList
from screens.roster.screen import RosterScreen
from screens.shell.dialogs import ChoiceDialog, ConfirmDialog
from store.actor import Role
from store.engine.database import Database
from tests.screens.helpers import screen_text, settle, type_text, wait_until
from tests.screens.roster_helpers import add_people, listed, open_roster
from tui.app import ShequApp
from tui.factory import make_app


def members_named(db_path: Path, name: str) -> list[Mapping[str, Any]]:
    return [m for m in Database(db_path).snapshot().all("members") if m["name"] == name]


async def back_on(pilot: Pilot[Any], screen_type: type) -> Any:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, screen_type), screen_type.__name__)
    await settle(pilot)
    return app.screen


async def test_a_member_from_first_entry_to_archive_and_back(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot, Role.COORDINATOR)

        # n: a new member, typed field by field; Ctrl+S saves and comes back to the roster.
        await pilot.press("n")
        form = await back_on(pilot, MemberFormScreen)
        await wait_until(pilot, lambda: form.filled, "the empty form")
        await type_text(pilot, "王小明")
        await pilot.press("enter", "enter")  # gender left as it is
        await type_text(pilot, "1950-05-01")
        await pilot.press("enter", "enter", "enter")  # ethnicity, education
        await type_text(pilot, "139-1234-5678")
        await pilot.press("ctrl+s")
        assert await back_on(pilot, RosterScreen) is roster
        await wait_until(pilot, lambda: "王小明" in listed(app), "the new member in the list")
        [added] = members_named(db_path, "王小明")
        assert added["phone"] == "13912345678" and added["birth_date"] == "1950-05-01"
        assert roster.list.current is not None and roster.list.current.name == "王小明"
        assert "5 members" in screen_text(app)

        # /: found by pinyin initials; Enter goes to the list, Enter again opens the member.
        await pilot.press("slash")
        await type_text(pilot, "wxm")
        await wait_until(pilot, lambda: listed(app) == ["王小明"], "wxm to find 王小明")
        await pilot.press("enter")
        assert app.focused is roster.query_one(RosterList)
        await pilot.press("enter")
        detail = await back_on(pilot, MemberScreen)
        assert "王小明" in screen_text(app) and "13912345678" in screen_text(app)

        # c: a contact, dated today (the field's default), noted in Chinese.
        await pilot.press("c")
        await back_on(pilot, ContactForm)
        await pilot.press("enter", "enter")  # today, by phone
        await type_text(pilot, "电话联系 一切安好")
        await pilot.press("enter")
        assert await back_on(pilot, MemberScreen) is detail
        [contact] = Database(db_path).snapshot().all("contacts")
        assert contact["member_id"] == added["id"] and contact["note"] == "电话联系 一切安好"
        assert contact["by"] == "test"
        await wait_until(pilot, lambda: "电话联系 一切安好" in screen_text(app), "the contact")

        # Esc: back to the roster, which shows the contact's date.
        await pilot.press("escape")
        assert await back_on(pilot, RosterScreen) is roster
        today = contact["date"]
        await wait_until(pilot, lambda: today in screen_text(app), "the last contact")

        # e: edit the grid.
        await pilot.press("e")
        form = await back_on(pilot, MemberFormScreen)
        await wait_until(pilot, lambda: form.filled, "the member in the form")
        grid = form.field("grid")
        grid.input.focus()
        await type_text(pilot, "第3网格")
        await pilot.press("ctrl+s")
        await back_on(pilot, RosterScreen)
        [edited] = members_named(db_path, "王小明")
        assert edited["grid"] == "第3网格" and edited["version"] == added["version"] + 1

        # Del: archived after asking; f shows archived members; r brings them back.
        await pilot.press("escape")  # empty the search
        await wait_until(pilot, lambda: len(listed(app)) == 5, "everyone listed again")
        assert roster.list.current is not None and roster.list.current.name == "王小明"
        await pilot.press("delete", "y")
        await wait_until(pilot, lambda: "王小明" not in listed(app), "王小明 archived")
        assert members_named(db_path, "王小明")[0]["status"] == "archived"
        await pilot.press("f")
        for _ in range(5):
            if "‹ Archived ›" in screen_text(app):
                break
            await pilot.press("right")
        await pilot.press("enter")
        await wait_until(pilot, lambda: listed(app) == ["王小明"], "the archived list")
        await pilot.press("r")
        await wait_until(pilot, lambda: listed(app) == [], "王小明 restored")
        assert members_named(db_path, "王小明")[0]["status"] == "active"


async def test_two_sessions_a_change_is_noticed_and_never_overwritten(db_path: Path) -> None:
    """Two volunteers' apps on one file: one archives while the other edits the same member."""
    add_people(db_path)
    first, second = make_app(db_path, lang="en"), make_app(db_path, lang="en")
    async with (
        first.run_test(size=(80, 24)) as one,
        second.run_test(size=(80, 24)) as two,
    ):
        await open_roster(one, Role.COORDINATOR)
        await open_roster(two, Role.COORDINATOR)
        # The first opens 李四 to edit; the second archives 李四 meanwhile.
        for pilot in (one, two):
            roster = pilot.app.screen
            assert isinstance(roster, RosterScreen)
            roster.list.focus()
            await pilot.press("home")  # 李四, 王芳, 曾国强 (Zeng), ...
            assert roster.list.current is not None and roster.list.current.name == "李四"
        await one.press("e")
        form = await back_on(one, MemberFormScreen)
        await wait_until(one, lambda: form.filled, "the member in the form")
        # The edit starts before the archive: an untouched form would take the newer version
        # when the change watcher (every second) notices it, which a slow run leaves time for.
        grid = form.field("grid")
        grid.input.focus()
        await type_text(one, "第8网格")
        await two.press("delete", "y")
        await wait_until(two, lambda: "李四" not in listed(second), "李四 archived")

        # The second app's roster noticed nothing to change; the first app's form keeps the
        # edit and meets the newer version as a conflict when saving; Cancel keeps the archive.
        first.check_for_changes()  # as the watcher would, at any moment: the edit stays
        await settle(one)
        assert grid.value.endswith("第8网格")
        await one.press("ctrl+s")
        dialog = await back_on(one, ChoiceDialog)
        assert "Someone else saved this member" in screen_text(first)
        await one.press("c")
        assert one.app.screen is not dialog
        [li] = members_named(db_path, "李四")
        assert li["status"] == "archived" and li["grid"] == "第2网格"

        # Back on the roster, the first app shows what the second did (the change watcher).
        await one.press("escape")
        await back_on(one, ConfirmDialog)  # the edit is not saved: drop it?
        await one.press("y")
        await back_on(one, RosterScreen)
        assert isinstance(first, ShequApp)
        first.check_for_changes()
        await wait_until(one, lambda: "李四" not in listed(first), "the archive noticed")
