"""Deleting a member for good takes what belongs to them, in the same transaction, and leaves
nothing pointing at nobody: ``shequ check`` stays clean."""

from __future__ import annotations

from typing import Any

import pytest

from store import demo
from store.actor import Actor
from store.engine import audit
from store.engine.check import check
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import Conflict
from store.members import ops as members
from store.members.belongings import belongings
from store.named import keyed


def _community(db: Database, actor: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two members; the first has something in every table that can point at a member."""
    gone = members.add(db, actor, {"name": "王芳", "phone": "13800000001"})
    stays = members.add(db, actor, {"name": "李四", "phone": "13800000002"})
    a, b = gone["id"], stays["id"]
    with db.transaction(actor) as tx:
        for who, day in ((a, "2024-01-02"), (a, "2024-01-03"), (b, "2024-01-04")):
            tx.insert("contacts", {"member_id": who, "date": day, "method": "phone"})
        tx.insert("certificates", {"member_id": a, "name": "红十字救护员证"})
        tx.insert("certificates", {"member_id": b, "name": "消防证"})
        tx.insert(
            "shifts",
            {"date": "2024-01-05", "assignments": [{"member_id": a}, {"member_id": b}]},
        )
        tx.insert("shifts", {"date": "2024-01-06", "assignments": [{"member_id": a}]})
        tx.insert("shifts", {"date": "2024-01-07", "assignments": [{"member_id": b}]})
        tx.insert(
            "trainings",
            {"title": "党课", "attendance": [{"member_id": a, "hours": 2}, {"member_id": b}]},
        )
        tx.insert("teams", keyed({"name": "一队", "leader_id": a, "member_ids": [a, b]}, "teams"))
        tx.insert("users", {"username": "wang", "member_id": a, "role": "volunteer"})
    return gone, stays


def test_belongings_are_counted_for_the_dialog(db: Database, actor: Actor) -> None:
    gone, _stays = _community(db, actor)
    things = belongings(db.snapshot(), gone["id"])
    assert {t: things.count(t) for t in ("contacts", "certificates", "shifts", "trainings")} == {
        "contacts": 2,
        "certificates": 1,
        "shifts": 2,
        "trainings": 1,
    }
    assert things.removed() == [
        "2 contacts",
        "1 certificate",
        "2 shift places",
        "1 training record",
        "1 team membership",
    ]
    assert things.accounts == 1


def test_a_deleted_member_takes_their_records_with_them(
    db: Database, actor: Actor, admin: Actor
) -> None:
    gone, stays = _community(db, actor)
    a, b = gone["id"], stays["id"]
    before = {t: db.snapshot().count(t) for t in ("contacts", "certificates", "shifts")}
    members.delete(db, admin, a, gone["version"])

    snap = db.snapshot()
    assert snap.get("members", a) is None
    assert [c["member_id"] for c in snap.all("contacts")] == [b]
    assert [c["member_id"] for c in snap.all("certificates")] == [b]
    assert snap.count("contacts") == before["contacts"] - 2
    # The shifts and the session stay for the others; only the member's places go.
    assert [[x["member_id"] for x in s["assignments"]] for s in snap.all("shifts")] == [
        [b],
        [],
        [b],
    ]
    [session] = snap.all("trainings")
    assert [x["member_id"] for x in session["attendance"]] == [b]
    [team] = snap.all("teams")
    assert (team["leader_id"], team["member_ids"]) == ("", [b])
    [account] = snap.all("users")
    assert (account["username"], account["member_id"]) == ("wang", "")
    assert check(db) == []

    # One transaction: one commit, every record it touched logged under it.
    entries = list(audit.read(db.audit_path))
    deletion = [e for e in entries if e["tx"] == entries[-1]["tx"]]
    assert {(e["op"], e["table"]) for e in deletion} == {
        ("delete", "members"),
        ("delete", "contacts"),
        ("delete", "certificates"),
        ("update", "shifts"),
        ("update", "trainings"),
        ("update", "teams"),
        ("update", "users"),
    }
    assert len(deletion) == 1 + 2 + 1 + 2 + 1 + 1 + 1


def test_a_stale_delete_removes_nothing(db: Database, actor: Actor, admin: Actor) -> None:
    gone, _stays = _community(db, actor)
    members.set_status(db, actor, gone["id"], MemberStatus.ARCHIVED, gone["version"])
    counts = {t: db.snapshot().count(t) for t in ("members", "contacts", "certificates")}
    with pytest.raises(Conflict):
        members.delete(db, admin, gone["id"], gone["version"])
    assert {t: db.snapshot().count(t) for t in counts} == counts


def test_deleting_demo_members_keeps_the_check_clean(db: Database, admin: Actor) -> None:
    """The issue's case: the demo's members have contacts, certificates, shifts and training."""
    demo.make_demo(db, admin, members=60, seed=3)
    snap = db.snapshot()
    holders = {c["member_id"] for c in snap.all("certificates")}
    patrollers = {a["member_id"] for s in snap.all("shifts") for a in s["assignments"]}
    [busiest, *_] = sorted(
        (m for m in snap.all("members") if m["id"] in holders & patrollers),
        key=lambda m: -sum(t.count(m["id"]) for t in map(str, snap.all("trainings"))),
    )
    things = belongings(snap, busiest["id"])
    assert things.count("certificates") and things.count("shifts")
    members.delete(db, admin, busiest["id"], busiest["version"])
    assert belongings(db.snapshot(), busiest["id"]).counts == {}
    assert check(db) == []
