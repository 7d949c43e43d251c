"""Check-in on the day: one pass down the shift's list, one key per person.

p marks the selected person present, b absent, x excused (Space goes round the three), and
the cursor moves on to the next person, so a whole shift is done with a key each. Ctrl+S
saves everyone at once; Esc asks before dropping marks not saved. Status is written in words
beside each name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from screens.patrols.lines import LineList
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel, fit
from store.enums import AssignmentStatus, label
from store.errors import StoreError
from store.i18n import N_, _

if TYPE_CHECKING:
    from screens.patrols.view import Person

ROUND = (AssignmentStatus.PRESENT, AssignmentStatus.ABSENT, AssignmentStatus.EXCUSED)


class CheckInDialog(ModalScreen[bool]):
    """Statuses for ``people`` of shift ``shift_id``; returns True once saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "mark('present')", N_("Present")),
        Binding("b", "mark('absent')", N_("Absent")),
        Binding("x", "mark('excused')", N_("Excused")),
        Binding("space", "cycle", N_("Next status"), show=False),
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Result(Message):
        error: str = ""

    def __init__(self, session: Session, shift_id: str, people: tuple[Person, ...]) -> None:
        super().__init__()
        translate_bindings(self)
        self.session = session
        self.shift_id = shift_id
        self.people = people
        self.names = {p.member_id: p.name for p in people}
        self.before = {p.member_id: p.place.status for p in people}
        self.statuses = dict(self.before)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="checkin-dialog"):
            yield SafeLabel(_("Check-in: p present, b absent, x excused; Ctrl+S saves."))
            yield LineList(id="checkin-list")
            yield SafeLabel("", id="checkin-message")
        yield FittingFooter()

    @property
    def list(self) -> LineList:
        return self.query_one(LineList)

    def on_mount(self) -> None:
        self.redraw()
        self.list.focus()

    def redraw(self) -> None:
        self.list.show_lines(
            [
                (m, fit(self.names[m], 14) + " " + label(status))
                for m, status in self.statuses.items()
            ]
        )

    def action_mark(self, status: str) -> None:
        """Mark the selected person and move on to the next."""
        member_id = self.list.current
        if member_id is None:
            return
        self.statuses[member_id] = AssignmentStatus(status)
        index = self.list.highlighted or 0
        self.redraw()
        self.list.highlighted = min(index + 1, len(self.statuses) - 1)

    def action_cycle(self) -> None:
        """Space: the next of present, absent, excused."""
        member_id = self.list.current
        if member_id is None:
            return
        status = self.statuses[member_id]
        following = ROUND[(ROUND.index(status) + 1) % 3] if status in ROUND else ROUND[0]
        index = self.list.highlighted or 0
        self.statuses[member_id] = following
        self.redraw()
        self.list.highlighted = index

    def changed(self) -> dict[str, AssignmentStatus]:
        return {m: s for m, s in self.statuses.items() if s != self.before[m]}

    def action_save(self) -> None:
        """Save every mark at once (Ctrl+S)."""
        if not self.changed():
            self.dismiss(False)
            return
        self._save(self.changed())

    @work(thread=True, exclusive=True, group="save")
    def _save(self, statuses: dict[str, AssignmentStatus]) -> None:
        from store.patrols import assign

        try:
            assign.check_in(self.session.db, self.session.acting, self.shift_id, statuses)
        except StoreError as error:
            self.post_message(self.Result(str(error)))
            return
        self.post_message(self.Result())

    @on(Result)
    def _result(self, message: Result) -> None:
        if message.error:
            self.query_one("#checkin-message", SafeLabel).update(message.error)
        else:
            self.dismiss(True)

    def action_back(self) -> None:
        """Close (Esc); asks before dropping marks not saved."""
        if not self.changed():
            self.dismiss(False)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmDialog(
                _("The check-in is not saved. Drop it?"), yes=_("Drop it"), no=_("Keep editing")
            ),
            answered,
        )
