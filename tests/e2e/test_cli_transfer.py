"""``shequ import members`` and ``shequ export members`` run as real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli import no_traceback, shequ
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
    assert "5 added" in result.stdout and "3 refused" in result.stdout
    assert "2 with warnings" in result.stdout
    for row in (5, 6, 7, 8, 9):
        assert f"Row {row} (No. {row - 1}):" in result.stdout
    names = {str(doc["name"]) for doc in _members(db)}
    assert names == {"[bold]王五[/bold]", "赵六[/]", "钱七", "周九", "郑十一"}

    again = shequ("import", "members", str(HOSTILE), db=db)
    assert "0 added" in again.stdout and "5 unchanged" in again.stdout
    assert len(_members(db)) == 5


def test_dry_run_writes_nothing(db: Path) -> None:
    shequ("members", "add", "--name", "张三", db=db)
    before = db.read_bytes()
    result = shequ("import", "members", str(GBK), "--dry-run", db=db)
    no_traceback(result)
    assert result.returncode == 0  # the six joined-before-born rows go in, with warnings
    assert "GBK" in result.stdout
    assert "65 to add" in result.stdout and "6 with warnings, 0 refused" in result.stdout
    assert "入党时间" in result.stdout
    assert db.read_bytes() == before


def test_a_clean_file_exits_0_and_an_export_round_trips(db: Path, tmp_path: Path) -> None:
    assert shequ("import", "members", str(BOM), db=db).returncode == 0
    out = tmp_path / "roster.csv"
    exported = shequ("export", "members", "--format", "csv", "--out", str(out), db=db)
    no_traceback(exported)
    assert exported.returncode == 0, exported.stderr
    assert "67" in exported.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")

    clean = shequ("import", "members", str(out), db=db)
    assert clean.returncode == 0, clean.stdout
    assert "0 added" in clean.stdout and "67 unchanged" in clean.stdout

    xlsx = tmp_path / "roster.xlsx"
    assert shequ("export", "members", "--format", "xlsx", "--out", str(xlsx), db=db).returncode == 0
    fresh = tmp_path / "fresh.json"
    into_fresh = shequ("import", "members", str(xlsx), db=fresh)
    assert into_fresh.returncode == 0, into_fresh.stdout
    assert "67 added" in into_fresh.stdout
    assert len(_members(fresh)) == 67


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


def test_sheet_chooses_a_workbooks_sheet(db: Path, tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由各支部填写"])
    roster = book.create_sheet("花名册")
    roster.append(["姓名", "联系电话"])
    roster.append(["张三", 13800000001])
    old = book.create_sheet("2025年")
    old.append(["姓名", "联系电话"])
    old.append(["李四", 13800000002])
    path = tmp_path / "book.xlsx"
    book.save(path)
    best = shequ("import", "members", str(path), "--dry-run", db=db)
    no_traceback(best)
    assert "Read the sheet “花名册”; the workbook has 3: 说明, 花名册, 2025年." in best.stdout
    assert "1 to add" in best.stdout
    chosen = shequ("import", "members", str(path), "--sheet", "2025年", db=db)
    assert chosen.returncode == 0, chosen.stdout + chosen.stderr
    assert [doc["name"] for doc in _members(db)] == ["李四"]
    missing = shequ("import", "members", str(path), "--sheet", "名单", db=db)
    assert missing.returncode == 1 and "no sheet “名单”" in missing.stderr


def test_report_writes_the_warnings_and_refusals(db: Path, tmp_path: Path) -> None:
    report = tmp_path / "报告.csv"
    result = shequ("import", "members", str(HOSTILE), "--report", str(report), db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert f"Wrote 7 line(s) to the report {report}." in result.stdout
    text = report.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "Row,Column,Value,Message"
    assert len(text.splitlines()) == 8
