"""The make-up dialog: a member made a session up (补课) on a day, for some hours.

Two fields, the day (today unless changed) and the hours (the session's unless fewer); Enter
on the last or Ctrl+S saves it at once through the store, which checks it (not before the
session, not in the future, not more hours than the session, not in a closed year): each
problem is written under its field and nothing is saved. A member outside the session's
audience is recorded only after a yes. Returns True when saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import (
    ENTER,
    EnterMovesOn,
    FormField,
    clear_errors,
    form_fields,
    show_errors,
)
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.errors import StoreError, ValidationError
from store.i18n import N_, _
from store.training.model import TrainingSession


class MakeupDialog(EnterMovesOn, ModalScreen[bool]):
    """Record one member's make-up of ``training``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    @dataclass
    class Done(Message):
        """The store saved the make-up."""

    @dataclass
    class Refused(Message):
        """Field -> problem; ``outside``: the member is not in the audience (ask first)."""

        errors: dict[str, str]
        outside: bool = False

    def __init__(
        self,
        session: Session,
        training: TrainingSession,
        member_id: str,
        member_name: str,
        version: int,
    ) -> None:
        super().__init__(id="makeup")
        translate_bindings(self)
        self.session = session
        self.training = training
        self.member_id = member_id
        self.member_name = member_name
        self.version = version
        self.saving = False

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

    def accepts_keys(self) -> bool:
        """Keys typed during a save wait for its answer (tui/typeahead.py): the dialog closes
        on success, and what follows Ctrl+S belongs to the screen under it."""
        return not self.saving

    def values(self) -> dict[str, str]:
        return {field.field: field.value for field in form_fields(self)}

    def submit(self) -> None:
        self.action_save()

    def action_save(self, allow_outside: bool = False) -> None:
        """Save the make-up (Ctrl+S)."""
        if self.saving:
            return
        self.saving = True
        clear_errors(form_fields(self))
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
            self.post_message(self.Refused({"": str(error)}, outside=True))
        except ValidationError as error:
            self.post_message(self.Refused(dict(error.errors)))
        except StoreError as error:  # Conflict, PermissionDenied, busy...
            self.post_message(self.Refused({"": str(error)}))
        else:
            self.post_message(self.Done())

    @on(Done)
    def _done(self) -> None:
        self.saving = False
        self.notify(_("Make-up saved for {name}.").format(name=self.member_name), markup=False)
        self.dismiss(True)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        if message.outside:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.action_save(allow_outside=True)

            self.app.push_screen(
                ConfirmDialog(message.errors[""], yes=_("Record it"), no=_("Not yet")), answered
            )
            return
        unplaced = show_errors(form_fields(self), message.errors)
        self.query_one("#makeup-message", SafeLabel).update(
            " ".join(unplaced) or _("Nothing was saved: please correct the fields marked with !")
        )

    def action_cancel(self) -> None:
        """Close without saving (Esc)."""
        self.dismiss(False)
