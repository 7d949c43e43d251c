"""Training on paper and in spreadsheets: a session's attendance (CSV, XLSX), a printable
sign-in sheet (plain text, 80 columns, a signature column) and the yearly hours report per
member (CSV, XLSX: required, done, exempt, behind).

Like the roster export (store/members/exporting.py): CSV in UTF-8 with a BOM (Excel shows the
Chinese), every text cell through :func:`~store.textsafe.spreadsheet_cell` (a name like
``=HYPERLINK(...)`` stays text), and the file written whole or not at all
through the shared rule for every export (:func:`~store.engine.output.write_output`: a file
whole or not at all and private when new, ``-`` for standard output, shequ's own files
refused). Coordinators
and admins only (``EXPORT``: the sheets name who came and who fell behind).

The sign-in sheet aligns Chinese by display width (a Chinese character takes two columns), so
it lines up when printed from any editor in a monospaced font.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from store.actor import Actor
from store.engine.database import Database, Snapshot
from store.engine.output import write_output
from store.enums import label
from store.errors import NotFound
from store.i18n import _
from store.permissions import Action, require
from store.textsafe import clean_line, spreadsheet_cell
from store.training import hours as store_hours
from store.training import sessions as store_sessions
from store.training.model import TrainingSession
from store.training.service import ServiceTotal, everyone_service

SESSION_FORMATS = ("csv", "xlsx", "sheet")
REPORT_FORMATS = ("csv", "xlsx")
SHEET_WIDTH = 80


@dataclass(frozen=True, slots=True)
class Table:
    """What a spreadsheet export holds: a sheet name, the header and the rows of text."""

    name: str
    header: list[str]
    rows: list[list[str]]


def _number(value: float) -> str:
    return f"{value:g}"


def _session(snapshot: Snapshot, actor: Actor, session_id: str) -> TrainingSession:
    require(actor, Action.EXPORT)
    session = store_sessions.get_session(snapshot, actor, session_id)
    if session is None:
        raise NotFound(_("There is no training session with the id {id}.").format(id=session_id))
    return session


def attendance_table(snapshot: Snapshot, actor: Actor, session_id: str) -> Table:
    """A session's checklist as rows: everyone listed, with their mark, hours and make-up day."""
    session = _session(snapshot, actor, session_id)
    marks = {a.member_id: a for a in session.attendance}
    rows = []
    for member in store_sessions.audience(snapshot, actor, session):
        row = marks.get(member.id)
        rows.append(
            [
                member.name,
                label(member.category),
                member.branch,
                label(row.status) if row else "",
                _number(row.hours) if row and row.hours else "",
                row.date.isoformat() if row and row.date else "",
            ]
        )
    header = [_("Name"), _("Category"), _("Branch"), _("Attendance"), _("Hours"), _("Made up on")]
    title = f"{session.date.isoformat() if session.date else ''} {session.title}".strip()
    return Table(title[:31] or _("Attendance"), header, rows)


def report_table(snapshot: Snapshot, actor: Actor, year: int, today: date) -> Table:
    """Every current member's study hours in ``year``: required, done, exempt, behind; then
    their volunteer service that year (patrols, theme days and the two together), the same
    figures as the member detail's and the dashboard's service line
    (:mod:`store.training.service`)."""
    require(actor, Action.EXPORT)
    service = everyone_service(snapshot, actor, year)
    rows = []
    # By branch, each in the meters' roster (pinyin) order (a stable sort).
    for meter in sorted(store_hours.meters(snapshot, actor, year, today), key=lambda m: m.branch):
        exempt = ""
        if meter.exempt:
            exempt = label(meter.exempt_reason) if meter.exempt_reason else _("Yes")
        rows.append(
            [
                meter.name,
                label(meter.category),
                meter.branch,
                _number(meter.required),
                _number(meter.done),
                exempt,
                _number(meter.shortfall) if meter.pace == "behind" else "",
                *_service_cells(service.get(meter.member_id)),
            ]
        )
    header = [
        _("Name"),
        _("Category"),
        _("Branch"),
        _("Required hours"),
        _("Hours done"),
        _("Exempt"),
        _("Behind pace by"),
        _("Patrol hours"),
        _("Theme-day hours"),
        _("Service hours total"),
    ]
    return Table(str(year), header, rows)


def _service_cells(service: ServiceTotal | None) -> list[str]:
    """Patrol, theme-day and total service hours ("0" for a member who gave none)."""
    if service is None:
        return ["0", "0", "0"]
    return [_number(service.patrol), _number(service.theme_days), _number(service.total)]


def width(text: str) -> int:
    """Display columns of ``text``: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    """``text`` cut (with …) or padded with spaces to ``size`` display columns."""
    if width(text) <= size:
        return text + " " * (size - width(text))
    out, used = "", 0
    for char in text:
        if used + width(char) > size - 1:
            break
        out += char
        used += width(char)
    return out + "…" + " " * (size - used - 1)


def sign_in_sheet(snapshot: Snapshot, actor: Actor, session_id: str) -> str:
    """A printable sign-in sheet for the session: a heading, then one numbered line per
    member of the audience with a signature column, at most 80 columns wide."""
    session = _session(snapshot, actor, session_id)
    members = store_sessions.audience(snapshot, actor, session)
    lines = [
        clean_line(session.title),
        _("Date: {date}  Time: {start}  Place: {place}  Hours: {hours}").format(
            date=session.date.isoformat() if session.date else "",
            start=session.start.strftime("%H:%M") if session.start else "",
            place=clean_line(session.place),
            hours=_number(session.hours),
        ),
        _("Trainer: {trainer}").format(trainer=clean_line(session.trainer)),
        "",
    ]
    columns = ((_("No."), 5), (_("Name"), 16), (_("Branch"), 14), (_("Signature"), 0))
    fixed = sum(size for _title, size in columns) + len(columns) - 1
    sign = SHEET_WIDTH - fixed
    head = " ".join(pad(title, size or sign) for title, size in columns)
    lines += [head.rstrip(), "-" * SHEET_WIDTH]
    for number, member in enumerate(members, 1):
        cells = (str(number), clean_line(member.name), clean_line(member.branch), "_" * sign)
        lines.append(
            " ".join(
                pad(text, size or sign) for text, (_title, size) in zip(cells, columns, strict=True)
            )
        )
        lines.append("")
    lines.append(_("{count} listed.").format(count=len(members)))
    return "\n".join(lines) + "\n"


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([[spreadsheet_cell(clean_line(c)) for c in row] for row in table.rows])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_name(table.name))
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([spreadsheet_cell(clean_line(c)) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in clean_line(name))
    return cleaned[:31] or "Sheet"


def session_payload(snapshot: Snapshot, actor: Actor, session_id: str, fmt: str) -> bytes:
    """A session's attendance as ``fmt`` (csv, xlsx, or sheet: the sign-in sheet as text)."""
    if fmt == "sheet":
        return sign_in_sheet(snapshot, actor, session_id).encode("utf-8")
    table = attendance_table(snapshot, actor, session_id)
    return csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)


def report_payload(snapshot: Snapshot, actor: Actor, year: int, today: date, fmt: str) -> bytes:
    """The yearly hours report as ``fmt`` (csv or xlsx)."""
    table = report_table(snapshot, actor, year, today)
    return csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)


def export_session(
    db: Database,
    actor: Actor,
    session_id: str,
    target: Path | str,
    fmt: str,
    *,
    stdout: BinaryIO | None = None,
) -> int:
    """Write a session's attendance to ``target`` (a path, or ``"-"`` for standard output);
    returns how many members are on it. Raises NotFound for an unknown session, and
    :class:`~store.engine.output.OutputRefused` or WriteFailed with nothing written."""
    if fmt not in SESSION_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    snapshot = db.snapshot()
    session = _session(snapshot, actor, session_id)
    payload = session_payload(snapshot, actor, session_id, fmt)
    write_output(target, payload, db, stdout=stdout)
    return len(store_sessions.audience(snapshot, actor, session))


def export_report(
    db: Database,
    actor: Actor,
    year: int,
    target: Path | str,
    fmt: str,
    *,
    stdout: BinaryIO | None = None,
) -> int:
    """Write the yearly hours report to ``target``; returns how many members are on it."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    table = report_table(db.snapshot(), actor, year, db.today())
    write_output(target, csv_bytes(table) if fmt == "csv" else xlsx_bytes(table), db, stdout=stdout)
    return len(table.rows)
