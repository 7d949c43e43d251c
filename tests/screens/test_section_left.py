"""A section left before its data arrived stops reading, and reads whole when it is back.

Someone who signs in and presses 2 at once should not wait for a dashboard they no longer see:
its build stops between two groups (screens/shell/base.py, stop_if_cancelled), posts nothing,
and is made again, whole, when the dashboard is shown next.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import screens.dashboard.training_groups
import screens.dashboard.view
from screens.dashboard.screen import DashboardScreen
from screens.dashboard.view import build_dashboard
from screens.roster.screen import RosterScreen
from screens.shell.messages import LoggedIn
from store.actor import Actor, Role
from tests.screens.dashboard_data import community, fixed_clock
from tests.screens.helpers import screen_text, settle, wait_until, workers_done
from tui.factory import make_app

SIZE = (80, 24)
COORDINATOR = Actor("coordinator", Role.COORDINATOR, user_id="id-coordinator")


async def test_a_dashboard_left_mid_build_stops_and_is_built_whole_on_return(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    community(db_path)
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []
    real_shifts = screens.dashboard.view.shifts_group
    real_certificates = screens.dashboard.training_groups.certificates_group

    def held_shifts(*args: Any) -> Any:
        calls.append("shifts")
        entered.set()
        release.wait(10)  # the build is under way while the volunteer presses 2
        return real_shifts(*args)

    def certificates(*args: Any) -> Any:
        calls.append("certificates")
        return real_certificates(*args)

    monkeypatch.setattr(screens.dashboard.view, "shifts_group", held_shifts)
    monkeypatch.setattr(screens.dashboard.training_groups, "certificates_group", certificates)
    app = make_app(db_path, lang="en")
    app.db.clock = fixed_clock()
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(LoggedIn(COORDINATOR, "Coordinator"))
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        for _ in range(200):
            if entered.is_set():
                break
            await pilot.pause(0.01)
        assert entered.is_set(), "the dashboard's build did not start"

        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        roster = app.screen
        assert isinstance(roster, RosterScreen)
        release.set()
        await wait_until(pilot, lambda: roster.loaded, "the roster to load")
        await settle(pilot)
        # Stopped at the next group: nothing after the held one was built, nothing shown.
        assert calls == ["shifts"]
        assert not dashboard.loaded
        assert "Reading the database" in str(dashboard.query_one("#dashboard-todo").render())

        monkeypatch.setattr(screens.dashboard.view, "shifts_group", real_shifts)
        await pilot.press("1")
        await wait_until(pilot, lambda: dashboard.loaded, "the dashboard back")
        await workers_done(app)
        await pilot.pause()
        assert calls == ["shifts", "certificates"]  # built again, every group
        whole = build_dashboard(app.db.snapshot(), COORDINATOR, app.db.today())
        assert dashboard.view.lines == whole.lines
        assert dashboard.view.to_do() == whole.to_do()
        assert "Reading the database" not in screen_text(app)
        assert whole.to_do().split("·")[0].strip() in screen_text(app)


async def test_a_section_not_shown_reads_when_it_is_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload asked for while another section is shown (a timer, a save's follow-up) waits;
    the screen reads when it is shown again, with what changed meanwhile."""
    community(db_path)
    app = make_app(db_path, lang="en")
    app.db.clock = fixed_clock()
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(LoggedIn(COORDINATOR, "Coordinator"))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded,
            "the dashboard",
        )
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        await settle(pilot)
        builds: list[int] = []
        real = dashboard.prepare

        def counted(snapshot: Any) -> Any:
            builds.append(1)
            return real(snapshot)

        monkeypatch.setattr(dashboard, "prepare", counted)
        dashboard.reload()
        await settle(pilot)
        assert builds == []  # out of sight: not read
        await pilot.press("1")
        await wait_until(pilot, lambda: builds == [1], "the dashboard to read on return")
        await settle(pilot)
        assert dashboard.loaded and isinstance(app.screen, DashboardScreen)
