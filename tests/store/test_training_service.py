"""A member's yearly volunteer service: patrol hours and theme-day service hours, each part and
the total, by the year each was given; volunteers see only their own (real files in tmp)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.errors import PermissionDenied
from store.members import ops as members
from store.training import ops
from store.training.exporting import report_table
from store.training.service import ServiceTotal, everyone_service, yearly_service

ADMIN = Actor("root", Role.ADMIN)
COORD = Actor("alice", Role.COORDINATOR)
NOON = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json", clock=lambda: NOON)


def member(db: Database, name: str) -> str:
    return str(members.add(db, ADMIN, {"name": name})["id"])


def theme_day(db: Database, day: str, marks: dict[str, str], service: str = "3") -> None:
    doc = ops.add_session(
        db,
        COORD,
        {
            "title": "主题党日",
            "kind": "theme_day",
            "date": day,
            "hours": "2",
            "service_hours": service,
        },
    )
    ops.record_attendance(db, COORD, doc["id"], marks, doc["version"])


def shift(db: Database, day: str, marks: dict[str, str]) -> None:
    assignments: list[dict[str, Any]] = [{"member_id": m, "status": s} for m, s in marks.items()]
    with db.transaction(ADMIN) as tx:
        tx.insert(
            "shifts", {"date": day, "start": "19:00", "end": "21:30", "assignments": assignments}
        )


def test_patrols_and_theme_days_each_and_together(db: Database) -> None:
    a, b, c = member(db, "甲"), member(db, "乙"), member(db, "丙")
    theme_day(db, "2026-03-01", {a: "present", b: "absent", c: "excused"})
    theme_day(db, "2026-06-01", {a: "present", b: "present"}, service="1.5")
    theme_day(db, "2025-12-31", {a: "present"})  # last year: not in 2026's total
    shift(db, "2026-04-01", {a: "present", b: "absent"})
    shift(db, "2026-05-01", {b: "present"})
    snap = db.snapshot()
    assert yearly_service(snap, COORD, a, 2026) == ServiceTotal(a, 2026, 2.5, 4.5)
    assert yearly_service(snap, COORD, a, 2026).total == 7
    assert yearly_service(snap, COORD, b, 2026) == ServiceTotal(b, 2026, 2.5, 1.5)
    assert yearly_service(snap, COORD, b, 2026).by_source == {"patrol": 2.5, "theme_days": 1.5}
    assert yearly_service(snap, COORD, c, 2026).total == 0
    assert yearly_service(snap, COORD, a, 2025) == ServiceTotal(a, 2025, 0.0, 3.0)


def test_a_make_up_is_study_not_service(db: Database) -> None:
    a = member(db, "甲")
    doc = ops.add_session(
        db,
        COORD,
        {
            "title": "主题党日",
            "kind": "theme_day",
            "date": "2026-03-01",
            "hours": "2",
            "service_hours": "3",
        },
    )
    ops.record_makeup(db, COORD, doc["id"], a, {"date": "2026-03-09"}, doc["version"])
    assert yearly_service(db.snapshot(), COORD, a, 2026).theme_days == 0


def test_a_volunteer_sees_only_their_own(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    theme_day(db, "2026-03-01", {a: "present", b: "present"})
    mine = Actor("a", Role.VOLUNTEER, member_id=a)
    snap = db.snapshot()
    assert yearly_service(snap, mine, a, 2026).theme_days == 3
    with pytest.raises(PermissionDenied):
        yearly_service(snap, mine, b, 2026)


def test_everyone_at_once_agrees_with_one_at_a_time(db: Database) -> None:
    a, b, c = member(db, "甲"), member(db, "乙"), member(db, "丙")
    theme_day(db, "2026-03-01", {a: "present", b: "absent"})
    shift(db, "2026-04-01", {a: "present", b: "present", c: "absent"})
    shift(db, "2025-04-01", {c: "present"})  # another year
    snap = db.snapshot()
    found = everyone_service(snap, COORD, 2026)
    assert found == {m: yearly_service(snap, COORD, m, 2026) for m in (a, b)}
    assert c not in found  # absent only: gave nothing in 2026
    mine = Actor("b", Role.VOLUNTEER, member_id=b)
    assert everyone_service(snap, mine, 2026) == {b: ServiceTotal(b, 2026, 2.5, 0.0)}


def test_the_yearly_report_shows_the_service_the_member_detail_shows(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    theme_day(db, "2026-03-01", {a: "present"}, service="1.5")
    shift(db, "2026-04-01", {a: "present"})
    snap = db.snapshot()
    table = report_table(snap, COORD, 2026, NOON.date())
    assert table.header[-3:] == ["Patrol hours", "Theme-day hours", "Service hours total"]
    rows = {row[0]: row for row in table.rows}
    assert rows["甲"][-3:] == ["2.5", "1.5", "4"]
    assert yearly_service(snap, COORD, a, 2026).total == 4
    assert rows["乙"][-3:] == ["0", "0", "0"]
    assert b not in everyone_service(snap, COORD, 2026)
