"""The make-up dialog: a member made a session up (补课) on a day, for some hours.

Two fields, the day (today unless changed) and the hours (the session's unless fewer); Enter
on the last or Ctrl+S saves it at once through the store, which checks it (not before the
session, not in the future, not more hours than the session, not in a closed year): each
problem is written under its field and nothing is saved. A member outside the session's
audience is recorded only after a yes. Returns True when saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from screens.shell.dialogs import ConfirmDialog
from screens.shell.form_dialog import FormDialog
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, form_fields
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.i18n import _
from store.training.model import TrainingSession


class MakeupDialog(FormDialog[bool]):
    """Record one member's make-up of ``training``."""

    MESSAGE_ID = "makeup-message"
    CANCELLED = False

    @dataclass
    class Outside(Message):
        """The member is not in the session's audience: ask before recording it."""

        question: str

    def __init__(
        self,
        session: Session,
        training: TrainingSession,
        member_id: str,
        member_name: str,
        version: int,
    ) -> None:
        super().__init__(session, id="makeup")
        self.training = training
        self.member_id = member_id
        self.member_name = member_name
        self.version = version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="makeup-dialog"):
            yield SafeLabel(
                _("Make-up of “{title}” by {name}").format(
                    title=self.training.title, name=self.member_name
                ),
                classes="dialog-question",
            )
            today = self.session.db.today().isoformat()
            yield FormField("date", _("Made up on"), value=today, max_length=20)
            hours = f"{self.training.hours:g}"
            yield FormField("hours", _("Hours"), value=hours, max_length=8)
            yield SafeLabel("", id="makeup-message", classes="training-message")
            yield Label(
                _("Enter on the hours or Ctrl+S saves it now."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        form_fields(self)[0].input.focus()

    def action_save(self, allow_outside: bool = False) -> None:
        """Save the make-up (Ctrl+S)."""
        if self.begin_save():
            self._save(self.values(), allow_outside)

    @work(thread=True, exclusive=True, group="makeup")
    def _save(self, raw: dict[str, str], allow_outside: bool) -> None:
        from store.training import ops

        try:
            ops.record_makeup(
                self.session.db,
                self.session.acting,
                self.training.id,
                self.member_id,
                raw,
                self.version,
                allow_outside=allow_outside,
            )
        except ops.OutsideAudience as error:
            self.post_message(self.Outside(str(error)))
        except StoreError as error:  # bad fields, a newer session, a volunteer, busy... (said)
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(True))

    def saved_text(self) -> str:
        return _("Make-up saved for {name}.").format(name=self.member_name)

    @on(Outside)
    def _outside(self, message: Outside) -> None:
        self.saving = False

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_save(allow_outside=True)

        self.app.push_screen(
            ConfirmDialog(message.question, yes=_("Record it"), no=_("Not yet")), answered
        )
