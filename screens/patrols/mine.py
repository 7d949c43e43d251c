"""My shifts (m): the logged-in volunteer's shifts, swaps and places offered by others.

Three parts, each line saying what it is in words: my shifts from today (``~`` when I offered
mine), shifts I gave away by a swap (``⇄ to 李四``), and places others offered that I could
take. Enter opens a shift (where o offers, t takes, u undoes); x writes my shifts to a file
(.ics for the phone's calendar). An account not linked to a member of the roster is told so.
"""

from __future__ import annotations

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
from store.i18n import N_, _
from store.patrols import hours, reads
from store.patrols.model import Shift
from store.textsafe import clean_line


def shift_text(shift: Shift, places: dict[str, str]) -> str:
    day = shift.date.isoformat() if shift.date else ""
    return " ".join(
        p for p in (day, times_of(shift), clean_line(places.get(shift.zone_id, ""))) if p
    )


class MyShiftsScreen(SectionScreen):
    """The acting user's own schedule."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", N_("To my calendar")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="my-shifts")

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="mine-title", classes="patrol-heading")
        yield LineList(id="mine-list", show_open=True)

    def on_mount(self) -> None:
        self.query_one(LineList).focus()

    # The shifts (mine, given away, offered), the places and names: kept through other
    # saves. Whose shifts and from which day are in the key already (the actor, the day).
    VIEW_TABLES = SHIFT_TABLES

    def prepare(self, snapshot: Snapshot) -> tuple[str, list[tuple[str, str]]]:
        me = self.session.acting.member_id
        if me is None:
            return _("Your account is not linked to a member of the roster; ask an admin."), []
        today = self.session.db.today()
        places = reads.place_names(snapshot)
        lines: list[tuple[str, str]] = []
        mine = [s for s in reads.member_shifts(snapshot, me) if s.date and s.date >= today]
        for shift in mine:
            place = shift.assignment(me)
            mark = " ~ " + _("offered") if place and place.offered else ""
            lines.append((shift.id, shift_text(shift, places) + mark))
        given = [s for s in reads.given_away(snapshot, me) if s.date and s.date >= today]
        names = reads.member_names(snapshot, {a.member_id for s in given for a in s.assignments})
        for shift in given:
            taker = next((a.member_id for a in shift.assignments if a.swapped_from == me), "")
            lines.append(
                (
                    shift.id + ":given",
                    shift_text(shift, places)
                    + "  "
                    + _("⇄ to {name}").format(name=clean_line(names.get(taker, "?"))),
                )
            )
        for shift in reads.offered_shifts(snapshot, since=today):
            if shift.assignment(me) is None:
                lines.append(
                    (
                        shift.id + ":offer",
                        shift_text(shift, places) + "  " + _("offered: you may take it"),
                    )
                )
        year = hours.member_hours(snapshot, me, today.year)
        title = _("My shifts · {hours} hours this year, {count} shifts present").format(
            hours=f"{year.total:g}", count=year.shifts
        )
        return title, lines

    def show(self, view: tuple[str, list[tuple[str, str]]]) -> None:
        title, lines = view
        self.query_one("#mine-title", SafeLabel).update(title)
        self.query_one(LineList).show_lines(lines or [("", _("No shifts coming up."))])

    @on(OptionList.OptionSelected)
    def _open(self) -> None:
        current = self.query_one(LineList).current
        if current:
            from screens.patrols.shift import ShiftScreen

            shift_id = current.split(":")[0]
            self.app.push_screen(ShiftScreen(self.session, self.section_title, shift_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "export":
            return bool(self.session.acting.member_id)
        return True

    def action_export(self) -> None:
        """Write my shifts to a file, .ics for the phone's calendar first (x)."""
        if not self.session.acting.member_id:
            return
        from screens.patrols.export import PatrolExportDialog
        from store.patrols.weeks import monday_of

        monday = monday_of(self.session.db.today())
        self.app.push_screen(PatrolExportDialog(self.session, monday, mine=True))

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
