"""Putting people on shifts, taking them off, checking them in, and the list to choose from.

:func:`assign` checks the rules (store/patrols/rules.py) on the data read inside its
transaction, under the lock: two coordinators filling the last place from two sessions at
the same moment are served one after the other, and the second finds the shift full. A rule
that may be overridden is, only with a reason, which goes into the shift (and so the change
log) beside the member's place.

:func:`candidates` is the assign list: members as the acting user may see them, each with the
rules they would break and a fairness hint, fairest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.actor import Actor
from store.engine.database import Database, Snapshot, Transaction
from store.enums import AssignmentStatus, MemberStatus
from store.errors import Conflict, NotFound, PermissionDenied, StoreError, ValidationError
from store.i18n import _
from store.members.ops import roster_rows
from store.members.search_keys import make_matcher
from store.patrols.model import Assignment, Shift
from store.patrols.reads import SHIFTS, TEAMS, all_shifts
from store.patrols.rules import Fairness, Problem, check, fairness
from store.patrols.validation import OVERRIDE_MAX, validate_shift
from store.permissions import Action, allowed, require
from store.settings import ops as settings_ops
from store.settings.model import Settings
from store.textsafe import clean_line


class RuleBroken(StoreError):
    """Assigning would break rules; ``problems`` says which (hard ones can't be overridden)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems

    @property
    def overridable(self) -> bool:
        return not any(p.hard for p in self.problems)


def shift_from_tx(tx: Transaction, shift_id: str) -> Shift:
    """The shift as stored now (NotFound with a sentence if it was deleted)."""
    doc = tx.find(SHIFTS, shift_id)
    if doc is None:
        raise NotFound(_("That shift no longer exists; someone may have deleted it."))
    return Shift.from_doc(doc)


def settings_in(tx: Transaction) -> Settings:
    docs = tx.all("settings")
    return Settings.from_doc(docs[0]) if docs else Settings()


def member_shifts_in(tx: Transaction, member_id: str) -> list[Shift]:
    """The member's shifts as stored now (the rules need their times)."""
    return [
        Shift.from_doc(doc)
        for doc in tx.storage.table(SHIFTS).values()
        if any(
            isinstance(a, Mapping) and a.get("member_id") == member_id
            for a in doc.get("assignments") or ()
        )
    ]


def rule_problems(tx: Transaction, target: Shift, member_id: str) -> list[Problem]:
    """The rules putting ``member_id`` on ``target`` breaks, on the data of this transaction."""
    return check(
        target, tx.find("members", member_id), member_shifts_in(tx, member_id), settings_in(tx)
    )


def save_shift(tx: Transaction, target: Shift, today: dt.date) -> dict[str, Any]:
    """Write ``target`` back (validated as a whole, over the version it was read at)."""
    doc = validate_shift(target.to_doc(), today=today)
    return tx.update(SHIFTS, target.id, doc, target.version)


def assign(
    db: Database, actor: Actor, shift_id: str, member_id: str, *, override: str = ""
) -> dict[str, Any]:
    """Put ``member_id`` on the shift; RuleBroken if a rule stands in the way.

    ``override`` is a coordinator's reason for going ahead despite rules that allow it; it
    never overrides a full or cancelled shift, nor an archived, transferred or deceased member.
    """
    require(actor, Action.EDIT_SCHEDULE)
    reason = clean_line(override).strip()
    if len(reason) > OVERRIDE_MAX:
        raise ValidationError(
            {"override": _("At most {count} characters, please.").format(count=OVERRIDE_MAX)}
        )
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        problems = rule_problems(tx, target, member_id)
        if problems and (any(p.hard for p in problems) or not reason):
            raise RuleBroken(problems)
        place = Assignment(member_id=member_id, override=reason if problems else "")
        target.assignments.append(place)
        return save_shift(tx, target, db.today())


def unassign(db: Database, actor: Actor, shift_id: str, member_id: str) -> dict[str, Any]:
    """Take a member off a shift (coordinators; a volunteer offers a swap instead)."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        if target.assignment(member_id) is None:
            raise NotFound(_("That member is no longer on this shift."))
        target.assignments = [a for a in target.assignments if a.member_id != member_id]
        return save_shift(tx, target, db.today())


def check_in(
    db: Database,
    actor: Actor,
    shift_id: str,
    statuses: Mapping[str, AssignmentStatus],
    *,
    expected: Mapping[str, AssignmentStatus] | None = None,
) -> dict[str, Any]:
    """Record who came (present, absent, excused) for the members in ``statuses``, in one step.

    Coordinators check in anyone; a volunteer only themselves, and only when the setting
    allows it. Only on the shift's day or later: nobody is present at a future patrol.

    ``expected`` is each marked member's status as the check-in list showed it before the
    person changed it: when another session has marked one of them otherwise since, nothing is
    saved and Conflict says so (holding the shift as stored), so a mark saved elsewhere is never
    overwritten unseen. Without it the marks are written whatever is stored.
    """
    require(actor, Action.CHECK_IN)
    others = {m for m in statuses if m != actor.member_id}
    if others and not allowed(actor, Action.CHECK_IN_OTHERS):
        require(actor, Action.CHECK_IN_OTHERS)  # raises with the sentence for it
    with db.transaction(actor) as tx:
        if (
            not others
            and not allowed(actor, Action.CHECK_IN_OTHERS)
            and not settings_in(tx).patrol_self_check_in
        ):
            raise PermissionDenied(_("Volunteers can't check themselves in; ask a coordinator."))
        target = shift_from_tx(tx, shift_id)
        today = db.today()
        if target.date is not None and target.date > today:
            raise ValidationError(
                {
                    "date": _("This shift is on {date}: check in on the day.").format(
                        date=target.date.isoformat()
                    )
                }
            )
        places = {}
        for member_id in statuses:
            place = target.assignment(member_id)
            if place is None:
                raise NotFound(_("That member is no longer on this shift."))
            places[member_id] = place
        if expected is not None and any(
            member_id in expected and place.status != expected[member_id]
            for member_id, place in places.items()
        ):
            raise Conflict(
                _("Someone else checked people in on this shift since you began."),
                SHIFTS,
                shift_id,
                tx.find(SHIFTS, shift_id) or {},
            )
        for member_id, status in statuses.items():
            places[member_id].status = AssignmentStatus(status)
        return save_shift(tx, target, today)


# -- the assign list --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One member in the assign list: who, how much they patrolled, what stands in the way."""

    member_id: str
    name: str
    fairness: Fairness
    problems: tuple[Problem, ...]
    in_team: bool

    @property
    def blocked(self) -> bool:
        return bool(self.problems)

    @property
    def hard(self) -> bool:
        return any(p.hard for p in self.problems)


class CandidateIndex:
    """Everything the assign list needs for one shift, built once; :meth:`search` per key.

    Built from a snapshot in a worker: the fairness of every member in one pass over the
    shifts, and each current member's search text (the roster's, through the privacy view)
    in roster order (store/members/ops.py ``roster_rows``: pinyin keys computed for a member
    stored without them).
    """

    def __init__(self, snapshot: Snapshot, actor: Actor, shift_id: str) -> None:
        from store.privacy import member_view

        target_doc = snapshot.get(SHIFTS, shift_id)
        if target_doc is None:
            raise NotFound(_("That shift no longer exists; someone may have deleted it."))
        self.shift = Shift.from_doc(target_doc)
        self.settings = settings_ops.current(snapshot)
        day = self.shift.date or dt.date.today()
        self.day = day
        shifts = all_shifts(snapshot)
        self.fair = fairness(shifts, day)
        self._by_member: dict[str, list[Shift]] = {}
        for item in shifts:
            for place in item.assignments:
                self._by_member.setdefault(place.member_id, []).append(item)
        team_doc = snapshot.get(TEAMS, self.shift.team_id) if self.shift.team_id else None
        self.team_ids = set(team_doc.get("member_ids") or ()) if team_doc else set()
        current = [
            doc
            for doc in snapshot.all("members")
            if doc.get("status", MemberStatus.ACTIVE) == MemberStatus.ACTIVE
        ]
        self._rows = roster_rows(current, lambda doc: member_view(doc, actor))

    def candidate(self, doc: Mapping[str, Any]) -> Candidate:
        member_id = str(doc.get("id"))
        problems = check(self.shift, doc, self._by_member.get(member_id, ()), self.settings)
        return Candidate(
            member_id=member_id,
            name=clean_line(str(doc.get("name") or "")),
            fairness=self.fair.get(member_id, Fairness()),
            problems=tuple(problems),
            in_team=member_id in self.team_ids,
        )

    def search(self, query: str = "", *, limit: int = 200) -> list[Candidate]:
        """Members matching ``query`` (the roster's search), fairest first.

        With no query and a team that has members, the team; otherwise everyone current.
        Those already on the shift are left out; those a rule blocks come after the rest.
        """
        match = make_matcher(query)
        docs = [
            row.doc
            for row in self._rows
            if match(row.blob)
            and (query or not self.team_ids or row.doc.get("id") in self.team_ids)
            and self.shift.assignment(str(row.doc.get("id"))) is None
        ]
        found = [self.candidate(doc) for doc in docs]
        # Stable: equally fair members stay in roster (pinyin) order.
        found.sort(key=lambda c: (c.hard, c.blocked, *c.fairness.sort_key(self.day)))
        return found[:limit]
