"""The member record: a person on the roster, with the rules every screen shares (age, address,
field labels).

Like every model, a slotted dataclass over the stored JSON document (see store/records.py):
``from_doc`` is tolerant of older files, ``to_doc`` returns JSON types only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from store.enums import (
    Category,
    ExemptReason,
    Gender,
    Management,
    MemberStatus,
)
from store.i18n import N_, _
from store.parse import mask_phone
from store.records import (
    Record,
    date_or_none,
    enum_or,
    enum_or_none,
    plain,
    text,
    text_list,
)


@dataclass(slots=True, kw_only=True)
class Member(Record):
    """A person on the roster. ``month_only`` names date fields known only to the month."""

    name: str = ""
    gender: Gender | None = None
    birth_date: dt.date | None = None
    ethnicity: str = ""
    education: str = ""
    phone: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    address: str = ""  # free text when the address is not building/unit/room
    grid: str = ""  # responsibility zone (网格)
    branch: str = ""
    workplace: str = ""  # 工作单位: where an in-service member works
    id_number: str = ""  # 身份证号, kept only when the settings allow (store_id_numbers)
    join_date: dt.date | None = None
    category: Category = Category.OTHER
    management: Management = Management.DIRECT
    status: MemberStatus = MemberStatus.ACTIVE
    roles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    whereabouts: str = ""  # mobile members: where they are now
    mobile_since: dt.date | None = None
    contact_person: str = ""
    contact_phone: str = ""
    exempt_hours: bool = False
    exempt_reason: ExemptReason | None = None
    patrol_exempt: bool = False  # excused from the patrol team (health, care duties...)
    notes: str = ""
    month_only: list[str] = field(default_factory=list)
    # Fields an import left empty (or at their default) because the file's value was wrong:
    # the roster marks the member "needs checking" until each of them is corrected.
    to_check: list[str] = field(default_factory=list)
    search_keys: list[str] = field(default_factory=list)
    sort_key: str = ""  # the roster's order: pinyin, surname reading first (search_keys.py)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            name=text(doc, "name"),
            gender=enum_or_none(Gender, doc, "gender"),
            birth_date=date_or_none(doc, "birth_date"),
            ethnicity=text(doc, "ethnicity"),
            education=text(doc, "education"),
            phone=text(doc, "phone"),
            building=text(doc, "building"),
            unit=text(doc, "unit"),
            room=text(doc, "room"),
            address=text(doc, "address"),
            grid=text(doc, "grid"),
            branch=text(doc, "branch"),
            workplace=text(doc, "workplace"),
            id_number=text(doc, "id_number"),
            join_date=date_or_none(doc, "join_date"),
            category=enum_or(Category, doc, "category", Category.OTHER),
            management=enum_or(Management, doc, "management", Management.DIRECT),
            status=enum_or(MemberStatus, doc, "status", MemberStatus.ACTIVE),
            roles=text_list(doc, "roles"),
            tags=text_list(doc, "tags"),
            whereabouts=text(doc, "whereabouts"),
            mobile_since=date_or_none(doc, "mobile_since"),
            contact_person=text(doc, "contact_person"),
            contact_phone=text(doc, "contact_phone"),
            exempt_hours=doc.get("exempt_hours") is True,
            exempt_reason=enum_or_none(ExemptReason, doc, "exempt_reason"),
            patrol_exempt=doc.get("patrol_exempt") is True,
            notes=text(doc, "notes"),
            month_only=text_list(doc, "month_only"),
            to_check=text_list(doc, "to_check"),
            search_keys=text_list(doc, "search_keys"),
            sort_key=text(doc, "sort_key"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "name": self.name,
            "gender": plain(self.gender),
            "birth_date": plain(self.birth_date),
            "ethnicity": self.ethnicity,
            "education": self.education,
            "phone": self.phone,
            "building": self.building,
            "unit": self.unit,
            "room": self.room,
            "address": self.address,
            "grid": self.grid,
            "branch": self.branch,
            "workplace": self.workplace,
            "id_number": self.id_number,
            "join_date": plain(self.join_date),
            "category": plain(self.category),
            "management": plain(self.management),
            "status": plain(self.status),
            "roles": list(self.roles),
            "tags": list(self.tags),
            "whereabouts": self.whereabouts,
            "mobile_since": plain(self.mobile_since),
            "contact_person": self.contact_person,
            "contact_phone": self.contact_phone,
            "exempt_hours": self.exempt_hours,
            "exempt_reason": plain(self.exempt_reason),
            "patrol_exempt": self.patrol_exempt,
            "notes": self.notes,
            "month_only": list(self.month_only),
            "to_check": list(self.to_check),
            "search_keys": list(self.search_keys),
            "sort_key": self.sort_key,
        }

    @property
    def is_mobile(self) -> bool:
        return self.category in (Category.MOBILE_IN, Category.MOBILE_OUT)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def date_text(self, name: str) -> str:
        """A date field as shown: 'YYYY-MM' when only the month is known, '' when unknown."""
        value = getattr(self, name)
        if not isinstance(value, dt.date):
            return ""
        return value.isoformat()[:7] if name in self.month_only else value.isoformat()

    def address_text(self) -> str:
        """The address in the current language's usual order (3栋2单元502室 / Bldg 3 ...)."""
        return format_address(self.building, self.unit, self.room, self.address)


def age(born: dt.date, today: dt.date) -> int:
    """Whole years from ``born`` to ``today`` (a month-only birth date counts from the 1st)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def format_address(building: str, unit: str, room: str, address: str = "") -> str:
    """The address as people write it: 3栋2单元502室, or Building 3, Unit 2, Room 502.

    A complete address is one template, so each language orders and joins it its own way (Chinese
    joins the parts with nothing); a partial one falls back to its parts separated by spaces.
    """
    if building and unit and room:
        structured = _("Building {building}, Unit {unit}, Room {room}").format(
            building=building, unit=unit, room=room
        )
    else:
        parts = [
            _("Building {building}").format(building=building) if building else "",
            _("Unit {unit}").format(unit=unit) if unit else "",
            _("Room {room}").format(room=room) if room else "",
        ]
        structured = " ".join(p for p in parts if p)
    return " ".join(p for p in (structured, address) if p)


FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "gender": N_("Gender"),
    "birth_date": N_("Birth date"),
    "ethnicity": N_("Ethnicity"),
    "education": N_("Education"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "building": N_("Building"),
    "unit": N_("Unit"),
    "room": N_("Room"),
    "grid": N_("Grid"),
    "branch": N_("Branch"),
    "workplace": N_("Workplace"),
    "id_number": N_("ID number"),
    "join_date": N_("Join date"),
    "category": N_("Category"),
    "management": N_("Management"),
    "status": N_("Status"),
    "roles": N_("Roles"),
    "tags": N_("Tags"),
    "whereabouts": N_("Whereabouts"),
    "mobile_since": N_("Away since"),
    "contact_person": N_("Contact person"),
    "contact_phone": N_("Contact phone"),
    "exempt_hours": N_("Exempt from study hours"),
    "exempt_reason": N_("Exemption reason"),
    "patrol_exempt": N_("Exempt from patrols"),
    "notes": N_("Notes"),
    "to_check": N_("Needs checking"),
}


def field_label(name: str) -> str:
    """A member field's label in the current language (the field name itself if unknown)."""
    msgid = FIELD_LABELS.get(name)
    return _(msgid) if msgid else name
