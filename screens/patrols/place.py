"""A patrol team's or zone's page: who is in the team or where the zone goes, and its shifts.

Opened from the command palette (Ctrl+P, screens/patrols/jump.py): typing a team's or a zone's
name, initials or pinyin lands here rather than on the week grid, whose rows mix every team
and zone. The page lists the team's (or zone's) shifts from today on, each line saying in words
when, where (or which team) and how many are on it; Enter opens a shift, Esc goes back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from screens.patrols.lines import LineList
from screens.patrols.view import SHIFT_TABLES, times_of
from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.i18n import N_, _, join_list, ngettext
from store.patrols import reads
from store.patrols.staffing import staffing
from store.textsafe import clean_line

TEAMS = "teams"
ZONES = "zones"
SHOWN_NAMES = 6  # team members named on the info line; the rest are counted
MAX_SHIFTS = 200  # shifts listed (about a year of weekly ones)


@dataclass(frozen=True, slots=True)
class PlaceView:
    """What the page shows: a title, one line about the place, and its coming shifts."""

    title: str
    info: str
    lines: list[tuple[str, str]]


def team_info(snapshot: Snapshot, leader_id: str, member_ids: list[str]) -> str:
    """The team's leader and members, in words ("Leader: 张三 · Members: 张三、李四 and 3 more")."""
    names = reads.member_names(snapshot, {leader_id, *member_ids} - {""})
    parts = []
    if leader_id:
        parts.append(_("Leader: {name}").format(name=clean_line(names.get(leader_id, "?"))))
    shown = [clean_line(names[m]) for m in member_ids if m in names][:SHOWN_NAMES]
    if shown:
        rest = len(member_ids) - len(shown)
        listed = join_list(shown)
        if rest > 0:
            listed += " " + ngettext("and {n} more", "and {n} more", rest).format(n=rest)
        parts.append(_("Members: {names}").format(names=listed))
    return " · ".join(parts) or _("No members yet.")


def build_place(snapshot: Snapshot, table: str, place_id: str, today: dt.date) -> PlaceView:
    """The page of team or zone ``place_id`` (``table`` says which) from ``today`` on."""
    places = reads.place_names(snapshot)
    if table == TEAMS:
        team = reads.team(snapshot, place_id)
        if team is None:
            return PlaceView(_("This team is gone."), "", [])
        title = _("Team: {team}").format(team=clean_line(team.name))
        info = team_info(snapshot, team.leader_id, team.member_ids)
    else:
        zone = reads.zone(snapshot, place_id)
        if zone is None:
            return PlaceView(_("This zone is gone."), "", [])
        title = _("Zone: {name}").format(name=clean_line(zone.name))
        info = clean_line(zone.description)
    lines = []
    for shift in reads.shifts_between(snapshot, today, dt.date.max):
        assert shift.date is not None
        if (shift.team_id if table == TEAMS else shift.zone_id) != place_id:
            continue
        other = shift.zone_id if table == TEAMS else shift.team_id
        words = [
            shift.date.isoformat(),
            times_of(shift),
            clean_line(places.get(other, "")),
            staffing(shift.staffed, shift.min_people, shift.max_people),
        ]
        lines.append((shift.id, "  ".join(word for word in words if word)))
        if len(lines) >= MAX_SHIFTS:
            break
    return PlaceView(title, info, lines)


class PlaceScreen(SectionScreen):
    """One team's or zone's page (from Ctrl+P)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"))]

    def __init__(self, session: Session, title: str, table: str, place_id: str) -> None:
        super().__init__(session, title, id="place")
        self.table = table
        self.place_id = place_id

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the database…"), id="place-title", classes="patrol-heading")
        yield SafeLabel("", id="place-info")
        yield SafeLabel(_("Shifts from today (Enter opens one)"), id="place-heading")
        yield LineList(id="place-shifts")

    def on_mount(self) -> None:
        self.query_one(LineList).focus()

    # The team or zone, the shifts at it and the names on them: kept through other saves.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return f"{self.table}:{self.place_id}"

    def prepare(self, snapshot: Snapshot) -> PlaceView:
        return build_place(snapshot, self.table, self.place_id, self.session.db.today())

    def show(self, view: PlaceView) -> None:
        self.query_one("#place-title", SafeLabel).update(view.title)
        self.query_one("#place-info", SafeLabel).update(view.info)
        self.query_one(LineList).show_lines(view.lines or [("", _("No shifts coming up."))])

    @on(OptionList.OptionSelected)
    def _open(self) -> None:
        shift_id = self.query_one(LineList).current
        if shift_id:
            from screens.patrols.shift import ShiftScreen

            self.app.push_screen(ShiftScreen(self.session, self.section_title, shift_id))

    def action_back(self) -> None:
        """Back to where the palette was opened (Esc)."""
        self.dismiss(None)
