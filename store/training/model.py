"""Training models: sessions with per-member attendance and credited hours, and certificates.

See store/records.py for the from_doc/to_doc conventions (tolerant reading, JSON out).

A session credits ``hours`` of study to each member present (a full day 8, a half day 4, or as
given: ``rule``); a theme day (主题党日) also credits ``service_hours`` of volunteer service to
those present. Its ``audience`` says who was expected: everyone, one category
(``audience_value`` holds the category), one branch (``audience_value`` holds the branch name)
or a list (``audience_ids``). Attendance rows exist only for members whose attendance was
recorded; a make-up (补课) row carries its own date and hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import AttendanceStatus, Audience, HoursRule, TrainingKind
from store.records import (
    Record,
    date_or_none,
    enum_or,
    mapping_list,
    number,
    plain,
    text,
    text_list,
    time_or_none,
)

FULL_DAY_HOURS = 8.0
HALF_DAY_HOURS = 4.0


def rule_hours(rule: HoursRule, given: float) -> float:
    """The study hours a session credits under ``rule`` (``given`` for "as given")."""
    if rule is HoursRule.FULL_DAY:
        return FULL_DAY_HOURS
    if rule is HoursRule.HALF_DAY:
        return HALF_DAY_HOURS
    return given


@dataclass(slots=True, kw_only=True)
class Attendance:
    """One member at one session; ``hours`` is what counts toward the yearly requirement.

    ``date`` is set only for a make-up: the day the member made the session up, which is
    also the day (and so the year) its hours count on.
    """

    member_id: str = ""
    status: AttendanceStatus = AttendanceStatus.PRESENT
    hours: float = 0.0
    date: dt.date | None = None

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            status=enum_or(AttendanceStatus, doc, "status", AttendanceStatus.PRESENT),
            hours=number(doc, "hours", 0.0),
            date=date_or_none(doc, "date"),
        )

    def to_doc(self) -> dict[str, Any]:
        doc = {"member_id": self.member_id, "status": plain(self.status), "hours": self.hours}
        if self.date is not None:
            doc["date"] = plain(self.date)
        return doc


@dataclass(slots=True, kw_only=True)
class TrainingSession(Record):
    title: str = ""
    kind: TrainingKind = TrainingKind.OTHER
    date: dt.date | None = None
    start: dt.time | None = None
    rule: HoursRule = HoursRule.GIVEN
    hours: float = 0.0
    service_hours: float = 0.0  # volunteer service credited to those present (theme days)
    trainer: str = ""
    place: str = ""
    audience: Audience = Audience.ALL
    audience_value: str = ""  # the category or the branch, for those audiences
    audience_ids: list[str] = field(default_factory=list)  # the members, for a list
    attendance: list[Attendance] = field(default_factory=list)
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            title=text(doc, "title"),
            kind=enum_or(TrainingKind, doc, "kind", TrainingKind.OTHER),
            date=date_or_none(doc, "date"),
            start=time_or_none(doc, "start"),
            rule=enum_or(HoursRule, doc, "rule", HoursRule.GIVEN),
            hours=number(doc, "hours", 0.0),
            service_hours=number(doc, "service_hours", 0.0),
            trainer=text(doc, "trainer"),
            place=text(doc, "place"),
            audience=enum_or(Audience, doc, "audience", Audience.ALL),
            audience_value=text(doc, "audience_value"),
            audience_ids=text_list(doc, "audience_ids"),
            attendance=[Attendance.from_doc(a) for a in mapping_list(doc, "attendance")],
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "title": self.title,
            "kind": plain(self.kind),
            "date": plain(self.date),
            "start": plain(self.start),
            "rule": plain(self.rule),
            "hours": self.hours,
            "service_hours": self.service_hours,
            "trainer": self.trainer,
            "place": self.place,
            "audience": plain(self.audience),
            "audience_value": self.audience_value,
            "audience_ids": list(self.audience_ids),
            "attendance": [a.to_doc() for a in self.attendance],
            "note": self.note,
        }


@dataclass(slots=True, kw_only=True)
class Certificate(Record):
    """A member's certificate; ``kind`` is what it qualifies for (first aid for patrol leaders)."""

    member_id: str = ""
    kind: TrainingKind = TrainingKind.OTHER
    name: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None  # None: does not expire
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            kind=enum_or(TrainingKind, doc, "kind", TrainingKind.OTHER),
            name=text(doc, "name"),
            issuer=text(doc, "issuer"),
            issued=date_or_none(doc, "issued"),
            expires=date_or_none(doc, "expires"),
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "member_id": self.member_id,
            "kind": plain(self.kind),
            "name": self.name,
            "issuer": self.issuer,
            "issued": plain(self.issued),
            "expires": plain(self.expires),
            "note": self.note,
        }

    def valid_on(self, day: dt.date) -> bool:
        """Whether the certificate holds on ``day`` (issued by then, not yet expired)."""
        issued_ok = self.issued is None or self.issued <= day
        return issued_ok and (self.expires is None or day < self.expires)
