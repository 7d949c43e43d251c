"""Logging in, and the lockout every session shares; the one import for the users' store calls.

Failed attempts and the lock live in the user's record, changed inside a transaction, so five
wrong PINs lock the account for every session and process using the file, not only the
terminal they were typed at. A login never tells whether a username exists: every failure is
the same :class:`LoginFailed` sentence, and every attempt costs one argon2 verify (against a
dummy hash for unknown or unusable accounts) and one locked transaction.

Only this module and store/users/accounts.py read the PIN hash. The account reads
(store/users/records.py) and changes (store/users/accounts.py) are importable from here too,
as ``store.users.ops.add_user`` and so on: callers need one name for the users' store calls.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database, Transaction
from store.errors import LoginFailed, ValidationError
from store.i18n import N_, _, ngettext
from store.users import passwords
from store.users.accounts import (
    add_user,
    create_first_admin,
    first_admin_command,
    may_create_first_admin,
    reset_secret,
    set_disabled,
    unlock,
    update_user,
)
from store.users.model import User
from store.users.records import TABLE, find, find_doc, has_users, list_users, locked_until, public
from store.users.validation import validate_username

__all__ = [
    "FAILURE_FLOOR_SECONDS",
    "LOCK_MINUTES",
    "LOGIN_FAILED",
    "MAX_ATTEMPTS",
    "TABLE",
    "add_user",
    "authenticate",
    "create_first_admin",
    "find",
    "first_admin_command",
    "has_users",
    "list_users",
    "locked_until",
    "may_create_first_admin",
    "public",
    "reset_secret",
    "set_disabled",
    "unlock",
    "update_user",
]

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
    doc = find_doc(db.snapshot().all(TABLE), name) if name and db.exists() else None
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
