"""The study-hours index and the meters' roll: built once per version of the file, and after
a save in this session followed through its changes, always equal to one built afresh from
the file (real files in tmp folders; Hypothesis for random sequences of saves)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.engine.storage
from store.actor import Actor, Role
from store.engine.database import Database, Snapshot
from store.members import ops as members
from store.training import hours, index, ops, roll

ADMIN = Actor("root", Role.ADMIN)
NOON = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)
TODAY = date(2026, 7, 2)


FOLLOWED_SAVES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
"""For the random sequences of saves: each example writes real files, so a few and no deadline."""


def at_noon(path: Path) -> Database:
    """A session on the file at ``path`` whose clock says noon on 2 July 2026."""
    return Database(path, clock=lambda: NOON)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return at_noon(tmp_path / "s.json")


def afresh(db: Database) -> Snapshot:
    """The same file read by a session that has built nothing yet."""
    return at_noon(db.path).snapshot()


def followed_index(snapshot: Snapshot) -> index.StudyIndex:
    """The study index ``snapshot`` carries; the test fails if it would be built again."""
    return snapshot.memo(index.MEMO, lambda _s: pytest.fail("the index built again"))


def followed_roll(snapshot: Snapshot) -> roll.Roll:
    """The meters' roll ``snapshot`` carries; the test fails if it would be built again."""
    return snapshot.memo(roll.MEMO, lambda _s: pytest.fail("the roll built again"))


def same(followed: index.StudyIndex, built: index.StudyIndex) -> None:
    for name in ("hours", "service"):
        mine, theirs = getattr(followed, name), getattr(built, name)
        assert mine.keys() == theirs.keys(), name
        for year, by_member in theirs.items():
            assert mine[year] == pytest.approx(by_member), (name, year)


def test_a_save_is_followed_not_summed_again(db: Database) -> None:
    a, b = (str(members.add(db, ADMIN, {"name": n})["id"]) for n in ("甲", "乙"))
    raw = {"title": "主题党日", "kind": "theme_day", "date": "2026-03-01", "hours": "2"}
    doc = ops.add_session(db, ADMIN, raw | {"service_hours": "3"})
    before = index.study_index(db.snapshot())
    assert before.member(a, 2026) == 0
    ops.record_attendance(db, ADMIN, doc["id"], {a: "present", b: "absent"}, doc["version"])
    followed = followed_index(db.snapshot())
    assert followed is not before  # a new model; the old one unchanged for its readers
    assert before.member(a, 2026) == 0
    assert (followed.member(a, 2026), followed.served(a, 2026)) == (2, 3)
    assert (followed.member(b, 2026), followed.served(b, 2026)) == (0, 0)
    same(followed, index.build(afresh(db)))
    # The next save gives a new model again; the one screens may still be reading stays.
    version = db.snapshot().get("trainings", doc["id"])["version"]
    ops.record_attendance(db, ADMIN, doc["id"], {b: "present"}, version)
    assert (followed.member(b, 2026), followed.served(b, 2026)) == (0, 0)
    assert index.study_index(db.snapshot()).member(b, 2026) == 2
    snapshot = db.snapshot()
    # Moving the session into last year takes its hours (and service) along.
    current = snapshot.get("trainings", doc["id"])
    assert current is not None
    ops.update_session(db, ADMIN, doc["id"], raw | {"date": "2025-12-31"}, current["version"])
    moved = index.study_index(db.snapshot())
    assert (moved.member(a, 2026), moved.member(a, 2025), moved.served(a, 2025)) == (0, 2, 3)
    same(moved, index.build(afresh(db)))
    ops.delete_session(db, ADMIN, doc["id"], db.snapshot().get("trainings", doc["id"])["version"])
    assert index.study_index(db.snapshot()).hours == {}


def test_a_member_change_is_followed_by_the_roll(db: Database) -> None:
    a = str(members.add(db, ADMIN, {"name": "甲", "branch": "一支部"})["id"])
    assert roll.roll_of(db.snapshot()).get(a) == roll.Extra("一支部", False, None)
    members.update(
        db, ADMIN, a, {"exempt_hours": "yes", "exempt_reason": "ill", "branch": "二支部"}, 1
    )
    snapshot = db.snapshot()
    followed = followed_roll(snapshot)
    assert followed.get(a) == roll.build(afresh(db)).get(a)
    assert followed.get(a).branch == "二支部" and followed.get(a).exempt
    assert hours.branches(snapshot) == ["二支部"]
    assert hours.behind_pace(snapshot, ADMIN, 2026, TODAY) == []  # exempt: never behind


MARKS = st.sampled_from(["present", "absent", "excused", None])
saves = st.lists(
    st.tuples(
        st.integers(0, 2),  # which session
        st.dictionaries(st.integers(0, 3), MARKS, max_size=4),  # which members, what mark
        st.sampled_from(["", "2025-12-31", "2026-01-01", "2026-06-30"]),  # a new date, or not
    ),
    min_size=1,
    max_size=6,
)


@FOLLOWED_SAVES
@given(saves)
def test_any_sequence_of_saves_follows_to_a_fresh_build(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, dict[int, Any], str]]
) -> None:
    db = at_noon(tmp_path_factory.mktemp("follow") / "s.json")
    people = [str(members.add(db, ADMIN, {"name": f"人{i}"})["id"]) for i in range(4)]
    sessions = [
        ops.add_session(
            db,
            ADMIN,
            {"title": f"课{n}", "date": "2026-03-01", "hours": str(n + 1), "service_hours": "1"},
        )["id"]
        for n in range(3)
    ]
    index.study_index(db.snapshot())  # built once; every save below is followed
    for which, marks, day in steps:
        doc = db.snapshot().get("trainings", sessions[which])
        assert doc is not None
        if day:
            raw = {"title": doc["title"], "date": day, "hours": str(doc["hours"])}
            doc = ops.update_session(db, ADMIN, doc["id"], raw, doc["version"])
        chosen = {people[i]: mark for i, mark in marks.items()}
        if chosen:
            ops.record_attendance(db, ADMIN, doc["id"], chosen, doc["version"])
        same(followed_index(db.snapshot()), index.build(afresh(db)))


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_hand_edited_session_is_read_tolerantly(
    db: Database, monkeypatch: pytest.MonkeyPatch, on_disk: bool
) -> None:
    if on_disk:  # the sessions read from the file in pieces, as a big table is
        monkeypatch.setattr(store.engine.storage, "SMALL", 200)
    a = str(members.add(db, ADMIN, {"name": "甲"})["id"])
    odd = [
        {"member_id": a, "status": "present", "hours": True},  # not a number: nothing
        {"member_id": 5, "status": "present", "hours": 2},  # not an id: skipped
        {"member_id": a, "status": None, "hours": 2},  # no such status: nothing
        "not a mark",
        {"member_id": a, "hours": 1.5},  # no status: present
        {"member_id": a, "status": "make_up", "hours": 1, "date": "2027-01-02"},
    ]
    with db.transaction(ADMIN) as tx:
        tx.insert("trainings", {"title": "手改", "date": "2026-05-01", "attendance": odd})
        tx.insert("trainings", {"title": "好的", "date": "2026-06-01", "attendance": odd[-2:]})
    assert (afresh(db)._version.table("trainings") is None) is on_disk
    built = index.build(afresh(db))
    assert built.hours == {2026: {a: 3.0}, 2027: {a: 2.0}}
    assert hours.member_total(afresh(db), a, 2026) == 3.0


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_members_history_reads_the_sessions_that_mention_them(
    db: Database, monkeypatch: pytest.MonkeyPatch, on_disk: bool
) -> None:
    if on_disk:  # only the lines holding the member's id are parsed
        monkeypatch.setattr(store.engine.storage, "SMALL", 200)
    from store.training.sessions import attended

    a, b = (str(members.add(db, ADMIN, {"name": n})["id"]) for n in ("甲", "乙"))
    for n, marks in enumerate([{a: "present"}, {b: "present"}, {a: "excused", b: "absent"}]):
        raw = {"title": f"课{n}", "date": f"2026-0{n + 1}-01", "hours": "2", "note": f"提到 {a}"}
        doc = ops.add_session(db, ADMIN, raw)
        ops.record_attendance(db, ADMIN, doc["id"], marks, doc["version"])
    snapshot = afresh(db)
    assert (snapshot._version.table("trainings") is None) is on_disk
    assert [(x.session.title, x.status.value) for x in attended(snapshot, ADMIN, a)] == [
        ("课2", "excused"),
        ("课0", "present"),
    ]
    assert [x.session.title for x in attended(snapshot, ADMIN, b)] == ["课2", "课1"]


def test_another_sessions_save_is_followed_through_the_change_log(db: Database) -> None:
    """Issue 23: a save in another session reaches this one's index as its changes (read from
    the change log), not as a rebuild, and equals an index built afresh."""
    a = str(members.add(db, ADMIN, {"name": "甲"})["id"])
    raw = {"title": "主题党日", "kind": "theme_day", "date": "2026-03-01", "hours": "2"}
    doc = ops.add_session(db, ADMIN, raw | {"service_hours": "3"})
    before = index.study_index(db.snapshot())
    roll.roll_of(db.snapshot())
    other = at_noon(db.path)
    ops.record_attendance(other, ADMIN, doc["id"], {a: "present"}, doc["version"])
    members.update(other, ADMIN, a, {"branch": "第二支部"}, 1)
    snapshot = db.snapshot()
    followed = followed_index(snapshot)
    assert before.member(a, 2026) == 0
    assert (followed.member(a, 2026), followed.served(a, 2026)) == (2, 3)
    same(followed, index.build(afresh(db)))
    branch = followed_roll(snapshot).get(a)
    assert branch == roll.build(afresh(db)).get(a)
    assert branch.branch == "第二支部"


def test_the_checklist_lists_members_in_the_rosters_order(db: Database) -> None:
    """Surnames together, by the surname's reading (as the roster and a printed 花名册): the
    first full spelling alone would put 黎淑玉 (li shu yu) between 李佳 and 李四明."""
    from store.training.model import TrainingSession
    from store.training.sessions import audience

    for name in ("黎淑玉", "李四明", "林德", "李佳"):
        members.add(db, ADMIN, {"name": name})
    doc = ops.add_session(
        db, ADMIN, {"title": "党课", "kind": "theory", "date": "2026-03-01", "hours": "2"}
    )
    session = TrainingSession.from_doc(dict(db.snapshot().get("trainings", doc["id"]) or {}))
    names = [m.name for m in audience(db.snapshot(), ADMIN, session)]
    assert names == ["李佳", "李四明", "黎淑玉", "林德"]


# One member's save: which member (of 5; a fresh one is added when absent), their branch, and
# whether they are exempt; or None: delete them.
member_saves = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.one_of(
            st.none(),
            st.tuples(st.sampled_from(["", "一支部", "二支部"]), st.booleans()),
        ),
    ),
    min_size=1,
    max_size=8,
)


@FOLLOWED_SAVES
@given(member_saves)
def test_the_roll_follows_any_members_saves_without_copying_itself(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, tuple[str, bool] | None]]
) -> None:
    """Another session's member saves reach the roll as its changes: it equals a roll built
    afresh after each one, and it keeps the roll it came from as its base (a save costs its
    members, not a copy of every member's entry)."""
    db = at_noon(tmp_path_factory.mktemp("roll") / "s.json")
    other = at_noon(db.path)
    members.add(db, ADMIN, {"name": "原有", "branch": "一支部"})  # a file to follow from
    ids: dict[int, str] = {}
    first = roll.roll_of(db.snapshot())
    for which, save in steps:
        member_id = ids.get(which)
        if save is None:
            if member_id is not None:
                version = other.snapshot().get("members", member_id)["version"]
                members.delete(other, ADMIN, member_id, version)
                del ids[which]
            continue
        branch, exempt = save
        raw = {"branch": branch, "exempt_hours": "yes" if exempt else "no"}
        if exempt:
            raw["exempt_reason"] = "ill"
        if member_id is None:
            ids[which] = str(members.add(other, ADMIN, {"name": f"人{which}", **raw})["id"])
        else:
            version = other.snapshot().get("members", member_id)["version"]
            members.update(other, ADMIN, member_id, raw, version)
        followed = followed_roll(db.snapshot())
        fresh = roll.build(afresh(db))
        for member_id in ids.values():
            assert followed.get(member_id) == fresh.get(member_id)
        assert followed._base is first._base  # not copied
    followed = followed_roll(db.snapshot())
    assert followed.extras == roll.build(afresh(db)).extras
