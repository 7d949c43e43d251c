"""Reading training sessions: the list (newest first, by year, kind and words), one session,
and its audience, for the sessions screen, the checklist and the CLI.

Every read is a function over a snapshot returning typed records, so the way sessions are
stored can change underneath. Volunteers see every session's title, date and hours (a notice
board), but only their own attendance row (store/training/access.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import AttendanceStatus, Audience, Category, TrainingKind, coerce, label
from store.members.ops import is_current
from store.members.search_keys import SEPARATOR, doc_keys, fold
from store.permissions import Action, require
from store.training.access import ALL, own_member
from store.training.model import TrainingSession

TABLE = "trainings"


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One session as the list shows it: the session without its attendance, and counts.

    For a volunteer the counts are of their own row only, and ``mine`` is their status.
    """

    session: TrainingSession
    present: int = 0
    make_up: int = 0
    absent: int = 0
    excused: int = 0
    mine: AttendanceStatus | None = None

    @property
    def recorded(self) -> int:
        """How many members have a mark of any kind."""
        return self.present + self.make_up + self.absent + self.excused


@dataclass(frozen=True, slots=True)
class AudienceMember:
    """A member on a session's checklist; ``expected`` False: recorded but outside the audience.

    ``keys`` is what a search of the checklist looks in: the folded name, its full pinyin
    spellings and its initials (the member's search keys, as the roster matches names),
    joined by :data:`store.members.search_keys.SEPARATOR` so no match spans two of them.
    """

    id: str
    name: str
    pinyin: str  # what the checklist sorts by: the member's sort key, as the roster sorts
    category: Category
    branch: str
    expected: bool
    keys: str = ""

    def matches(self, needle: str) -> bool:
        """Whether a folded query (:func:`store.members.search_keys.normalize_query`) is in
        the name, its pinyin or its initials ("" matches everyone)."""
        return needle in self.keys


def audience_member(doc: Mapping[str, Any], expected: bool) -> AudienceMember:
    """A stored member as a checklist row's member (see :class:`AudienceMember`), with the
    keys and order the roster gives it (:func:`store.members.search_keys.doc_keys`: computed
    for a member stored without them, so it is found by ``zs`` and sorted among the rest)."""
    name = str(doc.get("name") or "")
    keys, order = doc_keys(doc)
    return AudienceMember(
        id=str(doc.get("id") or ""),
        name=name,
        pinyin=order,
        category=coerce(Category, doc.get("category")) or Category.OTHER,
        branch=str(doc.get("branch") or ""),
        expected=expected,
        keys=SEPARATOR.join(keys) if keys else _fold(name),
    )


def _fold(text: str) -> str:
    return fold(unicodedata.normalize("NFKC", text))


def _summary(doc: Mapping[str, Any], own: str | None) -> SessionSummary:
    session = TrainingSession.from_doc({**doc, "attendance": []})
    counts = dict.fromkeys(AttendanceStatus, 0)
    mine: AttendanceStatus | None = None
    rows = doc.get("attendance")
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, Mapping):
            continue
        if own is not ALL and row.get("member_id") != own:
            continue
        status = coerce(AttendanceStatus, row.get("status")) or AttendanceStatus.PRESENT
        counts[status] += 1
        mine = status
    return SessionSummary(
        session,
        present=counts[AttendanceStatus.PRESENT],
        make_up=counts[AttendanceStatus.MAKE_UP],
        absent=counts[AttendanceStatus.ABSENT],
        excused=counts[AttendanceStatus.EXCUSED],
        mine=mine if own is not ALL else None,
    )


def _year(doc: Mapping[str, Any]) -> int | None:
    day = doc.get("date")
    if isinstance(day, str) and len(day) >= 4 and day[:4].isdigit():
        return int(day[:4])
    return None


def list_sessions(
    snapshot: Snapshot,
    actor: Actor,
    *,
    year: int | None = None,
    kind: TrainingKind | None = None,
    query: str = "",
) -> list[SessionSummary]:
    """Sessions newest first (date, then start time), of ``year`` and ``kind`` if given, whose
    title, trainer or place contains ``query`` (width and case ignored)."""
    own = own_member(actor)
    needle = _fold(query.strip())
    found = []
    for doc in snapshot.all(TABLE):
        if year is not None and _year(doc) != year:
            continue
        if kind is not None and doc.get("kind") != kind.value:
            continue
        if needle:
            words = " ".join(str(doc.get(k) or "") for k in ("title", "trainer", "place"))
            if needle not in _fold(words) and needle not in _fold(label_of(doc)):
                continue
        found.append(_summary(doc, own))
    found.sort(
        key=lambda s: (
            s.session.date.isoformat() if s.session.date else "",
            s.session.start.isoformat() if s.session.start else "",
            s.session.created_at,
        ),
        reverse=True,
    )
    return found


def label_of(doc: Mapping[str, Any]) -> str:
    """The kind's label of a stored session, so "急救" finds first-aid sessions."""
    kind = coerce(TrainingKind, doc.get("kind"))
    return label(kind) if kind is not None else ""


def years(snapshot: Snapshot) -> list[int]:
    """Every year that has a session, newest first."""
    return sorted({y for doc in snapshot.all(TABLE) if (y := _year(doc)) is not None}, reverse=True)


def get_session(snapshot: Snapshot, actor: Actor, session_id: str) -> TrainingSession | None:
    """One session, or None if it is gone; a volunteer gets only their own attendance row."""
    doc = snapshot.get(TABLE, session_id)
    if doc is None:
        return None
    session = TrainingSession.from_doc(doc)
    own = own_member(actor)
    if own is not ALL:
        session.attendance = [a for a in session.attendance if a.member_id == own]
    return session


def in_audience(session: TrainingSession, member: Mapping[str, Any]) -> bool:
    """Whether ``member`` (a stored member) is someone the session was for."""
    if session.audience is Audience.ALL:
        return True
    if session.audience is Audience.CATEGORY:
        return member.get("category") == session.audience_value
    if session.audience is Audience.BRANCH:
        return member.get("branch") == session.audience_value
    return member.get("id") in session.audience_ids


def audience(snapshot: Snapshot, actor: Actor, session: TrainingSession) -> list[AudienceMember]:
    """The checklist: current members the session was for, and anyone already recorded
    (marked ``expected=False`` when outside the audience), in pinyin order.

    A list audience offers every current member: the list is made by marking them.
    Coordinators and admins only (a checklist names who came).
    """
    return audience_and_others(snapshot, actor, session)[0]


AUDIENCE_FIELDS = ("id", "name", "search_keys", "sort_key", "category", "branch", "status")
"""What a checklist reads of each member (:func:`audience_member`, :func:`in_audience`)."""


def audience_and_others(
    snapshot: Snapshot, actor: Actor, session: TrainingSession
) -> tuple[list[AudienceMember], list[AudienceMember]]:
    """:func:`audience`, and every other current member (``expected=False``, for marking
    someone outside the audience after a yes), each in pinyin order, in one pass over the
    members' few fields (read from the file in pieces, never whole records)."""
    require(actor, Action.SEE_TRAINING)
    recorded = {a.member_id for a in session.attendance}
    found: list[AudienceMember] = []
    others: list[AudienceMember] = []
    for doc in snapshot.fields("members", AUDIENCE_FIELDS):
        member_id = str(doc.get("id") or "")
        current = is_current(doc)
        expected = in_audience(session, doc)
        listed = session.audience is Audience.LIST and current
        if (expected and current) or listed or member_id in recorded:
            found.append(audience_member(doc, expected or listed))
        elif current:
            others.append(audience_member(doc, expected=False))
    for members in (found, others):
        members.sort(key=lambda m: (m.pinyin, m.name, m.id))
    return found, others


@dataclass(frozen=True, slots=True)
class Attended:
    """One session in a member's training history, with their row."""

    session: TrainingSession
    status: AttendanceStatus
    hours: float
    made_up: str  # the make-up's day, "" otherwise


def attended(snapshot: Snapshot, actor: Actor, member_id: str) -> list[Attended]:
    """Every session ``member_id`` has a mark at, newest first (volunteers: their own only)."""
    from store.training.access import require_member

    require_member(actor, member_id)
    found = []
    for doc in snapshot.mentioning(TABLE, "member_id", member_id):  # not years of sessions
        rows = doc.get("attendance")
        mine = next(
            (
                r
                for r in (rows if isinstance(rows, list) else ())
                if isinstance(r, Mapping) and r.get("member_id") == member_id
            ),
            None,
        )
        if mine is None:
            continue
        session = TrainingSession.from_doc({**doc, "attendance": [mine]})
        row = session.attendance[0]
        made_up = row.date.isoformat() if row.date else ""
        found.append(Attended(session, row.status, row.hours, made_up))
    found.sort(key=lambda a: a.session.date.isoformat() if a.session.date else "", reverse=True)
    return found
