"""One spreadsheet row made into a member, keeping the person when one of their fields is wrong.

Offices live with mistakes in their rosters for years (a 入党时间 before the 出生年月, a phone
with a digit missing, a category word nobody else uses). Refusing the whole row for one of them
loses a person unless someone reads every message, so :func:`check_row` takes the person in with
that field left empty (or at its default) and returns a :class:`RowProblem` warning that names
the row, the column, the value as written and why; the member is marked "needs checking" on that
field (the member's ``to_check``) until it is corrected.

A row is refused whole only when it cannot stand for a person (no usable name) or is hostile: a
spreadsheet formula where a value should be (``=HYPERLINK(...)``). Markup and escape sequences
are not refused: they are stored as literal text, stripped of control characters, as before.

The one rule for each field stays :func:`~store.members.validation.validate_member`: this module
only asks it again without the fields it refused, until the row passes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.errors import ValidationError
from store.i18n import _
from store.members.validation import JOIN_BEFORE_BIRTH, validate_member
from store.parse import quote

# A cell holding a formula: = or @ at the start, or a sign before a function call or a DDE
# link (+cmd|...). A phone's +86 or a note's leading dash is not one.
_FORMULA = re.compile(r"^\s*(?:=|@|[+\-]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(|!])")
# Words for a member's standing in the party rather than a roster category: kept as a tag
# (预备党员, probationary) or read as saying nothing more (正式党员, full member).
MEMBERSHIP_TAGS: dict[str, str] = {
    "预备党员": "预备党员",
    "预备": "预备党员",
    "正式党员": "",
    "正式": "",
}
_WORDS_SPLIT = re.compile(r"[、,，;；/\s]+")
# The most rounds of "leave the refused fields out and ask again": each round clears at least
# one field, and a contradiction between two fields can only show once both are read.
_ROUNDS = 6


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A refused row or a field warning: where it is, what the cell said and why.

    ``message`` is the whole sentence the preview and the CLI show (row first); ``column``,
    ``value`` and ``reason`` are its parts, as the report file lists them.
    """

    row: int
    message: str
    column: str = ""
    value: str = ""
    reason: str = ""


def where(row: int, number: str = "") -> str:
    """How a message names a row: its spreadsheet row number, and the roster's own number
    (序号) when the file has one and it differs, since a printed roster is read by it."""
    if number and number != str(row):
        return _("Row {row} (No. {number})").format(row=row, number=quote(number, 10))
    return _("Row {row}").format(row=row)


def is_formula(cell: str) -> bool:
    """Whether ``cell`` (as the file has it) is a spreadsheet formula, not a value."""
    return bool(_FORMULA.match(cell))


def refusal(place: str, row: int, column: str, value: str, reason: str) -> RowProblem:
    """A whole row refused, naming the column at fault."""
    if column:
        message = _("{where}: {column}: {reason}").format(where=place, column=column, reason=reason)
    else:
        message = _("{where}: {reason}").format(where=place, reason=reason)
    return RowProblem(row, message, column, value, reason)


def field_warning(place: str, row: int, column: str, value: str, reason: str) -> RowProblem:
    """A field left empty: the row, the column, the value as written, why, and what to do."""
    message = _("{where}: {column} “{value}”: {reason} Left empty; please check.").format(
        where=place, column=column, value=quote(value, 40), reason=reason
    )
    return RowProblem(row, message, column, value, reason)


@dataclass(slots=True)
class CheckedRow:
    """What :func:`check_row` made of a row: the member (None: refused), the file's fields
    that were used, the fields left empty, and every problem found."""

    doc: dict[str, Any] | None
    raw: dict[str, str]
    cleared: list[str]
    problems: list[RowProblem]


class RowChecker:
    """Checks the rows of one file: knows its columns' titles and today's date."""

    def __init__(
        self, titles: Mapping[str, str], today: dt.date, *, keep_id_numbers: bool = False
    ) -> None:
        self.titles = titles
        self.today = today
        self.keep_id_numbers = keep_id_numbers

    def title(self, key: str) -> str:
        from store.members.model import field_label

        return self.titles.get(key) or field_label(key)

    def check(
        self,
        place: str,
        row: int,
        raw: Mapping[str, str],
        *,
        base: Mapping[str, Any] | None = None,
        merge: Any = None,
        errors: Mapping[str, str] | None = None,
    ) -> CheckedRow:
        """Validate ``raw`` (the row's fields as written), leaving out each field that fails.

        ``base`` is a stored member the row updates, and ``merge(base, raw)`` puts the row's
        fields over it; a field of the row that contradicts the stored member is left out in
        the same way. ``errors`` are the fields whose cell holds a spreadsheet error (#N/A):
        left out at once. The name is never left out: a row whose name fails is refused.
        """
        used = read_category_words(raw)
        cleared: list[str] = []
        problems: list[RowProblem] = []
        for key, text in (errors or {}).items():
            reason = _("The cell holds a spreadsheet error, not a value.")
            if key == "name":
                return CheckedRow(
                    None, used, cleared, [refusal(place, row, self.title(key), text, reason)]
                )
            problems.append(field_warning(place, row, self.title(key), text, reason))
            used.pop(key, None)
            cleared.append(key)
        if used.get("id_number", "").strip():
            self._read_id_number(place, row, used, cleared, problems)
        for _round in range(_ROUNDS):
            given: Mapping[str, object] = used if base is None else merge(base, used)
            try:
                doc = validate_member(given, today=self.today)
            except ValidationError as error:
                refused = self._clear(place, row, error.errors, used, cleared, problems)
                if refused is not None:
                    return CheckedRow(None, used, cleared, [*problems, refused])
                continue
            return CheckedRow(doc, used, cleared, problems)
        reason = _("Too many wrong fields to read this row.")
        return CheckedRow(None, used, cleared, [*problems, refusal(place, row, "", "", reason)])

    def _clear(
        self,
        place: str,
        row: int,
        errors: Mapping[str, str],
        used: dict[str, str],
        cleared: list[str],
        problems: list[RowProblem],
    ) -> RowProblem | None:
        """Leave out every field ``errors`` names, each with a warning; the refusal if one of
        them can't be left out (the name, or a field the file did not give)."""
        if "name" in errors:
            name = used.get("name", "")
            reason = errors["name"] if name.strip() else _("No name: the row can't be a member.")
            return refusal(place, row, self.title("name"), name, reason)
        for key, reason in errors.items():
            value = used.get(key, "")
            if not value.strip():  # the stored member's own field fails: nothing to leave out
                return refusal(place, row, self.title(key), value, reason)
            if reason == _(JOIN_BEFORE_BIRTH) and used.get("birth_date"):
                problems.append(self._before_birth(place, row, value, used["birth_date"]))
            else:
                problems.append(field_warning(place, row, self.title(key), value, reason))
            del used[key]  # an update then keeps the stored value
            cleared.append(key)
        return None

    def _read_id_number(
        self,
        place: str,
        row: int,
        used: dict[str, str],
        cleared: list[str],
        problems: list[RowProblem],
    ) -> None:
        """Check the row's ID number; fill a blank birth date and sex from it; keep it only
        when the settings allow (else it goes once read). A wrong one is a field warning."""
        from store.parse import parse_id_number

        text = used.pop("id_number")
        try:
            found = parse_id_number(text)
        except ValueError as error:
            problems.append(field_warning(place, row, self.title("id_number"), text, str(error)))
            if self.keep_id_numbers:
                cleared.append("id_number")
            return
        if not used.get("birth_date", "").strip():
            used["birth_date"] = found.birth.isoformat()
        if not used.get("gender", "").strip():
            used["gender"] = "male" if found.male else "female"
        if self.keep_id_numbers:
            used["id_number"] = found.number

    def _before_birth(self, place: str, row: int, joined: str, born: str) -> RowProblem:
        reason = _("{column} “{value}” is before {other} “{born}”.").format(
            column=self.title("join_date"),
            value=quote(joined, 40),
            other=self.title("birth_date"),
            born=quote(born, 40),
        )
        message = _("{where}: {reason} Left empty; please check.").format(
            where=place, reason=reason
        )
        return RowProblem(row, message, self.title("join_date"), joined, reason)


def read_category_words(raw: Mapping[str, str]) -> dict[str, str]:
    """``raw`` with a category cell of several words ("退休、预备党员", "流入 代管", "已故")
    spread over the fields they name: the category, the status or the management (when the
    file has no column of its own for it) and a tag (预备党员). A cell with a word that names
    nothing is left as written, so the validator says which (a warning, the field left empty).
    """
    from store.enums import Category, Management, MemberStatus, coerce

    found = dict(raw)
    cell = raw.get("category", "").strip()
    if not cell or coerce(Category, cell) is not None:
        return found
    spread: dict[str, str] = {}
    tags: list[str] = []
    for word in filter(None, _WORDS_SPLIT.split(cell)):
        if word in MEMBERSHIP_TAGS:
            tags += [MEMBERSHIP_TAGS[word]] if MEMBERSHIP_TAGS[word] else []
            continue
        for key, cls in (
            ("category", Category),
            ("status", MemberStatus),
            ("management", Management),
        ):
            named = coerce(cls, word)
            if named is not None and key not in spread:
                spread[key] = named.value
                break
        else:
            return found
    found["category"] = spread.pop("category", "")
    for key, text in spread.items():
        if not found.get(key, "").strip():
            found[key] = text
    if tags:
        given = [tag for tag in _WORDS_SPLIT.split(found.get("tags", "")) if tag]
        found["tags"] = "、".join(dict.fromkeys([*given, *tags]))
    return found
