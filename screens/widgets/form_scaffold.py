"""What every form of fields does with them, whether it is a section screen or a dialog.

The section forms (screens/shell/form_screen.py ``FormScreen``), the small dialogs
(screens/shell/form_dialog.py ``FormDialog``) and the account dialogs (which are now small
dialogs too) each had their own copy of the same few methods: the fields
in order and one by store field, what they hold, filling them and taking that as the unedited
state (the ``baseline`` edits are measured against), the line under the fields for what belongs
to no single field, and the store's refusal written at the fields with the rest on that line.
:class:`FormScaffold` holds them once. What really differs stays with each: a section screen's
and a dialog's keys, Esc, how a save starts and ends, a field whose value is not its text (a
member picker's chosen id).

It sits with the field widgets (screens/widgets/form.py) because it needs nothing but them: a
section screen and a modal dialog are different Textual classes, so it is a mixin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from screens.widgets.form import EnterMovesOn, LabelledField, all_fields, show_errors
from screens.widgets.text import SafeLabel
from store.i18n import N_, _

NOTHING_SAVED = N_("Nothing was saved: please correct the fields marked with !")
"""What the line under the form says when every problem was written at its field."""


class FormScaffold(EnterMovesOn):
    """Mix into a form (before its Textual class, in place of :class:`EnterMovesOn`, which it
    extends): a screen or dialog of :class:`LabelledField` rows and one message line.

    The form composes a :class:`SafeLabel` whose id is :attr:`MESSAGE_ID` and sets
    ``self.baseline = {}`` in its ``__init__``. A form with a field whose value is not its text
    overrides :meth:`values` (and :meth:`fill_values`).
    """

    MESSAGE_ID: ClassVar[str] = ""
    """The id of the :class:`SafeLabel` under the fields (the form composes it)."""

    FOLDING_MESSAGE: ClassVar[bool] = False
    """Whether the message line takes no room while it says nothing (its CSS hides it)."""

    baseline: dict[str, str]
    """The fields' values as opened or filled from the store: the edits are what differs."""

    # -- the fields ----------------------------------------------------------------------------

    def fields(self) -> list[LabelledField]:
        """The form's fields in order."""
        return all_fields(self._form())

    def field(self, name: str) -> LabelledField:
        """The field for store field ``name``."""
        return next(field for field in self.fields() if field.field == name)

    def values(self) -> dict[str, str]:
        """What the fields hold now, by store field."""
        return {field.field: field.value for field in self.fields()}

    def take_baseline(self) -> None:
        """Take what the fields hold now as the unedited state."""
        self.baseline = self.values()

    def fill_values(self, values: Mapping[str, str]) -> None:
        """Show ``values`` (by store field) in the fields and take them as the unedited state."""
        for field in self.fields():
            field.value = values.get(field.field, "")
        self.take_baseline()

    def has_edits(self) -> bool:
        """Whether the fields hold something else than the unedited state (Esc then asks
        before dropping it); a form with its own idea of "typed something" overrides it."""
        return self.values() != self.baseline

    # -- what the form says --------------------------------------------------------------------

    def say(self, message: str) -> None:
        """The line under the fields, for what belongs to no single field."""
        line = self._form().query_one(f"#{self.MESSAGE_ID}", SafeLabel)
        line.update(message)
        if self.FOLDING_MESSAGE:
            line.display = bool(message)

    def say_problems(self, errors: Mapping[str, str]) -> None:
        """Each problem under its field (the first one focused); the rest, or "correct the
        fields marked with !", on the line."""
        unplaced = show_errors(self.fields(), errors)
        self.say(" ".join(unplaced) or _(NOTHING_SAVED))
