"""``shequ import members`` and ``shequ export members`` run as real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import no_traceback, shequ
from tests.paths import FIXTURES

BOM = FIXTURES / "roster-utf8-bom.csv"
GBK = FIXTURES / "roster-gbk.csv"
HOSTILE = FIXTURES / "roster-hostile.csv"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "shequ.json"


def _members(db: Path) -> list[dict[str, object]]:
    return list(json.loads(db.read_bytes()).get("members", {}).values())


def test_import_reports_refused_rows_and_keeps_the_good_ones(db: Path) -> None:
    result = shequ("import", "members", str(HOSTILE), db=db)
    no_traceback(result)
    assert result.returncode == 1  # some rows were refused
    assert "3 added" in result.stdout and "5 refused" in result.stdout
    for row in (5, 6, 7, 8, 9):
        assert f"Row {row}:" in result.stdout
    names = {str(doc["name"]) for doc in _members(db)}
    assert names == {"[bold]王五[/bold]", "赵六[/]", "钱七"}

    again = shequ("import", "members", str(HOSTILE), db=db)
    assert "0 added" in again.stdout and "3 unchanged" in again.stdout
    assert len(_members(db)) == 3


def test_dry_run_writes_nothing(db: Path) -> None:
    shequ("members", "add", "--name", "张三", db=db)
    before = db.read_bytes()
    result = shequ("import", "members", str(GBK), "--dry-run", db=db)
    no_traceback(result)
    assert result.returncode == 1  # the six joined-before-born rows
    assert "GBK" in result.stdout
    assert "59 to add" in result.stdout and "6 refused" in result.stdout
    assert db.read_bytes() == before


def test_a_clean_file_exits_0_and_an_export_round_trips(db: Path, tmp_path: Path) -> None:
    assert shequ("import", "members", str(BOM), db=db).returncode == 1
    out = tmp_path / "roster.csv"
    exported = shequ("export", "members", "--format", "csv", "--out", str(out), db=db)
    no_traceback(exported)
    assert exported.returncode == 0, exported.stderr
    assert "61" in exported.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")

    clean = shequ("import", "members", str(out), db=db)
    assert clean.returncode == 0, clean.stdout
    assert "0 added" in clean.stdout and "61 unchanged" in clean.stdout

    xlsx = tmp_path / "roster.xlsx"
    assert shequ("export", "members", "--format", "xlsx", "--out", str(xlsx), db=db).returncode == 0
    fresh = tmp_path / "fresh.json"
    into_fresh = shequ("import", "members", str(xlsx), db=fresh)
    assert into_fresh.returncode == 0, into_fresh.stdout
    assert "61 added" in into_fresh.stdout
    assert len(_members(fresh)) == 61


def test_export_needs_an_existing_database(db: Path, tmp_path: Path) -> None:
    result = shequ("export", "members", "--out", str(tmp_path / "x.csv"), db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert not db.exists()


def test_a_file_without_names_is_refused_clearly(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("电话\n13800000001\n", encoding="utf-8")
    result = shequ("import", "members", str(path), db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert "name" in result.stderr
