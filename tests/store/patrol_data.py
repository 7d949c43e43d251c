"""A small patrol world for the store tests: members, a team, zones and a shift, on real files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.patrols import ops

COORD = Actor("coord", Role.COORDINATOR, user_id="u-coord")
ADMIN = Actor("root", Role.ADMIN)
"""Who changes the settings a patrol test needs (only admins may)."""
TODAY = dt.date(2024, 1, 8)  # the FakeClock's day (a Monday)


@dataclass
class World:
    db: Database
    people: dict[str, dict[str, Any]]  # by name
    zone: dict[str, Any]
    team: dict[str, Any]

    def id(self, name: str) -> str:
        return str(self.people[name]["id"])

    def shift(
        self, day: dt.date | str = TODAY, start: str = "19:00", end: str = "21:00", **raw: Any
    ) -> str:
        fields = {
            "date": day.isoformat() if isinstance(day, dt.date) else day,
            "start": start,
            "end": end,
            "zone_id": self.zone["id"],
            "team_id": self.team["id"],
            "min_people": 1,
            "max_people": 3,
        }
        return str(ops.add_shift(self.db, COORD, fields | raw)["id"])


PEOPLE = {
    "张三": {"birth_date": "1960-05-01", "category": "retired"},
    "李四": {"birth_date": "1970-05-01", "category": "in_service"},
    "王五": {"birth_date": "1940-05-01", "category": "retired"},  # 83: the senior limit
    "赵六": {"category": "mobile_out", "whereabouts": "深圳"},
    "钱七": {"patrol_exempt": True},
    "孙八": {"status": "archived"},
}


def make_world(db: Database) -> World:
    people = {name: members.add(db, COORD, {"name": name, **raw}) for name, raw in PEOPLE.items()}
    zone = ops.add_zone(db, COORD, {"name": "东区"})
    team = ops.add_team(
        db, COORD, {"name": "巡逻一队", "member_ids": [people["张三"]["id"], people["李四"]["id"]]}
    )
    return World(db, people, zone, team)
