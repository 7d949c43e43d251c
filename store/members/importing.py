"""Bring an existing member spreadsheet (党员花名册) into the roster: CSV or XLSX.

Reading never writes: :func:`plan_import` reads the file (store/members/import_reading.py), checks
every row with :func:`~store.validation.validate_member` and matches it against the roster,
giving an :class:`ImportPlan` (added / updated / unchanged / refused, each refused row with a
message naming its spreadsheet row, header = row 1, and the column at fault).
:func:`apply_import` then writes the good rows in one transaction.

Decisions worth knowing:
- A row matches a member with the same name and birth date, or the same phone. A match whose
  fields differ is an update of the columns the file has; an identical one is "unchanged".
- A plan holds changes, not copies of members (store/engine/planned.py): an update writes only the
  fields the file sets, and only over the version it was planned against. A member changed,
  archived, deleted or restored after the preview, or added by someone else while the preview
  said "to add", is left as it is and reported as changed meanwhile: reading the file again
  shows what importing would now do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.engine.planned import PlannedChange, apply_planned
from store.errors import ValidationError
from store.i18n import _
from store.members.import_reading import (
    FORMULA_START,
    HEADERS,
    MAX_CELL,
    ImportRefused,
    Sheet,
    decode_csv,
    read_rows,
    read_sheet,
)
from store.members.ops import match_keys, merge_edits
from store.members.validation import validate_member
from store.permissions import Action, require

__all__ = [
    "FORMULA_START",
    "HEADERS",
    "MAX_CELL",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "PlannedRow",
    "RowProblem",
    "apply_import",
    "decode_csv",
    "match_keys",
    "plan_import",
    "read_rows",
]

TABLE = "members"

# How many rows plan_import checks between two calls of its progress callback.
PROGRESS_EVERY = 250

Progress = Callable[[int, int], None]
"""Called with (rows checked, rows in the file) while a file is planned; may raise to stop."""

_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A refused row: its spreadsheet row number and one sentence saying what is wrong."""

    row: int
    message: str


@dataclass(slots=True)
class PlannedRow:
    """A good row: the member as it will be, and for an update which one, at which version,
    and the fields the file changes (only those are written)."""

    row: int
    doc: dict[str, Any]
    member_id: str | None = None
    version: int = 0
    changed: list[str] = field(default_factory=list)

    def change(self) -> PlannedChange:
        """The row as the store applies it: a new member, or only the changed fields."""
        if self.member_id is None:
            return PlannedChange(TABLE, self.doc)
        fields = {key: self.doc[key] for key in self.changed}
        if "name" in fields:  # the keys the roster's search finds the new name by
            fields["search_keys"] = self.doc.get("search_keys", [])
        return PlannedChange(TABLE, fields, self.member_id, self.version)

    @property
    def name(self) -> str:
        return str(self.doc.get("name", ""))


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
    """What :func:`apply_import` did; ``stale`` are the rows left alone (changed meanwhile)."""

    added: int
    updated: int
    unchanged: int
    refused: int
    stale: tuple[PlannedRow, ...] = ()


# ---------------------------------------------------------------- matching


class _Roster:
    """The members by match key, as the file is planned."""

    def __init__(self, docs: Sequence[Mapping[str, Any]]) -> None:
        self.by_key: dict[tuple[str, ...], Mapping[str, Any]] = {}
        for doc in docs:
            for key in match_keys(doc):
                self.by_key.setdefault(key, doc)

    def find(self, doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return next((self.by_key[k] for k in match_keys(doc) if k in self.by_key), None)


def _merge(current: Mapping[str, Any], raw: Mapping[str, str]) -> dict[str, object]:
    """The stored member with the file's columns over it, ready to validate again.

    As a form's edit (store.members.ops.merge_edits: a date the file gives brings its own
    precision), and the file's address replaces the stored one, split into building, unit and
    room or not.
    """
    base = dict(current)
    if "address" in raw:
        base.update(building="", unit="", room="", address="")
    return merge_edits(base, raw)


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
    sheet = read_sheet(path, fmt)
    plan = ImportPlan(
        Path(path), sheet.encoding, list(sheet.titles.values()), unknown_columns=sheet.unknown
    )
    planner = _Planner(plan, sheet, _Roster(db.snapshot().all(TABLE)), db)
    total = len(sheet.rows)
    report = progress or _quietly
    for done, (number, cells) in enumerate(sheet.rows):
        if done % PROGRESS_EVERY == 0:
            report(done, total)
        if any(cell.strip() for cell in cells):
            planner.row(number, cells)
    report(total, total)
    return plan


def _quietly(done: int, total: int) -> None:
    """The progress callback when nobody watches."""


class _Planner:
    """Plans one row at a time, remembering the members the file has named so far."""

    def __init__(self, plan: ImportPlan, sheet: Sheet, roster: _Roster, db: Database) -> None:
        self.plan, self.sheet, self.roster = plan, sheet, roster
        self.today = db.today()
        self.in_file: dict[tuple[str, ...], int] = {}

    def refuse(self, number: int, message: str) -> None:
        self.plan.refused.append(RowProblem(number, message))

    def row(self, number: int, cells: list[str]) -> None:
        too_long = self.sheet.too_long(cells)
        if too_long is not None:
            message = _("Row {row}: {column}: {count} characters; a cell holds at most {limit}.")
            column, count = too_long
            self.refuse(
                number, message.format(row=number, column=column, count=count, limit=MAX_CELL)
            )
            return
        raw = self.sheet.fields(cells)
        try:
            doc = validate_member(raw, today=self.today)
        except ValidationError as error:
            self.plan.refused.append(_problem(number, error, self.sheet.titles))
            return
        earlier = next((self.in_file[k] for k in match_keys(doc) if k in self.in_file), None)
        if earlier is not None:
            message = _("Row {row}: the same member as row {earlier}.")
            self.refuse(number, message.format(row=number, earlier=earlier))
            return
        for match in match_keys(doc):
            self.in_file[match] = number
        self.match(number, raw, doc)

    def match(self, number: int, raw: Mapping[str, str], doc: dict[str, Any]) -> None:
        current = self.roster.find(doc)
        if current is None:
            self.plan.added.append(PlannedRow(number, doc))
            return
        try:
            merged = validate_member(_merge(current, raw), today=self.today)
        except ValidationError as error:
            self.plan.refused.append(_problem(number, error, self.sheet.titles))
            return
        changed = _differences(merged, current)
        if not changed:
            self.plan.unchanged.append(number)
            return
        self.plan.updated.append(
            PlannedRow(number, merged, str(current["id"]), int(current["version"]), changed)
        )


# ---------------------------------------------------------------- applying


def apply_import(db: Database, actor: Actor, plan: ImportPlan) -> ImportResult:
    """Write the plan's good rows in one transaction; refused rows stay out.

    Each update writes only the fields the file changes, over the version it was planned
    against; a member changed meanwhile, and a member to add that someone else added
    meanwhile, are left alone and returned in ``stale`` (store/engine/planned.py).
    """
    require(actor, Action.IMPORT)
    rows = [*plan.added, *plan.updated]
    with db.transaction(actor) as tx:
        applied = apply_planned(tx, [row.change() for row in rows], match_keys)
    return ImportResult(
        len(applied.added),
        len(applied.updated),
        len(plan.unchanged),
        len(plan.refused),
        tuple(rows[position] for position in applied.stale),
    )
