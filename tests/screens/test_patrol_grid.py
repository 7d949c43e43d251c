"""Opening the week grid, a week taller than the screen, and the grid following another
session's change: at 80x24, by keys, checked on screen and in what the terminal is sent."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from screens.patrols.grid import WeekGrid, WeekHeading
from screens.patrols.week import PatrolsScreen
from store.actor import Role
from store.patrols import assign, ops
from tests.bench.meter import Meter
from tests.screens.helpers import SIZE, enter_as, screen_lines, screen_text, settle, wait_until
from tests.screens.patrol_helpers import MONDAY, ROOT, TODAY, app_for, open_patrols, patrol_week

FULL_FRAME = 2_500  # bytes: the whole 80x24 patrol screen is over 3 KB
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07)")


async def test_the_grid_opens_in_one_whole_frame_with_its_week_and_keys(db_path: Path) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        meter = Meter.attach(app)
        texts = meter.record()
        await pilot.press("3")
        await settle(pilot)
        await pilot.pause(0.2)  # anything late (a scrollbar, the footer) would be out by now
        assert isinstance(app.screen, PatrolsScreen) and app.screen.loaded
        sizes = [size for _when, size in meter.frames]
        whole = [size for size in sizes if size > FULL_FRAME]
        # One frame paints the screen, already with the week and the keys that apply to the
        # shift under the cursor: no empty grid first, no second full repaint after it.
        assert len(whole) == 1, sizes
        assert sum(sizes) < 1.2 * whole[0], sizes
        painted = ANSI.sub("", "".join(texts))
        assert "2/2=" in painted and "1/2!" in painted
        assert "Assign" in painted  # the footer's key for a shift under the cursor


async def test_a_section_shows_when_its_data_is_in_not_after_a_fixed_pause(
    db_path: Path,
) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        # Textual's own hold after a mode switch, made a minute long: only the screen saying
        # it is ready can end it.
        app.delay_update = partial(type(app).delay_update, app, 60.0)  # type: ignore[method-assign]
        meter = Meter.attach(app)
        await pilot.press("3")
        await meter.frame_of(FULL_FRAME, "the grid")
        assert "2026-W49" in screen_text(app)
        # The lock, a failed read and a read slower than the hold: test_section_switch.py.


def tall_week(db_path: Path, slots: int) -> list[str]:
    """``slots`` one-hour shifts on Monday, one per hour and zone: more rows than fit."""
    week = patrol_week(db_path)
    db = week["db"]
    made = []
    for n in range(slots):
        zone = ops.add_zone(db, ROOT, {"name": f"区{n:02d}"})["id"]
        hour = n % 24
        shift = {
            "date": MONDAY.isoformat(),
            "start": f"{hour:02d}:00",
            "end": f"{hour:02d}:30",
            "zone_id": zone,
            "team_id": week["team"],
            "min_people": 1,
            "max_people": 3,
        }
        made.append(ops.add_shift(db, ROOT, shift)["id"])
    return made


async def test_a_week_taller_than_the_screen_scrolls_with_the_cursor(db_path: Path) -> None:
    tall_week(db_path, 24)  # with this week's two slots: 26 rows, 17 fit
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        grid = screen.query_one(WeekGrid)
        assert len(screen.view.rows) == 26  # type: ignore[union-attr]
        lines = screen_lines(app)
        top = grid.region.y
        # Every line of the grid shows a slot (none lost to a sideways scrollbar) and the
        # heading's days line up with the cells (the scrollbar's column kept on both).
        assert all(
            re.match(r" \d\d:\d\d-\d\d:\d\d", lines[y]) for y in range(top, grid.region.bottom)
        )
        assert grid.region.height == 17
        heading = screen.query_one(WeekHeading)
        assert heading.content_size.width == grid.scrollable_content_region.width
        await pilot.press("home")
        for _ in range(25):
            await pilot.press("down")
        await settle(pilot)
        assert grid.row == 25 and grid.scroll_offset.y > 0
        # The cursor's row is on screen, and the line under the grid says its shift.
        label = screen.view.rows[25].label  # type: ignore[union-attr]
        assert any(
            line.startswith(" " + label) for line in screen_lines(app)[top : grid.region.bottom]
        )
        cell = grid.current
        described = screen_text(app)
        if cell is None:
            assert "没有班次" in described or "此处" in described
        else:
            assert cell.times in described
        await pilot.press("pageup", "pagedown")
        await settle(pilot)
        assert screen.monday == MONDAY


async def test_a_new_slot_saved_elsewhere_shows_and_the_cursor_stays_on_its_shift(
    db_path: Path,
) -> None:
    week = patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        grid = screen.grid
        await pilot.press("down")  # today's 19:00 shift
        await settle(pilot)
        on = grid.current
        assert on is not None and on.shift_id == week["shifts"][TODAY.isoformat()]
        rows = len(screen.view.rows)  # type: ignore[union-attr]
        # Another session adds a 06:00 shift today (a new first row) and fills today's 19:00.
        db = week["db"]
        early = ops.add_shift(
            db,
            ROOT,
            {
                "date": TODAY.isoformat(),
                "start": "06:00",
                "end": "07:00",
                "zone_id": week["zone"],
                "team_id": week["team"],
                "min_people": 1,
                "max_people": 2,
            },
        )["id"]
        assign.assign(db, ROOT, on.shift_id, week["people"]["王五"])
        await wait_until(
            pilot,
            lambda: screen.view is not None and len(screen.view.rows) == rows + 1,
            "the other session's shift",
        )
        await settle(pilot)
        text = screen_text(app)
        assert "06:00-07:00" in text and "0/1!" in text
        # The cursor stayed on its shift (now a row lower), which is full now.
        assert grid.current is not None and grid.current.shift_id == on.shift_id
        assert grid.row == 2 and grid.current.staffed == 3
        assert "3 of 2-3 people" in text
        assert screen.view is not None and screen.view.find(early) == (0, TODAY.weekday())
