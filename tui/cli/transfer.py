"""``shequ import members FILE`` and ``shequ export members``: spreadsheets in and out.

``-`` is standard input for FILE and standard output for ``--out`` (a file named ``-`` is
``./-``); both stay strings here, because :mod:`store.engine.output` tells ``-`` from a path by
its type. Where an export may go (links, FIFOs, devices, never shequ's own files) is decided
there too.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.i18n import _
from tui.cli.output import EXIT_FAILED, EXIT_OK, saved


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
) -> Any:
    """Register ``import`` and ``export``; ``command`` makes a top-level subcommand.

    Returns the ``export`` command's WHAT subparsers, for other things to export (training).
    """
    imports = command("import", _("bring members in from a CSV or XLSX spreadsheet"))
    what = imports.add_subparsers(dest="import_what", metavar="WHAT", required=True)
    members = what.add_parser("members", help=_("members from a roster spreadsheet"))
    db_option(members)
    members.add_argument("file", metavar="FILE", help=_("the spreadsheet, or - for standard input"))
    members.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        default=None,
        help=_("the file's format (default: from its name, or from the bytes for -)"),
    )
    members.add_argument(
        "--dry-run", action="store_true", help=_("show what would change and write nothing")
    )
    members.add_argument(
        "--report",
        metavar="FILE",
        default=None,
        help=_(
            "write every warning and refused row to FILE as CSV (row, column, value, message) "
            "to fix the spreadsheet by"
        ),
    )
    members.add_argument(
        "--sheet",
        metavar="NAME",
        default=None,
        help=_("the workbook's sheet to read (default: the one that looks most like a roster)"),
    )

    exports = command("export", _("write members to a CSV or XLSX spreadsheet"))
    what = exports.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    out = what.add_parser("members", help=_("the roster as a spreadsheet"))
    db_option(out)
    out.add_argument("--format", choices=["csv", "xlsx"], default=None)
    out.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write, or - for standard output")
    )
    out.add_argument(
        "--all", action="store_true", help=_("include archived and transferred members")
    )
    from tui.cli import patrols as cli_patrols

    cli_patrols.add_export(what, db_option)
    return what


def run_import(db_path: Path, args: argparse.Namespace) -> int:
    """Plan the import, print it, and apply it unless ``--dry-run``; 1 when rows were refused."""
    from screens.transfer.import_view import layout_lines, result_line
    from store.actor import Actor
    from store.engine.database import open_database
    from store.engine.output import source_name
    from store.members.importing import apply_import, plan_import
    from tui.cli.users import no_account_notice

    db = open_database(db_path)
    existed = db.exists()
    plan = plan_import(db, args.file, fmt=args.format, sheet=args.sheet)
    if plan.encoding == "gb18030":
        print(_("Read {file} as GBK/GB18030.").format(file=source_name(args.file)))
    for line in layout_lines(plan):
        print(line)
    if plan.unknown_columns:
        columns = ", ".join(plan.unknown_columns)
        print(_("Not imported (unknown columns): {columns}").format(columns=columns))
    for row in plan.updated:
        print(
            _("Row {row}: updates {name}: {fields}").format(
                row=row.row, name=row.doc.get("name", ""), fields=", ".join(row.changed)
            )
        )
    for problem in [*plan.warnings, *plan.refused]:
        print(problem.message)
    if args.report is not None:
        from store.members.import_report import write_report

        lines = write_report(db, Actor.os_user(), plan, args.report)
        print(
            _("Wrote {count} line(s) to the report {path}.").format(count=lines, path=args.report)
        )
    if args.dry_run:
        counts = _(
            "Dry run, nothing written: {added} to add, {updated} to update, "
            "{unchanged} unchanged, {warned} with warnings, {refused} refused."
        ).format(
            added=len(plan.added),
            updated=len(plan.updated),
            unchanged=len(plan.unchanged),
            warned=plan.warned_rows,
            refused=len(plan.refused),
        )
        print(counts)
    else:
        result = apply_import(db, Actor.os_user(), plan)
        saved(
            _("saved the import ({added} added, {updated} updated)").format(
                added=result.added, updated=result.updated
            )
        )
        for row in result.stale:  # another session changed them between reading and writing
            print(
                _("Row {row}: {name} changed in another session meanwhile; left as it is.").format(
                    row=row.row, name=row.name
                )
            )
        print(result_line(result))
        no_account_notice(db, existed)
        if result.stale:
            print(_("Run the import again to see what it would do now."))
            return EXIT_FAILED
    return EXIT_FAILED if plan.refused else EXIT_OK


def run_export(db_path: Path, args: argparse.Namespace) -> int:
    """Write the roster to ``--out``; the format comes from ``--format`` or the file's suffix.

    The confirmation is left out when the roster itself went to standard output.
    """
    if args.export_what == "patrols":
        from tui.cli import patrols as cli_patrols

        return cli_patrols.run_export(db_path, args)
    from store.actor import Actor
    from store.engine.output import is_standard_stream
    from store.members.exporting import export_members
    from tui.cli.common import existing_database

    out: str = args.out
    fmt = args.format or ("xlsx" if out.lower().endswith(".xlsx") else "csv")
    if is_standard_stream(out) and fmt == "xlsx" and sys.stdout.isatty():
        print(
            _("shequ: an XLSX workbook is not text: send it to a file or a pipe."),
            file=sys.stderr,
        )
        return EXIT_FAILED
    db = existing_database(db_path)
    target: Path | str = out if is_standard_stream(out) else Path(out)
    count = export_members(db, Actor.os_user(), target, fmt, include_inactive=args.all)
    if is_standard_stream(out) or _is_standard_output(out):
        return EXIT_OK
    saved(_("wrote {count} member(s) to {path}").format(count=count, path=out))
    print(_("Wrote {count} member(s) to {path}.").format(count=count, path=out))
    return EXIT_OK


def _is_standard_output(path: str) -> bool:
    """Whether ``path`` is this process's standard output (``--out /dev/stdout``)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(1))
    except OSError:
        return False
