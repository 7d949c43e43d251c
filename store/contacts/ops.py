"""The contact log, and who is slipping out of touch.

Members who move away lose touch with the organization. Each conversation is logged; a
member's last contact is the latest logged date, and :func:`lapsing` lists the active members
whose last contact is older than the warning (``contact_warn_days``) or overdue
(``contact_overdue_days``) setting. :func:`state_for` is that rule for one member
(:func:`contact_state` for a member's document, as the member screen has it); :func:`lapsing`
applies it to the whole roster, from the compact read models (store/members/summary.py,
store/contacts/summary.py), never from the whole log.

A member never contacted counts from the day they were put on the roster (``created_at``):
the party join date is often decades ago and would make a freshly imported roster all
overdue on day one, while from the day a member is on the roster someone should reach them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from store.actor import Actor
from store.contacts.summary import contacts_of
from store.contacts.validation import validate_contact
from store.engine.database import Database, Snapshot
from store.errors import ValidationError
from store.i18n import _
from store.members.ops import is_current
from store.members.summary import MemberSummary, members_of
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
    """One member out of touch: their summary, last contact (None: never) and how late."""

    member: MemberSummary
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
    # A date typed without its year (11月20日) is the latest one not ahead (store/parse.py).
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


def for_member(snapshot: Snapshot, member_id: str, actor: Actor) -> list[Mapping[str, Any]]:
    """A member's contact log as ``actor`` may see it (store/privacy.py: a volunteer gets no
    notes), newest first (on one day, the one logged last first).

    Only this member's entries are read from the file (a byte search for their id).
    """
    from store.privacy import contact_view

    found = [contact_view(doc, actor) for doc in snapshot.where(TABLE, "member_id", member_id)]
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
    """Each contacted member's latest contact date (from the folded log)."""
    folded = contacts_of(snapshot).by_member
    return {member_id: found.last for member_id, found in folded.items() if found.last}


def contact_state(
    member: Mapping[str, Any], last: date | None, today: date, settings: Settings
) -> ContactState:
    """:func:`state_for` a member's document (the member screen has the whole record)."""
    added = _day(str(member.get("created_at") or ""), local=True)
    return state_for(is_current(member), added, last, today, settings)


def lapse_state(
    current: bool, added: date | None, last: date | None, today: date, settings: Settings
) -> State | None:
    """Just the state of :func:`state_for` ("warn", "overdue" or None), for a whole roster
    without an object per member."""
    if not current:
        return None
    days = (today - (last or added or today)).days
    if days >= settings.contact_overdue_days:
        return "overdue"
    if days >= settings.contact_warn_days:
        return "warn"
    return None


def state_for(
    current: bool, added: date | None, last: date | None, today: date, settings: Settings
) -> ContactState:
    """The one rule for "out of touch": days since ``last`` (or, never contacted, since the
    member was put on the roster, ``added``), due from ``contact_warn_days``, overdue from
    ``contact_overdue_days``. Only active (``current``) members lapse: an archived,
    transferred-out or deceased member is no one's call to make."""
    since = last or added or today
    days = (today - since).days
    state: State | None = None
    if current:
        if days >= settings.contact_overdue_days:
            state = "overdue"
        elif days >= settings.contact_warn_days:
            state = "warn"
    return ContactState(last, since, days, state)


def lapsing(snapshot: Snapshot, today: date, settings: Settings) -> list[Lapse]:
    """Active members not contacted for ``contact_warn_days`` or more, oldest first (members
    with the same day in the roster's order: :attr:`MemberSummary.name_order`)."""
    folded = contacts_of(snapshot)
    found = []
    for member in members_of(snapshot):
        last = folded.last(member.id)
        if lapse_state(member.current, member.added, last, today, settings) is None:
            continue
        contact = state_for(True, member.added, last, today, settings)
        if contact.state is not None:
            found.append(Lapse(member, contact.last, contact.since, contact.days, contact.state))
    # Oldest first; on one day in the roster's (pinyin) order, one name twice in the file's
    # (a stable sort over it), as the dashboard's ranking of it keeps them (lapsing.py).
    found.sort(key=lambda lapse: (lapse.since, *lapse.member.name_order))
    return found


def _day(text: str, *, local: bool = False) -> date | None:
    """A stored date ('YYYY-MM-DD') or timestamp (its local day when ``local``)."""
    try:
        if local and "T" in text:
            return datetime.fromisoformat(text).astimezone().date()
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
