"""Reading a roster spreadsheet (CSV or XLSX) into its columns and rows of text, for the import.

Nothing here knows about members beyond which header names which field: store/importing.py
checks the rows and plans what to do with them.

Decisions worth knowing:
- Encoding: the bytes are decoded strictly as UTF-8 (a BOM is dropped), and if that fails as
  GB18030, the superset of GBK that Excel on a Chinese Windows writes. Real UTF-8 text almost
  never decodes by accident, so this order needs no statistical guessing.
- Headers are matched by common Chinese and English synonyms (:data:`HEADERS`); unknown columns
  are reported once and ignored; a file without a name column is refused as a whole.
- Any cell size is read (the csv module's 128 KB limit is lifted for the file at hand); a cell
  longer than :data:`MAX_CELL` in a column that is read refuses its row, never the file.
- A cell our own export protected with a leading apostrophe ('=...) loses it again, so an
  export re-imports to the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from store.engine.output import is_standard_stream, read_input, source_name
from store.errors import StoreError
from store.i18n import _
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
    "notes": ("备注", "notes", "note", "remarks"),
    "status": ("状态", "status"),
}
# Header words read only when the file has no column of the primary words: a roster without
# 入党时间 often counts party standing from 转正时间 (the day membership became full).
FALLBACK_HEADERS: dict[str, tuple[str, ...]] = {
    "join_date": ("转正时间", "转正日期", "full membership date"),
}
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
_C_LONG_MAX = 2**31 - 1  # what csv.field_size_limit accepts on every platform
# How every XLSX workbook (a zip archive) begins.
ZIP_MAGIC = b"PK\x03\x04"
# What store.textsafe.spreadsheet_cell protects with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportRefused(StoreError):
    """The file as a whole can't be imported (unreadable, not a roster, no name column)."""


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
        """The cells of one row by field, as typed (an export's protecting apostrophe gone)."""
        return {
            key: _unprotect(cells[index])
            for index, key in self.columns.items()
            if index < len(cells)
        }

    def too_long(self, cells: list[str]) -> tuple[str, int] | None:
        """The header and length of the first read cell over :data:`MAX_CELL`, if any."""
        for index, key in self.columns.items():
            if index < len(cells) and len(cells[index]) > MAX_CELL:
                return self.titles[key], len(cells[index])
        return None


def read_sheet(source: Path | str, fmt: str | None = None) -> Sheet:
    """Read ``source`` whole (``"-"``: standard input; ``fmt`` as :func:`read_rows` takes it):
    its header row mapped to fields, and the member rows under it."""
    rows, encoding = read_rows(source, fmt)
    return make_sheet(rows, encoding, source_name(source))


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


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in ("utf-8-sig", "utf-8" or "gb18030")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8.")
        ) from None


def _cell(value: object) -> str:
    """A spreadsheet cell as text: dates ISO, whole numbers without '.0', None blank."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, name: str) -> list[list[str]]:
    from zipfile import BadZipFile

    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportRefused(
            _("{path} is not a readable XLSX workbook.").format(path=name)
        ) from error
    try:
        sheet = book.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(source: Path | str, fmt: str | None = None) -> tuple[list[list[str]], str]:
    """Every row of the file (header first) as text cells, and the encoding or "xlsx".

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
    # Commas, unless the first lines (a title, then the header) have none and are split by
    # tabs or semicolons. (csv.Sniffer guesses wrong on small files whose cells hold quotes or
    # formulas.)
    top = text.split("\n", HEADER_SCAN)[:HEADER_SCAN]
    delimiter = ","
    if not any("," in line for line in top):
        delimiter = next((d for d in ("\t", ";") if any(d in line for line in top)), ",")
    return _parse_csv(text, delimiter), encoding


def _parse_csv(text: str, delimiter: str) -> list[list[str]]:
    """The rows of CSV ``text``, whatever the size of a cell (each is checked with its row).

    The csv module refuses a cell over 128 KB (``field_size_limit``) with an error that would
    lose the whole file; here the limit is the file's own size, so a huge cell costs only its
    row (:data:`MAX_CELL`). A file the module can't read at all is refused naming the row.
    """
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(len(text) + 1, _C_LONG_MAX)))
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        raise ImportRefused(
            _("Row {row} can't be read as CSV ({reason}); nothing was imported.").format(
                row=len(rows) + 1, reason=error
            )
        ) from None
    finally:
        csv.field_size_limit(previous)
    return rows


def _unprotect(value: str) -> str:
    """Drop the apostrophe an export put before = + - @ (see store.textsafe.spreadsheet_cell).

    Exactly one goes: the export doubles an apostrophe that was already there ('= becomes ''=).
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value
