"""Real spreadsheet cells, in workbooks built here with openpyxl: merged blocks, serial dates,
numeric phones, formulas' cached values, error cells, several sheets."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from store.actor import Actor
from store.engine.database import Database
from store.members.importing import ImportRefused, apply_import, plan_import

HEADER = ["序号", "姓名", "出生年月", "联系电话", "党员类别", "网格"]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json")


def test_merged_cells_give_their_value_to_each_row(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["幸福里社区党员花名册"])
    sheet.merge_cells("A1:F1")  # a title merged across: not a value for anyone
    sheet.append(HEADER)
    sheet.append([1, "张三", "1950-03", "13800000001", "退休", "一网格"])
    sheet.append([2, "李四", "1951-04", "13800000002", None, None])
    sheet.append([3, "王五", "1952-05", "13800000003", None, "二网格"])
    sheet.append([4, "赵六", "1953-06", "13800000004", "在职", None])
    sheet.merge_cells("E3:E5")  # 退休 written once for three members
    sheet.merge_cells("F3:F4")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    plan = plan_import(db, path)
    got = {row.name: (row.doc["category"], row.doc["grid"]) for row in plan.added}
    assert got == {
        "张三": ("retired", "一网格"),
        "李四": ("retired", "一网格"),
        "王五": ("retired", "二网格"),
        "赵六": ("in_service", ""),
    }
    assert plan.skipped_above == 1 and not plan.warnings


def test_serial_dates_numeric_phones_and_date_cells(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生年月", "入党时间", "联系电话"])
    sheet.append(["张三", 21988, dt.datetime(1985, 7, 1), 13900000001])
    sheet.append(["李四", 19580312, 198007, 13900000002.0])
    sheet.append(["王五", 1958, "1980年7月", "139 0000 0003"])  # a year alone: a warning
    path = tmp_path / "cells.xlsx"
    book.save(path)
    plan = plan_import(db, path)
    docs = {row.name: row.doc for row in plan.added}
    assert (docs["张三"]["birth_date"], docs["张三"]["join_date"]) == ("1960-03-13", "1985-07-01")
    assert docs["张三"]["phone"] == "13900000001"
    assert (docs["李四"]["birth_date"], docs["李四"]["join_date"]) == ("1958-03-12", "1980-07-01")
    assert docs["李四"]["phone"] == "13900000002"
    assert docs["王五"]["birth_date"] is None
    (warning,) = plan.warnings
    assert (warning.row, warning.column, warning.value) == (4, "出生年月", "1958")


def _with_formula(path: Path, cell: str, formula: str, cached: str) -> None:
    """Rewrite ``cell`` of the first sheet as a formula with a cached value, as Excel saves it
    (openpyxl itself writes formulas without the value they compute)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml, count = re.subn(
        rf'<c r="{cell}"([^>]*)>.*?</c>',
        rf'<c r="{cell}"><f>{formula}</f><v>{cached}</v></c>',
        xml,
    )
    assert count == 1
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_formula_gives_its_cached_value_and_an_error_cell_is_a_warning(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "联系电话", "出生年月"])
    sheet.append(["张三", 1, "1950-01"])
    sheet.append(["李四", "#N/A", "1951-01"])  # openpyxl stores this as an error cell
    sheet.append(["王五", "13800000003", "#VALUE!"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    _with_formula(path, "B2", "13800000000+1", "13800000001")
    plan = plan_import(db, path)
    docs = {row.name: row.doc for row in plan.added}
    assert docs["张三"]["phone"] == "13800000001"
    assert docs["李四"]["phone"] == "" and docs["李四"]["to_check"] == ["phone"]
    assert docs["王五"]["birth_date"] is None and docs["王五"]["to_check"] == ["birth_date"]
    assert [(w.row, w.column, w.value) for w in plan.warnings] == [
        (3, "联系电话", "#N/A"),
        (4, "出生年月", "#VALUE!"),
    ]
    assert "spreadsheet error" in plan.warnings[0].message
    assert apply_import(db, actor, plan).added == 3


def _two_sheets(path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["本表由各支部填写"])
    notes.append(["姓名", "说明"])  # names a name column, but fewer than the roster
    roster = book.create_sheet("花名册")
    roster.append(["姓名", "联系电话", "出生年月"])
    roster.append(["张三", "13800000001", "1950-01"])
    old = book.create_sheet("2025年")
    old.append(["姓名", "联系电话"])
    old.append(["李四", "13800000002"])
    book.save(path)


def test_the_best_scoring_sheet_is_read_and_named(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sheets.xlsx"
    _two_sheets(path)
    plan = plan_import(db, path)
    assert (plan.sheet, plan.sheets) == ("花名册", ["填表说明", "花名册", "2025年"])
    assert [row.name for row in plan.added] == ["张三"]

    chosen = plan_import(db, path, sheet="2025年")
    assert chosen.sheet == "2025年"
    assert [row.name for row in chosen.added] == ["李四"]

    with pytest.raises(ImportRefused, match="no sheet “名单”; its sheets: 填表说明, 花名册"):
        plan_import(db, path, sheet="名单")
