"""A contact-log entry: who reached a member, when and how (see store/records.py for the
conventions every model follows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from store.enums import (
    ContactMethod,
)
from store.records import (
    Record,
    date_or_none,
    enum_or,
    plain,
    text,
)


@dataclass(slots=True, kw_only=True)
class Contact(Record):
    """One conversation with a member; a member's last contact derives from these."""

    member_id: str = ""
    date: dt.date | None = None
    method: ContactMethod = ContactMethod.OTHER
    by: str = ""
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            member_id=text(doc, "member_id"),
            date=date_or_none(doc, "date"),
            method=enum_or(ContactMethod, doc, "method", ContactMethod.OTHER),
            by=text(doc, "by"),
            note=text(doc, "note"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "member_id": self.member_id,
            "date": plain(self.date),
            "method": plain(self.method),
            "by": self.by,
            "note": self.note,
        }
