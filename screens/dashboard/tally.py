"""The dashboard's roster line ("5,012 members · 410 mobile"), followed per member.

Counting walks every member (a few ms at 20,000); a save touches one or a few. The count is
kept with the version of the file with the members' read model it was counted on, and another
session's save of members moves it by those members alone: each one as it was (in that
model) taken out, as it is now (in the followed model) put in (store/engine/snapshot.py
``Follower``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

from store.engine.audit import Change
from store.engine.snapshot import Snapshot
from store.enums import Category
from store.members.summary import MEMO as MEMBERS
from store.members.summary import Members, MemberSummary, members_of

MEMO = "dashboard.counts"
MOBILE = frozenset({Category.MOBILE_IN.value, Category.MOBILE_OUT.value})


class RosterCount:
    """Current members and the mobile among them, in one version of the file."""

    __slots__ = ("_counted", "members", "mobile")

    def __init__(self, members: int, mobile: int, counted: Members) -> None:
        self.members = members
        self.mobile = mobile
        self._counted = counted

    @classmethod
    def build(cls, snapshot: Snapshot) -> RosterCount:
        counted = members_of(snapshot)  # the compact read model, shared with the roster
        members = mobile = 0
        for member in counted:
            members += member.current
            mobile += member.current and member.category in MOBILE
        return cls(members, mobile, counted)

    def follow(self, changes: Sequence[Change], followed: Mapping[str, Any]) -> Self | None:
        """The count after ``changes`` (store/engine/snapshot.py ``Follower``)."""
        ids = dict.fromkeys(change.record_id for change in changes if change.table == "members")
        if not ids:
            return self
        now = followed.get(MEMBERS)
        if not isinstance(now, Members):
            return None
        members, mobile = self.members, self.mobile
        for member_id in ids:
            for member, step in ((self._counted.get(member_id), -1), (now.get(member_id), 1)):
                if _counts(member):
                    members += step
                    mobile += step * (member is not None and member.category in MOBILE)
        return type(self)(members, mobile, now)


def _counts(member: MemberSummary | None) -> bool:
    return member is not None and member.current


def roster_count(snapshot: Snapshot) -> tuple[int, int]:
    """Current members and the mobile among them: built once per version, then followed."""
    found = snapshot.memo(MEMO, RosterCount.build)
    return found.members, found.mobile
