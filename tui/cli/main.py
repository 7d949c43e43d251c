"""The ``shequ`` command: the TUI by default, and scriptable commands for admins and tests.

Start-up time matters on small machines, so this module imports only the standard library at
the top; Textual is imported only when the TUI starts, and each command imports what it needs.
Exit codes: 0 ok, 1 failure or problems found, 2 usage, 3 saved but the confirmation could not
be printed, 141 the reader closed the pipe (:mod:`tui.cli.output`). Errors are one sentence on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from store.i18n import _
from tui import collector
from tui.cli import output as cli_output
from tui.cli.common import existing_database
from tui.cli.output import EXIT_FAILED, EXIT_OK, saved

if TYPE_CHECKING:
    from store.engine.database import Database
    from tui.app import ShequApp


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


class _Unsure(argparse.ArgumentParser):
    """A parser that says nothing and raises on anything it cannot take, for the whole parser
    to answer in its words."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _top_parser(*, commands: bool) -> argparse.ArgumentParser:
    """The options before any command; without ``commands``, a parser for a line that has
    none, which raises instead of answering (``-h`` is left over)."""
    parser = (argparse.ArgumentParser if commands else _Unsure)(
        prog="shequ",
        description=_("shequ: the community's member roster, patrol schedule and training."),
        add_help=commands,
        exit_on_error=commands,
    )
    _db_option(parser, top=True)
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help=_("print the version of shequ and of the data format it reads, and exit"),
    )
    parser.add_argument(
        "--lang", choices=["zh", "en"], help=_("language of the interface (default: from LANG)")
    )
    parser.add_argument(
        "--low-bandwidth",
        action="store_true",
        help=_("fewer colours and repaints, for slow SSH links"),
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with translated help."""
    parser = _top_parser(commands=True)
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

    from tui.cli import members as cli_members
    from tui.cli import patrols as cli_patrols
    from tui.cli import training as cli_training
    from tui.cli import transfer as cli_transfer
    from tui.cli import users as cli_users

    cli_members.add_parser(command, lambda sub: _db_option(sub, top=False))
    cli_users.add_parser(command, lambda sub: _db_option(sub, top=False))
    cli_patrols.add_parser(command, lambda sub: _db_option(sub, top=False))
    exports = cli_transfer.add_parser(command, lambda sub: _db_option(sub, top=False))
    cli_training.add_parser(command, lambda sub: _db_option(sub, top=False), exports)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: two lines (argparse's own version action would re-wrap them into one)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        help_text = str(kwargs.get("help", ""))
        super().__init__(
            option_strings,
            dest=argparse.SUPPRESS,
            default=argparse.SUPPRESS,
            nargs=0,
            help=help_text,
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from store.version import data_format, program_version

        print(_("shequ {version}").format(version=program_version()))
        print(_("data format version {format}").format(format=data_format()))
        parser.exit()


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
    """Entry point of the ``shequ`` console script.

    Output that cannot be written (a closed pipe, a full disk) ends the command in
    :func:`tui.cli.output.run`, with its own exit code and never a traceback.
    """
    collector.hold()  # the TUI's start makes few cycles; a command sets it going at once
    try:
        cli_output.guard_streams()
        return cli_output.run(lambda: _main(list(sys.argv[1:] if argv is None else argv)))
    finally:
        collector.resume()


def _main(argv: list[str]) -> int:
    from tui.cli import argparse_i18n as cli_argparse
    from tui.i18n import setup_language

    # The language must be known before the parser is built, or its help stays English.
    setup_language(_peek_lang(argv))
    cli_argparse.install()
    args = _options_alone(argv) or build_parser().parse_args(argv)
    db_path: Path = args.db or default_db_path()
    if args.command is None:
        return _run_tui(db_path, args)
    collector.resume()
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


def _options_alone(argv: list[str]) -> argparse.Namespace | None:
    """The options of a line that names no command (how a volunteer's session starts the
    TUI), read without building every command's parser first: a few ms before the login's
    first frame. None for anything else (a command, ``-h``, an option that is wrong or
    unknown here): the whole parser then answers, with its own help and messages."""
    try:
        args, rest = _top_parser(commands=False).parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _run_tui(db_path: Path, args: argparse.Namespace) -> NoReturn:
    from platformdirs import user_cache_path

    from tui.env import apply_terminal_defaults, skip_tls

    skip_tls()
    db = _opened(db_path)
    low = args.low_bandwidth or _low_bandwidth_setting(db)
    apply_terminal_defaults(os.environ, low_bandwidth=low)
    from tui.css_cache import CssCache
    from tui.factory import make_app

    css = CssCache(user_cache_path("shequ", appauthor=False) / "css")
    run_and_exit(make_app(db_path, lang=args.lang, db=db, css_cache=css))


def _opened(db_path: Path) -> Database | None:
    """The database the app will use, opened (not read) before Textual starts; None if the
    path is refused (make_app then says why, as it always did)."""
    from store.engine.database import open_database
    from store.errors import StoreError

    try:
        return open_database(db_path)
    except StoreError:
        return None


def _low_bandwidth_setting(db: Database | None) -> bool:
    """Whether the settings ask every session for low-bandwidth mode (tui/env.py).

    Read before Textual is imported, since Textual reads its colour and repaint settings from
    the environment then; the version read stays cached for the login screen. A file that
    cannot be read gives False here: the app says what is wrong with it.
    """
    if db is None or not db.exists():
        return False
    from store.errors import StoreError
    from store.settings import ops as settings

    try:
        return settings.current(db.snapshot()).low_bandwidth
    except StoreError:
        return False


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


def _cmd_demo(db_path: Path, args: argparse.Namespace) -> int:
    from store import demo
    from store.actor import Actor
    from store.engine.database import open_database
    from store.enums import UserRole, label

    db = open_database(db_path)
    if args.if_missing and db.exists():
        return EXIT_OK
    summary = demo.make_demo(db, Actor.os_user(), members=args.members, seed=args.seed)
    saved(_("wrote the demo community to {path}").format(path=db_path))
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
    backup = db.backup("manual")
    saved(_("saved the backup {path}").format(path=backup))
    print(_("Backup saved: {path}").format(path=backup))
    return EXIT_OK


def _cmd_restore(db_path: Path, args: argparse.Namespace) -> int:
    from store.actor import Actor
    from store.engine.database import open_database

    replaced = open_database(db_path).restore(args.file, Actor.os_user())
    saved(_("restored {source} into {path}").format(source=args.file, path=db_path))
    message = _("Restored {source} into {path}.").format(source=args.file, path=db_path)
    if replaced is not None:
        message += " " + _("The replaced file was saved as {backup}.").format(backup=replaced)
    print(message)
    return EXIT_OK


def _cmd_members(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import members as cli_members

    return cli_members.run(db_path, args)


def _cmd_users(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import users as cli_users

    return cli_users.run(db_path, args)


def _cmd_import(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import transfer as cli_transfer

    return cli_transfer.run_import(db_path, args)


def _cmd_export(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import training as cli_training
    from tui.cli import transfer as cli_transfer

    if args.export_what == "training":
        return cli_training.run_export(db_path, args)
    return cli_transfer.run_export(db_path, args)


def _cmd_patrols(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import patrols as cli_patrols

    return cli_patrols.run(db_path, args)


def _cmd_training(db_path: Path, args: argparse.Namespace) -> int:
    from tui.cli import training as cli_training

    return cli_training.run(db_path, args)


_COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "patrols": _cmd_patrols,
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
