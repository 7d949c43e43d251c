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
from store.errors import Stopped
from store.i18n import _
from store.members.import_csv import ImportRefused, decode_csv
from store.members.import_reading import (
    FORMULA_START,
    HEADERS,
    MAX_CELL,
    Sheet,
    read_sheet,
    read_tables,
)
from store.members.import_rows import RowChecker, RowProblem, refusal, where
from store.members.ops import match_keys, merge_edits
from store.members.validation import CHECKED_AS, settle_checks
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
    "read_tables",
]

TABLE = "members"

# How many rows plan_import checks between two calls of its progress callback.
PROGRESS_EVERY = 250

Progress = Callable[[int, int], None]
"""Called with (rows checked, rows in the file) while a file is planned; may raise to stop."""

_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


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
    warnings: list[RowProblem] = field(default_factory=list)  # fields left empty, by row
    header_row: int = 1  # where the header was found (title lines above it were skipped)
    skipped_above: int = 0
    totals: list[int] = field(default_factory=list)  # totals lines skipped
    ended_at: int | None = None  # the signature or notes line the table ended at
    sheet: str = ""  # the workbook's sheet read ("" for a CSV file)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook
    id_numbers: str = ""  # the file's ID numbers: "kept", "dropped" (a setting), "" (none)

    @property
    def warned_rows(self) -> int:
        """How many rows that go in (or are unchanged) had a field left empty."""
        return len({problem.row for problem in self.warnings})


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :func:`apply_import` did; ``stale`` are the rows left alone (changed meanwhile)."""

    added: int
    updated: int
    unchanged: int
    refused: int
    stale: tuple[PlannedRow, ...] = ()
    warned: int = 0  # rows that went in (or were unchanged) with a field left empty

    def summary(self, plan: ImportPlan) -> dict[str, Any]:
        """What the change log keeps of the import: the file and the counts."""
        return {
            "file": plan.path.name,
            "sheet": plan.sheet,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warned": self.warned,
            "refused": self.refused,
            "stale": len(self.stale),
        }


# ---------------------------------------------------------------- matching


class _Roster:
    """The members by match key, as the file is planned.

    A member an import marked "needs checking" may have lost the very fields it would be
    matched by (a birth date in the future, a malformed phone). So that the corrected file
    updates them instead of adding them twice, a row no key finds matches the one marked
    member of the same name whose birth date and phone do not contradict the row's.
    """

    def __init__(self, docs: Sequence[Mapping[str, Any]]) -> None:
        self.by_key: dict[tuple[str, ...], Mapping[str, Any]] = {}
        self.marked: dict[str, list[Mapping[str, Any]]] = {}
        for doc in docs:
            for key in match_keys(doc):
                self.by_key.setdefault(key, doc)
            if doc.get("to_check"):
                self.marked.setdefault(str(doc.get("name", "")), []).append(doc)

    def find(self, doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
        found = next((self.by_key[k] for k in match_keys(doc) if k in self.by_key), None)
        if found is not None:
            return found
        same = [
            other
            for other in self.marked.get(str(doc.get("name", "")), [])
            if all(
                not (doc.get(key) and other.get(key)) or doc.get(key) == other.get(key)
                for key in ("birth_date", "phone")
            )
        ]
        return same[0] if len(same) == 1 else None


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


# ---------------------------------------------------------------- planning


def plan_import(
    db: Database,
    path: Path | str,
    progress: Progress | None = None,
    *,
    fmt: str | None = None,
    sheet: str | None = None,
) -> ImportPlan:
    """Read ``path`` and say what importing it would add, update, leave and refuse.

    ``path`` ``"-"`` (the string) reads standard input; ``fmt`` ("csv" or "xlsx") overrides the
    format the file's ending or bytes suggest (:func:`read_tables`); ``sheet`` names the
    workbook's sheet to read (default: the one that looks most like a roster). ``progress``
    is told how far the checking got every :data:`PROGRESS_EVERY` rows, so a screen can show
    it for a big file; an exception it raises stops the reading (nothing was written).
    """
    table = read_sheet(path, fmt, sheet)
    plan = ImportPlan(
        Path(path),
        table.encoding,
        list(table.titles.values()),
        unknown_columns=table.unknown,
        header_row=table.header_row,
        skipped_above=table.skipped_above,
        totals=table.totals,
        ended_at=table.ended_at,
        sheet=table.sheet_name,
        sheets=table.sheets,
    )
    planner = _Planner(plan, table, _Roster(db.snapshot().all(TABLE)), db)
    total = len(table.rows)
    report = progress or _quietly
    for done, (number, cells) in enumerate(table.rows):
        if done % PROGRESS_EVERY == 0:
            report(done, total)
        planner.row(number, cells)
    report(total, total)
    return plan


def _quietly(done: int, total: int) -> None:
    """The progress callback when nobody watches."""


class _Planner:
    """Plans one row at a time, remembering the members the file has named so far."""

    def __init__(self, plan: ImportPlan, sheet: Sheet, roster: _Roster, db: Database) -> None:
        self.plan, self.sheet, self.roster = plan, sheet, roster
        from store.settings.ops import current

        keep = current(db.snapshot()).store_id_numbers
        self.checker = RowChecker(sheet.titles, db.today(), keep_id_numbers=keep)
        plan.id_numbers = ("kept" if keep else "dropped") if "id_number" in sheet.titles else ""
        self.in_file: dict[tuple[str, ...], int] = {}

    def refuse(self, problem: RowProblem) -> None:
        self.plan.refused.append(problem)

    def row(self, number: int, cells: list[str]) -> None:
        place = where(number, self.sheet.number(cells))
        too_long = self.sheet.too_long(cells)
        if too_long is not None:
            column, count = too_long
            reason = _("{count} characters; a cell holds at most {limit}.").format(
                count=count, limit=MAX_CELL
            )
            self.refuse(refusal(place, number, column, "", reason))
            return
        formula = self.sheet.formula(cells)
        if formula is not None:
            column, text = formula
            reason = _("“{text}” is a spreadsheet formula, not a value; the row is refused.")
            self.refuse(refusal(place, number, column, text, reason.format(text=text[:40])))
            return
        checked = self.checker.check(
            place, number, self.sheet.fields(cells), errors=self.sheet.error_fields(number, cells)
        )
        if checked.doc is None:
            self.refuse(checked.problems[-1])  # the rest of the row does not matter
            return
        doc = checked.doc
        earlier = next((self.in_file[k] for k in match_keys(doc) if k in self.in_file), None)
        if earlier is not None:
            reason = _("the same member as row {earlier}.").format(earlier=earlier)
            self.refuse(refusal(place, number, "", "", reason))
            return
        for match in match_keys(doc):
            self.in_file[match] = number
        current = self.roster.find(doc)
        if current is None:
            doc["to_check"] = list(dict.fromkeys(checked.cleared))
            self.plan.warnings += checked.problems
            self.plan.added.append(PlannedRow(number, doc))
            return
        self.match(place, number, checked.raw, checked.cleared, current, checked.problems)

    def match(
        self,
        place: str,
        number: int,
        raw: Mapping[str, str],
        cleared: list[str],
        current: Mapping[str, Any],
        problems: list[RowProblem],
    ) -> None:
        """The row updates ``current``: only the columns it gives, over the stored member."""
        checked = self.checker.check(place, number, raw, base=current, merge=_merge)
        problems = [*problems, *checked.problems]
        merged = checked.doc
        if merged is None:
            self.refuse(problems[-1])
            self.plan.warnings += problems[:-1]
            return
        self.plan.warnings += problems
        # Marks go where the field was corrected; a field left empty is marked if the stored
        # member has nothing there either (a stored value stays, and needs no check).
        marks = settle_checks(current, merged)
        for key in [*cleared, *checked.cleared]:
            stored = CHECKED_AS.get(key, (key,))
            if not any(current.get(name) for name in stored) and key not in marks:
                marks.append(key)
        merged["to_check"] = marks
        changed = _differences(merged, current)
        if not changed:
            self.plan.unchanged.append(number)
            return
        self.plan.updated.append(
            PlannedRow(number, merged, str(current["id"]), int(current["version"]), changed)
        )


# ---------------------------------------------------------------- applying


def apply_import(
    db: Database, actor: Actor, plan: ImportPlan, stop: Callable[[], bool] | None = None
) -> ImportResult:
    """Write the plan's good rows in one transaction; refused rows stay out.

    Each update writes only the fields the file changes, over the version it was planned
    against; a member changed meanwhile, and a member to add that someone else added
    meanwhile, are left alone and returned in ``stale`` (store/engine/planned.py). ``stop`` is
    asked between rows and once more before the commit: when it says so, the import raises
    :class:`~store.errors.Stopped` and nothing is written.
    """
    require(actor, Action.IMPORT)
    rows = [*plan.added, *plan.updated]
    with db.transaction(actor) as tx:
        applied = apply_planned(tx, [row.change() for row in rows], match_keys, stop)
        if stop is not None and stop():  # the last moment before the commit
            raise Stopped(_("Stopped: nothing was imported."))
        result = ImportResult(
            len(applied.added),
            len(applied.updated),
            len(plan.unchanged),
            len(plan.refused),
            tuple(rows[position] for position in applied.stale),
            plan.warned_rows,
        )
        # One line for the import as a whole beside each member's: which file, what it did.
        tx.note("import", result.summary(plan))
    return result
