"""Write the roster to a spreadsheet: CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX.

The headers are the Chinese words :mod:`store.members.importing` recognises, and every value is
written the way it reads back (dates as 1958-03-12 or 1958-03, addresses as 14栋3单元803室,
categories by name), so an exported file imports again to the same data. Every text cell goes
through :func:`~store.textsafe.spreadsheet_cell`, so a name like ``=HYPERLINK(...)`` stays text.

The bytes are made in memory and handed to :func:`~store.engine.output.write_output`, which every
export shares: a file is written whole or not at all (a temp file renamed over the target), so a
full disk or a crash never leaves half a roster nor destroys the file being replaced; ``-`` is
standard output; a link's target, a FIFO or a device are written as they are; the database, its
change log, lock and backups are refused. A new file is private to its owner (0600), as the
database is; a file that is replaced keeps the mode it had.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from store.actor import Actor
from store.engine.database import Database, Snapshot
from store.engine.output import write_output
from store.enums import label
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
    ("workplace", "工作单位"),
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
        "workplace": member.workplace,
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
    db: Database,
    actor: Actor,
    target: Path | str,
    fmt: str = "csv",
    *,
    include_inactive: bool = False,
    stdout: BinaryIO | None = None,
) -> int:
    """Write the members (archived ones only if asked) to ``target``; returns how many.

    ``target`` is a path, or ``"-"`` for standard output (``stdout`` if given). Raises
    :class:`~store.engine.output.OutputRefused` (shequ's own files, a folder...) or
    :class:`~store.errors.WriteFailed` (one sentence); whatever was there is then untouched.
    """
    require(actor, Action.EXPORT)
    payload, count = members_payload(db.snapshot(), fmt, include_inactive=include_inactive)
    write_output(target, payload, db, stdout=stdout)
    return count


def members_payload(
    snapshot: Snapshot, fmt: str, *, include_inactive: bool = False
) -> tuple[bytes, int]:
    """The export file's bytes in ``fmt`` ("csv" or "xlsx") and how many members it holds.

    The rows are in the roster's order (store/members/summary.py ``roster_order_of``: the
    surname's pinyin, then the name, then the id), whatever order the file keeps them in (the
    order they were added) and whatever sort the roster screen shows: the same file from the
    screen and from ``shequ export``, and a printed roster where 区 comes among the Q names.
    """
    from store.members.summary import members_of, roster_order_of

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    members = members_of(snapshot)
    docs = sorted(
        (doc for doc in snapshot.all(TABLE) if include_inactive or is_current(doc)),
        key=lambda doc: roster_order_of(members, str(doc.get("id"))),
    )
    header = [title for _key, title in COLUMNS]
    rows = [member_row(doc) for doc in docs]
    payload = _csv_bytes(header, rows) if fmt == "csv" else _xlsx_bytes(header, rows)
    return payload, len(rows)


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
