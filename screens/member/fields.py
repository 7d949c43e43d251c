"""What the member form is made of: its fields in groups, their options, the text each shows
for a stored member, and the "is this the same person?" question.

No screen logic here: :mod:`screens.member.form` lays these out and saves them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from screens.widgets.choice import ChoiceField
from screens.widgets.form import FormField, LabelledField
from store.enums import Category, ExemptReason, Gender, Management, MemberStatus, choices, label
from store.i18n import N_, _, join_list, ngettext
from store.members.model import Member, field_label

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Person"), ("name", "gender", "birth_date", "ethnicity", "education")),
    (N_("Contact and address"), ("phone", "building", "unit", "room", "address", "grid")),
    (
        N_("Membership"),
        ("branch", "join_date", "category", "management", "status", "roles", "tags"),
    ),
    (
        N_("Away from home (mobile members)"),
        ("whereabouts", "mobile_since", "contact_person", "contact_phone"),
    ),
    (N_("Study hours"), ("exempt_hours", "exempt_reason")),
    (N_("Patrols"), ("patrol_exempt",)),
    ("", ("notes",)),  # its label says "Notes": a heading would say it twice
)
CHOICES: dict[str, type[StrEnum]] = {
    "gender": Gender,
    "category": Category,
    "management": Management,
    "status": MemberStatus,
    "exempt_reason": ExemptReason,
}
FLAGS = ("exempt_hours", "patrol_exempt")  # yes/no choices
OPTIONAL = ("gender", "exempt_reason")  # may be left unsaid
DATES = ("birth_date", "join_date", "mobile_since")
LISTS = ("roles", "tags")
MATCHED = ("name", "birth_date", "phone")  # what the duplicate rule looks at
HINTS = {
    **dict.fromkeys(DATES, N_("e.g. 1958-03-12 or 1958年3月")),
    "tags": N_("Separate several roles or tags with commas"),
}
NOTE_BREAK = " / "
SHOWN_DUPLICATES = 5


def field_options(name: str) -> list[tuple[str, str]]:
    """The ``(value, text)`` options of choice field ``name``, in the current language."""
    if name in FLAGS:
        return [("no", _("No")), ("yes", _("Yes"))]
    options = [(member.value, text) for member, text in choices(CHOICES[name])]
    return [("", _("Not given")), *options] if name in OPTIONAL else options


def form_values(member: Member) -> dict[str, str]:
    """What each field of the form shows for ``member``."""
    values: dict[str, str] = {}
    for _heading, names in GROUPS:
        for name in names:
            value = getattr(member, name)
            if name in DATES:
                values[name] = member.date_text(name)
            elif name in LISTS:
                values[name] = join_list(value)
            elif name in FLAGS:
                values[name] = "yes" if value else "no"
            elif name in CHOICES:
                values[name] = value.value if value is not None else ""
            elif name == "notes":
                values[name] = NOTE_BREAK.join(value.splitlines())
            else:
                values[name] = value
    return values


def duplicate_line(doc: Mapping[str, Any]) -> str:
    """One possible duplicate as the question names it: name, birth date, phone, status.

    ``doc`` is already the acting user's view of the member (phone masked if they may not see it).
    """
    member = Member.from_doc(doc)
    parts = [member.name]
    if member.birth_date is not None:
        parts.append(_("born {date}").format(date=member.date_text("birth_date")))
    if member.phone:
        parts.append(_("phone {phone}").format(phone=member.phone))
    if member.status is not MemberStatus.ACTIVE:
        parts.append(label(member.status))
    return join_list(parts)


def duplicate_question(found: list[Mapping[str, Any]]) -> str:
    """Save anyway? naming the members that look like the same person."""
    lines = [
        ngettext(
            "A member like this is already on the roster "
            "(same name and birth date, or same phone):",
            "{count} members like this are already on the roster "
            "(same name and birth date, or same phone):",
            len(found),
        ).format(count=len(found))
    ]
    lines += ["  " + duplicate_line(doc) for doc in found[:SHOWN_DUPLICATES]]
    hidden = len(found) - SHOWN_DUPLICATES
    if hidden > 0:
        lines.append(
            "  " + ngettext("and {count} more", "and {count} more", hidden).format(count=hidden)
        )
    lines.append(_("Save anyway?"))
    return "\n".join(lines)


def make_field(name: str) -> LabelledField:
    """The form's field for member field ``name``: a choice row or a text field."""
    if name in CHOICES or name in FLAGS:
        return ChoiceField(name, field_label(name), field_options(name))
    return FormField(name, field_label(name))
