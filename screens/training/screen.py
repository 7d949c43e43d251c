"""Section 4, training: the sessions, newest first.

The screen reads the sessions of the chosen year (this year at first) and kind in a worker
(:func:`~screens.training.view.build_sessions`) and keeps the rows; a search typed after /
only chooses among them (title, trainer, place or kind). The list draws only the rows in view.

Keys (footer and help): / search, f filter by kind and year, Enter takes the attendance of the
session under the cursor, n new session, e edit it, Del delete it (asks first), h study hours
(who is behind pace), c certificates, x export. Keys a role may not use are hidden, and the
store refuses them anyway; volunteers see the sessions with their own mark only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.training.lines import LineList
from screens.training.view import SessionRow, SessionsView, build_sessions, layout, legend, select
from screens.widgets.form import FieldInput
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import TrainingKind, choices, coerce, label
from store.errors import StoreError
from store.i18n import N_, _, ngettext
from store.permissions import Action, allowed


class SessionList(LineList[SessionRow]):
    """The sessions, one line each."""

    def values(self, row: SessionRow) -> tuple[str, ...]:
        return row.values()


class TrainingScreen(SectionScreen):
    """The base screen of section 4."""

    NEEDS: ClassVar[Mapping[str, Action]] = {  # what the role needs for each key
        "new": Action.EDIT_TRAINING,
        "edit": Action.EDIT_TRAINING,
        "delete": Action.EDIT_TRAINING,
        "open": Action.EDIT_TRAINING,
        "export": Action.EXPORT,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("Search"), priority=True),
        Binding("f", "filter", N_("Filter")),
        Binding("n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("delete", "delete", N_("Delete")),
        Binding("h", "hours", N_("Hours")),
        Binding("c", "certificates", N_("Certificates")),
        Binding("x", "export", N_("Export"), show=False),
        Binding("escape", "clear_search", N_("Clear search"), show=False),
        Binding("down,enter", "to_list", N_("To the list"), show=False, priority=True),
    ]

    @dataclass
    class Changed(Message):
        """A change went through; ``message`` says what."""

        message: str

    @dataclass
    class Failed(Message):
        """A change was refused; ``reason`` is the store's sentence."""

        reason: str

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="training")
        self.view = SessionsView((), ())
        self.year: int | None = session.db.today().year
        self.kind: TrainingKind | None = None
        self.keep: str | None = None
        self.search = FieldInput(
            placeholder=_("/ to search: title, trainer, place or kind"),
            compact=True,
            id="training-search",
        )
        self.search.cursor_blink = False

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="training-summary")
        yield self.search
        lines = SessionList(id="training-list")
        yield lines.heading(id="training-heading")
        yield lines
        yield SafeLabel("", id="training-legend")

    @property
    def lines(self) -> SessionList:
        return self.query_one(SessionList)

    def on_mount(self) -> None:
        self.lines.set_columns(layout(()))
        self.lines.focus()

    # -- loading -------------------------------------------------------------------------------

    # The sessions list is made from the sessions alone: another session's save of a member,
    # a contact or a shift changes none of it, and costs this screen nothing.
    VIEW_TABLES = frozenset({"trainings"})

    def view_key(self) -> str:
        return f"{self.year}:{self.kind}"

    def prepare(self, snapshot: Snapshot) -> SessionsView:
        return build_sessions(snapshot, self.session.acting, self.year, self.kind)

    def show_again(self) -> bool:
        return self.keep is not None  # a session to put the cursor on

    def show(self, view: SessionsView) -> None:
        self.view = view
        keep, self.keep = self.keep or self._current_id(), None
        self.refill(keep=keep)

    def refill(self, *, keep: str | None = None) -> None:
        """Choose the rows for what is typed in the search box."""
        rows = select(self.view.rows, self.search.value)
        position = next((i for i, row in enumerate(rows) if row.id == keep), 0)
        self.lines.set_columns(layout(self.view.rows))
        self.lines.show_rows(rows, cursor=position)
        shown = legend(rows)
        self.query_one("#training-legend", SafeLabel).update(shown, layout=False)
        self.query_one("#training-legend").display = bool(shown)
        self._summary(len(rows))
        self.refresh_bindings()

    def _summary(self, count: int) -> None:
        parts = [
            str(self.year) if self.year else _("all years"),
            ngettext("{n} session", "{n} sessions", count).format(n=count),
        ]
        if self.kind is not None:
            parts.append(_("only: {filter}").format(filter=label(self.kind)))
        if not self.view.rows and allowed(self.session.acting, Action.EDIT_TRAINING):
            parts.append(_("press n to record one"))
        self.query_one("#training-summary", SafeLabel).update(" · ".join(parts), layout=False)

    def _current_id(self) -> str | None:
        row = self.lines.current
        return row.id if row else None

    # -- which keys apply ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        row = self.lines.current if self.is_mounted else None
        in_search = self.focused is self.search
        applies = {
            "edit": row is not None,
            "delete": row is not None,
            "clear_search": bool(self.search.value),
            "to_list": in_search,
            "search": not in_search,
        }
        return applies.get(action, True)

    # -- search and filter ---------------------------------------------------------------------

    def action_search(self) -> None:
        """Put the cursor in the search box (/)."""
        self.set_focus(self.search)

    @on(Input.Changed, "#training-search")
    def _search_changed(self) -> None:
        self.refill()

    def action_to_list(self) -> None:
        """Down or Enter in the search box: on to the list."""
        self.set_focus(self.lines)

    def action_clear_search(self) -> None:
        """Empty the search box (Esc)."""
        self.search.value = ""
        self.set_focus(self.lines)

    def action_filter(self) -> None:
        """Choose the kind and year of the sessions shown (f)."""
        from screens.training.filter import TrainingFilterDialog
        from screens.training.view import year_choices

        kinds = [("", _("any")), *((k.value, words) for k, words in choices(TrainingKind))]
        years = year_choices(self.view.years, self.session.db.today())
        questions = [
            ("kind", _("Kind"), kinds, self.kind.value if self.kind else ""),
            ("year", _("Year"), years, str(self.year) if self.year else ""),
        ]

        def chosen(answer: dict[str, str] | None) -> None:
            if answer is None:
                return
            self.kind = coerce(TrainingKind, answer.get("kind") or None)
            year = answer.get("year") or ""
            self.year = int(year) if year.isdigit() else None
            self.reload()

        self.app.push_screen(TrainingFilterDialog(_("Which sessions?"), questions), chosen)

    # -- opening -------------------------------------------------------------------------------

    @on(LineList.Opened)
    def _opened(self) -> None:
        self.search.call_later(self._open_current)

    def _open_current(self) -> None:
        row = self.lines.current
        if row is None:
            return
        if not allowed(self.session.acting, Action.EDIT_TRAINING):
            # A volunteer sees their own mark in the list; there is no checklist to take. Say
            # so, rather than let Enter (which help lists as Open) do nothing.
            self.notify(
                _(
                    "Coordinators take a session's attendance; yours is in the {column} column."
                ).format(column=_("Came")),
                markup=False,
            )
            return
        from screens.training.checklist import ChecklistScreen

        self.keep = row.id
        self.app.push_screen(ChecklistScreen(self.session, self.section_title, row.id))

    def action_new(self) -> None:
        """Record a new session (n); its checklist opens once it is saved."""
        self._open_form(None, then_checklist=True)

    def action_edit(self) -> None:
        """Edit the session under the cursor (e)."""
        row = self.lines.current
        if row is not None:
            self._open_form(row.id, then_checklist=False)

    def _open_form(self, session_id: str | None, *, then_checklist: bool) -> None:
        if not self.permitted(Action.EDIT_TRAINING):
            return
        from screens.training.form import SessionFormScreen

        form = SessionFormScreen(self.session, self.section_title, session_id)

        def closed(_result: None) -> None:
            if form.saved_id is None:
                return
            self.keep = form.saved_id
            if then_checklist:
                from screens.training.checklist import ChecklistScreen

                self.app.push_screen(
                    ChecklistScreen(self.session, self.section_title, form.saved_id)
                )

        self.app.push_screen(form, closed)

    def action_delete(self) -> None:
        """Delete the session under the cursor (Del), after asking."""
        row = self.lines.current
        if row is None or not self.permitted(Action.EDIT_TRAINING):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        question = _("Delete the session “{title}” of {date} and its attendance?").format(
            title=row.title, date=row.day
        )
        if row.recorded:
            question += " " + ngettext(
                "{n} member's mark goes with it.", "{n} members' marks go with it.", row.recorded
            ).format(n=row.recorded)
        self.app.push_screen(ConfirmDialog(question, yes=_("Delete"), no=_("Keep it")), answered)

    @work(thread=True, exclusive=True, group="change")
    def _delete(self, row: SessionRow) -> None:
        from store.training import ops

        try:
            ops.delete_session(self.session.db, self.session.acting, row.id, row.version)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Changed(_("Session deleted: {title}.").format(title=row.title)))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.message, markup=False)
        self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="warning", markup=False)
        self.reload()

    # -- the other training screens ------------------------------------------------------------

    def action_hours(self) -> None:
        """Study hours against the requirement: who is behind pace (h)."""
        from screens.training.hours import HoursScreen

        self.app.push_screen(HoursScreen(self.session, self.section_title))

    def action_certificates(self) -> None:
        """Certificates, the expiring ones first (c)."""
        from screens.training.certificates import CertificatesScreen

        self.app.push_screen(CertificatesScreen(self.session, self.section_title))

    def action_export(self) -> None:
        """Export the attendance of the session under the cursor (x)."""
        row = self.lines.current
        if row is None or not self.permitted(Action.EXPORT):
            return
        from screens.training.exporting import ExportDialog

        self.app.push_screen(ExportDialog(self.session, session_id=row.id, title=row.title))
