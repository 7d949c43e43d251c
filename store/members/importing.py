"""Bring an existing member spreadsheet (党员花名册) into the roster: CSV or XLSX.

Reading never writes: :func:`plan_import` reads the file, checks every row with
:func:`~store.members.validation.validate_member` and matches it against the roster, giving an
:class:`ImportPlan` (added / updated / unchanged / refused, each refused row with a message naming
its spreadsheet row, header = row 1, and the column at fault). :func:`apply_import` then writes
the good rows in one transaction, matching again inside it so a save made meanwhile is respected.

Decisions worth knowing:
- Encoding: the bytes are decoded strictly as UTF-8 (a BOM is dropped), and if that fails as
  GB18030, the superset of GBK that Excel on a Chinese Windows writes. Real UTF-8 text almost
  never decodes by accident, so this order needs no statistical guessing.
- Headers are matched by common Chinese and English synonyms (:data:`HEADERS`); unknown columns
  are reported once and ignored; a file without a name column is refused as a whole.
- A row matches a member with the same name and birth date, or the same phone. A match whose
  fields differ is an update of the columns the file has; an identical one is "unchanged".
- A cell our own export protected with a leading apostrophe ('=...) loses it again, so an
  export re-imports to the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.engine.output import is_standard_stream, read_input, source_name
from store.errors import StoreError, ValidationError
from store.i18n import _
from store.members.ops import match_keys
from store.members.validation import validate_member
from store.permissions import Action, require

TABLE = "members"

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

# How many rows plan_import checks between two calls of its progress callback.
PROGRESS_EVERY = 250

Progress = Callable[[int, int], None]
"""Called with (rows checked, rows in the file) while a file is planned; may raise to stop."""

# How every XLSX workbook (a zip archive) begins.
ZIP_MAGIC = b"PK\x03\x04"

# What store.textsafe.spreadsheet_cell protects with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


def _fold(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split()).lower().replace("_", "")


_BY_HEADER: dict[str, str] = {_fold(word): key for key, words in HEADERS.items() for word in words}


class ImportRefused(StoreError):
    """The file as a whole can't be imported (unreadable, not a roster, no name column)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A refused row: its spreadsheet row number and one sentence saying what is wrong."""

    row: int
    message: str


@dataclass(slots=True)
class PlannedRow:
    """A good row: the document to store, and the member it updates (if any)."""

    row: int
    doc: dict[str, Any]
    member_id: str | None = None
    version: int = 0
    changed: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportPlan:
    """What importing a file would do; :func:`apply_import` does it."""

    path: Path
    encoding: str
    columns: list[str]
    added: list[PlannedRow] = field(default_factory=list)
    updated: list[PlannedRow] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    refused: int


# ---------------------------------------------------------------- reading


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
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), encoding


def _unprotect(value: str) -> str:
    """Drop the apostrophe an export put before = + - @ (see store.textsafe.spreadsheet_cell).

    Exactly one goes: the export doubles an apostrophe that was already there ('= becomes ''=).
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


# ---------------------------------------------------------------- matching


class _Roster:
    """The members by match key, as the file is planned or applied."""

    def __init__(self, docs: Sequence[Mapping[str, Any]]) -> None:
        self.by_key: dict[tuple[str, ...], Mapping[str, Any]] = {}
        for doc in docs:
            for key in match_keys(doc):
                self.by_key.setdefault(key, doc)

    def find(self, doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return next((self.by_key[k] for k in match_keys(doc) if k in self.by_key), None)

    def add(self, doc: Mapping[str, Any]) -> None:
        for key in match_keys(doc):
            self.by_key.setdefault(key, doc)


def _merge(current: Mapping[str, Any], raw: Mapping[str, str]) -> dict[str, Any]:
    """The stored member with the file's columns over it, ready to validate again."""
    base = {k: v for k, v in current.items() if k not in _BOOKKEEPING}
    if "address" in raw:  # the file's address replaces the stored one, split or not
        base.update(building="", unit="", room="", address="")
    for key in ("birth_date", "join_date"):
        if key in raw and isinstance(base.get("month_only"), list):
            base["month_only"] = [k for k in base["month_only"] if k != key]
    return base | dict(raw)


def _differences(doc: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    return [
        key
        for key, value in doc.items()
        if key not in _BOOKKEEPING and key != "search_keys" and current.get(key) != value
    ]


def _problem(row: int, error: ValidationError, titles: Mapping[str, str]) -> RowProblem:
    parts = [
        _("{column}: {message}").format(column=titles.get(key, key), message=message)
        for key, message in error.errors.items()
    ]
    return RowProblem(row, _("Row {row}: {problems}").format(row=row, problems="; ".join(parts)))


# ---------------------------------------------------------------- planning


def plan_import(
    db: Database,
    path: Path | str,
    progress: Progress | None = None,
    *,
    fmt: str | None = None,
) -> ImportPlan:
    """Read ``path`` and say what importing it would add, update, leave and refuse.

    ``path`` ``"-"`` (the string) reads standard input; ``fmt`` ("csv" or "xlsx") overrides the
    format the file's ending or bytes suggest (:func:`read_rows`). ``progress`` is told how far
    the checking got every :data:`PROGRESS_EVERY` rows, so a screen can show it for a big file;
    an exception it raises stops the reading (nothing was written).
    """
    rows, encoding = read_rows(path, fmt)
    name = source_name(path)
    path = Path(path)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportRefused(_("{path} has no rows.").format(path=name))
    header = rows[0]
    columns: dict[int, str] = {}
    titles: dict[str, str] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        folded = _fold(title)
        key = _BY_HEADER.get(folded)
        if key is not None and key not in titles:
            columns[index], titles[key] = key, title.strip()
        elif folded and folded not in _IGNORED and key is None:
            unknown.append(title.strip())
    if "name" not in titles:
        raise ImportRefused(
            _("{path} has no name column (姓名 or name) in its first row.").format(path=name)
        )
    plan = ImportPlan(path, encoding, list(titles.values()), unknown_columns=unknown)
    today = db.today()
    roster = _Roster(db.snapshot().all(TABLE))
    in_file: dict[tuple[str, ...], int] = {}
    total = len(rows) - 1
    report = progress or _quietly
    for number, cells in enumerate(rows[1:], start=2):
        if (number - 2) % PROGRESS_EVERY == 0:
            report(number - 2, total)
        if not any(cell.strip() for cell in cells):
            continue
        raw = {
            key: _unprotect(cells[index]) for index, key in columns.items() if index < len(cells)
        }
        try:
            doc = validate_member(raw, today=today)
        except ValidationError as error:
            plan.refused.append(_problem(number, error, titles))
            continue
        earlier = next((in_file[k] for k in match_keys(doc) if k in in_file), None)
        if earlier is not None:
            message = _("Row {row}: the same member as row {earlier}.")
            plan.refused.append(RowProblem(number, message.format(row=number, earlier=earlier)))
            continue
        for match in match_keys(doc):
            in_file[match] = number
        _plan_row(plan, roster, number, raw, doc, titles, today)
    report(total, total)
    return plan


def _quietly(done: int, total: int) -> None:
    """The progress callback when nobody watches."""


def _plan_row(
    plan: ImportPlan,
    roster: _Roster,
    number: int,
    raw: Mapping[str, str],
    doc: dict[str, Any],
    titles: Mapping[str, str],
    today: dt.date,
) -> None:
    current = roster.find(doc)
    if current is None:
        plan.added.append(PlannedRow(number, doc))
        return
    try:
        merged = validate_member(_merge(current, raw), today=today)
    except ValidationError as error:
        plan.refused.append(_problem(number, error, titles))
        return
    changed = _differences(merged, current)
    if not changed:
        plan.unchanged.append(number)
        return
    plan.updated.append(
        PlannedRow(number, merged, str(current["id"]), int(current["version"]), changed)
    )


# ---------------------------------------------------------------- applying


def apply_import(db: Database, actor: Actor, plan: ImportPlan) -> ImportResult:
    """Write the plan's good rows in one transaction; refused rows stay out.

    Matches are made again inside the transaction against the members as they are now, so a
    member added or edited since the plan was made is updated, never duplicated or overwritten
    from a stale version.
    """
    require(actor, Action.IMPORT)
    added = updated = unchanged = 0
    with db.transaction(actor) as tx:
        roster = _Roster(tx.all(TABLE))
        new: list[dict[str, Any]] = []
        for row in [*plan.added, *plan.updated]:
            current = roster.find(row.doc)
            if current is None or "id" not in current:
                new.append(row.doc)
                roster.add(row.doc)
                continue
            changes = {
                k: v for k, v in row.doc.items() if k not in _BOOKKEEPING and current.get(k) != v
            }
            if not changes or set(changes) == {"search_keys"}:
                unchanged += 1
                continue
            record = tx.update(TABLE, str(current["id"]), changes, int(current["version"]))
            roster.add(record)
            updated += 1
        if new:
            tx.insert_many(TABLE, new)
            added = len(new)
    return ImportResult(added, updated, unchanged + len(plan.unchanged), len(plan.refused))
