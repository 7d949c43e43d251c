"""Teams, zones and shift templates in the pinyin order of their name (store/named.py), as
members are: stored with the name, worked out on read for a record without fitting keys,
reported by ``shequ check`` and stored once by ``shequ patrols rekey``.

Real files in a tmp folder; raw records go in through a transaction's plain insert, as a
hand-edited file or another program would leave them (no validation, no keys). The
fresh-process test checks that pypinyin is imported only when such a record is read.
"""

from __future__ import annotations

from pathlib import Path

from store.actor import Actor, Role
from store.engine import audit
from store.engine.check import check
from store.engine.database import Database
from store.members.search_keys import search_keys
from store.named import named_sort_key
from store.patrols import ops as patrols
from store.patrols import reads, templates
from store.patrols.exporting import find_team
from store.patrols.rekey import REPAIR, rekey
from tests.fresh import run_fresh

ADMIN = Actor("admin", Role.ADMIN)
RAW = Actor("hand", Role.ADMIN)

NAMES = ["张", "李", "王", "Apple", "曾"]
ORDER = ["Apple", "李", "王", "曾", "张"]
"""apple, li, wang, 曾 zeng (the surname's reading, not ceng), zhang; by code point 张 (5f20)
would come before 曾 (66fe) and 李 (674e), and Apple first only by luck of the alphabet."""


def template(name: str, zone_id: str) -> dict[str, object]:
    return {"name": name, "weekdays": [1], "start": "19:00", "end": "21:00", "zone_id": zone_id}


def test_teams_zones_and_templates_are_listed_in_pinyin_order(tmp_path: Path) -> None:
    db = Database(tmp_path / "shequ.json")
    for name in NAMES:
        patrols.add_team(db, ADMIN, {"name": name + "队"})
        patrols.add_zone(db, ADMIN, {"name": name + "区"})
    zone = reads.zones(db.snapshot())[0]
    for name in NAMES:
        templates.add_template(db, ADMIN, template(name + "巡", zone.id))
    snap = db.snapshot()
    assert [t.name for t in reads.teams(snap)] == [n + "队" for n in ORDER]
    assert [z.name for z in reads.zones(snap)] == [n + "区" for n in ORDER]
    assert [t.name for t in reads.templates(snap)] == [n + "巡" for n in ORDER]
    # Unnamed templates (a name is optional) first, by weekday and start time.
    for day, start in ((3, "07:00"), (1, "20:00"), (1, "06:00")):
        templates.add_template(
            db, ADMIN, template("", zone.id) | {"weekdays": [day], "start": start}
        )
    unnamed = [(t.weekdays[0], f"{t.start:%H:%M}") for t in reads.templates(db.snapshot())[:3]]
    assert unnamed == [(1, "06:00"), (1, "20:00"), (3, "07:00")]
    stored = {doc["name"]: doc for doc in snap.all("teams")}
    assert stored["曾队"]["sort_key"] == named_sort_key("曾队")
    assert stored["曾队"]["sort_key"].startswith("zeng ")
    assert check(db) == []

    # Archived ones keep their place when asked for; a rename moves the team.
    first = reads.teams(snap)[0]
    patrols.update_team(db, ADMIN, first.id, {"name": "周队", "archived": True}, first.version)
    assert [t.name for t in reads.teams(db.snapshot())] == [n + "队" for n in ORDER[1:]]
    every = [t.name for t in reads.teams(db.snapshot(), include_archived=True)]
    assert every == [n + "队" for n in ORDER[1:]] + ["周队"]


def test_numbers_in_names_count(tmp_path: Path) -> None:
    """By pinyin alone 二 (er) comes before 一 (yi) and 10 before 2; a numeral before a counter
    (队, 号, 区), at the end or after 第 counts; one in a word (四季, 十字) is read."""
    db = Database(tmp_path / "shequ.json")
    names = [
        "巡逻十队",
        "巡逻二队",
        "巡逻一队",
        "巡逻队",
        "10号楼",
        "2号楼",
        "四季花园",
        "十字路口",
    ]
    for name in names:
        patrols.add_zone(db, ADMIN, {"name": name})
    assert [z.name for z in reads.zones(db.snapshot())] == [
        "2号楼",
        "10号楼",
        "十字路口",  # shi
        "四季花园",  # si
        "巡逻一队",  # xun-luo-1-dui
        "巡逻二队",
        "巡逻十队",
        "巡逻队",  # xun-luo-dui: after the numbered teams
    ]


def make_file(path: Path) -> dict[str, str]:
    """Keyed teams saved by the store, then a keyless 张队, a stale 曾队 (李队's keys on a name
    edited by hand), a keyless Apple and an unnamed template: ids by name."""
    db = Database(path)
    ids = {name: patrols.add_team(db, ADMIN, {"name": name})["id"] for name in ("王队", "李队")}
    with db.transaction(RAW) as tx:
        ids["张队"] = tx.insert("teams", {"name": "张队"})["id"]
        stale = {"search_keys": search_keys("李队"), "sort_key": named_sort_key("李队")}
        ids["曾队"] = tx.insert("teams", {"name": "曾队", **stale})["id"]
        ids["Apple"] = tx.insert("teams", {"name": "Apple", "search_keys": []})["id"]
        ids["晚巡"] = tx.insert("shift_templates", {"name": "晚巡", "weekdays": [1]})["id"]
        tx.insert("shift_templates", {"name": "", "weekdays": [2]})  # nothing to spell: fine
    return ids


def test_records_without_keys_are_listed_right_reported_and_rekeyed_once(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    ids = make_file(path)
    db = Database(path)
    order = ["Apple", "李队", "王队", "曾队", "张队"]
    assert [t.name for t in reads.teams(db.snapshot())] == order
    assert find_team(db.snapshot(), "曾")[1] == "曾队"

    problems = check(db)
    wanted = {("teams", ids[n]) for n in ("张队", "曾队", "Apple")} | {
        ("shift_templates", ids["晚巡"])
    }
    assert {(p.table, p.record_id) for p in problems} == wanted
    lines = {p.record_id: str(p) for p in problems}
    assert "“张队” has no pinyin keys stored" in lines[ids["张队"]]
    assert "stored for “曾队” are not those of the name" in lines[ids["曾队"]]
    assert all(REPAIR in line and "\n" not in line for line in lines.values())

    done = rekey(db, ADMIN)
    assert (done.stored, done.records) == (4, 7)
    assert done.summary() == "Stored the pinyin keys of 4 teams, zones and templates of 7."
    assert check(Database(path)) == []
    stored = {doc["id"]: doc for doc in Database(path).snapshot().all("teams")}
    for name in ("张队", "曾队", "Apple"):
        doc = stored[ids[name]]
        assert doc["sort_key"] == named_sort_key(name) and doc["version"] == 2
    assert [t.name for t in reads.teams(Database(path).snapshot())] == order
    rekeyed = [e for e in audit.read(db.audit_path) if e.get("op") == "update"]
    assert {e["id"] for e in rekeyed} == set(ids.values()) - {ids["王队"], ids["李队"]}

    data, log = path.read_bytes(), db.audit_path.read_bytes()
    again = rekey(Database(path), ADMIN)
    assert (again.stored, again.records) == (0, 7)
    assert path.read_bytes() == data and db.audit_path.read_bytes() == log


READ = r"""
import sys
from pathlib import Path
from store.engine.database import Database
from store.patrols import reads

snap = Database(Path(sys.argv[1])).snapshot()
names = [t.name for t in (*reads.teams(snap), *reads.zones(snap), *reads.templates(snap))]
print(" ".join(names), "pypinyin" in sys.modules)
"""


def test_pypinyin_is_imported_only_when_a_record_without_keys_is_read(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    db = Database(path)
    for name in ("张队", "Apple"):
        patrols.add_team(db, ADMIN, {"name": name})
    zone = patrols.add_zone(db, ADMIN, {"name": "东区"})
    templates.add_template(db, ADMIN, template("晚巡", zone["id"]))
    assert run_fresh(READ, str(path)) == "Apple 张队 东区 晚巡 False"

    with Database(path).transaction(RAW) as tx:
        tx.insert("teams", {"name": "曾队"})  # written by hand: no keys
    assert run_fresh(READ, str(path)) == "Apple 曾队 张队 东区 晚巡 True"

    rekey(Database(path), ADMIN)
    assert run_fresh(READ, str(path)) == "Apple 曾队 张队 东区 晚巡 False"
