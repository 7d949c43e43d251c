"""``shequ users add|list|reset-pin|disable|enable``: accounts from the command line.

These run as the operating-system user (``Actor.os_user()``, an admin audited as ``os:alice``):
whoever may write the database file could change it anyway. A PIN is asked twice on the
terminal without echo, or read as one line from standard input with ``--pin-stdin`` (for
scripts); it never appears in the arguments, where ``ps`` would show it to everyone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.i18n import _
from tui.cli.output import EXIT_FAILED, EXIT_OK, saved

if TYPE_CHECKING:
    from store.engine.database import Database

# Where each field of a ValidationError came from on the command line.
_OPTIONS = {
    "username": "NAME",
    "role": "--role",
    "display_name": "--display-name",
    "member_id": "--member",
    "pin": "PIN",
}


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``users`` and its actions; ``command`` makes a top-level subcommand."""
    actions = command("users", _("add, list and manage login accounts")).add_subparsers(
        dest="users_command", metavar="ACTION", required=True
    )

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        db_option(sub)
        return sub

    roles = ["admin", "coordinator", "volunteer"]
    add = action("add", _("add an account (the PIN is asked twice, or read with --pin-stdin)"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--display-name", metavar="TEXT", default="")
    add.add_argument("--member", metavar="ID", default=None, help=_("link to a roster member"))
    _pin_option(add)
    listing = action("list", _("list accounts: role, disabled, locked until"))
    listing.add_argument("--format", choices=["table", "json"], default="table")
    reset = action("reset-pin", _("set a new PIN or password (also lifts a lock)"))
    reset.add_argument("name", metavar="NAME")
    _pin_option(reset)
    for name, help_text in (
        ("disable", _("stop an account from logging in (its history stays)")),
        ("enable", _("let a disabled account log in again")),
    ):
        action(name, help_text).add_argument("name", metavar="NAME")


def _pin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help=_("read the PIN or password as one line from standard input"),
    )


def run(db_path: Path, args: argparse.Namespace) -> int:
    """Dispatch ``shequ users ACTION``; StoreErrors reach cli.main, which prints them."""
    from store.errors import ValidationError

    handlers: dict[str, Callable[[Path, argparse.Namespace], int]] = {
        "add": _add,
        "list": _list,
        "reset-pin": _reset,
        "disable": _disable,
        "enable": _enable,
    }
    try:
        return handlers[args.users_command](db_path, args)
    except ValidationError as error:
        for field, message in error.errors.items():
            where = _OPTIONS.get(field, field)
            print(
                _("shequ: {option}: {message}").format(option=where, message=message),
                file=sys.stderr,
            )
        return EXIT_FAILED


def no_account_notice(db: Database, existed: bool) -> None:
    """After a command that made the database (``existed`` False): say once, on stderr, that
    nobody can log in to it yet and how to add the first admin (the app will not offer it on a
    database that holds data; store.users.ops.may_create_first_admin)."""
    from store.users import ops as users

    if existed or not db.exists() or users.has_users(db.snapshot()):
        return
    print(
        _(
            "shequ: {path} has no account yet, so nobody can log in to the app. "
            "Add the first administrator with: {command}"
        ).format(path=db.path, command=users.first_admin_command(db.path)),
        file=sys.stderr,
    )


class _NoPin(Exception):
    """The PIN could not be read (no terminal, end of input, or the two entries differ)."""


def _read_secret(args: argparse.Namespace, who: str) -> str:
    """The PIN: one line of stdin with --pin-stdin, else asked twice on the terminal."""
    if args.pin_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _NoPin(_("no PIN on standard input."))
        return line.rstrip("\r\n")
    import getpass

    if not _has_terminal():  # getpass would read stdin with echo on, after a warning
        raise _NoPin(_("there is no terminal to type a PIN on; use --pin-stdin."))
    try:
        first = getpass.getpass(_("PIN or password for {name}: ").format(name=who))
        second = getpass.getpass(_("The same again: "))
    except EOFError:
        raise _NoPin(_("no PIN was typed; nothing was changed.")) from None
    if first != second:
        raise _NoPin(_("the two entries differ; nothing was changed."))
    return first


def _has_terminal() -> bool:
    """Whether getpass can ask without echo (it uses /dev/tty, whatever stdin is)."""
    import os

    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


def _with_secret(args: argparse.Namespace, who: str) -> str | None:
    try:
        return _read_secret(args, who)
    except _NoPin as problem:
        print(_("shequ: {error}").format(error=problem), file=sys.stderr)
        return None


def _add(db_path: Path, args: argparse.Namespace) -> int:
    from store.actor import Actor
    from store.engine.database import open_database
    from store.errors import ValidationError
    from store.users import ops as users
    from store.users import passwords
    from store.users.validation import validate_user

    # Check the options before asking for a PIN: typing it twice for a typo'd role is unkind.
    validate_user(
        {
            "username": args.name,
            "role": args.role,
            "display_name": args.display_name,
            "member_id": args.member or "",
        }
    )
    db = open_database(db_path)
    if args.member and (not db.exists() or db.snapshot().get("members", args.member) is None):
        raise ValidationError({"member_id": _("There is no such member.")})
    secret = _with_secret(args, args.name)
    if secret is None:
        return EXIT_FAILED
    passwords.validate_secret(secret)
    record = users.add_user(
        db,
        Actor.os_user(),
        username=args.name,
        display_name=args.display_name,
        role=args.role,
        secret=secret,
        member_id=args.member,
    )
    saved(_("saved the account {name}").format(name=record["username"]))
    print(
        _("Added {name} ({role}).").format(
            name=record["username"], role=_role_label(str(record["role"]))
        )
    )
    return EXIT_OK


def _reset(db_path: Path, args: argparse.Namespace) -> int:
    from store.actor import Actor
    from store.users import ops as users
    from tui.cli.common import existing_database

    db = existing_database(db_path)
    if users.find(db.snapshot(), args.name) is None:  # before asking for a PIN twice
        from store.errors import NotFound

        raise NotFound(_("There is no user {name}.").format(name=args.name.lower()))
    secret = _with_secret(args, args.name)
    if secret is None:
        return EXIT_FAILED
    record = users.reset_secret(db, Actor.os_user(), args.name, secret)
    saved(_("saved the new PIN for {name}").format(name=record["username"]))
    print(_("New PIN set for {name}.").format(name=record["username"]))
    return EXIT_OK


def _set_disabled(db_path: Path, args: argparse.Namespace, disabled: bool) -> int:
    from store.actor import Actor
    from store.users import ops as users
    from tui.cli.common import existing_database

    record = users.set_disabled(existing_database(db_path), Actor.os_user(), args.name, disabled)
    done = _("disabled {name}") if disabled else _("enabled {name}")
    saved(done.format(name=record["username"]))
    message = _("{name} can no longer log in.") if disabled else _("{name} can log in again.")
    print(message.format(name=record["username"]))
    return EXIT_OK


def _disable(db_path: Path, args: argparse.Namespace) -> int:
    return _set_disabled(db_path, args, True)


def _enable(db_path: Path, args: argparse.Namespace) -> int:
    return _set_disabled(db_path, args, False)


def _list(db_path: Path, args: argparse.Namespace) -> int:
    from store.users import ops as users
    from tui.cli.common import existing_database

    db = existing_database(db_path)
    now = db.clock()
    accounts = users.list_users(db.snapshot())
    rows: list[dict[str, Any]] = []
    for user in accounts:
        until = users.locked_until(user, now)
        rows.append(
            {
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role.value,
                "member_id": user.member_id,
                "disabled": user.disabled,
                "locked_until": until.astimezone().isoformat(timespec="seconds") if until else None,
            }
        )
    if args.format == "json":
        import orjson

        sys.stdout.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return EXIT_OK
    _write_table(rows)
    return EXIT_OK


def _write_table(rows: list[dict[str, Any]]) -> None:
    from store.textsafe import clean_line
    from tui.cli.common import print_table

    titles = [_("User"), _("Name"), _("Role"), _("Disabled"), _("Locked until")]
    table = [titles]
    for row in rows:
        until = str(row["locked_until"] or "")
        table.append(
            [
                clean_line(str(row["username"])),
                clean_line(str(row["display_name"])),
                _role_label(str(row["role"])),
                _("yes") if row["disabled"] else "",
                until[:16].replace("T", " "),
            ]
        )
    print_table(table)
    print(_("{count} account(s).").format(count=len(rows)))


def _role_label(role: str) -> str:
    from store.enums import UserRole, label

    try:
        return label(UserRole(role))
    except ValueError:
        return role
