"""The dashboard during a burst of saves elsewhere: built again once the spacing is over, not on
every save (issue 23), and the last save shows."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

import screens.dashboard.screen
import screens.dashboard.view
from screens.dashboard.screen import SPACING, DashboardScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import enter_as, screen_text, wait_until
from tui.factory import make_app

ADMIN = Actor("root", Role.ADMIN, user_id="u-root")
BUILD_SECONDS = 0.05  # each build made this slow: the spacing is SPACING times it


async def test_a_burst_of_saves_builds_the_dashboard_once_the_spacing_is_over(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Database(db_path)
    for i in range(3):
        members.add(other, ADMIN, {"name": f"王{i}"})
    builds: list[float] = []
    real = screens.dashboard.view.build_dashboard

    def slow(*args: Any) -> Any:
        time.sleep(BUILD_SECONDS)
        builds.append(time.monotonic())
        return real(*args)

    monkeypatch.setattr(screens.dashboard.screen, "build_dashboard", slow)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded,
            "the dashboard",
        )
        assert "3 members on the roster" in screen_text(app)
        assert len(builds) == 1
        for i in range(3):  # three saves elsewhere, each noticed at once
            members.add(other, ADMIN, {"name": f"李{i}"})
            app.check_for_changes()
            await pilot.pause(0.05)
        assert len(builds) == 1  # within the spacing: nothing built yet
        deadline = time.monotonic() + 10 * SPACING * BUILD_SECONDS
        while "6 members on the roster" not in screen_text(app) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            await pilot.pause()
        assert "6 members on the roster" in screen_text(app)
        assert len(builds) == 2  # one build for the three saves
        assert builds[1] - builds[0] >= SPACING * BUILD_SECONDS * 0.9
