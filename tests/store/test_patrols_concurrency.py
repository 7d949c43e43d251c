"""Two coordinators in two processes fill the last place of a shift at the same moment."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.engine.database import Database
from store.patrols import assign, reads
from tests.store.patrol_data import COORD, make_world
from tests.store.workers import Child


@pytest.mark.slow
def test_exactly_one_of_two_processes_gets_the_last_place(db_path: Path) -> None:
    db = Database(db_path)
    world = make_world(db)
    shift_id = world.shift(max_people=2)
    assign.assign(db, COORD, shift_id, world.id("王五"))  # one place left
    rivals = [world.id("张三"), world.id("李四")]
    for _round in range(3):
        children = [Child("assign", str(db_path), shift_id, member) for member in rivals]
        try:
            for child in children:
                child.expect("ready")
            for child in children:
                child.send_line("go")
            replies = [child.line() for child in children]
        finally:
            for child in children:
                child.close()
        won = [r for r in replies if '"ok"' in r]
        lost = [r for r in replies if "RuleBroken" in r]
        assert len(won) == 1 and len(lost) == 1, replies
        assert "full" in lost[0]
        shift = reads.shift(db.snapshot(), shift_id)
        assert shift is not None and shift.staffed == 2
        winner = next(m for m in rivals if shift.assignment(m) is not None)
        assign.unassign(db, COORD, shift_id, winner)  # the last place is free again
