"""The one settings record: community name, study-hour targets, contact and lock timings, and
whether every session runs in low-bandwidth mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import (
    Category,
    TrainingKind,
)
from store.records import (
    Record,
    number,
    text,
    whole,
)

DEFAULT_YEARLY_HOURS = 32.0
"""Concentrated study hours a year the members' education regulation asks as a minimum."""
DEFAULT_TIME_ZONE = "Asia/Shanghai"
"""The community's time zone for calendar files (China has one)."""


def _default_hours() -> dict[Category, float]:
    return dict.fromkeys(Category, DEFAULT_YEARLY_HOURS)


# -- training (issue 11) ---------------------------------------------------------------------
CERTIFICATE_WARN_DAYS = 30
"""Days before a certificate expires from which it is warned about."""
DUTIES = ("patrol_leader", "patrol")
"""Duties that may require a certificate (store/training/certificates.py names them)."""


def _default_duty_certificates() -> dict[str, str]:
    """Patrol leaders need a first-aid certificate; other duties none until an admin says."""
    return {"patrol_leader": TrainingKind.FIRST_AID.value, "patrol": ""}


def _duty_certificates(doc: Mapping[str, Any]) -> dict[str, str]:
    found = _default_duty_certificates()
    stored = doc.get("duty_certificates")
    if isinstance(stored, Mapping):
        for duty in DUTIES:
            kind = stored.get(duty)
            if kind == "" or (isinstance(kind, str) and kind in TrainingKind._value2member_map_):
                found[duty] = kind
    return found


# -- end of training -------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Settings(Record):
    """The one settings record: community name, study-hour targets, contact and lock timings."""

    community_name: str = ""
    yearly_hours: dict[Category, float] = field(default_factory=_default_hours)
    contact_warn_days: int = 120
    contact_overdue_days: int = 180
    idle_lock_minutes: int = 5
    low_bandwidth: bool = False  # every session draws less (tui/env.py): slow links
    # -- patrols (issue 10) --
    patrol_max_consecutive_days: int = 6
    patrol_max_hours_per_day: int = 8
    patrol_senior_age: int = 75  # from this age, the lower limit below applies
    patrol_senior_max_hours_per_day: int = 4
    patrol_self_check_in: bool = True  # volunteers may check themselves in
    patrol_swaps_need_approval: bool = False
    patrol_time_zone: str = DEFAULT_TIME_ZONE  # for .ics files: phones show local times
    patrol_template_max_shifts: int = 200  # a template making more asks first
    # training (issue 11): certificate warnings, the certificate each duty needs, closed years
    certificate_warn_days: int = CERTIFICATE_WARN_DAYS
    duty_certificates: dict[str, str] = field(default_factory=_default_duty_certificates)
    closed_year: int = 0  # training years up to this one are closed (0: none)
    # Members' ID numbers (身份证号) from an import are kept only when an admin says so;
    # otherwise they are checked and used for a missing birth date and sex, then dropped.
    store_id_numbers: bool = False

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
            low_bandwidth=doc.get("low_bandwidth") is True,
            # -- patrols (issue 10) --
            patrol_max_consecutive_days=whole(doc, "patrol_max_consecutive_days", 6),
            patrol_max_hours_per_day=whole(doc, "patrol_max_hours_per_day", 8),
            patrol_senior_age=whole(doc, "patrol_senior_age", 75),
            patrol_senior_max_hours_per_day=whole(doc, "patrol_senior_max_hours_per_day", 4),
            patrol_self_check_in=doc.get("patrol_self_check_in") is not False,
            patrol_swaps_need_approval=doc.get("patrol_swaps_need_approval") is True,
            patrol_time_zone=text(doc, "patrol_time_zone") or DEFAULT_TIME_ZONE,
            patrol_template_max_shifts=whole(doc, "patrol_template_max_shifts", 200),
            certificate_warn_days=whole(doc, "certificate_warn_days", CERTIFICATE_WARN_DAYS),
            duty_certificates=_duty_certificates(doc),
            closed_year=whole(doc, "closed_year", 0),
            store_id_numbers=doc.get("store_id_numbers") is True,
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "community_name": self.community_name,
            "yearly_hours": {str(c): self.hours_for(c) for c in Category},
            "contact_warn_days": self.contact_warn_days,
            "contact_overdue_days": self.contact_overdue_days,
            "idle_lock_minutes": self.idle_lock_minutes,
            "low_bandwidth": self.low_bandwidth,
            # -- patrols (issue 10) --
            "patrol_max_consecutive_days": self.patrol_max_consecutive_days,
            "patrol_max_hours_per_day": self.patrol_max_hours_per_day,
            "patrol_senior_age": self.patrol_senior_age,
            "patrol_senior_max_hours_per_day": self.patrol_senior_max_hours_per_day,
            "patrol_self_check_in": self.patrol_self_check_in,
            "patrol_swaps_need_approval": self.patrol_swaps_need_approval,
            "patrol_time_zone": self.patrol_time_zone,
            "patrol_template_max_shifts": self.patrol_template_max_shifts,
            "certificate_warn_days": self.certificate_warn_days,
            "duty_certificates": dict(self.duty_certificates),
            "closed_year": self.closed_year,
            "store_id_numbers": self.store_id_numbers,
        }

    def hours_for(self, category: Category) -> float:
        """Study hours a year a member of ``category`` must reach (exemptions aside)."""
        return self.yearly_hours.get(category, DEFAULT_YEARLY_HOURS)
