"""What every section form shares: its keys, its fields, its edits and the line under it.

The member, settings, training session, patrol shift and template forms are section screens
(a header, the section's footer, their data read in a worker) holding one record's fields.
Each had its own copy of the same scaffolding: Ctrl+S / Esc / Enter, the fields and their
values, "unsaved edits" against the values it was filled with, the record it edits for the
live refresh, the "changed meanwhile" sentence, a line under the form for what belongs to no
field, the store's refusal written under the fields, and Esc asking before dropping edits.
:class:`FormScreen` holds it once; a form says what differs (the message line's id, the table
and the record's id, the Esc question) and keeps its own loading and saving. What it does with
its fields and its line, the same in the dialogs (screens/shell/form_dialog.py), is
:class:`~screens.widgets.form_scaffold.FormScaffold`'s.
:class:`RecordForm` adds what forms over one stored record share, the store's refusal answered
and the edit, reload and conflict question written once for forms and dialogs alike
(screens/shell/refused.py) among it.

It lives beside :class:`~screens.shell.base.SectionScreen`, whose subclass it is (widgets sit
below the shell and may not import it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import AwaitMount

from screens.shell.base import EditedRecord, SectionScreen
from screens.shell.dialogs import close_asking
from screens.shell.refused import EditsStoredRecord, SaveRefused
from screens.shell.session import Session
from screens.widgets.form import ENTER
from screens.widgets.form_scaffold import FormScaffold
from store.i18n import N_, _
from store.permissions import Action


class FormScreen(FormScaffold, SectionScreen):
    """A section screen that is a form over one record (or a new one).

    Subclasses set :attr:`MESSAGE_ID`, :attr:`TABLE` and :attr:`DROP_QUESTION`, override
    :meth:`record_id` when they edit a stored record, fill :attr:`baseline` (and set
    :attr:`filled`) when they show one, and implement ``action_save``. After the form is
    dismissed, :attr:`saved_id` is the id of the record it saved, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "back", N_("Back")),
        ENTER,
    ]

    TABLE: ClassVar[str] = ""
    """The table of the record edited (for the live refresh's "changed meanwhile")."""

    DROP_QUESTION: ClassVar[str]
    """What Esc asks when there are unsaved edits (a msgid marked with ``N_``, translated
    when asked)."""

    def __init__(self, session: Session, title: str, *, id: str | None = None) -> None:
        super().__init__(session, title, id=id)
        self.baseline = {}
        self.filled = False
        """The form shows the stored record (or a new one's defaults)."""
        self.version = 0
        """The stored version the edits began from (the save carries it)."""
        self.saved_id: str | None = None

    def record_id(self) -> str | None:
        """The id of the stored record edited; None for a new one (nothing to watch)."""
        return None

    # -- fields and edits ----------------------------------------------------------------------

    def fill_values(self, values: Mapping[str, str]) -> None:
        """Show ``values`` in the fields and take them as the unedited state: the form now
        shows its record (keys typed ahead may go in) and says nothing yet."""
        super().fill_values(values)
        self.filled = True
        self.say("")

    def accepts_keys(self) -> bool:
        # Keys typed ahead wait until the form shows its record: filling it would overwrite
        # them (and, like every section screen, while it is read or saved).
        return super().accepts_keys() and (self.filled or self.load_failed)

    def has_unsaved_edits(self) -> bool:
        return self.filled and self.has_edits()

    def edited_record(self) -> EditedRecord | None:
        record_id = self.record_id()
        if record_id is None or not self.has_unsaved_edits():
            return None
        return EditedRecord(self.TABLE, record_id, self.version)

    # -- what the form says --------------------------------------------------------------------

    def show_meanwhile(self, text: str) -> None:
        self.say(text + " " + _("Your edits are kept; saving asks which to keep."))

    # -- leaving -------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to where the form was opened (Esc); asks first if there are unsaved edits."""
        close_asking(self, _(self.DROP_QUESTION), unsaved=self.has_unsaved_edits())


class RecordForm(EditsStoredRecord, FormScreen):
    """A :class:`FormScreen` over one stored record (the member, session, settings, patrol shift
    and template forms), with what such forms did alike: the record's id for the live refresh,
    the first fill after the fields are mounted, and what every form over a stored record does
    (screens/shell/refused.py :class:`EditsStoredRecord`, shared with the dialogs): an edit
    sending only the fields changed, the store's refusal answered one way (the problems under
    the fields, someone else's save met by the shared conflict question: reload theirs,
    overwrite with mine, cancel; the record deleted meanwhile said by :meth:`record_gone`).

    A subclass implements :meth:`conflict_words`, :meth:`stored_values` and
    :meth:`save_over`, overrides :meth:`fill_record` when it shows a record its own way, and
    posts :class:`Refused` from its save worker (``Refused.of(error)`` for what the store
    raised). With :attr:`OPENS_FOR` set, a user who may not do that is told why and the form
    closes without reading the record.
    """

    OPENS_FOR: ClassVar[Action | None] = None
    """What the acting user must be allowed to open the form at all (None: whoever reached
    it). The raw record may hold what such a user may not see, so it is never read for them."""

    Refused = SaveRefused
    """The store refused the save: field -> problem, someone else's save, or gone."""

    def __init__(
        self, session: Session, title: str, record_id: str | None, *, id: str | None = None
    ) -> None:
        super().__init__(session, title, id=id)
        self._record_id = record_id
        self.refused = False
        """The acting user may not open the form (:attr:`OPENS_FOR`): it closes unread."""

    def record_id(self) -> str | None:
        return self._record_id

    def on_mount(self) -> None:
        # Runs before SectionScreen.on_mount (Textual calls each class's handler in turn, the
        # subclass's first), whose reload then reads nothing for a refused user.
        if self.OPENS_FOR is not None and not self.permitted(self.OPENS_FOR):
            self.refused = True
            self.call_after_refresh(self._leave_refused)

    def _leave_refused(self) -> None:
        self.dismiss(None)  # not awaited: this runs in the screen's own message handling

    def reload(self) -> None:
        if not self.refused:
            super().reload()

    async def first_fill(self, mounted: AwaitMount, values: dict[str, str], focus: int) -> None:
        """Fill the fields once mounted and focus field number ``focus``.

        The fields' inputs exist once mounted: filled and focused before, the focus was lost on
        a loaded machine and keys typed ahead went to no field.
        """
        await mounted
        self.fill_values(values)
        fields = self.fields()
        if fields:
            fields[min(focus, len(fields) - 1)].input.focus()
