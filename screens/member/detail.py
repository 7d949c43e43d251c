"""One member: profile, how long since anyone reached them, the contact log, patrols, training.

Opened with Enter from the roster or from a dashboard line. Everything is read in a worker
(:meth:`MemberScreen.prepare`) and turned into lines of plain text there; the screen only puts
them in place (:mod:`screens.member.view`). The member is shown through the store's privacy
view for the logged-in user: a volunteer sees the phone masked and "(hidden)" where the
address, whereabouts and notes are, and can change nothing.

The layout is made for 80x24: the profile in two columns of "label: value" lines (long values
cut with …), one line saying how long since the last contact and, in words, whether a contact
is due or overdue (the rule is :func:`store.contacts.ops.contact_state`, the one the roster and
the dashboard use), the mobile member's whereabouts, the contact log (a list moved through with
the arrows, taking whatever height is left), this year's volunteer service (patrol hours and
theme-day service hours, :func:`store.training.service.yearly_service`) and the patrol and
training history side by side.

Keys: c adds a contact (:class:`~screens.member.contact_form.ContactForm`), Del deletes the selected
one after asking, e edits the member, t records a certificate for them (the training section's
form, through the shell's routes; coordinators and admins), Esc goes back. If the member was
deleted meanwhile, the screen says so and Esc still goes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.member.view import (
    EMPTY,
    MOBILE_CELLS,
    PROFILE_CELLS,
    ContactRow,
    MemberView,
    build_view,
)
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.keys import translate_bindings
from screens.widgets.option_lines import OptionLines
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import StoreError
from store.i18n import N_, _, ngettext
from store.permissions import Action, allowed


class PlainList(OptionLines, inherit_bindings=False):
    """A list of plain-text lines moved through with the app's keys (no markup, no Enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False, compact=True)
        translate_bindings(self)

    def show_lines(self, lines: list[tuple[str | None, Content]], keep: str | None = None) -> None:
        """Show ``(id, line)`` rows; highlight the row ``keep`` if given and still there."""
        self.set_options(Option(line, id=row_id) for row_id, line in lines)
        index = next((i for i, (row_id, _line) in enumerate(lines) if row_id == keep), None)
        self.highlighted = index if index is not None else (0 if lines else None)
        self.display = bool(lines)


class MemberBody(TextScroll, can_focus=False):
    """The screen's content; scrolls only when the terminal is too short for it (vertically:
    help lists no sideways scrolling keys, which nothing here needs)."""


class MemberScreen(SectionScreen):
    """One member's detail (roster or dashboard): ``MemberScreen(session, title, member_id)``."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "add_contact": Action.EDIT_MEMBERS,
        "edit": Action.EDIT_MEMBERS,
        "delete_contact": Action.EDIT_MEMBERS,
        "add_certificate": Action.EDIT_TRAINING,
    }

    # At 80 columns the footer keeps the contact keys, the certificate key and the way back,
    # saying some of them shorter ("t Certificate") where they do not fit (screens/widgets/
    # footer.py); F1 has every key in full.
    FOOTER_RANK: ClassVar[tuple[str, ...]] = (
        "add_contact",
        "delete_contact",
        "add_certificate",
        "edit",
        "back",
    )
    FOOTER_WORDS: ClassVar[dict[str, str]] = {
        "add_contact": N_("Contact"),
        "delete_contact": N_("Delete"),
        "add_certificate": N_("Certificate"),
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "add_contact", N_("Add contact")),
        Binding("delete", "delete_contact", N_("Delete contact")),
        Binding("e", "edit", N_("Edit")),
        Binding("t", "add_certificate", N_("Add certificate")),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Deleted(Message):
        """The store deleted the contact."""

    @dataclass
    class DeleteRefused(Message):
        """The store refused to delete the contact; ``reason`` is one sentence."""

        reason: str

    def __init__(self, session: Session, title: str, member_id: str) -> None:
        super().__init__(session, title, id="member")
        self.member_id = member_id
        self.view = MemberView(found=False)
        self.keep: str | None = None  # the contact to highlight after the next load
        self.focus_log = True  # give the contact log the focus once it has a contact

    def compose_body(self) -> ComposeResult:
        with MemberBody(id="member-body"):
            yield SafeLabel(_("Reading the database…"), id="member-name")
            with Grid(id="member-profile"):
                for _index in range(PROFILE_CELLS):
                    yield SafeLabel("", classes="profile-cell")
            with Grid(id="member-mobile"):
                for _index in range(MOBILE_CELLS):
                    yield SafeLabel("", classes="profile-cell")
            checks = SafeLabel("", id="member-checks")
            checks.display = False  # only for a member an import marked "needs checking"
            yield checks
            yield SafeLabel("", id="member-contact-state")
            yield SafeLabel("", id="contacts-heading", classes="member-heading")
            yield PlainList(id="member-contacts")
            yield SafeLabel("", id="member-service")
            with Horizontal(id="member-history"):
                with Vertical(classes="history"):
                    yield SafeLabel(
                        _("Patrol history"), id="patrols-heading", classes="member-heading"
                    )
                    yield PlainList(id="member-patrols")
                    yield SafeLabel(_("No patrol shifts yet."), id="no-patrols")
                with Vertical(classes="history"):
                    yield SafeLabel(
                        _("Training history"), id="trainings-heading", classes="member-heading"
                    )
                    yield SafeLabel("", id="member-meter")
                    yield PlainList(id="member-trainings")
                    yield SafeLabel(_("No training recorded yet."), id="no-trainings")
                    yield SafeLabel("", id="member-certificates")
        yield SafeLabel("", id="member-missing")

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> MemberView:
        return build_view(snapshot, self.member_id, self.session.acting, self.session.db.today())

    def show(self, view: MemberView) -> None:
        self.view = view
        body = self.query_one(MemberBody)
        missing = self.query_one("#member-missing", SafeLabel)
        if not view.found:
            body.display = False
            missing.display = True
            missing.update(
                _("This member is no longer on the roster; someone may have deleted them.")
                + "\n"
                + _("Press Esc to go back.")
            )
            self.refresh_bindings()
            return
        body.display = True
        missing.display = False
        self.query_one("#member-name", SafeLabel).update(view.name)
        for widget, text in zip(
            self.query("#member-profile > .profile-cell"), view.profile, strict=True
        ):
            assert isinstance(widget, SafeLabel)
            widget.update(text)
        mobile = self.query_one("#member-mobile", Grid)
        mobile.display = bool(view.mobile)
        for widget, text in zip(mobile.query(".profile-cell"), view.mobile, strict=False):
            assert isinstance(widget, SafeLabel)
            widget.update(text)
        checks = self.query_one("#member-checks", SafeLabel)
        checks.update(view.checks)
        checks.display = bool(view.checks)
        state = self.query_one("#member-contact-state", SafeLabel)
        state.update(view.contact_state)
        state.set_class(view.lapsing, "-lapsing")
        self.show_contacts(view.contacts)
        self.show_history(
            "patrols", view.patrol_heading or _("Patrol history ({count})"), view.patrols
        )
        self.show_history("trainings", _("Training history ({count})"), view.trainings)
        for name, text in (
            ("meter", view.meter),
            ("certificates", view.certificates),
            ("service", view.service),
        ):
            line = self.query_one(f"#member-{name}", SafeLabel)
            line.update(text)
            line.display = bool(text)
        if self.focus_log and view.contacts:
            self.focus_log = False
            self.query_one("#member-contacts", PlainList).focus()
        self.refresh_bindings()

    def show_contacts(self, rows: tuple[ContactRow, ...]) -> None:
        """Fill the contact log, keeping (or moving to) the contact in :attr:`keep`."""
        contacts = self.query_one("#member-contacts", PlainList)
        keep = self.keep
        if keep is None and contacts.highlighted_option is not None:
            keep = contacts.highlighted_option.id
        self.keep = None
        contacts.show_lines([(row.id, row.line()) for row in rows], keep)
        if rows:
            heading = ngettext(
                "Contact log: {count} contact, newest first",
                "Contact log: {count} contacts, newest first",
                len(rows),
            ).format(count=len(rows))
        elif allowed(self.session.acting, Action.EDIT_MEMBERS):
            heading = _("Contact log: nothing logged yet. Press c to log a contact.")
        else:
            heading = _("Contact log: nothing logged yet.")
        self.query_one("#contacts-heading", SafeLabel).update(heading)

    def show_history(self, name: str, heading: str, lines: tuple[str, ...]) -> None:
        """Fill one history list and its heading, or say there is nothing in it."""
        if lines:
            self.query_one(f"#{name}-heading", SafeLabel).update(heading.format(count=len(lines)))
        self.query_one(f"#member-{name}", PlainList).show_lines(
            [(None, Content(line)) for line in lines]
        )
        self.query_one(f"#no-{name}", SafeLabel).display = not lines

    def show_failure(self, reason: str) -> None:
        self.query_one("#member-name", SafeLabel).update(reason)

    # -- keys ----------------------------------------------------------------------------------

    def selected_contact(self) -> ContactRow | None:
        """The contact highlighted in the log while the log has the focus, or None."""
        contacts = self.query_one("#member-contacts", PlainList)
        option = contacts.highlighted_option
        if not contacts.has_focus or option is None:
            return None
        return next((row for row in self.view.contacts if row.id == option.id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("add_contact", "edit", "add_certificate"):
            return self.view.found
        if action == "delete_contact":
            return self.selected_contact() is not None
        return True

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_add_contact(self) -> None:
        """Log a contact with this member (c)."""
        if not self.permitted(Action.EDIT_MEMBERS) or not self.view.found:
            return
        from screens.member.contact_form import ContactForm

        def added(record: dict[str, Any] | None) -> None:
            if record is not None:
                self.keep = str(record.get("id"))
                self.focus_log = True
                self.notify(_("Contact saved."), markup=False)
                self.reload()

        self.app.push_screen(
            ContactForm(
                self.session, self.member_id, self.view.name, today=self.session.db.today()
            ),
            added,
        )

    def action_delete_contact(self) -> None:
        """Delete the selected contact after asking (Del); for one logged by mistake."""
        if not self.permitted(Action.EDIT_MEMBERS):
            return
        row = self.selected_contact()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row.id, row.version)

        self.app.push_screen(
            ConfirmDialog(
                _("Delete the contact of {date} ({method}, by {by})?").format(
                    date=row.day, method=row.method, by=row.by or EMPTY
                ),
                yes=_("Delete"),
                no=_("Keep it"),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="contact-delete")
    def _delete(self, contact_id: str, version: int) -> None:
        from store.contacts import ops as contacts

        try:
            contacts.delete_contact(self.session.db, self.session.acting, contact_id, version)
        except StoreError as error:  # NotFound, Conflict, PermissionDenied, DatabaseBusy...
            self.post_message(self.DeleteRefused(str(error)))
        else:
            self.post_message(self.Deleted())

    @on(Deleted)
    def _deleted(self) -> None:
        self.notify(_("Contact deleted."), markup=False)
        self.reload()

    @on(DeleteRefused)
    def _delete_refused(self, message: DeleteRefused) -> None:
        self.notify(message.reason, severity="warning", markup=False)
        self.reload()

    def action_add_certificate(self) -> None:
        """Record a certificate for this member (t): first aid for a patrol leader, say."""
        if not self.permitted(Action.EDIT_TRAINING) or not self.view.found:
            return

        def saved() -> None:
            self.reload()

        self.session.routes.add_certificate(self.app, self.member_id, self.view.name, saved)

    def action_edit(self) -> None:
        """Edit this member's record (e)."""
        if not self.permitted(Action.EDIT_MEMBERS) or not self.view.found:
            return
        from screens.member.form import MemberFormScreen

        self.app.push_screen(
            MemberFormScreen(self.session, self.section_title, member_id=self.member_id)
        )

    def action_back(self) -> None:
        """Back to where it was opened from (Esc)."""
        self.dismiss(None)
