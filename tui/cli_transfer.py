"""``shequ import members FILE`` and ``shequ export members``: spreadsheets in and out."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.i18n import _

EXIT_OK, EXIT_FAILED = 0, 1


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
    members.add_argument("file", type=Path, metavar="FILE")
    members.add_argument(
        "--dry-run", action="store_true", help=_("show what would change and write nothing")
    )

    exports = command("export", _("write members to a CSV or XLSX spreadsheet"))
    what = exports.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    out = what.add_parser("members", help=_("the roster as a spreadsheet"))
    db_option(out)
    out.add_argument("--format", choices=["csv", "xlsx"], default=None)
    out.add_argument("--out", type=Path, required=True, metavar="FILE")
    out.add_argument(
        "--all", action="store_true", help=_("include archived and transferred members")
    )
    return what


def run_import(db_path: Path, args: argparse.Namespace) -> int:
    """Plan the import, print it, and apply it unless ``--dry-run``; 1 when rows were refused."""
    from store.actor import Actor
    from store.engine.database import open_database
    from store.members.importing import apply_import, plan_import

    db = open_database(db_path)
    plan = plan_import(db, args.file)
    if plan.encoding == "gb18030":
        print(_("Read {file} as GBK/GB18030.").format(file=args.file.name))
    if plan.unknown_columns:
        columns = ", ".join(plan.unknown_columns)
        print(_("Ignored columns: {columns}").format(columns=columns))
    for row in plan.updated:
        print(
            _("Row {row}: updates {name}: {fields}").format(
                row=row.row, name=row.doc.get("name", ""), fields=", ".join(row.changed)
            )
        )
    for problem in plan.refused:
        print(problem.message)
    if args.dry_run:
        counts = _(
            "Dry run, nothing written: {added} to add, {updated} to update, "
            "{unchanged} unchanged, {refused} refused."
        ).format(
            added=len(plan.added),
            updated=len(plan.updated),
            unchanged=len(plan.unchanged),
            refused=len(plan.refused),
        )
        print(counts)
    else:
        result = apply_import(db, Actor.os_user(), plan)
        print(
            _(
                "Imported: {added} added, {updated} updated, {unchanged} unchanged, "
                "{refused} refused."
            ).format(
                added=result.added,
                updated=result.updated,
                unchanged=result.unchanged,
                refused=result.refused,
            )
        )
    return EXIT_FAILED if plan.refused else EXIT_OK


def run_export(db_path: Path, args: argparse.Namespace) -> int:
    """Write the roster to ``--out``; the format comes from ``--format`` or the file's suffix."""
    from store.actor import Actor
    from store.members.exporting import export_members
    from tui.cli import existing_database

    out: Path = args.out
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    db = existing_database(db_path)
    count = export_members(db.snapshot(), Actor.os_user(), out, fmt, include_inactive=args.all)
    print(_("Wrote {count} member(s) to {path}.").format(count=count, path=out))
    return EXIT_OK
