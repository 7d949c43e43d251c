"""What is built ahead (tui/ahead.py): while the login waits for a name and PIN, what the
dashboard reads for every role, and once the dashboard is whole, the roster of the person signed
in. The page after the PIN is put together from the first, the roster opens on the second, and
the login's own save (the account's last login) does not make either be built again."""

from __future__ import annotations

from pathlib import Path

import pytest

import screens.roster.following
import store.members.summary
from screens.dashboard.screen import DashboardScreen
from screens.roster.screen import RosterScreen
from store.contacts.lapsing import Lapsing
from store.users import ops as users
from tests.screens.helpers import (
    add_records,
    add_user,
    log_in,
    screen_text,
    settle,
    spy,
    wait_until,
)
from tui.factory import make_app


@pytest.fixture(autouse=True)
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


async def test_the_dashboards_data_is_built_before_the_pin_and_used_after_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(db_path, "wang", display_name="王芳")
    add_records(
        db_path,
        "members",
        [{"name": f"成员{n}", "status": "active", "category": "resident"} for n in range(30)],
    )
    summaries = spy(monkeypatch, store.members.summary, "build")
    lapsing = spy(monkeypatch, Lapsing, "build")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the login, nobody has typed anything
        assert app.session.actor is None
        assert (len(summaries), len(lapsing)) == (1, 1)
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(pilot)
        assert "30 members" in screen_text(app)
    # The page was made from what was built at the login, followed through the login's save.
    assert (len(summaries), len(lapsing)) == (1, 1)


async def test_a_wrong_pin_leaves_the_built_data_for_the_next_try(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(db_path, "wang")
    summaries = spy(monkeypatch, store.members.summary, "build")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await log_in(pilot, "wang", "9999")  # counted in the file: a save
        await settle(pilot)
        assert app.session.actor is None
        assert len(summaries) == 1
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(pilot)
    assert len(summaries) == 1


async def test_the_roster_is_built_while_the_dashboard_is_read(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(db_path, "wang", display_name="王芳")
    add_records(
        db_path,
        "members",
        [{"name": name, "status": "active", "category": "resident"} for name in ("张三", "李四")],
    )
    rosters = spy(monkeypatch, screens.roster.following, "build_roster")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert rosters == []  # nobody signed in: nobody's roster
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(pilot)
        assert len(rosters) == 1  # while the dashboard is read, before anyone pressed 2
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        await settle(pilot)
        assert "张三" in screen_text(app) and "李四" in screen_text(app)
    assert len(rosters) == 1  # the roster opened on what was built
