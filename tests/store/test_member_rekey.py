"""Members stored without their pinyin keys, or with another name's (a file edited by hand): read
right, reported by ``shequ check``, repaired once by ``shequ members rekey``.

Real files in a tmp folder; the raw records go in through a transaction's plain insert and
update, as a hand-edited file or another program would leave them (no validation, no keys).
The fresh-process tests check that pypinyin is imported only when such a member is read.
"""

from __future__ import annotations

from pathlib import Path

from store.actor import Actor, Role
from store.engine import audit
from store.engine.check import check
from store.engine.database import Database
from store.members import ops as members
from store.members.rekey import REPAIR, rekey
from store.members.search_keys import search_keys, sort_key
from store.members.summary import build, members_of
from tests.fresh import run_fresh

ADMIN = Actor("admin", Role.ADMIN)
RAW = Actor("hand", Role.ADMIN)


def make_file(path: Path) -> dict[str, str]:
    """Keyed members saved by the store, then a keyless one, a stale one (李四's keys on a name
    edited to 曾小明), one with nothing to spell, and a keyless Latin name; their ids by name."""
    db = Database(path)
    for name in ("王五", "赵六", "安七"):
        members.add(db, ADMIN, {"name": name})
    with db.transaction(RAW) as tx:
        keyless = tx.insert("members", {"name": "张三", "phone": "13900000001"})
        stale = tx.insert(
            "members",
            {"name": "曾小明", "search_keys": search_keys("李四"), "sort_key": sort_key("李四")},
        )
        tx.insert("members", {"name": "·"})
        latin = tx.insert("members", {"name": "Li Ming", "search_keys": []})
    return {"张三": keyless["id"], "曾小明": stale["id"], "Li Ming": latin["id"]}


def roster_names(db: Database) -> list[str]:
    return [m.name for m in sorted(members_of(db.snapshot()), key=lambda m: m.sort_key)]


def found(db: Database, query: str) -> list[str]:
    return [str(doc["name"]) for doc in members.search(db.snapshot(), query)]


def test_members_without_keys_are_sorted_and_found_by_their_pinyin(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    make_file(path)
    db = Database(path)
    # 安 an, Li, 王 wang, 曾 Zeng (the surname's reading), 张 zhang, 赵 zhao: none sorts last for
    # having no keys (before, 张三 and 曾小明 came after every keyed name and 李四's keys put 曾小明
    # among the L); "·" has nothing to spell and sorts by itself, first.
    assert roster_names(db) == ["·", "安七", "Li Ming", "王五", "曾小明", "张三", "赵六"]
    summaries = {m.name: m for m in members_of(db.snapshot())}
    assert "zs" in summaries["张三"].name_blob.split("\n")
    assert summaries["曾小明"].sort_key == sort_key("曾小明")
    assert summaries["Li Ming"].sort_key == "li-ming"
    # The roster's search (the summaries) and the CLI's (MemberIndex over the documents).
    for query, name in (
        ("zs", "张三"),
        ("zhangsan", "张三"),
        ("zxm", "曾小明"),
        ("liming", "Li Ming"),
    ):
        assert [m.name for m in members_of(db.snapshot()) if query in m.name_blob] == [name]
        assert found(db, query) == [name]
    assert found(db, "ls") == []  # the stale keys' name finds nobody


def test_check_names_each_member_to_repair_and_rekey_stores_their_keys_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shequ.json"
    ids = make_file(path)
    db = Database(path)
    problems = check(db)
    assert {(p.table, p.record_id) for p in problems} == {("members", i) for i in ids.values()}
    lines = {p.record_id: str(p) for p in problems}
    assert "张三 has no pinyin search keys stored" in lines[ids["张三"]]
    assert "Li Ming has no pinyin search keys stored" in lines[ids["Li Ming"]]
    assert "stored for 曾小明 are not those of the name" in lines[ids["曾小明"]]
    assert all(REPAIR in line and "\n" not in line for line in lines.values())

    before = {m.id: m for m in members_of(db.snapshot())}
    done = rekey(db, ADMIN)
    assert (done.stored, done.members) == (3, 7)
    assert done.summary() == "Stored the pinyin keys of 3 members of 7."
    assert check(Database(path)) == []
    stored = {doc["id"]: doc for doc in Database(path).snapshot().all("members")}
    for name, member_id in ids.items():
        doc = stored[member_id]
        assert (doc["search_keys"], doc["sort_key"]) == (search_keys(name), sort_key(name))
        assert doc["version"] == 2 and doc["updated_by"] == "admin"
    # Read from the stored keys now: the same summaries as computed on read (but the version).
    after = {m.id: m for m in build(Database(path).snapshot())}
    assert {i: (m.blob, m.sort_key) for i, m in after.items()} == {
        i: (m.blob, m.sort_key) for i, m in before.items()
    }

    logged = [e for e in audit.read(db.audit_path) if e.get("who") == "admin"]
    rekeyed = [e for e in logged if e.get("op") == "update"]
    assert {e["id"] for e in rekeyed} == set(ids.values())
    assert all(set(e["after"]) <= {"search_keys", "sort_key"} for e in rekeyed)

    data, log = path.read_bytes(), db.audit_path.read_bytes()
    again = rekey(Database(path), ADMIN)
    assert (again.stored, again.members) == (0, 7)
    assert again.summary() == "The pinyin keys of all 7 members were in place; nothing changed."
    assert path.read_bytes() == data and db.audit_path.read_bytes() == log


def test_another_session_follows_the_repair_and_the_raw_member(tmp_path: Path) -> None:
    """A session holding the members follows a raw insert and the repair from the change log,
    and gets what a fresh read gives."""
    path = tmp_path / "shequ.json"
    members.add(Database(path), ADMIN, {"name": "王五"})
    session = Database(path)
    members_of(session.snapshot())
    with Database(path).transaction(RAW) as tx:
        tx.insert("members", {"name": "张三"})
    held = members_of(session.snapshot())
    assert [m.name for m in held if "zs" in m.name_blob] == ["张三"]
    rekey(Database(path), ADMIN)
    held = members_of(session.snapshot())
    assert list(held) == build(Database(path).snapshot()).members
    assert [m.name for m in sorted(held, key=lambda m: m.sort_key)] == ["王五", "张三"]


READ = r"""
import sys
from pathlib import Path
from store.engine.database import Database
from store.members.summary import members_of

found = [m.name for m in members_of(Database(Path(sys.argv[1])).snapshot()) if "zs" in m.blob]
print(" ".join(found), "pypinyin" in sys.modules)
"""


def read_fresh(path: Path) -> str:
    return run_fresh(READ, str(path))


def test_pypinyin_is_imported_only_when_a_member_without_keys_is_read(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    for name in ("张三", "王五"):
        members.add(Database(path), ADMIN, {"name": name})
    assert read_fresh(path) == "张三 False"  # every member has its keys: no pypinyin

    with Database(path).transaction(RAW) as tx:
        tx.insert("members", {"name": "赵重山"})  # zcs, and zzs: 重 zhong as well as chong
    assert read_fresh(path) == "张三 赵重山 True"

    rekey(Database(path), ADMIN)
    assert read_fresh(path) == "张三 赵重山 False"
