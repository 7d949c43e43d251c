"""Who is out of touch, for the dashboard: counted and the first few, followed per member.

The dashboard counts the members overdue and due for a contact and shows the oldest few
(:func:`store.contacts.ops.lapsing`'s rule and order). Walking every member for that costs
about 15 ms at 20,000, in every session on the dashboard, on every save of a member or a
contact. :func:`lapsing_head` keeps the answer as a :class:`Lapsing` model with the version
of the file: another session's save of a member or a contact ranks that member again
(store/engine/ranking.py), from the members' and contacts' read models as they now are; a
change of the settings (which set every member's state) builds it afresh, as does a contact
fold that could not follow (store/contacts/summary.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Self

from store.contacts.ops import TABLE, Lapse, lapse_state, state_for
from store.contacts.summary import MEMO as CONTACTS
from store.contacts.summary import Contacts, contacts_of
from store.engine.audit import Change
from store.engine.ranking import Rank, Ranked, RankedModel, Ranking, touched_members
from store.engine.snapshot import Snapshot
from store.members.summary import MEMO as MEMBERS
from store.members.summary import Members, member_places, members_of
from store.settings.model import Settings

MEMO = "contacts.lapsing_head"


class Lapsing(RankedModel[Lapse]):
    """How many members are overdue and how many due, and the first few of them, oldest
    first: :attr:`value` is what :func:`lapsing_head` returns."""

    __slots__ = ("ranking", "settings", "today", "value")
    NOT_FOLLOWED = frozenset({"settings"})  # a settings change moves every member's state

    def __init__(self, ranking: Ranking[Lapse], today: date, settings: Settings) -> None:
        self.ranking = ranking
        self.today = today
        self.settings = settings
        overdue = ranking.count("overdue")
        self.value = (overdue, ranking.count("warn"), list(ranking.head))

    @classmethod
    def build(cls, snapshot: Snapshot, today: date, settings: Settings, first: int) -> Lapsing:
        members, contacts = members_of(snapshot), contacts_of(snapshot)
        ids = (member.id for member in members)
        rank = _ranker(members, contacts, today, settings)
        ranking = Ranking.build(ids, rank, first, member_places(snapshot))
        return cls(ranking, today, settings)

    def touched(self, changes: Iterable[Change]) -> list[str]:
        """The members whose contact state a change may move: a member saved, or the member
        a contact was or is logged for, in the order first touched."""
        return touched_members(changes, TABLE, _logged_for)

    def ranker(self, followed: Mapping[str, Any]) -> Rank[Lapse] | None:
        members, contacts = followed.get(MEMBERS), followed.get(CONTACTS)
        if not isinstance(members, Members) or not isinstance(contacts, Contacts):
            return None
        return _ranker(members, contacts, self.today, self.settings)

    def remade(self, ranking: Ranking[Lapse]) -> Self:
        return type(self)(ranking, self.today, self.settings)


def _ranker(members: Members, contacts: Contacts, today: date, settings: Settings) -> Rank[Lapse]:
    def rank(member_id: str) -> Ranked[Lapse] | None:
        # lapsing()'s rule and order, for one member
        member = members.get(member_id)
        if member is None:
            return None
        last = contacts.last(member.id)
        if lapse_state(member.current, member.added, last, today, settings) is None:
            return None
        contact = state_for(True, member.added, last, today, settings)
        if contact.state is None:
            return None
        lapse = Lapse(member, contact.last, contact.since, contact.days, contact.state)
        return contact.state, (contact.since, *member.name_order), lapse

    return rank


def _logged_for(contact: Mapping[str, Any]) -> tuple[object]:
    """The member a contact is logged for (its side of a change)."""
    return (contact.get("member_id"),)


def lapsing_head(
    snapshot: Snapshot, today: date, settings: Settings, first: int
) -> tuple[int, int, list[Lapse]]:
    """How many members are overdue and how many due, and the ``first`` of
    :func:`~store.contacts.ops.lapsing`: built once per version, then followed per member."""
    key = f"{MEMO}:{today.isoformat()}:{first}"
    return snapshot.memo(key, lambda snap: Lapsing.build(snap, today, settings, first)).value
