"""The base of every model, tolerant readers of stored JSON documents, and the way back to JSON.

Used by store/models*.py. Reading never raises: a missing, null or malformed value (an older file,
a hand edit) gives the default, because refusing to open a roster over one odd field would be
worse than showing a blank. Writing goes through validation, which is strict.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Self, TypeVar

E = TypeVar("E", bound=StrEnum)


def plain(value: object) -> Any:
    """A JSON-ready value: dates 'YYYY-MM-DD', times 'HH:MM', datetimes ISO, enums as str."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def text(doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def text_list(doc: Mapping[str, Any], key: str) -> list[str]:
    value = doc.get(key)
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, str)]


def mapping_list(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = doc.get(key)
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def whole(doc: Mapping[str, Any], key: str, default: int) -> int:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if isinstance(value, float) and not value.is_integer():
        return default
    return int(value)


def number(doc: Mapping[str, Any], key: str, default: float) -> float:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    try:
        number = float(value)
    except OverflowError:  # an int too big for a float
        return default
    return number if math.isfinite(number) else default


def date_or_none(doc: Mapping[str, Any], key: str) -> dt.date | None:
    value = doc.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def time_or_none(doc: Mapping[str, Any], key: str) -> dt.time | None:
    value = doc.get(key)
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            parsed = dt.time.fromisoformat(value)
        except ValueError:
            return None
        return parsed.replace(second=0, microsecond=0, tzinfo=None)
    return None


def datetime_or_none(doc: Mapping[str, Any], key: str) -> dt.datetime | None:
    value = doc.get(key)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def enum_or_none(cls: type[E], doc: Mapping[str, Any], key: str) -> E | None:
    value = doc.get(key)
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            return None
    return None


def enum_or(cls: type[E], doc: Mapping[str, Any], key: str, default: E) -> E:
    found = enum_or_none(cls, doc, key)
    return default if found is None else found


@dataclass(slots=True, kw_only=True)
class Record:
    """The bookkeeping fields the database adds to every record."""

    id: str = ""
    version: int = 0
    created_at: str = ""
    updated_at: str = ""
    updated_by: str = ""
    """The login name of whoever saved it last (the conflict question names them)."""

    def _load_meta(self, doc: Mapping[str, Any]) -> Self:
        self.id = text(doc, "id")
        self.version = whole(doc, "version", 0)
        self.created_at = text(doc, "created_at")
        self.updated_at = text(doc, "updated_at")
        self.updated_by = text(doc, "updated_by")
        return self

    def _meta(self) -> dict[str, Any]:
        if not self.id:
            return {}
        return {
            "id": self.id,
            "version": self.version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }
