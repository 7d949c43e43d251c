"""A small community with a patrol week for the patrol screen tests, on a fixed clock, and the
ways into the patrol screens those tests take (the app on that clock, the week, a shift, its
check-in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.patrols.checkin import CheckInDialog
from screens.patrols.places import PlacesScreen
from screens.patrols.shift import ShiftScreen
from screens.patrols.week import PatrolsScreen
from screens.shell.messages import LoggedIn
from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.members import ops as members
from store.patrols import assign, ops, reads, templates
from tests.screens.helpers import enter_as, on_top, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app

# Wednesday 2 December 2026, 10:00 where the tests run (week 2026-W49: Nov 30 - Dec 6).
NOW = dt.datetime(2026, 12, 2, 10, 0).astimezone()
TODAY = NOW.date()
MONDAY = dt.date(2026, 11, 30)
ROOT = Actor("os:test", Role.ADMIN)


def fixed_clock() -> Callable[[], dt.datetime]:
    return lambda: NOW


def database(db_path: Path) -> Database:
    """A session on the file at ``db_path`` (the setup's, or another one's) on the fixed clock."""
    return Database(db_path, clock=fixed_clock())


def patrol_week(db_path: Path) -> dict[str, Any]:
    """Members, a zone, a team and this week's shifts: one understaffed, one full, one empty."""
    db = database(db_path)
    people = {
        name: members.add(db, ROOT, {"name": name, "birth_date": born, "category": "retired"})["id"]
        for name, born in (("张三", "1960-03-01"), ("李四", "1962-05-01"), ("王五", "1965-01-01"))
    }
    zone = ops.add_zone(db, ROOT, {"name": "东区"})["id"]
    west = ops.add_zone(db, ROOT, {"name": "西区"})["id"]
    team = ops.add_team(db, ROOT, {"name": "巡逻一队", "member_ids": list(people.values())})["id"]
    base = {"zone_id": zone, "team_id": team, "min_people": 2, "max_people": 3}
    shifts = {}
    for offset in range(7):
        day = (MONDAY + dt.timedelta(days=offset)).isoformat()
        shifts[day] = ops.add_shift(
            db, ROOT, {**base, "date": day, "start": "19:00", "end": "21:00"}
        )["id"]
    morning = ops.add_shift(
        db,
        ROOT,
        {
            **base,
            "zone_id": west,
            "date": TODAY.isoformat(),
            "start": "08:00",
            "end": "10:00",
            "max_people": 2,
        },
    )["id"]
    for name in ("张三", "李四"):
        assign.assign(db, ROOT, shifts[TODAY.isoformat()], people[name])
        assign.assign(db, ROOT, morning, people[name])
    assign.assign(db, ROOT, shifts[MONDAY.isoformat()], people["王五"])
    return {
        "db": db,
        "people": people,
        "shifts": shifts,
        "morning": morning,
        "zone": zone,
        "team": team,
    }


def shift_on(db_path: Path, shift_id: str) -> Any:
    """The shift as stored now (read afresh from the file)."""
    found = reads.shift(Database(db_path).snapshot(), shift_id)
    assert found is not None
    return found


def statuses_on(db_path: Path, shift_id: str) -> dict[str, AssignmentStatus]:
    """Each person on the stored shift: their check-in mark."""
    return {a.member_id: a.status for a in shift_on(db_path, shift_id).assignments}


# -- into the patrol screens ---------------------------------------------------------------------


def app_for(db_path: Path, lang: str) -> ShequApp:
    """The app on ``db_path`` in ``lang``, its clock the fixed one."""
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    return app


async def open_patrols(
    pilot: Pilot[Any], role: Role = Role.COORDINATOR, **actor: Any
) -> PatrolsScreen:
    """Signed in with ``role`` (as ``actor``'s name, user and member ids, if given), the week
    shown."""
    if actor:
        pilot.app.post_message(LoggedIn(Actor(role=role, **actor), actor["name"]))
        await wait_until(pilot, lambda: pilot.app.current_mode != "gate", "the login")
    else:
        await enter_as(pilot, role)
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PatrolsScreen)
    await wait_until(pilot, lambda: screen.view is not None, "the week")
    return screen


async def open_shift(pilot: Pilot[Any], week: PatrolsScreen, shift_id: str) -> ShiftScreen:
    """The shift's screen, opened from the week."""
    week.open_shift(shift_id)
    return await on_top(pilot, ShiftScreen)


async def open_check_in(pilot: Pilot[Any], shift_id: str) -> CheckInDialog:
    """The check-in dialog of the shift (a coordinator, from the week), its first read done."""
    await open_shift(pilot, await open_patrols(pilot), shift_id)
    await pilot.press("c")
    return await on_top(pilot, CheckInDialog, lambda dialog: dialog.data_token is not None)


def stored_teams(db_path: Path) -> dict[str, Any]:
    return {t.name: t for t in reads.teams(Database(db_path).snapshot(), include_archived=True)}


def stored_zones(db_path: Path) -> dict[str, Any]:
    return {z.name: z for z in reads.zones(Database(db_path).snapshot(), include_archived=True)}


async def open_places(pilot: Pilot[Any], role: Role) -> PlacesScreen:
    await open_patrols(pilot, role)
    await pilot.press("z")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PlacesScreen), "teams, zones")
    screen = pilot.app.screen
    assert isinstance(screen, PlacesScreen)
    await wait_until(pilot, lambda: screen.loaded, "the lists")
    await settle(pilot)
    return screen


def with_templates(world: dict[str, Any]) -> dict[str, Any]:
    """``world`` (:func:`patrol_week`) and two weekly templates, one of them named and teamed;
    ``world["template"]`` is the named one's id."""
    db = world["db"]
    evening = templates.add_template(
        db,
        ROOT,
        {
            "name": "晚间巡逻",
            "weekdays": "周一、周三、周五",
            "start": "19:00",
            "end": "21:00",
            "zone_id": world["zone"],
            "team_id": world["team"],
            "min_people": 2,
            "max_people": 3,
        },
    )
    templates.add_template(
        db,
        ROOT,
        {"weekdays": "周六、周日", "start": "8:00", "end": "9:30", "zone_id": world["zone"]},
    )
    return world | {"template": str(evening["id"])}


def named(db_path: Path, name: str = "幸福里社区") -> None:
    """The community's name in the settings, written on the fixed clock (the change log shows
    when)."""
    with database(db_path).transaction(ROOT) as tx:
        tx.insert("settings", {"community_name": name})
