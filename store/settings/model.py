"""The one settings record: community name, study-hour targets, contact and lock timings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import (
    Category,
)
from store.records import (
    Record,
    number,
    text,
    whole,
)

DEFAULT_YEARLY_HOURS = 32.0
"""Concentrated study hours a year the members' education regulation asks as a minimum."""


def _default_hours() -> dict[Category, float]:
    return dict.fromkeys(Category, DEFAULT_YEARLY_HOURS)


@dataclass(slots=True, kw_only=True)
class Settings(Record):
    """The one settings record: community name, study-hour targets, contact and lock timings."""

    community_name: str = ""
    yearly_hours: dict[Category, float] = field(default_factory=_default_hours)
    contact_warn_days: int = 120
    contact_overdue_days: int = 180
    idle_lock_minutes: int = 5

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        hours = _default_hours()
        stored = doc.get("yearly_hours")
        if isinstance(stored, Mapping):
            for category in Category:
                hours[category] = number(stored, category.value, DEFAULT_YEARLY_HOURS)
        return cls(
            community_name=text(doc, "community_name"),
            yearly_hours=hours,
            contact_warn_days=whole(doc, "contact_warn_days", 120),
            contact_overdue_days=whole(doc, "contact_overdue_days", 180),
            idle_lock_minutes=whole(doc, "idle_lock_minutes", 5),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "community_name": self.community_name,
            "yearly_hours": {str(c): self.hours_for(c) for c in Category},
            "contact_warn_days": self.contact_warn_days,
            "contact_overdue_days": self.contact_overdue_days,
            "idle_lock_minutes": self.idle_lock_minutes,
        }

    def hours_for(self, category: Category) -> float:
        """Study hours a year a member of ``category`` must reach (exemptions aside)."""
        return self.yearly_hours.get(category, DEFAULT_YEARLY_HOURS)
