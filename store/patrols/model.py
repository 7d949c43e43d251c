"""Patrol models: teams, zones, shifts with their assignments, and weekly shift templates.

Like every model, slotted dataclasses over the stored JSON documents (store/records.py):
``from_doc`` is tolerant of older files, ``to_doc`` returns JSON types only. Dates and times
are local (the community's wall clock): a night shift from 22:00 to 02:00 belongs to the date
it starts on.
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


def _flag(doc: Mapping[str, Any], key: str) -> bool:
    return doc.get(key) is True


def _dates(doc: Mapping[str, Any], key: str) -> list[dt.date]:
    found = []
    for value in text_list(doc, key):
        parsed = date_or_none({"d": value}, "d")
        if parsed is not None and parsed not in found:
            found.append(parsed)
    return sorted(found)


@dataclass(slots=True, kw_only=True)
class Team(Record):
    """A patrol team; ``member_ids`` are whom the assign list offers first."""

    name: str = ""
    leader_id: str = ""
    member_ids: list[str] = field(default_factory=list)
    note: str = ""
    archived: bool = False

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            name=text(doc, "name"),
            leader_id=text(doc, "leader_id"),
            member_ids=text_list(doc, "member_ids"),
            note=text(doc, "note"),
            archived=_flag(doc, "archived"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "name": self.name,
            "leader_id": self.leader_id,
            "member_ids": list(self.member_ids),
            "note": self.note,
            "archived": self.archived,
        }


@dataclass(slots=True, kw_only=True)
class Zone(Record):
    """A patrol area or route, or a responsibility zone (责任区)."""

    name: str = ""
    description: str = ""
    archived: bool = False

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            name=text(doc, "name"),
            description=text(doc, "description"),
            archived=_flag(doc, "archived"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "name": self.name,
            "description": self.description,
            "archived": self.archived,
        }


@dataclass(slots=True, kw_only=True)
class Assignment:
    """One person on a shift.

    ``offered``: they asked for someone to take their place (a swap); ``taker_id``: who
    offered to take it, waiting for a coordinator's approval; ``swapped_from``: whom this
    place was taken over from (kept so both see it, and so the swap can be undone);
    ``override``: the reason a coordinator gave for assigning against a rule.
    """

    member_id: str = ""
    status: AssignmentStatus = AssignmentStatus.SCHEDULED
    offered: bool = False
    taker_id: str = ""
    swapped_from: str = ""
    override: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            status=enum_or(AssignmentStatus, doc, "status", AssignmentStatus.SCHEDULED),
            offered=_flag(doc, "offered"),
            taker_id=text(doc, "taker_id"),
            swapped_from=text(doc, "swapped_from"),
            override=text(doc, "override"),
        )

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"member_id": self.member_id, "status": plain(self.status)}
        # Only what is set: most assignments are a member and a status.
        if self.offered:
            doc["offered"] = True
        if self.taker_id:
            doc["taker_id"] = self.taker_id
        if self.swapped_from:
            doc["swapped_from"] = self.swapped_from
        if self.override:
            doc["override"] = self.override
        return doc


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
    leader_id: str = ""
    leader_override: str = ""  # why the leader leads without the certificate the rule asks for
    assignments: list[Assignment] = field(default_factory=list)
    note: str = ""
    incident: str = ""  # what happened on the patrol, written afterwards
    template_id: str = ""  # the template that generated it, so regeneration skips it
    cancelled: bool = False  # kept, not deleted: a template must not make it again

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
            leader_id=text(doc, "leader_id"),
            leader_override=text(doc, "leader_override"),
            assignments=[Assignment.from_doc(a) for a in mapping_list(doc, "assignments")],
            note=text(doc, "note"),
            incident=text(doc, "incident"),
            template_id=text(doc, "template_id"),
            cancelled=_flag(doc, "cancelled"),
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
            "leader_id": self.leader_id,
            "leader_override": self.leader_override,
            "assignments": [a.to_doc() for a in self.assignments],
            "note": self.note,
            "incident": self.incident,
            "template_id": self.template_id,
            "cancelled": self.cancelled,
        }

    @property
    def hours(self) -> float:
        return shift_hours(self.start, self.end)

    @property
    def overnight(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start

    @property
    def staffed(self) -> int:
        """How many people are on it (everyone assigned, whatever their check-in)."""
        return len(self.assignments)

    @property
    def full(self) -> bool:
        return self.staffed >= self.max_people

    @property
    def understaffed(self) -> bool:
        return self.staffed < self.min_people

    def assignment(self, member_id: str) -> Assignment | None:
        """The member's place on this shift, if they have one."""
        return next((a for a in self.assignments if a.member_id == member_id), None)

    def bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Start and end as datetimes (end on the next day for an overnight shift)."""
        if self.date is None or self.start is None or self.end is None:
            return None
        begin = dt.datetime.combine(self.date, self.start)
        return begin, begin + dt.timedelta(hours=self.hours)


@dataclass(slots=True, kw_only=True)
class ShiftTemplate(Record):
    """A weekly patrol pattern that generates shifts.

    ``weekdays`` are ISO numbers (1 = Monday ... 7 = Sunday); ``skip_dates`` are days it
    makes no shift (holidays). ``active_to`` None: no end.
    """

    name: str = ""
    weekdays: list[int] = field(default_factory=lambda: [1])
    start: dt.time | None = None
    end: dt.time | None = None
    zone_id: str = ""
    team_id: str = ""
    min_people: int = 1
    max_people: int = 4
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    skip_dates: list[dt.date] = field(default_factory=list)
    note: str = ""
    archived: bool = False

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        days = doc.get("weekdays")
        weekdays: list[int] = []
        if isinstance(days, list):
            weekdays = sorted(
                {d for d in days if isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7}
            )
        if not weekdays:  # an older file's single weekday
            weekday = whole(doc, "weekday", 1)
            weekdays = [weekday if 1 <= weekday <= 7 else 1]
        return cls(
            name=text(doc, "name"),
            weekdays=weekdays,
            start=time_or_none(doc, "start"),
            end=time_or_none(doc, "end"),
            zone_id=text(doc, "zone_id"),
            team_id=text(doc, "team_id"),
            min_people=whole(doc, "min_people", 1),
            max_people=whole(doc, "max_people", 4),
            active_from=date_or_none(doc, "active_from"),
            active_to=date_or_none(doc, "active_to"),
            skip_dates=_dates(doc, "skip_dates"),
            note=text(doc, "note"),
            archived=_flag(doc, "archived"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "name": self.name,
            "weekdays": list(self.weekdays),
            "start": plain(self.start),
            "end": plain(self.end),
            "zone_id": self.zone_id,
            "team_id": self.team_id,
            "min_people": self.min_people,
            "max_people": self.max_people,
            "active_from": plain(self.active_from),
            "active_to": plain(self.active_to),
            "skip_dates": [d.isoformat() for d in self.skip_dates],
            "note": self.note,
            "archived": self.archived,
        }

    def applies_on(self, day: dt.date) -> bool:
        """Whether the pattern makes a shift on ``day`` (weekday, dates, not a skipped day)."""
        return (
            day.isoweekday() in self.weekdays
            and (self.active_from is None or day >= self.active_from)
            and (self.active_to is None or day <= self.active_to)
            and day not in self.skip_dates
        )
