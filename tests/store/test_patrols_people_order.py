"""The lists that kept the order things were stored in now keep the roster's: a shift's people
(every read of shifts, the sign-in sheet, the CSV export), a team's members and the member
export, on real files.

The names are chosen so that the roster's order (the surname's pinyin: 李 li, 区 ou, 王 wang,
曾 zeng, 张 zhang) is neither the order they were added in nor their code points' order
(区 张 曾 李 王), and 王芳 twice, so namesakes go by id.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.members.exporting import export_members
from store.patrols import assign, ops, reads
from store.patrols.exporting import Selection, render
from store.patrols.weeks import monday_of

COORD = Actor("coord", Role.COORDINATOR, user_id="u-coord")
ADMIN = Actor("root", Role.ADMIN)
DAY = dt.date(2024, 1, 8)  # the FakeClock's day
ADDED = ("张伟", "王芳", "李娜", "王芳", "曾强", "区华")  # the order they are put on
ROSTER = ("李娜", "区华", "王芳", "王芳", "曾强", "张伟")


@pytest.fixture
def people(db: Database) -> list[str]:
    """The members' ids in the order they were added (two 王芳)."""
    return [
        str(members.add(db, ADMIN, {"name": name, "birth_date": "1960-05-01"})["id"])
        for name in ADDED
    ]


def roster_ids(people: list[str]) -> list[str]:
    """``people`` in the roster's order, the two 王芳 by id: what every list should show."""
    by_name = sorted(zip(ADDED, people, strict=True), key=lambda pair: ROSTER.index(pair[0]))
    wang = sorted(member_id for name, member_id in by_name if name == "王芳")
    ids = [member_id for _name, member_id in by_name]
    ids[2:4] = wang
    return ids


def names(db: Database, ids: list[str]) -> list[str]:
    found = reads.member_names(db.snapshot(), ids)
    return [found[member_id] for member_id in ids]


def shift_with_everyone(db: Database, people: list[str]) -> str:
    zone = ops.add_zone(db, COORD, {"name": "东区"})["id"]
    fields = {"date": DAY.isoformat(), "start": "19:00", "end": "21:00", "zone_id": zone}
    shift_id = str(ops.add_shift(db, COORD, fields | {"min_people": 1, "max_people": 8})["id"])
    for member_id in people:
        assign.assign(db, COORD, shift_id, member_id)
    return shift_id


def test_assumptions_the_three_orders_differ(db: Database, people: list[str]) -> None:
    assert list(ROSTER) != list(ADDED)
    assert list(ROSTER) != sorted(ADDED)  # code points: 区 张 曾 李 王
    assert names(db, roster_ids(people)) == list(ROSTER)
    assert roster_ids(people) != people


def test_every_read_of_a_shift_has_its_people_in_roster_order(
    db: Database, people: list[str]
) -> None:
    shift_id = shift_with_everyone(db, people)
    snapshot = db.snapshot()
    # Stored in the order they were put on: the reads order them, the file is not rewritten.
    stored = snapshot.get("shifts", shift_id)
    assert stored is not None
    assert [a["member_id"] for a in stored["assignments"]] == people
    want = roster_ids(people)
    one = reads.shift(snapshot, shift_id)
    assert one is not None and [a.member_id for a in one.assignments] == want
    lists = (
        reads.all_shifts(snapshot),
        reads.shifts_between(snapshot, DAY, DAY),
        reads.member_shifts(snapshot, people[0]),
    )
    for found in lists:
        assert [[a.member_id for a in s.assignments] for s in found] == [want]


def test_a_member_no_longer_on_the_roster_comes_last(db: Database, people: list[str]) -> None:
    shift_id = shift_with_everyone(db, people[:2])  # 张伟, 王芳
    with db.transaction(COORD) as tx:  # a hand-edited file: an id the roster does not have
        doc = tx.get("shifts", shift_id)
        places = [{"member_id": "gone"}, *doc["assignments"]]
        tx.update("shifts", shift_id, {"assignments": places}, doc["version"])
    found = reads.shift(db.snapshot(), shift_id)
    assert found is not None
    assert [a.member_id for a in found.assignments] == [people[1], people[0], "gone"]


def test_a_teams_members_are_in_roster_order(db: Database, people: list[str]) -> None:
    team = ops.add_team(
        db, COORD, {"name": "巡逻一队", "member_ids": people, "leader_id": people[0]}
    )
    snapshot = db.snapshot()
    stored = snapshot.get("teams", team["id"])
    assert stored is not None and stored["member_ids"] == people
    one = reads.team(snapshot, team["id"])
    assert one is not None and one.member_ids == roster_ids(people)
    assert one.leader_id == people[0]  # the leader is marked by the screens, not moved
    assert [t.member_ids for t in reads.teams(snapshot)] == [roster_ids(people)]


def test_the_sheet_and_the_csv_list_a_shift_in_roster_order(
    db: Database, people: list[str]
) -> None:
    shift_with_everyone(db, people)
    snapshot = db.snapshot()
    sheet, _count = render(snapshot, Selection(monday_of(DAY)), "sheet", DAY)
    lines = sheet.decode("utf-8").splitlines()
    rows = [line.split()[0] for line in lines if line.startswith("  ") and line.split()[0] in ADDED]
    assert rows == list(ROSTER)
    payload, _count = render(snapshot, Selection(monday_of(DAY)), "csv", DAY)
    table = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    assert [row[6] for row in table[1:]] == list(ROSTER)


def exported_names(db: Database, tmp_path: Path, fmt: str) -> list[str]:
    out = tmp_path / f"roster.{fmt}"
    assert export_members(db, ADMIN, out, fmt) == len(ADDED)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(out, read_only=True)
        rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert rows[0][0] == "姓名"
    return [str(row[0]) for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_member_export_is_in_roster_order(
    db: Database, people: list[str], tmp_path: Path, fmt: str
) -> None:
    # Tell the namesakes apart by their phones, in the order of their ids.
    for member_id, phone in zip(
        roster_ids(people)[2:4], ("13800000001", "13800000002"), strict=True
    ):
        doc = db.snapshot().get("members", member_id)
        assert doc is not None
        members.update(db, ADMIN, member_id, {"phone": phone}, doc["version"])
    assert exported_names(db, tmp_path, fmt) == list(ROSTER)
    out = tmp_path / "again.csv"
    export_members(db, ADMIN, out, "csv")
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [row[6] for row in rows[3:5]] == ["13800000001", "13800000002"]


def test_the_assign_list_offers_the_team_fairest_first_ties_in_roster_order(
    db: Database, people: list[str]
) -> None:
    """Nobody has patrolled yet, so all are equally fair: the team comes in roster order."""
    team = ops.add_team(db, COORD, {"name": "巡逻一队", "member_ids": people})["id"]
    zone = ops.add_zone(db, COORD, {"name": "东区"})["id"]
    fields = {"date": DAY.isoformat(), "start": "19:00", "end": "21:00", "zone_id": zone}
    shift_id = ops.add_shift(db, COORD, fields | {"team_id": team, "max_people": 8})["id"]
    found = assign.CandidateIndex(db.snapshot(), COORD, shift_id).search()
    assert [c.member_id for c in found] == roster_ids(people)
    assert all(c.in_team for c in found)
    # One of them has patrolled (last week): the fairest first, the others still in order.
    past = ops.add_shift(db, COORD, fields | {"date": (DAY - dt.timedelta(days=7)).isoformat()})
    assign.assign(db, COORD, past["id"], people[2])  # 李娜
    found = assign.CandidateIndex(db.snapshot(), COORD, shift_id).search()
    assert [c.member_id for c in found] == [m for m in roster_ids(people) if m != people[2]] + [
        people[2]
    ]
