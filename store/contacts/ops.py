"""The contact log, and who is slipping out of touch.

Members who move away lose touch with the organization. Each conversation is logged; a
member's last contact is the latest logged date, and :func:`lapsing` lists the active members
whose last contact is older than the warning (``contact_warn_days``) or overdue
(``contact_overdue_days``) setting. :func:`contact_state` is that rule for one member (the
member screen shows it); :func:`lapsing` applies it to the whole roster.

A member never contacted counts from the day they were put on the roster (``created_at``):
the party join date is often decades ago and would make a freshly imported roster all
overdue on day one, while from the day a member is on the roster someone should reach them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from store.actor import Actor
from store.contacts.validation import validate_contact
from store.engine.database import Database, Snapshot
from store.errors import ValidationError
from store.i18n import _
from store.members.ops import is_current
from store.permissions import Action, require
from store.settings.model import Settings

TABLE = "contacts"
State = Literal["warn", "overdue"]


@dataclass(frozen=True, slots=True)
class ContactState:
    """How long a member has been out of touch: last contact (None: never), counted from
    ``since`` (that contact, or the day they were put on the roster), and whether that is due
    or overdue (None: in touch, or not an active member)."""

    last: date | None
    since: date
    days: int
    state: State | None


@dataclass(frozen=True, slots=True)
class Lapse:
    """One member out of touch: their record, last contact (None: never) and how late."""

    member: Mapping[str, Any]
    last: date | None
    since: date  # the last contact, or the day the member was put on the roster
    days: int
    state: State


def add_contact(
    db: Database, actor: Actor, member_id: str, raw: Mapping[str, object]
) -> dict[str, Any]:
    """Log one contact with a member (coordinators and admins).

    ``by`` defaults to whoever is logged in, the usual case at the keyboard, by the name people
    know them by (see :func:`known_as`).
    """
    require(actor, Action.EDIT_MEMBERS)
    today = db.today()
    fields = {"by": known_as(db.snapshot(), actor), **raw, "member_id": member_id}
    if isinstance(fields.get("date"), str):
        fields["date"] = with_year(str(fields["date"]), today)
    doc = validate_contact(fields, today=today)
    with db.transaction(actor) as tx:
        if tx.find("members", member_id) is None:
            raise ValidationError({"member_id": _("There is no such member.")})
        return tx.insert(TABLE, doc)


def known_as(snapshot: Snapshot, actor: Actor) -> str:
    """The name colleagues know ``actor`` by: their member's name, else the account's display
    name, else the login name (a log reading "coordinato" helps nobody)."""
    user = snapshot.get("users", actor.user_id) if actor.user_id else None
    member_id = actor.member_id or (str(user.get("member_id") or "") if user else "")
    member = snapshot.get("members", member_id) if member_id else None
    for name in (member and member.get("name"), user and user.get("display_name")):
        if isinstance(name, str) and name.strip():
            return name.strip()
    return actor.name


def delete_contact(db: Database, actor: Actor, contact_id: str, expected_version: int) -> None:
    """Remove a contact logged by mistake (coordinators and admins)."""
    require(actor, Action.EDIT_MEMBERS)
    with db.transaction(actor) as tx:
        tx.delete(TABLE, contact_id, expected_version)


_MONTH_DAY = re.compile(r"([0-9]{1,2})(?:月([0-9]{1,2})[日号]?|[-./]([0-9]{1,2}))")


def with_year(text: str, today: date) -> str:
    """A contact date typed without its year (11月20日, 11-20) as its latest day not after
    ``today``; any other text unchanged (the date parser reads, or refuses, it).

    People log a call they just made: "11月20日" in January means last November, never a
    date ten months ahead that would only be refused as in the future.
    """
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    match = _MONTH_DAY.fullmatch(folded)
    if match is None:
        return text
    month, day = int(match.group(1)), int(match.group(2) or match.group(3))
    year = today.year - 1 if (month, day) > (today.month, today.day) else today.year
    return f"{year}-{month:02d}-{day:02d}"


def for_member(snapshot: Snapshot, member_id: str, actor: Actor) -> list[Mapping[str, Any]]:
    """A member's contact log as ``actor`` may see it (store/privacy.py: a volunteer gets no
    notes), newest first (on one day, the one logged last first)."""
    from store.privacy import contact_view

    found = [
        contact_view(doc, actor) for doc in snapshot.all(TABLE) if doc.get("member_id") == member_id
    ]
    return sorted(
        found,
        key=lambda doc: (str(doc.get("date") or ""), str(doc.get("created_at") or "")),
        reverse=True,
    )


def last_contact(log: list[Mapping[str, Any]]) -> date | None:
    """The latest date in one member's log (as :func:`for_member` gives it), or None."""
    days = (_day(str(doc.get("date") or "")) for doc in log)
    return max((day for day in days if day is not None), default=None)


def last_contacts(snapshot: Snapshot) -> dict[str, date]:
    """Each contacted member's latest contact date, in one pass over the log."""
    latest: dict[str, str] = {}
    for doc in snapshot.all(TABLE):
        member_id, day = doc.get("member_id"), doc.get("date")
        if isinstance(member_id, str) and isinstance(day, str) and day > latest.get(member_id, ""):
            latest[member_id] = day
    result = {}
    for member_id, day in latest.items():
        parsed = _day(day)
        if parsed is not None:
            result[member_id] = parsed
    return result


def contact_state(
    member: Mapping[str, Any], last: date | None, today: date, settings: Settings
) -> ContactState:
    """The one rule for "out of touch": days since ``last`` (or, never contacted, since the
    member was put on the roster), due from ``contact_warn_days``, overdue from
    ``contact_overdue_days``. Only active members lapse: an archived, transferred-out or
    deceased member is no one's call to make."""
    since = last or _day(str(member.get("created_at") or ""), local=True) or today
    days = (today - since).days
    state: State | None = None
    if is_current(member):
        if days >= settings.contact_overdue_days:
            state = "overdue"
        elif days >= settings.contact_warn_days:
            state = "warn"
    return ContactState(last, since, days, state)


def lapsing(snapshot: Snapshot, today: date, settings: Settings) -> list[Lapse]:
    """Active members not contacted for ``contact_warn_days`` or more, oldest first."""
    last = last_contacts(snapshot)
    found = []
    for member in snapshot.all("members"):
        if not is_current(member):
            continue
        contact = contact_state(member, last.get(str(member.get("id"))), today, settings)
        if contact.state is not None:
            found.append(Lapse(member, contact.last, contact.since, contact.days, contact.state))
    found.sort(key=lambda lapse: (lapse.since, str(lapse.member.get("name", ""))))
    return found


def _day(text: str, *, local: bool = False) -> date | None:
    """A stored date ('YYYY-MM-DD') or timestamp (its local day when ``local``)."""
    try:
        if local and "T" in text:
            return datetime.fromisoformat(text).astimezone().date()
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
