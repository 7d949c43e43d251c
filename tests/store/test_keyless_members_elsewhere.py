"""Members stored without their pinyin keys (or with another name's) outside the roster: the
training checklist, the member pickers and ``shequ members list`` (MemberIndex) and the patrol
assign list sort them in pinyin order and find them by initials, as the roster does.

Real files in a tmp folder; the raw records go in through a transaction's plain insert, as a
hand-edited file or another program would leave them. The fresh-process test checks that
pypinyin stays unimported while every member has fitting keys.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.members.search_keys import normalize_query, search_keys, sort_key
from store.patrols import assign
from store.patrols import ops as patrols
from store.training import behind, exporting, hours, sessions
from store.training import ops as training
from tests.paths import ROOT

ADMIN = Actor("admin", Role.ADMIN)
COORD = Actor("coord", Role.COORDINATOR, user_id="u-coord")
VOLUNTEER = Actor("vol", Role.VOLUNTEER)
RAW = Actor("hand", Role.ADMIN)

PINYIN_ORDER = ["安七", "Li Ming", "王五", "曾小明", "张三", "赵六"]
"""安 an, Li, 王 wang, 曾 Zeng (the surname's reading), 张 zhang, 赵 zhao. Stored keys alone put
张三 and Li Ming (no keys) first and 曾小明 (李四's keys) among the L."""


RETIRED = {"category": "retired"}  # who owes study hours (the same for all: ties)


def make_file(path: Path) -> dict[str, str]:
    """Keyed members saved by the store, then a keyless 张三, a stale 曾小明 (李四's keys on a
    name edited by hand) and a Latin name with empty keys; every member's id by name."""
    db = Database(path)
    ids = {
        name: str(members.add(db, ADMIN, {"name": name, **RETIRED})["id"])
        for name in ("赵六", "王五")
    }
    with db.transaction(RAW) as tx:
        ids["张三"] = tx.insert("members", {"name": "张三", "phone": "13900000001", **RETIRED})[
            "id"
        ]
        ids["曾小明"] = tx.insert(
            "members",
            {
                "name": "曾小明",
                "search_keys": search_keys("李四"),
                "sort_key": sort_key("李四"),
                **RETIRED,
            },
        )["id"]
        ids["Li Ming"] = tx.insert("members", {"name": "Li Ming", "search_keys": [], **RETIRED})[
            "id"
        ]
    ids["安七"] = str(members.add(db, ADMIN, {"name": "安七", **RETIRED})["id"])
    return ids


def test_the_training_checklist_sorts_and_finds_members_without_keys(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    ids = make_file(path)
    db = Database(path)
    first = training.add_session(db, COORD, {"title": "急救", "date": "2026-03-01", "hours": "2"})
    snap = db.snapshot()
    session = sessions.get_session(snap, COORD, first["id"])
    assert session is not None
    listed = sessions.audience(snap, COORD, session)
    assert [m.name for m in listed] == PINYIN_ORDER
    assert [m.pinyin for m in listed] == [sort_key(name) for name in PINYIN_ORDER]

    def found(query: str) -> list[str]:
        needle = normalize_query(query)
        return [m.name for m in listed if m.matches(needle)]

    assert found("zs") == ["张三"]
    assert found("zhangsan") == ["张三"]
    assert found("zxm") == ["曾小明"]
    assert found("liming") == ["Li Ming"]
    assert found("ls") == []  # the stale keys' name finds nobody

    # The others (outside a branch audience) in the same order; the printed sign-in sheet too.
    members.update(db, ADMIN, ids["王五"], {"branch": "一支部"}, 1)
    doc = training.add_session(
        db,
        COORD,
        {
            "title": "党课",
            "date": "2026-03-02",
            "audience": "branch",
            "audience_value": "一支部",
            "hours": "2",
        },
    )
    snap = db.snapshot()
    session = sessions.get_session(snap, COORD, doc["id"])
    assert session is not None
    listed, others = sessions.audience_and_others(snap, COORD, session)
    assert [m.name for m in listed] == ["王五"]
    assert [m.name for m in others] == [n for n in PINYIN_ORDER if n != "王五"]
    sheet = exporting.sign_in_sheet(db.snapshot(), COORD, first["id"])
    at = [sheet.index(f" {name} ") for name in PINYIN_ORDER]  # numbered lines, this order
    assert at == sorted(at)


def test_study_hours_lists_put_members_without_keys_in_pinyin_order(tmp_path: Path) -> None:
    """Meters, the behind list (its ties) and the dashboard's head of it, the hours report."""
    path = tmp_path / "shequ.json"
    make_file(path)
    snap = Database(path).snapshot()
    today = date(2026, 7, 2)
    assert [m.name for m in hours.meters(snap, COORD, 2025, today)] == PINYIN_ORDER
    # Nobody studied in 2025: all equally behind, so in pinyin order, the first few too.
    assert [m.name for m in hours.behind_pace(snap, COORD, 2025, today)] == PINYIN_ORDER
    count, head = behind.behind_head(snap, COORD, 2025, today, 3)
    assert (count, [m.name for m in head]) == (6, PINYIN_ORDER[:3])
    table = exporting.report_table(snap, COORD, 2025, today)
    assert [row[0] for row in table.rows] == PINYIN_ORDER


def test_member_pickers_and_the_cli_list_sort_and_find_members_without_keys(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shequ.json"
    make_file(path)
    snap = Database(path).snapshot()
    for actor in (None, COORD, VOLUNTEER):  # the CLI; pickers build it for who is at the keys
        index = members.MemberIndex(snap, actor)
        assert [doc["name"] for doc in index.search("")] == PINYIN_ORDER
        assert [doc["name"] for doc in index.search("zs")] == ["张三"]
        assert [doc["name"] for doc in index.search("zxm")] == ["曾小明"]
        assert [doc["name"] for doc in index.search("ls")] == []
    # Ranked as the roster ranks (the surname's start first), each rank in pinyin order:
    # z finds 曾 (zeng), 张 and 赵 at their start; "Li Ming" is not found, 安七 has no z.
    assert [doc["name"] for doc in members.search(snap, "z")] == ["曾小明", "张三", "赵六"]
    assert [doc["name"] for doc in members.search(snap, "3900")] == ["张三"]


def test_the_assign_list_finds_members_without_keys_and_ties_in_pinyin_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shequ.json"
    make_file(path)
    db = Database(path)
    zone = patrols.add_zone(db, COORD, {"name": "东区"})
    team = patrols.add_team(db, COORD, {"name": "巡逻一队"})
    shift = patrols.add_shift(
        db,
        COORD,
        {
            "date": "2030-01-07",
            "start": "19:00",
            "end": "21:00",
            "zone_id": zone["id"],
            "team_id": team["id"],
            "min_people": 1,
            "max_people": 3,
        },
    )
    index = assign.CandidateIndex(db.snapshot(), COORD, str(shift["id"]))
    # Nobody has patrolled: equally fair, so in pinyin order (not by code point: 张 < 曾 < 王).
    assert [c.name for c in index.search("")] == PINYIN_ORDER
    assert [c.name for c in index.search("zs")] == ["张三"]
    assert [c.name for c in index.search("zxm")] == ["曾小明"]
    assert [c.name for c in index.search("ls")] == []


READ = r"""
import sys
from datetime import date
from pathlib import Path
from store.actor import Actor, Role
from store.engine.database import Database
from store.members.ops import MemberIndex
from store.training import sessions

snap = Database(Path(sys.argv[1])).snapshot()
coord = Actor("coord", Role.COORDINATOR)
session = sessions.get_session(snap, coord, sys.argv[2])
listed = sessions.audience(snap, coord, session)
found = [m.name for m in listed if m.matches("zs")]
found += [d["name"] for d in MemberIndex(snap, coord).search("zs")]
print(" ".join(found), "pypinyin" in sys.modules)
"""


def read_fresh(path: Path, session_id: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "SHEQU"))}
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), session_id],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_pypinyin_is_imported_only_when_a_member_without_keys_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    for name in ("张三", "王五"):
        members.add(Database(path), ADMIN, {"name": name})
    doc = training.add_session(
        Database(path), COORD, {"title": "急救", "date": "2026-03-01", "hours": "2"}
    )
    assert read_fresh(path, doc["id"]) == "张三 张三 False"

    with Database(path).transaction(RAW) as tx:
        tx.insert("members", {"name": "赵重山"})  # zcs, and zzs: 重 zhong as well as chong
    assert read_fresh(path, doc["id"]) == "张三 赵重山 张三 赵重山 True"
