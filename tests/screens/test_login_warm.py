"""What is built ahead (tui/ahead.py): while the login waits for a name and PIN, what the
dashboard reads for every role, and once the dashboard is whole, the roster of the person signed
in. The page after the PIN is put together from the first, the roster opens on the second, and
the login's own save (the account's last login) does not make either be built again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.pilot import Pilot

import screens.roster.following
import store.members.summary
from screens.dashboard.screen import DashboardScreen
from screens.dashboard.view import build_dashboard, warm
from screens.roster.screen import RosterScreen
from store.actor import Actor, Role
from store.contacts.lapsing import Lapsing
from store.engine.database import Database
from store.engine.snapshot import Snapshot
from store.users import ops as users
from tests.screens.dashboard_data import TODAY, community, fixed_clock
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

T = TypeVar("T")


@pytest.fixture(autouse=True)
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


async def sign_in(pilot: Pilot[Any]) -> None:
    """Sign in as wang with the right PIN and wait until the dashboard is whole."""
    await log_in(pilot, "wang")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    await settle(pilot)


def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The memo key of every read model built from now on (store/engine/snapshot.py
    ``Snapshot.memo``, which ``kept`` goes through too), in the order built; a model already
    built for the version is not counted again."""
    built: list[str] = []
    real = Snapshot.memo

    def memo(snapshot: Snapshot, key: str, build: Callable[[Snapshot], T]) -> T:
        def recorded(snap: Snapshot) -> T:
            built.append(key)
            return build(snap)

        return real(snapshot, key, recorded)

    monkeypatch.setattr(Snapshot, "memo", memo)
    return built


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
        await sign_in(pilot)
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
        await sign_in(pilot)
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
        await sign_in(pilot)
        assert len(rosters) == 1  # while the dashboard is read, before anyone pressed 2
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        await settle(pilot)
        assert "张三" in screen_text(app) and "李四" in screen_text(app)
    assert len(rosters) == 1  # the roster opened on what was built


@pytest.mark.parametrize("role", list(Role))
def test_after_the_login_the_page_builds_only_what_depends_on_who_signed_in(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, role: Role
) -> None:
    """``warm`` (screens/dashboard/view.py) names by hand the models the page reads whoever
    signs in. A group added to the page reading another one, and not added to ``warm``, would
    be built after the PIN instead of before it: every model built then must be keyed by the
    viewer (their role in its key), or ``warm`` must build it."""
    people = community(db_path).people  # something in every group of the page
    snapshot = Database(db_path, clock=fixed_clock()).snapshot()  # a version nobody has read
    built = builds(monkeypatch)
    warm(snapshot, TODAY)
    assert {"members.summary", "contacts.summary", "training.index"} <= set(built)
    built.clear()
    actor = Actor(role.value, role, user_id=f"id-{role.value}", member_id=people["王五"])
    view = build_dashboard(snapshot, actor, TODAY)
    assert view.lines
    after = [key for key in built if f":{role.value}:" not in key]
    assert after == [], f"built after warm: {after}; build them in warm (screens/dashboard/view.py)"
