"""Turn what a form, the CLI or a spreadsheet row says into a clean document, or say what's wrong.

Every validator takes a whole record as loosely typed input (merge the stored document with the
edits before validating an update: missing fields take their defaults) and returns the document to
store, built through the model's ``to_doc`` so its shape is the model's. Problems raise one
:class:`~store.errors.ValidationError` naming every bad field at once; nested rows report as
``"assignments.2.member_id"`` / ``"attendance.0.hours"`` / ``"yearly_hours.retired"``.

Decisions worth knowing:
- Birth and join dates may be month-only (rosters say 1958年3月); the member's ``month_only``
  lists such fields, and the join-after-birth check is then made at month level.
- An address given as one line (14栋3单元803室) is split into building/unit/room when it has
  that shape, and kept as free text otherwise.
- Shifts may run overnight (see store/validation_activity.py).
- Whether a referenced member, zone or team exists is checked by the domain modules (it needs
  the database); here a reference must only look like an id.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from store.enums import (
    Category,
    ContactMethod,
    DatePrecision,
    ExemptReason,
    Gender,
    Management,
    MemberStatus,
    UserRole,
    coerce,
)
from store.errors import ValidationError
from store.fields import Fields, tidy_line
from store.i18n import _
from store.models import Contact, Member, Settings, User
from store.parse import ParsedDate
from store.search_keys import search_keys
from store.validation_activity import (
    MAX_SHIFT_HOURS,
    NAME_MAX,
    NOTE_MAX,
    validate_certificate,
    validate_shift,
    validate_shift_template,
    validate_team,
    validate_training,
    validate_zone,
)

__all__ = [
    "MAX_SHIFT_HOURS",
    "split_address",
    "validate_certificate",
    "validate_contact",
    "validate_member",
    "validate_settings",
    "validate_shift",
    "validate_shift_template",
    "validate_team",
    "validate_training",
    "validate_user",
    "validate_username",
    "validate_zone",
]


_ADDRESS = re.compile(
    r"(?P<b>[0-9A-Za-z]{1,6})(?:栋|幢|号楼|座|楼)"
    r"(?:(?P<u>[0-9]{1,3})单元)?"
    r"(?:(?P<r>[0-9]{1,6})(?:室|号)?)?"
)
_DASHED_ADDRESS = re.compile(r"(?P<b>[0-9]{1,3})-(?P<u>[0-9]{1,2})-(?P<r>[0-9]{1,5})")


def split_address(text: str) -> tuple[str, str, str] | None:
    """Building, unit and room from 14栋3单元803室, 1栋, 5号楼2单元101 or 3-2-502; else None."""
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    m = _ADDRESS.fullmatch(compact) or _DASHED_ADDRESS.fullmatch(compact)
    if m is None:
        return None
    return m["b"], m["u"] or "", m["r"] or ""


def _before(later: ParsedDate, earlier: ParsedDate) -> bool:
    """Whether ``later`` is really before ``earlier``, at month level if either is month-only."""
    if later.month_only or earlier.month_only:
        return (later.value.year, later.value.month) < (earlier.value.year, earlier.value.month)
    return later.value < earlier.value


def _keep_month_only(
    raw: Mapping[str, object], key: str, parsed: ParsedDate | None
) -> ParsedDate | None:
    """A stored month-only date comes back as YYYY-MM-01; its ``month_only`` entry says so.

    This keeps "merge the stored doc with the edits, then validate" from turning 1958年3月 into
    1 March 1958.
    """
    hinted = raw.get("month_only")
    if (
        parsed is not None
        and not parsed.month_only
        and parsed.value.day == 1
        and isinstance(hinted, list | tuple)
        and key in hinted
    ):
        return ParsedDate(parsed.value, DatePrecision.MONTH)
    return parsed


def validate_member(raw: Mapping[str, object], *, today: dt.date) -> dict[str, Any]:
    """A member document from form, CLI or import input; computes the pinyin search keys."""
    f = Fields(raw, today)
    name = f.line("name", max_len=NAME_MAX, required=_("Enter a name."))
    birth, join, since = (
        _keep_month_only(raw, key, f.date(key, not_future=message))
        for key, message in (
            ("birth_date", _("The birth date is in the future.")),
            ("join_date", _("The join date is in the future.")),
            ("mobile_since", _("This date is in the future.")),
        )
    )
    if birth and join and f.ok("birth_date", "join_date") and _before(join, birth):
        f.fail("join_date", _("The join date is before the birth date."))
    building = f.line("building", max_len=20)
    unit = f.line("unit", max_len=10)
    room = f.line("room", max_len=10)
    address = f.line("address", max_len=120)
    if address and not (building or unit or room) and (parts := split_address(address)):
        (building, unit, room), address = parts, ""
    exempt = f.flag("exempt_hours")
    reason = f.choice(ExemptReason, "exempt_reason")
    if exempt and reason is None and f.ok("exempt_reason"):
        f.fail("exempt_reason", _("Say why this member is exempt."))
    member = Member(
        name=name,
        gender=f.choice(Gender, "gender"),
        birth_date=birth.value if birth else None,
        ethnicity=f.line("ethnicity", max_len=20),
        education=f.line("education", max_len=20),
        phone=f.phone("phone"),
        building=building,
        unit=unit,
        room=room,
        address=address,
        grid=f.line("grid", max_len=40),
        branch=f.line("branch", max_len=60),
        join_date=join.value if join else None,
        category=f.choice(Category, "category", default=Category.OTHER) or Category.OTHER,
        management=f.choice(Management, "management", default=Management.DIRECT)
        or Management.DIRECT,
        status=f.choice(MemberStatus, "status", default=MemberStatus.ACTIVE) or MemberStatus.ACTIVE,
        roles=f.words("roles", max_items=20, max_len=30),
        tags=f.words("tags", max_items=30, max_len=30),
        whereabouts=f.line("whereabouts", max_len=100),
        mobile_since=since.value if since else None,
        contact_person=f.line("contact_person", max_len=NAME_MAX),
        contact_phone=f.phone("contact_phone"),
        exempt_hours=exempt,
        exempt_reason=reason if exempt else None,
        notes=f.text("notes", max_len=NOTE_MAX),
        month_only=[
            key
            for key, parsed in (("birth_date", birth), ("join_date", join), ("mobile_since", since))
            if parsed is not None and parsed.month_only
        ],
    )
    f.check()
    member.search_keys = search_keys(name)
    return member.to_doc()


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


_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


def validate_username(value: object) -> str:
    """A login name: 2-32 of a-z 0-9 . _ - starting with a letter or digit (input lowercased)."""
    text = tidy_line(unicodedata.normalize("NFKC", value)).lower() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({"username": _("Enter a user name.")})
    if not _USERNAME.fullmatch(text):
        raise ValidationError(
            {
                "username": _(
                    "Use 2 to 32 lowercase letters, digits, dots, dashes or underscores, "
                    "starting with a letter or digit."
                )
            }
        )
    return text


def validate_user(raw: Mapping[str, object]) -> dict[str, Any]:
    """The editable fields of a login (PIN hash, attempts and lock are the users module's)."""
    f = Fields(raw)
    username = ""
    try:
        username = validate_username(raw.get("username"))
    except ValidationError as error:
        f.errors.update(error.errors)
    user = User(
        username=username,
        display_name=f.line("display_name", max_len=NAME_MAX) or username,
        role=f.choice(UserRole, "role", required=_("Choose a role.")) or UserRole.VOLUNTEER,
        member_id=f.ref("member_id"),
        disabled=f.flag("disabled"),
    )
    f.check()
    doc = user.to_doc()
    return {key: doc[key] for key in ("username", "display_name", "role", "member_id", "disabled")}
