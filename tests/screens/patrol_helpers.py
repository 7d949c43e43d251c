"""A small community with a patrol week for the patrol screen tests, on a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.patrols import assign, ops

# Wednesday 2 December 2026, 10:00 where the tests run (week 2026-W49: Nov 30 - Dec 6).
NOW = dt.datetime(2026, 12, 2, 10, 0).astimezone()
TODAY = NOW.date()
MONDAY = dt.date(2026, 11, 30)
ROOT = Actor("os:test", Role.ADMIN)


def fixed_clock() -> Callable[[], dt.datetime]:
    return lambda: NOW


def patrol_week(db_path: Path) -> dict[str, Any]:
    """Members, a zone, a team and this week's shifts: one understaffed, one full, one empty."""
    db = Database(db_path, clock=fixed_clock())
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
