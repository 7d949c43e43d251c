"""The settings form made into a clean document (conventions in store/fields.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.enums import (
    Category,
    TrainingKind,
    coerce,
)
from store.fields import Fields
from store.i18n import _
from store.settings.model import CERTIFICATE_WARN_DAYS, DEFAULT_TIME_ZONE, DUTIES, Settings


def validate_settings(raw: Mapping[str, object]) -> dict[str, Any]:
    """Community name, yearly hours per category (0-200), contact warn/overdue days, idle lock,
    low-bandwidth mode (yes/no)."""
    f = Fields(raw)
    settings = Settings(community_name=f.line("community_name", max_len=60))
    hours = raw.get("yearly_hours")
    if isinstance(hours, Mapping):
        sub = f.sub(hours, "yearly_hours.")
        for key in hours:
            category = coerce(Category, key)
            if category is None:
                sub.fail(str(key), _("Unknown category."))
                continue
            value = sub.hours(str(key), high=200, zero_ok=True)
            if value is not None:
                settings.yearly_hours[category] = value
    elif hours is not None:
        f.fail("yearly_hours", _("This is not a table of hours."))
    settings.contact_warn_days = f.whole("contact_warn_days", default=120, low=1, high=3650)
    settings.contact_overdue_days = f.whole("contact_overdue_days", default=180, low=1, high=3650)
    if settings.contact_warn_days >= settings.contact_overdue_days and f.ok(
        "contact_warn_days", "contact_overdue_days"
    ):
        f.fail("contact_warn_days", _("The warning must come before a contact is overdue."))
    settings.idle_lock_minutes = f.whole("idle_lock_minutes", default=5, low=1, high=120)
    settings.low_bandwidth = f.flag("low_bandwidth")
    _patrol_settings(f, settings)
    _training(f, raw, settings)
    settings.store_id_numbers = f.flag("store_id_numbers")
    f.check()
    return settings.to_doc()


def _patrol_settings(f: Fields, settings: Settings) -> None:
    """The patrol schedule's rules (issue 10): limits, who checks in, swaps, time zone."""
    settings.patrol_max_consecutive_days = f.whole(
        "patrol_max_consecutive_days", default=6, low=1, high=31
    )
    settings.patrol_max_hours_per_day = f.whole(
        "patrol_max_hours_per_day", default=8, low=1, high=24
    )
    settings.patrol_senior_age = f.whole("patrol_senior_age", default=75, low=40, high=120)
    settings.patrol_senior_max_hours_per_day = f.whole(
        "patrol_senior_max_hours_per_day", default=4, low=1, high=24
    )
    if settings.patrol_senior_max_hours_per_day > settings.patrol_max_hours_per_day and f.ok(
        "patrol_senior_max_hours_per_day", "patrol_max_hours_per_day"
    ):
        f.fail(
            "patrol_senior_max_hours_per_day",
            _("The limit for older members is above everyone's limit."),
        )
    settings.patrol_self_check_in = (
        f.flag("patrol_self_check_in") if "patrol_self_check_in" in f.raw else True
    )
    settings.patrol_swaps_need_approval = f.flag("patrol_swaps_need_approval")
    zone = f.line("patrol_time_zone", max_len=60) or DEFAULT_TIME_ZONE
    if not valid_time_zone(zone):
        f.fail(
            "patrol_time_zone",
            _("Unknown time zone “{zone}”; write it like Asia/Shanghai.").format(zone=zone),
        )
    settings.patrol_time_zone = zone
    settings.patrol_template_max_shifts = f.whole(
        "patrol_template_max_shifts", default=200, low=1, high=5000
    )


def valid_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (Asia/Shanghai)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _training(f: Fields, raw: Mapping[str, object], settings: Settings) -> None:
    """Training settings (issue 11): certificate warning days (1-365), the certificate kind
    each duty needs (a kind named any way, or blank for none) and the last closed year."""
    settings.certificate_warn_days = f.whole(
        "certificate_warn_days", default=CERTIFICATE_WARN_DAYS, low=1, high=365
    )
    duties = raw.get("duty_certificates")
    if isinstance(duties, Mapping):
        sub = f.sub(duties, "duty_certificates.")
        for duty in DUTIES:
            if duty not in duties:
                continue
            value = duties.get(duty)
            if value is None or (isinstance(value, str) and not value.strip()):
                settings.duty_certificates[duty] = ""
                continue
            kind = sub.choice(TrainingKind, duty)
            if kind is not None:
                settings.duty_certificates[duty] = kind.value
    elif duties is not None:
        f.fail("duty_certificates", _("This is not a table of duties."))
    settings.closed_year = f.whole("closed_year", default=0, low=0, high=9999)
