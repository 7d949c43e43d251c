"""Section 3, patrols: the week grid, and the way to every other patrol screen.

Days run across, time slots down; each cell says how many people are on the shift against
how many it needs, with marks for below minimum, full, a clash or a swap offered
(screens/patrols/view.py). The line under the grid says the cell in words.

Keys: arrows move cell to cell, PgUp/PgDn a week, t today, Enter opens the shift, n a new
shift (on the cursor's day), e edits it, Del cancels it (asks first), a assigns people,
d lists the day, m "my shifts", g the weekly templates, z the teams and zones, o the
no-shows, y the hours, x exports (.ics, CSV, the printed sheet). Keys a role may not use
are hidden, and the store refuses them anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from screens.patrols.grid import WeekGrid, WeekHeading
from screens.patrols.view import SHIFT_TABLES, Cell, WeekView, build_week, legend
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import StoreError
from store.i18n import N_, _
from store.patrols.weeks import monday_of
from store.permissions import Action, allowed


class PatrolsScreen(SectionScreen):
    """The base screen of section 3: one week of the schedule."""

    NEEDS: ClassVar[Mapping[str, Action]] = {  # what the role needs for each key
        "new": Action.EDIT_SCHEDULE,
        "edit": Action.EDIT_SCHEDULE,
        "cancel": Action.EDIT_SCHEDULE,
        "assign": Action.EDIT_SCHEDULE,
        "templates": Action.EDIT_SCHEDULE,
        "places": Action.EDIT_SCHEDULE,
        "no_shows": Action.EDIT_SCHEDULE,
        "hours": Action.EDIT_SCHEDULE,
        "export": Action.EXPORT,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # At 80 columns the footer has room for four of the screen's keys; F1 lists them all.
        Binding("a", "assign", N_("Assign")),
        Binding("n", "new", N_("New")),
        Binding("m", "mine", N_("Mine")),  # shown to volunteers (they have room)
        Binding("m", "my_shifts", N_("Mine"), show=False),  # the same, for planners
        Binding("g", "templates", N_("Templates")),
        Binding("e", "edit", N_("Edit"), show=False),
        Binding("delete", "cancel", N_("Cancel shift"), show=False),
        Binding("d", "day", N_("Day"), show=False),
        Binding("x", "export", N_("Export"), show=False),
        Binding("z", "places", N_("Teams and zones"), show=False),
        Binding("o", "no_shows", N_("No-shows"), show=False),
        Binding("y", "hours", N_("Patrol hours"), show=False),
        Binding("pageup", "week(-1)", N_("Previous week"), show=False),
        Binding("pagedown", "week(1)", N_("Next week"), show=False),
        Binding("t", "today", N_("This week"), show=False),
    ]

    @dataclass
    class Changed(Message):
        """A change went through; ``message`` says what."""

        message: str
        shift_id: str = ""

    @dataclass
    class Failed(Message):
        """A change was refused; ``reason`` is the store's sentence."""

        reason: str

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="patrols")
        self.today = session.db.today()
        self.monday = monday_of(self.today)
        self.view: WeekView | None = None
        self.keep: str | None = None  # the shift the cursor goes to on the next load
        self._column: int | None = self.today.weekday()
        self._keys_state: bool | None = None

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="patrols-summary")
        yield WeekHeading(id="patrols-heading")
        yield WeekGrid(id="patrols-grid", on_move=self._cell_moved)
        yield SafeLabel("", id="patrols-cell")
        yield SafeLabel(legend(), id="patrols-legend")

    @property
    def grid(self) -> WeekGrid:
        return self.query_one(WeekGrid)

    def on_mount(self) -> None:
        self.grid.focus()

    # -- loading -------------------------------------------------------------------------------

    # The week is made from the shifts, the places' and the people's names: another session's
    # contact, session or setting saved changes none of it, and costs the grid nothing.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return self.monday.isoformat()

    def prepare(self, snapshot: Snapshot) -> WeekView:
        return build_week(snapshot, self.monday, self.session.db.today())

    def show_again(self) -> bool:
        return self.keep is not None or self._column is not None  # a cursor to place

    def show(self, view: WeekView) -> None:
        self.view = view
        self.query_one("#patrols-summary", SafeLabel).update(view.summary(), layout=False)
        self.query_one(WeekHeading).show(view)
        keep, self.keep = self.keep or self._current_id(), None
        column, self._column = self._column, None
        self.grid.show(view, keep=keep, column=column)
        self._describe(self.grid.current)
        self._sync_keys()

    def _current_id(self) -> str | None:
        cell = self.grid.current
        return cell.shift_id if cell else None

    def _describe(self, cell: Cell | None) -> None:
        if cell is not None:
            text = cell.describe()
        elif self.view is not None and not self.view.rows:
            if allowed(self.session.acting, Action.EDIT_SCHEDULE):
                text = _("No shifts this week: n adds one, g makes them from a weekly template.")
            else:
                text = _("No shifts this week.")
        else:
            text = _("No shift here.")
        self.query_one("#patrols-cell", SafeLabel).update(text, layout=False)

    def _cell_moved(self, cell: Cell | None) -> None:
        """The cursor moved (called by the grid in the key's handler: one frame per key)."""
        self._describe(cell)
        self._sync_keys()

    def _sync_keys(self) -> None:
        """Redraw the footer only when which keys apply changed (a shift or an empty cell).

        Redrawing the footer restyles a dozen widgets and resends its whole line: per arrow
        key over a slow link, most of the bytes.
        """
        state = self.grid.current is not None
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    # -- which keys apply ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        staff = allowed(self.session.acting, Action.EDIT_SCHEDULE)
        if action in ("mine", "my_shifts"):
            return staff == (action == "my_shifts")
        cell = self.grid.current if self.is_mounted else None
        if action in ("edit", "cancel", "assign"):
            return cell is not None
        return True

    # -- weeks ---------------------------------------------------------------------------------

    def go_to_week(self, monday: dt.date, column: int | None = None) -> None:
        """Show the week starting ``monday`` (the cursor keeps its day unless told)."""
        self.monday = monday
        self._column = self.grid.day if column is None else column
        self.reload()

    def action_week(self, step: int) -> None:
        """The week before or after (PgUp/PgDn)."""
        self.go_to_week(self.monday + dt.timedelta(weeks=step))

    def action_today(self) -> None:
        """This week, on today (t)."""
        today = self.session.db.today()
        self.go_to_week(monday_of(today), today.weekday())

    # -- opening -------------------------------------------------------------------------------

    @on(WeekGrid.Opened)
    def _opened(self, message: WeekGrid.Opened) -> None:
        if message.cell is not None:
            self.open_shift(message.cell.shift_id)
        elif allowed(self.session.acting, Action.EDIT_SCHEDULE):
            self.action_new()

    def open_shift(self, shift_id: str) -> None:
        """The shift's own screen: who is on it, check-in, swaps."""
        from screens.patrols.shift import ShiftScreen

        self.keep = shift_id
        self.app.push_screen(ShiftScreen(self.session, self.section_title, shift_id))

    def cursor_day(self) -> dt.date:
        return self.monday + dt.timedelta(days=self.grid.day)

    def action_new(self) -> None:
        """A new shift on the cursor's day, in its row's times and places (n)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.shift_form import ShiftForm

        slot = self.grid.slot
        form = ShiftForm(self.session, self.section_title, None, day=self.cursor_day(), like=slot)
        self.app.push_screen(form, lambda _result: self._form_closed(form.saved_id))

    def action_edit(self) -> None:
        """Edit the shift under the cursor (e)."""
        cell = self.grid.current
        if cell is None or not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.shift_form import ShiftForm

        form = ShiftForm(self.session, self.section_title, cell.shift_id)
        self.app.push_screen(form, lambda _result: self._form_closed(form.saved_id))

    def _form_closed(self, saved: str | None) -> None:
        if saved:
            self.keep = saved
            self.reload()

    def action_assign(self) -> None:
        """Put people on the shift under the cursor (a)."""
        cell = self.grid.current
        if cell is None or not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.assign import AssignDialog

        self.keep = cell.shift_id
        self.app.push_screen(AssignDialog(self.session, cell.shift_id), lambda _r: self.reload())

    def action_day(self) -> None:
        """Every shift of the cursor's day, with who is on it (d)."""
        from screens.patrols.day import DayScreen

        self.app.push_screen(DayScreen(self.session, self.section_title, self.cursor_day()))

    def action_mine(self) -> None:
        """The logged-in volunteer's own shifts and swaps (m)."""
        from screens.patrols.mine import MyShiftsScreen

        self.app.push_screen(MyShiftsScreen(self.session, self.section_title))

    def action_my_shifts(self) -> None:
        """The logged-in user's own shifts and swaps (m)."""
        self.action_mine()

    def action_templates(self) -> None:
        """The weekly templates that make shifts (g)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.templates import TemplatesScreen

        self.app.push_screen(TemplatesScreen(self.session, self.section_title))

    def action_places(self) -> None:
        """The teams and the zones or routes: add, edit, archive, restore (z)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.places import PlacesScreen

        self.app.push_screen(
            PlacesScreen(self.session, self.section_title), lambda _r: self.reload()
        )

    def action_no_shows(self) -> None:
        """Who was marked absent in the past week, to follow up (o)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.noshows import NoShowsScreen

        self.app.push_screen(NoShowsScreen(self.session, self.section_title))

    def action_hours(self) -> None:
        """Hours given per team and per member, by month and year (y)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.hours import PatrolHoursScreen

        self.app.push_screen(PatrolHoursScreen(self.session, self.section_title))

    def action_export(self) -> None:
        """Write this week (or more) to .ics, CSV or the printed sheet (x)."""
        if not self.permitted(Action.EXPORT):
            return
        from screens.patrols.export import PatrolExportDialog

        self.app.push_screen(PatrolExportDialog(self.session, self.monday))

    # -- cancelling ----------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Cancel the shift under the cursor (Del), after asking."""
        cell = self.grid.current
        if cell is None or not self.permitted(Action.EDIT_SCHEDULE):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(cell)

        question = _("Cancel the shift {what}? It leaves the schedule; nobody is deleted.").format(
            what=f"{cell.day:%m-%d} {cell.times} {cell.place}".strip()
        )
        self.app.push_screen(
            ConfirmDialog(question, yes=_("Cancel shift"), no=_("Keep it")), answered
        )

    @work(thread=True, exclusive=True, group="change")
    def _cancel(self, cell: Cell) -> None:
        from store.patrols import ops

        try:
            ops.cancel_shift(self.session.db, self.session.acting, cell.shift_id, cell.version)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Changed(_("Shift cancelled.")))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.message, markup=False)
        self.keep = message.shift_id or None
        self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="warning", markup=False)
        self.reload()
