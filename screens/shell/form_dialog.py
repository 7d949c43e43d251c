"""What every small form dialog shares: its keys, its fields, the save's answer and Esc.

The team or zone form, the certificate form, the contact form and the make-up dialog are
modal dialogs of a few fields saved through the store in a worker. Each had its own copy of
the same scaffolding: Ctrl+S saves, Esc cancels, Enter moves on (and on the last field saves);
keys typed during a save wait for its answer (the dialog may close); the store's refusal is
written under each field and the rest on a line under the form ("Nothing was saved: please
correct the fields marked with !"); a save closes the dialog with what it returns; Esc asks
before dropping what was typed. :class:`FormDialog` holds it once; a dialog says what differs
(its message line, its Esc question, what it returns) and keeps its own fields and its save.

The section forms (a whole screen each) share the same in :mod:`screens.shell.form_screen`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen

from screens.shell.dialogs import close_asking
from screens.shell.session import Session
from screens.widgets.form import (
    ENTER,
    EnterMovesOn,
    LabelledField,
    all_fields,
    clear_errors,
    show_errors,
)
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.i18n import N_, _

ResultT = TypeVar("ResultT")

NOTHING_SAVED = N_("Nothing was saved: please correct the fields marked with !")


class FormDialog(EnterMovesOn, ModalScreen[ResultT]):
    """A dialog of fields that the store saves (see the module).

    A subclass sets :attr:`MESSAGE_ID` (the :class:`SafeLabel` under its fields, which it
    composes) and, to ask before Esc drops what was typed, :attr:`DROP_QUESTION` with
    :meth:`has_edits`; it implements ``action_save`` (calling :meth:`begin_save` first) and a
    save worker that posts :class:`Saved` or :class:`Refused`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    MESSAGE_ID: ClassVar[str] = ""
    """The id of the line under the fields."""

    DROP_QUESTION: ClassVar[str] = ""
    """What Esc asks when something was typed (a msgid); empty: Esc closes at once."""

    DROP_YES: ClassVar[str] = ""
    """The words of that question's yes (a msgid; empty: the question's own)."""

    CANCELLED: ClassVar[Any] = None
    """What the dialog returns when closed without saving."""

    @dataclass
    class Saved(Message):
        """The store took it; ``result`` is what the dialog returns."""

        result: Any = None

    @dataclass
    class Refused(Message):
        """The store refused it: field -> problem ("" for one that belongs to no field)."""

        errors: dict[str, str]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.session = session
        self.saving = False

    def accepts_keys(self) -> bool:
        """Keys typed during a save wait for its answer (tui/typeahead.py): the dialog closes
        on success, and what follows Ctrl+S belongs to the screen under it."""
        return not self.saving

    # -- fields --------------------------------------------------------------------------------

    def fields(self) -> list[LabelledField]:
        """The dialog's fields in order."""
        return all_fields(self)

    def values(self) -> dict[str, str]:
        """What the fields hold, by store field."""
        return {field.field: field.value for field in self.fields()}

    def has_edits(self) -> bool:
        """Whether something was typed (Esc then asks, when :attr:`DROP_QUESTION` is set)."""
        return False

    def say(self, text: str) -> None:
        """The line under the fields, for what belongs to no single field."""
        self.query_one(f"#{self.MESSAGE_ID}", SafeLabel).update(text)

    # -- saving --------------------------------------------------------------------------------

    def submit(self) -> None:
        """Enter on the last field: save."""
        self.action_save()

    def action_save(self) -> None:
        """Save (Ctrl+S)."""
        raise NotImplementedError

    def begin_save(self) -> bool:
        """Start a save: False while one is under way; else the old problems cleared."""
        if self.saving:
            return False
        self.saving = True
        clear_errors(self.fields())
        return True

    @on(Saved)
    def _saved_message(self, message: Saved) -> None:
        self.saving = False
        self.saved(message.result)

    def saved(self, result: Any) -> None:
        """The store took it: say so (:meth:`saved_text`) and close, returning ``result``."""
        text = self.saved_text()
        if text:
            self.notify(text, markup=False)
        self.dismiss(result)

    def saved_text(self) -> str:
        """What to say once saved ("" for nothing: the screen below says it)."""
        return ""

    @on(Refused)
    def _refused_message(self, message: Refused) -> None:
        self.saving = False
        self.refused(message.errors)

    def refused(self, errors: Mapping[str, str]) -> None:
        """Each problem under its field; the rest, or "correct the fields", on the line."""
        unplaced = show_errors(self.fields(), errors)
        self.say(" ".join(unplaced) or _(NOTHING_SAVED))

    # -- leaving -------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Close without saving (Esc); asks first when something was typed."""
        if self.saving:
            return
        if self.DROP_QUESTION and self.has_edits():
            close_asking(
                self,
                _(self.DROP_QUESTION),
                unsaved=True,
                yes=_(self.DROP_YES) if self.DROP_YES else "",
            )
            return
        self.dismiss(self.CANCELLED)
