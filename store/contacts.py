"""The contact log, and who is slipping out of touch.

Members who move away lose touch with the organization. Each conversation is logged; a
member's last contact is the latest logged date, and :func:`lapsing` lists the active members
whose last contact is older than the warning (``contact_warn_days``) or overdue
(``contact_overdue_days``) setting.

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
from store.database import Database, Snapshot
from store.errors import ValidationError
from store.i18n import _
from store.members import is_current
from store.models import Settings
from store.permissions import Action, require
from store.validation import validate_contact

TABLE = "contacts"
State = Literal["warn", "overdue"]


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

    ``by`` defaults to whoever is logged in, the usual case at the keyboard.
    """
    require(actor, Action.EDIT_MEMBERS)
    fields = {"by": actor.name, **raw, "member_id": member_id}
    doc = validate_contact(fields, today=db.today())
    with db.transaction(actor) as tx:
        if tx.find("members", member_id) is None:
            raise ValidationError({"member_id": _("There is no such member.")})
        return tx.insert(TABLE, doc)


def delete_contact(db: Database, actor: Actor, contact_id: str, expected_version: int) -> None:
    """Remove a contact logged by mistake (coordinators and admins)."""
    require(actor, Action.EDIT_MEMBERS)
    with db.transaction(actor) as tx:
        tx.delete(TABLE, contact_id, expected_version)


def for_member(snapshot: Snapshot, member_id: str) -> list[Mapping[str, Any]]:
    """A member's contact log, newest first."""
    found = [doc for doc in snapshot.all(TABLE) if doc.get("member_id") == member_id]
    return sorted(found, key=lambda doc: str(doc.get("date") or ""), reverse=True)


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


def lapsing(snapshot: Snapshot, today: date, settings: Settings) -> list[Lapse]:
    """Active members not contacted for ``contact_warn_days`` or more, oldest first."""
    last = last_contacts(snapshot)
    found = []
    for member in snapshot.all("members"):
        if not is_current(member):
            continue
        contacted = last.get(str(member.get("id")))
        since = contacted or _day(str(member.get("created_at") or ""), local=True) or today
        days = (today - since).days
        if days >= settings.contact_overdue_days:
            state: State = "overdue"
        elif days >= settings.contact_warn_days:
            state = "warn"
        else:
            continue
        found.append(Lapse(member, contacted, since, days, state))
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
