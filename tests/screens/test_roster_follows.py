"""The roster screen after another session's save (issue 23): followed, kept as it was, and only
the lines that changed repainted.

A second Database on the same real file plays the other session. The app's change watcher is
run at once (``check_for_changes``) instead of waiting its second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import screens.roster.following
from screens.roster.list import RosterList
from store.actor import Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import screen_text, settle, type_text, wait_until
from tests.screens.test_roster import ADMIN, listed, open_roster
from tui.factory import make_app

NAMES = [f"王{'一二三四五六七八九十'[i % 10]}{i:02d}" for i in range(30)]  # all 王: Wang


def add_many(db_path: Path) -> None:
    db = Database(db_path)
    for i, name in enumerate(NAMES):
        members.add(db, ADMIN, {"name": name, "phone": f"1380000{i:04d}"})


async def test_a_member_added_elsewhere_below_the_view_repaints_no_line_in_view(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_many(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot, Role.COORDINATOR)
        await pilot.press("down", "down")
        cursor = roster.list.current
        assert cursor is not None
        painted: list[Any] = []
        builds: list[int] = []
        real_build = screens.roster.following.build_roster

        def counting(*args: Any) -> Any:
            builds.append(1)
            return real_build(*args)

        monkeypatch.setattr(screens.roster.following, "build_roster", counting)
        monkeypatch.setattr(RosterList, "refresh", lambda self, *a, **k: painted.append("all"))
        monkeypatch.setattr(RosterList, "refresh_line", lambda self, y: painted.append(y))

        members.add(Database(db_path), ADMIN, {"name": "章子怡"})  # Zhang: after every Wang
        app.check_for_changes()
        await wait_until(pilot, lambda: "Showing 31" in screen_text(app), "the new member")
        await settle(pilot)

        assert builds == []  # the roster followed the change: no rows built again
        in_view = roster.list.scrollable_content_region.height
        assert len(listed(app)) == 31 and listed(app)[-1] == "章子怡"
        assert all(isinstance(y, int) and y >= in_view for y in painted), painted
        assert roster.list.current == cursor  # the cursor stayed on the same member


async def test_the_search_and_the_cursor_stay_when_a_member_is_edited_elsewhere(
    db_path: Path,
) -> None:
    add_many(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot, Role.COORDINATOR)
        roster.search.focus()
        await type_text(pilot, "wang")
        await wait_until(pilot, lambda: "Showing 30" in screen_text(app), "the search")
        roster.list.focus()
        await pilot.press("down", "down", "down")
        cursor = roster.list.current
        assert cursor is not None
        other = Database(db_path)
        doc = other.snapshot().get("members", cursor.id)
        assert doc is not None
        members.update(other, ADMIN, cursor.id, {"phone": "13999999999"}, doc["version"])
        app.check_for_changes()
        await wait_until(pilot, lambda: "13999999999" in screen_text(app), "the new phone")
        assert roster.search.value == "wang"
        current = roster.list.current
        assert current is not None and current.id == cursor.id
