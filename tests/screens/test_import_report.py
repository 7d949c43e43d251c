"""The import screen's preview for an office's workbook: what reading skipped, the sheet (t
reads the next one), and the report (w) written beside the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]

from screens.shell.dialogs import ConfirmDialog
from tests.screens.helpers import SIZE, footer_text, screen_text, settle, wait_until
from tests.screens.import_helpers import listed, open_import, read, status
from tui.factory import make_app


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    roster = book.active
    roster.title = "花名册"
    roster.append(["幸福里社区党员花名册（2026年11月）"])
    roster.append(["填表单位：幸福里党支部"])
    roster.append(["序号", "姓名", "出生年月", "入党时间", "联系电话"])
    roster.append([1, "张三", "1950.03", "1975.07", 13800000001])
    roster.append([2, "李四", "1980.05", "1970.01", 13800000002])
    roster.append(["合计：2人"])
    roster.append(["制表人：赵六"])
    old = book.create_sheet("2025年")
    old.append(["姓名", "联系电话"])
    old.append(["王五", 13800000003])
    book.save(path)
    return path


async def test_layout_sheet_and_report_keys(db_path: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx")
    report = tmp_path / "book-import-report.csv"
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, path)
        assert screen.phase == "preview"
        assert "2 to add · 0 to update · 0 unchanged · 1 with warnings · 0 refused" in (
            screen_text(app)
        )
        shown = listed(screen)
        assert "Read the sheet “花名册”; the workbook has 2: 花名册, 2025年." in shown
        assert "Skipped 2 lines above the header (row 3)." in shown
        assert "Skipped 1 totals line (row 6)." in shown
        assert "The table ends at row 7" in shown
        assert "Row 5 (No. 2): 入党时间 “1970.01” is before 出生年月 “1980.05”." in shown
        assert "t Next sheet" in footer_text(app) and "w Save report" in footer_text(app)

        await pilot.press("w")
        await wait_until(pilot, report.exists, "the report")
        await wait_until(pilot, lambda: "Wrote 1 line" in status(screen), "the report said")
        rows = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"), newline="")))
        assert rows[1][:3] == ["5", "入党时间", "1970.01"]

        await pilot.press("w")  # again: replacing it is asked first
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("t")
        await wait_until(pilot, lambda: screen.phase == "preview", "the next sheet")
        await settle(pilot)
        assert screen.plan is not None and screen.plan.sheet == "2025年"
        assert [row.name for row in screen.plan.added] == ["王五"]
        assert "w Save report" not in footer_text(app)  # nothing to report on this sheet
