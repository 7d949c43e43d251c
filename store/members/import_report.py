"""The import's report: every warning and refused row as a CSV the office opens in Excel.

An office fixes its roster at the source, in the spreadsheet, so it needs the list of what to
fix beside the sheet, not only on the screen: one line per problem with the spreadsheet row,
the column, the value as written and the message, in UTF-8 with a BOM (so Excel shows the
Chinese), every cell protected against formula injection (a refused ``=HYPERLINK(...)`` is
quoted back as text). It is written like every export, through
:func:`~store.engine.output.write_output` (whole or not at all; never over shequ's own files).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from store.actor import Actor
from store.engine.database import Database
from store.engine.output import write_output
from store.i18n import _
from store.members.import_rows import RowProblem
from store.members.importing import ImportPlan
from store.permissions import Action, require
from store.textsafe import clean_text, spreadsheet_cell


def report_rows(plan: ImportPlan) -> list[RowProblem]:
    """The plan's warnings and refusals, in the order of the spreadsheet's rows."""
    return sorted([*plan.warnings, *plan.refused], key=lambda problem: problem.row)


def report_bytes(plan: ImportPlan) -> bytes:
    """The report as CSV bytes (UTF-8 with BOM, CRLF line ends, as Excel writes them)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Message")])
    for problem in report_rows(plan):
        cells = (problem.column, problem.value, problem.message)
        writer.writerow([str(problem.row), *(spreadsheet_cell(clean_text(c)) for c in cells)])
    return out.getvalue().encode("utf-8-sig")


def write_report(db: Database, actor: Actor, plan: ImportPlan, target: Path | str) -> int:
    """Write the report of ``plan`` to ``target`` (``"-"``: standard output); how many lines.

    Only those who may import may write it: it quotes the file's cells (phones, addresses).
    """
    require(actor, Action.IMPORT)
    write_output(target, report_bytes(plan), db)
    return len(plan.warnings) + len(plan.refused)
