"""A screen opened over another repaints only what changed (tui/stacking.py): Down in the
attendance checklist, opened over the sessions, writes a line or two, not the whole terminal;
the screen under it is drawn again, at the terminal's size, when it is back on top."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from screens.training.screen import TrainingScreen
from tests.bench.meter import Meter
from tests.screens.helpers import screen_text, settle, wait_until
from tests.screens.training_helpers import app_for, big_roster, open_checklist

FULL_FRAME = 3_000  # bytes: a whole 80x24 frame of this checklist is over 4 KB


async def keys_written(pilot: Pilot[None], meter: Meter, *keys: str) -> list[int]:
    written = []
    for key in keys:
        meter.written = 0
        await pilot.press(key)
        await settle(pilot)
        written.append(meter.written)
    return written


async def test_a_key_on_a_screen_over_another_writes_only_what_changed(db_path: Path) -> None:
    big_roster(db_path)
    app = app_for(db_path, "zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        checklist = await open_checklist(pilot)
        assert isinstance(app.screen_stack[-2], TrainingScreen)
        meter = Meter.attach(app)
        await settle(pilot)
        down, space = await keys_written(pilot, meter, "down", "space")
        assert 0 < down < 1_000  # two list lines
        assert 0 < space < 1_000  # a line, the next one and the counts
        # A dialog lets the screen under it show through: that is still drawn.
        await pilot.press("escape")  # unsaved mark: asks first
        await settle(pilot)
        assert "标记尚未保存" in screen_text(app)
        assert "七一党课" in screen_text(app)  # the checklist, under the question
        await pilot.press("escape")  # keep editing
        await wait_until(pilot, lambda: app.screen is checklist, "the checklist again")


async def test_the_screen_under_is_laid_out_again_when_back_on_top(db_path: Path) -> None:
    big_roster(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checklist(pilot)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TrainingScreen), "the sessions")
        await settle(pilot)
        assert app.screen.size == (100, 30)
        lines = screen_text(app).splitlines()
        assert len(lines) == 30 and any("七一党课" in line for line in lines)
