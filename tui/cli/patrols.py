"""``shequ patrols list|rekey`` and ``shequ export patrols``: the schedule from scripts.

``--week`` takes an ISO week (2026-W49); a week the year does not have, or an unknown member
or team, is a clear message and nothing is written. Exports go through the same store call
as the screen's export dialog (store/patrols/exporting.py), written whole or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.i18n import _
from tui.cli.output import EXIT_OK, saved

if TYPE_CHECKING:
    from store.engine.database import Database, Snapshot
    from store.patrols.exporting import Selection


def week_arg(text: str) -> dt.date:
    """argparse type for ``--week``: the Monday of the ISO week, or a usage error."""
    from store.patrols.weeks import parse_week

    try:
        return parse_week(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", type=week_arg, metavar="2026-W49", help=_("one ISO week"))
    parser.add_argument("--member", metavar="NAME", help=_("only this member's shifts"))
    parser.add_argument("--team", metavar="TEAM", help=_("only this team's shifts"))


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``patrols list``."""
    patrols = command("patrols", _("the patrol schedule")).add_subparsers(
        dest="patrols_command", metavar="ACTION", required=True
    )
    listing = patrols.add_parser("list", help=_("list the shifts of a week"))
    db_option(listing)
    _filters(listing)
    rekeying = patrols.add_parser(
        "rekey",
        help=_(
            "store the pinyin keys of teams, zones and templates saved without them "
            "(shequ check names them)"
        ),
    )
    db_option(rekeying)


def add_export(
    what: argparse._SubParsersAction[argparse.ArgumentParser],
    db_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``export patrols`` beside ``export members``."""
    out = what.add_parser("patrols", help=_("the patrol schedule as .ics, CSV or a sheet"))
    db_option(out)
    out.add_argument("--format", choices=["ics", "csv", "sheet"], required=True)
    out.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write, or - for standard output")
    )
    _filters(out)


def _selection(db_path: Path, args: argparse.Namespace) -> tuple[Database, Snapshot, Selection]:
    """The database, a snapshot and the shifts ``--week``/``--member``/``--team`` choose."""
    from store.patrols.exporting import Selection, find_member, find_team
    from tui.cli.common import existing_database

    db = existing_database(db_path)
    snapshot = db.snapshot()
    member_id = member_name = team_id = team_name = ""
    if args.member:
        member_id, member_name = find_member(snapshot, args.member)
    if args.team:
        team_id, team_name = find_team(snapshot, args.team)
    selection = Selection(args.week, member_id, team_id, member_name, team_name)
    return db, snapshot, selection


def rekey(db_path: Path) -> int:
    """``patrols rekey``: store the pinyin keys of teams, zones and templates written without
    them (or with another name's), what ``shequ check`` tells to run; one summary line."""
    from store.actor import Actor
    from store.patrols.rekey import rekey as store_keys
    from tui.cli.common import existing_database

    done = store_keys(existing_database(db_path), Actor.os_user())
    if done.stored:
        saved(_("saved the pinyin keys of teams, zones and templates"))
    print(done.summary())
    return EXIT_OK


def run(db_path: Path, args: argparse.Namespace) -> int:
    """``patrols list``: one line per shift, with who is on it (``rekey``: :func:`rekey`)."""
    if args.patrols_command == "rekey":
        return rekey(db_path)
    from store.enums import weekday_label
    from store.i18n import join_list
    from store.patrols import reads
    from store.patrols.exporting import Selection, select
    from store.patrols.staffing import needed
    from store.patrols.weeks import monday_of
    from tui.cli.common import print_table

    db, snapshot, selection = _selection(db_path, args)
    if selection.monday is None:
        selection = Selection(monday_of(db.today()), selection.member_id, selection.team_id)
    shifts = select(snapshot, selection)
    places = reads.place_names(snapshot)
    people = reads.member_names(snapshot, {a.member_id for s in shifts for a in s.assignments})
    rows = [[_("Date"), _("Day"), _("Time"), _("Zone"), _("Team"), _("People"), _("On duty")]]
    for shift in shifts:
        assert shift.date is not None
        marks = "!" if shift.understaffed else ("=" if shift.full else "")
        rows.append(
            [
                shift.date.isoformat(),
                weekday_label(shift.date.isoweekday()),
                f"{shift.start:%H:%M}-{shift.end:%H:%M}" if shift.start and shift.end else "",
                places.get(shift.zone_id, ""),
                places.get(shift.team_id, ""),
                f"{shift.staffed}/{needed(shift.min_people, shift.max_people)}{marks}",
                join_list(people.get(a.member_id, "?") for a in shift.assignments),
            ]
        )
    print_table(rows)
    return EXIT_OK


def run_export(db_path: Path, args: argparse.Namespace) -> int:
    """``export patrols``: write the file; 1 (and nothing written) on any problem."""
    from store.actor import Actor
    from store.engine.output import is_standard_stream
    from store.patrols.exporting import export_patrols

    db, _snapshot, selection = _selection(db_path, args)
    out: str = args.out
    target: Path | str = out if is_standard_stream(out) else Path(out)
    count = export_patrols(db, Actor.os_user(), target, args.format, selection)
    if is_standard_stream(out):
        return EXIT_OK  # the schedule itself went to standard output
    saved(_("wrote {count} shift(s) to {path}").format(count=count, path=out))
    print(_("Wrote {count} shift(s) to {path}.").format(count=count, path=out))
    return EXIT_OK
