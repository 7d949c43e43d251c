"""The ``shequ`` command run as a real process, as admins and scripts run it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.e2e.cli import no_traceback, shequ


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "shequ.json"


def test_demo_makes_a_community_and_refuses_real_data(db: Path) -> None:
    made = shequ("demo", "--members", "40", db=db)
    assert made.returncode == 0, made.stderr
    data = json.loads(db.read_bytes())
    assert len(data["members"]) == 40
    assert data["_meta"]["1"]["demo"] is True
    assert data["shifts"] and data["trainings"] and data["contacts"]

    # --if-missing leaves an existing database alone.
    before = db.read_bytes()
    assert shequ("demo", "--if-missing", db=db).returncode == 0
    assert db.read_bytes() == before

    # A real (non-demo) database is never replaced by a demo.
    real = db.with_name("real.json")
    assert (
        shequ("members", "add", "--name", "张三", "--category", "retired", db=real).returncode == 0
    )
    real_bytes = real.read_bytes()
    refused = shequ("demo", db=real)
    assert refused.returncode == 1
    assert "real data" in refused.stderr
    no_traceback(refused)
    assert real.read_bytes() == real_bytes


def test_members_add_then_search_by_pinyin_and_phone(db: Path) -> None:
    added = shequ(
        "members",
        "add",
        "--name",
        "曾小明",
        "--phone",
        "+86 138-0000-0001",
        "--category",
        "在职党员",
        "--birth-date",
        "1958年3月",
        db=db,
    )
    assert added.returncode == 0, added.stderr
    for query in ("zxm", "cengxiaoming", "zengxiaoming", "曾", "0000000"):
        found = shequ("members", "list", "--search", query, "--format", "json", db=db)
        assert found.returncode == 0, found.stderr
        rows = json.loads(found.stdout)
        assert [r["name"] for r in rows] == ["曾小明"], query
        assert rows[0]["phone"] == "13800000001"
    none = shequ("members", "list", "--search", "lisi", "--format", "json", db=db)
    assert json.loads(none.stdout) == []


def test_members_add_reports_every_bad_field_without_writing(db: Path) -> None:
    bad = shequ(
        "members",
        "add",
        "--name",
        "周九",
        "--phone",
        "1380000001x",
        "--birth-date",
        "1965-02-30",
        "--category",
        "未知类别",
        db=db,
    )
    assert bad.returncode == 1
    no_traceback(bad)
    for option in ("--phone", "--birth-date", "--category"):
        assert option in bad.stderr
    assert not db.exists()


def test_list_formats_are_safe_for_terminals_and_spreadsheets(db: Path) -> None:
    for name in ("=HYPERLINK(1)", "[bold]x[/]", "x\x1b]0;pwned\x07y"):
        result = shequ("members", "add", "--name", name, "--category", "other", db=db)
        assert result.returncode == 0, result.stderr
    table = shequ("members", "list", db=db)
    assert "\x1b" not in table.stdout
    assert "[bold]x[/]" in table.stdout
    assert "3 member(s)." in table.stdout
    rows = list(csv.reader(io.StringIO(shequ("members", "list", "--format", "csv", db=db).stdout)))
    names = {row[0] for row in rows[1:]}
    assert names == {"'=HYPERLINK(1)", "[bold]x[/]", "xy"}


def test_check_backup_restore(db: Path) -> None:
    assert shequ("demo", "--members", "20", db=db).returncode == 0
    healthy = shequ("check", db=db)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr

    backup = shequ("backup", db=db)
    assert backup.returncode == 0
    saved = Path(backup.stdout.strip().split(": ", 1)[1])
    assert saved.exists() and saved.read_bytes() == db.read_bytes()

    # Break a reference: check names it and exits 1.
    data = json.loads(db.read_bytes())
    contact = next(iter(data["contacts"].values()))
    contact["member_id"] = "0" * 32
    db.write_text(json.dumps(data), encoding="utf-8")
    broken = shequ("check", db=db)
    assert broken.returncode == 1
    assert "member_id" in broken.stdout and "0" * 32 in broken.stdout

    restored = shequ("restore", str(saved), db=db)
    assert restored.returncode == 0, restored.stderr
    # The backup's records, each with a version above any saved before (and _meta naming the
    # restore), so that no form opened before it saves over it unasked.
    after, before = json.loads(db.read_bytes()), json.loads(saved.read_bytes())
    for table, docs in before.items():
        if table != "_meta":
            assert {k: {**d, "version": 0} for k, d in after[table].items()} == {
                k: {**d, "version": 0} for k, d in docs.items()
            }
            assert all(after[table][k]["version"] > d["version"] for k, d in docs.items())
    assert shequ("check", db=db).returncode == 0
    assert len(list((db.parent / "backups").glob("shequ-*-restore.json"))) == 1


def test_damaged_database_is_a_sentence_not_a_traceback(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b'{"members": {"1": {"name": "\xe5\xbc')
    before = db.read_bytes()
    for args in (("check",), ("members", "list"), ("members", "add", "--name", "x"), ("backup",)):
        result = shequ(*args, db=db)
        assert result.returncode == 1, args
        no_traceback(result)
        assert str(db) in result.stdout + result.stderr
    assert db.read_bytes() == before


def test_usage_errors_exit_2(db: Path) -> None:
    for args in (("frobnicate",), ("demo", "--members", "0"), ("members",), ("--lang", "fr")):
        result = shequ(*args, db=db)
        assert result.returncode == 2, args
        no_traceback(result)


def test_runs_under_lang_c(db: Path) -> None:
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    assert (
        shequ(
            "members", "add", "--name", "张三", "--category", "retired", db=db, env=env
        ).returncode
        == 0
    )
    listed = shequ("members", "list", db=db, env=env)
    assert listed.returncode == 0
    assert "张三" in listed.stdout


def test_chinese_messages_with_lang_zh(db: Path) -> None:
    result = shequ("--lang", "zh", "members", "list", db=db)
    assert result.returncode == 1
    assert "没有数据库" in result.stderr


@pytest.mark.slow
def test_four_processes_adding_at_once_lose_nobody(db: Path) -> None:
    """Four volunteers' scripts run `shequ members add` at the same moment, again and again."""
    from concurrent.futures import ThreadPoolExecutor

    def add_several(worker: int) -> list[int]:
        return [
            shequ("members", "add", "--name", f"队员{worker}-{n}", db=db).returncode
            for n in range(6)
        ]

    db.parent.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = [code for codes in pool.map(add_several, range(4)) for code in codes]
    assert codes == [0] * 24
    members = json.loads(db.read_bytes())["members"].values()
    assert sorted(m["name"] for m in members) == sorted(
        f"队员{w}-{n}" for w in range(4) for n in range(6)
    )
    assert len({m["id"] for m in members}) == 24
