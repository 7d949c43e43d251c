"""The roster tests' community and the ways into the roster they take (open it, find a row),
and the checks that a roster kept and followed by a session equals one built afresh."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.roster.list import RosterList
from screens.roster.screen import RosterScreen
from screens.roster.view import SORTS, Roster, RosterFilter
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import enter_as, settle, wait_until
from tui.app import ShequApp

ADMIN = Actor("setup", Role.ADMIN)
"""Who adds the tests' members (through the store, as the app does)."""

PEOPLE: list[dict[str, Any]] = [
    {"name": "张三丰", "phone": "13800138000", "category": "retired", "grid": "第1网格"},
    {"name": "李四", "phone": "13900139000", "category": "mobile_out", "grid": "第2网格"},
    {"name": "曾国强", "phone": "13700137000", "category": "in_service", "grid": "第1网格"},
    {
        "name": "王芳",
        "phone": "13600136000",
        "category": "mobile_in",
        "building": "3",
        "unit": "2",
        "room": "502",
    },
]
"""Four members: two grids, two mobile, one with an address rather than a grid."""

VIEWERS = (Actor("alice", Role.COORDINATOR, user_id="u-alice"), Actor("bob", Role.VOLUNTEER))
"""The roles that see the roster differently from an admin (a volunteer's phones masked)."""

FILTERS = (RosterFilter(), RosterFilter(status="all"), RosterFilter(contact="lapsing"))
"""Filters a volunteer might have chosen; each keeps its own list a session follows."""


def add_people(db_path: Path, people: Iterable[Mapping[str, Any]] = PEOPLE) -> dict[str, str]:
    """Members added the way the app adds them (validated, pinyin keys); name -> id."""
    db = Database(db_path)
    return {str(p["name"]): str(members.add(db, ADMIN, p)["id"]) for p in people}


def listed(app: ShequApp) -> list[str]:
    """The names in the list, in order."""
    return [row.name for row in app.screen.query_one(RosterList).rows]


async def open_roster(pilot: Pilot[Any], role: Role = Role.ADMIN) -> RosterScreen:
    """Log in as ``role``, press 2 and wait until the roster is loaded and on screen."""
    await enter_as(pilot, role)
    await pilot.press("2")
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, RosterScreen) and pilot.app.screen.loaded,
        "the roster to load",
    )
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RosterScreen)
    return screen


async def move_to(pilot: Pilot[Any], name: str) -> None:
    """Put the cursor on ``name`` with the arrow keys."""
    roster = pilot.app.screen.query_one(RosterList)
    roster.focus()
    await pilot.press("home")
    for _ in range(len(roster.rows)):
        if roster.current is not None and roster.current.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the list")


def use_every_view(roster: Roster) -> None:
    """Sort and filter the ways a volunteer might have, so those lists are kept and followed."""
    for order in SORTS:
        for chosen in FILTERS:
            roster.select("", chosen, order.id)


def assert_same_roster(held: Roster, fresh: Roster) -> None:
    """``held`` (kept and followed by a session) shows what ``fresh`` (built from the file now)
    shows: the same rows, counts and grids, and the same lists for every sort, filter and a
    search."""
    assert held.rows == fresh.rows
    assert (held.counts, held.grids) == (fresh.counts, fresh.grids)
    for order in SORTS:
        for chosen in FILTERS:
            assert held.select("", chosen, order.id) == fresh.select("", chosen, order.id)
        assert held.select("wang", FILTERS[0], order.id) == fresh.select(
            "wang", FILTERS[0], order.id
        )
