"""``shequ check`` names the members stored without pinyin keys and ``shequ members rekey``
stores them, as real processes on a real file (the members written raw, as a hand edit would)."""

from __future__ import annotations

import json
from pathlib import Path

from store.actor import Actor, Role
from store.engine.database import Database
from tests.e2e.cli import no_traceback, shequ


def test_check_then_rekey_then_check_again(tmp_path: Path) -> None:
    db = tmp_path / "shequ.json"
    assert shequ("members", "add", "--name", "王五", db=db).returncode == 0
    with Database(db).transaction(Actor("hand", Role.ADMIN)) as tx:
        keyless = tx.insert("members", {"name": "张三"})["id"]

    checked = shequ("check", db=db)
    no_traceback(checked)
    assert checked.returncode == 1
    assert (
        f"members {keyless}: 张三 has no pinyin search keys stored (they are worked out at "
        "every read); run “shequ members rekey” to store them."
    ) in checked.stdout.splitlines()
    assert "1 problem(s) found" in checked.stdout

    fixed = shequ("members", "rekey", db=db)
    no_traceback(fixed)
    assert (fixed.returncode, fixed.stdout) == (0, "Stored the pinyin keys of 1 member of 2.\n")
    member = next(m for m in json.loads(db.read_bytes())["members"].values() if m["id"] == keyless)
    assert member["search_keys"][:3] == ["张三", "zhangsan", "zs"]
    assert shequ("members", "list", "--search", "zs", db=db).stdout.count("张三") == 1

    again = shequ("members", "rekey", db=db)
    assert (again.returncode, again.stdout) == (
        0,
        "The pinyin keys of all 2 members were in place; nothing changed.\n",
    )
    assert shequ("check", db=db).returncode == 0

    chinese = shequ("members", "rekey", db=db, env={"LANG": "zh_CN.UTF-8"})
    assert chinese.returncode == 0 and "拼音" in chinese.stdout


def test_rekey_without_a_database_says_so(tmp_path: Path) -> None:
    missing = shequ("members", "rekey", db=tmp_path / "none.json")
    no_traceback(missing)
    assert missing.returncode == 1 and "there is no database" in missing.stderr
    assert not (tmp_path / "none.json").exists()


def test_patrols_rekey_stores_the_keys_check_names(tmp_path: Path) -> None:
    """Teams, zones and templates: ``shequ check`` names a team written without keys and
    ``shequ patrols rekey`` stores them (store/patrols/rekey.py)."""
    db = tmp_path / "shequ.json"
    assert shequ("members", "add", "--name", "王五", db=db).returncode == 0
    with Database(db).transaction(Actor("hand", Role.ADMIN)) as tx:
        keyless = tx.insert("teams", {"name": "巡逻一队"})["id"]

    checked = shequ("check", db=db)
    no_traceback(checked)
    assert checked.returncode == 1
    assert (
        f"teams {keyless}: “巡逻一队” has no pinyin keys stored (its place in lists is worked "
        "out at every read); run “shequ patrols rekey” to store them."
    ) in checked.stdout.splitlines()

    fixed = shequ("patrols", "rekey", db=db)
    no_traceback(fixed)
    assert (fixed.returncode, fixed.stdout) == (
        0,
        "Stored the pinyin keys of 1 team, zone or template of 1.\n",
    )
    team = json.loads(db.read_bytes())["teams"]
    assert [t["sort_key"] for t in team.values()] == ["xun 05de1 luo-000001-dui"]
    assert shequ("check", db=db).returncode == 0
    chinese = shequ("patrols", "rekey", db=db, env={"LANG": "zh_CN.UTF-8"})
    assert chinese.returncode == 0 and "拼音" in chinese.stdout
