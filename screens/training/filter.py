"""The training filters: a small dialog of choices (every answer in words, changed with
Left/Right or Space), for the sessions list (kind and year) and the study-hour list (year,
category, branch).

Enter moves to the next line and, on the last, shows the result; Ctrl+S shows it from
anywhere; Esc keeps the filter as it was. Returns the chosen values by field, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import ENTER, EnterMovesOn
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.i18n import N_, _

Question = tuple[str, str, Sequence[tuple[str, str]], str]
"""(field, label, options as (value, words), the value chosen now)."""


class TrainingFilterDialog(EnterMovesOn, ModalScreen[dict[str, str] | None]):
    """A few questions with fixed answers; returns {field: value} or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", N_("Show")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    def __init__(self, title: str, questions: Sequence[Question]) -> None:
        super().__init__(classes="training-dialog")
        translate_bindings(self)
        self.title_text = title
        self.questions = tuple(questions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="training-filter"):
            yield SafeLabel(self.title_text, classes="dialog-question")
            for field, text, options, value in self.questions:
                yield ChoiceField(field, text, list(options), value=value)
            yield Label(
                _("Space or Left/Right change a line; Enter on the last line shows the list."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query(ChoiceField).first().input.focus()

    def values(self) -> dict[str, str]:
        """The answer on every line, by field."""
        return {field.field: field.value for field in self.query(ChoiceField)}

    def submit(self) -> None:
        """Enter on the last line: show the list."""
        self.action_apply()

    def action_apply(self) -> None:
        """Show the list with these answers."""
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        """Keep the filter as it was."""
        self.dismiss(None)
