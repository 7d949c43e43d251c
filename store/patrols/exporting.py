"""The schedule out of shequ: .ics for phones, CSV for spreadsheets, the weekly paper sheet.

The screen's export dialog and ``shequ export patrols`` both call :func:`export_patrols`, so
the same choice makes the same file. Where the bytes go is decided as for every export by
:func:`store.engine.output.write_output`: ``-`` is standard output, a file is written whole or
not at all (private to its owner: the schedule names people), shequ's own files are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from store.actor import Actor
from store.engine.database import Database, Snapshot
from store.engine.output import write_output
from store.enums import label, weekday_label
from store.errors import NotFound
from store.i18n import _
from store.members.search_keys import make_matcher, search_text
from store.patrols import ics, sheet
from store.patrols.model import Shift
from store.patrols.reads import all_shifts, member_names, place_names, shifts_between, teams
from store.patrols.weeks import monday_of
from store.permissions import Action, require
from store.settings import ops as settings_ops
from store.textsafe import spreadsheet_cell

FORMATS = ("ics", "csv", "sheet")
CSV_HEADERS = ("日期", "星期", "开始", "结束", "责任区", "队伍", "姓名", "状态", "时长")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which shifts go out: a week (its Monday) or all, and one member or team, or everyone."""

    monday: dt.date | None = None
    member_id: str = ""
    team_id: str = ""
    member_name: str = ""
    team_name: str = ""


def find_member(snapshot: Snapshot, text: str) -> tuple[str, str]:
    """The one current member ``text`` names (name, pinyin...): (id, name); NotFound if none
    or several (the sentence lists a few, so the person can be more exact)."""
    match = make_matcher(text)
    exact = [d for d in snapshot.all("members") if d.get("name") == text.strip()]
    found = exact or [d for d in snapshot.all("members") if match(search_text(d))]
    if len(found) == 1:
        return str(found[0]["id"]), str(found[0].get("name") or "")
    if not found:
        raise NotFound(_("No member is called “{name}”.").format(name=text))
    names = _(", ").join(str(d.get("name") or "") for d in found[:5])
    raise NotFound(
        _("“{name}” matches {count} members ({names}); be more exact.").format(
            name=text, count=len(found), names=names
        )
    )


def find_team(snapshot: Snapshot, text: str) -> tuple[str, str]:
    """The team named ``text`` (exactly, or the one whose name contains it): (id, name)."""
    every = teams(snapshot, include_archived=True)
    found = [t for t in every if t.name == text.strip()] or [
        t for t in every if text.strip() and text.strip() in t.name
    ]
    if len(found) == 1:
        return found[0].id, found[0].name
    if not found:
        raise NotFound(_("No team is called “{name}”.").format(name=text))
    raise NotFound(_("“{name}” matches several teams; be more exact.").format(name=text))


def select(
    snapshot: Snapshot, selection: Selection, *, include_cancelled: bool = False
) -> list[Shift]:
    """The shifts of ``selection``, in date and time order."""
    if selection.monday is not None:
        found = shifts_between(
            snapshot,
            selection.monday,
            selection.monday + dt.timedelta(days=6),
            include_cancelled=include_cancelled,
        )
    else:
        found = all_shifts(snapshot, include_cancelled=include_cancelled)
    if selection.member_id:
        found = [s for s in found if s.assignment(selection.member_id) is not None]
    if selection.team_id:
        found = [s for s in found if s.team_id == selection.team_id]
    return found


def render(snapshot: Snapshot, selection: Selection, fmt: str, today: dt.date) -> tuple[bytes, int]:
    """The file's bytes and how many shifts are in it."""
    places = place_names(snapshot)
    if fmt == "ics":
        shifts = select(snapshot, selection, include_cancelled=True)
        people = member_names(snapshot, {a.member_id for s in shifts for a in s.assignments})
        settings = settings_ops.current(snapshot)
        who = selection.member_name or selection.team_name or settings.community_name
        title = _("Patrols: {who}").format(who=who) if who else _("Patrols")
        payload = ics.calendar_bytes(
            shifts, places, people, time_zone=settings.patrol_time_zone, title=title
        )
        return payload, sum(1 for s in shifts if not s.cancelled)
    if fmt == "csv":
        shifts = select(snapshot, selection)
        people = member_names(snapshot, {a.member_id for s in shifts for a in s.assignments})
        return _csv(shifts, places, people, selection.member_id), len(shifts)
    if fmt == "sheet":
        monday = selection.monday or monday_of(today)
        shifts = select(snapshot, Selection(monday, selection.member_id, selection.team_id))
        people = member_names(
            snapshot,
            {a.member_id for s in shifts for a in s.assignments} | {s.leader_id for s in shifts},
        )
        text = sheet.weekly_sheet(
            shifts,
            monday,
            places,
            people,
            community=settings_ops.current(snapshot).community_name,
            team=selection.team_name,
        )
        return text.encode("utf-8"), len(shifts)
    raise ValueError(f"unknown export format {fmt!r}")


def _csv(shifts: list[Shift], places: dict[str, str], people: dict[str, str], only: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for shift in shifts:
        assert shift.date is not None
        base = [
            shift.date.isoformat(),
            weekday_label(shift.date.isoweekday()),
            f"{shift.start:%H:%M}" if shift.start else "",
            f"{shift.end:%H:%M}" if shift.end else "",
            places.get(shift.zone_id, ""),
            places.get(shift.team_id, ""),
        ]
        places_on = [a for a in shift.assignments if not only or a.member_id == only]
        rows = [[people.get(a.member_id, ""), label(a.status)] for a in places_on] or [["", ""]]
        for person in rows:
            cells = [*base, *person, f"{shift.hours:g}"]
            writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return out.getvalue().encode("utf-8-sig")


def may_export(actor: Actor, selection: Selection) -> None:
    """Coordinators and admins export any shifts; anyone else only their own (a volunteer's
    "my shifts" to their phone's calendar). PermissionDenied otherwise."""
    own = bool(actor.member_id) and selection.member_id == actor.member_id
    if not (own and not selection.team_id):
        require(actor, Action.EXPORT)


def export_patrols(
    db: Database,
    actor: Actor,
    target: Path | str,
    fmt: str,
    selection: Selection,
    *,
    stdout: BinaryIO | None = None,
) -> int:
    """Write the selected shifts to ``target`` in ``fmt`` (ics, csv, sheet); returns how many.

    ``target`` is a path or ``"-"`` (standard output). Who may export what:
    :func:`may_export`. Raises
    :class:`~store.engine.output.OutputRefused` or :class:`~store.errors.WriteFailed` (one
    sentence); whatever was at the target is then untouched.
    """
    may_export(actor, selection)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    payload, count = render(db.snapshot(), selection, fmt, db.today())
    write_output(target, payload, db, stdout=stdout)
    return count
