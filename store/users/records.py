"""Reading accounts: the users table as the rest of the app may see it (no PIN hash).

The login (store/users/ops.py) and the account changes (store/users/accounts.py) both find an
account by its stored, lowercased user name here; nothing outside this package sees a hash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from store.engine.database import Snapshot
from store.users.model import User

TABLE = "users"


def public(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A user record without its PIN hash: what callers outside this package may see."""
    return {key: value for key, value in doc.items() if key != "pin_hash"}


def has_users(snapshot: Snapshot) -> bool:
    """Whether any account exists (with none, see
    :func:`store.users.accounts.may_create_first_admin`)."""
    return snapshot.count(TABLE) > 0


def list_users(snapshot: Snapshot) -> list[User]:
    """Every account, by username, with ``pin_hash`` blanked."""
    users = [dataclasses.replace(User.from_doc(doc), pin_hash="") for doc in snapshot.all(TABLE)]
    return sorted(users, key=lambda user: user.username)


def find(snapshot: Snapshot, username: str) -> User | None:
    """The account with ``username`` (lowercased as stored), ``pin_hash`` blanked; or None."""
    doc = find_doc(snapshot.all(TABLE), username.lower())
    return dataclasses.replace(User.from_doc(doc), pin_hash="") if doc else None


def locked_until(user: User, now: datetime) -> datetime | None:
    """When ``user``'s lock ends, or None if it is not locked at ``now``."""
    until = user.locked_until
    if until is not None and until.tzinfo is None:  # a hand edit without a zone: read as UTC
        until = until.replace(tzinfo=UTC)
    if until is not None and until > now:
        return until
    return None


def find_doc(docs: list[Any], username: str) -> Mapping[str, Any] | None:
    """The stored record named ``username`` (already lowercased) among ``docs``, hash and all."""
    return next((doc for doc in docs if doc.get("username") == username), None)
