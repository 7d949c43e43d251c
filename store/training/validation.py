"""Training sessions and certificates as typed, made into clean documents (conventions in
store/fields.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.enums import AttendanceStatus, TrainingKind
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import _
from store.training.model import Attendance, Certificate, TrainingSession


def validate_training(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A session and its attendance; credited hours default to the session's (0 if absent)."""
    f = Fields(raw, today)
    hours = f.hours("hours", high=24, required=_("Enter the hours.")) or 0.0
    attendance: list[Attendance] = []
    for i, row in enumerate(f.rows("attendance")):
        r = f.sub(row, f"attendance.{i}.")
        member_id = r.ref("member_id", required=_("Choose a member."))
        if member_id and any(a.member_id == member_id for a in attendance):
            r.fail("member_id", _("This member is listed twice."))
        status = (
            r.choice(AttendanceStatus, "status", default=AttendanceStatus.PRESENT)
            or AttendanceStatus.PRESENT
        )
        credited = r.hours("hours", high=max(hours, 0.5), zero_ok=True)
        if credited is None:
            credited = 0.0 if status is AttendanceStatus.ABSENT else hours
        elif status is AttendanceStatus.ABSENT and credited > 0 and r.ok("hours"):
            r.fail("hours", _("An absent member is credited no hours."))
        elif credited > hours and r.ok("hours"):
            r.fail("hours", _("More hours than the session lasted."))
        attendance.append(Attendance(member_id=member_id, status=status, hours=credited))
    session = TrainingSession(
        title=f.line("title", max_len=80, required=_("Enter a title.")),
        kind=f.choice(TrainingKind, "kind", default=TrainingKind.OTHER) or TrainingKind.OTHER,
        date=f.day("date", required=_("Enter a date.")),
        hours=hours,
        trainer=f.line("trainer", max_len=NAME_MAX),
        place=f.line("place", max_len=80),
        attendance=attendance,
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return session.to_doc()


def validate_certificate(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A member's certificate; ``expires`` is optional and must come after ``issued``."""
    f = Fields(raw, today)
    issued = f.day(
        "issued", required=_("Enter the issue date."), not_future=_("This date is in the future.")
    )
    expires = f.day("expires")
    if issued and expires and expires <= issued and f.ok("issued"):
        f.fail("expires", _("The expiry date must be after the issue date."))
    certificate = Certificate(
        member_id=f.ref("member_id", required=_("Choose a member.")),
        name=f.line("name", max_len=60, required=_("Enter the certificate's name.")),
        issuer=f.line("issuer", max_len=60),
        issued=issued,
        expires=expires,
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return certificate.to_doc()
