"""The member screen tests' clock (noon, 25 November 2026) and the ways into a member's page
they take: a member and a contact written through the store, the app on that clock, the page
opened as the roster opens it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.member.detail import MemberScreen
from store.actor import Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import TEST_ACTOR, enter_as, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app

NOW = datetime(2026, 11, 25, 12, 0).astimezone().astimezone(UTC)
"""Noon on 25 November 2026 where the tests run: "today" for the app and the store alike."""
TODAY = date(2026, 11, 25)


def clock(moment: datetime = NOW) -> Callable[[], datetime]:
    """A store clock stopped at ``moment``, so ages and "N days ago" never drift."""
    return lambda: moment


def add_member(db_path: Path, fields: Mapping[str, Any], *, on: datetime = NOW) -> str:
    """Put a member on the roster through the store, on the day ``on``; returns its id."""
    doc = members.add(Database(db_path, clock=clock(on)), TEST_ACTOR, fields)
    return str(doc["id"])


def log_contact(
    db_path: Path, member_id: str, day: date, note: str = "", method: str = "phone"
) -> dict[str, Any]:
    """Log a contact with the member on ``day`` through the store (by 王芳); the stored entry."""
    raw = {"date": day.isoformat(), "note": note, "method": method, "by": "王芳"}
    return contacts.add_contact(Database(db_path, clock=clock()), TEST_ACTOR, member_id, raw)


def app_for(db_path: Path, lang: str = "en") -> ShequApp:
    """The app with its store's clock at NOW, so "today" and "N days ago" never drift."""
    app = make_app(db_path, lang=lang)
    app.db.clock = clock()
    return app


async def open_member(pilot: Pilot[None], member_id: str, role: Role = Role.ADMIN) -> MemberScreen:
    """Log in as ``role`` and open the member, as the roster does."""
    await enter_as(pilot, role)
    await settle(pilot)
    return await push_member(pilot, member_id)


async def push_member(pilot: Pilot[None], member_id: str) -> MemberScreen:
    """Open the member's page over whatever is on top (no log-in) and wait until it is read."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    screen = MemberScreen(app.session, "Roster", member_id)
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.loaded, "the member to load")
    await settle(pilot)
    return screen
