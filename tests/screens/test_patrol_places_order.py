"""Teams on the teams-and-zones screen (z on the grid) at 80x24, in pinyin order: 张 李 王 曾 by
code point would read 张 曾 李 王 (5f20 66fe 674e 738b); volunteers read 李 王 曾 张, with a team
named in Latin letters among them by its spelling. A team written by hand without keys takes
its place too, and a team added with the form goes where its name says and stores its key.
"""

from __future__ import annotations

from pathlib import Path

from store.actor import Actor, Role
from store.engine.database import Database
from store.named import named_sort_key
from store.patrols import ops
from tests.screens.helpers import SIZE, screen_lines, settle, type_text, wait_until
from tests.screens.patrol_helpers import app_for, database, open_places, stored_teams

ROOT = Actor("os:test", Role.ADMIN)
HAND = Actor("hand", Role.ADMIN)


def rows_of(lines: list[str], names: list[str]) -> list[str]:
    """The ``names`` in the order of the screen rows they are on (one name a row)."""
    found = [(row, name) for row, line in enumerate(lines) for name in names if name in line]
    assert len(found) == len(names), found
    return [name for _row, name in sorted(found)]


async def test_teams_are_listed_in_pinyin_order_and_a_new_one_goes_in_its_place(
    db_path: Path,
) -> None:
    db = database(db_path)
    for name in ("张家队", "李家队", "王家队", "Apple"):
        ops.add_team(db, ROOT, {"name": name})
    with Database(db_path).transaction(HAND) as tx:
        tx.insert("teams", {"name": "曾家队"})  # written by hand: no keys; zeng, not ceng
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_places(pilot, Role.COORDINATOR)
        names = ["Apple", "李家队", "王家队", "曾家队", "张家队"]
        assert rows_of(screen_lines(app), names) == names

        await pilot.press("n")  # a new team: 白 bai goes after Apple, before 李
        await type_text(pilot, "白家队")
        for _field in range(3):  # name, leader (none), note (none): the last saves
            await pilot.press("enter")
            await settle(pilot)
        await wait_until(pilot, lambda: "白家队" in stored_teams(db_path), "the new team")
        await wait_until(pilot, lambda: "白家队" in "".join(screen_lines(app)), "it listed")
        await settle(pilot)
        names.insert(1, "白家队")
        assert rows_of(screen_lines(app), names) == names
    saved = {doc["name"]: doc for doc in Database(db_path).snapshot().all("teams")}
    assert saved["白家队"]["sort_key"] == named_sort_key("白家队")
    assert "sort_key" not in saved["曾家队"]  # reading does not write


def test_patrol_hours_list_teams_in_their_order_and_no_team_last(db_path: Path) -> None:
    """The hours screen's team rows are built from ids and names (screens/patrols/hours.py)."""
    from screens.patrols.hours import build_hours
    from store.enums import AssignmentStatus
    from store.members import ops as members
    from store.patrols import assign
    from tests.screens.patrol_helpers import TODAY

    db = database(db_path)
    for name in ("张家队", "曾家队", "Apple", "李家队"):
        ops.add_team(db, ROOT, {"name": name})
    member = str(members.add(db, ROOT, {"name": "王五", "category": "retired"})["id"])
    zone = ops.add_zone(db, ROOT, {"name": "东区"})["id"]
    shift = ops.add_shift(
        db, ROOT, {"zone_id": zone, "date": TODAY.isoformat(), "start": "19:00", "end": "21:00"}
    )["id"]
    assign.assign(db, ROOT, shift, member, override="test")
    assign.check_in(db, ROOT, shift, {member: AssignmentStatus.PRESENT})  # a shift of no team
    view = build_hours(db.snapshot(), TODAY.year)
    names = [row.name for row in view.teams]
    assert names == ["Apple", "李家队", "曾家队", "张家队", "(no team)"]
