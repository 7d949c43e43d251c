"""The settings form made into a clean document (conventions in store/fields.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.enums import (
    Category,
    coerce,
)
from store.fields import Fields
from store.i18n import _
from store.settings.model import Settings


def validate_settings(raw: Mapping[str, object]) -> dict[str, Any]:
    """Community name, yearly hours per category (0-200), contact warn/overdue days, idle lock."""
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
    f.check()
    return settings.to_doc()
