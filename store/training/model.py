"""Training models: sessions with per-member attendance and credited hours, and certificates.

Re-exported by store/models.py; see there for the from_doc/to_doc conventions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import AttendanceStatus, TrainingKind
from store.records import (
    Record,
    date_or_none,
    enum_or,
    mapping_list,
    number,
    plain,
    text,
)


@dataclass(slots=True, kw_only=True)
class Attendance:
    """One member at one session; ``hours`` is what counts toward the yearly requirement."""

    member_id: str = ""
    status: AttendanceStatus = AttendanceStatus.PRESENT
    hours: float = 0.0

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            status=enum_or(AttendanceStatus, doc, "status", AttendanceStatus.PRESENT),
            hours=number(doc, "hours", 0.0),
        )

    def to_doc(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "status": plain(self.status), "hours": self.hours}


@dataclass(slots=True, kw_only=True)
class TrainingSession(Record):
    title: str = ""
    kind: TrainingKind = TrainingKind.OTHER
    date: dt.date | None = None
    hours: float = 0.0
    trainer: str = ""
    place: str = ""
    attendance: list[Attendance] = field(default_factory=list)
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            title=text(doc, "title"),
            kind=enum_or(TrainingKind, doc, "kind", TrainingKind.OTHER),
            date=date_or_none(doc, "date"),
            hours=number(doc, "hours", 0.0),
            trainer=text(doc, "trainer"),
            place=text(doc, "place"),
            attendance=[Attendance.from_doc(a) for a in mapping_list(doc, "attendance")],
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "title": self.title,
            "kind": plain(self.kind),
            "date": plain(self.date),
            "hours": self.hours,
            "trainer": self.trainer,
            "place": self.place,
            "attendance": [a.to_doc() for a in self.attendance],
            "note": self.note,
        }


@dataclass(slots=True, kw_only=True)
class Certificate(Record):
    member_id: str = ""
    name: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None  # None: does not expire
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            name=text(doc, "name"),
            issuer=text(doc, "issuer"),
            issued=date_or_none(doc, "issued"),
            expires=date_or_none(doc, "expires"),
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "member_id": self.member_id,
            "name": self.name,
            "issuer": self.issuer,
            "issued": plain(self.issued),
            "expires": plain(self.expires),
            "note": self.note,
        }
