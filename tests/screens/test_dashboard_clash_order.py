"""The dashboard names the members of a clash in the roster's (pinyin) order.

By code point 张 (U+5F20) < 曾 (U+66FE) < 李 (U+674E); volunteers read 李 曾 张. Three members,
added in code-point order, are each put on two overlapping Friday shifts (with a reason).
"""

from __future__ import annotations

from pathlib import Path

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.patrols import assign, ops, reads
from store.patrols.rules import clashing
from tests.screens.dashboard_data import fixed_clock
from tests.screens.dashboard_helpers import app_for, board, open_dashboard
from tests.screens.helpers import SIZE, screen_text

ROOT = Actor("os:test", Role.ADMIN)
BY_CODE_POINT = ["张伟", "曾敏", "李娜"]


def clash_on_friday(db_path: Path) -> None:
    db = Database(db_path, clock=fixed_clock())
    people = [str(members.add(db, ROOT, {"name": name})["id"]) for name in BY_CODE_POINT]
    zone = ops.add_zone(db, ROOT, {"name": "东区"})["id"]
    base = {"zone_id": zone, "date": "2026-12-04", "min_people": 1, "max_people": 3}
    shifts = [
        ops.add_shift(db, ROOT, base | {"start": start, "end": end})["id"]
        for start, end in (("19:00", "21:00"), ("20:00", "22:00"))
    ]
    for shift_id in shifts:
        for member_id in people:
            assign.assign(db, ROOT, shift_id, member_id, override="换班")
    stored = reads.all_shifts(db.snapshot())
    assert {m for _s, m in clashing(stored)} == set(people)  # stored as meant


async def test_a_clash_names_its_members_in_pinyin_order(db_path: Path) -> None:
    clash_on_friday(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.COORDINATOR)
        shown = [line.text for line in board(app).lines if "clash:" in line.text]
        assert len(shown) == 2
        assert all(text.endswith("clash: 李娜、曾敏、张伟") for text in shown), shown
        assert screen_text(app).count("clash: 李娜、曾敏、张伟") == 2  # as drawn at 80x24
