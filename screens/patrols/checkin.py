"""Check-in on the day: one pass down the shift's list, one key per person.

p marks the selected person present, b absent, x excused (Space goes round the three), and
the cursor moves on to the next person, so a whole shift is done with a key each. Ctrl+S
saves everyone at once; Esc asks before dropping marks not saved. Status is written in words
beside each name.

Two coordinators may check in the same shift from two sessions (one at the gate, one at the
office). The dialog follows the other sessions (:class:`~screens.shell.live.LiveDialog`): on
each change of the shifts or the members it reads the shift again and merges (:func:`merge`):
the person's own unsaved marks stay, everyone else's marks, and people put on or taken off the
shift, are taken, and a line under the list says what changed. A save sends, beside each
mark, the status it was made over; when another session has marked one of those people
otherwise, the store refuses (Conflict) and the shared conflict question
(screens/shell/conflict.py) names them: reload theirs for those people, overwrite with mine, or
cancel. Nobody's mark is overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from screens.patrols.lines import LineList
from screens.shell.conflict import resolve_conflict
from screens.shell.dialogs import close_asking
from screens.shell.live import LiveDialog, Mark
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel, fit
from store.enums import AssignmentStatus, label
from store.errors import Conflict, StoreError
from store.i18n import N_, _, join_list
from store.permissions import Action, allowed
from store.textsafe import clean_line

if TYPE_CHECKING:
    from screens.patrols.view import Person
    from store.actor import Actor
    from store.engine.snapshot import Snapshot
    from store.engine.storage import StatKey

ROUND = (AssignmentStatus.PRESENT, AssignmentStatus.ABSENT, AssignmentStatus.EXCUSED)


@dataclass(frozen=True, slots=True)
class Stored:
    """One place on the shift as the file holds it now."""

    member_id: str
    name: str
    status: AssignmentStatus


@dataclass(slots=True)
class Marks:
    """The list's state: each person's name, the status their mark was made over (``before``)
    and the mark shown (``shown``), in the shift's order. A mark differs from ``before`` only
    where this person changed it and has not saved."""

    names: dict[str, str] = field(default_factory=dict)
    before: dict[str, AssignmentStatus] = field(default_factory=dict)
    shown: dict[str, AssignmentStatus] = field(default_factory=dict)

    def changed(self) -> dict[str, AssignmentStatus]:
        return {m: s for m, s in self.shown.items() if s != self.before[m]}


def merge(marks: Marks, stored: list[Stored]) -> tuple[Marks, list[str]]:
    """``marks`` after another session's save left the shift as ``stored``, and the sentences
    saying what changed (nothing for what the list already showed).

    The person's own unsaved marks stay, over the status they were made over (so a save still
    notices a mark made elsewhere on the same person); everything else is taken as stored:
    others' marks, people put on the shift (in their place in the shift's order, the roster's:
    store/patrols/reads.py), people taken off (and any mark made on them dropped, which the
    sentence says).
    """
    mine = marks.changed()
    merged = Marks()
    said: list[str] = []
    for place in stored:
        m, name = place.member_id, place.name
        merged.names[m] = name
        if m in mine:
            merged.before[m] = marks.before[m]
            merged.shown[m] = mine[m]
            if place.status == mine[m]:
                merged.before[m] = place.status  # they marked the same: nothing left to save
            elif place.status != marks.before[m]:
                said.append(
                    _("{name} marked {theirs} elsewhere (yours: {mine}, not saved)").format(
                        name=name, theirs=label(place.status), mine=label(mine[m])
                    )
                )
            continue
        merged.before[m] = merged.shown[m] = place.status
        if m not in marks.shown:
            said.append(_("{name} put on the shift").format(name=name))
        elif place.status != marks.shown[m]:
            said.append(
                _("{name} marked {status} elsewhere").format(name=name, status=label(place.status))
            )
    for m, name in marks.names.items():
        if m not in merged.names:
            if m in mine:
                said.append(_("{name} taken off the shift; your mark dropped").format(name=name))
            else:
                said.append(_("{name} taken off the shift").format(name=name))
    return merged, said


PLACES_TABLES = frozenset({"shifts", "members"})
"""What :func:`read_places` reads: the shift, and its people's names."""


def read_places(snapshot: Snapshot, acting: Actor, shift_id: str) -> list[Stored] | None:
    """The shift's places in ``snapshot`` (None when the shift is gone), limited to the people
    ``acting`` may check in (a volunteer: themselves)."""
    from store.patrols import reads

    shift = reads.shift(snapshot, shift_id)
    if shift is None:
        return None
    places = [
        a
        for a in shift.assignments
        if allowed(acting, Action.CHECK_IN_OTHERS) or a.member_id == acting.member_id
    ]
    names = reads.member_names(snapshot, [a.member_id for a in places])
    return [Stored(a.member_id, clean_line(names.get(a.member_id, "?")), a.status) for a in places]


class CheckInDialog(LiveDialog, ModalScreen[bool]):
    """Statuses for ``people`` of shift ``shift_id``; returns True once saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "mark('present')", N_("Present")),
        Binding("b", "mark('absent')", N_("Absent")),
        Binding("x", "mark('excused')", N_("Excused")),
        Binding("space", "cycle", N_("Next status"), show=False),
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "back", N_("Back")),
    ]

    VIEW_TABLES = PLACES_TABLES

    @dataclass
    class Result(Message):
        error: str = ""
        conflict: Conflict | None = None

    @dataclass
    class Read(Message):
        """The shift as stored now (None: it is gone)."""

        places: list[Stored] | None
        token: StatKey | None
        mark: Mark | None = None

    def __init__(self, session: Session, shift_id: str, people: tuple[Person, ...]) -> None:
        super().__init__()
        translate_bindings(self)
        self.session = session
        self.shift_id = shift_id
        self.marks = Marks(
            names={p.member_id: p.name for p in people},
            before={p.member_id: p.place.status for p in people},
            shown={p.member_id: p.place.status for p in people},
        )
        self.saving = False

    # The marks, as the shift screen and the tests read them.
    @property
    def statuses(self) -> dict[str, AssignmentStatus]:
        return self.marks.shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="checkin-dialog"):
            yield SafeLabel(_("Check-in: p present, b absent, x excused; Ctrl+S saves."))
            yield LineList(id="checkin-list")
            yield SafeLabel("", id="checkin-message")
        yield FittingFooter()

    @property
    def list(self) -> LineList:
        return self.query_one(LineList)

    def say(self, text: str) -> None:
        self.query_one("#checkin-message", SafeLabel).update(text)

    def on_mount(self) -> None:
        self.redraw()
        self.list.focus()
        self.reread()  # what the shift screen read may already be older than the file

    def redraw(self) -> None:
        self.list.show_lines(
            [
                (m, fit(self.marks.names[m], 14) + " " + label(status))
                for m, status in self.marks.shown.items()
            ]
        )

    # -- following other sessions ------------------------------------------------------------

    def reread(self) -> None:
        """Another session saved: read the shift again and merge (keeping my marks)."""
        self._read()

    @work(thread=True, exclusive=True, group="read")
    def _read(self) -> None:
        try:
            snapshot = self.session.db.snapshot()
            mark = self.mark_of(snapshot)
            places = read_places(snapshot, self.session.acting, self.shift_id)
        except StoreError as error:
            self.post_message(self.Result(str(error)))
            return
        self.post_message(self.Read(places, snapshot.token, mark))

    @on(Read)
    def _read_done(self, message: Read) -> None:
        self.now_shows(message.token, message.mark)
        if message.places is None:
            self.say(_("That shift no longer exists; someone may have deleted it."))
            return
        self.marks, said = merge(self.marks, message.places)
        self.redraw()
        if said:
            self.say(_("Another session changed this shift: {what}.").format(what=join_list(said)))

    # -- marking -------------------------------------------------------------------------------

    def action_mark(self, status: str) -> None:
        """Mark the selected person and move on to the next."""
        member_id = self.list.current
        if member_id is None:
            return
        self.marks.shown[member_id] = AssignmentStatus(status)
        index = self.list.highlighted or 0
        self.redraw()
        self.list.highlighted = min(index + 1, len(self.marks.shown) - 1)

    def action_cycle(self) -> None:
        """Space: the next of present, absent, excused."""
        member_id = self.list.current
        if member_id is None:
            return
        status = self.marks.shown[member_id]
        following = ROUND[(ROUND.index(status) + 1) % 3] if status in ROUND else ROUND[0]
        index = self.list.highlighted or 0
        self.marks.shown[member_id] = following
        self.redraw()
        self.list.highlighted = index

    def changed(self) -> dict[str, AssignmentStatus]:
        return self.marks.changed()

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save every mark at once (Ctrl+S); refused, and asked about, if another session has
        marked one of the same people since."""
        changed = self.changed()
        if not changed:
            self.dismiss(False)
            return
        if self.saving:
            return
        self.saving = True
        self._save(changed, {m: self.marks.before[m] for m in changed})

    @work(thread=True, exclusive=True, group="save")
    def _save(
        self, statuses: dict[str, AssignmentStatus], expected: dict[str, AssignmentStatus]
    ) -> None:
        from store.patrols import assign

        try:
            assign.check_in(
                self.session.db, self.session.acting, self.shift_id, statuses, expected=expected
            )
        except Conflict as conflict:
            self.post_message(self.Result(str(conflict), conflict))
            return
        except StoreError as error:
            self.post_message(self.Result(str(error)))
            return
        self.post_message(self.Result())

    @on(Result)
    def _result(self, message: Result) -> None:
        self.saving = False
        if message.conflict is not None:
            self._conflict(message.conflict)
        elif message.error:
            self.say(message.error)
            self.reread()  # someone taken off meanwhile: show the shift as it is
        else:
            self.dismiss(True)

    def _conflict(self, conflict: Conflict) -> None:
        """Another session marked some of the same people: name them and ask."""
        from store.patrols.model import Shift

        stored = {a.member_id: a.status for a in Shift.from_doc(conflict.current).assignments}
        mine = self.changed()
        theirs = {m: stored[m] for m in mine if m in stored and stored[m] != self.marks.before[m]}

        def take_theirs() -> None:
            for m, status in theirs.items():
                self.marks.before[m] = self.marks.shown[m] = status
            self.redraw()
            self.say(_("Their marks taken; yours for the others are not saved yet."))

        def overwrite(_version: int) -> None:
            for m, status in theirs.items():
                self.marks.before[m] = status  # seen now: mine goes over it
            self.action_save()

        resolve_conflict(
            self,
            self.session,
            conflict,
            question=_("Someone else checked people in on this shift since you began."),
            not_saved=_("Not saved: your marks are still here."),
            changed=[
                _("{name}: {status}").format(name=self.marks.names.get(m, "?"), status=label(s))
                for m, s in theirs.items()
            ],
            fill=take_theirs,
            save=overwrite,
            say=self.say,
        )

    def action_back(self) -> None:
        """Close (Esc); asks before dropping marks not saved."""
        close_asking(
            self,
            _("The check-in is not saved. Drop it?"),
            unsaved=bool(self.changed()),
            yes=_("Drop it"),
        )
