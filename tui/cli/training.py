"""``shequ training list``, ``shequ export training`` and ``shequ report hours``: training
records from scripts, for admins and tests.

Files are written whole or not at all, as the screens write them
(:mod:`store.training.exporting`). An unknown session id is a clear message and nothing is
written (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.i18n import _
from tui.cli.output import EXIT_FAILED, EXIT_OK, saved


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
    exports: Any,
) -> None:
    """Register ``training``, ``report`` and ``export training`` (``exports``: export's WHAT)."""
    training = command("training", _("list training sessions"))
    actions = training.add_subparsers(dest="training_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_("the sessions, newest first"))
    db_option(listing)
    listing.add_argument("--year", type=int, metavar="Y", help=_("only this year's sessions"))

    report = command("report", _("write a report"))
    what = report.add_subparsers(dest="report_what", metavar="WHAT", required=True)
    hours = what.add_parser("hours", help=_("every member's study hours for a year"))
    db_option(hours)
    hours.add_argument("--year", type=int, metavar="Y", help=_("the year (default: this one)"))
    hours.add_argument("--format", choices=["csv", "xlsx"], default=None)
    hours.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write, or - for standard output")
    )

    session = exports.add_parser("training", help=_("a training session's attendance"))
    db_option(session)
    session.add_argument("--session", required=True, metavar="ID")
    session.add_argument("--format", choices=["csv", "xlsx", "sheet"], default=None)
    session.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write, or - for standard output")
    )


def _format(args: argparse.Namespace, out: str) -> str:
    if args.format:
        return str(args.format)
    return {".xlsx": "xlsx", ".txt": "sheet"}.get(Path(out).suffix.lower(), "csv")


def _target(out: str) -> Path | str:
    """``-`` stays the string meaning standard output; anything else is a file."""
    from store.engine.output import is_standard_stream

    return out if is_standard_stream(out) else Path(out)


def _done(count: int, out: str) -> None:
    """Say what was written, unless it went to standard output itself."""
    from store.engine.output import is_standard_stream

    if is_standard_stream(out):
        return
    saved(_("wrote {count} member(s) to {path}").format(count=count, path=out))
    print(_("Wrote {count} member(s) to {path}.").format(count=count, path=out))


def run(db_path: Path, args: argparse.Namespace) -> int:
    """``training list`` or ``report hours``."""
    if args.command == "report":
        return run_report(db_path, args)
    return run_list(db_path, args)


def run_list(db_path: Path, args: argparse.Namespace) -> int:
    """Print the sessions (of ``--year``), newest first, with their ids for ``export``."""
    from store.actor import Actor
    from store.enums import label
    from store.textsafe import clean_line
    from store.training.sessions import list_sessions
    from tui.cli.common import existing_database, print_table

    db = existing_database(db_path)
    found = list_sessions(db.snapshot(), Actor.os_user(), year=args.year)
    rows = [[_("Date"), _("Kind"), _("Hours"), _("Came"), _("Title"), "ID"]]
    for summary in found:
        session = summary.session
        came = f"{summary.present + summary.make_up}/{summary.recorded}"
        rows.append(
            [
                session.date.isoformat() if session.date else "",
                label(session.kind),
                f"{session.hours:g}",
                came if summary.recorded else "—",
                clean_line(session.title),
                session.id,
            ]
        )
    print_table(rows)
    print(_("{count} session(s).").format(count=len(found)))
    return EXIT_OK


def run_export(db_path: Path, args: argparse.Namespace) -> int:
    """Write one session's attendance (CSV, XLSX or the sign-in sheet) to ``--out``."""
    from store.actor import Actor
    from store.training.exporting import export_session
    from tui.cli.common import existing_database

    out: str = args.out
    db = existing_database(db_path)
    count = export_session(db, Actor.os_user(), args.session, _target(out), _format(args, out))
    _done(count, out)
    return EXIT_OK


def run_report(db_path: Path, args: argparse.Namespace) -> int:
    """Write every current member's study hours for ``--year`` to ``--out``."""
    from store.actor import Actor
    from store.training.exporting import export_report
    from tui.cli.common import existing_database

    out: str = args.out
    fmt = _format(args, out)
    if fmt == "sheet":
        print(_("shequ: the hours report is CSV or XLSX."), file=sys.stderr)
        return EXIT_FAILED
    db = existing_database(db_path)
    year = args.year or db.today().year
    count = export_report(db, Actor.os_user(), year, _target(out), fmt)
    _done(count, out)
    return EXIT_OK
