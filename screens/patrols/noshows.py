"""No-shows (o on the grid): who was marked absent from a shift, for coordinators to follow up.

It opens on the past seven days (today's shifts included, as the dashboard counts them);
Left and Right go a week back or on. Each line is the shift (date, weekday, times, place) and
the member, with how often they were absent this year, so a habit shows beside a one-off.
Enter opens the member, whose page has the phone and takes the contact note.
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
from screens.widgets.columns import Column, line, widths
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import weekday_label
from store.i18n import N_, _, ngettext
from store.patrols import hours, reads
from store.textsafe import clean_line

WEEK = 7


@dataclass(frozen=True, slots=True)
class NoShowsView:
    """The period's no-shows as lines (member id, text) and its title."""

    title: str
    lines: tuple[tuple[str, str], ...]


def build_no_shows(snapshot: Snapshot, last: dt.date) -> NoShowsView:
    """The no-shows of the seven days ending ``last``, in date order."""
    first = last - dt.timedelta(days=WEEK - 1)
    found = hours.no_shows(snapshot, first, last)
    who = {n.member_id for n in found}
    names = reads.member_names(snapshot, who)
    places = reads.place_names(snapshot)
    absent = {m: hours.member_hours(snapshot, m, last.year).absent for m in who}
    cells = []
    for shift_absence in found:
        shift, member = shift_absence.shift, shift_absence.member_id
        assert shift.date is not None
        day = f"{shift.date:%m-%d} {weekday_label(shift.date.isoweekday())}"
        where = clean_line(places.get(shift.zone_id, ""))
        times = ngettext(
            "absent {n} time in {year}", "absent {n} times in {year}", absent[member]
        ).format(n=absent[member], year=last.year)
        cells.append((day, times_of(shift), where, clean_line(names.get(member, "?")), times))
    # Each column as wide as its widest cell, so the places and names line up (the list cuts
    # a line too long for the terminal at its end).
    sizes = widths([Column("")] * 5, cells, total=10_000)
    lines = [
        (f"{absence.member_id}:{i}", line(row, sizes, total=10_000))
        for i, (absence, row) in enumerate(zip(found, cells, strict=True))
    ]
    title = ngettext(
        "No-shows {first} to {last} · {n} place",
        "No-shows {first} to {last} · {n} places",
        len(found),
    ).format(first=f"{first:%m-%d}", last=f"{last:%m-%d}", n=len(found))
    return NoShowsView(title, tuple(lines))


class NoShowsScreen(SectionScreen):
    """Places marked absent in a week; Enter opens the member."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "week(-1)", N_("Week before")),
        Binding("right", "week(1)", N_("Week after")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="no-shows")
        self.last = session.db.today()

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="no-shows-title", classes="patrol-heading")
        yield LineList(id="no-shows-list")
        yield SafeLabel(
            _("Enter opens the member, to call and note the contact."), id="no-shows-hint"
        )

    def on_mount(self) -> None:
        self.query_one(LineList).focus()

    # The shifts' absences, their places and the people's names: kept through other saves.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return self.last.isoformat()

    def prepare(self, snapshot: Snapshot) -> NoShowsView:
        return build_no_shows(snapshot, self.last)

    def show(self, view: NoShowsView) -> None:
        self.query_one("#no-shows-title", SafeLabel).update(view.title)
        lines = list(view.lines) or [("", _("Nobody was marked absent in these days."))]
        self.query_one(LineList).show_lines(lines)

    def action_week(self, step: int) -> None:
        """A week back (Left) or on (Right)."""
        self.last += dt.timedelta(days=WEEK * step)
        self.reload()

    @on(OptionList.OptionSelected)
    def _open(self) -> None:
        current = self.query_one(LineList).current
        if current:
            member_id = current.split(":")[0]
            self.session.routes.open_member(self.app, member_id, self.section_title)

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
