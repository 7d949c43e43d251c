"""Screens do work on another session's save only when it concerns what they show (issue 23):
the patrol week and the sessions list only when it touched their tables (a contact saved
elsewhere costs them no rebuild and no redraw, a shift or a session shows as before), and a
screen under another only once it is shown again.

Real files; the other session is a second Database on the same file; the App's change
watcher is run at once (``check_for_changes``) instead of waiting its second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import screens.patrols.week
import screens.training.screen
from store.contacts import ops as contacts
from store.engine.database import Database
from store.patrols import assign
from store.training import ops as training
from tests.screens.helpers import screen_text, settle, wait_until
from tests.screens.patrol_helpers import ROOT, TODAY, fixed_clock, open_patrols, patrol_week
from tests.screens.patrol_helpers import app_for as patrols_app
from tests.screens.training_helpers import app_for as training_app
from tests.screens.training_helpers import roster, to_training


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


async def test_the_week_is_kept_through_a_contact_and_rebuilt_for_a_shift(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    week = patrol_week(db_path)
    app = patrols_app(db_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_patrols(pilot)
        shown = screen.view
        builds = counting(monkeypatch, screens.patrols.week, "build_week")
        drawn = counting(monkeypatch, type(screen.grid), "show")
        other = Database(db_path, clock=fixed_clock())
        member = next(iter(week["people"].values()))
        contacts.add_contact(other, ROOT, member, {"date": TODAY.isoformat()})
        app.check_for_changes()
        await wait_until(pilot, lambda: screen.token == other.snapshot().token, "the reload")
        await settle(pilot)
        assert builds == [] and drawn == []  # kept: the same week, not drawn again
        assert screen.view is shown

        assign.assign(other, ROOT, week["shifts"][TODAY.isoformat()], week["people"]["王五"])
        app.check_for_changes()
        await wait_until(pilot, lambda: "3/2" in screen_text(app), "the shift's new person")
        assert builds != [] and screen.view is not shown


async def test_the_sessions_are_kept_through_a_contact_and_rebuilt_for_a_session(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = roster(db_path)
    app = training_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_training(pilot)
        shown = screen.view
        builds = counting(monkeypatch, screens.training.screen, "build_sessions")
        other = Database(db_path, clock=fixed_clock())
        contacts.add_contact(other, ROOT, ids[0], {"date": "2026-07-01"})
        app.check_for_changes()
        await wait_until(pilot, lambda: screen.token == other.snapshot().token, "the reload")
        await settle(pilot)
        assert builds == [] and screen.view is shown

        raw = {"title": "消防安全培训", "date": "2026-06-30", "hours": "2"}
        training.add_session(other, ROOT, raw)
        app.check_for_changes()
        await wait_until(pilot, lambda: "消防安全培训" in screen_text(app), "the new session")
        assert builds != [] and screen.view is not shown


async def test_a_screen_under_another_does_nothing_until_it_is_shown_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roster under a member's page is not woken by a save elsewhere (only the screens in
    view are told); shown again, it reads the change once."""
    from screens.member.detail import MemberScreen
    from screens.roster.browse import RosterBrowse
    from store.members import ops as members
    from tests.screens.roster_helpers import ADMIN, add_people, listed, open_roster
    from tui.factory import make_app

    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot)
        shown = len(listed(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        await settle(pilot)
        prepared = counting(monkeypatch, RosterBrowse, "prepare")
        members.add(Database(db_path), ADMIN, {"name": "章子怡"})
        app.check_for_changes()
        await settle(pilot)
        assert prepared == []  # under the member's page: not woken
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is roster, "the roster again")
        await wait_until(pilot, lambda: len(listed(app)) == shown + 1, "the new member")
        assert len(prepared) == 1
