"""What every small form dialog shares: its keys, its fields, the save's answer and Esc.

The team or zone form, the certificate form, the contact form, the make-up dialog and the
account dialogs (screens/manage/account_forms.py) are modal dialogs of a few fields saved
through the store in a worker. Each had its own copy of the same scaffolding: Ctrl+S saves, Esc
cancels, Enter moves on (and on the last field saves); keys typed during a save wait for its
answer (the dialog may close); the store's refusal is written under each field and the rest on a
line under the form ("Nothing was saved: please correct the fields marked with !"); a save
closes the dialog with what it returns; Esc asks before dropping what was typed.
:class:`FormDialog` holds it once; a dialog says what
differs (its message line, its Esc question, what it returns) and keeps its fields and its save.

The store's refusal is answered the way the section forms answer it (screens/shell/refused.py):
a dialog that edits a stored record (a team or zone, a certificate) meets someone else's save
meanwhile with the shared conflict question (screens/shell/conflict.py): "reload theirs" fills
its fields with the stored record, "overwrite with mine" saves only the fields changed here over
the stored version, "cancel" keeps the edits. A dialog that only adds says the store's sentence.

The section forms (a whole screen each) share the same in :mod:`screens.shell.form_screen`;
what both do with their fields (read, fill, the line under them, the problems at them) is
written once for both in :mod:`screens.widgets.form_scaffold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen

from screens.shell.dialogs import close_asking
from screens.shell.refused import EditsStoredRecord, SaveRefused
from screens.shell.session import Session
from screens.widgets.form import ENTER, clear_errors
from screens.widgets.form_scaffold import FormScaffold
from screens.widgets.keys import translate_bindings
from store.i18n import N_, _

ResultT = TypeVar("ResultT")


class FormDialog(EditsStoredRecord, FormScaffold, ModalScreen[ResultT]):
    """A dialog of fields that the store saves (see the module).

    Its fields, their values and the line under them are :class:`FormScaffold`'s. A subclass
    sets :attr:`MESSAGE_ID` (the :class:`SafeLabel` under its fields, which it composes) and,
    to ask before Esc drops what was typed, :attr:`DROP_QUESTION` (what was typed: the fields
    against :attr:`baseline`, taken once opened with :meth:`take_baseline`, or its own
    :meth:`has_edits`); it implements ``action_save`` (calling :meth:`begin_save` first) and a
    save worker that posts :class:`Saved` or :class:`Refused` (``Refused.of(error)`` for what
    the store raised).

    A dialog editing a stored record also sets :attr:`version` and :attr:`baseline` (the
    fields as opened: :meth:`take_baseline`), returns its id from :meth:`record_id`, saves
    :meth:`edits` only, and implements :meth:`conflict_words`, :meth:`stored_values` and
    :meth:`save_over` for the conflict question (the same as the section forms:
    screens/shell/refused.py :class:`EditsStoredRecord`); it may say a deleted record in its
    own words (:meth:`record_gone`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    DROP_QUESTION: ClassVar[str] = ""
    """What Esc asks when something was typed (a msgid); empty: Esc closes at once."""

    DROP_YES: ClassVar[str] = ""
    """The words of that question's yes (a msgid; empty: the question's own)."""

    CANCELLED: ClassVar[Any] = None
    """What the dialog returns when closed without saving."""

    RELOADED = N_("This is what they saved; change it again if need be.")

    @dataclass
    class Saved(Message):
        """The store took it; ``result`` is what the dialog returns."""

        result: Any = None

    Refused = SaveRefused
    """The store refused it: field -> problem ("" for one that belongs to no field), someone
    else's save, or the record deleted meanwhile."""

    def __init__(
        self, session: Session, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self.session = session
        self.saving = False
        self.version = 0
        """The stored version the edits began from (a dialog editing a record sets it)."""
        self.baseline = {}

    def accepts_keys(self) -> bool:
        """Keys typed during a save wait for its answer (tui/typeahead.py): the dialog closes
        on success, and what follows Ctrl+S belongs to the screen under it."""
        return not self.saving

    def record_id(self) -> str | None:
        """The id of the stored record edited; None for a dialog that adds one."""
        return None

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

    # The refusal is answered by AnswersRefusals.on_save_refused: say_problems (FormScaffold),
    # resolve or record_gone (a subclass must not handle SaveRefused itself).

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
