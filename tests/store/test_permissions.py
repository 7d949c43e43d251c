"""Every mutating store call against every role: refused ones change nothing, allowed ones work.

Roles are enforced in the store, not only by hiding keys, so this matrix is what stands between
a volunteer and the roster whatever a screen or a command forgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import demo
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import PermissionDenied
from store.members import ops as members
from store.settings import ops as settings
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
    backup = db.backup()
    return World(db, member, contact, backup)


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
    "users.update_user": (
        lambda w, a: users.update_user(w.db, a, "target", role="coordinator"),
        ADMINS,
    ),
    "settings.update": (
        lambda w, a: settings.update(w.db, a, {"community_name": "幸福里"}, 0),
        ADMINS,
    ),
    "Database.restore": (lambda w, a: w.db.restore(w.backup, a), ADMINS),
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
    for module in (members, contacts, users, settings, demo):
        for fname, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or fname.startswith("_"):
                continue
            params = list(inspect.signature(func).parameters)
            if params[:2] == ["db", "actor"]:
                # OPERATIONS names a function as the module is imported here: "members.add_member"
                alias = module.__name__.removeprefix("store.").removesuffix(".ops")
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
