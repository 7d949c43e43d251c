"""The patrol hours screen lists members with equal hours in the roster's (pinyin) order.

By code point 张 < 曾 < 李 < 王 < 赵; volunteers read 李 王 曾 张 赵. Five members added in
code-point order give one shift two hours each (checked in present); a sixth gives two shifts.
"""

from __future__ import annotations

from pathlib import Path

from screens.patrols.hours import PatrolHoursScreen
from store.actor import Actor, Role
from store.enums import AssignmentStatus
from store.members import ops as members
from store.patrols import assign, ops
from store.patrols.hours import members_hours
from tests.screens.helpers import SIZE, screen_lines, settle, wait_until
from tests.screens.patrol_helpers import TODAY, app_for, database, open_patrols

ROOT = Actor("os:test", Role.ADMIN)
BY_CODE_POINT = ["张伟", "曾敏", "李娜", "王芳", "赵磊"]
PINYIN = ["李娜", "王芳", "曾敏", "张伟", "赵磊"]


def five_on_a_shift(db_path: Path) -> None:
    db = database(db_path)
    people = {
        name: str(members.add(db, ROOT, {"name": name, "category": "retired"})["id"])
        for name in [*BY_CODE_POINT, "钱多"]
    }
    zone = ops.add_zone(db, ROOT, {"name": "东区"})["id"]
    base = {"zone_id": zone, "date": TODAY.isoformat(), "min_people": 1, "max_people": 6}
    evening = ops.add_shift(db, ROOT, base | {"start": "19:00", "end": "21:00"})["id"]
    morning = ops.add_shift(db, ROOT, base | {"start": "08:00", "end": "10:00"})["id"]
    for member_id in people.values():
        assign.assign(db, ROOT, evening, member_id, override="test")
    assign.assign(db, ROOT, morning, people["钱多"], override="test")
    present = {member_id: AssignmentStatus.PRESENT for member_id in people.values()}
    assign.check_in(db, ROOT, evening, present)
    assign.check_in(db, ROOT, morning, {people["钱多"]: AssignmentStatus.PRESENT})
    hours = members_hours(db.snapshot(), TODAY.year)
    assert sorted(h.total for h in hours.values()) == [2, 2, 2, 2, 2, 4]  # stored as meant


async def test_members_with_equal_hours_are_in_pinyin_order(db_path: Path) -> None:
    five_on_a_shift(db_path)
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolHoursScreen), "the hours")
        screen = app.screen
        assert isinstance(screen, PatrolHoursScreen)
        await wait_until(pilot, lambda: screen.loaded, "the lists")
        await settle(pilot)
        names = [*PINYIN, "钱多"]
        shown = [
            next(name for name in names if f" {name} " in line)
            for line in screen_lines(app)
            if any(f" {name} " in line for name in names)
        ]
        assert shown == ["钱多", *PINYIN]  # most hours first, then 2 h each in pinyin order
