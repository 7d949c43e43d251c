"""Accounts: who may sit at the keyboard, with which role, and the lockout every session shares.

Failed attempts and the lock live in the user's record, changed inside a transaction, so five
wrong PINs lock the account for every session and process using the file, not only the
terminal they were typed at. A login never tells whether a username exists: every failure is
the same :class:`LoginFailed` sentence, and every attempt costs one argon2 verify (against a
dummy hash for unknown or unusable accounts) and one locked transaction.

Records returned here never carry the PIN hash; only this module reads it.
"""

from __future__ import annotations

import dataclasses
import math
import shlex
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database, Snapshot, Transaction
from store.errors import (
    FirstAdminExists,
    FirstAdminNotHere,
    LoginFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from store.i18n import N_, _, ngettext
from store.permissions import Action, allowed, require
from store.users import passwords
from store.users.model import User
from store.users.validation import validate_user, validate_username

TABLE = "users"
MAX_ATTEMPTS = 5
LOCK_MINUTES = 5
# A failed login takes at least this long, so the write that counts a wrong PIN for a real
# account (an fsync) cannot be told apart from a failure for an unknown name by its timing.
# It also slows guessing a little more. Tests set it to 0.
FAILURE_FLOOR_SECONDS = 0.3

LOGIN_FAILED = N_(
    "Wrong username or PIN. After {tries} wrong tries an account must wait {minutes} minutes."
)


def _login_failed() -> LoginFailed:
    """The one sentence every failed login gets, whatever went wrong."""
    return LoginFailed(_(LOGIN_FAILED).format(tries=MAX_ATTEMPTS, minutes=LOCK_MINUTES))


def public(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A user record without its PIN hash: what callers outside this module may see."""
    return {key: value for key, value in doc.items() if key != "pin_hash"}


def has_users(snapshot: Snapshot) -> bool:
    """Whether any account exists (with none, see :func:`may_create_first_admin`)."""
    return snapshot.count(TABLE) > 0


def may_create_first_admin(snapshot: Snapshot) -> bool:
    """Whether the app may walk whoever is at the keyboard through making the first admin.

    Only on an empty database (no account, no member, no data at all): on one that already
    holds people's data, the first to open the app at a shared terminal or over SSH would make
    themselves admin and read it all. Such a database gets its first admin from the command
    line on the server (:func:`first_admin_command`), where access to the file is already had.
    """
    return not snapshot.holds_data()


def first_admin_command(path: Path) -> str:
    """The command that adds the first admin of the database at ``path``, on the server."""
    return f"shequ users add NAME --role admin --db {shlex.quote(str(path))}"


def _not_here(path: Path) -> FirstAdminNotHere:
    return FirstAdminNotHere(
        _(
            "This database already holds data, so its first administrator is added on the "
            "server, by whoever looks after it: {command}"
        ).format(command=first_admin_command(path))
    )


def list_users(snapshot: Snapshot) -> list[User]:
    """Every account, by username, with ``pin_hash`` blanked."""
    users = [dataclasses.replace(User.from_doc(doc), pin_hash="") for doc in snapshot.all(TABLE)]
    return sorted(users, key=lambda user: user.username)


def find(snapshot: Snapshot, username: str) -> User | None:
    """The account with ``username`` (lowercased as stored), ``pin_hash`` blanked; or None."""
    doc = _find_doc(snapshot.all(TABLE), username.lower())
    return dataclasses.replace(User.from_doc(doc), pin_hash="") if doc else None


def locked_until(user: User, now: datetime) -> datetime | None:
    """When ``user``'s lock ends, or None if it is not locked at ``now``."""
    until = user.locked_until
    if until is not None and until.tzinfo is None:  # a hand edit without a zone: read as UTC
        until = until.replace(tzinfo=UTC)
    if until is not None and until > now:
        return until
    return None


def _find_doc(docs: list[Any], username: str) -> Mapping[str, Any] | None:
    return next((doc for doc in docs if doc.get("username") == username), None)


def _tx_user(tx: Transaction, username: str) -> dict[str, Any]:
    for doc in tx.all(TABLE):
        if doc.get("username") == username:
            return doc
    raise NotFound(_("There is no user {name}.").format(name=username))


def _login_actor(username: str) -> Actor:
    """Who the audit log names for bookkeeping of a login attempt (not the account itself)."""
    return Actor(name=f"login:{username}", role=Role.VOLUNTEER)


# -- logging in ------------------------------------------------------------------------------


def authenticate(db: Database, username: str, secret: str) -> Actor:
    """The actor for a correct username and secret; LoginFailed (one sentence) otherwise.

    Unknown, disabled and locked accounts and wrong secrets all cost one argon2 verify and one
    locked transaction and fail with the same sentence after the same minimum time. A wrong
    secret counts towards the lock; the fifth locks the account for five minutes, during which
    even the right secret fails, with a sentence saying the account is locked and for how long
    (only to someone who knows the secret). A correct login resets the count, records
    ``last_login`` and upgrades an old hash.
    """
    started = time.monotonic()
    try:
        actor = _authenticate(db, username, secret)
    except LoginFailed:
        remaining = FAILURE_FLOOR_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        raise
    return actor


def _authenticate(db: Database, username: str, secret: str) -> Actor:
    try:
        name = validate_username(username)
    except ValidationError:
        name = ""
    doc = _find_doc(db.snapshot().all(TABLE), name) if name and db.exists() else None
    stored = str(doc.get("pin_hash") or "") if doc else ""
    matched = passwords.verify(stored, secret)  # always, before any decision
    upgraded = (
        passwords.hash_secret(passwords.normalise(secret))
        if (matched and passwords.needs_rehash(stored))
        else None
    )
    if doc is None:
        if db.exists():  # the same lock and fresh read a real account's attempt costs
            with db.transaction(_login_actor(name or "?")):
                pass
        raise _login_failed()
    with db.transaction(_login_actor(name)) as tx:
        current = tx.find(TABLE, str(doc["id"]))
        if current is None or current.get("disabled") is True:
            ok = False
        elif current.get("pin_hash") != stored:
            ok = False  # the PIN was reset meanwhile: we checked the old one; don't count it
        else:
            ok = _record_attempt(tx, current, matched, upgraded)
    if not ok or current is None:
        if matched and current is not None:
            _refuse_if_locked(User.from_doc(current), db.clock())
        raise _login_failed()
    user = User.from_doc(current)
    return Actor(
        name=user.username,
        role=Role(user.role.value),
        user_id=user.id,
        member_id=user.member_id or None,
    )


def _refuse_if_locked(user: User, now: datetime) -> None:
    """The right secret for a locked account: say it is locked, and for how long.

    Only someone who knows the secret learns this, so a stranger trying names still cannot
    tell a locked account from a wrong PIN or a name that does not exist.
    """
    until = locked_until(user, now)
    if until is not None and not user.disabled:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        raise LoginFailed(
            ngettext(
                "This account is locked after {tries} wrong tries. Try again in {minutes} minute.",
                "This account is locked after {tries} wrong tries. Try again in {minutes} minutes.",
                minutes,
            ).format(tries=MAX_ATTEMPTS, minutes=minutes)
        )


def _record_attempt(
    tx: Transaction, current: dict[str, Any], matched: bool, upgraded: str | None
) -> bool:
    """Count the attempt in the record; True if it lets the user in."""
    user = User.from_doc(current)
    now = tx.now
    if locked_until(user, now) is not None:
        return False  # locked: neither counted nor extended, and even the right PIN fails
    attempts = user.failed_attempts if user.locked_until is None else 0  # a lock expired
    changes: dict[str, Any] = {}
    if matched:
        # When each person last logged in is what an admin checks before disabling an
        # account nobody uses (the users screen shows it).
        changes["last_login"] = now.isoformat()
        if attempts or user.locked_until is not None:
            changes |= {"failed_attempts": 0, "locked_until": None}
        if upgraded is not None:
            changes["pin_hash"] = upgraded
    else:
        attempts += 1
        changes["failed_attempts"] = attempts
        lock = now + timedelta(minutes=LOCK_MINUTES) if attempts >= MAX_ATTEMPTS else None
        changes["locked_until"] = lock.isoformat() if lock else None
    if changes:
        tx.update(TABLE, user.id, changes, user.version)
    return matched


# -- managing accounts -----------------------------------------------------------------------


def _new_user(
    tx: Transaction,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    member_id: str | None,
    pin_hash: str,
) -> dict[str, Any]:
    """Validate and insert one account inside ``tx`` (the username checked against fresh data)."""
    fields = validate_user(
        {
            "username": username,
            "display_name": display_name,
            "role": str(role),
            "member_id": member_id or "",
        }
    )
    if _find_doc(tx.all(TABLE), fields["username"]) is not None:
        raise ValidationError({"username": _("That user name is already taken.")})
    if fields["member_id"] and tx.find("members", fields["member_id"]) is None:
        raise ValidationError({"member_id": _("There is no such member.")})
    doc = fields | {
        "pin_hash": pin_hash,
        "failed_attempts": 0,
        "locked_until": None,
        "last_login": None,
    }
    return tx.insert(TABLE, doc)


def create_first_admin(db: Database, username: str, display_name: str, secret: str) -> Actor:
    """Create the first account, an admin, and return it logged in.

    Works only on an empty database (:func:`may_create_first_admin`), checked under the lock:
    of two sessions racing through the first-run screen exactly one succeeds; the other gets
    FirstAdminExists. A database holding data gets FirstAdminNotHere, saying the command.
    """
    name = validate_username(username)
    pin_hash = passwords.hash_secret(passwords.validate_secret(secret))
    with db.transaction(Actor(name=name, role=Role.ADMIN)) as tx:
        if tx.all(TABLE):
            raise FirstAdminExists(_("An admin account already exists; log in with it instead."))
        if tx.holds_data():
            raise _not_here(db.path)
        record = _new_user(
            tx,
            username=name,
            display_name=display_name,
            role=Role.ADMIN,
            member_id=None,
            pin_hash=pin_hash,
        )
    return Actor(name=record["username"], role=Role.ADMIN, user_id=record["id"])


def add_user(
    db: Database,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    secret: str,
    member_id: str | None = None,
) -> dict[str, Any]:
    """Add an account (admins only); ValidationError lists bad fields, "pin" for the secret."""
    require(actor, Action.MANAGE_USERS)
    errors: dict[str, str] = {}
    try:
        secret = passwords.validate_secret(secret)
    except ValidationError as error:
        errors |= error.errors
    try:
        validate_user({"username": username, "role": str(role), "member_id": member_id or ""})
    except ValidationError as error:
        errors = error.errors | errors
    if errors:
        raise ValidationError(errors)
    pin_hash = passwords.hash_secret(secret)
    with db.transaction(actor) as tx:
        record = _new_user(
            tx,
            username=username,
            display_name=display_name,
            role=role,
            member_id=member_id,
            pin_hash=pin_hash,
        )
    return public(record)


def reset_secret(db: Database, actor: Actor, username: str, secret: str) -> dict[str, Any]:
    """Set a new PIN or password, which also lifts a lock.

    Admins may reset anyone's; everyone may change their own (``actor.user_id`` is theirs).
    """
    name = validate_username(username)
    pin_hash = passwords.hash_secret(passwords.validate_secret(secret))
    with db.transaction(actor) as tx:
        doc = _tx_user(tx, name)
        if not allowed(actor, Action.MANAGE_USERS) and doc["id"] != actor.user_id:
            raise PermissionDenied(_("You can only change your own PIN."))
        record = tx.update(
            TABLE,
            doc["id"],
            {"pin_hash": pin_hash, "failed_attempts": 0, "locked_until": None},
            doc["version"],
        )
    return public(record)


def set_disabled(db: Database, actor: Actor, username: str, disabled: bool) -> dict[str, Any]:
    """Disable an account (it can no longer log in; its history stays) or enable it again.

    The last enabled admin cannot be disabled: nobody could manage accounts any more. Nor can
    the admin at the keyboard disable themselves (they would stay logged in until the lock).
    """
    require(actor, Action.MANAGE_USERS)
    name = validate_username(username)
    with db.transaction(actor) as tx:
        docs = tx.all(TABLE)
        doc = _tx_user(tx, name)
        if disabled and doc["id"] == actor.user_id:
            raise PermissionDenied(_("You cannot disable your own account."))
        if disabled and _is_enabled_admin(doc):
            others = [d for d in docs if d["id"] != doc["id"] and _is_enabled_admin(d)]
            if not others:
                raise PermissionDenied(
                    _("This is the last admin who can log in; add another admin first.")
                )
        if (doc.get("disabled") is True) == disabled:
            return public(doc)
        record = tx.update(TABLE, doc["id"], {"disabled": disabled}, doc["version"])
    return public(record)


def update_user(
    db: Database,
    actor: Actor,
    username: str,
    *,
    display_name: str | None = None,
    role: Role | str | None = None,
    member_id: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change an account's display name, role or linked member (admins only).

    Fields left None keep their value; ``member_id=""`` unlinks. The last enabled admin
    cannot be made something else, and nobody changes their own role (an admin demoting
    themselves by mistake would lose this very screen). With ``expected_version``, Conflict if
    someone saved since.
    """
    require(actor, Action.MANAGE_USERS)
    name = validate_username(username)
    with db.transaction(actor) as tx:
        doc = _tx_user(tx, name)
        merged = {
            "username": name,
            "display_name": doc.get("display_name", "") if display_name is None else display_name,
            "role": doc.get("role") if role is None else str(role),
            "member_id": doc.get("member_id", "") if member_id is None else member_id,
        }
        fields = validate_user(merged)
        if fields["member_id"] and tx.find("members", fields["member_id"]) is None:
            raise ValidationError({"member_id": _("There is no such member.")})
        if fields["role"] != doc.get("role") and doc["id"] == actor.user_id:
            raise PermissionDenied(_("Another admin must change your own role."))
        if _is_enabled_admin(doc) and fields["role"] != Role.ADMIN.value:
            others = [d for d in tx.all(TABLE) if d["id"] != doc["id"] and _is_enabled_admin(d)]
            if not others:
                raise PermissionDenied(
                    _("This is the last admin who can log in; add another admin first.")
                )
        changes = {k: fields[k] for k in ("display_name", "role", "member_id")}
        version = doc["version"] if expected_version is None else expected_version
        record = tx.update(TABLE, doc["id"], changes, version)
    return public(record)


def unlock(db: Database, actor: Actor, username: str) -> dict[str, Any]:
    """Lift the lock after too many wrong tries, now rather than in five minutes (admins only).

    The PIN stays as it is: the person was only mistyping. A reset (:func:`reset_secret`) also
    unlocks, for someone who forgot it.
    """
    require(actor, Action.MANAGE_USERS)
    name = validate_username(username)
    with db.transaction(actor) as tx:
        doc = _tx_user(tx, name)
        if not doc.get("failed_attempts") and doc.get("locked_until") is None:
            return public(doc)
        record = tx.update(
            TABLE, doc["id"], {"failed_attempts": 0, "locked_until": None}, doc["version"]
        )
    return public(record)


def _is_enabled_admin(doc: Mapping[str, Any]) -> bool:
    return doc.get("role") == Role.ADMIN.value and doc.get("disabled") is not True
