"""What a study-hour meter needs of each member beyond the members' read model: their branch
and whether (and why) they are exempt, kept per version of the file and followed through
changes.

The behind-pace list and the yearly report go through every current member. Reading each
member's fields from the file for that (the members table is on disk: store/engine/snapshot.py)
cost more than the list's whole budget at 5,000 members, so the list walks the members' shared
read model (:func:`store.members.summary.members_of`: id, name, category, status) and takes the
rest from here. Few members differ in these fields, so each distinct (branch, exempt, reason)
is one shared tuple and a member costs one dictionary entry, keyed by the read model's own id
string (nothing is held twice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Self

from store.engine.audit import Change
from store.engine.snapshot import Snapshot
from store.enums import ExemptReason, coerce
from store.members.summary import members_of

TABLE = "members"
MEMO = "training.roll"
FIELDS = ("id", "branch", "exempt_hours", "exempt_reason")


class Extra(NamedTuple):
    """A member's branch, whether they are exempt from study hours, and why."""

    branch: str
    exempt: bool
    reason: ExemptReason | None


NO_EXTRA = Extra("", False, None)


def extra_of(doc: Mapping[str, Any], shared: dict[Extra, Extra]) -> Extra:
    """A stored member's :class:`Extra` (one shared tuple per distinct value)."""
    branch = doc.get("branch")
    exempt = doc.get("exempt_hours") is True
    reason = coerce(ExemptReason, doc.get("exempt_reason")) if exempt else None
    extra = Extra(branch if isinstance(branch, str) else "", exempt, reason)
    return shared.setdefault(extra, extra)


class Roll:
    """Each member's :class:`Extra` by id (members with none are absent). Never changed once
    made: :meth:`follow` returns a new one.

    A followed roll is the roll it came from (``base``, shared, never changed) and the members
    changed since (``changes``: id -> Extra, or None for none now): a save costs its members,
    not a copy of 20,000 entries. After :data:`~store.members.summary.COMPACT` changes it is
    made whole again (one copy every so many saves), as the members' model is.
    """

    def __init__(
        self,
        extras: dict[str, Extra],
        changes: dict[str, Extra | None] | None = None,
        shared: dict[Extra, Extra] | None = None,
    ) -> None:
        self._base = extras
        self._changes = changes or {}
        # One tuple per distinct value, kept by every roll followed from this one (a value only
        # ever gets added; a few dozen at most).
        self._shared = shared if shared is not None else {e: e for e in extras.values()}

    @property
    def extras(self) -> dict[str, Extra]:
        """Every member with an :class:`Extra`, by id (made whole on first use after a change)."""
        if self._changes:
            whole = {**self._base, **self._changes}
            self._base = {k: v for k, v in whole.items() if v is not None}
            self._changes = {}
        return self._base

    def get(self, member_id: str) -> Extra:
        """The member's branch and exemption (:data:`NO_EXTRA` for none)."""
        changes = self._changes  # read once: another thread may make the roll whole meanwhile
        if member_id in changes:
            return changes[member_id] or NO_EXTRA
        return self._base.get(member_id, NO_EXTRA)

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The roll after ``changes`` (see store/engine/snapshot.py ``Follower``)."""
        from store.members.summary import COMPACT

        mine = [change for change in changes if change.table == TABLE]
        if not mine:
            return self
        now = dict(self._changes)
        for change in mine:
            if change.op == "delete" or change.after is None:
                now[change.record_id] = None
                continue
            member_id = change.after.get("id")
            if not isinstance(member_id, str):
                return None
            extra = extra_of(change.after, self._shared)
            now[member_id] = None if extra == NO_EXTRA else extra
        made = type(self)(self._base, now, self._shared)
        if len(now) > COMPACT:
            made.extras  # noqa: B018 -- made whole again: one copy every COMPACT changes
        return made


def build(snapshot: Snapshot) -> Roll:
    """Read the few fields of every member of ``snapshot`` (one pass, in pieces)."""
    members = members_of(snapshot)
    shared: dict[Extra, Extra] = {}
    extras: dict[str, Extra] = {}
    for doc in snapshot.fields(TABLE, FIELDS):
        member_id = doc.get("id")
        extra = extra_of(doc, shared)
        if isinstance(member_id, str) and extra != NO_EXTRA:
            extras[members.canonical(member_id)] = extra
    members.drop_index()  # needed for this pass only: the keys are the members' own strings
    return Roll(extras)


def roll_of(snapshot: Snapshot) -> Roll:
    """The members' branches and exemptions in ``snapshot``, built once per version."""
    return snapshot.memo(MEMO, build)
