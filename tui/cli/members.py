"""``shequ members add|list|rekey``: the roster from scripts, for admins and tests."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from store.i18n import _, ngettext
from tui.cli.output import EXIT_FAILED, EXIT_OK, saved

_ADD_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "phone",
    "address",
    "grid",
    "branch",
    "join_date",
    "category",
    "management",
    "notes",
)


FIELDS = (
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
)
"""The options of ``members add``, one per member field (``--name`` required)."""


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``members`` and its actions; ``command`` makes a top-level subcommand."""
    members = command("members", _("list or add members")).add_subparsers(
        dest="members_command", metavar="ACTION", required=True
    )
    adding = members.add_parser("add", help=_("add one member"))
    db_option(adding)
    for field in FIELDS:
        adding.add_argument(f"--{field}", required=field == "name", metavar="TEXT")
    listed = members.add_parser("list", help=_("list members"))
    db_option(listed)
    listed.add_argument("--search", metavar="Q", help=_("as the roster's / search"))
    listed.add_argument("--format", choices=["table", "csv", "json"], default="table")
    listed.add_argument(
        "--all", action="store_true", help=_("include archived and transferred members")
    )
    rekeying = members.add_parser(
        "rekey",
        help=_(
            "store the pinyin search keys of members saved without them (shequ check names them)"
        ),
    )
    db_option(rekeying)


def run(db_path: Path, args: argparse.Namespace) -> int:
    """The ``members`` action ``args`` names."""
    if args.members_command == "add":
        return add(db_path, args)
    if args.members_command == "rekey":
        return rekey(db_path)
    return listing(db_path, args)


def add(db_path: Path, args: argparse.Namespace) -> int:
    """Add one member from the options given; every bad option is reported at once."""
    from store.actor import Actor
    from store.engine.database import open_database
    from store.errors import ValidationError
    from store.members import ops as members
    from tui.cli.users import no_account_notice

    raw = {field: getattr(args, field) for field in _ADD_FIELDS if getattr(args, field)}
    db = open_database(db_path)
    existed = db.exists()
    try:
        record = members.add(db, Actor.os_user(), raw)
    except ValidationError as error:
        for field, message in error.errors.items():
            option = "--" + field.replace("_", "-")
            print(
                _("shequ: {option}: {message}").format(option=option, message=message),
                file=sys.stderr,
            )
        return EXIT_FAILED
    saved(_("saved {name}").format(name=record["name"]))
    print(_("Added {name} ({id}).").format(name=record["name"], id=record["id"]))
    no_account_notice(db, existed)
    return EXIT_OK


def rekey(db_path: Path) -> int:
    """Store the pinyin keys of members written without them (or with another name's): what
    ``shequ check`` tells to run for each; one summary line, nothing written when all fit."""
    from store.actor import Actor
    from store.members.rekey import rekey as store_keys
    from tui.cli.common import existing_database

    done = store_keys(existing_database(db_path), Actor.os_user())
    if done.stored:
        saved(
            ngettext(
                "saved the pinyin keys of {count} member",
                "saved the pinyin keys of {count} members",
                done.stored,
            ).format(count=done.stored)
        )
    print(done.summary())
    return EXIT_OK


def listing(db_path: Path, args: argparse.Namespace) -> int:
    """Print the members matching ``--search`` as a table, CSV or JSON."""
    from store.members import ops as members
    from tui.cli.common import existing_database

    db = existing_database(db_path)
    found = members.search(db.snapshot(), args.search or "", include_inactive=args.all)
    if args.format == "json":
        import orjson

        rows = [{k: v for k, v in doc.items() if k != "search_keys"} for doc in found]
        sys.stdout.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
    elif args.format == "csv":
        _write_csv(found)
    else:
        _write_table(found)
    return EXIT_OK


def _columns() -> list[tuple[str, str]]:
    return [
        ("name", _("Name")),
        ("gender", _("Gender")),
        ("birth_date", _("Born")),
        ("category", _("Category")),
        ("phone", _("Phone")),
        ("address", _("Address")),
        ("grid", _("Grid")),
        ("status", _("Status")),
    ]


def _cells(doc: Mapping[str, Any]) -> list[str]:
    from store.members.model import Member
    from store.textsafe import clean_line

    member = Member.from_doc(doc)
    from store.enums import label

    values = {
        "name": member.name,
        "gender": label(member.gender) if member.gender else "",
        "birth_date": member.date_text("birth_date"),
        "category": label(member.category),
        "phone": member.phone,
        "address": member.address_text(),
        "grid": member.grid,
        "status": label(member.status),
    }
    return [clean_line(values[key]) for key, _title in _columns()]


def _write_table(found: Sequence[Mapping[str, Any]]) -> None:
    from tui.cli.common import print_table

    print_table([[title for _key, title in _columns()]] + [_cells(doc) for doc in found])
    print(_("{count} member(s).").format(count=len(found)))


def _write_csv(found: Sequence[Mapping[str, Any]]) -> None:
    from store.textsafe import spreadsheet_cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([title for _key, title in _columns()])
    for doc in found:
        writer.writerow([spreadsheet_cell(cell) for cell in _cells(doc)])
