"""The version 3 upgrade on a real file written by version 2 (h14 at ea168b7): every member's
search and sort keys are computed again, so a search no longer finds people by readings nobody
uses and the roster keeps one surname together (issue 17)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from screens.roster.view import RosterFilter, build_roster
from store.engine.database import Database
from store.engine.migrations import SCHEMA_VERSION
from store.members.search_keys import search_keys, sort_key
from store.members.summary import members_of
from store.named import named_sort_key

V2_FILE = Path(__file__).parent / "data" / "v2-demo.json"  # v1-demo.json saved by h14, + 4 names
TODAY = date(2026, 12, 6)


def _found(db: Database, query: str) -> list[str]:
    from store.users import ops as users

    actor = users.authenticate(db, "coordinator", "2345")
    roster = build_roster(db.snapshot(), actor, TODAY)
    return [row.name for row in roster.select(query, RosterFilter(), "name")]


def test_a_version_2_file_has_its_keys_computed_again_on_its_first_save(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    shutil.copyfile(V2_FILE, path)
    original = path.read_bytes()
    old = json.loads(original)
    assert old["_meta"]["1"]["schema_version"] == 2
    old_keys = {m["name"]: m["search_keys"] for m in old["members"].values()}
    assert "wangmei" in old_keys["方梅"] and "yudegui" in old_keys["王德桂"]

    db = Database(path)
    before = [m.name for m in members_of(db.snapshot())]  # read as it is: no pypinyin, no save
    assert "方梅" in before

    found = _found(db, "wang")  # the login saves: the upgrade runs first, after a backup
    assert found == ["王德桂", "王娟小"]  # not 方梅; surname matches in roster order
    backups = sorted(db.backup_dir.iterdir())
    assert [b.read_bytes() == original for b in backups if "migration" in b.name] == [True]

    new = json.loads(path.read_bytes())
    assert new["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3
    named = {"teams": "name", "zones": "name", "trainings": "title"}  # store/named.py
    ordered = {"teams", "zones"}  # listed in pinyin order: their sort key too
    for table in old:
        if table in named:  # found by name in Ctrl+P: keys added, nothing else
            assert new[table] == {
                doc_id: doc
                | {"search_keys": search_keys(doc[named[table]])}
                | ({"sort_key": named_sort_key(doc["name"])} if table in ordered else {})
                for doc_id, doc in old[table].items()
            }
        elif table not in ("members", "_meta", "users"):  # users: the login's own save
            assert new[table] == old[table]
    assert {"南区", "nanqu", "nq"} <= set(new["zones"]["3"]["search_keys"])
    for doc_id, member in old["members"].items():
        upgraded = new["members"][doc_id]
        derived = ("sort_key", "search_keys")
        assert {k: v for k, v in upgraded.items() if k not in derived} == {
            k: v for k, v in member.items() if k not in derived
        }
        assert upgraded["search_keys"] == search_keys(member["name"])
        assert upgraded["sort_key"] == sort_key(member["name"])
    keys = {m["name"]: m["search_keys"] for m in new["members"].values()}
    assert "wangmei" not in keys["方梅"] and "yudegui" not in keys["王德桂"]
    assert "shumei" not in keys["朱梅"]  # 朱 read shu, archaic

    assert _found(db, "yudegui") == []
    assert _found(db, "zeng") == _found(db, "ceng") == ["曾小明"]
    names = _found(db, "")
    assert names.index("朱梅") < names.index("诸葛亮")  # zhu before zhu-ge


def test_an_upgraded_file_is_not_upgraded_again(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    shutil.copyfile(V2_FILE, path)
    db = Database(path)
    _found(db, "")
    upgraded = json.loads(path.read_bytes())["members"]
    _found(Database(path), "")  # a second session logs in
    assert json.loads(path.read_bytes())["members"] == upgraded
    assert len([b for b in Database(path).backup_dir.iterdir() if "migration" in b.name]) == 1


def test_teams_zones_and_sessions_get_keys_when_written(tmp_path: Path) -> None:
    """What the command palette searches is stored with the name (store/named.py), in every
    way a team, a zone or a session is written: added, renamed, made by the demo."""
    from store.actor import Actor, Role
    from store.demo import make_demo
    from store.patrols import ops as patrols
    from store.training import ops as training

    admin = Actor("admin", Role.ADMIN)
    db = Database(tmp_path / "shequ.json")
    team = patrols.add_team(db, admin, {"name": "巡逻一队"})
    assert team["search_keys"] == ["巡逻一队", "xunluoyidui", "xlyd"]
    renamed = patrols.update_team(db, admin, team["id"], {"name": "夜巡队"}, team["version"])
    assert renamed["search_keys"][:2] == ["夜巡队", "yexundui"]
    zone = patrols.add_zone(db, admin, {"name": "西区"})
    assert {"xiqu", "xq"} <= set(zone["search_keys"])
    session = training.add_session(
        db, admin, {"title": "消防安全培训", "date": "2026-03-10", "hours": 2}
    )
    assert "xfaqpx" in session["search_keys"]
    marked = training.record_attendance(db, admin, session["id"], {}, session["version"])
    assert marked["search_keys"] == session["search_keys"]  # an update keeps them

    demo = Database(tmp_path / "demo.json")
    make_demo(demo, admin, members=20)
    snap = demo.snapshot()
    for table, field in (("teams", "name"), ("zones", "name"), ("trainings", "title")):
        docs = snap.all(table)
        assert docs and all(doc["search_keys"] == search_keys(doc[field]) for doc in docs)
