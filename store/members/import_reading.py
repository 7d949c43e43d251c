"""Reading a roster spreadsheet (CSV or XLSX) into its columns and rows of text, for the import.

Nothing here knows about members beyond which header names which field: store/importing.py
checks the rows and plans what to do with them.

Decisions worth knowing:
- A CSV file's bytes and cells are read by store/members/import_csv.py, a workbook's by
  store/members/import_xlsx.py (one table per sheet); the sheet read is the one whose header
  names the most known columns, unless the person names one.
- The header is the row among the first :data:`HEADER_SCAN` that names a name column and the
  most known columns: title and fill-in lines above it are skipped (and counted). Below it,
  blank rows and totals lines are skipped and a signature or notes line ends the table.
- Headers are matched by common Chinese and English synonyms (:data:`HEADERS`); unknown columns
  are reported once and not imported; a file without a name column is refused as a whole.
- Any cell size is read (the csv module's 128 KB limit is lifted for the file at hand); a cell
  longer than :data:`MAX_CELL` in a column that is read refuses its row, never the file.
- A cell our own export protected with a leading apostrophe ('=...) loses it again, so an
  export re-imports to the same data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from store.engine.output import is_standard_stream, read_input, source_name
from store.i18n import _
from store.members.import_csv import ImportRefused, decode_csv, parse_csv
from store.members.import_xlsx import Table
from store.parse import quote

# Field -> the header words that name it (compared after NFKC, lowercasing, dropping spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name", "full name"),
    "gender": ("性别", "gender", "sex"),
    "birth_date": (
        "出生年月",
        "出生日期",
        "出生时间",
        "出生年月日",
        "生日",
        "birth date",
        "date of birth",
        "born",
        "birthday",
    ),
    "join_date": ("入党时间", "入党日期", "入党年月", "入党年月日", "join date", "joined"),
    "phone": (
        "联系电话",
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系方式",
        "移动电话",
        "phone",
        "mobile",
        "telephone",
        "mobile phone",
    ),
    "address": (
        "家庭住址",
        "住址",
        "地址",
        "家庭地址",
        "居住地址",
        "现住址",
        "现居住地",
        "现居住地址",
        "居住地",
        "address",
        "home address",
        "current address",
    ),
    "category": (
        "党员类别",
        "类别",
        "人员类别",
        "党员身份",
        "党员类型",
        "category",
        "member type",
    ),
    "management": ("管理方式", "management"),
    "ethnicity": ("民族", "ethnicity"),
    "education": ("学历", "文化程度", "education"),
    "grid": ("网格", "所在网格", "grid"),
    "branch": ("支部", "所在支部", "所在党支部", "党支部", "所属支部", "所属党支部", "branch"),
    "workplace": ("工作单位", "所在单位", "单位", "workplace", "employer", "work unit"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号",
        "身份证",
        "证件号码",
        "id number",
        "id card",
        "id card number",
        "identity card number",
    ),
    "notes": ("备注", "notes", "note", "remarks"),
    "status": ("状态", "status"),
}
# Header words read only when the file has no column of the primary words: a roster without
# 入党时间 often counts party standing from 转正时间 (the day membership became full).
FALLBACK_HEADERS: dict[str, tuple[str, ...]] = {
    "join_date": ("转正时间", "转正日期", "full membership date"),
}
# The columns whose numbers may be Excel serial dates.
DATE_FIELDS = ("birth_date", "join_date")
# How many rows from the top may hold title and fill-in lines before the header.
HEADER_SCAN = 20
# Lines under the table, compared after NFKC, lowercasing and dropping spaces: totals are
# skipped, a signature or notes line ends the table (what follows it is no member).
_TOTAL = re.compile(
    r"^(?:合计|总计|小计|共计|共[0-9一二三四五六七八九十百千]+[名人]|(?:grand)?(?:sub-?)?totals?\b)"
)
_END = re.compile(
    r"^(?:制表|审核|审批|填表人|负责人|联系人[:：]|注[:：]|备注[:：]|说明[:：]|签字|签名|盖章|"
    r"preparedby|checkedby|reviewedby|approvedby|notes?:)"
)
# Columns a roster often has that carry nothing to import (a running number).
_IGNORED = ("序号", "编号", "no.", "no", "#")
_NUMBERS = ("序号", "no.", "no", "#")  # the running number a printed roster is read by
# The longest cell read, in characters: Excel's own limit per cell. A longer one (a file that
# is not really a roster, or a cell pasted by mistake) refuses its row, never the file.
MAX_CELL = 32_767
# How every XLSX workbook (a zip archive) begins.
ZIP_MAGIC = b"PK\x03\x04"
# What store.textsafe.spreadsheet_cell protects with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _fold(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split()).lower().replace("_", "")


_BY_HEADER: dict[str, str] = {_fold(word): key for key, words in HEADERS.items() for word in words}
_BY_FALLBACK: dict[str, str] = {
    _fold(word): key for key, words in FALLBACK_HEADERS.items() for word in words
}


@dataclass(slots=True)
class Sheet:
    """A spreadsheet as the import reads it: which column is which field, and its rows."""

    encoding: str  # "utf-8-sig", "utf-8", "gb18030" or "xlsx"
    columns: dict[int, str]  # column index -> field
    titles: dict[str, str]  # field -> the header as the file writes it
    unknown: list[str] = field(default_factory=list)  # headers of ignored columns
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (spreadsheet row, cells)
    number_column: int | None = None  # the roster's own running number (序号), if it has one
    header_row: int = 1  # the spreadsheet row of the header
    skipped_above: int = 0  # title and fill-in lines above the header
    totals: list[int] = field(default_factory=list)  # totals lines skipped (spreadsheet rows)
    ended_at: int | None = None  # the signature or notes line the table ended at
    sheet_name: str = ""  # the workbook's sheet read ("" for a CSV file)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook
    errors: set[tuple[int, int]] = field(default_factory=set)  # error cells: (row, column)

    def error_fields(self, number: int, cells: list[str]) -> dict[str, str]:
        """The read fields of row ``number`` whose cell holds a spreadsheet error (#N/A)."""
        return {
            key: cells[index]
            for index, key in self.columns.items()
            if (number, index) in self.errors and index < len(cells)
        }

    def number(self, cells: list[str]) -> str:
        """The row's running number (序号) as written, or ""."""
        index = self.number_column
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def formula(self, cells: list[str]) -> tuple[str, str] | None:
        """The header and text of the first read cell holding a formula (not protected by an
        export's apostrophe), if any: such a row is refused."""
        from store.members.import_rows import is_formula

        for index, key in self.columns.items():
            if index < len(cells) and is_formula(cells[index]):
                return self.titles[key], cells[index]
        return None

    def fields(self, cells: list[str]) -> dict[str, str]:
        """The cells of one row by field, as typed (an export's protecting apostrophe gone;
        an Excel serial number in a date column made the date it stands for)."""
        found = {
            key: _unprotect(cells[index])
            for index, key in self.columns.items()
            if index < len(cells)
        }
        for key in DATE_FIELDS:
            if key in found:
                found[key] = serial_date(found[key])
        return found

    def too_long(self, cells: list[str]) -> tuple[str, int] | None:
        """The header and length of the first read cell over :data:`MAX_CELL`, if any."""
        for index, key in self.columns.items():
            if index < len(cells) and len(cells[index]) > MAX_CELL:
                return self.titles[key], len(cells[index])
        return None


def read_sheet(source: Path | str, fmt: str | None = None, sheet: str | None = None) -> Sheet:
    """Read ``source`` whole (``"-"``: standard input; ``fmt`` as :func:`read_tables` takes
    it): its header row mapped to fields, and the member rows under it.

    A workbook's sheet is ``sheet`` when named, else the one whose header names the most
    known columns (the first such); the :class:`Sheet` says which, and every sheet's name.
    """
    tables, encoding = read_tables(source, fmt)
    name = source_name(source)
    names = [table.name for table in tables]
    if sheet is not None:
        wanted = _fold(sheet)
        chosen = next((table for table in tables if _fold(table.name) == wanted), None)
        if chosen is None:
            raise ImportRefused(
                _("{path} has no sheet “{sheet}”; its sheets: {sheets}.").format(
                    path=name, sheet=quote(sheet, 40), sheets=", ".join(names)
                )
            )
    else:
        scores = [header[1] if (header := find_header(t.rows)) else -1 for t in tables]
        best = max(range(len(tables)), key=lambda i: (scores[i], -i), default=0)
        chosen = tables[best] if tables else Table("", [])
    found = make_sheet(chosen.rows, encoding, name)
    found.sheet_name, found.sheets = chosen.name, names if encoding == "xlsx" else []
    found.errors = {(row + 1, column) for row, column in chosen.errors}
    return found


def _header_words(cells: list[str]) -> set[str]:
    """The fields a row's cells name, as a header would."""
    return {key for cell in cells if (key := _BY_HEADER.get(_fold(cell))) is not None}


def find_header(rows: list[list[str]]) -> tuple[int, int] | None:
    """Where the header is: the row among the first :data:`HEADER_SCAN` that names a name
    column and the most known columns (the first such on a tie), and how many it names."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN]):
        words = _header_words(cells)
        if "name" in words and (best is None or len(words) > best[1]):
            best = (index, len(words))
    return best


def footer_kind(cells: list[str]) -> str | None:
    """ "total" for a totals line (合计, 共20人, Total), "end" for a signature or notes line
    (制表人, 审核人, 注：, Prepared by), None for anything else: judged by its first cell."""
    first = next((cell for cell in cells if cell.strip()), "")
    text = "".join(unicodedata.normalize("NFKC", first).split()).casefold()
    if _TOTAL.match(text):
        return "total"
    if _END.match(text):
        return "end"
    return None


def _map_columns(sheet: Sheet, header: list[str]) -> None:
    """Which column of ``header`` is which field; the others are listed as not imported."""
    for index, title in enumerate(header):
        folded = _fold(title)
        key = _BY_HEADER.get(folded)
        if key is not None and key not in sheet.titles:
            sheet.columns[index], sheet.titles[key] = key, title.strip()
        elif folded in _IGNORED and key is None:
            if sheet.number_column is None and folded in _NUMBERS:
                sheet.number_column = index
        elif folded and (key is not None or folded not in _BY_FALLBACK):
            sheet.unknown.append(quote(title.strip(), 40))
    for index, title in enumerate(header):
        key = _BY_FALLBACK.get(_fold(title))
        if key is not None and key not in sheet.titles:
            sheet.columns[index], sheet.titles[key] = key, title.strip()
        elif key is not None:
            sheet.unknown.append(quote(title.strip(), 40))


def make_sheet(rows: list[list[str]], encoding: str, name: str) -> Sheet:
    """The rows of one table read as a roster: the header found wherever it is (title and
    fill-in lines above it are skipped), then every member row under it; blank rows and
    totals lines are skipped, and a signature or notes line ends the table."""
    if not any(any(c.strip() for c in cells) for cells in rows):
        raise ImportRefused(_("{path} has no rows.").format(path=name))
    found = find_header(rows)
    if found is None:
        raise ImportRefused(
            _("{path} has no name column (姓名 or name) in its first {count} rows.").format(
                path=name, count=HEADER_SCAN
            )
        )
    first = found[0]
    sheet = Sheet(encoding, {}, {}, header_row=first + 1)
    sheet.skipped_above = sum(1 for cells in rows[:first] if any(c.strip() for c in cells))
    _map_columns(sheet, rows[first])
    for number, cells in enumerate(rows[first + 1 :], start=first + 2):
        kind = footer_kind(cells)
        if kind == "end":
            sheet.ended_at = number
            break
        if kind == "total":
            sheet.totals.append(number)
        elif any(cell.strip() for cell in cells):
            sheet.rows.append((number, cells))
    return sheet


def serial_date(text: str) -> str:
    """``text``, or the ISO date it stands for when it is an Excel serial day number.

    Excel keeps a date as days since 1899-12-30 (21988 is 1960-03-13); a date column whose
    cells lost their date format shows those numbers. Four digits from 1900 to 2100 stay a
    year as written (a year alone is not a date the import reads: a warning), and 195803 or
    19580312 stay the month or day they spell.
    """
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 5:
        return text
    number = int(stripped)
    if number < 1 or 1900 <= number <= 2100 or number == 60:  # 60: Excel's 1900-02-29
        return text
    from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped]

    return str(from_excel(number).date().isoformat())


def _read_xlsx(data: bytes, name: str) -> list[Table]:
    from zipfile import BadZipFile

    from store.members.import_xlsx import read_workbook

    try:
        return read_workbook(data)
    except (BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportRefused(
            _("{path} is not a readable XLSX workbook.").format(path=name)
        ) from error


def read_tables(source: Path | str, fmt: str | None = None) -> tuple[list[Table], str]:
    """Every table of the file as text cells (a CSV file has one, a workbook one per sheet),
    and the encoding or "xlsx".

    ``source`` ``"-"`` is standard input. The format is ``fmt`` ("csv" or "xlsx") if given,
    else a file's ending says it, and standard input's bytes do (an XLSX workbook is a zip).
    """
    try:
        data = read_input(source)
    except OSError as error:
        raise ImportRefused(
            _("Can't read {path}: {reason}").format(path=source, reason=error.strerror or error)
        ) from error
    if fmt is None:
        if is_standard_stream(source):
            fmt = "xlsx" if data.startswith(ZIP_MAGIC) else "csv"
        else:
            fmt = "xlsx" if Path(source).suffix.lower() in (".xlsx", ".xlsm") else "csv"
    if fmt == "xlsx":
        return _read_xlsx(data, source_name(source)), "xlsx"
    text, encoding = decode_csv(data)
    return [Table("", parse_csv(text, HEADER_SCAN))], encoding


def _unprotect(value: str) -> str:
    """Drop the apostrophe an export put before = + - @ (see store.textsafe.spreadsheet_cell).

    Exactly one goes: the export doubles an apostrophe that was already there ('= becomes ''=).
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value
