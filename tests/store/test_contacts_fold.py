"""The contact fold follows another session's contact saves without copying itself (issue 23):
a save costs its member, not a copy of every contacted member's entry, and the fold equals one
built afresh; a member deleted takes their entries along. Real files in tmp folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.contacts.summary import MEMO, build, contacts_of
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members

ADMIN = Actor("root", Role.ADMIN)


def test_contact_saves_elsewhere_follow_on_the_same_base(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    other, session = Database(path), Database(path)
    ids = [str(members.add(other, ADMIN, {"name": f"人{i}"})["id"]) for i in range(4)]
    contacts.add_contact(other, ADMIN, ids[0], {"date": "2026-01-02"})
    first = contacts_of(session.snapshot())
    contacts.add_contact(other, ADMIN, ids[1], {"date": "2026-02-03"})
    contacts.add_contact(other, ADMIN, ids[0], {"date": "2026-03-04"})
    doomed = contacts.add_contact(other, ADMIN, ids[2], {"date": "2026-04-05"})
    contacts.add_contact(other, ADMIN, ids[2], {"date": "2026-05-06"})
    assert doomed["member_id"] == ids[2]
    members.set_status(other, ADMIN, ids[2], MemberStatus.ARCHIVED, 1)
    members.delete(other, ADMIN, ids[2], 2)  # their two entries go with them
    snapshot = session.snapshot()
    followed = snapshot.memo(MEMO, lambda _s: pytest.fail("built again"))
    assert followed._base is first._base  # not copied
    fresh = build(Database(path).snapshot())
    for member_id in ids:
        assert followed.get(member_id) == fresh.get(member_id)
    assert str(followed.last(ids[0])) == "2026-03-04" and followed.get(ids[2]) is None
    assert followed.by_member == fresh.by_member
