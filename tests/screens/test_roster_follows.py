"""The roster screen after another session's save (issue 23): followed, kept as it was, and only
the lines that changed repainted.

A second Database on the same real file plays the other session. The app's change watcher is
run at once (``check_for_changes``) instead of waiting its second.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.scrollbar import ScrollBar

import screens.roster.following
from screens.roster.list import RosterList
from screens.roster.screen import RosterScreen
from store.actor import Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import add_records, screen_text, settle, spy, type_text, wait_until
from tests.screens.roster_helpers import ADMIN, add_people, listed, open_roster
from tui.app import ShequApp
from tui.factory import make_app

NAMES = [f"王{'一二三四五六七八九十'[i % 10]}{i:02d}" for i in range(30)]  # all 王: Wang


def add_many(db_path: Path) -> None:
    db = Database(db_path)
    for i, name in enumerate(NAMES):
        members.add(db, ADMIN, {"name": name, "phone": f"1380000{i:04d}"})


@asynccontextmanager
async def on_the_roster(db_path: Path) -> AsyncIterator[tuple[ShequApp, Pilot[Any], RosterScreen]]:
    """The app at 80x24 in English, a coordinator on the loaded roster."""
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        yield app, pilot, await open_roster(pilot, Role.COORDINATOR)


def added_elsewhere(app: ShequApp, *names: str) -> None:
    """Members added by another session on the same file; the app's watcher told at once."""
    other = Database(app.db.path)
    for name in names:
        members.add(other, ADMIN, {"name": name})
    app.check_for_changes()


async def test_a_member_added_elsewhere_below_the_view_repaints_no_line_in_view(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_many(db_path)
    async with on_the_roster(db_path) as (app, pilot, roster):
        await pilot.press("down", "down")
        cursor = roster.list.current
        assert cursor is not None
        painted: list[Any] = []
        builds = spy(monkeypatch, screens.roster.following, "build_roster")
        monkeypatch.setattr(RosterList, "refresh", lambda self, *a, **k: painted.append("all"))
        monkeypatch.setattr(RosterList, "refresh_line", lambda self, y: painted.append(y))

        added_elsewhere(app, "章子怡")  # Zhang: after every Wang
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
    async with on_the_roster(db_path) as (app, pilot, roster):
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


async def test_a_member_added_far_below_the_view_leaves_the_scrollbar_unpainted(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 300 members the thumb is one cell at the top; one more member at the end moves it by
    nothing, so the bar is told the new length without a repaint (a repainted bar widens the
    screen's update to every line between it and the count line). End still reaches them."""
    add_records(db_path, "members", [{"name": f"会员{i:04d}"} for i in range(300)])
    add_people(db_path)
    async with on_the_roster(db_path) as (app, pilot, roster):
        bar = roster.list.vertical_scrollbar
        shown = len(listed(app))
        assert shown > 300 and bar.window_virtual_size == shown
        painted = spy(monkeypatch, ScrollBar, "refresh")
        added_elsewhere(app, "章子怡")  # Zhang: after every 会 (Hui)
        await wait_until(pilot, lambda: len(listed(app)) == shown + 1, "the new member")
        await settle(pilot)

        assert bar not in [widget for widget, *_rest in painted]
        assert bar.window_virtual_size == shown + 1 and "章子怡" in listed(app)
        await pilot.press("end")  # the scroll range took the new length
        last = listed(app)[-1]
        assert roster.list.current is not None and roster.list.current.name == last
        assert last in screen_text(app)


async def test_a_member_added_to_a_short_list_moves_the_thumb(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 30 members the thumb covers most of the bar: one more shrinks it, and it is painted."""
    add_many(db_path)
    async with on_the_roster(db_path) as (app, pilot, roster):
        bar = roster.list.vertical_scrollbar
        painted = spy(monkeypatch, ScrollBar, "refresh")
        added_elsewhere(app, "章子怡", "赵一曼", "周璇")
        await wait_until(pilot, lambda: "Showing 33" in screen_text(app), "the new members")
        await settle(pilot)

        assert bar in [widget for widget, *_rest in painted]
        assert bar.window_virtual_size == 33


async def test_a_save_that_changes_only_the_counts_draws_only_the_count_lines(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member added far below the view changes the two count lines and nothing else in
    view: Textual's update draws those lines, and asks neither the list, its scroll bar, the
    heading nor the search box for theirs (they sit apart from the counts, screens/roster/
    browse.py). The counts say the new total."""
    from textual.widget import Widget

    from screens.widgets.line import TextLine

    db = Database(db_path)
    for i in range(300):  # saved as the app saves them: a follow changes no row in view
        members.add(db, ADMIN, {"name": f"会员{i:04d}"})
    async with on_the_roster(db_path) as (app, pilot, roster):
        await settle(pilot)
        rendered = spy(monkeypatch, Widget, "render_lines")
        added_elsewhere(app, "章子怡")  # Zhang: after every 会 (Hui)
        await wait_until(
            pilot,
            lambda: roster.query_one("#roster-showing", TextLine).text.startswith("Showing 301"),
            "the new count",
        )
        await settle(pilot)
        monkeypatch.undo()
        drawn = [type(widget).__name__ for widget, *_rest in rendered]

        assert "301 members" in screen_text(app) and "Showing 301" in screen_text(app)
        assert drawn.count(TextLine.__name__) >= 2
        assert not {"RosterList", "ScrollBar", "RosterHeading", "FieldInput"} & set(drawn), drawn
