"""Reading an XLSX workbook's cells as offices really fill them (Excel, WPS, LibreOffice).

Each sheet becomes a :class:`Table` of text cells, so the rest of the import reads a workbook as
it reads a CSV file:

- a date cell is its ISO date; a whole number is its digits (a phone stored as a number comes in
  as 13900000001, never 13900000001.0); a formula cell gives the value the spreadsheet cached
  for it (openpyxl's ``data_only``);
- an error cell (#N/A, #VALUE!, ...) is kept as written and listed in ``errors``, so the import
  leaves that field empty with a warning instead of reading "#N/A" as a value;
- a cell merged down over several rows (a category or a grid written once for a block of
  members) gives its value to every row of the block, in its own column.

The workbook is read in openpyxl's read-only mode, twice as fast as the full mode on a
20,000-member roster; that mode does not report merged cells, so they are read from the sheet's
own XML (its ``<mergeCell ref="A3:A7"/>`` list) and parsed with openpyxl's cell-range helper.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

# What Excel writes into a cell whose formula failed.
ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass(slots=True)
class Table:
    """One sheet as text: its name, its rows, and the error cells (row index, column index)."""

    name: str
    rows: list[list[str]]
    errors: set[tuple[int, int]] = field(default_factory=set)


def cell_text(value: object) -> str:
    """A cell's value as text: dates ISO, whole numbers without '.0', None blank."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def read_workbook(data: bytes) -> list[Table]:
    """Every sheet of the workbook ``data`` as a :class:`Table` (raises what openpyxl raises)."""
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        tables = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for sheet in book.worksheets:
                table = _read_sheet(sheet)
                _fill_merged(table, _merged_ranges(archive, getattr(sheet, "_worksheet_path", "")))
                tables.append(table)
        return tables
    finally:
        book.close()


def _read_sheet(sheet: Any) -> Table:
    table = Table(str(sheet.title), [])
    for row_index, row in enumerate(sheet.iter_rows()):
        cells = []
        for column, cell in enumerate(row):
            value = getattr(cell, "value", None)
            text = cell_text(value)
            if getattr(cell, "data_type", None) == "e" or text in ERROR_VALUES:
                table.errors.add((row_index, column))
            cells.append(text)
        table.rows.append(cells)
    return table


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of the sheet at ``path`` in the archive, as (min_col, min_row,
    max_col, max_row), 1-based; none when the sheet's XML can't be found."""
    from openpyxl.utils.cell import range_boundaries  # type: ignore[import-untyped]

    try:
        xml = archive.read(path.lstrip("/"))
    except (KeyError, OSError):
        return []
    found = []
    for match in _MERGE.finditer(xml):
        bounds = range_boundaries(match.group(1).decode("ascii"))
        if all(isinstance(b, int) for b in bounds):
            min_col, min_row, max_col, max_row = (int(b or 0) for b in bounds)
            found.append((min_col, min_row, max_col, max_row))
    return found


def _fill_merged(table: Table, ranges: list[tuple[int, int, int, int]]) -> None:
    """Give the value of each range merged down over rows to every row, in its first column."""
    for min_col, min_row, _max_col, max_row in ranges:
        if max_row <= min_row or min_row > len(table.rows):
            continue
        column = min_col - 1
        top = table.rows[min_row - 1]
        value = top[column] if column < len(top) else ""
        for index in range(min_row, min(max_row, len(table.rows))):
            row = table.rows[index]
            if column >= len(row):
                row.extend([""] * (column + 1 - len(row)))
            if not row[column].strip():
                row[column] = value
                if (min_row - 1, column) in table.errors:
                    table.errors.add((index, column))
