"""The week grid at 80x24 in English and Chinese (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store.actor import Role
from tests.screens.helpers import enter_as, settle
from tests.screens.patrol_helpers import fixed_clock, patrol_week
from tui.factory import make_app

SnapCompare = Callable[..., bool]


async def week_shown(pilot: Pilot[Any]) -> None:
    await enter_as(pilot, Role.COORDINATOR, name="wang", display_name="王芳")
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("left")  # Tuesday: an understaffed, empty shift under the cursor
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_week_grid(snap_compare: SnapCompare, db_path: Path, lang: str) -> None:
    patrol_week(db_path)
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    assert snap_compare(app, terminal_size=(80, 24), run_before=week_shown)
