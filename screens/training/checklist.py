"""The attendance checklist: a session's audience, marked by keyboard, saved at once.

Taking attendance for 60 people is a minute's typing: ``a`` marks everyone not yet marked
present, then the arrows go to the exceptions: ``x`` absent, ``u`` excused, Space toggles
present (each moves on to the next person), Backspace clears a mark. Nothing is written until
Ctrl+S, which saves every mark in one transaction; unsaved marks show ``*`` and are counted on
the second line. ``m`` records a make-up for the person under the cursor, with its own date and
hours (saved at once). ``o`` shows the members outside the session's audience too: marking one
asks before saving. Esc goes back, asking first when marks are unsaved.

In a big audience ``/`` finds the exceptions by name, full pinyin or initials (``zs`` finds
张三, as on the roster); Down or Enter goes to those found, where the marking keys (and ``a``)
work on them. Esc empties the search, the cursor staying on the same person; marks are kept.

If someone else saved marks meanwhile, theirs are loaded and these kept over them: Ctrl+S
again saves these.

What a member's line says is :class:`screens.training.checklist_lines.Checklist`; the rows and
the unsaved marks are built apart, in a worker (screens/training/checklist_view.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from screens.shell.base import EditedRecord, SectionScreen
from screens.shell.dialogs import ConfirmDialog, close_asking
from screens.shell.session import Session
from screens.training.checklist_lines import Checklist
from screens.training.checklist_view import (
    ChecklistRow,
    ChecklistView,
    Mark,
    Marks,
    build_checklist,
    counts_text,
    layout,
    select_rows,
    session_line,
)
from screens.widgets.form import FieldInput
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import AttendanceStatus
from store.errors import Conflict, StoreError
from store.i18n import N_, _, ngettext
from store.permissions import Action

MARK_KEYS = Binding.Group(N_("Marks"))


class ChecklistScreen(SectionScreen):
    """The checklist of the session ``session_id`` (coordinators and admins)."""

    # What the footer keeps first at 80 columns (screens/widgets/footer.py); the rest is in F1.
    # The search (/) and Save stay in view; when the three marks do not fit beside them they
    # fold into one key, "Space/x/u Marks" (screens/widgets/footer.py).
    FOOTER_RANK: ClassVar[tuple[str, ...]] = (
        "mark('present')",
        "mark('absent')",
        "save",
        "search",
        "mark('excused')",
        "all_present",
        "clear_search",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("Search"), priority=True),
        Binding("space", "mark('present')", N_("Present"), group=MARK_KEYS),
        Binding("x", "mark('absent')", N_("Absent"), group=MARK_KEYS),
        Binding("u", "mark('excused')", N_("Excused"), group=MARK_KEYS),
        Binding("a", "all_present", N_("All present")),
        Binding("m", "makeup", N_("Make-up")),
        Binding("backspace", "mark('')", N_("Clear mark"), show=False),
        Binding("o", "others", N_("Show everyone"), show=False),
        Binding("ctrl+s", "save", N_("Save")),
        # Esc empties the search first (the footer shows whichever applies), then goes back.
        Binding("escape", "clear_search", N_("Clear search")),
        Binding("escape", "back", N_("Back")),
        Binding("down,enter", "to_list", N_("To the list"), show=False, priority=True),
    ]

    @dataclass
    class Saved(Message):
        """The store took the marks."""

        count: int

    @dataclass
    class Refused(Message):
        """The store refused: ``outside`` names members outside the audience (ask first),
        ``conflict`` someone saved meanwhile, else ``reason``."""

        reason: str
        outside: bool = False
        conflict: bool = False

    def __init__(self, session: Session, title: str, session_id: str) -> None:
        super().__init__(session, title, id="checklist")
        self.session_id = session_id
        self.view = ChecklistView(None)
        self.marks = Marks()
        self.version = 0
        self.with_others = False
        self.saving = False
        self.refused = False
        self.adopt = False  # take the stored version on the next load despite unsaved marks
        self.search = FieldInput(
            placeholder=_("/ to find a member: name, pinyin or initials"),
            compact=True,
            id="checklist-search",
        )
        self.search.cursor_blink = False

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the database…"), id="checklist-summary")
        yield SafeLabel("", id="checklist-counts")
        yield self.search
        lines = Checklist(self.marks, id="checklist-list")
        yield lines.heading(id="checklist-heading")
        yield lines

    @property
    def lines(self) -> Checklist:
        return self.query_one(Checklist)

    def on_mount(self) -> None:
        if not self.permitted(Action.EDIT_TRAINING):
            self.refused = True
            self.call_after_refresh(lambda: self.dismiss(None))
            return
        self.lines.set_columns(layout())
        self.lines.focus()

    def reload(self) -> None:
        if not self.refused:
            super().reload()

    # -- loading -------------------------------------------------------------------------------

    # The session and the current members' names, pinyin, category, branch and status: kept
    # through saves of anything else (a contact, a shift, another session). Unsaved marks are
    # the screen's own, over the view, never in it.
    VIEW_TABLES = frozenset({"trainings", "members"})

    def view_key(self) -> str:
        return self.session_id

    def prepare(self, snapshot: Snapshot) -> ChecklistView:
        return build_checklist(snapshot, self.session.acting, self.session_id)

    def show_again(self) -> bool:
        return True  # the marks typed here are laid over the stored ones at every load

    def show(self, view: ChecklistView) -> None:
        if view.session is None:
            self.notify(_("This session is no longer there."), severity="warning", markup=False)
            self.dismiss(None)
            return
        current = self.lines.current
        self.view = view
        if self.adopt or not self.has_unsaved_edits():
            # Unsaved marks stay on the version they began from, so that saving them over
            # another session's marks meets the conflict notice first (see _refused).
            self.version, self.adopt = view.session.version, False
        self.query_one("#checklist-summary", SafeLabel).update(session_line(view.session))
        self.refill(current.member.id if current else None)

    def rows(self) -> list[ChecklistRow]:
        """The audience, and everyone else when asked (``o``), as far as the search finds."""
        rows = list(self.view.rows)
        if self.with_others:
            rows += self.view.others
        return select_rows(rows, self.search.value)

    def refill(self, keep: str | None = None) -> None:
        """Show the rows for the search, the cursor on member ``keep`` if shown, else the first."""
        rows = self.rows()
        position = next((i for i, r in enumerate(rows) if r.member.id == keep), 0)
        self.lines.show_rows(rows, cursor=position)
        self.count()
        self.refresh_bindings()

    def count(self) -> None:
        counts = counts_text(list(self.view.rows), self.marks)
        if self.search.value.strip():
            found = ngettext("{n} found", "{n} found", len(self.lines.rows))
            counts = found.format(n=len(self.lines.rows)) + " · " + counts
        self.query_one("#checklist-counts", SafeLabel).update(counts, layout=False)

    def has_unsaved_edits(self) -> bool:
        return bool(len(self.marks))

    def edited_record(self) -> EditedRecord | None:
        if not self.has_unsaved_edits():
            return None
        return EditedRecord("trainings", self.session_id, self.version)

    def show_meanwhile(self, text: str) -> None:
        self.notify(
            text + " " + _("Theirs is shown with your unsaved marks over it (*)."),
            severity="warning",
            markup=False,
        )

    # -- which keys apply, and the search -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        in_search = self.is_mounted and self.focused is self.search
        searching = in_search or bool(self.search.value)
        applies = {
            "search": not in_search,
            "to_list": in_search,
            "clear_search": searching,
            "back": not searching,
        }
        return applies.get(action, True)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_search(self) -> None:
        """Put the cursor in the search box to find a member by name or pinyin (/)."""
        self.set_focus(self.search)

    @on(Input.Changed, "#checklist-search")
    def _search_changed(self) -> None:
        current = self.lines.current
        self.refill(current.member.id if current else None)

    def action_to_list(self) -> None:
        """Down or Enter in the search box: on to the members found."""
        self.set_focus(self.lines)

    def action_clear_search(self) -> None:
        """Empty the search and show everyone, the cursor on the same person (Esc)."""
        current = self.lines.current
        self.search.value = ""
        self.refill(current.member.id if current else None)
        self.set_focus(self.lines)

    # -- marking -------------------------------------------------------------------------------

    def action_mark(self, status: str) -> None:
        """Mark the person under the cursor and move on (Space toggles present)."""
        row = self.lines.current
        if row is None:
            return
        mark: Mark = AttendanceStatus(status) if status else None
        if mark is AttendanceStatus.PRESENT and self.marks.shown(row) is AttendanceStatus.PRESENT:
            mark = None  # Space again: not marked after all
        self.marks.set(row, mark)
        self.lines.refresh_row(self.lines.cursor)
        if status:
            self.lines.go(self.lines.cursor + 1)
        self.count()

    def action_all_present(self) -> None:
        """Mark everyone of the audience not yet marked present (a); then mark the exceptions.
        While a search is typed, only the members it found (nobody unseen is marked)."""
        rows = self.lines.rows if self.search.value.strip() else self.view.rows
        unmarked = [row for row in rows if row.member.expected and self.marks.shown(row) is None]
        for row in unmarked:
            self.marks.set(row, AttendanceStatus.PRESENT)
        if unmarked:  # a repaint of the whole list costs kilobytes on a slow link
            self.lines.refresh()
            self.count()

    def action_others(self) -> None:
        """Show (or hide) the members outside the session's audience (o)."""
        self.with_others = not self.with_others
        current = self.lines.current
        self.refill(current.member.id if current else None)
        said = (
            _("Showing everyone: members outside the audience are marked (outside).")
            if self.with_others
            else _("Showing the session's audience.")
        )
        self.notify(said, markup=False)

    # -- saving --------------------------------------------------------------------------------

    def action_save(self, allow_outside: bool = False) -> None:
        """Save every mark in one go (Ctrl+S)."""
        if self.saving or not len(self.marks) or not self.permitted(Action.EDIT_TRAINING):
            return
        self.saving = True
        self._save(self.marks.for_store(), self.version, allow_outside)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, marks: dict[str, Mark], version: int, allow_outside: bool) -> None:
        from store.training import ops

        try:
            ops.record_attendance(
                self.session.db,
                self.session.acting,
                self.session_id,
                marks,
                version,
                allow_outside=allow_outside,
            )
        except ops.OutsideAudience as error:
            self.post_message(self.Refused(str(error), outside=True))
        except Conflict:
            self.post_message(self.Refused("", conflict=True))
        except StoreError as error:
            self.post_message(self.Refused(str(error)))
        else:
            self.post_message(self.Saved(len(marks)))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.marks.pending.clear()
        self.notify(_("Attendance saved ({n} marks).").format(n=message.count), markup=False)
        self.reload()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        if message.outside:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.action_save(allow_outside=True)

            self.app.push_screen(
                ConfirmDialog(message.reason, yes=_("Record them"), no=_("Not yet")), answered
            )
            return
        if message.conflict:
            self.adopt = True
            self.notify(
                _(
                    "Someone else saved attendance meanwhile: theirs is loaded and your marks "
                    "kept over it. Press Ctrl+S to save yours."
                ),
                severity="warning",
                markup=False,
            )
        else:
            self.notify(message.reason, severity="warning", markup=False)
        self.reload()

    # -- make-up -------------------------------------------------------------------------------

    def action_makeup(self) -> None:
        """Record a make-up for the person under the cursor, with its date and hours (m)."""
        row = self.lines.current
        session = self.view.session
        if row is None or session is None or not self.permitted(Action.EDIT_TRAINING):
            return
        from screens.training.makeup import MakeupDialog

        def done(saved: bool | None) -> None:
            if saved:
                self.marks.pending.pop(row.member.id, None)
                self.reload()

        self.app.push_screen(
            MakeupDialog(self.session, session, row.member.id, row.member.name, self.version),
            done,
        )

    def action_back(self) -> None:
        """Back to the sessions (Esc); asks first when marks are unsaved."""
        close_asking(
            self,
            _("The marks are not saved. Drop them?"),
            unsaved=self.has_unsaved_edits(),
        )
