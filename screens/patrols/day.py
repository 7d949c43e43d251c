"""One day's shifts with who is on each (d on the grid); Enter opens a shift (the footer
says "Enter Open"), ←/→ the day before or after."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from screens.patrols.lines import LineList
from screens.patrols.view import SHIFT_TABLES, build_week
from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import weekday_label
from store.i18n import N_, _, join_list
from store.patrols.weeks import monday_of

# Where "Enter Open" leaves no room for both days' words (English at 80 columns), the footer
# folds them into one key, "←/→ Days" (screens/widgets/footer.py).
DAY_KEYS = Binding.Group(N_("Days"))


class DayScreen(SectionScreen):
    """The shifts of ``day``, one line each, then one line per person on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", N_("Previous day"), group=DAY_KEYS),
        Binding("right", "step(1)", N_("Next day"), group=DAY_KEYS),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str, day: dt.date) -> None:
        super().__init__(session, title, id="patrol-day")
        self.day = day

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="day-title", classes="patrol-heading")
        yield LineList(id="day-list", show_open=True)

    def on_mount(self) -> None:
        self.query_one(LineList).focus()

    # The day's shifts, their places and people: kept through saves of anything else.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return self.day.isoformat()

    def prepare(self, snapshot: Snapshot) -> list[tuple[str, str]]:
        view = build_week(snapshot, monday_of(self.day), self.session.db.today())
        lines = []
        for row in view.rows:
            cell = row.cells[self.day.weekday()]
            if cell is None:
                continue
            head = " ".join(p for p in (cell.times, cell.place, cell.team) if p)
            state = " · ".join(p for p in (cell.staffing(), cell.marks_text()) if p)
            lines.append((cell.shift_id, f"{head}  {state}"))
            people = join_list(cell.people) if cell.people else _("nobody yet")
            lines.append((cell.shift_id + ":people", "    " + people))
        return lines

    def show(self, view: list[tuple[str, str]]) -> None:
        title = f"{self.day.isoformat()} {weekday_label(self.day.isoweekday())}"
        self.query_one("#day-title", SafeLabel).update(title)
        self.query_one(LineList).show_lines(view or [("", _("No shifts on this day."))])

    def action_step(self, days: int) -> None:
        """The day before or after."""
        self.day += dt.timedelta(days=days)
        self.reload()

    @on(OptionList.OptionSelected)
    def _open(self) -> None:
        current = self.query_one(LineList).current
        if current:
            from screens.patrols.shift import ShiftScreen

            shift_id = current.removesuffix(":people")
            self.app.push_screen(ShiftScreen(self.session, self.section_title, shift_id))

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
