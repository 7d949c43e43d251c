"""Importing the shared roster fixtures: counts, encodings, per-row messages, re-import, updates."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.errors import PermissionDenied
from store.members import ops as members
from store.members.importing import (
    MAX_CELL,
    ImportRefused,
    apply_import,
    decode_csv,
    plan_import,
)
from tests.paths import FIXTURES

BOM = FIXTURES / "roster-utf8-bom.csv"
GBK = FIXTURES / "roster-gbk.csv"
HOSTILE = FIXTURES / "roster-hostile.csv"

# 序号 of the roster rows whose join date is before the birth date; the header is row 1, so
# the spreadsheet row is 序号 + 1.
JOINED_BEFORE_BORN = (13, 20, 36, 37, 38, 57)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """A database on the real clock: the fixtures' dates are checked against today."""
    return Database(tmp_path / "s.json")


def _data_rows(path: Path, encoding: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))
    return [row for row in rows[1:] if any(row)]


def _names(db: Database) -> list[str]:
    return [str(doc["name"]) for doc in db.snapshot().all(members.TABLE)]


@pytest.mark.parametrize(("path", "encoding"), [(BOM, "utf-8-sig"), (GBK, "gb18030")])
def test_roster_fixture_imports_all_but_the_joined_before_born_rows(
    db: Database, actor: Actor, path: Path, encoding: str
) -> None:
    plan = plan_import(db, path)
    assert plan.encoding == encoding
    assert plan.unknown_columns == []
    total = len(_data_rows(path, encoding))
    refused_rows = [problem.row for problem in plan.refused]
    assert refused_rows == [n + 1 for n in JOINED_BEFORE_BORN]
    for problem in plan.refused:
        assert f"Row {problem.row}:" in problem.message
        assert "入党时间" in problem.message
    assert len(plan.added) == total - len(JOINED_BEFORE_BORN)
    assert not plan.updated and not plan.unchanged

    result = apply_import(db, actor, plan)
    assert (result.added, result.updated, result.refused) == (total - 6, 0, 6)
    names = _names(db)
    assert len(names) == total - 6
    if path == BOM:  # the GBK copy leaves out what GBK can't encode
        assert any("𠮷" in name for name in names)


def test_gbk_is_detected_and_read_right(db: Database) -> None:
    plan = plan_import(db, GBK)
    assert plan.encoding == "gb18030"
    first = plan.added[0].doc
    expected = _data_rows(GBK, "gb18030")[0]
    assert first["name"] == expected[1]


def test_reimporting_the_same_file_adds_nothing(db: Database, actor: Actor) -> None:
    apply_import(db, actor, plan_import(db, BOM))
    before = len(_names(db))
    again = plan_import(db, BOM)
    assert not again.added and not again.updated
    assert len(again.unchanged) == before
    result = apply_import(db, actor, again)
    assert (result.added, result.updated, result.unchanged) == (0, 0, before)
    assert len(_names(db)) == before


def test_a_changed_row_is_reported_as_an_update(db: Database, actor: Actor, tmp_path: Path) -> None:
    apply_import(db, actor, plan_import(db, BOM))
    rows = list(csv.reader(io.StringIO(BOM.read_text(encoding="utf-8-sig"), newline="")))
    rows[1][8] = "99栋9单元909室"  # 家庭住址 of the first member, matched by name + birth date
    rows[2][7] = "13912345678"  # 联系电话 of the second, matched by name + birth date
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)

    plan = plan_import(db, changed)
    assert not plan.added
    assert [row.row for row in plan.updated] == [2, 3]
    assert set(plan.updated[0].changed) == {"building", "unit", "room"}
    assert plan.updated[1].changed == ["phone"]
    result = apply_import(db, actor, plan)
    assert result.updated == 2 and result.added == 0
    first = next(d for d in db.snapshot().all(members.TABLE) if d["name"] == rows[1][1])
    assert (first["building"], first["unit"], first["room"]) == ("99", "9", "909")
    assert first["version"] == 2


def test_hostile_rows_are_refused_one_by_one_and_the_good_ones_go_in(
    db: Database, actor: Actor
) -> None:
    plan = plan_import(db, HOSTILE)
    by_row = {problem.row: problem.message for problem in plan.refused}
    # Header is row 1: 序号 4 (the formula phone) is spreadsheet row 5, and so on.
    assert sorted(by_row) == [5, 6, 7, 8, 9]
    assert "联系电话" in by_row[5]  # =HYPERLINK(...) is not a phone: refused
    assert "姓名" in by_row[6]  # missing name
    assert "出生年月" in by_row[7] and "入党时间" in by_row[7] and "联系电话" in by_row[7]
    assert "姓名" in by_row[8] and "党员类别" in by_row[8]  # overlong name, unknown category
    assert "出生年月" in by_row[9] and "future" in by_row[9]
    for row, message in by_row.items():
        assert message.startswith(f"Row {row}:")

    result = apply_import(db, actor, plan)
    assert (result.added, result.refused) == (3, 5)
    names = _names(db)
    assert "[bold]王五[/bold]" in names  # markup stored literally, never interpreted
    assert "赵六[/]" in names
    assert "钱七" in names  # the OSC escape sequence and its tail are stripped
    assert not any("\x1b" in name or "pwned" in name for name in names)
    assert not any(str(doc["phone"]).startswith("=") for doc in db.snapshot().all("members"))


def test_volunteers_may_not_import(db: Database, other_actor: Actor) -> None:
    plan = plan_import(db, HOSTILE)
    with pytest.raises(PermissionDenied):
        apply_import(db, other_actor, plan)
    assert _names(db) == []


def test_english_headers_and_unknown_columns(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text(
        "Name,Phone,Shoe size,Category,Birth date\n张三,138 0000 0001,42,retired,1950.03\n",
        encoding="utf-8",
    )
    plan = plan_import(db, path)
    assert plan.encoding == "utf-8"
    assert plan.unknown_columns == ["Shoe size"]
    (row,) = plan.added
    assert row.doc["phone"] == "13800000001"
    assert row.doc["category"] == "retired"
    assert row.doc["month_only"] == ["birth_date"]


def test_a_file_without_a_name_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "noname.csv"
    path.write_text("电话,地址\n13800000001,1栋\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="name"):
        plan_import(db, path)


def test_decode_order_is_strict_utf8_then_gb18030() -> None:
    text = "姓名\n曾兰淑\n"
    assert decode_csv(text.encode("utf-8")) == (text, "utf-8")
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode_csv(text.encode("gbk")) == (text, "gb18030")


def test_a_member_added_meanwhile_is_left_alone_not_duplicated(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    """The preview said "to add"; another session added them first: theirs stays as it is."""
    path = tmp_path / "one.csv"
    path.write_text("姓名,手机,备注\n李四,13800000009,从表格来\n", encoding="utf-8")
    plan = plan_import(db, path)
    assert len(plan.added) == 1
    theirs = {"name": "李四", "phone": "13800000009", "grid": "二网格", "branch": "第一支部"}
    members.add(db, Actor("x", Role.ADMIN), theirs)
    result = apply_import(db, actor, plan)
    assert (result.added, result.updated) == (0, 0)
    assert [(row.row, row.name) for row in result.stale] == [(2, "李四")]
    (doc,) = db.snapshot().all(members.TABLE)
    assert (doc["grid"], doc["branch"], doc["notes"], doc["version"]) == (
        "二网格",
        "第一支部",
        "",
        1,
    )

    again = plan_import(db, path)  # read again: now an update of their member
    assert [row.changed for row in again.updated] == [["notes"]]
    apply_import(db, actor, again)
    (doc,) = db.snapshot().all(members.TABLE)
    assert (doc["grid"], doc["notes"]) == ("二网格", "从表格来")


def test_the_same_member_twice_in_one_file_goes_in_once(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("姓名,手机\n李四,13800000009\n李四,138-0000-0009\n", encoding="utf-8")
    plan = plan_import(db, path)
    assert [row.row for row in plan.added] == [2]
    assert [(p.row, p.message) for p in plan.refused] == [(3, "Row 3: the same member as row 2.")]


def test_xlsx_dates_and_numbers_are_read_as_text(db: Database, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生日期", "手机", "类别"])
    sheet.append(["王五", dt.datetime(1958, 3, 12), 13800000011, "退休"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    plan = plan_import(db, path)
    assert plan.encoding == "xlsx"
    (row,) = plan.added
    assert (row.doc["birth_date"], row.doc["phone"], row.doc["category"]) == (
        "1958-03-12",
        "13800000011",
        "retired",
    )


def test_a_cell_over_128_kb_refuses_its_row_and_the_good_rows_go_in(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    """The csv module's default limit (128 KB a cell) used to crash the whole import."""
    huge = "备注" * 100_000  # 200,000 characters, 600 KB in UTF-8
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "手机", "备注", "附件"])
        writer.writerow(["张三", "13800000001", "好", ""])
        writer.writerow(["李四", "13800000002", huge, ""])
        writer.writerow(["王五", "13800000003", "", huge])  # an ignored column: no harm
        writer.writerow(["赵六", "13800000004", "", ""])
    limit = csv.field_size_limit()
    plan = plan_import(db, path)
    assert csv.field_size_limit() == limit  # the module's limit is left as it was
    assert [(p.row, p.message) for p in plan.refused] == [
        (3, f"Row 3: 备注: {len(huge)} characters; a cell holds at most {MAX_CELL}.")
    ]
    assert [row.row for row in plan.added] == [2, 4, 5]
    assert plan.unknown_columns == ["附件"]
    result = apply_import(db, actor, plan)
    assert (result.added, result.refused) == (3, 1)
    assert sorted(_names(db)) == ["张三", "王五", "赵六"]
