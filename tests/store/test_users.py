"""Accounts: hashing, login, the shared lockout, the first admin, and what the log may hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor, Role
from store.engine import audit, audit_format
from store.engine.database import Database
from store.errors import (
    Conflict,
    FirstAdminExists,
    LoginFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from store.users import ops as users
from store.users import passwords
from tests.store.conftest import FakeClock
from tests.store.workers import Child

ADMIN = Actor("os:root", Role.ADMIN)


@pytest.fixture(autouse=True)
def _no_failure_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every hash argon2 was asked to verify against, in order."""
    from argon2 import PasswordHasher

    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        calls.append(hash if isinstance(hash, str) else hash.decode())
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def _add(
    db: Database, name: str, role: Role = Role.VOLUNTEER, secret: str = "2468"
) -> dict[str, Any]:
    return users.add_user(db, ADMIN, username=name, display_name=name, role=role, secret=secret)


def _failure(db: Database, name: str, secret: str) -> str:
    with pytest.raises(LoginFailed) as caught:
        users.authenticate(db, name, secret)
    return str(caught.value)


def _stored(db: Database, name: str) -> dict[str, Any]:
    return next(dict(d) for d in db.snapshot().all("users") if d["username"] == name)


# -- secrets and hashes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", "1234"),
        ("１２３４５６", "123456"),
        (" 0000 ", "0000"),
        ("correct horse", "correct horse"),
    ],
)
def test_valid_secrets_are_normalised(raw: str, expected: str) -> None:
    assert passwords.validate_secret(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "123", "1234567890123", "short", "x" * 65, "abc\x07defgh", None]
)
def test_invalid_secrets_name_the_pin_field(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.validate_secret(raw)
    assert set(caught.value.errors) == {"pin"}


def test_hash_carries_its_parameters_and_verifies() -> None:
    stored = passwords.hash_secret("1234")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify(stored, "1234")
    assert passwords.verify(stored, "１２３４")
    assert not passwords.verify(stored, "1235")
    assert not passwords.needs_rehash(stored)


def test_dummy_hash_has_todays_parameters() -> None:
    from argon2 import extract_parameters

    real = extract_parameters(passwords.hash_secret("1234"))
    assert extract_parameters(passwords.DUMMY_HASH) == real


def test_unusable_hash_still_costs_one_verify(verifies: list[str]) -> None:
    for stored in ("", "plain", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$BBBB"):
        assert not passwords.verify(stored, "1234")
    assert verifies == [passwords.DUMMY_HASH] * 3


# -- logging in -----------------------------------------------------------------------------------


def test_login_returns_the_actor(db: Database) -> None:
    record = _add(db, "Wang.Li", Role.COORDINATOR)
    assert "pin_hash" not in record
    actor = users.authenticate(db, "WANG.LI", "2468")
    assert actor == Actor("wang.li", Role.COORDINATOR, user_id=record["id"], member_id=None)


def test_every_failure_is_the_same_sentence_and_one_verify(
    db: Database, clock: FakeClock, verifies: list[str]
) -> None:
    _add(db, "alice")
    _add(db, "gone")
    users.set_disabled(db, ADMIN, "gone", True)
    _add(db, "locked")
    for _n in range(users.MAX_ATTEMPTS):
        _failure(db, "locked", "0000")
    verifies.clear()
    messages = {
        "wrong": _failure(db, "alice", "9999"),
        "unknown": _failure(db, "nobody", "2468"),
        "invalid name": _failure(db, "!!", "2468"),
        "disabled": _failure(db, "gone", "2468"),
        "locked, wrong PIN": _failure(db, "locked", "1357"),
        "bad secret": _failure(db, "alice", ""),
    }
    assert len(set(messages.values())) == 1, messages
    # Only the right PIN learns that the account is locked, and for how long.
    locked = _failure(db, "locked", "2468")
    assert locked == "This account is locked after 5 wrong tries. Try again in 5 minutes."
    verifies.pop()
    assert "Wrong username or PIN" in messages["wrong"]
    assert len(verifies) == len(messages)
    # Unknown names verify against the dummy, real ones against their own hash.
    assert verifies[1] == verifies[2] == passwords.DUMMY_HASH
    assert verifies[0] == _stored(db, "alice")["pin_hash"]


def test_five_wrong_tries_lock_for_five_minutes(db: Database, clock: FakeClock) -> None:
    _add(db, "alice")
    for n in range(1, users.MAX_ATTEMPTS):
        _failure(db, "alice", "1111")
        assert _stored(db, "alice")["failed_attempts"] == n
    _failure(db, "alice", "1111")
    stored = _stored(db, "alice")
    assert stored["locked_until"] == (clock.now + timedelta(minutes=5)).isoformat()

    clock.advance(minutes=4, seconds=1)
    said = _failure(db, "alice", "2468")  # the right PIN, but still locked
    assert said == "This account is locked after 5 wrong tries. Try again in 1 minute."
    clock.advance(seconds=58)
    assert _stored(db, "alice")["locked_until"] == stored["locked_until"]  # not extended

    clock.advance(seconds=2)
    assert users.authenticate(db, "alice", "2468").name == "alice"
    after = _stored(db, "alice")
    assert after["failed_attempts"] == 0 and after["locked_until"] is None


def test_an_expired_lock_starts_the_count_again(db: Database, clock: FakeClock) -> None:
    _add(db, "alice")
    for _n in range(users.MAX_ATTEMPTS):
        _failure(db, "alice", "1111")
    clock.advance(minutes=6)
    _failure(db, "alice", "1111")
    stored = _stored(db, "alice")
    assert stored["failed_attempts"] == 1 and stored["locked_until"] is None


def test_success_resets_the_count(db: Database) -> None:
    _add(db, "alice")
    _failure(db, "alice", "1111")
    _failure(db, "alice", "1111")
    users.authenticate(db, "alice", "2468")
    assert _stored(db, "alice")["failed_attempts"] == 0


def test_lockout_is_shared_by_two_database_objects(db_path: Path, clock: FakeClock) -> None:
    one, two = Database(db_path, clock=clock), Database(db_path, clock=clock)
    _add(one, "alice")
    for n in range(users.MAX_ATTEMPTS):
        _failure(one if n % 2 else two, "alice", "1111")
    _failure(one, "alice", "2468")
    _failure(two, "alice", "2468")


def test_old_parameters_are_upgraded_at_login(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "MEMORY_COST", 8192)
    monkeypatch.setattr(passwords, "_hasher", None)
    _add(db, "alice")
    assert "m=8192," in _stored(db, "alice")["pin_hash"]
    monkeypatch.undo()
    monkeypatch.setattr(passwords, "_hasher", None)
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)
    users.authenticate(db, "alice", "2468")
    assert "m=19456," in _stored(db, "alice")["pin_hash"]
    users.authenticate(db, "alice", "2468")


def test_no_database_file_is_created_by_a_login(db: Database) -> None:
    _failure(db, "alice", "2468")
    assert not db.exists()


# -- the first admin ------------------------------------------------------------------------------


def test_first_admin_only_while_there_are_no_users(db: Database) -> None:
    assert not users.has_users(db.snapshot())
    actor = users.create_first_admin(db, "Admin", "管理员", "1234")
    assert actor.role is Role.ADMIN and actor.name == "admin" and actor.user_id
    assert users.has_users(db.snapshot())
    assert users.authenticate(db, "admin", "1234") == actor
    with pytest.raises(FirstAdminExists):
        users.create_first_admin(db, "other", "x", "1234")
    assert [u.username for u in users.list_users(db.snapshot())] == ["admin"]


def test_first_admin_validates(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        users.create_first_admin(db, "admin", "x", "12")
    assert set(caught.value.errors) == {"pin"}
    assert not db.exists()


# -- managing accounts ----------------------------------------------------------------------------


def test_add_user_reports_every_bad_field(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        users.add_user(db, ADMIN, username="!", display_name="", role="boss", secret="1")
    assert set(caught.value.errors) == {"username", "role", "pin"}
    _add(db, "alice")
    with pytest.raises(ValidationError) as taken:
        _add(db, "ALICE")
    assert set(taken.value.errors) == {"username"}
    with pytest.raises(ValidationError) as member:
        users.add_user(
            db,
            ADMIN,
            username="bob",
            display_name="",
            role="volunteer",
            secret="1234",
            member_id="0" * 32,
        )
    assert set(member.value.errors) == {"member_id"}


def test_list_users_has_no_hashes(db: Database) -> None:
    _add(db, "bob")
    _add(db, "alice", Role.ADMIN)
    listed = users.list_users(db.snapshot())
    assert [u.username for u in listed] == ["alice", "bob"]
    assert all(u.pin_hash == "" for u in listed)


def test_reset_secret_own_or_admin(db: Database) -> None:
    _add(db, "alice")
    bob_record = _add(db, "bob")
    for _n in range(users.MAX_ATTEMPTS):
        _failure(db, "alice", "1111")
    users.reset_secret(db, ADMIN, "alice", "13579")  # also lifts the lock
    assert users.authenticate(db, "alice", "13579").name == "alice"

    bob = users.authenticate(db, "bob", "2468")
    assert bob.user_id == bob_record["id"]
    users.reset_secret(db, bob, "bob", "my long password")
    assert users.authenticate(db, "bob", "my long password") == bob
    with pytest.raises(PermissionDenied):
        users.reset_secret(db, bob, "alice", "0000")
    with pytest.raises(NotFound):
        users.reset_secret(db, ADMIN, "nobody", "0000")


def test_last_enabled_admin_cannot_be_disabled(db: Database) -> None:
    _add(db, "root", Role.ADMIN)
    with pytest.raises(PermissionDenied, match="last admin"):
        users.set_disabled(db, ADMIN, "root", True)
    _add(db, "second", Role.ADMIN)
    users.set_disabled(db, ADMIN, "root", True)
    with pytest.raises(PermissionDenied, match="last admin"):
        users.set_disabled(db, ADMIN, "second", True)
    users.set_disabled(db, ADMIN, "root", False)
    assert not _stored(db, "root")["disabled"]


def test_update_user_changes_role_and_link_but_keeps_an_admin(db: Database) -> None:
    root = _add(db, "root", Role.ADMIN)
    with db.transaction(ADMIN) as tx:
        member = tx.insert("members", {"name": "张三"})
    _add(db, "vol")
    record = users.update_user(db, ADMIN, "vol", role="coordinator", member_id=member["id"])
    assert (record["role"], record["member_id"], record["display_name"]) == (
        "coordinator",
        member["id"],
        "vol",
    )
    assert "pin_hash" not in record
    assert users.authenticate(db, "vol", "2468").member_id == member["id"]
    users.update_user(db, ADMIN, "vol", member_id="", display_name="小王")
    assert (_stored(db, "vol")["member_id"], _stored(db, "vol")["display_name"]) == ("", "小王")
    with pytest.raises(PermissionDenied, match="last admin"):
        users.update_user(db, ADMIN, "root", role="volunteer")
    with pytest.raises(ValidationError):
        users.update_user(db, ADMIN, "vol", member_id="0" * 32)
    with pytest.raises(Conflict):
        users.update_user(db, ADMIN, "root", display_name="x", expected_version=root["version"] - 1)


def test_a_login_records_when_and_a_failure_does_not(db: Database, clock: FakeClock) -> None:
    _add(db, "alice")
    assert _stored(db, "alice")["last_login"] is None
    _failure(db, "alice", "1111")
    assert _stored(db, "alice")["last_login"] is None
    users.authenticate(db, "alice", "2468")
    first = clock.now
    assert users.find(db.snapshot(), "alice").last_login == first  # type: ignore[union-attr]
    clock.advance(hours=3)
    _failure(db, "alice", "1111")
    assert users.find(db.snapshot(), "alice").last_login == first  # type: ignore[union-attr]
    users.authenticate(db, "alice", "2468")
    assert users.find(db.snapshot(), "alice").last_login == clock.now  # type: ignore[union-attr]


def test_unlock_lifts_the_lock_and_keeps_the_pin(db: Database, clock: FakeClock) -> None:
    _add(db, "alice")
    for _n in range(users.MAX_ATTEMPTS):
        _failure(db, "alice", "1111")
    assert users.locked_until(users.find(db.snapshot(), "alice"), clock.now)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        users.unlock(db, Actor("c", Role.COORDINATOR, user_id="u-c"), "alice")
    assert _stored(db, "alice")["locked_until"] is not None
    record = users.unlock(db, ADMIN, "alice")
    assert (record["failed_attempts"], record["locked_until"]) == (0, None)
    assert "pin_hash" not in record
    assert users.authenticate(db, "alice", "2468").name == "alice"
    version = _stored(db, "alice")["version"]
    users.unlock(db, ADMIN, "alice")  # nothing to lift: nothing written
    assert _stored(db, "alice")["version"] == version
    with pytest.raises(NotFound):
        users.unlock(db, ADMIN, "nobody")
    unlocks = [
        e
        for e in audit.read(db.audit_path)
        if e["who"] == ADMIN.name
        and e["op"] == "update"
        and (e.get("after") or {}).get("locked_until", "x") is None
    ]
    assert len(unlocks) == 1


def test_nobody_disables_themselves_or_changes_their_own_role(db: Database) -> None:
    root = _add(db, "root", Role.ADMIN)
    _add(db, "second", Role.ADMIN)
    me = Actor("root", Role.ADMIN, user_id=root["id"])
    with pytest.raises(PermissionDenied, match="your own account"):
        users.set_disabled(db, me, "root", True)
    with pytest.raises(PermissionDenied, match="your own role"):
        users.update_user(db, me, "root", role="coordinator")
    users.update_user(db, me, "root", display_name="老王")  # the rest of their own is theirs
    users.set_disabled(db, me, "second", True)
    assert _stored(db, "root")["role"] == "admin" and not _stored(db, "root")["disabled"]


# -- the change log -------------------------------------------------------------------------------


def test_audit_never_holds_a_hash(db: Database) -> None:
    users.create_first_admin(db, "admin", "", "1234")
    _add(db, "alice")
    _failure(db, "alice", "0000")
    users.reset_secret(db, ADMIN, "alice", "5555")
    users.authenticate(db, "alice", "5555")
    raw = db.audit_path.read_text()
    assert "$argon2" not in raw
    lines = [json.loads(line) for line in raw.splitlines()]
    reset = [e for e in lines if e["op"] == "update" and "pin_hash" in (e["after"] or {})]
    assert reset and reset[0]["after"]["pin_hash"] == audit_format.REDACTED
    assert any(e.get("who") == "login:alice" for e in lines)


def test_read_redacts_old_lines(tmp_path: Path) -> None:
    log = tmp_path / "x.audit.jsonl"
    line = {
        "at": "2024-01-01T00:00:00+00:00",
        "tx": "t",
        "who": "a",
        "op": "insert",
        "table": "users",
        "id": "1",
        "before": None,
        "after": {"pin_hash": "$argon2id$x"},
    }
    log.write_text(json.dumps(line) + "\n")
    assert [e["after"] for e in audit.read(log)] == [{"pin_hash": audit_format.REDACTED}]


# -- several processes on one file ----------------------------------------------------------------


def test_lockout_is_shared_by_two_processes(db_path: Path) -> None:
    db = Database(db_path)
    _add(db, "alice")
    one, two = Child("login", str(db_path)), Child("login", str(db_path))
    try:
        replies = [
            (one if n % 2 else two).request(username="alice", secret="1111")
            for n in range(users.MAX_ATTEMPTS)
        ]
        assert {reply.get("error") for reply in replies} == {"LoginFailed"}
        assert _stored(db, "alice")["failed_attempts"] == users.MAX_ATTEMPTS
        for child in (one, two):  # the right PIN, in either process: locked
            assert child.request(username="alice", secret="2468")["error"] == "LoginFailed"
        alice = users.find(db.snapshot(), "alice")
        assert alice is not None and users.locked_until(alice, datetime.now(UTC)) is not None
    finally:
        one.close()
        two.close()


@pytest.mark.slow
def test_two_processes_racing_for_the_first_admin_make_exactly_one(tmp_path: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"race{attempt}.json"
        racers = [Child("first-admin", str(path), name) for name in ("first", "second")]
        try:
            for racer in racers:
                racer.expect("ready")
            for racer in racers:
                racer.send_line("go")
            replies = [json.loads(racer.line()) for racer in racers]
        finally:
            for racer in racers:
                racer.close()
        winners = [reply["ok"] for reply in replies if "ok" in reply]
        losers = [reply for reply in replies if "error" in reply]
        assert len(winners) == 1, replies
        assert losers[0]["error"] == "FirstAdminExists", replies
        assert "already exists" in losers[0]["message"]
        stored = Database(path).snapshot().all("users")
        assert [(u["username"], u["role"]) for u in stored] == [(winners[0], "admin")]


def test_a_failure_takes_at_least_the_floor(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Padding, not timing: the test checks that the sleep asked for covers the floor."""
    _add(db, "alice")
    slept: list[float] = []
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 5.0)
    monkeypatch.setattr(users.time, "sleep", slept.append)
    _failure(db, "alice", "0000")
    _failure(db, "nobody", "0000")
    assert len(slept) == 2 and all(4.0 < seconds <= 5.0 for seconds in slept)
    users.authenticate(db, "alice", "2468")
    assert len(slept) == 2  # success is never delayed
