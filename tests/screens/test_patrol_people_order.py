"""A shift's people on screen (80x24) in the roster's order, not the order they were put on:
the shift screen and its check-in list, where a leader looks for 张伟 among everyone.

Put on as 张伟 王芳 李娜 王芳 曾强 区华; shown as the roster has them, by the surname's pinyin
(李 li, 区 ou, 王 wang, 曾 zeng, 张 zhang), which is neither that order nor the code points'
(区 张 曾 李 王); the two 王芳 by id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from screens.patrols.checkin import CheckInDialog
from screens.patrols.shift import ShiftScreen
from store.enums import AssignmentStatus
from store.members import ops as members
from store.patrols import assign, ops
from tests.screens.helpers import SIZE, on_top, settle, wait_until, widget_text
from tests.screens.patrol_helpers import (
    ROOT,
    TODAY,
    app_for,
    database,
    open_patrols,
    open_shift,
    statuses_on,
)

ADDED = ("张伟", "王芳", "李娜", "王芳", "曾强", "区华")
ROSTER = ["李娜", "区华", "王芳", "王芳", "曾强", "张伟"]


def crowded_shift(db_path: Path) -> tuple[list[str], str]:
    """Today's shift with the six on it in the order added; their ids in that order."""
    db = database(db_path)
    people = [
        str(
            members.add(
                db, ROOT, {"name": name, "birth_date": "1960-03-01", "category": "retired"}
            )["id"]
        )
        for name in ADDED
    ]
    zone = ops.add_zone(db, ROOT, {"name": "东区"})["id"]
    fields = {"date": TODAY.isoformat(), "start": "19:00", "end": "21:00", "zone_id": zone}
    shift_id = str(ops.add_shift(db, ROOT, fields | {"min_people": 1, "max_people": 8})["id"])
    for member_id in people:
        assign.assign(db, ROOT, shift_id, member_id)
    return people, shift_id


def names_down(text: str) -> list[str]:
    """The names on the lines of ``text``, top to bottom."""
    found = []
    for line in text.splitlines():
        found += [name for name in dict.fromkeys(ADDED) if name in line]
    return found


async def test_the_shift_and_its_check_in_list_people_in_roster_order(db_path: Path) -> None:
    people, shift_id = crowded_shift(db_path)
    wang = sorted(people[i] for i, name in enumerate(ADDED) if name == "王芳")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_shift(pilot, await open_patrols(pilot), shift_id)
        await wait_until(pilot, lambda: len(screen.view.people) == len(ADDED), "the people")
        await settle(pilot)
        assert names_down(widget_text(app, screen.people)) == ROSTER
        await pilot.press("c")
        dialog = await on_top(pilot, CheckInDialog, lambda found: found.data_token is not None)
        shown = widget_text(app, dialog.list)
        assert names_down(shown) == ROSTER
        assert list(dialog.statuses) == [
            people[2],
            people[5],
            *wang,
            people[4],
            people[0],
        ]
        # One key each, top to bottom: 李娜 present, 区华 absent, the first 王芳 excused.
        await pilot.press("p", "b", "x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "saved")
        await on_top(pilot, ShiftScreen)
    stored = statuses_on(db_path, shift_id)
    assert stored[people[2]] is AssignmentStatus.PRESENT
    assert stored[people[5]] is AssignmentStatus.ABSENT
    assert stored[wang[0]] is AssignmentStatus.EXCUSED
    untouched = {wang[1], people[4], people[0]}
    assert {stored[m] for m in untouched} == {AssignmentStatus.SCHEDULED}
    # The file keeps the order they were put on: only what is shown is ordered.
    doc: Any = database(db_path).snapshot().get("shifts", shift_id)
    assert [a["member_id"] for a in doc["assignments"]] == people
