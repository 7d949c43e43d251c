"""Every mutating store call against every role: refused ones change nothing, allowed ones work.

Roles are enforced in the store, not only by hiding keys, so this matrix is what stands between
a volunteer and the roster whatever a screen or a command forgets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import demo
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import AssignmentStatus, MemberStatus
from store.errors import PermissionDenied
from store.members import ops as members
from store.patrols import assign, swaps, templates
from store.patrols import ops as patrols
from store.permissions import Action, allowed, refusal, require
from store.settings import ops as settings
from store.training import ops as training
from store.users import ops as users
from tests.store.conftest import FakeClock

ROOT = Actor("os:root", Role.ADMIN)
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR})
ADMINS = frozenset({Role.ADMIN})


@dataclass
class World:
    """A small database with one of everything an operation may act on."""

    db: Database
    member: dict[str, Any]
    contact: dict[str, Any]
    backup: Path
    patrol: dict[str, str]  # ids of a zone, team, template and shifts in each swap state
    session: dict[str, Any]
    certificate: dict[str, Any]


@pytest.fixture(autouse=True)
def _no_failure_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def world(tmp_path: Path, clock: FakeClock) -> World:
    db = Database(tmp_path / "data" / "s.json", clock=clock)
    member = members.add(db, ROOT, {"name": "张三", "phone": "13800000001"})
    contact = contacts.add_contact(db, ROOT, member["id"], {"date": "2024-01-02"})
    for name, role in (("root", Role.ADMIN), ("target", Role.VOLUNTEER), ("off", Role.ADMIN)):
        users.add_user(db, ROOT, username=name, display_name=name, role=role, secret="2468")
    users.set_disabled(db, ROOT, "off", True)
    with db.transaction(ROOT) as tx:  # "target" has mistyped twice: there is a count to clear
        target = next(u for u in tx.all("users") if u["username"] == "target")
        tx.update("users", target["id"], {"failed_attempts": 2}, target["version"])
    other = members.add(db, ROOT, {"name": "李四"})
    patrol = _patrol_records(db, member["id"], other["id"])
    session = training.add_session(db, ROOT, {"title": "党课", "date": "2024-01-05", "hours": 2})
    certificate = training.add_certificate(
        db, ROOT, {"member_id": member["id"], "name": "救护员证", "issued": "2023-01-01"}
    )
    backup = db.backup()
    return World(db, member, contact, backup, patrol, session, certificate)


def _patrol_records(db: Database, member_id: str, other_id: str) -> dict[str, str]:
    """A zone, a team, a template and shifts today: plain, offered, awaiting approval, swapped."""
    today = db.today().isoformat()
    base = {"date": today, "start": "19:00", "end": "21:00", "min_people": 1, "max_people": 3}
    places = {
        "shift": [{"member_id": member_id, "status": "scheduled"}],
        "offered": [{"member_id": member_id, "status": "scheduled", "offered": True}],
        "pending": [
            {"member_id": member_id, "status": "scheduled", "offered": True, "taker_id": other_id}
        ],
        "swapped": [{"member_id": other_id, "status": "scheduled", "swapped_from": member_id}],
    }
    ids = {"other": other_id}
    with db.transaction(ROOT) as tx:
        ids["zone"] = tx.insert("zones", {"name": "东区"})["id"]
        ids["team"] = tx.insert("teams", {"name": "一队"})["id"]
        ids["template"] = tx.insert(
            "shift_templates", {"weekdays": [1], "start": "19:00", "end": "21:00"}
        )["id"]
        for key, assignments in places.items():
            times = {"start": "08:00", "end": "09:00"} if key == "swapped" else {}
            ids[key] = tx.insert("shifts", {**base, **times, "assignments": assignments})["id"]
    return ids


Operation = Callable[[World, Actor], object]

OPERATIONS: dict[str, tuple[Operation, frozenset[Role]]] = {
    "members.add": (lambda w, a: members.add(w.db, a, {"name": "李四"}), STAFF),
    "members.update": (
        lambda w, a: members.update(w.db, a, w.member["id"], {"phone": "13900000002"}, 1),
        STAFF,
    ),
    "members.set_status": (
        lambda w, a: members.set_status(w.db, a, w.member["id"], MemberStatus.ARCHIVED, 1),
        STAFF,
    ),
    "members.delete": (lambda w, a: members.delete(w.db, a, w.member["id"], 1), ADMINS),
    "contacts.add_contact": (
        lambda w, a: contacts.add_contact(w.db, a, w.member["id"], {"date": "2024-01-05"}),
        STAFF,
    ),
    "contacts.delete_contact": (
        lambda w, a: contacts.delete_contact(w.db, a, w.contact["id"], 1),
        STAFF,
    ),
    "users.add_user": (
        lambda w, a: users.add_user(
            w.db, a, username="new", display_name="", role="volunteer", secret="1357"
        ),
        ADMINS,
    ),
    "users.reset_secret (someone else's)": (
        lambda w, a: users.reset_secret(w.db, a, "target", "9753"),
        ADMINS,
    ),
    "users.set_disabled": (lambda w, a: users.set_disabled(w.db, a, "target", True), ADMINS),
    "users.set_disabled (enable)": (
        lambda w, a: users.set_disabled(w.db, a, "off", False),
        ADMINS,
    ),
    "users.unlock": (lambda w, a: users.unlock(w.db, a, "target"), ADMINS),
    "users.update_user": (
        lambda w, a: users.update_user(w.db, a, "target", role="coordinator"),
        ADMINS,
    ),
    "settings.update": (
        lambda w, a: settings.update(w.db, a, {"community_name": "幸福里"}, 0),
        ADMINS,
    ),
    "training.add_session": (
        lambda w, a: training.add_session(
            w.db, a, {"title": "课", "date": "2024-01-06", "hours": 1}
        ),
        STAFF,
    ),
    "training.update_session": (
        lambda w, a: training.update_session(w.db, a, w.session["id"], {"hours": 3}, 1),
        STAFF,
    ),
    "training.delete_session": (
        lambda w, a: training.delete_session(w.db, a, w.session["id"], 1),
        STAFF,
    ),
    "training.record_attendance": (
        lambda w, a: training.record_attendance(
            w.db, a, w.session["id"], {w.member["id"]: "present"}, 1
        ),
        STAFF,
    ),
    "training.record_makeup": (
        lambda w, a: training.record_makeup(
            w.db, a, w.session["id"], w.member["id"], {"date": "2024-01-07"}, 1
        ),
        STAFF,
    ),
    "training.add_certificate": (
        lambda w, a: training.add_certificate(
            w.db, a, {"member_id": w.member["id"], "name": "证", "issued": "2023-02-01"}
        ),
        STAFF,
    ),
    "training.update_certificate": (
        lambda w, a: training.update_certificate(
            w.db, a, w.certificate["id"], {"issuer": "红十字会"}, 1
        ),
        STAFF,
    ),
    "training.delete_certificate": (
        lambda w, a: training.delete_certificate(w.db, a, w.certificate["id"], 1),
        STAFF,
    ),
    "Database.restore": (lambda w, a: w.db.restore(w.backup, a), ADMINS),
    "patrols.add_team": (lambda w, a: patrols.add_team(w.db, a, {"name": "二队"}), STAFF),
    "patrols.update_team": (
        lambda w, a: patrols.update_team(w.db, a, w.patrol["team"], {"archived": True}, 1),
        STAFF,
    ),
    "patrols.add_zone": (lambda w, a: patrols.add_zone(w.db, a, {"name": "西区"}), STAFF),
    "patrols.update_zone": (
        lambda w, a: patrols.update_zone(w.db, a, w.patrol["zone"], {"name": "北区"}, 1),
        STAFF,
    ),
    "patrols.add_shift": (
        lambda w, a: patrols.add_shift(
            w.db, a, {"date": "2024-01-09", "start": "8:00", "end": "9:00"}
        ),
        STAFF,
    ),
    "patrols.update_shift": (
        lambda w, a: patrols.update_shift(w.db, a, w.patrol["shift"], {"note": "x"}, 1),
        STAFF,
    ),
    "patrols.cancel_shift": (
        lambda w, a: patrols.cancel_shift(w.db, a, w.patrol["shift"], 1),
        STAFF,
    ),
    "assign.assign": (
        lambda w, a: assign.assign(w.db, a, w.patrol["offered"], w.patrol["other"]),
        STAFF,
    ),
    "assign.unassign": (
        lambda w, a: assign.unassign(w.db, a, w.patrol["shift"], w.member["id"]),
        STAFF,
    ),
    "assign.check_in": (
        lambda w, a: assign.check_in(
            w.db, a, w.patrol["shift"], {w.member["id"]: AssignmentStatus.PRESENT}
        ),
        STAFF,
    ),
    "swaps.offer": (
        lambda w, a: swaps.offer(w.db, a, w.patrol["shift"], w.member["id"]),
        STAFF,
    ),
    "swaps.take": (
        lambda w, a: swaps.take(w.db, a, w.patrol["offered"], w.member["id"], w.patrol["other"]),
        STAFF,
    ),
    "swaps.approve": (
        lambda w, a: swaps.approve(w.db, a, w.patrol["pending"], w.member["id"]),
        STAFF,
    ),
    "swaps.undo": (
        lambda w, a: swaps.undo(w.db, a, w.patrol["swapped"], w.patrol["other"]),
        STAFF,
    ),
    "templates.add_template": (
        lambda w, a: templates.add_template(
            w.db, a, {"weekdays": "周二", "start": "8:00", "end": "9:00"}
        ),
        STAFF,
    ),
    "templates.update_template": (
        lambda w, a: templates.update_template(
            w.db, a, w.patrol["template"], {"start": "9:00"}, 1, apply_to_future=True
        ),
        STAFF,
    ),
    "templates.archive_template": (
        lambda w, a: templates.archive_template(w.db, a, w.patrol["template"], 1),
        STAFF,
    ),
    "templates.generate": (
        lambda w, a: templates.generate(
            w.db, a, w.patrol["template"], w.db.today() + dt.timedelta(days=14)
        ),
        STAFF,
    ),
    "demo.make_demo": (lambda w, a: demo.make_demo(w.db, a, members=5), ADMINS),
}

CASES = [
    pytest.param(name, role, id=f"{name}-{role.value}") for name in OPERATIONS for role in Role
]


def _files(db: Database) -> dict[Path, bytes]:
    paths = [db.path, db.audit_path, *sorted(db.backup_dir.iterdir())]
    return {path: path.read_bytes() for path in paths}


@pytest.mark.parametrize(("name", "role"), CASES)
def test_each_role_may_do_only_what_it_is_allowed(world: World, name: str, role: Role) -> None:
    operation, allowed_roles = OPERATIONS[name]
    actor = Actor(f"someone-{role.value}", role, user_id="u-someone")
    if name == "demo.make_demo":  # a demo replaces only a demo
        with world.db.transaction(ROOT) as tx:
            tx.storage.data["_meta"]["1"] = {**tx.storage.data["_meta"]["1"], "demo": True}
            tx.storage.dirty = True
    before = _files(world.db)
    if role in allowed_roles:
        operation(world, actor)
        assert _files(world.db) != before
    else:
        with pytest.raises(PermissionDenied) as refused:
            operation(world, actor)
        assert str(refused.value)  # a sentence the UI shows as it is
        assert _files(world.db) == before


def test_the_matrix_covers_every_mutating_function() -> None:
    """A new write in these modules must join the matrix (or be read-only)."""
    import inspect

    covered = {name.split(" ")[0] for name in OPERATIONS}
    mutating = set()
    for module in (
        members,
        contacts,
        users,
        settings,
        training,
        demo,
        patrols,
        assign,
        swaps,
        templates,
    ):
        for fname, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or fname.startswith("_"):
                continue
            params = list(inspect.signature(func).parameters)
            if params[:2] == ["db", "actor"]:
                # OPERATIONS names a function as the module is imported here: "members.add_member"
                alias = module.__name__.removeprefix("store.").removesuffix(".ops")
                alias = alias.removeprefix("patrols.")
                mutating.add(f"{alias}.{fname}")
    assert mutating <= covered, mutating - covered


def test_everyone_may_change_their_own_pin(world: World) -> None:
    for role in Role:
        name = f"own-{role.value}"
        users.add_user(world.db, ROOT, username=name, display_name="", role=role, secret="2468")
        me = users.authenticate(world.db, name, "2468")
        users.reset_secret(world.db, me, name, "8642")
        assert users.authenticate(world.db, name, "8642") == me


def test_a_volunteer_cannot_reset_a_pin_by_guessing_names(world: World) -> None:
    volunteer = users.authenticate(world.db, "target", "2468")
    before = _files(world.db)
    with pytest.raises(PermissionDenied):
        users.reset_secret(world.db, volunteer, "root", "1111")
    assert _files(world.db) == before


def test_the_refusal_is_the_sentence_require_raises_and_none_when_allowed() -> None:
    for role in Role:
        actor = Actor(role.value, role)
        for action in Action:
            said = refusal(actor, action)
            if allowed(actor, action):
                assert said is None
                require(actor, action)
            else:
                assert said
                with pytest.raises(PermissionDenied, match=re.escape(said)):
                    require(actor, action)
