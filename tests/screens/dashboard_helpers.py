"""The ways the dashboard tests reach the dashboard of tests/screens/dashboard_data.py's
community: the app on that community's clock, the dashboard as a role sees it, its board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.dashboard.board import Board
from screens.dashboard.screen import DashboardScreen
from screens.shell.messages import LoggedIn
from store.actor import Actor, Role
from tests.screens.dashboard_data import fixed_clock
from tests.screens.helpers import settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app


def app_for(db_path: Path, lang: str = "en") -> ShequApp:
    """The app with its store's clock at the community's NOW (Wednesday 2 December 2026)."""
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    return app


async def open_dashboard(pilot: Pilot[Any], role: Role, member_id: str | None = None) -> None:
    """Act as ``role`` (a volunteer linked to ``member_id``) and wait for the dashboard."""
    app = pilot.app
    actor = Actor(role.value, role, user_id=f"id-{role.value}", member_id=member_id)
    app.post_message(LoggedIn(actor, role.value.title()))
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    await wait_until(pilot, lambda: app.screen.loaded, "the dashboard to load")  # type: ignore[attr-defined]
    await settle(pilot)


def board(app: ShequApp) -> Board:
    """The dashboard's list of lines (the screen on top must be the dashboard)."""
    return app.screen.query_one(Board)
