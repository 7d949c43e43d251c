"""A community with something in every group of the dashboard, on a fixed clock.

Wednesday 2 December 2026, 10:00 where the tests run. 张三 was last reached 200
days ago (overdue), 李四 (moved in) 130 days ago (due), 王五 and 赵六 last week.
Thursday's evening shift has one of the two people it needs (王五); 张三 is on two
overlapping Friday shifts (a clash, put there with a reason); 李四 was absent on
Monday (a no-show). Only 王五 has study hours (4, of the 29 due by now): the other
three are behind too. 李四's first-aid certificate expired in November, 张三's
expires on 20 December. A session held on 28 November has no marks yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.members import ops as members
from store.patrols import assign, ops
from store.training import ops as training

NOW = dt.datetime(2026, 12, 2, 10, 0).astimezone()
TODAY = NOW.date()
MONDAY = dt.date(2026, 11, 30)
ROOT = Actor("os:test", Role.ADMIN)
PHONES = {
    "张三": "13800000001",
    "李四": "13912345678",
    "王五": "13700000000",
    "赵六": "13600000000",
}


def fixed_clock() -> Callable[[], dt.datetime]:
    return lambda: NOW


@dataclass(frozen=True)
class Community:
    """The ids the tests look for."""

    db: Database
    people: dict[str, str]
    short: str  # Thursday evening: 1 of 2
    clash: tuple[str, str]  # the two Friday shifts 张三 is on
    absent: str  # Monday's shift 李四 missed
    session: str  # held on 28 November, no marks
    zone: str
    team: str


def community(db_path: Path) -> Community:
    """Write the community (see the module) and return its ids."""
    db = Database(db_path, clock=fixed_clock())
    people: dict[str, str] = {}
    for name, category, days in (
        ("张三", "retired", 200),
        ("李四", "mobile_in", 130),
        ("王五", "in_service", 7),
        ("赵六", "retired", 6),
    ):
        doc = members.add(db, ROOT, {"name": name, "phone": PHONES[name], "category": category})
        people[name] = str(doc["id"])
        day = (TODAY - dt.timedelta(days=days)).isoformat()
        with db.transaction(ROOT) as tx:
            tx.insert("contacts", {"member_id": doc["id"], "method": "phone", "date": day})
    zone = str(ops.add_zone(db, ROOT, {"name": "东区"})["id"])
    team = str(ops.add_team(db, ROOT, {"name": "一队", "member_ids": list(people.values())})["id"])
    base = {"zone_id": zone, "team_id": team, "min_people": 1, "max_people": 3}

    def shift(day: dt.date, start: str, end: str, **more: object) -> str:
        raw = {**base, "date": day.isoformat(), "start": start, "end": end, **more}
        return str(ops.add_shift(db, ROOT, raw)["id"])

    short = shift(TODAY + dt.timedelta(days=1), "19:00", "21:00", min_people=2)
    assign.assign(db, ROOT, short, people["王五"])
    friday = TODAY + dt.timedelta(days=2)
    first, second = shift(friday, "19:00", "21:00"), shift(friday, "20:00", "22:00")
    assign.assign(db, ROOT, first, people["张三"])
    assign.assign(db, ROOT, second, people["张三"], override="两个人都请假了")
    absent = shift(MONDAY, "19:00", "21:00")
    assign.assign(db, ROOT, absent, people["李四"])
    assign.check_in(db, ROOT, absent, {people["李四"]: AssignmentStatus.ABSENT})
    held = training.add_session(db, ROOT, {"title": "党章学习", "date": "2026-03-05", "hours": "4"})
    training.record_attendance(
        db, ROOT, str(held["id"]), {people["王五"]: AssignmentStatus.PRESENT.value}, 1
    )
    session = training.add_session(
        db, ROOT, {"title": "消防安全培训", "date": "2026-11-28", "hours": "2", "kind": "safety"}
    )
    aid = {"name": "救护员证", "kind": "急救", "issued": "2023-07-01"}
    training.add_certificate(db, ROOT, aid | {"member_id": people["李四"], "expires": "2026-11-01"})
    training.add_certificate(db, ROOT, aid | {"member_id": people["张三"], "expires": "2026-12-20"})
    return Community(db, people, short, (first, second), absent, str(session["id"]), zone, team)
