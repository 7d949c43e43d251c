"""The ``shequ`` command: the TUI by default, and scriptable commands for admins and tests.

Start-up time matters on small machines, so this module imports only the standard library at
the top; Textual is imported only when the TUI starts, and each command imports what it needs.
Exit codes: 0 ok, 1 failure or problems found, 2 usage. Errors are one sentence on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from store.i18n import _

if TYPE_CHECKING:
    from store.engine.database import Database
    from tui.app import ShequApp

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def default_db_path() -> Path:
    """``$SHEQU_DB``, else ``shequ.json`` in this user's data folder."""
    env = os.environ.get("SHEQU_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("shequ", appauthor=False) / "shequ.json"


def _db_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On the top parser it has the default; on subcommands it only overrides when given, so
    # `shequ --db X members list` and `shequ members list --db X` both work.
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help=_("the database file (default: $SHEQU_DB, else your user data folder)"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with translated help."""
    parser = argparse.ArgumentParser(
        prog="shequ",
        description=_("shequ: the community's member roster, patrol schedule and training."),
    )
    _db_option(parser, top=True)
    parser.add_argument(
        "--lang", choices=["zh", "en"], help=_("language of the interface (default: from LANG)")
    )
    parser.add_argument(
        "--low-bandwidth",
        action="store_true",
        help=_("fewer colours and repaints, for slow SSH links"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _db_option(sub, top=False)
        return sub

    demo = command("demo", _("make a demo community to try shequ with"))
    demo.add_argument("--members", type=_positive_int, default=300, metavar="N")
    demo.add_argument(
        "--if-missing", action="store_true", help=_("do nothing when the database already exists")
    )
    demo.add_argument("--seed", type=int, default=20261125, help=argparse.SUPPRESS)
    command("check", _("check the database for damage and broken references"))
    command("backup", _("save a dated copy of the database now"))
    restore = command("restore", _("replace the database with a backup (backs up first)"))
    restore.add_argument("file", type=Path, metavar="FILE")

    members = command("members", _("list or add members")).add_subparsers(
        dest="members_command", metavar="ACTION", required=True
    )
    add = members.add_parser("add", help=_("add one member"))
    _db_option(add, top=False)
    for field in (
        "name",
        "gender",
        "birth-date",
        "phone",
        "address",
        "grid",
        "branch",
        "join-date",
        "category",
        "management",
        "notes",
    ):
        add.add_argument(f"--{field}", required=field == "name", metavar="TEXT")
    listing = members.add_parser("list", help=_("list members"))
    _db_option(listing, top=False)
    listing.add_argument("--search", metavar="Q", help=_("as the roster's / search"))
    listing.add_argument("--format", choices=["table", "csv", "json"], default="table")
    listing.add_argument(
        "--all", action="store_true", help=_("include archived and transferred members")
    )
    from tui import cli_training, cli_transfer, cli_users

    cli_users.add_parser(command, lambda sub: _db_option(sub, top=False))
    exports = cli_transfer.add_parser(command, lambda sub: _db_option(sub, top=False))
    cli_training.add_parser(command, lambda sub: _db_option(sub, top=False), exports)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        message = _("{text} is not a whole number").format(text=text)
        raise argparse.ArgumentTypeError(message) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``shequ`` console script."""
    _utf8_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    from tui.i18n import setup_language

    # The language must be known before the parser is built, or its help stays English.
    setup_language(_peek_lang(argv))
    args = build_parser().parse_args(argv)
    db_path: Path = args.db or default_db_path()
    if args.command is None:
        return _run_tui(db_path, args)
    handler = _COMMANDS[args.command]
    from store.errors import StoreError

    try:
        return handler(db_path, args)
    except StoreError as error:
        print(_("shequ: {error}").format(error=error), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED


def _peek_lang(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` if given; argparse checks it properly afterwards."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _utf8_streams() -> None:
    """Under LANG=C Python may pick ASCII; Chinese names must still print."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or ""
        if encoding.lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _run_tui(db_path: Path, args: argparse.Namespace) -> NoReturn:
    from tui.env import apply_terminal_defaults

    apply_terminal_defaults(os.environ, low_bandwidth=args.low_bandwidth)
    from tui.app import make_app

    run_and_exit(make_app(db_path, lang=args.lang))


def run_and_exit(app: ShequApp) -> NoReturn:
    """Run the TUI keyboard-only, then end the process at once with its exit code."""
    app.run(mouse=False)
    code = app.return_code or EXIT_OK
    # The terminal is restored once run() returns, and every save completes inside its
    # transaction: tearing down the interpreter (tens of ms of garbage collection and module
    # clean-up on a small machine) only delays the prompt. Wait for a save still running in a
    # worker thread, then leave.
    with app.db.idle():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows (the first is the titles) in columns that line up in Chinese too.

    Widths are counted in terminal cells (a Chinese character takes two), not characters.
    """
    from rich.cells import cell_len

    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (
            cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)
        )
        print("  ".join(cells).rstrip())


def existing_database(db_path: Path) -> Database:
    """The database at ``db_path``, or NotFound: commands that read must not invent one."""
    from store.engine.database import open_database
    from store.errors import NotFound

    db = open_database(db_path)
    if not db.exists():
        raise NotFound(_("there is no database at {path}.").format(path=db_path))
    return db


def _cmd_demo(db_path: Path, args: argparse.Namespace) -> int:
    from store import demo
    from store.actor import Actor
    from store.engine.database import open_database
    from store.enums import UserRole, label

    db = open_database(db_path)
    if args.if_missing and db.exists():
        return EXIT_OK
    summary = demo.make_demo(db, Actor.os_user(), members=args.members, seed=args.seed)
    print(_("Demo community written to {path}.").format(path=db_path))
    print(summary)
    print(_("Demo accounts (user name, PIN):"))
    for username, _display, role, pin in demo.DEMO_USERS:
        print(f"  {username:<12} {pin}  {label(UserRole(role.value))}")
    return EXIT_OK


def _cmd_check(db_path: Path, _args: argparse.Namespace) -> int:
    from store.engine.check import check

    db = existing_database(db_path)
    warning = db.check_permissions()
    if warning:
        print(warning, file=sys.stderr)
    problems = check(db)
    for problem in problems:
        print(problem)
    if problems:
        print(_("{count} problem(s) found in {path}.").format(count=len(problems), path=db_path))
        return EXIT_FAILED
    print(_("{path}: no problems found.").format(path=db_path))
    return EXIT_OK


def _cmd_backup(db_path: Path, _args: argparse.Namespace) -> int:
    db = existing_database(db_path)
    print(_("Backup saved: {path}").format(path=db.backup("manual")))
    return EXIT_OK


def _cmd_restore(db_path: Path, args: argparse.Namespace) -> int:
    from store.actor import Actor
    from store.engine.database import open_database

    saved = open_database(db_path).restore(args.file, Actor.os_user())
    message = _("Restored {source} into {path}.").format(source=args.file, path=db_path)
    if saved is not None:
        message += " " + _("The replaced file was saved as {backup}.").format(backup=saved)
    print(message)
    return EXIT_OK


def _cmd_members(db_path: Path, args: argparse.Namespace) -> int:
    from tui import cli_members

    if args.members_command == "add":
        return cli_members.add(db_path, args)
    return cli_members.listing(db_path, args)


def _cmd_users(db_path: Path, args: argparse.Namespace) -> int:
    from tui import cli_users

    return cli_users.run(db_path, args)


def _cmd_import(db_path: Path, args: argparse.Namespace) -> int:
    from tui import cli_transfer

    return cli_transfer.run_import(db_path, args)


def _cmd_export(db_path: Path, args: argparse.Namespace) -> int:
    from tui import cli_training, cli_transfer

    if args.export_what == "training":
        return cli_training.run_export(db_path, args)
    return cli_transfer.run_export(db_path, args)


def _cmd_training(db_path: Path, args: argparse.Namespace) -> int:
    from tui import cli_training

    return cli_training.run(db_path, args)


_COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "members": _cmd_members,
    "users": _cmd_users,
    "import": _cmd_import,
    "export": _cmd_export,
    "training": _cmd_training,
    "report": _cmd_training,
}


if __name__ == "__main__":
    sys.exit(main())
