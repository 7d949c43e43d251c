"""Managing accounts: the first admin, and adding, changing, disabling and unlocking accounts.

Each change is one transaction that reads the users table fresh under the lock, so two admins
(or two sessions racing through the first-run screen) never both pass a check that only one
may: a user name stays unique, and the last enabled admin can neither be disabled nor made
something else. Only admins manage accounts; everyone may change their own PIN. Records
returned never carry the PIN hash.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database, Snapshot, Transaction
from store.errors import (
    FirstAdminExists,
    FirstAdminNotHere,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from store.i18n import _
from store.permissions import Action, allowed, require
from store.users import passwords
from store.users.records import TABLE, find_doc, public
from store.users.validation import validate_user, validate_username

# -- the first admin -------------------------------------------------------------------------


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


# -- managing accounts -----------------------------------------------------------------------


def _tx_user(tx: Transaction, username: str) -> dict[str, Any]:
    for doc in tx.all(TABLE):
        if doc.get("username") == username:
            return doc
    raise NotFound(_("There is no user {name}.").format(name=username))


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
    if find_doc(tx.all(TABLE), fields["username"]) is not None:
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
