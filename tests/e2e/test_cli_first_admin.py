"""The commands that make a new database say, once, that nobody can log in to it yet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.cli import no_traceback, shequ

NOTICE = "has no account yet"


def test_members_add_on_a_new_database_says_how_to_add_the_first_admin(tmp_path: Path) -> None:
    db = tmp_path / "shequ.json"
    first = shequ("members", "add", "--name", "张三", db=db)
    assert first.returncode == 0, first.stderr
    no_traceback(first)
    assert first.stderr.count(NOTICE) == 1
    assert f"shequ users add NAME --role admin --db {db}" in first.stderr
    assert NOTICE not in first.stdout  # scripts reading stdout get only the result
    again = shequ("members", "add", "--name", "李四", db=db)
    assert again.returncode == 0 and NOTICE not in again.stderr  # once: when it was made


def test_import_members_on_a_new_database_says_so_too(tmp_path: Path) -> None:
    db = tmp_path / "shequ.json"
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名,联系电话\n张三,13800000001\n", encoding="utf-8")
    dry = shequ("import", "members", str(sheet), "--dry-run", db=db)
    assert dry.returncode == 0 and NOTICE not in dry.stderr and not db.exists()
    made = shequ("import", "members", str(sheet), db=db)
    assert made.returncode == 0, made.stderr
    assert made.stderr.count(NOTICE) == 1
    assert len(json.loads(db.read_bytes())["members"]) == 1


def test_no_notice_once_an_account_exists(tmp_path: Path) -> None:
    db = tmp_path / "shequ.json"
    shequ("demo", "--members", "5", db=db)
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名\n王五\n", encoding="utf-8")
    assert NOTICE not in shequ("import", "members", str(sheet), db=db).stderr


def test_the_notice_in_chinese(tmp_path: Path) -> None:
    db = tmp_path / "shequ.json"
    made = shequ("members", "add", "--name", "张三", db=db, env={"LANG": "zh_CN.UTF-8"})
    assert made.returncode == 0, made.stderr
    assert "还没有账号" in made.stderr
