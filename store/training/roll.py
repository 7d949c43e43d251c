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
    made: :meth:`follow` returns a new one."""

    def __init__(self, extras: dict[str, Extra]) -> None:
        self.extras = extras

    def get(self, member_id: str) -> Extra:
        """The member's branch and exemption (:data:`NO_EXTRA` for none)."""
        return self.extras.get(member_id, NO_EXTRA)

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The roll after ``changes`` (see store/engine/snapshot.py ``Follower``)."""
        mine = [change for change in changes if change.table == TABLE]
        if not mine:
            return self
        extras = dict(self.extras)
        shared = {extra: extra for extra in extras.values()}
        for change in mine:
            if change.op == "delete" or change.after is None:
                extras.pop(change.record_id, None)
                continue
            member_id = change.after.get("id")
            if not isinstance(member_id, str):
                return None
            extra = extra_of(change.after, shared)
            if extra == NO_EXTRA:
                extras.pop(member_id, None)
            else:
                extras[member_id] = extra
        return type(self)(extras)


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
