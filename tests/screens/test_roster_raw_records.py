"""Members written as raw records (a hand edit: no search or sort keys, values of the wrong type)
give the same roster rows whether followed from the change log or built from the file.

The store always writes a member's pinyin keys (validation on every save and import; the
version 3 upgrade for older files), so only a file changed by hand holds members without them.
Such a member has its keys computed when read (store/members/search_keys.py ``name_keys``), in
a followed roster and a fresh one alike, so it sorts among the others by its pinyin (it used to
sort by its characters, after every keyed member); a name with nothing to spell keeps its
folded self. Two sessions on one real file; the other session saves in transactions of its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import screens.roster.following
from screens.roster.following import roster_of
from screens.roster.list import RosterList
from screens.roster.view import Roster, build_roster
from store.actor import Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import TEST_ACTOR, add_records, screen_text, settle, wait_until
from tests.screens.roster_helpers import (
    ADMIN,
    VIEWERS,
    assert_same_roster,
    open_roster,
    use_every_view,
)
from tui.factory import make_app

# What a hand edit may leave: no keys, keys of the wrong shape, numbers for text, a control.
ODD: tuple[dict[str, Any], ...] = (
    {"name": "王00"},
    {
        "name": " 王01\x07",
        "phone": 13800000000,
        "birth_date": 19500101,
        "status": None,
        "search_keys": "wang",
        "created_at": 5,
    },
    {"name": "李四", "category": 5, "to_check": "phone", "gender": 1, "building": 3, "room": "501"},
    {"name": {"x": 1}, "phone": "138 0000 1111", "address": "东区\u202e3号", "sort_key": 7},
    {"name": "赵\U00020bb7六", "birth_date": "1950-13-01", "status": "archived", "grid": "一网格"},
    {"name": "孙七", "phone": "\u0661\u0662", "search_keys": ["", "sunqi", "sunqi", 3]},
)


@pytest.mark.parametrize("viewer", [ADMIN, *VIEWERS], ids=lambda a: a.role.value)
def test_raw_records_follow_to_the_rows_a_fresh_build_makes(
    tmp_path: Path, viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shequ.json"
    members.add(Database(path), ADMIN, {"name": "张三", "phone": "13900000000"})
    session = Database(path)
    today = dt.date(2026, 12, 7)
    use_every_view(roster_of(session.snapshot(), viewer, today))
    builds: list[int] = []

    def counting(*args: Any) -> Roster:
        builds.append(1)
        return build_roster(*args)

    monkeypatch.setattr(screens.roster.following, "build_roster", counting)

    writer = Database(path)
    with writer.transaction(TEST_ACTOR) as tx:  # inserted raw, as a hand-edited import would
        ids = [tx.insert("members", record)["id"] for record in ODD]
    held = roster_of(session.snapshot(), viewer, today)
    assert_same_roster(held, build_roster(Database(path).snapshot(), viewer, today))
    use_every_view(held)

    with writer.transaction(TEST_ACTOR) as tx:  # updated raw: the log's after-images
        for member_id, record in zip(ids, ODD, strict=True):
            tx.update("members", member_id, {"note": "改", "unit": record.get("room", 2)}, 1)
    held = roster_of(session.snapshot(), viewer, today)
    assert_same_roster(held, build_roster(Database(path).snapshot(), viewer, today))
    assert builds == []  # followed both times, not built again from the file


async def test_a_raw_record_added_elsewhere_below_the_view_repaints_no_line(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows followed for members read raw equal those on screen: a raw member added after
    them (赵六, zhao: its keys computed when read, after every 王, wang) repaints none of the
    lines in view."""
    add_records(db_path, "members", [{"name": f"王{i:02d}"} for i in range(30)])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot, Role.COORDINATOR)
        shown = list(roster.list.rows)
        painted: list[Any] = []
        monkeypatch.setattr(RosterList, "refresh", lambda self, *a, **k: painted.append("all"))
        monkeypatch.setattr(RosterList, "refresh_line", lambda self, y: painted.append(y))

        add_records(db_path, "members", [{"name": "赵六"}])
        app.check_for_changes()
        await wait_until(pilot, lambda: "Showing 31" in screen_text(app), "the new member")
        await settle(pilot)

        assert painted == []
        assert list(roster.list.rows)[: len(shown)] == shown
