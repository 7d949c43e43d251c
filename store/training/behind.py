"""Who is behind pace on study hours, for the dashboard: counted and the first few, followed
per member.

The dashboard counts the current members behind pace this year and shows the furthest behind
(:func:`store.training.hours.behind_first`'s rule and order). Walking every member for that
costs 20 to 30 ms at 20,000, in every session on the dashboard, on every save of a member or a
session. :func:`behind_head` keeps the answer as a :class:`Behind` model with the version of
the file: another session's save ranks again only the members it touched (a member's own
record; the members marked on a session, as it was and as it is: their hours moved), from the
members', the roll's and the study-hours index's read models as they now are
(store/engine/ranking.py). A change of the settings (the hours each category owes) builds it
afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Self

from store.actor import Actor
from store.engine.audit import Change
from store.engine.ranking import Rank, Ranked, RankedModel, Ranking, touched_members
from store.engine.snapshot import Snapshot
from store.enums import Category
from store.members.summary import MEMO as MEMBERS
from store.members.summary import Members, MemberSummary, member_places, members_of
from store.settings.model import Settings
from store.training import index, roll
from store.training.access import ALL, own_member
from store.training.hours import TABLE, Meter, _Categories, _make, expected_by
from store.training.roll import Extra

MEMO = "training.behind_head"

_Entry = tuple[MemberSummary, Extra, float, tuple[float, float]]  # member, extra, done, pace


class _Pacing:
    """Whose pace is looked at (a volunteer: their own), in which year, by which day and rule;
    the pace worked out once per category. Shared along a chain of followed models (the
    settings do not change in it: a change of them builds afresh)."""

    __slots__ = ("kinds", "own", "paces", "settings", "today", "year")

    def __init__(self, own: object, year: int, today: date, settings: Settings) -> None:
        self.own = own
        self.year = year
        self.today = today
        self.settings = settings
        self.kinds = _Categories()
        self.paces: dict[Category, tuple[float, float]] = {}  # required, expected by today

    def ranker(self, members: Members, extras: roll.Roll, hours: index.StudyIndex) -> Rank[_Entry]:
        totals = hours.year(self.year)
        own, kinds, paces = self.own, self.kinds, self.paces

        def rank(member_id: str) -> Ranked[_Entry] | None:
            # behind_first()'s rule and order, for one member
            member = members.get(member_id)
            if member is None or not member.current or (own is not ALL and member.id != own):
                return None
            extra = extras.get(member.id)
            if extra.exempt:
                return None
            kind = kinds[member.category]
            pace = paces.get(kind)
            if pace is None:
                required = self.settings.hours_for(kind)
                pace = paces[kind] = (required, expected_by(required, self.year, self.today))
            required, expected = pace
            done = totals.get(member.id, 0.0)
            if done >= required or done >= expected:
                return None
            order = (-(expected - done), done, *member.name_order)
            return "behind", order, (member, extra, done, pace)

        return rank

    def meter(self, entry: _Entry) -> Meter:
        member, extra, done, pace = entry
        kind = self.kinds[member.category]
        return _make(
            member.id, member.name, kind, extra, done, self.year, self.today, self.settings, pace
        )


class Behind(RankedModel[_Entry]):
    """How many current members are behind pace in a year, and the furthest behind few as
    meters: :attr:`value` is what :func:`behind_head` returns."""

    __slots__ = ("pacing", "ranking", "value")
    NOT_FOLLOWED = frozenset({"settings"})  # the settings set every member's required hours

    def __init__(self, ranking: Ranking[_Entry], pacing: _Pacing) -> None:
        self.ranking = ranking
        self.pacing = pacing
        self.value = (ranking.count("behind"), [pacing.meter(entry) for entry in ranking.head])

    @classmethod
    def build(cls, snapshot: Snapshot, actor: Actor, year: int, today: date, first: int) -> Behind:
        from store.settings.ops import current

        members = members_of(snapshot)
        pacing = _Pacing(own_member(actor), year, today, current(snapshot))
        rank = pacing.ranker(members, roll.roll_of(snapshot), index.study_index(snapshot))
        ids = (member.id for member in members)
        return cls(Ranking.build(ids, rank, first, member_places(snapshot)), pacing)

    def touched(self, changes: Iterable[Change]) -> list[str]:
        """The members whose pace a change may move: a member saved, or marked on a session as
        it was or as it is (its date, hours or marks moved their hours), in the order first
        touched."""
        return touched_members(changes, TABLE, _marked)

    def ranker(self, followed: Mapping[str, Any]) -> Rank[_Entry] | None:
        members, extras = followed.get(MEMBERS), followed.get(roll.MEMO)
        hours = followed.get(index.MEMO)
        if (
            not isinstance(members, Members)
            or not isinstance(extras, roll.Roll)
            or not isinstance(hours, index.StudyIndex)
        ):
            return None
        return self.pacing.ranker(members, extras, hours)

    def remade(self, ranking: Ranking[_Entry]) -> Self:
        return type(self)(ranking, self.pacing)


def _marked(session: Mapping[str, Any]) -> Iterator[object]:
    """The members marked on a session (its side of a change), whatever the mark."""
    rows = session.get("attendance")
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, dict):
            yield row.get("member_id")


def behind_head(
    snapshot: Snapshot, actor: Actor, year: int, today: date, first: int
) -> tuple[int, list[Meter]]:
    """How many current members are behind pace in ``year``, and the ``first`` furthest behind
    as meters (:func:`~store.training.hours.behind_first` for the dashboard): built once per
    version, then followed per member."""
    key = f"{MEMO}:{year}:{today}:{first}:{actor.role}:{own_member(actor)!r}"
    build = lambda snap: Behind.build(snap, actor, year, today, first)  # noqa: E731
    return snapshot.memo(key, build).value
