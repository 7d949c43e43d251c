"""Reading a CSV roster: its encoding (UTF-8, with or without BOM, or GBK) and its cells.

Decisions worth knowing:
- Encoding: the bytes are decoded strictly as UTF-8 (a BOM is dropped), and if that fails as
  GB18030, the superset of GBK that Excel on a Chinese Windows writes. Real UTF-8 text almost
  never decodes by accident, so this order needs no statistical guessing.
- Any cell size is read (the csv module's 128 KB limit is lifted for the file at hand); a cell
  too long for a spreadsheet is refused with its row later, never the file.
"""

from __future__ import annotations

import csv
import io

from store.errors import StoreError
from store.i18n import _

_C_LONG_MAX = 2**31 - 1  # what csv.field_size_limit accepts on every platform


class ImportRefused(StoreError):
    """The file as a whole can't be imported (unreadable, not a roster, no name column)."""


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


def parse_csv(text: str, lines: int) -> list[list[str]]:
    """The rows of CSV ``text``, split by commas unless its first ``lines`` lines (title lines,
    then the header) have none and are split by tabs or semicolons. (csv.Sniffer guesses wrong
    on small files whose cells hold quotes or formulas.)"""
    top = text.split("\n", lines)[:lines]
    delimiter = ","
    if not any("," in line for line in top):
        delimiter = next((d for d in ("\t", ";") if any(d in line for line in top)), ",")
    return _parse_csv(text, delimiter)


def _parse_csv(text: str, delimiter: str) -> list[list[str]]:
    """The rows of CSV ``text``, whatever the size of a cell (each is checked with its row).

    The csv module refuses a cell over 128 KB (``field_size_limit``) with an error that would
    lose the whole file; here the limit is the file's own size, so a huge cell costs only its
    row. A file the module can't read at all is refused naming the row.
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
