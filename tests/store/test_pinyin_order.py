"""Lists naming members follow the roster's (pinyin) order, not the names' code points.

By code point 张 (U+5F20) < 曾 (U+66FE) < 李 (U+674E) < 王 (U+738B) < 赵 (U+8D75); volunteers
read 李 王 曾 张 赵 (li, wang, zeng, zhang, zhao). The members below are added in code-point
order, so a list left in the file's order or sorted by name fails too. Real files in tmp folders.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.contacts.lapsing import lapsing_head
from store.engine.database import Database
from store.members import ops as members
from store.settings.ops import current
from store.training import ops as training
from store.training.certificates import expiring, listing

ADMIN = Actor("root", Role.ADMIN)
NOON = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)
LATER = date(2027, 7, 2)  # everyone added at NOON is overdue by then, all since one day
BY_CODE_POINT = ["张伟", "曾敏", "李娜", "王芳", "赵磊"]
PINYIN = ["李娜", "王芳", "曾敏", "张伟", "赵磊"]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json", clock=lambda: NOON)


def add_people(db: Database) -> dict[str, str]:
    assert sorted(BY_CODE_POINT) == BY_CODE_POINT != PINYIN  # the test can fail
    return {name: str(members.add(db, ADMIN, {"name": name})["id"]) for name in BY_CODE_POINT}


def lapsing_names(db: Database, first: int) -> tuple[list[str], list[str]]:
    """The lapsing list (the reference rule) and the dashboard's followed head of it."""
    snap = db.snapshot()
    reference = [lapse.member.name for lapse in contacts.lapsing(snap, LATER, current(snap))]
    head = lapsing_head(snap, LATER, current(snap), first)[2]
    return reference, [lapse.member.name for lapse in head]


def test_members_out_of_touch_since_one_day_are_in_pinyin_order(db: Database) -> None:
    add_people(db)
    reference, head = lapsing_names(db, 8)
    assert reference == PINYIN
    assert head == PINYIN
    assert lapsing_names(db, 3)[1] == PINYIN[:3]


def test_the_followed_lapsing_head_equals_the_rule_after_saves_elsewhere(tmp_path: Path) -> None:
    """Another session renames and adds members: the head this session follows (ranked
    again per member, store/engine/ranking.py) equals lapsing() read afresh."""
    path = tmp_path / "s.json"
    writer, session = (Database(path, clock=lambda: NOON) for _ in range(2))
    people = add_people(writer)
    assert lapsing_names(session, 3)[1] == PINYIN[:3]
    members.update(writer, ADMIN, people["赵磊"], {"name": "柏磊"}, 1)  # bai: now first
    members.add(writer, ADMIN, {"name": "曹丽"})  # cao: second
    reference, head = lapsing_names(session, 3)
    fresh = lapsing_names(Database(path, clock=lambda: NOON), 3)[0]
    assert reference == fresh == ["柏磊", "曹丽", "李娜", "王芳", "曾敏", "张伟"]
    assert head == fresh[:3]
    contacts.add_contact(writer, ADMIN, people["李娜"], {"date": "2026-07-02"})  # same day
    reference, head = lapsing_names(session, 3)
    assert reference == ["柏磊", "曹丽", "李娜", "王芳", "曾敏", "张伟"]  # since the same day
    assert head == reference[:3]


def test_certificates_expiring_on_one_day_list_their_holders_in_pinyin_order(
    db: Database,
) -> None:
    people = add_people(db)
    for name in BY_CODE_POINT:
        raw = {"member_id": people[name], "kind": "first_aid", "name": "急救证"}
        training.add_certificate(db, ADMIN, raw | {"issued": "2024-01-01", "expires": "2026-07-20"})
    lone = {"member_id": people["赵磊"], "kind": "other", "name": "消防证", "issued": "2024-01-01"}
    training.add_certificate(db, ADMIN, lone | {"expires": "2026-07-10"})  # sooner: first
    snap = db.snapshot()
    today = date(2026, 7, 2)
    names = {member_id: name for name, member_id in people.items()}
    shown = listing(snap, ADMIN, today, current(snap))
    assert [names[s.certificate.member_id] for s in shown] == ["赵磊", *PINYIN]
    assert [s.certificate.name for s in shown][:2] == ["消防证", "急救证"]
    dashboard = expiring(snap, ADMIN, today, current(snap))
    assert [names[s.certificate.member_id] for s in dashboard] == ["赵磊", *PINYIN]


def test_one_name_twice_keeps_the_file_s_order_in_the_rule_and_the_followed_head(
    tmp_path: Path,
) -> None:
    """Full ties (one name twice) stay in the file's order in lapsing() and in the ranking
    followed through another session's saves, which breaks its ties so (its place)."""
    path = tmp_path / "s.json"
    writer, session = (Database(path, clock=lambda: NOON) for _ in range(2))
    first = str(members.add(writer, ADMIN, {"name": "张伟"})["id"])
    lina = str(members.add(writer, ADMIN, {"name": "李娜"})["id"])
    second = str(members.add(writer, ADMIN, {"name": "张伟"})["id"])

    def ids(db: Database) -> tuple[list[str], list[str]]:
        snap = db.snapshot()
        reference = contacts.lapsing(snap, LATER, current(snap))
        head = lapsing_head(snap, LATER, current(snap), 8)[2]
        return [lapse.member.id for lapse in reference], [lapse.member.id for lapse in head]

    assert ids(session) == ([lina, first, second], [lina, first, second])
    members.update(writer, ADMIN, lina, {"name": "赵娜"}, 1)  # zhao: after both 张伟
    members.update(writer, ADMIN, first, {"phone": "13800000000"}, 1)  # ranked again
    assert ids(session) == ([first, second, lina], [first, second, lina])
    assert ids(Database(path, clock=lambda: NOON)) == ids(session)
