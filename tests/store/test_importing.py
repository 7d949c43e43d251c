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
def test_roster_fixture_imports_everyone_flagging_the_joined_before_born_rows(
    db: Database, actor: Actor, path: Path, encoding: str
) -> None:
    """Nobody is lost for one wrong field: the six go in with the join date left empty."""
    plan = plan_import(db, path)
    assert plan.encoding == encoding
    assert plan.unknown_columns == []
    rows = _data_rows(path, encoding)
    total = len(rows)
    assert not plan.refused
    assert len(plan.added) == total
    assert not plan.updated and not plan.unchanged
    assert plan.warned_rows == 6
    by_number = {row[0]: row for row in rows}
    for warning, number in zip(plan.warnings, JOINED_BEFORE_BORN, strict=True):
        assert warning.row == number + 1  # the header is row 1
        joined, born = by_number[str(number)][5], by_number[str(number)][4]
        assert warning.message == (
            f"Row {number + 1} (No. {number}): 入党时间 “{joined}” is before 出生年月 “{born}”. "
            "Left empty; please check."
        )
        assert (warning.column, warning.value) == ("入党时间", joined)

    result = apply_import(db, actor, plan)
    assert (result.added, result.updated, result.refused) == (total, 0, 0)
    stored = db.snapshot().all(members.TABLE)
    assert len(stored) == total
    flagged = sorted(str(doc["name"]) for doc in stored if doc["to_check"])
    assert flagged == sorted(by_number[str(n)][1] for n in JOINED_BEFORE_BORN)
    for doc in stored:
        if doc["to_check"]:
            assert doc["to_check"] == ["join_date"] and doc["join_date"] is None
    if path == BOM:  # the GBK copy leaves out what GBK can't encode
        assert any("𠮷" in str(doc["name"]) for doc in stored)


def test_reimporting_the_corrected_file_fills_the_join_date_and_clears_the_mark(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    apply_import(db, actor, plan_import(db, BOM))
    rows = list(csv.reader(io.StringIO(BOM.read_text(encoding="utf-8-sig"), newline="")))
    for row in rows[1:]:
        if row and row[0] in {str(n) for n in JOINED_BEFORE_BORN}:
            row[5] = "2020-07-01"  # the office corrected the join date
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)

    plan = plan_import(db, fixed)
    assert not plan.added and not plan.warnings and not plan.refused
    assert [row.row for row in plan.updated] == [n + 1 for n in JOINED_BEFORE_BORN]
    assert all(set(row.changed) == {"join_date", "to_check"} for row in plan.updated)
    apply_import(db, actor, plan)
    stored = db.snapshot().all(members.TABLE)
    assert len(stored) == len(rows) - 1
    assert not any(doc["to_check"] for doc in stored)
    assert sum(doc["join_date"] == "2020-07-01" for doc in stored) == 6


def test_a_corrected_field_in_the_form_clears_its_mark(db: Database, actor: Actor) -> None:
    apply_import(db, actor, plan_import(db, BOM))
    doc = next(d for d in db.snapshot().all(members.TABLE) if d["to_check"])
    kept = members.update(db, actor, doc["id"], {"notes": "查过了"}, doc["version"])
    assert kept["to_check"] == ["join_date"]  # another field's edit leaves the mark
    fixed = members.update(db, actor, doc["id"], {"join_date": "2021-07"}, kept["version"])
    assert fixed["to_check"] == [] and fixed["join_date"] == "2021-07-01"


def test_gbk_is_detected_and_read_right(db: Database) -> None:
    plan = plan_import(db, GBK)
    assert plan.encoding == "gb18030"
    first = plan.added[0].doc
    expected = _data_rows(GBK, "gb18030")[0]
    assert first["name"] == expected[1]


def test_reimporting_the_same_file_adds_nothing(db: Database, actor: Actor) -> None:
    apply_import(db, actor, plan_import(db, BOM))
    before = len(_names(db))
    assert before == 67
    again = plan_import(db, BOM)
    assert not again.added and not again.updated
    assert len(again.unchanged) == before
    assert again.warned_rows == 6  # still said: the file is still wrong
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


def test_hostile_rows_are_refused_and_wrong_fields_are_left_empty(
    db: Database, actor: Actor
) -> None:
    plan = plan_import(db, HOSTILE)
    by_row = {problem.row: problem.message for problem in plan.refused}
    # Header is row 1: 序号 4 (the formula phone) is spreadsheet row 5, and so on.
    assert sorted(by_row) == [5, 6, 8]
    assert by_row[5].startswith("Row 5 (No. 4): 联系电话: “=HYPERLINK(")
    assert "formula" in by_row[5]
    assert by_row[6] == "Row 6 (No. 5): 姓名: No name: the row can't be a member."
    assert by_row[8] == "Row 8 (No. 7): 姓名: At most 40 characters, please."
    warned = {(w.row, w.column) for w in plan.warnings}
    assert warned == {(7, "出生年月"), (7, "入党时间"), (7, "联系电话"), (9, "出生年月")}
    assert "Row 9 (No. 8): 出生年月 “2030-01-01”: The birth date is in the future." in [
        w.message.removesuffix(" Left empty; please check.") for w in plan.warnings
    ]

    result = apply_import(db, actor, plan)
    assert (result.added, result.refused) == (5, 3)
    names = _names(db)
    assert "[bold]王五[/bold]" in names  # markup stored literally, never interpreted
    assert "赵六[/]" in names
    assert "钱七" in names  # the OSC escape sequence and its tail are stripped
    assert not any("\x1b" in name or "pwned" in name for name in names)
    assert not any(str(doc["phone"]).startswith("=") for doc in db.snapshot().all("members"))
    zhou = next(d for d in db.snapshot().all("members") if d["name"] == "周九")
    assert (zhou["birth_date"], zhou["join_date"], zhou["phone"]) == (None, None, "")
    assert zhou["to_check"] == ["birth_date", "join_date", "phone"]


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
