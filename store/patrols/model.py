"""Patrol models: teams, zones, shifts with their assignments, and weekly shift templates.

Re-exported by store/models.py; see there for the from_doc/to_doc conventions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import AssignmentStatus
from store.records import (
    Record,
    date_or_none,
    enum_or,
    mapping_list,
    plain,
    text,
    text_list,
    time_or_none,
    whole,
)


@dataclass(slots=True, kw_only=True)
class Team(Record):
    name: str = ""
    leader_id: str = ""
    member_ids: list[str] = field(default_factory=list)
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            name=text(doc, "name"),
            leader_id=text(doc, "leader_id"),
            member_ids=text_list(doc, "member_ids"),
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "name": self.name,
            "leader_id": self.leader_id,
            "member_ids": list(self.member_ids),
            "note": self.note,
        }


@dataclass(slots=True, kw_only=True)
class Zone(Record):
    """A patrol area or route, or a responsibility zone."""

    name: str = ""
    description: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(name=text(doc, "name"), description=text(doc, "description"))._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {"name": self.name, "description": self.description}


@dataclass(slots=True, kw_only=True)
class Assignment:
    member_id: str = ""
    status: AssignmentStatus = AssignmentStatus.SCHEDULED

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            status=enum_or(AssignmentStatus, doc, "status", AssignmentStatus.SCHEDULED),
        )

    def to_doc(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "status": plain(self.status)}


def shift_hours(start: dt.time | None, end: dt.time | None) -> float:
    """Length of a shift in hours; an end at or before the start means the next morning."""
    if start is None or end is None:
        return 0.0
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (minutes % (24 * 60)) / 60


@dataclass(slots=True, kw_only=True)
class Shift(Record):
    """One patrol on one date. ``end`` earlier than ``start`` means it ends the next day."""

    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    zone_id: str = ""
    team_id: str = ""
    min_people: int = 1
    max_people: int = 4
    assignments: list[Assignment] = field(default_factory=list)
    note: str = ""
    template_id: str = ""  # the template that generated it, so regeneration skips it

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            date=date_or_none(doc, "date"),
            start=time_or_none(doc, "start"),
            end=time_or_none(doc, "end"),
            zone_id=text(doc, "zone_id"),
            team_id=text(doc, "team_id"),
            min_people=whole(doc, "min_people", 1),
            max_people=whole(doc, "max_people", 4),
            assignments=[Assignment.from_doc(a) for a in mapping_list(doc, "assignments")],
            note=text(doc, "note"),
            template_id=text(doc, "template_id"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "date": plain(self.date),
            "start": plain(self.start),
            "end": plain(self.end),
            "zone_id": self.zone_id,
            "team_id": self.team_id,
            "min_people": self.min_people,
            "max_people": self.max_people,
            "assignments": [a.to_doc() for a in self.assignments],
            "note": self.note,
            "template_id": self.template_id,
        }

    @property
    def hours(self) -> float:
        return shift_hours(self.start, self.end)

    @property
    def overnight(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start

    def bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Start and end as datetimes (end on the next day for an overnight shift)."""
        if self.date is None or self.start is None or self.end is None:
            return None
        begin = dt.datetime.combine(self.date, self.start)
        return begin, begin + dt.timedelta(hours=self.hours)


@dataclass(slots=True, kw_only=True)
class ShiftTemplate(Record):
    """A weekly patrol that generates shifts. ``weekday`` is ISO: 1 = Monday ... 7 = Sunday."""

    weekday: int = 1
    start: dt.time | None = None
    end: dt.time | None = None
    zone_id: str = ""
    team_id: str = ""
    min_people: int = 1
    max_people: int = 4
    active_from: dt.date | None = None
    active_to: dt.date | None = None  # None: no end
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        weekday = whole(doc, "weekday", 1)
        return cls(
            weekday=weekday if 1 <= weekday <= 7 else 1,
            start=time_or_none(doc, "start"),
            end=time_or_none(doc, "end"),
            zone_id=text(doc, "zone_id"),
            team_id=text(doc, "team_id"),
            min_people=whole(doc, "min_people", 1),
            max_people=whole(doc, "max_people", 4),
            active_from=date_or_none(doc, "active_from"),
            active_to=date_or_none(doc, "active_to"),
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "weekday": self.weekday,
            "start": plain(self.start),
            "end": plain(self.end),
            "zone_id": self.zone_id,
            "team_id": self.team_id,
            "min_people": self.min_people,
            "max_people": self.max_people,
            "active_from": plain(self.active_from),
            "active_to": plain(self.active_to),
            "note": self.note,
        }

    def applies_on(self, day: dt.date) -> bool:
        return (
            day.isoweekday() == self.weekday
            and (self.active_from is None or day >= self.active_from)
            and (self.active_to is None or day <= self.active_to)
        )
