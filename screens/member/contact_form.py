"""The add-contact dialog: when a member was reached, how, and what was said.

Three fields: the date (today unless changed, typed the forgiving ways the store reads:
2026-11-20, 11月20日, 昨天), the method (a :class:`~screens.widgets.choice.ChoiceField` with
all four on its row, moved through with Left/Right or Space: every choice is on screen, so
nobody has to guess what a key will bring up, which a drop-down would hide on a phone's small
SSH screen) and a note. Enter moves on and, on the note,
saves; Ctrl+S saves from anywhere. The store checks the whole contact in a worker; each problem
is written under its field and nothing is stored. Esc asks before dropping what was typed.

The dialog returns the stored contact record, or None when nothing was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from screens.shell.form_dialog import FormDialog
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, problems
from screens.widgets.text import SafeLabel
from store.enums import ContactMethod, choices
from store.errors import StoreError
from store.fields import NOTE_MAX
from store.i18n import N_, _


class ContactForm(FormDialog[dict[str, Any] | None]):
    """Log one contact with a member (coordinators and admins); returns the stored record."""

    MESSAGE_ID = "contact-message"
    DROP_QUESTION = N_("This contact is not saved. Drop it?")
    DROP_YES = N_("Drop it")

    def __init__(self, session: Session, member_id: str, member_name: str, *, today: date):
        super().__init__(session, id="contact-form")
        self.member_id = member_id
        self.member_name = member_name
        self.today_text = today.isoformat()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="contact-dialog"):
            yield SafeLabel(
                _("Log a contact with {name}").format(name=self.member_name),
                classes="dialog-question",
            )
            yield FormField(
                "date", _("Date"), value=self.today_text, max_length=20, select_on_focus=True
            )
            yield ChoiceField(
                "method",
                _("Method"),
                [(method.value, text) for method, text in choices(ContactMethod)],
                value=ContactMethod.PHONE.value,
                show_all=True,
            )
            yield FormField("note", _("Note"), max_length=NOTE_MAX)
            yield SafeLabel("", id="contact-message")
            yield Label(
                _("Left/Right or Space choose the method. Enter on the note or Ctrl+S saves."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.field("date").input.focus()

    @property
    def method(self) -> ContactMethod:
        """The method chosen now."""
        return ContactMethod(self.query_one("#field-method", ChoiceField).value)

    def has_edits(self) -> bool:
        """Whether anything was typed or chosen (Esc then asks before dropping it)."""
        return (
            self.field("date").value.strip() != self.today_text
            or self.method is not ContactMethod.PHONE
            or bool(self.field("note").value.strip())
        )

    # -- keys ----------------------------------------------------------------------------------

    def field_problems(self) -> Mapping[str, str]:
        from store.contacts.validation import validate_contact

        raw = {**self.values(), "member_id": self.member_id}
        today = self.session.db.today()
        return problems(lambda: validate_contact(raw, today=today))

    def action_save(self) -> None:
        """Save the contact (Ctrl+S); the store checks every field."""
        if self.begin_save():
            self.say(_("Saving…"))
            self._save(self.values())

    @work(thread=True, exclusive=True, group="contact-save")
    def _save(self, raw: Mapping[str, str]) -> None:
        from store.contacts import ops as contacts

        try:
            record = contacts.add_contact(self.session.db, self.session.acting, self.member_id, raw)
        except StoreError as error:  # bad fields, PermissionDenied, DatabaseBusy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(record))
