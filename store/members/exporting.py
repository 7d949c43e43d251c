"""Write the roster to a spreadsheet: CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX.

The headers are the Chinese words :mod:`store.importing` recognises, and every value is written
the way it reads back (dates as 1958-03-12 or 1958-03, addresses as 14栋3单元803室, categories by
name), so an exported file imports again to the same data. Every text cell goes through
:func:`~store.textsafe.spreadsheet_cell`, so a name like ``=HYPERLINK(...)`` stays text.

The file is written whole or not at all: the bytes are made in memory, written to a temp file in
the same folder and renamed over the target (:func:`~store.engine.storage.write_atomic`), so a
full disk or a crash never leaves half a roster, nor destroys the file being replaced. A new file is
private to its owner (0600), as the database is: a roster holds phones and addresses. A file
that is replaced keeps the mode it had.
"""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine.database import Snapshot
from store.engine.files import PRIVATE_FILE
from store.engine.storage import describe_os_error, write_atomic
from store.enums import label
from store.errors import WriteFailed
from store.members.importing import FORMULA_START
from store.members.model import Member
from store.members.ops import TABLE, is_current
from store.permissions import Action, require
from store.textsafe import spreadsheet_cell

FORMATS = ("csv", "xlsx")

# (field, header); each header is one of store.members.importing.HEADERS' words for that field.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生年月"),
    ("join_date", "入党时间"),
    ("education", "学历"),
    ("phone", "联系电话"),
    ("address", "家庭住址"),
    ("category", "党员类别"),
    ("management", "管理方式"),
    ("grid", "网格"),
    ("branch", "支部"),
    ("status", "状态"),
    ("notes", "备注"),
)


def _address(member: Member) -> str:
    """14栋3单元803室 (store.members.validation.split_address splits it again), or the free text."""
    if member.address:
        return member.address
    if not member.building:
        return ""
    unit = f"{member.unit}单元" if member.unit else ""
    room = f"{member.room}室" if member.room else ""
    return f"{member.building}栋{unit}{room}"


def member_row(doc: Mapping[str, Any]) -> list[str]:
    """One member as the export's text cells, already safe for a spreadsheet."""
    member = Member.from_doc(doc)
    values = {
        "name": member.name,
        "gender": label(member.gender) if member.gender else "",
        "ethnicity": member.ethnicity,
        "birth_date": member.date_text("birth_date"),
        "join_date": member.date_text("join_date"),
        "education": member.education,
        "phone": member.phone,
        "address": _address(member),
        "category": label(member.category),
        "management": label(member.management),
        "grid": member.grid,
        "branch": member.branch,
        "status": label(member.status),
        "notes": member.notes,
    }
    return [_safe(values[key]) for key, _title in COLUMNS]


def _safe(value: str) -> str:
    """spreadsheet_cell, and an extra apostrophe before one already there ('=1 -> ''=1).

    Import drops one leading apostrophe before = + - @, so text that really starts with one
    survives the round trip.
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return spreadsheet_cell(value)


def export_members(
    snapshot: Snapshot,
    actor: Actor,
    path: Path | str,
    fmt: str = "csv",
    *,
    include_inactive: bool = False,
) -> int:
    """Write the members (archived ones only if asked) to ``path``; returns how many.

    Raises :class:`~store.errors.WriteFailed` (one sentence) when the file can't be written;
    whatever was at ``path`` before is then untouched.
    """
    require(actor, Action.EXPORT)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    path = Path(path)
    docs = [doc for doc in snapshot.all(TABLE) if include_inactive or is_current(doc)]
    header = [title for _key, title in COLUMNS]
    rows = [member_row(doc) for doc in docs]
    payload = _csv_bytes(header, rows) if fmt == "csv" else _xlsx_bytes(header, rows)
    _replace(path, payload)
    return len(rows)


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("党员花名册")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace(path: Path, payload: bytes) -> None:
    """Put ``payload`` at ``path`` whole (temp file + rename), keeping a replaced file's mode."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else PRIVATE_FILE
        write_atomic(path, payload, mode)
    except OSError as error:
        raise WriteFailed(describe_os_error(error, path)) from error
