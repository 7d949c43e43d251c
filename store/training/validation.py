"""Training sessions and certificates as typed, made into clean documents (conventions in
store/fields.py).

Hours are checked as typed (a number, in half-hour steps, above 0 and at most 24 for one day);
the rule fixes them for a full day (8) or a half day (4). A session, or a make-up, dated in a
closed year is refused: that year's hours were reported (``closed_year`` from the settings).
Whether the members exist, and whether they belong to the audience, is for
store/training/ops.py, which has the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.enums import AttendanceStatus, Audience, Category, HoursRule, TrainingKind, coerce
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import _
from store.named import keyed
from store.training.model import Attendance, Certificate, TrainingSession, rule_hours

MAX_DAY_HOURS = 24.0
TITLE_MAX = 80
PLACE_MAX = 80


def closed_message(year: int) -> str:
    """The refusal for a date in a closed year (one sentence, with what to do)."""
    return _(
        "{year} is closed: its hours were reported. An admin can reopen it in the settings."
    ).format(year=year)


def validate_training(
    raw: Mapping[str, object],
    *,
    today: dt.date,
    closed_year: int = 0,
    session_year_ok: bool = False,
) -> dict[str, Any]:
    """A session and its attendance; credited hours default to the session's (0 if absent).

    ``closed_year``: sessions and make-ups dated in that year or before are refused (0: none).
    ``session_year_ok`` lets a session of a closed year through (a make-up in an open year is
    added to it: only the open year's hours change).
    """
    f = Fields(raw, today)
    rule = f.choice(HoursRule, "rule", default=HoursRule.GIVEN) or HoursRule.GIVEN
    if rule is HoursRule.GIVEN:
        given = f.hours("hours", high=MAX_DAY_HOURS, required=_("Enter the hours.")) or 0.0
    else:
        given = 0.0
    hours = rule_hours(rule, given)
    kind = f.choice(TrainingKind, "kind", default=TrainingKind.OTHER) or TrainingKind.OTHER
    service = f.hours("service_hours", high=MAX_DAY_HOURS, zero_ok=True) or 0.0
    day = f.day("date", required=_("Enter a date."))
    if day is not None and day.year <= closed_year and not session_year_ok and f.ok("date"):
        f.fail("date", closed_message(day.year))
    audience = f.choice(Audience, "audience", default=Audience.ALL) or Audience.ALL
    audience_value = f.line("audience_value", max_len=NAME_MAX)
    if audience is Audience.CATEGORY:
        category = coerce(Category, audience_value)
        if category is None:
            f.fail("audience_value", _("Name a category, like 离退休 or 在职."))
        else:
            audience_value = category.value
    elif audience is Audience.BRANCH:
        if not audience_value:
            f.fail("audience_value", _("Name the branch."))
    else:
        audience_value = ""
    audience_ids = [
        f.sub({"id": value}, f"audience_ids.{i}.").ref("id")
        for i, value in enumerate(_list(raw.get("audience_ids")))
    ]
    attendance = _attendance(f, hours, day, closed_year)
    session = TrainingSession(
        title=f.line("title", max_len=TITLE_MAX, required=_("Enter a title.")),
        kind=kind,
        date=day,
        start=f.time("start"),
        rule=rule,
        hours=hours,
        service_hours=service,
        trainer=f.line("trainer", max_len=NAME_MAX),
        place=f.line("place", max_len=PLACE_MAX),
        audience=audience,
        audience_value=audience_value,
        audience_ids=list(dict.fromkeys(i for i in audience_ids if i)),
        attendance=attendance,
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return keyed(session.to_doc(), "trainings")  # found by title in Ctrl+P (store/named.py)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _attendance(f: Fields, hours: float, day: dt.date | None, closed_year: int) -> list[Attendance]:
    """The attendance rows: present members get the session's hours unless fewer are given;
    absent and excused ones none; a make-up its own date (on or after the session) and hours."""
    rows: list[Attendance] = []
    seen: set[str] = set()
    for i, row in enumerate(f.rows("attendance")):
        r = f.sub(row, f"attendance.{i}.")
        member_id = r.ref("member_id", required=_("Choose a member."))
        if member_id and member_id in seen:
            r.fail("member_id", _("This member is listed twice."))
        seen.add(member_id)
        status = (
            r.choice(AttendanceStatus, "status", default=AttendanceStatus.PRESENT)
            or AttendanceStatus.PRESENT
        )
        credited = r.hours("hours", high=max(hours, 0.5), zero_ok=True)
        made_up: dt.date | None = None
        if status is AttendanceStatus.MAKE_UP:
            made_up = r.day(
                "date",
                required=_("Enter the day of the make-up."),
                not_future=_("This date is in the future."),
            )
            if made_up is not None and r.ok("date"):
                if day is not None and made_up < day:
                    r.fail("date", _("A make-up comes on or after the session's day."))
                elif made_up.year <= closed_year:
                    r.fail("date", closed_message(made_up.year))
        credited = _credited(r, status, credited, hours)
        rows.append(Attendance(member_id=member_id, status=status, hours=credited, date=made_up))
    return rows


def _credited(r: Fields, status: AttendanceStatus, credited: float | None, hours: float) -> float:
    """The hours one row credits, refusing more than the session, or any for an absence."""
    counts = status in (AttendanceStatus.PRESENT, AttendanceStatus.MAKE_UP)
    if credited is None:
        return hours if counts else 0.0
    if not counts and credited > 0 and r.ok("hours"):
        if status is AttendanceStatus.EXCUSED:
            r.fail("hours", _("An excused member is credited no hours."))
        else:
            r.fail("hours", _("An absent member is credited no hours."))
    elif credited > hours and r.ok("hours"):
        r.fail("hours", _("More hours than the session lasted."))
    elif status is AttendanceStatus.MAKE_UP and credited == 0 and r.ok("hours"):
        r.fail("hours", _("A make-up credits some hours."))
    return credited


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
        kind=f.choice(TrainingKind, "kind", default=TrainingKind.OTHER) or TrainingKind.OTHER,
        name=f.line("name", max_len=60, required=_("Enter the certificate's name.")),
        issuer=f.line("issuer", max_len=60),
        issued=issued,
        expires=expires,
        note=f.text("note", max_len=NOTE_MAX),
    )
    f.check()
    return certificate.to_doc()
