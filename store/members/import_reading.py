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
    "birth_date": ("出生年月", "出生日期", "出生时间", "birth date", "date of birth", "born"),
    "join_date": ("入党时间", "入党日期", "入党年月", "join date", "joined"),
    "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "phone", "mobile", "telephone"),
    "address": ("家庭住址", "住址", "地址", "家庭地址", "address"),
    "category": ("党员类别", "类别", "category"),
    "management": ("管理方式", "management"),
    "ethnicity": ("民族", "ethnicity"),
    "education": ("学历", "文化程度", "education"),
    "grid": ("网格", "所在网格", "grid"),
    "branch": ("支部", "所在支部", "branch"),
    "notes": ("备注", "notes", "note", "remarks"),
    "status": ("状态", "status"),
}
# Columns a roster often has that carry nothing to import (a running number).
_IGNORED = ("序号", "编号", "no.", "no", "#")
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


@dataclass(slots=True)
class Sheet:
    """A spreadsheet as the import reads it: which column is which field, and its rows."""

    encoding: str  # "utf-8-sig", "utf-8", "gb18030" or "xlsx"
    columns: dict[int, str]  # column index -> field
    titles: dict[str, str]  # field -> the header as the file writes it
    unknown: list[str] = field(default_factory=list)  # headers of ignored columns
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (spreadsheet row, cells)

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
    its header row mapped to fields, and the rows under it."""
    rows, encoding = read_rows(source, fmt)
    name = source_name(source)
    first = next((n for n, cells in enumerate(rows) if any(c.strip() for c in cells)), None)
    if first is None:
        raise ImportRefused(_("{path} has no rows.").format(path=name))
    sheet = Sheet(encoding, {}, {})
    for index, title in enumerate(rows[first]):
        folded = _fold(title)
        key = _BY_HEADER.get(folded)
        if key is not None and key not in sheet.titles:
            sheet.columns[index], sheet.titles[key] = key, title.strip()
        elif folded and folded not in _IGNORED and key is None:
            sheet.unknown.append(quote(title.strip(), 40))
    if "name" not in sheet.titles:
        raise ImportRefused(
            _("{path} has no name column (姓名 or name) in its first row.").format(path=name)
        )
    sheet.rows = [(n + 1, cells) for n, cells in enumerate(rows) if n > first]
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
    # Commas, unless the header line has none and is split by tabs or semicolons. (csv.Sniffer
    # guesses wrong on small files whose cells hold quotes or formulas.)
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = next((d for d in ("\t", ";") if d in first), ",")
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
