"""Read untrusted input one field at a time, collecting every problem before refusing.

Forms, the CLI and spreadsheet imports hand the validators a mapping of loosely typed values:
strings as typed, numbers and dates from openpyxl, lists from the UI. :class:`Fields` turns each
into a clean value or records a translated message for that field, so a person sees all their
mistakes at once (a :class:`~store.errors.ValidationError` from :meth:`Fields.check`).

The conventions every domain's validator (store/*/validation.py) follows: it takes a whole record
as loosely typed input (merge the stored document with the edits before validating an update:
missing fields take their defaults) and returns the document to store, built through the model's
``to_doc`` so its shape is the model's. Problems raise one ValidationError naming every bad field
at once; nested rows report as ``"assignments.2.member_id"`` / ``"attendance.0.hours"`` /
``"yearly_hours.retired"``. Whether a referenced member, zone or team exists is checked by the
domain's operations (it needs the database); here a reference must only look like an id.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from store.enums import choices, coerce
from store.errors import ValidationError
from store.i18n import _
from store.parse import ParsedDate, parse_date, parse_hours, parse_phone, parse_time, quote
from store.textsafe import clean_line, clean_text

E = TypeVar("E", bound=StrEnum)

NAME_MAX = 40
"""The longest name of a team, zone, trainer or contact person, in characters."""
NOTE_MAX = 2000
"""The longest free-text note, in characters."""

_REF = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LIST_SPLIT = re.compile(r"[,，、;；\n]")
_YES = {"1", "true", "yes", "y", "是", "有", "√", "✓"}
_NO = {"", "0", "false", "no", "n", "否", "无", "×", "✗", "-"}


def tidy_line(value: str) -> str:
    """``clean_line`` plus: invisible format characters (BOM, zero-width, bidi) dropped and
    runs of spaces (full-width too) made one, so lookalike names compare equal."""
    value = clean_line(value)
    value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    return " ".join(value.split())


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Fields:
    """One raw mapping being validated; ``errors`` maps a field name to its first problem."""

    def __init__(
        self,
        raw: Mapping[str, object],
        today: dt.date | None = None,
        *,
        prefix: str = "",
        errors: dict[str, str] | None = None,
    ) -> None:
        self.raw = raw
        self.today = today or dt.date.today()  # only date fields need it
        self.prefix = prefix
        self.errors: dict[str, str] = {} if errors is None else errors

    def sub(self, raw: Mapping[str, object], prefix: str) -> Fields:
        """Fields of a nested row, reporting into the same errors as ``prefix + name``."""
        return Fields(raw, self.today, prefix=self.prefix + prefix, errors=self.errors)

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(self.prefix + key, message)

    def ok(self, *keys: str) -> bool:
        return all(self.prefix + key not in self.errors for key in keys)

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def _scalar(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**20:
            return str(value)
        if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e20:
            return str(int(value)) if value.is_integer() else str(value)
        self.fail(key, _("This is not text."))
        return None

    def line(self, key: str, *, max_len: int, required: str = "") -> str:
        """A single-line text; ``required`` is the message for a blank one (blank allowed if '')."""
        value = self._scalar(key)
        if value is None:
            return ""
        value = tidy_line(value)
        if not value and required:
            self.fail(key, required)
        elif len(value) > max_len:
            self.fail(key, _("At most {count} characters, please.").format(count=max_len))
        return value

    def text(self, key: str, *, max_len: int) -> str:
        """Multi-line text (notes): controls removed, line ends unified, ends trimmed."""
        value = self._scalar(key)
        if value is None:
            return ""
        value = clean_text(value.replace("\r\n", "\n").replace("\r", "\n")).strip()
        if len(value) > max_len:
            self.fail(key, _("At most {count} characters, please.").format(count=max_len))
        return value

    def date(self, key: str, *, required: str = "", not_future: str = "") -> ParsedDate | None:
        """A date, month-only allowed; ``not_future`` is the message for a date after today."""
        value = self.raw.get(key)
        if _is_blank(value):
            if required:
                self.fail(key, required)
            return None
        if isinstance(value, dt.date):
            # A spreadsheet's date cell (openpyxl gives dates; an empty one formatted as a date
            # can be 1899-12-31) is checked as the same date typed would be: years in range.
            value = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        if isinstance(value, str) or (
            isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**8
        ):
            try:  # an int is a spreadsheet cell holding 19580312 or 195803
                parsed = parse_date(str(value), today=self.today)
            except ValueError as error:
                self.fail(key, str(error))
                return None
        else:
            # A float is refused: Excel turns 1958.10 into 1958.1, which would read as January.
            self.fail(key, _("This is not a date; write it like 1958-03-12 or 1958年3月."))
            return None
        if not_future and parsed.value > self.today:
            self.fail(key, not_future)
        return parsed

    def day(self, key: str, *, required: str = "", not_future: str = "") -> dt.date | None:
        """A whole date (day known): shifts, sessions, contacts, certificates."""
        parsed = self.date(key, required=required, not_future=not_future)
        if parsed is not None and parsed.month_only:
            self.fail(key, _("Give the day as well, like 2024-03-12."))
        return None if parsed is None else parsed.value

    def time(self, key: str, *, required: str = "") -> dt.time | None:
        value = self.raw.get(key)
        if _is_blank(value):
            if required:
                self.fail(key, required)
            return None
        if isinstance(value, dt.time):
            return value.replace(second=0, microsecond=0, tzinfo=None)
        if not isinstance(value, str):
            self.fail(key, _("This is not a time."))
            return None
        try:
            return parse_time(value)
        except ValueError as error:
            self.fail(key, str(error))
            return None

    def choice(
        self, cls: type[E], key: str, *, default: E | None = None, required: str = ""
    ) -> E | None:
        """One of an enum's members, named any way :func:`store.enums.coerce` understands."""
        value = self.raw.get(key)
        if _is_blank(value):
            if required and default is None:
                self.fail(key, required)
            return default
        found = coerce(cls, value)
        if found is None:
            names = _(", ").join(text for _member, text in choices(cls))  # a list: 、 in Chinese
            self.fail(
                key,
                _("Unknown value “{value}”; choose one of: {choices}.").format(
                    value=quote(str(value)), choices=names
                ),
            )
        return found

    def phone(self, key: str) -> str:
        value = self._scalar(key)
        if not value or not value.strip():
            return ""
        try:
            return parse_phone(value)
        except ValueError as error:
            self.fail(key, str(error))
            return ""

    def whole(self, key: str, *, default: int, low: int, high: int) -> int:
        value = self.raw.get(key)
        if _is_blank(value):
            return default
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip()
            if re.fullmatch(r"[0-9]{1,6}", text):
                number = int(text)
        if number is None:
            self.fail(key, _("Enter a whole number."))
            return default
        if not low <= number <= high:
            self.fail(key, _("Enter a number from {low} to {high}.").format(low=low, high=high))
        return number

    def hours(
        self, key: str, *, high: float, required: str = "", zero_ok: bool = False
    ) -> float | None:
        """Hours in half-hour steps, above 0 (or from 0 if ``zero_ok``) and at most ``high``."""
        value = self.raw.get(key)
        if _is_blank(value):
            if required:
                self.fail(key, required)
            return None
        number: float | None = None
        if isinstance(value, float) or (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**6
        ):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = parse_hours(value)
            except ValueError as error:
                self.fail(key, str(error))
                return None
        if number is None or not math.isfinite(number):
            self.fail(key, _("Enter a number of hours."))
            return None
        low_ok = number >= 0 if zero_ok else number > 0
        if not (low_ok and number <= high):
            self.fail(
                key,
                _("Enter hours from {low} to {high}.").format(
                    low=0 if zero_ok else 0.5, high=f"{high:g}"
                ),
            )
        elif not (number * 2).is_integer():
            self.fail(key, _("Hours go in half-hour steps, like 1.5 or 2."))
        return number

    def flag(self, key: str) -> bool:
        value = self.raw.get(key)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        word = self._scalar(key)
        folded = unicodedata.normalize("NFKC", word or "").strip().casefold()
        if folded in _YES:
            return True
        if folded not in _NO:
            self.fail(key, _("Answer yes or no."))
        return False

    def words(self, key: str, *, max_items: int, max_len: int) -> list[str]:
        """A list of short labels (roles, tags), given as a list or as '、'/','-separated text."""
        value = self.raw.get(key)
        if _is_blank(value):
            return []
        items: list[object]
        if isinstance(value, str):
            items = list(_LIST_SPLIT.split(value))
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            self.fail(key, _("This is not a list."))
            return []
        words: list[str] = []
        for item in items:
            if not isinstance(item, str | int):
                self.fail(key, _("This is not a list."))
                return []
            word = tidy_line(str(item))
            if len(word) > max_len:
                self.fail(
                    key, _("Each entry can have at most {count} characters.").format(count=max_len)
                )
            if word and word not in words:
                words.append(word)
        if len(words) > max_items:
            self.fail(key, _("At most {count} entries, please.").format(count=max_items))
        return words

    def ref(self, key: str, *, required: str = "") -> str:
        """The id of another record (not checked to exist: that needs the database)."""
        value = self._scalar(key)
        value = tidy_line(value or "")
        if not value:
            if required:
                self.fail(key, required)
        elif not _REF.fullmatch(value):
            self.fail(key, _("This is not a record reference."))
        return value

    def rows(self, key: str) -> list[Mapping[str, object]]:
        """A list of nested mappings (assignments, attendance)."""
        value = self.raw.get(key)
        if value is None:
            return []
        if isinstance(value, list | tuple) and all(isinstance(row, Mapping) for row in value):
            return list(value)
        self.fail(key, _("This is not a list of entries."))
        return []
