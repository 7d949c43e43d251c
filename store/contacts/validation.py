"""A contact-log entry as typed, made into a clean document (conventions in store/fields.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.contacts.model import Contact
from store.enums import (
    ContactMethod,
)
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import _


def validate_contact(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A contact-log entry: who was reached, when (not in the future), how and by whom."""
    f = Fields(raw, today)
    contact = Contact(
        member_id=f.ref("member_id", required=_("Choose a member.")),
        date=f.day(
            "date", required=_("Enter a date."), not_future=_("This date is in the future.")
        ),
        method=f.choice(ContactMethod, "method", default=ContactMethod.PHONE)
        or ContactMethod.PHONE,
        by=f.line("by", max_len=NAME_MAX),
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return contact.to_doc()
