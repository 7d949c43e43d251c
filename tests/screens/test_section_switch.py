"""Opening a section: its screen comes once, whole, with its data, even when the first read is
slow; the lock comes at once; a section whose read fails is still shown (tui/switching.py)."""

from __future__ import annotations

import re
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.roster.browse import RosterBrowse
from screens.roster.screen import RosterScreen
from store.actor import Role
from store.engine.snapshot import Snapshot
from store.errors import StoreError
from tests.bench.meter import Meter
from tests.screens.helpers import SIZE, enter_as, settle, wait_until
from tests.screens.patrol_helpers import app_for
from tests.screens.roster_helpers import add_people
from tui.app import ShequApp
from tui.switching import SWITCH_HOLD_S

FULL_FRAME = 2_500  # bytes: a whole 80x24 roster is about 3 KB, a changed line under 500
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07)")
SLOW_READ_S = 0.15  # a first read on a slow machine: longer than Textual's 50 ms hold


def held_for_a_minute(app: ShequApp) -> None:
    """Make a switch's hold a minute long: only a screen saying it is whole can end it."""
    app.delay_update = partial(type(app).delay_update, app, 60.0)  # type: ignore[method-assign]


def slow_roster(monkeypatch: pytest.MonkeyPatch, seconds: float = SLOW_READ_S) -> None:
    """The roster's reads take ``seconds`` (in its worker, as a big file's first read would)."""
    prepare = RosterBrowse.prepare

    def slowly(self: RosterBrowse, snapshot: Snapshot) -> Any:
        time.sleep(seconds)
        return prepare(self, snapshot)

    monkeypatch.setattr(RosterBrowse, "prepare", slowly)


async def roster_opened(pilot: Pilot[Any]) -> None:
    """Press 2 and wait until the roster has its rows and they are on screen."""
    app = pilot.app
    await pilot.press("2")
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, RosterScreen) and app.screen.loaded,
        "the roster",
    )
    await settle(pilot)


async def test_a_slow_first_read_shows_the_section_once_with_its_rows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(db_path)
    slow_roster(monkeypatch)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        meter = Meter.attach(app)
        texts = meter.record()
        await roster_opened(pilot)
        await pilot.pause(0.3)
        whole = [text for text in texts if len(text.encode()) > FULL_FRAME]
        # No empty roster first (Textual's 50 ms hold ran out before the rows were read, and
        # its frame was followed by the one with the rows): one frame, with the members.
        assert len(whole) == 1, [len(text.encode()) for text in texts]
        painted = ANSI.sub("", whole[0])
        assert "张三丰" in painted and "Showing 4" in painted, painted


async def test_the_lock_is_shown_at_once(db_path: Path) -> None:
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        held_for_a_minute(app)
        meter = Meter.attach(app)
        await pilot.press("ctrl+l")
        await meter.frame_of(1_000, "the lock")  # the lock is smaller than a roster
        assert app.current_mode == "gate"


async def test_a_read_slower_than_the_hold_shows_the_section_then_its_rows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(db_path)
    slow_roster(monkeypatch, seconds=SWITCH_HOLD_S + 0.5)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        meter = Meter.attach(app)
        texts = meter.record()
        began = time.perf_counter()
        await roster_opened(pilot)
        # The volunteer is not left looking at the old screen: the roster comes when the hold
        # runs out (a slow machine only paints later), its rows when they are read.
        whole = [(when, size) for when, size in meter.frames if size > FULL_FRAME]
        assert whole and whole[0][0] - began >= SWITCH_HOLD_S, meter.frames
        first = next(text for text in texts if len(text.encode()) > FULL_FRAME)
        assert "张三丰" not in ANSI.sub("", first)
        assert "张三丰" in ANSI.sub("", "".join(texts))


async def test_a_failed_read_is_shown_at_once_saying_why(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(db_path)

    def unreadable(self: RosterBrowse, snapshot: Snapshot) -> Any:
        raise StoreError("The file could not be read.")

    monkeypatch.setattr(RosterBrowse, "prepare", unreadable)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        held_for_a_minute(app)
        meter = Meter.attach(app)
        await pilot.press("2")
        await meter.frame_of(FULL_FRAME, "the roster")
        assert isinstance(app.screen, RosterScreen) and app.screen.load_failed
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["The file could not be read."]
