"""A new shift from the week takes where it was opened: an empty cell its row's times, zone and
team, a cell with a shift that shift's (and its people needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.shift_form import ShiftForm
from screens.patrols.week import PatrolsScreen
from store.engine.database import Database
from store.patrols import ops, reads
from store.patrols.model import Shift
from tests.screens.helpers import SIZE, on_top, settle, wait_until
from tests.screens.patrol_helpers import MONDAY, ROOT, app_for, database, open_patrols, patrol_week


def value(form: ShiftForm, name: str) -> str:
    return next(f.value for f in form.fields() if f.field == name)


async def cursor_to(pilot: Pilot[Any], week: PatrolsScreen, label: str, day: int) -> None:
    """Put the grid's cursor on the row labelled ``label``, on day ``day`` (0 = Monday)."""
    assert week.view is not None
    row = next(i for i, r in enumerate(week.view.rows) if r.label == label)
    while week.grid.row != row:
        await pilot.press("down" if week.grid.row < row else "up")
    await pilot.press("home", *(["right"] * day))
    assert (week.grid.row, week.grid.column) == (row, day)


def shifts_on(db_path: Path, day: dt.date) -> list[Shift]:
    return [s for s in reads.all_shifts(Database(db_path).snapshot()) if s.date == day]


async def new_form(pilot: Pilot[Any], key: str) -> ShiftForm:
    await pilot.press(key)
    return await on_top(pilot, ShiftForm, lambda form: form.filled)


async def saved(pilot: Pilot[Any], week: PatrolsScreen) -> None:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: pilot.app.screen is week, "back on the week")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_enter_on_an_empty_cell_takes_the_rows_times_zone_and_team(
    db_path: Path, lang: str
) -> None:
    world = patrol_week(db_path)
    west = next(z.id for z in reads.zones(Database(db_path).snapshot()) if z.name == "西区")
    thursday = MONDAY + dt.timedelta(days=3)
    async with app_for(db_path, lang).run_test(size=SIZE) as pilot:
        week = await open_patrols(pilot)
        # Wednesday's 08:00-10:00 in 西区 (the second zone) is the row's only shift.
        await cursor_to(pilot, week, "08:00-10:00 西区", 3)
        assert week.grid.current is None
        form = await new_form(pilot, "enter")
        assert value(form, "date") == thursday.isoformat()
        assert (value(form, "start"), value(form, "end")) == ("08:00", "10:00")
        assert value(form, "zone_id") == west
        assert value(form, "team_id") == world["team"]
        await saved(pilot, week)
    [made] = [s for s in shifts_on(db_path, thursday) if s.zone_id == west]
    assert (f"{made.start:%H:%M}", f"{made.end:%H:%M}") == ("08:00", "10:00")
    assert made.team_id == world["team"]


async def test_a_row_without_a_team_gives_none_and_a_shift_gives_its_own(db_path: Path) -> None:
    world = patrol_week(db_path)
    friday = MONDAY + dt.timedelta(days=4)
    # 06:00-07:30 in 东区 on Monday, no team: a row of its own, first in the grid.
    ops.add_shift(
        database(db_path),
        ROOT,
        {"zone_id": world["zone"], "date": MONDAY.isoformat(), "start": "06:00", "end": "07:30"},
    )
    async with app_for(db_path, "zh").run_test(size=SIZE) as pilot:
        week = await open_patrols(pilot)
        await cursor_to(pilot, week, "06:00-07:30 东区", 4)
        form = await new_form(pilot, "n")
        assert (value(form, "start"), value(form, "end")) == ("06:00", "07:30")
        assert (value(form, "zone_id"), value(form, "team_id")) == (world["zone"], "")
        await saved(pilot, week)
        # n on a cell with a shift (Monday's evening: 2 to 3 people): a second one like it.
        await cursor_to(pilot, week, "19:00-21:00 东区", 0)
        assert week.grid.current is not None
        form = await new_form(pilot, "n")
        assert (value(form, "start"), value(form, "end")) == ("19:00", "21:00")
        assert (value(form, "min_people"), value(form, "max_people")) == ("2", "3")
        await saved(pilot, week)
    [early] = [s for s in shifts_on(db_path, friday) if f"{s.start:%H:%M}" == "06:00"]
    assert (f"{early.end:%H:%M}", early.zone_id, early.team_id) == ("07:30", world["zone"], "")
    evenings = [s for s in shifts_on(db_path, MONDAY) if f"{s.start:%H:%M}" == "19:00"]
    assert len(evenings) == 2
    assert {(s.zone_id, s.team_id, s.min_people, s.max_people) for s in evenings} == {
        (world["zone"], world["team"], 2, 3)
    }
