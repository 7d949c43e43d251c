"""One shift: when and where, who is on it and how they checked in; assign, check-in, swaps.

Keys: a assigns people, Del takes the selected person off (asks first), c checks people in,
o offers the selected place for a swap (a volunteer: their own), t takes an offered place,
v approves a swap waiting for approval, u undoes a swap, e edits the shift, Enter opens the
selected member, Esc goes back. Each person's line says their status in words and marks a
swap (``~ offered``, ``→ waiting for approval``, ``⇄ from 张三``) or an override (``*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList

from screens.patrols.lines import LineList
from screens.patrols.view import SHIFT_TABLES, Person, times_of
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.text import SafeLabel, fit
from store.engine.database import Snapshot
from store.enums import AssignmentStatus, label, weekday_label
from store.errors import StoreError
from store.i18n import N_, _
from store.patrols import reads
from store.patrols.model import Assignment, Shift
from store.patrols.staffing import staffing
from store.permissions import Action, allowed
from store.textsafe import clean_line, clean_text


@dataclass(frozen=True, slots=True)
class ShiftView:
    """The shift, in lines of text, and its people."""

    shift: Shift | None
    title: str = ""
    info: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()


def person_line(place: Assignment, names: dict[str, str]) -> str:
    name = clean_line(names.get(place.member_id, "?"))
    marks = []
    if place.offered and place.taker_id:
        marks.append(
            _("→ {name} waiting for approval").format(
                name=clean_line(names.get(place.taker_id, "?"))
            )
        )
    elif place.offered:
        marks.append(_("~ offered for a swap"))
    if place.swapped_from:
        marks.append(_("⇄ from {name}").format(name=clean_line(names.get(place.swapped_from, "?"))))
    if place.override:
        marks.append(
            _("* assigned despite a rule: {reason}").format(reason=clean_line(place.override))
        )
    # The status as wide as its widest word in the language in use ("Scheduled" is 9 cells).
    status = max(cell_len(label(s)) for s in AssignmentStatus)
    return fit(name, 12) + " " + fit(label(place.status), status) + " " + "  ".join(marks)


def build_shift_view(snapshot: Snapshot, shift_id: str) -> ShiftView:
    shift = reads.shift(snapshot, shift_id)
    if shift is None or shift.date is None:
        return ShiftView(None)
    places = reads.place_names(snapshot)
    ids = {a.member_id for a in shift.assignments} | {a.taker_id for a in shift.assignments}
    ids |= {a.swapped_from for a in shift.assignments} | {shift.leader_id}
    names = reads.member_names(snapshot, [i for i in ids if i])
    title = " ".join(
        part
        for part in (
            f"{shift.date.isoformat()} {weekday_label(shift.date.isoweekday())}",
            times_of(shift),
            clean_line(places.get(shift.zone_id, "")),
        )
        if part
    )
    if shift.cancelled:
        title += " " + _("(cancelled)")
    info = [
        _("Team: {team}").format(team=clean_line(places.get(shift.team_id, "")) or "—")
        + "   "
        + staffing(shift.staffed, shift.min_people, shift.max_people)
        + (
            "   " + _("Leader: {name}").format(name=clean_line(names.get(shift.leader_id, "")))
            if shift.leader_id
            else ""
        ),
    ]
    if shift.leader_id and shift.leader_override:
        info.append(
            _("Leader without the required certificate: {reason}").format(
                reason=clean_line(shift.leader_override)
            )
        )
    if shift.understaffed:
        info.append(
            _("! Below minimum: {count} more needed.").format(
                count=shift.min_people - shift.staffed
            )
        )
    if shift.note:
        info.append(_("Note: {note}").format(note=" ".join(clean_text(shift.note).split())))
    if shift.incident:
        info.append(_("Incident: {text}").format(text=" ".join(clean_text(shift.incident).split())))
    people = tuple(
        Person(a.member_id, clean_line(names.get(a.member_id, "?")), a, person_line(a, names))
        for a in shift.assignments
    )
    return ShiftView(shift, title, tuple(info), people)


class ShiftScreen(SectionScreen):
    """One shift's detail (Enter on the grid, the day view or "my shifts")."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "assign": Action.EDIT_SCHEDULE,
        "edit": Action.EDIT_SCHEDULE,
        "remove": Action.EDIT_SCHEDULE,
        "approve": Action.EDIT_SCHEDULE,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", N_("Assign")),
        Binding("c", "check_in", N_("Check in")),
        Binding("o", "offer", N_("Offer swap")),
        Binding("t", "take", N_("Take")),
        Binding("v", "approve", N_("Approve swap")),
        Binding("u", "undo", N_("Undo swap")),
        Binding("delete", "remove", N_("Take off")),
        Binding("e", "edit", N_("Edit"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Changed(Message):
        message: str

    @dataclass
    class Failed(Message):
        reason: str

    def __init__(self, session: Session, title: str, shift_id: str) -> None:
        super().__init__(session, title, id="shift")
        self.shift_id = shift_id
        self.view = ShiftView(None)

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the database…"), id="shift-title")
        yield SafeLabel("", id="shift-info")
        yield SafeLabel(_("On this shift"), id="shift-people-heading", classes="patrol-heading")
        yield LineList(id="shift-people")

    @property
    def people(self) -> LineList:
        return self.query_one("#shift-people", LineList)

    def on_mount(self) -> None:
        self.people.focus()

    # The shift, its places' and people's names: kept through saves of anything else.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return self.shift_id

    def prepare(self, snapshot: Snapshot) -> ShiftView:
        return build_shift_view(snapshot, self.shift_id)

    def show(self, view: ShiftView) -> None:
        self.view = view
        if view.shift is None:
            self.query_one("#shift-title", SafeLabel).update(
                _("That shift no longer exists; someone may have deleted it.")
            )
            self.people.show_lines([])
            self.refresh_bindings()
            return
        self.query_one("#shift-title", SafeLabel).update(view.title)
        self.query_one("#shift-info", SafeLabel).update("\n".join(view.info))
        lines = [(p.member_id, p.line) for p in view.people]
        if not lines:
            lines = [("", _("Nobody yet. Press a to assign people."))]
        self.people.show_lines(lines, keep=self.people.current or self.opening_line(view))
        self.refresh_bindings()

    # -- who and what --------------------------------------------------------------------------

    def selected(self) -> Person | None:
        current = self.people.current
        return next((p for p in self.view.people if p.member_id == current), None)

    def opening_line(self, view: ShiftView) -> str | None:
        """Where the cursor starts: on your own place, else on the first place offered for a
        swap, so that o (offer) or t (take) works at once; otherwise the first line. A volunteer
        who opened their shift and pressed o on someone else's line got nothing and no word."""
        me = self.me()
        if me is not None and any(p.member_id == me for p in view.people):
            return me
        return next((p.member_id for p in view.people if p.place.offered), None)

    def me(self) -> str | None:
        return self.session.acting.member_id

    def checking_in_open(self) -> bool:
        """Whether the shift is one to check in for: dated today or earlier."""
        shift = self.view.shift
        return (
            shift is not None and shift.date is not None and shift.date <= self.session.db.today()
        )

    def on_this_shift(self) -> bool:
        """Whether the signed-in person has a place on the shift."""
        shift = self.view.shift
        return shift is not None and shift.assignment(self.me() or "") is not None

    def upcoming(self) -> bool:
        shift = self.view.shift
        return (
            shift is not None and shift.date is not None and shift.date >= self.session.db.today()
        )

    def check_action(  # noqa: PLR0911 - one answer per key reads best
        self, action: str, parameters: tuple[object, ...]
    ) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        actor = self.session.acting
        staff = allowed(actor, Action.EDIT_SCHEDULE)
        shift = self.view.shift
        person = self.selected() if self.is_mounted else None
        if action in ("assign", "edit"):
            return shift is not None
        if action == "remove":
            return person is not None
        if action == "check_in":
            return self.checking_in_open() and (
                allowed(actor, Action.CHECK_IN_OTHERS) or self.on_this_shift()
            )
        if action == "offer":
            own = person is not None and (staff or person.member_id == self.me())
            return own and self.upcoming() and person is not None and not person.place.taker_id
        if action == "take":
            return (
                person is not None
                and person.place.offered
                and not person.place.taker_id
                and self.me() is not None
                and person.member_id != self.me()
                and self.upcoming()
            )
        if action == "approve":
            return person is not None and bool(person.place.taker_id)
        if action == "undo":
            return (
                person is not None
                and bool(person.place.swapped_from)
                and (staff or self.me() in (person.member_id, person.place.swapped_from))
                and self.upcoming()
            )
        return True

    def role_refusal(self, action: str, parameters: tuple[object, ...] = ()) -> str | None:
        # A volunteer's c on a shift they are not on, on its day or after: the role is why.
        if (
            action == "check_in"
            and self.checking_in_open()
            and not self.on_this_shift()
            and not allowed(self.session.acting, Action.CHECK_IN_OTHERS)
        ):
            return _("You can only check in for your own shifts.")
        return super().role_refusal(action, parameters)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        person = self.selected()
        if person is not None:
            self.session.routes.open_member(self.app, person.member_id, self.section_title)

    # -- actions -------------------------------------------------------------------------------

    def action_assign(self) -> None:
        """Put people on this shift (a)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.assign import AssignDialog

        self.app.push_screen(AssignDialog(self.session, self.shift_id), lambda _r: self.reload())

    def action_edit(self) -> None:
        """Edit this shift (e)."""
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        from screens.patrols.shift_form import ShiftForm

        self.app.push_screen(
            ShiftForm(self.session, self.section_title, self.shift_id), lambda _r: self.reload()
        )

    def action_check_in(self) -> None:
        """Check people in: present, absent or excused, in one pass (c)."""
        from screens.patrols.checkin import CheckInDialog

        people = self.view.people
        if not allowed(self.session.acting, Action.CHECK_IN_OTHERS):
            people = tuple(p for p in people if p.member_id == self.me())
        if not people:
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(_("Check-in saved."), markup=False)
            self.reload()

        self.app.push_screen(CheckInDialog(self.session, self.shift_id, people), done)

    def action_remove(self) -> None:
        """Take the selected person off the shift (Del), after asking."""
        person = self.selected()
        if person is None or not self.permitted(Action.EDIT_SCHEDULE):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._change("unassign", person.member_id)

        self.app.push_screen(
            ConfirmDialog(
                _("Take {name} off this shift?").format(name=person.name),
                yes=_("Take off"),
                no=_("Keep"),
            ),
            answered,
        )

    def action_offer(self) -> None:
        """Offer the selected place for a swap, or withdraw the offer (o)."""
        person = self.selected()
        if person is not None:
            self._change("withdraw" if person.place.offered else "offer", person.member_id)

    def action_take(self) -> None:
        """Take the selected offered place yourself (t)."""
        person = self.selected()
        if person is not None:
            self._change("take", person.member_id)

    def action_approve(self) -> None:
        """Approve the swap waiting on the selected place (v)."""
        person = self.selected()
        if person is not None:
            self._change("approve", person.member_id)

    def action_undo(self) -> None:
        """Give the selected place back to whom it came from (u)."""
        person = self.selected()
        if person is not None:
            self._change("undo", person.member_id)

    @work(thread=True, exclusive=True, group="change")
    def _change(self, what: str, member_id: str) -> None:
        from store.patrols import assign, swaps

        db, actor = self.session.db, self.session.acting
        said = {
            "unassign": _("Taken off the shift."),
            "offer": _("Place offered for a swap."),
            "withdraw": _("Offer withdrawn."),
            "take": _("You took the place."),
            "approve": _("Swap approved."),
            "undo": _("Swap undone."),
        }[what]
        try:
            if what == "unassign":
                assign.unassign(db, actor, self.shift_id, member_id)
            elif what in ("offer", "withdraw"):
                swaps.offer(db, actor, self.shift_id, member_id, withdraw=what == "withdraw")
            elif what == "take":
                doc = swaps.take(db, actor, self.shift_id, member_id)
                waiting = any(a.get("taker_id") for a in doc.get("assignments") or ())
                if waiting:
                    said = _("Asked to take the place; a coordinator must approve it.")
            elif what == "approve":
                swaps.approve(db, actor, self.shift_id, member_id)
            else:
                swaps.undo(db, actor, self.shift_id, member_id)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Changed(said))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.message, markup=False)
        self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="warning", markup=False)
        self.reload()

    def action_back(self) -> None:
        """Back (Esc)."""
        self.dismiss(None)
