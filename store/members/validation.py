"""A member as a form, the CLI or a spreadsheet row gives it, made into a clean document.

The conventions every validator follows are in store/fields.py. Birth and join dates may be
month-only (rosters say 1958年3月); the member's ``month_only`` lists such fields, and the
join-after-birth check is then made at month level. An address given as one line (14栋3单元803室)
is split into building/unit/room when it has that shape, and kept as free text otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from store.enums import (
    Category,
    DatePrecision,
    ExemptReason,
    Gender,
    Management,
    MemberStatus,
)
from store.fields import NAME_MAX, NOTE_MAX, Fields
from store.i18n import N_, _
from store.members.model import FIELD_LABELS, Member
from store.members.search_keys import search_keys, sort_key
from store.parse import ParsedDate, parse_id_number

_ADDRESS = re.compile(
    r"(?P<b>[0-9A-Za-z]{1,6})(?:栋|幢|号楼|座|楼)"
    r"(?:(?P<u>[0-9]{1,3})单元)?"
    r"(?:(?P<r>[0-9]{1,6})(?:室|号)?)?"
)


_DASHED_ADDRESS = re.compile(r"(?P<b>[0-9]{1,3})-(?P<u>[0-9]{1,2})-(?P<r>[0-9]{1,5})")

JOIN_BEFORE_BIRTH = N_("The join date is before the birth date.")
"""The one contradiction between two fields; the import words it with both values."""

# A flagged field and the stored fields that hold it (an address is split when it can be).
CHECKED_AS: dict[str, tuple[str, ...]] = {"address": ("building", "unit", "room", "address")}


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
        f.fail("join_date", _(JOIN_BEFORE_BIRTH))
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
        workplace=f.line("workplace", max_len=60),
        id_number=_id_number(f),
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
        patrol_exempt=f.flag("patrol_exempt"),
        notes=f.text("notes", max_len=NOTE_MAX),
        month_only=[
            key
            for key, parsed in (("birth_date", birth), ("join_date", join), ("mobile_since", since))
            if parsed is not None and parsed.month_only
        ],
        to_check=_checks(raw.get("to_check")),
    )
    f.check()
    member.search_keys = search_keys(name)
    member.sort_key = sort_key(name)
    return member.to_doc()


def _id_number(f: Fields) -> str:
    """The ID number in its one written form (X upper case), or "" with its mistake noted."""
    text = f.line("id_number", max_len=30)
    if not text:
        return ""
    try:
        return parse_id_number(text).number
    except ValueError as error:
        f.fail("id_number", str(error))
        return ""


def _checks(value: object) -> list[str]:
    """The flagged fields a record carries (known member fields only, each once)."""
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(key for key in value if isinstance(key, str) and key in FIELD_LABELS))


def settle_checks(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The "needs checking" fields of ``after`` still to check: a field whose value changed
    since ``before`` was corrected (through the form, the CLI or a re-import), so its mark goes.
    """
    return [
        key
        for key in _checks(after.get("to_check"))
        if all(before.get(name) == after.get(name) for name in CHECKED_AS.get(key, (key,)))
    ]
